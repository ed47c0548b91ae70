"""The examples in docs/testing.md run as written and print what the page shows."""

from __future__ import annotations

import doctest
import re
import traceback
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, settings

from tests.bounds import examples

DOC = Path(__file__).parents[2] / "docs" / "testing.md"
TRIMMED = re.compile(r"^\[\.\.\. .* trimmed \.\.\.\]$")


def blocks(kind: str) -> list[str]:
    """The fenced code blocks of one kind in docs/testing.md."""
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def run_blocks(upto: int) -> dict[str, Any]:
    """Run the first ``upto`` python blocks in one namespace, as a reader would."""
    namespace: dict[str, Any] = {}
    for code in blocks("python")[:upto]:
        exec(compile(code, str(DOC), "exec"), namespace)
    return namespace


class TestDocsExamples:
    def test_policy_example_runs_and_passes(self) -> None:
        """The ten-line example defines a TestCase that runs and passes."""
        case = run_blocks(1)["TestBilling"]
        case.settings = settings(max_examples=examples(30), stateful_step_count=20, deadline=None)
        case("runTest").runTest()

    @pytest.mark.slow
    def test_failure_output_is_a_real_run(self) -> None:
        """The refunds example fails with exactly the lines the page shows (trimmed parts aside)."""
        case = run_blocks(3)["TestRefunds"]
        # the explain phase only adds the trimmed "Explanation:" section, slowly;
        # under CI=true hypothesis would also print a reproduction blob, which the page leaves out
        case.settings = settings(
            case.settings,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            print_blob=False,
        )
        try:
            case("runTest").runTest()
        except TypeError as exc:
            printed = "".join(traceback.format_exception_only(exc)).splitlines()
        else:
            raise AssertionError("the refunds example did not fail")
        shown = [line for line in blocks("text")[0].splitlines() if not TRIMMED.match(line)]
        assert printed == shown

    def test_sessions_match(self) -> None:
        """Every pycon session in the page gives the output shown."""
        namespace = run_blocks(1)
        for number, session in enumerate(blocks("pycon")):
            test = doctest.DocTestParser().get_doctest(session, namespace, "docs", str(DOC), 0)
            runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
            result = runner.run(test)
            assert (result.failed, result.attempted > 0) == (0, True), f"session {number}"
