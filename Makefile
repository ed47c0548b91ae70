# ticketflow: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,testing,yaml,transitions]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ticketflow demo case-portal
	$(BIN)/ticketflow demo help-center

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks
	$(BIN)/ruff format --check src tests examples benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/ticketflow

pytest: $(STAMP)
	$(BIN)/pytest -n 2

# the fuzz suites with many more examples (the default run keeps them modest)
test-slow: $(STAMP)
	TICKETFLOW_FUZZ_EXAMPLES=1000 $(BIN)/pytest -n 2 tests/hardening

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
