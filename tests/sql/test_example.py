"""examples/sqlite_store.py, the SQLite scenario of ``make demo``, prints what it promises."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sqlite_store.py"


def test_the_sweep_closes_across_the_holiday_and_the_outbox_is_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Five working days from Tue 1 Dec 12:30 skip 8 Dec: resolved 9 Dec, closed 14 Dec 12:30.

    HC-2, answered Wed 2 Dec 10:00, resolves five working days later (3, 4,
    7, 9, 10 Dec) and would close three more on (11, 14, 15 Dec). The late
    reply stamped 12:20 is applied at the 12:30 close and reopens HC-1.
    """
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    assert capsys.readouterr().out.splitlines() == [
        "sweep at Mon 14 Dec 13:00: 2 tickets, 3 fired",
        "  HC-1: closed   v4  next deadline -",
        "  HC-2: resolved v3  next deadline Tue 15 Dec 10:00",
        "  HC-3: open     v1  next deadline -",
        "late reply written Mon 14 Dec 12:20, applied Mon 14 Dec 12:30: HC-1 is open",
        "log of HC-1: start Tue 01 Dec 10:00, reply Tue 01 Dec 12:30, "
        "customer_reply Mon 14 Dec 12:30",
        "outbox:",
        "  HC-1 v4 #0: notify (auto_resolve) at Wed 09 Dec 12:30",
        "  HC-2 v3 #0: notify (auto_resolve) at Thu 10 Dec 10:00",
        "  HC-1 v4 #1: survey (auto_close) at Mon 14 Dec 12:30",
        "delivered 3, pending 0",
    ]
