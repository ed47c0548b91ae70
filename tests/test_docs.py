"""Code in the README and docs runs and prints what the text says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(code: str, filename: str) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, filename, "exec"), {})
    return buffer.getvalue()


class TestReadme:
    @pytest.mark.parametrize(
        "code",
        re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), flags=re.S),
    )
    def test_example_output_matches_comments(self, code: str) -> None:
        """Each `# ...` comment line in a README example is what the print before it writes."""
        expected = [
            line[2:] for line in code.splitlines() if line.startswith("# ") and "print" not in line
        ]
        assert expected, "an example with no expected output checks nothing"
        assert run(code, "README.md").splitlines() == expected


class TestTimersDoc:
    def test_worked_timeline_prints_what_the_doc_shows(self) -> None:
        """The worked timeline's printed output is the text block that follows it."""
        text = (ROOT / "docs" / "timers-and-slas.md").read_text(encoding="utf-8")
        match = re.search(
            r"## A worked timeline.*?```python\n(.*?)```.*?```text\n(.*?)```", text, flags=re.S
        )
        assert match is not None
        code, expected = match.groups()
        assert run(code, "timers-and-slas.md") == expected

    def test_sla_trigger_example_prints_its_comments(self) -> None:
        """The On example under SLAs prints the `# ...` lines written under it."""
        text = (ROOT / "docs" / "timers-and-slas.md").read_text(encoding="utf-8")
        (code,) = [c for c in re.findall(r"```python\n(.*?)```", text, re.S) if "tf.On(" in c]
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert expected
        assert run(code, "timers-and-slas.md").splitlines() == expected

    def test_sla_notices_example_prints_its_comments(self) -> None:
        """The warnings and escalations example prints the `# ...` lines written under it."""
        text = (ROOT / "docs" / "timers-and-slas.md").read_text(encoding="utf-8")
        (code,) = [c for c in re.findall(r"```python\n(.*?)```", text, re.S) if "warn_at" in c]
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert expected
        assert run(code, "timers-and-slas.md").splitlines() == expected

    def test_sla_report_example_prints_its_comments(self) -> None:
        """The sla_report example prints the `# ...` lines written under it."""
        text = (ROOT / "docs" / "timers-and-slas.md").read_text(encoding="utf-8")
        (code,) = [c for c in re.findall(r"```python\n(.*?)```", text, re.S) if "sla_report" in c]
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert expected
        assert run(code, "timers-and-slas.md").splitlines() == expected


def check_examples_in_order(page: str, at_least: int) -> None:
    """Each python block of docs/``page``, run in order in one namespace, prints the text
    block that follows it (and there are at least ``at_least`` of them)."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", text, flags=re.S)
    assert len(pairs) == text.count("```python") >= at_least
    namespace: dict[str, object] = {}
    for code, expected in pairs:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, page, "exec"), namespace)
        assert buffer.getvalue() == expected, code


class TestChangesDoc:
    def test_every_example_prints_the_text_under_it(self) -> None:
        """docs/changes.md: each python block, run in order in one namespace, prints the
        text block that follows it.
        """
        check_examples_in_order("changes.md", 8)


class TestPytransitionsDoc:
    def test_every_example_prints_the_text_under_it(self) -> None:
        """docs/pytransitions.md: each python block, run in order in one namespace, prints
        the text block that follows it (both sides of the side-by-side example, and the
        bridge both ways).
        """
        check_examples_in_order("pytransitions.md", 7)


class TestMigrationDoc:
    def test_every_example_prints_the_text_under_it(self) -> None:
        """docs/migration.md: each python block, run in order in one namespace, prints the
        text block that follows it.
        """
        text = (ROOT / "docs" / "migration.md").read_text(encoding="utf-8")
        pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", text, flags=re.S)
        assert len(pairs) == text.count("```python") >= 5
        namespace: dict[str, object] = {}
        for code, expected in pairs:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(code, "migration.md", "exec"), namespace)
            assert buffer.getvalue() == expected, code


def trailing_comments(code: str) -> list[str]:
    """The ``# ...`` lines that end a code block, without their ``# ``: what it prints."""
    lines = code.rstrip("\n").splitlines()
    out: list[str] = []
    while lines and lines[-1].startswith("# "):
        out.insert(0, lines.pop()[2:])
    return out


class TestSlaPoliciesDoc:
    def test_every_example_prints_the_comments_that_end_it(self) -> None:
        """docs/sla-policies.md: each python block, run in order in one namespace, prints
        the ``# ...`` lines that end it (the first block, the shared setup, prints nothing).
        """
        text = (ROOT / "docs" / "sla-policies.md").read_text(encoding="utf-8")
        blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
        assert len(blocks) >= 9
        assert trailing_comments(blocks[0]) == []
        assert all(trailing_comments(code) for code in blocks[1:])
        namespace: dict[str, object] = {}
        for code in blocks:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(code, "sla-policies.md", "exec"), namespace)
            assert buffer.getvalue().splitlines() == trailing_comments(code), code


@pytest.mark.parametrize("page", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_docs_link_only_to_existing_pages(page: Path) -> None:
    """Every relative .md link in the docs points at a file that exists."""
    for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text(encoding="utf-8")):
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
