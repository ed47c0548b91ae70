"""The scripts in ``examples/`` run and print what they promise."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class TestDefineAPolicy:
    def test_prints_the_timeline(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The policy's timeline skips Good Friday and Easter Monday, then closes 72 hours on."""
        runpy.run_path(str(EXAMPLES / "define_a_policy.py"), run_name="__main__")
        assert capsys.readouterr().out.splitlines() == [
            "Wed 01 Apr 10:00  start      -> open",
            "Wed 01 Apr 15:00  answer     -> waiting",
            "next deadline: Thu 02 Apr 15:00 CEST",
            "Thu 02 Apr 15:00  (reminder: auto_solve)",
            "Tue 07 Apr 15:00  auto_solve -> solved",
            "Fri 10 Apr 15:00  auto_close -> closed",
            "Fri 10 Apr 15:00  (survey: auto_close)",
            "final status: closed",
        ]
