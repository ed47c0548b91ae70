"""The strategies of ticketflow.testing: argument checks, valid draws, shrinking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis.errors import InvalidArgument

import ticketflow as tf
from tests.bounds import examples
from tests.helpers import support_flow
from ticketflow.testing import (
    aware_datetimes,
    calendars,
    durations,
    event_streams,
    events,
    workflows,
)

FLOW = support_flow()
TICKET = FLOW.start(at=datetime(2026, 3, 2, 9, tzinfo=UTC)).ticket
FAST = settings(
    max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def minimal(strategy: Any) -> Any:
    """The value a strategy shrinks to (derandomized, so the same on every run)."""
    return find(strategy, lambda _: True, settings=settings(database=None, derandomize=True))


class TestArgumentChecks:
    @pytest.mark.parametrize(
        ("make", "argument"),
        [
            (lambda: aware_datetimes(min_value=datetime(2026, 1, 1, tzinfo=UTC)), "min_value"),
            (lambda: aware_datetimes(datetime(2027, 1, 1), datetime(2026, 1, 1)), "min_value"),
            (lambda: aware_datetimes(timezones=["Mars/Olympus"]), "timezones"),
            (lambda: durations(units=["fortnights"]), "units"),
            (lambda: durations(min_amount=5, max_amount=1), "min_amount"),
            (lambda: calendars(max_intervals=0), "max_intervals"),
            (lambda: calendars(min_date="2026-01-01"), "min_date"),  # type: ignore[arg-type]
            (lambda: workflows(max_statuses=0), "max_statuses"),
            (lambda: workflows(calendars=[tf.ALWAYS_OPEN]), "calendars"),  # type: ignore[arg-type]
            (lambda: events("support", TICKET), "workflow"),  # type: ignore[arg-type]
            (lambda: events(FLOW, {"status": "new"}), "ticket"),  # type: ignore[arg-type]
            (lambda: event_streams(FLOW, min_size=3, max_size=1), "min_size"),
            (lambda: event_streams(FLOW, max_gap=timedelta(0)), "max_gap"),
        ],
    )
    def test_bad_argument_raises_at_once_naming_it(self, make: Any, argument: str) -> None:
        """A bad argument raises InvalidArgument when the strategy is built, naming it."""
        with pytest.raises(InvalidArgument, match=argument):
            make()


class TestDraws:
    @FAST
    @given(aware_datetimes())
    def test_datetimes_are_aware(self, value: datetime) -> None:
        """Every drawn datetime has a UTC offset."""
        assert value.utcoffset() is not None

    @FAST
    @given(calendars())
    def test_calendars_have_working_time(self, cal: tf.BusinessCalendar) -> None:
        """Every drawn calendar opens within a fortnight of any instant in range."""
        start = datetime(2026, 6, 1, tzinfo=UTC)
        assert cal.next_open(start) >= start

    @FAST
    @given(durations(units=["business_hours"], max_amount=5))
    def test_durations_keep_to_their_units(self, d: tf.Duration) -> None:
        """Durations use only the units asked for, within the amounts asked for."""
        assert d.unit == "business_hours"
        assert 1 <= d.amount <= 5

    @FAST
    @given(workflows())
    def test_workflows_are_valid_with_a_reachable_initial_status(self, wf: tf.Workflow) -> None:
        """Generated workflows construct, start and name s0 as initial."""
        assert wf.initial == "s0"
        assert wf.start(at=datetime(2026, 1, 1, tzinfo=UTC)).ticket.status == "s0"

    @FAST
    @given(events(FLOW, TICKET))
    def test_events_come_at_or_after_the_last_change(self, ev: tf.Event) -> None:
        """A drawn event is never earlier than the ticket's last change."""
        assert ev.at >= TICKET.updated_at

    @FAST
    @given(event_streams(FLOW, valid_only=True))
    def test_valid_streams_replay(self, log: list[tf.Event]) -> None:
        """A valid-only stream starts with 'start' and replays without a rejection."""
        assert log[0].name == "start"
        assert len(FLOW.replay(log).steps) >= len(log)


class TestShrinking:
    def test_datetimes_shrink_to_utc(self) -> None:
        """The simplest aware datetime is in UTC."""
        assert minimal(aware_datetimes()).utcoffset() == timedelta(0)

    @pytest.mark.slow
    def test_calendars_shrink_to_office_hours_in_utc(self) -> None:
        """The simplest calendar is UTC, weekdays 09:00-17:00, no holidays or overrides."""
        cal = minimal(calendars())
        assert cal.timezone == "UTC"
        weekdays = ("mon", "tue", "wed", "thu", "fri")
        assert cal.hours == dict.fromkeys(weekdays, (("09:00", "17:00"),))
        assert not cal.holidays
        assert not cal.overrides
        assert not cal.is_business_day(date(2026, 3, 7))

    @pytest.mark.slow
    def test_workflows_shrink_to_two_statuses(self) -> None:
        """The simplest workflow has two statuses, one transition, no timers or SLAs."""
        wf = minimal(workflows())
        assert [s.name for s in wf.statuses] == ["s0", "s1"]
        assert len(wf.transitions) == 1
        assert (wf.timers, wf.slas, wf.calendar) == ((), (), None)

    @pytest.mark.slow
    def test_streams_shrink_to_start(self) -> None:
        """The simplest stream is just the start event."""
        assert [e.name for e in minimal(event_streams(FLOW))] == ["start"]

    def test_durations_shrink_to_one_minute(self) -> None:
        """The simplest duration is one minute."""
        assert minimal(durations()) == tf.minutes(1)
