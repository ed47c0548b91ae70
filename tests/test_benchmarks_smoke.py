"""The benchmark harness runs, and ticketflow answers what its peers answer.

Every case runs once (no timing is asserted anywhere). Where a peer's
semantics agree with ticketflow's, their answers must be equal on the same
input; where they differ by design (workalendar's own US holiday list,
pandas moving a closing-time result to the next opening) the test says so
and compares what does agree. Peers that are not installed are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import ticketflow as tf
from benchmarks import _cases, _notices_case, run
from benchmarks._harness import BASELINE, Family, Settings, measure_family, render_family

NY = _cases.NY
START = _cases.START


def answers(family: Family, operation: str) -> dict[str, object]:
    """Each implementation's answer to ``operation``, from one call."""
    return {c.impl: c.fn() for c in family.cases if c.operation == operation}


def as_utc(value: Any) -> datetime:
    """A datetime or a pandas Timestamp, as an aware UTC datetime."""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    assert isinstance(value, datetime)
    assert value.tzinfo is not None
    return value.astimezone(UTC)


class TestEveryCaseRuns:
    @pytest.mark.parametrize("builder", _cases.FAMILIES, ids=lambda b: b.__name__)
    def test_each_case_runs_once(self, builder: Callable[[], Family]) -> None:
        """Every case of every family (peers that are installed) returns an answer."""
        family = builder()
        assert any(c.impl == BASELINE for c in family.cases)
        for case in family.cases:
            assert case.fn() is not None, (case.operation, case.impl)

    def test_measure_and_render(self) -> None:
        """One tiny measuring round yields a table with a row per case and a ratio column."""
        family = _cases.scaling_family()
        results = measure_family(family, Settings(repeats=2, min_time=0.0, inner=1))
        assert [m.case for m in results] == family.cases
        assert all(len(m.samples) == 2 and m.median_us > 0 for m in results)
        table = render_family(family, results)
        assert "| 600 statuses | **ticketflow** |" in table
        assert "ratio to 6 statuses" in table

    def test_mass_advance_runs(self) -> None:
        """A few tickets in mixed statuses advance; some had something due, some not."""
        result = _cases.mass_advance(50, 1)
        assert result.tickets == 50
        assert 0 < result.fired < 50
        assert result.retained_bytes > 0
        assert "tickets per second" in _cases.render_mass_advance(result)

    def test_due_advance_runs(self) -> None:
        """One ticket in ten has its timer due at the family's now, and only those change."""
        result = _cases.due_advance(50, 1)
        assert (result.tickets, result.fired) == (50, 5)
        assert result.per_second > 0
        assert "tickets per second" in _cases.render_due_advance(result)

    def test_due_tickets_fire_their_close_timer(self) -> None:
        """The due tickets close through their timer; the others keep their snapshot."""
        wf = _cases.support_workflow(timed=True)
        for t in _cases.due_tickets(wf, 20):
            out = wf.advance(t, now=_cases.ADVANCE_NOW)
            deadline = wf.next_deadline(t)
            due = deadline is not None and deadline <= _cases.ADVANCE_NOW
            assert due == (t.id in {"T-9", "T-19"})
            if due:
                assert out.ticket.status == "closed"
                assert [s.event for s in out.steps] == ["close"]
            else:
                assert out.ticket is t
                assert out.steps == ()

    def test_run_script_writes_a_report(self, tmp_path: Path) -> None:
        """run.py --quick --only scaling writes a Markdown report with the machine and versions."""
        out = tmp_path / "results.md"
        assert run.main(["--quick", "--only", "scaling", "--output", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert "### 7. Cost versus workflow size" in text
        assert "* Machine:" in text
        assert "ticketflow" in text


class TestApplyAgrees:
    def test_every_state_machine_ends_where_ticketflow_does(self) -> None:
        """resolve then reply brings every implementation back to 'assigned'."""
        family = _cases.apply_family()
        assert set(answers(family, "apply one event").values()) == {"assigned"}

    def test_timed_cycle_arms_and_drops_the_timer(self) -> None:
        """With the timer and SLA, resolve arms a 3-business-day close and reply drops it."""
        wf = _cases.support_workflow(timed=True)
        t = wf.start(at=START).ticket
        t = wf.apply(t, "assign", at=START, actor="agent").ticket
        resolved = wf.apply(t, "resolve", at=START, actor="agent").ticket
        assert resolved.next_deadline == datetime(2026, 3, 5, 10, 30, tzinfo=NY)
        back = wf.apply(resolved, "reply", at=START, actor="customer").ticket
        (clock,) = wf.sla(back, now=START)
        assert back.next_deadline == clock.due_at == datetime(2026, 3, 3, 10, 30, tzinfo=NY)

    def test_notices_family_pauses_what_it_says(self) -> None:
        """Family 11's stored ticket has two warnings still to send (its escalations wait
        for the breach), and the cycle comes back to 'assigned'."""
        wf = _notices_case.notices_workflow()
        assert _notices_case.pending_notices(wf) == [
            ("sla_warning", "next_response"),
            ("sla_warning", "next_response"),
        ]
        family = _notices_case.notices_family()
        assert {case.fn() for case in family.cases} == {"assigned"}

    @pytest.mark.parametrize("size", _cases.WORKFLOW_SIZES)
    def test_scaling_cycle_returns_to_the_middle(self, size: int) -> None:
        """Forward then back from the middle status ends where it began."""
        family = _cases.scaling_family()
        (answer,) = answers(family, f"{size} statuses").values()
        assert answer == f"s{(size - 1) // 2}"


class TestBusinessDaysAgree:
    @pytest.mark.parametrize("n", _cases.BUSINESS_DAYS_N)
    def test_date_part_equals_numpy(self, n: int) -> None:
        """The benchmark's answer: ticketflow's date part is numpy.busday_offset's."""
        np = pytest.importorskip("numpy")
        got = answers(_cases.business_days_family(), f"N={n:,}")
        ours = got[BASELINE]
        assert isinstance(ours, datetime)
        assert ours.time() == START.time()
        assert np.datetime64(ours.date(), "D") == got["numpy.busday_offset"]

    def test_date_part_equals_numpy_from_many_starts(self) -> None:
        """Forward from every day of 2026-27 (weekends, holidays) and back from it too."""
        np = pytest.importorskip("numpy")
        cal = _cases.office()
        bdc = np.busdaycalendar(weekmask="1111100", holidays=_cases.us_holidays())
        for offset in range(0, 730, 3):
            day = date(2026, 1, 1) + timedelta(days=offset)
            at = datetime.combine(day, datetime.min.time(), NY).replace(hour=11)
            for n in (0, 1, 4, 23, 260, -1, -7, -300):
                roll = "forward" if n >= 0 else "backward"
                expected = np.busday_offset(day, n, roll=roll, busdaycal=bdc)
                assert np.datetime64(cal.add(at, tf.business_days(n)).date(), "D") == expected, (
                    day,
                    n,
                )

    @pytest.mark.parametrize("n", _cases.BUSINESS_DAYS_N)
    def test_same_instant_as_pandas(self, n: int) -> None:
        """pandas CustomBusinessDay keeps the time of day too: the same instant."""
        pytest.importorskip("pandas")
        got = answers(_cases.business_days_family(), f"N={n:,}")
        assert as_utc(got["pandas CustomBusinessDay"]) == as_utc(got[BASELINE])

    @pytest.mark.parametrize("n", _cases.BUSINESS_DAYS_N)
    def test_workalendar_agrees_on_its_own_holidays(self, n: int) -> None:
        """Given workalendar's own US holiday list, ticketflow lands on workalendar's date.

        With ticketflow's ``country_holidays("US")`` they differ for N=250 and
        N=2,500: workalendar's UnitedStates lacks Juneteenth (and New Year's Day
        observed on the Friday before), so its dates come a day or more early.
        """
        usa = pytest.importorskip("workalendar.usa")
        wk = usa.UnitedStates()
        theirs = [d for y in _cases.HOLIDAY_YEARS for d, _ in wk.holidays(y)]
        cal = tf.BusinessCalendar(
            timezone="America/New_York", hours=tf.weekdays("09:00", "17:00"), holidays=theirs
        )
        ours = cal.add(START, tf.business_days(n)).date()
        assert ours == wk.add_working_days(START.date(), n)

    def test_workalendar_lacks_juneteenth(self) -> None:
        """The documented difference: 19 June 2026 is closed in ticketflow, open in workalendar."""
        usa = pytest.importorskip("workalendar.usa")
        juneteenth = date(2026, 6, 19)
        assert not _cases.office().is_business_day(juneteenth)
        assert usa.UnitedStates().is_working_day(juneteenth)


class TestBusinessHoursAgree:
    @pytest.mark.parametrize("n", _cases.BUSINESS_HOURS_N)
    def test_same_instant_as_businesstimedelta(self, n: int) -> None:
        """businesstimedelta answers the same instant, across the DST change."""
        pytest.importorskip("businesstimedelta")
        got = answers(_cases.business_hours_family(), f"N={n:,}")
        assert as_utc(got["businesstimedelta"]) == as_utc(got[BASELINE])

    @pytest.mark.parametrize("n", _cases.BUSINESS_HOURS_N)
    def test_same_instant_as_pandas(self, n: int) -> None:
        """pandas CustomBusinessHour answers the same instant when it is not a closing time."""
        pytest.importorskip("pandas")
        got = answers(_cases.business_hours_family(), f"N={n:,}")
        assert as_utc(got["pandas CustomBusinessHour"]) == as_utc(got[BASELINE])

    @pytest.mark.parametrize("hours", [1, 7, 8, 9, 16, 40, 41])
    def test_from_an_opening_against_both(self, hours: int) -> None:
        """businesstimedelta agrees exactly; pandas moves a closing time to the next opening."""
        businesstimedelta = pytest.importorskip("businesstimedelta")
        pd = pytest.importorskip("pandas")
        at = datetime(2026, 3, 2, 9, 0, tzinfo=NY)
        cal = _cases.office()
        hols = _cases.us_holidays()
        ours = cal.add(at, tf.business_hours(hours))
        theirs = at + businesstimedelta.BusinessTimeDelta(_cases._btd_rules(hols), hours=hours)
        assert as_utc(theirs) == as_utc(ours)
        offset = pd.offsets.CustomBusinessHour(n=hours, start="09:00", end="17:00", holidays=hols)
        at_closing = ours.hour == 17 and ours.minute == 0
        assert at_closing == (hours % 8 == 0)
        expected = cal.next_open(ours) if at_closing else ours
        assert as_utc(pd.Timestamp(at) + offset) == as_utc(expected)


class TestElapsedAgrees:
    def test_family_inputs(self) -> None:
        """All three measure 22 working days of 8 hours between the family's two instants."""
        got = answers(_cases.elapsed_family(), "30 days")
        assert got[BASELINE] == timedelta(hours=22 * 8)
        for impl, value in got.items():
            assert value == got[BASELINE], impl

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            (datetime(2026, 3, 6, 16, 0), datetime(2026, 3, 9, 10, 0)),  # over a weekend
            (datetime(2026, 3, 7, 12, 0), datetime(2026, 3, 8, 12, 0)),  # weekend only
            (datetime(2026, 11, 25, 8, 0), datetime(2026, 11, 30, 18, 0)),  # Thanksgiving
            (datetime(2026, 6, 18, 12, 30), datetime(2026, 6, 22, 9, 15)),  # Juneteenth
            (datetime(2026, 10, 30, 9, 0), datetime(2026, 11, 3, 17, 0)),  # DST ends
            (datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 2, 11, 0)),  # same day
        ],
    )
    def test_numpy_and_businesstimedelta_agree(self, a: datetime, b: datetime) -> None:
        """numpy busday_count plus partial days, and businesstimedelta, equal cal.elapsed."""
        np = pytest.importorskip("numpy")
        a, b = a.replace(tzinfo=NY), b.replace(tzinfo=NY)
        hols = _cases.us_holidays()
        ours = _cases.office().elapsed(a, b)
        bdc = np.busdaycalendar(weekmask="1111100", holidays=hols)
        assert _cases.numpy_elapsed(a, b, bdc) == ours
        pytest.importorskip("businesstimedelta")
        assert _cases._btd_rules(hols).difference(a, b).timedelta == ours
