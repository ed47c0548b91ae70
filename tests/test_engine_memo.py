"""Remembered calendar answers and trusted constructors change no answer.

The engine keeps recent calendar answers and each ticket's calendar choice,
and builds its values without re-running the public constructors' checks.
These tests pin what must not change: the same answers as asking the
calendar directly (zones, DST folds), bounded memory, immutable snapshots
equal to the ones the public constructor builds.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

import ticketflow as tf
from ticketflow import _sla

NY = ZoneInfo("America/New_York")


def office() -> tf.BusinessCalendar:
    return tf.BusinessCalendar(
        timezone="America/New_York",
        hours=tf.weekdays("09:00", "17:00"),
        holidays=tf.country_holidays("US"),
    )


class TestRememberedCalendarAnswers:
    def test_same_instant_in_two_zones_keeps_each_answer(self) -> None:
        """An instant given in UTC and in New York time gets the calendar's own answers."""
        cal = office()
        ny = datetime(2026, 3, 6, 16, 0, tzinfo=NY)
        utc = ny.astimezone(UTC)
        for at in (ny, utc, ny, utc):
            for duration in (tf.business_days(3), tf.business_hours(2), tf.hours(5)):
                got = _sla.cal_add(cal, at, duration)
                want = cal.add(at, duration)
                assert (got, got.tzinfo, got.fold) == (want, want.tzinfo, want.fold)

    @pytest.mark.parametrize("fold", [0, 1])
    def test_fold_is_part_of_the_key(self, fold: int) -> None:
        """01:30 on the night DST ends, before and after the change, are two instants."""
        cal = tf.BusinessCalendar(timezone="America/New_York", hours=tf.weekdays("00:00", "24:00"))
        other = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=1 - fold)
        _sla.cal_add(cal, other, tf.hours(1))  # remember the other one first
        at = datetime(2026, 11, 1, 1, 30, tzinfo=NY, fold=fold)
        got = _sla.cal_add(cal, at, tf.hours(1))
        assert got.astimezone(UTC) == at.astimezone(UTC) + timedelta(hours=1)
        assert got.astimezone(UTC) == cal.add(at, tf.hours(1)).astimezone(UTC)

    def test_equal_durations_of_different_identity(self) -> None:
        """A duration is keyed by identity and checked on a hit: equal ones answer alike."""
        cal = office()
        at = datetime(2026, 3, 2, 10, 30, tzinfo=NY)
        first, second = tf.business_days(2), tf.business_days(2)
        assert _sla.cal_add(cal, at, first) == _sla.cal_add(cal, at, second)
        assert _sla.cal_subtract(cal, at, first) == cal.subtract(at, second)

    def test_memo_is_bounded(self) -> None:
        """However many distinct questions are asked, the memo holds at most MEMO_SIZE answers."""
        cal = tf.ALWAYS_OPEN
        at = datetime(2026, 1, 1, tzinfo=UTC)
        for i in range(_sla.MEMO_SIZE + 50):
            assert _sla.cal_add(cal, at + timedelta(seconds=i), tf.hours(1)) == at + timedelta(
                seconds=i, hours=1
            )
        assert 0 < len(_sla._MEMO) <= _sla.MEMO_SIZE


def flow(calendar: Any) -> tf.Workflow:
    return tf.Workflow(
        name="memo",
        statuses=[
            tf.Status("open", category="open", initial=True),
            tf.Status("waiting", category="pending"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("ask", source="open", target="waiting"),
            tf.Transition("reply", source="waiting", target="open"),
            tf.Transition("close", source="*", target="closed"),
        ],
        timers=[tf.Timer("waiting", after=tf.business_days(2), event="close")],
        slas=[tf.SLA("first_response", target=tf.business_hours(4))],
        calendar=calendar,
    )


class TestCalendarChoice:
    def test_chooser_runs_once_per_attrs_value(self) -> None:
        """A ticket's snapshots share their attrs, so its calendar is chosen once."""
        cal = office()
        seen: list[object] = []

        def choose(attrs: Any) -> tf.BusinessCalendar:
            seen.append(attrs.get("team"))
            return cal

        wf = flow(choose)
        at = datetime(2026, 3, 2, 10, 0, tzinfo=NY)
        t = wf.start(at=at, attrs={"team": "a"}).ticket
        for hour in range(11, 16):
            t = wf.apply(t, "ask", at=at.replace(hour=hour)).ticket
            t = wf.apply(t, "reply", at=at.replace(hour=hour, minute=30)).ticket
        assert seen == ["a"]
        wf.start(at=at, attrs={"team": "b"})
        assert seen == ["a", "b"]

    def test_chooser_answers_per_ticket(self) -> None:
        """Tickets with different attrs keep their own calendars."""
        cal = office()

        def choose(attrs: Any) -> tf.BusinessCalendar:
            return cal if attrs.get("team") == "office" else tf.ALWAYS_OPEN

        wf = flow(choose)
        fri = datetime(2026, 3, 6, 16, 0, tzinfo=NY)
        for team, due in (
            ("office", datetime(2026, 3, 10, 16, 0, tzinfo=NY)),
            ("always", datetime(2026, 3, 8, 21, 0, tzinfo=UTC)),
        ):
            t = wf.start(at=fri, attrs={"team": team}).ticket
            t = wf.apply(t, "ask", at=fri).ticket
            assert wf.next_deadline(t) == due


class TestTrustedSnapshots:
    def test_engine_snapshot_equals_the_public_constructor(self) -> None:
        """Field for field, an engine snapshot is the Ticket the public constructor builds."""
        wf = flow(office())
        at = datetime(2026, 3, 2, 10, 0, tzinfo=NY)
        t = wf.apply(wf.start(at=at, id="T-1").ticket, "ask", at=at + timedelta(hours=1)).ticket
        rebuilt = tf.Ticket(
            **{f.name: getattr(t, f.name) for f in attrs.fields(tf.Ticket) if f.init}
        )
        assert rebuilt == t
        assert hash(rebuilt) == hash(t)
        assert repr(rebuilt) == repr(t)
        assert tf.Ticket.from_dict(t.to_dict()) == t
        assert pickle.loads(pickle.dumps(t)) == t

    def test_engine_values_stay_frozen(self) -> None:
        """Snapshots, steps, outcomes and attrs built by the engine cannot be changed."""
        wf = flow(office())
        at = datetime(2026, 3, 2, 10, 0, tzinfo=NY)
        out = wf.apply(wf.start(at=at, attrs={"k": [1]}).ticket, "ask", at=at)
        for value, name in ((out.ticket, "status"), (out.steps[0], "event"), (out, "ticket")):
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(value, name, None)
        with pytest.raises(TypeError):
            out.ticket.attrs["k"] = 2  # type: ignore[index]

    def test_next_deadline_is_one_answer(self) -> None:
        """The stored field equals the workflow's answer; Outcome no longer has its own."""
        wf = flow(office())
        at = datetime(2026, 3, 2, 10, 0, tzinfo=NY)
        out = wf.apply(wf.start(at=at).ticket, "ask", at=at)
        assert out.ticket.next_deadline == wf.next_deadline(out.ticket) is not None
        assert not hasattr(out, "next_deadline")

    def test_advance_with_nothing_due_returns_the_snapshot(self) -> None:
        """Nothing due at ``now``: the same snapshot back, no steps, no effects."""
        wf = flow(office())
        at = datetime(2026, 3, 2, 10, 0, tzinfo=NY)
        t = wf.apply(wf.start(at=at).ticket, "ask", at=at).ticket
        for now in (at, at.astimezone(UTC), at + timedelta(hours=1)):
            out = wf.advance(t, now=now)
            assert (out.ticket, out.steps, out.effects) == (t, (), ())
            assert out.ticket is t
        assert wf.advance(t, now=at + timedelta(days=30)).ticket is not t
