"""Timers, reminders and catch-up, on real calendars with holidays and DST."""

from __future__ import annotations

import contextlib
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")


def madrid_calendar() -> tf.BusinessCalendar:
    return tf.BusinessCalendar(
        timezone="Europe/Madrid",
        hours=tf.weekdays("09:00", "18:00"),
        holidays=tf.country_holidays("ES"),
    )


def resolving_flow(
    *,
    wait: Any,
    close: Any,
    reminders: Any = (),
    remind_before: Any = (),
    calendar: Any = None,
    guard: Any = None,
) -> tf.Workflow:
    """open -> awaiting -(timer)-> resolved -(timer)-> closed, with a customer reply."""
    return tf.Workflow(
        name="resolving",
        statuses=[
            tf.Status("open", category="open", initial=True),
            tf.Status("awaiting", category="pending"),
            tf.Status("resolved", category="solved"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("reply", source="open", target="awaiting", roles={"agent"}),
            tf.Transition(
                "customer_reply",
                source=["awaiting", "resolved"],
                target="open",
                roles={"customer"},
            ),
            tf.Transition("note", source="*", target=None),
            tf.Transition("nudge", source="awaiting", target=None, restarts_timers=True),
            tf.Transition(
                "auto_resolve",
                source="awaiting",
                target="resolved",
                roles={"system"},
                effects=["notify"],
                guard=guard,
            ),
            tf.Transition(
                "auto_close",
                source="resolved",
                target="closed",
                roles={"system"},
                effects=["survey"],
            ),
        ],
        timers=[
            tf.Timer("awaiting", after=wait, event="auto_resolve", reminders=reminders),
            tf.Timer("resolved", after=close, event="auto_close", remind_before=remind_before),
        ],
        calendar=calendar,
    )


def awaiting_since(wf: tf.Workflow, when: datetime, **attrs: Any) -> tf.Ticket:
    t = wf.start(at=when, attrs=attrs).ticket
    return wf.apply(t, "reply", at=when, actor="agent").ticket


class TestBusinessDayChain:
    def test_five_then_three_business_days_across_a_spanish_holiday(self) -> None:
        """Auto-resolve 5 business days after Fri 4 Dec skips Tue 8 Dec; auto-close 3 more."""
        wf = resolving_flow(
            wait=tf.business_days(5), close=tf.business_days(3), calendar=madrid_calendar()
        )
        t = awaiting_since(wf, datetime(2026, 12, 4, 11, 0, tzinfo=MADRID))
        resolve_at = datetime(2026, 12, 14, 11, 0, tzinfo=MADRID)
        close_at = datetime(2026, 12, 17, 11, 0, tzinfo=MADRID)
        assert wf.next_deadline(t) == resolve_at
        out = wf.advance(t, now=datetime(2026, 12, 31, tzinfo=MADRID))
        assert [(s.event, s.at, s.actor) for s in out.steps] == [
            ("auto_resolve", resolve_at, "system"),
            ("auto_close", close_at, "system"),
        ]
        assert [(e.kind, e.name, e.at) for e in out.effects] == [
            ("notify", "auto_resolve", resolve_at),
            ("survey", "auto_close", close_at),
        ]
        assert out.ticket.status == "closed"
        assert out.ticket.version == t.version + 2
        assert out.ticket.updated_at == close_at
        assert out.ticket.next_deadline is None
        assert out.steps[0].at.tzinfo == MADRID

    def test_per_ticket_calendar_from_attrs(self) -> None:
        """A calendar callable picks Madrid for one department and 24/7 for another."""
        cal = madrid_calendar()

        def by_department(attrs: Any) -> tf.BusinessCalendar:
            return cal if attrs.get("department") == "billing" else tf.ALWAYS_OPEN

        wf = resolving_flow(
            wait=tf.business_days(1), close=tf.business_days(1), calendar=by_department
        )
        fri = datetime(2026, 12, 4, 11, 0, tzinfo=MADRID)
        billing = awaiting_since(wf, fri, department="billing")
        support = awaiting_since(wf, fri, department="support")
        assert billing.next_deadline == datetime(2026, 12, 7, 11, 0, tzinfo=MADRID)
        assert support.next_deadline == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


class TestCalendarDaysAcrossDst:
    def test_four_days_keep_wall_clock_across_madrid_fall_back(self) -> None:
        """days(4) from Fri 23 Oct 10:00 CEST ends Tue 27 Oct 10:00 CET, 97 real hours on."""
        wf = resolving_flow(
            wait=tf.days(4),
            close=tf.days(3),
            reminders=[tf.days(1), tf.days(2), tf.days(3)],
            remind_before=[tf.days(1)],
            calendar=tf.BusinessCalendar(timezone="Europe/Madrid"),
        )
        start = datetime(2026, 10, 23, 10, 0, tzinfo=MADRID)
        t = awaiting_since(wf, start)
        out = wf.advance(t, now=datetime(2026, 11, 5, tzinfo=UTC))
        local = [(e.kind, e.at.astimezone(MADRID).strftime("%m-%d %H:%M %Z")) for e in out.effects]  # type: ignore[union-attr]
        assert local == [
            ("reminder", "10-24 10:00 CEST"),
            ("reminder", "10-25 10:00 CET"),
            ("reminder", "10-26 10:00 CET"),
            ("notify", "10-27 10:00 CET"),
            ("reminder", "10-29 10:00 CET"),
            ("survey", "10-30 10:00 CET"),
        ]
        resolved_at = out.steps[0].at
        assert resolved_at.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=97)
        assert out.effects[0].data == {"status": "awaiting", "deadline": resolved_at}

    def test_one_day_is_23_hours_when_sydney_springs_forward(self) -> None:
        """days(1) from Sat 3 Oct 10:00 AEST is Sun 4 Oct 10:00 AEDT, 23 real hours."""
        wf = resolving_flow(
            wait=tf.days(1),
            close=tf.days(1),
            calendar=tf.BusinessCalendar(timezone="Australia/Sydney"),
        )
        start = datetime(2026, 10, 3, 10, 0, tzinfo=SYDNEY)
        deadline = awaiting_since(wf, start).next_deadline
        assert deadline is not None
        assert deadline.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
        assert deadline.astimezone(SYDNEY).hour == 10

    def test_absolute_hours_ignore_dst(self) -> None:
        """hours(48) across New York's fall back is 48 real hours: 11:00 EST, not 12:00."""
        wf = resolving_flow(
            wait=tf.hours(48),
            close=tf.hours(48),
            calendar=tf.BusinessCalendar(timezone="America/New_York"),
        )
        start = datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK)
        deadline = awaiting_since(wf, start).next_deadline
        assert deadline == datetime(2026, 11, 2, 11, 0, tzinfo=NEW_YORK)


class TestCatchUp:
    def test_reply_after_auto_resolve_lands_on_resolved_ticket(self) -> None:
        """A reply sent after the auto-resolve fell due finds the ticket resolved."""
        wf = resolving_flow(wait=tf.hours(96), close=tf.hours(72))
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        t = awaiting_since(wf, t0)
        out = wf.apply(t, "customer_reply", at=t0 + timedelta(hours=100), actor="customer")
        assert [(s.event, s.source, s.target, s.at) for s in out.steps] == [
            ("auto_resolve", "awaiting", "resolved", t0 + timedelta(hours=96)),
            ("customer_reply", "resolved", "open", t0 + timedelta(hours=100)),
        ]
        assert out.ticket.version == t.version + 2

    def test_event_rejected_after_catch_up_changes_nothing(self) -> None:
        """An event refused by the caught-up status raises and leaves the input alone."""
        wf = resolving_flow(wait=tf.hours(1), close=tf.hours(1))
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        t = awaiting_since(wf, t0)
        before = t.to_dict()
        with pytest.raises(tf.TransitionError) as info:
            wf.apply(t, "customer_reply", at=t0 + timedelta(hours=5), actor="customer")
        assert info.value.status == "closed"
        assert t.to_dict() == before

    def test_advance_twice_fires_nothing_the_second_time(self) -> None:
        """advance is idempotent for the same now."""
        wf = resolving_flow(wait=tf.hours(10), close=tf.hours(10), reminders=[tf.hours(5)])
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        first = wf.advance(awaiting_since(wf, t0), now=t0 + timedelta(hours=12))
        again = wf.advance(first.ticket, now=t0 + timedelta(hours=12))
        assert again.ticket == first.ticket
        assert again.steps == again.effects == ()  # type: ignore[comparison-overlap]
        assert [e.kind for e in first.effects] == ["reminder", "notify"]

    def test_due_exactly_now_fires(self) -> None:
        """Something due exactly at now fires."""
        wf = resolving_flow(wait=tf.hours(10), close=tf.hours(10))
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        out = wf.advance(awaiting_since(wf, t0), now=t0 + timedelta(hours=10))
        assert out.ticket.status == "resolved"

    def test_naive_now_raises(self) -> None:
        """advance with a naive now raises NaiveDatetimeError."""
        wf = resolving_flow(wait=tf.hours(10), close=tf.hours(10))
        t = wf.start(at=datetime(2026, 5, 1, tzinfo=UTC)).ticket
        with pytest.raises(tf.NaiveDatetimeError, match="now"):
            wf.advance(t, now=datetime(2026, 5, 2))


class TestRestarts:
    def test_re_entering_restarts_timers(self) -> None:
        """Leaving and re-entering a status arms its timers from the new entry."""
        wf = resolving_flow(wait=tf.hours(10), close=tf.hours(10), reminders=[tf.hours(5)])
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        t = awaiting_since(wf, t0)
        t = wf.apply(t, "customer_reply", at=t0 + timedelta(hours=6), actor="customer").ticket
        assert t.next_deadline is None
        t = wf.apply(t, "reply", at=t0 + timedelta(hours=7), actor="agent").ticket
        assert [(d.kind, d.at) for d in t.agenda] == [
            ("reminder", t0 + timedelta(hours=12)),
            ("timer", t0 + timedelta(hours=17)),
        ]

    def test_internal_transition_keeps_timers(self) -> None:
        """A plain internal event does not restart the status's timers."""
        wf = resolving_flow(wait=tf.hours(10), close=tf.hours(10))
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        t = wf.apply(awaiting_since(wf, t0), "note", at=t0 + timedelta(hours=3)).ticket
        assert t.next_deadline == t0 + timedelta(hours=10)
        assert t.timers_since == t0

    def test_restarts_timers_flag(self) -> None:
        """An internal event with restarts_timers=True re-arms them from its time."""
        wf = resolving_flow(wait=tf.hours(10), close=tf.hours(10))
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        t = wf.apply(awaiting_since(wf, t0), "nudge", at=t0 + timedelta(hours=3)).ticket
        assert t.next_deadline == t0 + timedelta(hours=13)
        assert t.status_since == t0

    def test_reminder_not_emitted_after_its_timer_fired(self) -> None:
        """A reminder that a business calendar pushes past the deadline is skipped."""
        wf = resolving_flow(
            wait=tf.days(1),
            close=tf.days(1),
            reminders=[tf.business_hours(8)],
            calendar=madrid_calendar(),
        )
        # Friday 17:00: 8 business hours end Monday 16:00, after the 1-day deadline.
        t = awaiting_since(wf, datetime(2026, 12, 4, 17, 0, tzinfo=MADRID))
        out = wf.advance(t, now=datetime(2026, 12, 20, tzinfo=MADRID))
        assert "reminder" not in [e.kind for e in out.effects]

    def test_timer_guard_rejecting_drops_the_timer(self) -> None:
        """A timer whose guard says no is spent; the ticket stays and version grows."""
        wf = resolving_flow(wait=tf.hours(1), close=tf.hours(1), guard=lambda t, c: False)
        t0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
        t = awaiting_since(wf, t0)
        out = wf.advance(t, now=t0 + timedelta(hours=2))
        assert out.ticket.status == "awaiting"
        assert out.ticket.version == t.version + 1
        assert out.ticket.next_deadline is None


@st.composite
def now_sequences(draw: st.DrawFn) -> list[int]:
    """Increasing offsets in minutes over three weeks."""
    steps = draw(st.lists(st.integers(min_value=0, max_value=3 * 24 * 60), max_size=12))
    out, total = [], 0
    for s in steps:
        total += s
        out.append(total)
    return out


class TestAdvanceProperties:
    @given(
        offsets=now_sequences(),
        start_minute=st.integers(min_value=0, max_value=14 * 24 * 60),
        wait=st.sampled_from([tf.business_days(2), tf.days(3), tf.hours(30), tf.business_hours(9)]),
        close=st.sampled_from([tf.business_days(1), tf.days(2), tf.hours(20)]),
    )
    def test_many_small_advances_equal_one(
        self, offsets: list[int], start_minute: int, wait: Any, close: Any
    ) -> None:
        """Advancing in small steps gives the same ticket and effects as one advance."""
        wf = resolving_flow(
            wait=wait,
            close=close,
            reminders=[tf.minutes(90)],
            remind_before=[tf.hours(2)],
            calendar=madrid_calendar(),
        )
        t0 = datetime(2026, 10, 20, tzinfo=MADRID) + timedelta(minutes=start_minute)
        t = awaiting_since(wf, t0)
        small, effects, previous = t, [], t0  # type: ignore[var-annotated]
        for off in offsets:
            now = t0 + timedelta(minutes=off)
            out = wf.advance(small, now=now)
            small = out.ticket
            effects.extend(out.effects)
            deadline = small.next_deadline
            assert deadline is None or deadline.astimezone(UTC) > now.astimezone(UTC)
            for e in out.effects:
                assert e.at is not None
                assert previous.astimezone(UTC) < e.at.astimezone(UTC) <= now.astimezone(UTC)
            previous = now
        end = t0 + timedelta(minutes=offsets[-1] if offsets else 0)
        once = wf.advance(t, now=end)
        assert once.ticket == small
        assert tuple(effects) == once.effects


class TestStepLimit:
    """One call fires at most max_steps due items, and the rest waits on the agenda."""

    def test_docs_example_prints_what_it_says(self) -> None:
        """The step-limit example in timers-and-slas.md prints its comment lines."""
        text = (Path(__file__).parent.parent / "docs" / "timers-and-slas.md").read_text("utf-8")
        match = re.search(r"## The agenda.*?```python\n(.*?)```", text, flags=re.S)
        assert match is not None
        code = match.group(1)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "timers-and-slas.md", "exec"), {})
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert buffer.getvalue().splitlines() == expected

    def test_reminders_and_breaches_count_as_steps(self) -> None:
        """A reminder due before its timer counts toward max_steps like the timer."""
        wf = tf.Workflow(
            name="remind",
            statuses=[
                tf.Status("a", initial=True),
                tf.Status("done", category="closed", terminal=True),
            ],
            transitions=[tf.Transition("close", source="a", target="done")],
            timers=[tf.Timer("a", after=tf.hours(2), event="close", reminders=[tf.hours(1)])],
        )
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        t = wf.start(at=t0).ticket
        with pytest.raises(tf.StepLimitError) as info:
            wf.advance(t, now=t0 + timedelta(hours=3), max_steps=1)
        partial = info.value.outcome
        assert isinstance(partial, tf.Outcome)
        assert [e.kind for e in partial.effects] == ["reminder"]
        assert partial.ticket.version == 2
        assert [d.kind for d in partial.ticket.agenda] == ["timer"]
        rest = wf.advance(partial.ticket, now=t0 + timedelta(hours=3), max_steps=1)
        assert rest.ticket.status == "done"
        assert rest.ticket == wf.advance(t, now=t0 + timedelta(hours=3)).ticket
