"""The example in docs/testing.md runs as written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from typing import Any

from hypothesis import settings

DOC = Path(__file__).parents[2] / "docs" / "testing.md"


def blocks(kind: str) -> list[str]:
    """The fenced code blocks of one kind in docs/testing.md."""
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


class TestDocsExample:
    def test_policy_example_runs_and_passes(self) -> None:
        """The ten-line example defines a TestCase that runs and passes."""
        namespace: dict[str, Any] = {}
        exec(compile(blocks("python")[0], str(DOC), "exec"), namespace)
        case = namespace["TestBilling"]
        case.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
        case("runTest").runTest()

    def test_liveness_session_matches(self) -> None:
        """The check_liveness session in the docs gives the output shown."""
        namespace: dict[str, Any] = {}
        exec(compile(blocks("python")[0], str(DOC), "exec"), namespace)
        test = doctest.DocTestParser().get_doctest(
            blocks("pycon")[0], namespace, "docs", str(DOC), 0
        )
        result = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE).run(test)
        assert (result.failed, result.attempted > 0) == (0, True)
