# ticketflow: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow lint typecheck pytest bench clean docs mermaid example-django \
	example-django-postgresql

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,testing,yaml,transitions,sql]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ticketflow demo case-portal
	$(BIN)/ticketflow demo help-center
	$(BIN)/python examples/sqlite_store.py

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks
	$(BIN)/ruff format --check src tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/ticketflow
	MYPYPATH=src $(BIN)/mypy --strict tests

# the whole suite at the ci hypothesis profile on two workers, with branch
# coverage: coverage patches subprocess so the xdist workers are measured too.
# Tracing slows every call, so the hang detector's one-second bound is widened.
COVERAGE_FLOOR := 93
pytest: $(STAMP)
	rm -f .coverage .coverage.*
	HYPOTHESIS_PROFILE=ci TICKETFLOW_TIME_BOUND=5 $(BIN)/coverage run -m pytest -n 2
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report --fail-under=$(COVERAGE_FLOOR)

# the whole suite at the slow hypothesis profile (five times the examples), with the
# hang detector widened as in `pytest` (the machine may be busy)
test-slow: $(STAMP)
	HYPOTHESIS_PROFILE=slow TICKETFLOW_TIME_BOUND=5 $(BIN)/pytest -n 2

test: lint typecheck pytest

# the documentation site, built as CI builds it: any warning is an error
DOCS_STAMP := $(VENV)/.docs-installed
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

# what the diagram tests render with: Debian's chromium and graphviz (installed when
# missing, which needs root), and the npm mermaid package pinned in tools/mermaid
MERMAID_STAMP := tools/mermaid/node_modules/.installed
mermaid: $(MERMAID_STAMP)
	@command -v chromium >/dev/null && command -v dot >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium graphviz; }

$(MERMAID_STAMP): tools/mermaid/package.json tools/mermaid/package-lock.json
	cd tools/mermaid && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

# the django-helpdesk example, in its own virtualenv (django-helpdesk is not a dependency
# of ticketflow); DATABASE_URL=postgresql://... runs it on PostgreSQL instead of SQLite
EXAMPLE_DJANGO := examples/django_helpdesk
$(EXAMPLE_DJANGO)/.venv/.installed: pyproject.toml $(EXAMPLE_DJANGO)/requirements.txt
	$(PYTHON) -m venv $(EXAMPLE_DJANGO)/.venv
	$(EXAMPLE_DJANGO)/.venv/bin/python -m pip install --quiet --upgrade pip
	$(EXAMPLE_DJANGO)/.venv/bin/python -m pip install --quiet -e '.[django]' \
		-r $(EXAMPLE_DJANGO)/requirements.txt
	touch $@

example-django: $(EXAMPLE_DJANGO)/.venv/.installed
	cd $(EXAMPLE_DJANGO) && .venv/bin/python -W error::RuntimeWarning manage.py test --noinput

# the same on a PostgreSQL server started for the run in a temporary folder (tests/pgserver.py)
example-django-postgresql: $(STAMP) $(EXAMPLE_DJANGO)/.venv/.installed
	$(BIN)/python -m tests.pgserver run -- $(MAKE) --no-print-directory example-django

clean:
	rm -rf $(EXAMPLE_DJANGO)/.venv
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .coverage .coverage.* site tools/mermaid/node_modules
