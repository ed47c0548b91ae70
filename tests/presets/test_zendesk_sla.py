"""The ``zendesk-sla`` preset follows its policy rule by rule.

The calendar is Monday-Friday 09:00-17:00 in New York with US federal holidays.
Every instant below is worked out by hand from it and from these 2026 dates:
Friday 30 October is EDT (UTC-4); on Sunday 1 November at 02:00 EDT the clocks
go back to 01:00 EST (UTC-5); Thursday 26 November is Thanksgiving and Friday
27 November an ordinary working day; 28-29 November is a weekend.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from ticketflow import presets

NY = ZoneInfo("America/New_York")
HOUR = timedelta(hours=1)


def ny(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in New York in 2026 (never one of the repeated 01:xx of 1 Nov)."""
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An instant written in UTC in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.zendesk_sla()


def start(wf: tf.Workflow, at: datetime, priority: str | None = "normal") -> tf.Ticket:
    attrs = {} if priority is None else {"priority": priority}
    return wf.start(at=at, id="ZD-1", attrs=attrs).ticket


def act(wf: tf.Workflow, t: tf.Ticket, event: str, at: datetime, actor: str) -> tf.Ticket:
    return wf.apply(t, event, at=at, actor=actor).ticket


def clocks(wf: tf.Workflow, t: tf.Ticket, now: datetime) -> dict[str, tuple[str, datetime | None]]:
    """SLA name -> (state, due_at) at ``now``; a clock not started is not listed."""
    return {c.name: (c.state, c.due_at) for c in wf.sla(t, now=now)}


def notices(
    out: tf.Outcome, name: str | None = None
) -> list[tuple[str, str | None, datetime, Any]]:
    """The warnings, breaches and escalations of ``out`` (of SLA ``name`` only, if given):
    (kind, SLA, instant in UTC, level)."""
    kinds = ("sla_warning", "sla_breach", "sla_escalation")
    return [
        (e.kind, e.name, e.at.astimezone(UTC), (e.data or {}).get("level"))
        for e in out.effects
        if e.kind in kinds and e.at is not None and (name is None or e.name == name)
    ]


class TestDefinition:
    def test_statuses_are_zendesks(self, wf: tf.Workflow) -> None:
        """New, Open, Pending, On-hold, Solved and Closed, in their categories."""
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("new", "new", "New", True, False),
            ("open", "open", "Open", False, False),
            ("pending", "pending", "Pending", False, False),
            ("on_hold", "on_hold", "On-hold", False, False),
            ("solved", "solved", "Solved", False, False),
            ("closed", "closed", "Closed", False, True),
        ]

    def test_the_calendar_skips_thanksgiving_but_not_the_day_after(self) -> None:
        """US federal holidays: Thursday 26 November 2026 is one, Friday 27 is not."""
        cal = presets.zendesk_sla().slas[1].calendar
        assert isinstance(cal, tf.BusinessCalendar)
        assert not cal.is_open(ny(11, 26, 12))
        assert cal.is_open(ny(11, 27, 12))

    def test_a_comment_reopens_a_waiting_or_solved_ticket(self, wf: tf.Workflow) -> None:
        """A requester's comment sends pending, on-hold and solved tickets back to open."""
        t = start(wf, ny(12, 1, 9))
        for event in ("request_info", "hold", "solve"):
            waiting = act(
                wf, act(wf, t, "agent_reply", ny(12, 1, 10), "agent"), event, ny(12, 1, 11), "agent"
            )
            back = act(wf, waiting, "customer_comment", ny(12, 1, 12), "customer")
            assert (waiting.status != "open", back.status) == (True, "open")


class TestFirstReply:
    def test_urgent_gets_one_calendar_hour_across_the_dst_change(self, wf: tf.Workflow) -> None:
        """Urgent: 1 real hour. Created Sunday 1 November at 01:30 EDT (05:30 UTC), on a
        weekend, the first reply is due an hour later: 06:30 UTC, which reads 01:30 EST."""
        t = wf.start(at=utc(11, 1, 5, 30), attrs={"priority": "urgent"}).ticket
        (clock,) = [c for c in wf.sla(t, now=t.created_at) if c.name == "first_reply"]
        assert clock.due_at is not None
        # compared in UTC: Python never finds a repeated wall-clock time equal to another zone's
        assert (clock.state, clock.due_at.astimezone(UTC)) == ("running", utc(11, 1, 6, 30))

    @pytest.mark.parametrize("priority", ["normal", "high", "low", None])
    def test_every_other_ticket_gets_eight_business_hours(
        self, wf: tf.Workflow, priority: str | None
    ) -> None:
        """Not urgent (or no priority): 8 business hours. Created the same Sunday 01:30 EDT,
        the clock waits for Monday 2 November 09:00 EST and is due at 17:00 EST."""
        t = wf.start(
            at=utc(11, 1, 5, 30), attrs={} if priority is None else {"priority": priority}
        ).ticket
        assert clocks(wf, t, t.created_at)["first_reply"] == ("running", ny(11, 2, 17))

    def test_an_agents_public_reply_meets_it_and_a_note_does_not(self, wf: tf.Workflow) -> None:
        """Friday 30 Oct 16:00 EDT + 8 business hours: 1 on Friday, 7 on Monday 2 Nov
        (EST): due Monday 16:00. A note at Monday 09:30 leaves it running; the reply at
        10:00 meets it with 1h + 1h = 2 business hours counted."""
        t = start(wf, ny(10, 30, 16))
        noted = act(wf, t, "internal_note", ny(11, 2, 9, 30), "agent")
        assert clocks(wf, noted, noted.updated_at)["first_reply"] == ("running", ny(11, 2, 16))
        replied = act(wf, noted, "agent_reply", ny(11, 2, 10), "agent")
        (first,) = [c for c in wf.sla(replied, now=replied.updated_at) if c.name == "first_reply"]
        assert (first.state, first.elapsed, replied.status) == ("met", 2 * HOUR, "open")


class TestNextReply:
    def test_not_started_before_the_first_reply(self, wf: tf.Workflow) -> None:
        """Created Friday 6 Nov 09:00; a comment at 09:30 starts no next-reply clock; the
        first reply at 10:00 is met; the comment at 15:00 starts it: 2 business hours on
        Friday and 2 on Monday 9 Nov put it due at Monday 11:00, across the weekend."""
        t = start(wf, ny(11, 6, 9))
        early = act(wf, t, "customer_comment", ny(11, 6, 9, 30), "customer")
        assert "next_reply" not in clocks(wf, early, early.updated_at)
        replied = act(wf, early, "agent_reply", ny(11, 6, 10), "agent")
        assert "next_reply" not in clocks(wf, replied, replied.updated_at)
        asked = act(wf, replied, "customer_comment", ny(11, 6, 15), "customer")
        assert clocks(wf, asked, asked.updated_at)["next_reply"] == ("running", ny(11, 9, 11))

    def test_a_late_first_reply_still_lets_it_start(self, wf: tf.Workflow) -> None:
        """First reply breached at Monday 9 Nov 17:00 (created 09:00), given Tuesday 10 at
        09:30; a comment at 10:00 starts next reply, due 4 business hours later, 14:00."""
        t = start(wf, ny(11, 9, 9))
        late = act(wf, t, "agent_reply", ny(11, 10, 9, 30), "agent")
        assert clocks(wf, late, late.updated_at)["first_reply"][0] == "breached"
        asked = act(wf, late, "customer_comment", ny(11, 10, 10), "customer")
        assert clocks(wf, asked, asked.updated_at)["next_reply"] == ("running", ny(11, 10, 14))

    def test_each_comment_after_a_reply_restarts_it_and_an_agent_reply_stops_it(
        self, wf: tf.Workflow
    ) -> None:
        """Friday 6 Nov: created 09:00, replied 10:00, comment 15:00 (due Monday 9 Nov
        11:00). A second comment at 16:00 does not move it; the reply on Monday at 10:00
        meets it with 2h Friday + 1h Monday = 3h. The comment at 13:00 starts a second
        cycle, due at 17:00; the reply at 14:00 meets it with 1h; the first cycle is kept."""
        t = start(wf, ny(11, 6, 9))
        t = act(wf, t, "agent_reply", ny(11, 6, 10), "agent")
        t = act(wf, t, "customer_comment", ny(11, 6, 15), "customer")
        again = act(wf, t, "customer_comment", ny(11, 6, 16), "customer")
        assert clocks(wf, again, again.updated_at)["next_reply"] == ("running", ny(11, 9, 11))
        met = act(wf, again, "agent_reply", ny(11, 9, 10), "agent")
        restarted = act(wf, met, "customer_comment", ny(11, 9, 13), "customer")
        assert clocks(wf, restarted, restarted.updated_at)["next_reply"] == (
            "running",
            ny(11, 9, 17),
        )
        done = act(wf, restarted, "agent_reply", ny(11, 9, 14), "agent")
        (clock,) = [c for c in wf.sla(done, now=done.updated_at) if c.name == "next_reply"]
        assert (clock.state, clock.elapsed) == ("met", HOUR)
        assert [(c.started_at, c.ended_at, c.state, c.elapsed) for c in clock.cycles] == [
            (ny(11, 6, 15), ny(11, 9, 10), "met", 3 * HOUR)
        ]


class TestRequesterWait:
    def test_paused_while_pending_or_on_hold(self, wf: tf.Workflow) -> None:
        """16 business hours from Friday 20 Nov 09:00. Pending at 13:00 (4h counted) until
        the comment on Monday 23 at 10:00: 12h left, due Tuesday 24 at 14:00. On hold on
        Tuesday at 11:00 (4 + 7 + 2 = 13h) until a comment on Wednesday 25 at 16:00: 3h
        left, 1 on Wednesday, none on Thanksgiving, 2 on Friday 27: due Friday 11:00; its
        warning 30 real minutes before, 10:30. Nothing fires while it is paused."""
        t = start(wf, ny(11, 20, 9))
        pending = act(wf, t, "request_info", ny(11, 20, 13), "agent")
        assert clocks(wf, pending, ny(11, 23, 9))["requester_wait"] == ("paused", None)
        back = act(wf, pending, "customer_comment", ny(11, 23, 10), "customer")
        assert clocks(wf, back, back.updated_at)["requester_wait"] == ("running", ny(11, 24, 14))
        held = act(wf, back, "hold", ny(11, 24, 11), "agent")
        assert notices(wf.advance(held, now=ny(11, 25, 15, 59)), "requester_wait") == []
        (clock,) = [c for c in wf.sla(held, now=ny(11, 25, 12)) if c.name == "requester_wait"]
        assert (clock.state, clock.elapsed) == ("paused", 13 * HOUR)
        resumed = act(wf, held, "customer_comment", ny(11, 25, 16), "customer")
        out = wf.advance(resumed, now=ny(11, 27, 11, 30))
        assert notices(out, "requester_wait") == [
            ("sla_warning", "requester_wait", utc(11, 27, 15, 30), 1),
            ("sla_breach", "requester_wait", utc(11, 27, 16), None),
        ]

    def test_solving_pauses_it_and_closing_stops_it(self, wf: tf.Workflow) -> None:
        """Solved Monday 30 Nov 10:00 after 1 business hour; the system closes the ticket
        four calendar days later, Friday 4 Dec 10:00, and the clock ends met."""
        t = start(wf, ny(11, 30, 9))
        solved = act(wf, t, "solve", ny(11, 30, 10), "agent")
        out = wf.advance(solved, now=ny(12, 7, 9))
        assert [(s.event, s.at, s.actor) for s in out.steps] == [("close", ny(12, 4, 10), "system")]
        (clock,) = [c for c in wf.sla(out.ticket, now=ny(12, 7, 9)) if c.name == "requester_wait"]
        assert (clock.state, clock.elapsed) == ("met", HOUR)


class TestWarnings:
    def test_thirty_real_minutes_before_each_breach(self, wf: tf.Workflow) -> None:
        """Real minutes, not business ones. Created Friday 30 Oct 09:15 EDT: first reply
        (8h: 7h45 on Friday, 15 min on Monday) is due Monday 2 Nov 09:15 EST, so its
        warning is at 08:45, before opening; requester wait (16h: 7h45 + 8h + 15 min) is
        due Tuesday 3 Nov 09:15, warned at 08:45. Each warning names its due time."""
        t = start(wf, ny(10, 30, 9, 15))
        out = wf.advance(t, now=ny(11, 3, 9, 20))
        warnings = [
            (e.name, e.at, dict(e.data or {})) for e in out.effects if e.kind == "sla_warning"
        ]
        assert warnings == [
            ("first_reply", ny(11, 2, 8, 45), {"level": 1, "due_at": ny(11, 2, 9, 15)}),
            ("requester_wait", ny(11, 3, 8, 45), {"level": 1, "due_at": ny(11, 3, 9, 15)}),
        ]

    def test_the_urgent_warning_is_thirty_minutes_before_the_hour(self, wf: tf.Workflow) -> None:
        """Created at 05:30 UTC on Sunday 1 Nov (01:30 EDT): warned at 06:00 UTC (01:00 EST,
        the second 01:00 of the night), breached at 06:30 UTC."""
        t = wf.start(at=utc(11, 1, 5, 30), attrs={"priority": "urgent"}).ticket
        out = wf.advance(t, now=utc(11, 1, 6, 45))
        assert notices(out, "first_reply") == [
            ("sla_warning", "first_reply", utc(11, 1, 6), 1),
            ("sla_breach", "first_reply", utc(11, 1, 6, 30), None),
        ]

    def test_a_reply_before_the_warning_cancels_it(self, wf: tf.Workflow) -> None:
        """Replied at Friday 30 Oct 10:00: the first-reply warning of Monday 08:45 never
        fires."""
        t = start(wf, ny(10, 30, 9, 15))
        replied = act(wf, t, "agent_reply", ny(10, 30, 10), "agent")
        assert notices(wf.advance(replied, now=ny(11, 2, 12)), "first_reply") == []


class TestEscalations:
    def test_two_levels_after_the_breach_in_business_hours_over_thanksgiving(
        self, wf: tf.Workflow
    ) -> None:
        """Created Wednesday 25 Nov 14:00: 3h on Wednesday, none on Thanksgiving, 5h on
        Friday 27: first reply due Friday 14:00. Escalation 1 one business hour later,
        15:00; escalation 2 four business hours later: 3h on Friday, the weekend, 1h on
        Monday 30: 10:00. The reply at Monday 11:00 ends it: nothing more follows."""
        t = start(wf, ny(11, 25, 14))
        out = wf.advance(t, now=ny(11, 30, 10, 30))
        assert notices(out, "first_reply") == [
            ("sla_warning", "first_reply", utc(11, 27, 18, 30), 1),
            ("sla_breach", "first_reply", utc(11, 27, 19), None),
            ("sla_escalation", "first_reply", utc(11, 27, 20), 1),
            ("sla_escalation", "first_reply", utc(11, 30, 15), 2),
        ]
        data = [dict(e.data or {}) for e in out.effects if e.kind == "sla_escalation"]
        assert [d["breached_at"] for d in data] == [ny(11, 27, 14)] * 2
        replied = act(wf, out.ticket, "agent_reply", ny(11, 30, 11), "agent")
        assert notices(wf.advance(replied, now=ny(12, 4, 17)), "first_reply") == []

    def test_urgent_escalations_are_real_hours(self, wf: tf.Workflow) -> None:
        """Urgent, created Saturday 28 Nov 10:00 EST (15:00 UTC): breach 16:00 UTC,
        escalations 1 and 4 real hours later, 17:00 and 20:00 UTC, on the weekend."""
        t = wf.start(at=utc(11, 28, 15), attrs={"priority": "urgent"}).ticket
        out = wf.advance(t, now=utc(11, 29, 0))
        assert [n for n in notices(out, "first_reply") if n[0] != "sla_warning"] == [
            ("sla_breach", "first_reply", utc(11, 28, 16), None),
            ("sla_escalation", "first_reply", utc(11, 28, 17), 1),
            ("sla_escalation", "first_reply", utc(11, 28, 20), 2),
        ]


class TestReport:
    def test_sla_report_counts_what_was_counted_by_hand(self, wf: tf.Workflow) -> None:
        """Five tickets created Monday 7 Dec 09:00, read at Tuesday 8 Dec 12:00.

        * A, normal: reply 10:00 (first met, 1h); comment 11:00, reply 14:00 (next met, 3h).
        * B, normal: reply Tuesday 10:00 (first breached at Monday 17:00; 8h + 1h = 9h).
        * C, urgent: reply 09:30 (met, 30 min); pending 10:00-11:00; next reply 11:00-12:00
          (met, 1h) and 13:00-13:30 (met, 30 min); solved 14:00 (wait paused, 1h + 3h).
        * D, urgent: no reply (breached at 10:00, 27 real hours counted at the reading).
        * E, normal: solved at 09:30 without a reply (first met, 30 min; wait paused, 30 min).

        first_reply: met A, C, E; breached B, D; elapsed 30m, 30m, 1h, 9h, 27h: median 1h;
        p90 (inclusive, 4 gaps): 9h + 0.6 x 18h = 19h48. next_reply: met 3h, 1h, 30m:
        median 1h, p90 1h + 0.8 x 2h = 2h36. requester_wait: running A, B, D (11h each),
        paused C and E.
        """
        now = ny(12, 8, 12)
        a = start(wf, ny(12, 7, 9))
        a = act(wf, a, "agent_reply", ny(12, 7, 10), "agent")
        a = act(wf, a, "customer_comment", ny(12, 7, 11), "customer")
        a = act(wf, a, "agent_reply", ny(12, 7, 14), "agent")
        b = act(wf, start(wf, ny(12, 7, 9)), "agent_reply", ny(12, 8, 10), "agent")
        c = start(wf, ny(12, 7, 9), "urgent")
        for event, at, actor in [
            ("agent_reply", ny(12, 7, 9, 30), "agent"),
            ("request_info", ny(12, 7, 10), "agent"),
            ("customer_comment", ny(12, 7, 11), "customer"),
            ("agent_reply", ny(12, 7, 12), "agent"),
            ("customer_comment", ny(12, 7, 13), "customer"),
            ("agent_reply", ny(12, 7, 13, 30), "agent"),
            ("solve", ny(12, 7, 14), "agent"),
        ]:
            c = act(wf, c, event, at, actor)
        d = start(wf, ny(12, 7, 9), "urgent")
        e = act(wf, start(wf, ny(12, 7, 9)), "solve", ny(12, 7, 9, 30), "agent")
        tickets = [wf.advance(t, now=now).ticket for t in (a, b, c, d, e)]
        report = tf.sla_report(wf, tickets, now=now)
        assert list(report) == ["first_reply", "next_reply", "requester_wait"]
        first, nxt, wait = report.values()
        assert (first.met, first.breached, first.running, first.paused) == (3, 2, 0, 0)
        assert (first.met_share, first.median, first.p90) == (
            0.6,
            HOUR,
            timedelta(hours=19, minutes=48),
        )
        assert (nxt.met, nxt.breached, nxt.running, nxt.paused) == (3, 0, 0, 0)
        assert (nxt.met_share, nxt.median, nxt.p90) == (1.0, HOUR, timedelta(hours=2, minutes=36))
        assert (wait.met, wait.breached, wait.running, wait.paused) == (0, 0, 3, 2)
        assert (wait.met_share, wait.median, wait.p90) == (None, None, None)
