"""SLA clocks: first match, pause and resume, stop, restart and breach, on business hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf

NY = ZoneInfo("America/New_York")


def ny_office() -> tf.BusinessCalendar:
    return tf.BusinessCalendar(
        timezone="America/New_York",
        hours=tf.weekdays("09:00", "17:00"),
        holidays=tf.country_holidays("US"),
    )


OFFICE = ny_office()


def replies_flow(slas: list[tf.SLA], calendar: Any = None) -> tf.Workflow:
    """open -> answered (pending) <-> customer_reply (open) -> closed."""
    return tf.Workflow(
        name="replies",
        statuses=[
            tf.Status("open", category="new", initial=True),
            tf.Status("answered", category="pending"),
            tf.Status("customer_reply", category="open"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition(
                "agent_reply",
                source=["open", "customer_reply"],
                target="answered",
                roles={"agent"},
            ),
            tf.Transition(
                "customer_reply", source="answered", target="customer_reply", roles={"customer"}
            ),
            tf.Transition(
                "customer_reply", source=["open", "customer_reply"], target=None, roles={"customer"}
            ),
            tf.Transition("close", source="*", target="closed", roles={"customer", "agent"}),
        ],
        slas=slas,
        calendar=calendar,
    )


FIRST = tf.SLA("first_response", target=tf.business_minutes(15), stop_on={"agent_reply"})
NEXT = tf.SLA(
    "next_response",
    target=tf.business_minutes(15),
    start_on="customer_reply",
    stop_on={"agent_reply"},
    restart_on={"customer_reply"},
)


def clock(wf: tf.Workflow, t: tf.Ticket, now: datetime, name: str) -> tf.SlaClock:
    (c,) = [c for c in wf.sla(t, now=now) if c.name == name]
    return c


class TestBusinessMinutes:
    def test_due_skips_the_night_and_thanksgiving(self) -> None:
        """15 business minutes from Wed 25 Nov 16:55 fall due Fri 27 Nov 09:10."""
        wf = replies_flow([FIRST], OFFICE)
        t = wf.start(at=datetime(2026, 11, 25, 16, 55, tzinfo=NY)).ticket
        due = datetime(2026, 11, 27, 9, 10, tzinfo=NY)
        assert t.next_deadline == due
        c = clock(wf, t, datetime(2026, 11, 26, 12, 0, tzinfo=NY), "first_response")
        assert (c.state, c.elapsed, c.remaining, c.due_at) == (
            "running",
            timedelta(minutes=5),
            timedelta(minutes=10),
            due,
        )

    def test_breach_is_emitted_once_exactly_at_due(self) -> None:
        """Reaching due_at exactly is a breach, emitted once."""
        wf = replies_flow([FIRST], OFFICE)
        t = wf.start(at=datetime(2026, 11, 25, 16, 55, tzinfo=NY)).ticket
        due = datetime(2026, 11, 27, 9, 10, tzinfo=NY)
        out = wf.advance(t, now=due)
        assert out.effects == (
            tf.Effect("sla_breach", "first_response", due, {"target": tf.business_minutes(15)}),
        )
        assert out.ticket.version == t.version + 1
        assert wf.advance(out.ticket, now=due + timedelta(hours=1)).effects == ()
        c = clock(wf, out.ticket, due, "first_response")
        assert (c.state, c.remaining, c.due_at) == ("breached", timedelta(0), due)

    def test_reply_before_due_meets_the_target(self) -> None:
        """An agent reply before the due instant stops the clock as met."""
        wf = replies_flow([FIRST], OFFICE)
        t = wf.start(at=datetime(2026, 11, 25, 16, 55, tzinfo=NY)).ticket
        t = wf.apply(
            t, "agent_reply", at=datetime(2026, 11, 27, 9, 5, tzinfo=NY), actor="agent"
        ).ticket
        later = datetime(2026, 12, 20, tzinfo=NY)
        c = clock(wf, t, later, "first_response")
        assert (c.state, c.elapsed, c.remaining, c.due_at) == (
            "met",
            timedelta(minutes=10),
            timedelta(minutes=5),
            None,
        )
        assert t.next_deadline is None

    def test_breached_clock_stays_breached_after_reply(self) -> None:
        """A reply after the breach stops the clock but it stays breached."""
        wf = replies_flow([FIRST], OFFICE)
        t = wf.start(at=datetime(2026, 11, 25, 16, 55, tzinfo=NY)).ticket
        t = wf.apply(
            t, "agent_reply", at=datetime(2026, 11, 27, 9, 30, tzinfo=NY), actor="agent"
        ).ticket
        c = clock(wf, t, datetime(2026, 11, 30, tzinfo=NY), "first_response")
        assert (c.state, c.elapsed) == ("breached", timedelta(minutes=35))


class TestPause:
    def test_pending_pauses_and_resume_recomputes_due(self) -> None:
        """A clock pauses in a pending status and resumes with the time left."""
        sla = tf.SLA("resolution", target=tf.business_hours(2), stop_on={"close"})
        wf = replies_flow([sla], OFFICE)
        t = wf.start(at=datetime(2026, 11, 30, 10, 0, tzinfo=NY)).ticket
        t = wf.apply(
            t, "agent_reply", at=datetime(2026, 11, 30, 10, 30, tzinfo=NY), actor="agent"
        ).ticket
        c = clock(wf, t, datetime(2026, 11, 30, 16, 0, tzinfo=NY), "resolution")
        assert (c.state, c.elapsed, c.due_at) == ("paused", timedelta(minutes=30), None)
        assert t.next_deadline is None
        t = wf.apply(
            t, "customer_reply", at=datetime(2026, 12, 1, 9, 0, tzinfo=NY), actor="customer"
        ).ticket
        assert t.next_deadline == datetime(2026, 12, 1, 10, 30, tzinfo=NY)
        c = clock(wf, t, datetime(2026, 12, 1, 10, 0, tzinfo=NY), "resolution")
        assert (c.state, c.elapsed, c.remaining) == (
            "running",
            timedelta(minutes=90),
            timedelta(minutes=30),
        )

    def test_absolute_target_counts_real_time_but_pauses(self) -> None:
        """An hours() target counts nights and weekends, yet still pauses when pending."""
        sla = tf.SLA("resolution", target=tf.hours(24), stop_on={"close"})
        wf = replies_flow([sla], OFFICE)
        t0 = datetime(2026, 11, 27, 18, 0, tzinfo=NY)
        t = wf.start(at=t0).ticket
        assert t.next_deadline == datetime(2026, 11, 28, 18, 0, tzinfo=NY)
        t = wf.apply(t, "agent_reply", at=t0 + timedelta(hours=4), actor="agent").ticket
        t = wf.apply(t, "customer_reply", at=t0 + timedelta(hours=10), actor="customer").ticket
        assert t.next_deadline == datetime(2026, 11, 29, 0, 0, tzinfo=NY)

    def test_absolute_target_counts_the_repeated_hour_of_fall_back(self) -> None:
        """Real time across New York's fall back counts 25 hours between the two noons."""
        sla = tf.SLA("resolution", target=tf.hours(30), stop_on={"close"})
        wf = replies_flow([sla], OFFICE)
        t = wf.start(at=datetime(2026, 10, 31, 12, 0, tzinfo=NY)).ticket
        assert t.next_deadline == datetime(2026, 11, 1, 17, 0, tzinfo=NY)
        t = wf.apply(
            t, "agent_reply", at=datetime(2026, 11, 1, 12, 0, tzinfo=NY), actor="agent"
        ).ticket
        c = clock(wf, t, datetime(2026, 11, 2, tzinfo=NY), "resolution")
        assert (c.state, c.elapsed, c.remaining) == (
            "paused",
            timedelta(hours=25),
            timedelta(hours=5),
        )

    def test_closing_stops_the_clock_for_good(self) -> None:
        """Closing a ticket stops a running clock as met."""
        sla = tf.SLA("resolution", target=tf.business_hours(2))
        wf = replies_flow([sla], OFFICE)
        t = wf.start(at=datetime(2026, 11, 30, 10, 0, tzinfo=NY)).ticket
        t = wf.apply(t, "close", at=datetime(2026, 11, 30, 11, 0, tzinfo=NY), actor="agent").ticket
        c = clock(wf, t, datetime(2026, 12, 30, tzinfo=NY), "resolution")
        assert (c.state, c.elapsed) == ("met", timedelta(hours=1))
        assert t.next_deadline is None


class TestNextReply:
    def test_start_on_clock_is_not_listed_until_started(self) -> None:
        """A clock whose start_on event has not happened is not listed."""
        wf = replies_flow([FIRST, NEXT], OFFICE)
        t = wf.start(at=datetime(2026, 11, 30, 10, 0, tzinfo=NY)).ticket
        assert [c.name for c in wf.sla(t, now=datetime(2026, 11, 30, 10, 1, tzinfo=NY))] == [
            "first_response"
        ]

    def test_second_message_does_not_reset_and_restart_after_met(self) -> None:
        """A second customer message keeps the clock; a message after the reply starts afresh."""
        wf = replies_flow([FIRST, NEXT], OFFICE)
        d = datetime(2026, 11, 30, 10, 0, tzinfo=NY)
        t = wf.start(at=d).ticket
        t = wf.apply(t, "agent_reply", at=d + timedelta(minutes=5), actor="agent").ticket
        t = wf.apply(t, "customer_reply", at=d + timedelta(minutes=60), actor="customer").ticket
        assert clock(wf, t, d + timedelta(minutes=61), "next_response").due_at == d + timedelta(
            minutes=75
        )
        t = wf.apply(t, "customer_reply", at=d + timedelta(minutes=70), actor="customer").ticket
        assert clock(wf, t, d + timedelta(minutes=71), "next_response").due_at == d + timedelta(
            minutes=75
        )
        t = wf.apply(t, "agent_reply", at=d + timedelta(minutes=74), actor="agent").ticket
        c = clock(wf, t, d + timedelta(minutes=80), "next_response")
        assert (c.state, c.elapsed) == ("met", timedelta(minutes=14))
        t = wf.apply(t, "customer_reply", at=d + timedelta(minutes=90), actor="customer").ticket
        c = clock(wf, t, d + timedelta(minutes=91), "next_response")
        assert (c.state, c.elapsed, c.due_at) == (
            "running",
            timedelta(minutes=1),
            d + timedelta(minutes=105),
        )


class TestFirstMatch:
    def test_first_matching_sla_applies_and_missing_attribute_falls_through(self) -> None:
        """Billing uses office hours; a ticket without a department uses the 24/7 SLA."""
        slas = [
            tf.SLA(
                "first_response",
                target=tf.business_minutes(15),
                stop_on={"agent_reply"},
                when={"department": {"billing", "sales"}},
                calendar=OFFICE,
            ),
            tf.SLA("first_response", target=tf.business_minutes(15), stop_on={"agent_reply"}),
        ]
        wf = replies_flow(slas)
        sat = datetime(2026, 11, 28, 10, 0, tzinfo=NY)
        billing = wf.start(at=sat, attrs={"department": "billing"}).ticket
        support = wf.start(at=sat).ticket
        assert billing.next_deadline == datetime(2026, 11, 30, 9, 15, tzinfo=NY)
        assert support.next_deadline == sat + timedelta(minutes=15)
        assert support.next_deadline.tzinfo == tf.ALWAYS_OPEN.tz  # type: ignore[union-attr, unused-ignore]
        assert len(wf.sla(support, now=sat)) == 1

    def test_sla_state_survives_a_snapshot(self) -> None:
        """A paused clock restored from to_dict resumes exactly."""
        sla = tf.SLA("resolution", target=tf.business_hours(2), stop_on={"close"})
        wf = replies_flow([sla], OFFICE)
        t = wf.start(at=datetime(2026, 11, 30, 10, 0, tzinfo=NY)).ticket
        t = wf.apply(
            t, "agent_reply", at=datetime(2026, 11, 30, 10, 30, 17, tzinfo=NY), actor="agent"
        ).ticket
        back = tf.Ticket.from_dict(t.to_dict())
        assert back == t
        at = datetime(2026, 12, 1, 9, 0, tzinfo=NY)
        a = wf.apply(t, "customer_reply", at=at, actor="customer").ticket
        b = wf.apply(back, "customer_reply", at=at, actor="customer").ticket
        assert a == b
        assert a.next_deadline == datetime(2026, 12, 1, 10, 29, 43, tzinfo=NY)

    def test_sla_before_last_change_raises(self) -> None:
        """Reading clocks at a time before the last change raises OutOfOrderError."""
        wf = replies_flow([FIRST], OFFICE)
        t = wf.start(at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC)).ticket
        with pytest.raises(tf.OutOfOrderError):
            wf.sla(t, now=datetime(2026, 11, 30, 9, 0, tzinfo=UTC))


class TestAddWorking:
    @given(
        start=st.datetimes(
            min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(NY)
        ),
        seconds=st.integers(min_value=0, max_value=200 * 3600),
        micros=st.integers(min_value=0, max_value=999_999),
    )
    def test_elapsed_inverts_add_working(self, start: datetime, seconds: int, micros: int) -> None:
        """Working time added to the microsecond is exactly the working time elapsed."""
        working = timedelta(seconds=seconds, microseconds=micros)
        end = OFFICE.add_working(start, working)
        assert OFFICE.elapsed(start, end) == working

    def test_bad_amount_raises(self) -> None:
        """A non-timedelta amount raises DurationError naming it."""
        with pytest.raises(tf.DurationError, match="'15'"):
            OFFICE.add_working(datetime(2026, 1, 5, tzinfo=NY), "15")  # type: ignore[arg-type]
