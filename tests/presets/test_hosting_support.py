"""The ``hosting-support`` preset follows its article (seed 001) rule by rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from ticketflow import presets

NY = ZoneInfo("America/New_York")
TARGET = tf.business_minutes(15)


def ny(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in New York in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=NY)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.hosting_support()


def clocks(wf: tf.Workflow, t: tf.Ticket, now: datetime) -> dict[str, tuple[str, datetime | None]]:
    """SLA name -> (state, due_at) at ``now``."""
    return {c.name: (c.state, c.due_at) for c in wf.sla(t, now=now)}


def start(wf: tf.Workflow, at: datetime, department: str | None = "billing") -> tf.Ticket:
    attrs = {"priority": "medium"} if department is None else {"department": department}
    return wf.start(at=at, id="HS-1", attrs=attrs).ticket


class TestDefinition:
    def test_statuses_and_categories(self, wf: tf.Workflow) -> None:
        """'You will see your ticket history with details such as department, priority, and
        status.'
        """
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("open", "new", "Open", True, False),
            ("answered", "pending", "Answered", False, False),
            ("customer_reply", "open", "Customer-Reply", False, False),
            ("closed", "closed", "Closed", False, True),
        ]


class TestMoves:
    def test_agent_reply_answers_an_open_ticket(self, wf: tf.Workflow) -> None:
        """'The support team responds to most tickets within 15 minutes.'"""
        t = start(wf, ny(11, 23, 10))
        out = wf.apply(t, "agent_reply", at=ny(11, 23, 10, 5), actor="agent")
        assert out.steps == (
            tf.Step("agent_reply", "open", "answered", ny(11, 23, 10, 5), "agent"),
        )

    def test_customer_reply_to_an_answer(self, wf: tf.Workflow) -> None:
        """'create replies (5)': the customer's reply to an answered ticket awaits the team."""
        t = start(wf, ny(11, 23, 10))
        t = wf.apply(t, "agent_reply", at=ny(11, 23, 10, 5), actor="agent").ticket
        out = wf.apply(t, "customer_reply", at=ny(11, 23, 11), actor="customer")
        assert out.ticket.status == "customer_reply"
        out = wf.apply(out.ticket, "agent_reply", at=ny(11, 23, 11, 5), actor="agent")
        assert out.ticket.status == "answered"

    def test_quick_reply_keeps_a_ticket_awaiting_the_team(self, wf: tf.Workflow) -> None:
        """'Making quick replies to tickets': a reply to an open ticket keeps it open."""
        t = start(wf, ny(11, 23, 10))
        out = wf.apply(t, "customer_reply", at=ny(11, 23, 10, 2), actor="customer")
        assert (out.ticket.status, out.ticket.status_since) == ("open", ny(11, 23, 10))

    @pytest.mark.parametrize("actor", ["customer", "agent"])
    def test_close(self, wf: tf.Workflow, actor: str) -> None:
        """'When viewing a ticket, you can close the ticket (1).'"""
        t = start(wf, ny(11, 23, 10))
        out = wf.apply(t, "close", at=ny(11, 23, 10, 1), actor=actor)
        assert (out.ticket.status, out.ticket.next_deadline) == ("closed", None)

    @pytest.mark.parametrize("event", ["add_recipient", "attach", "send_secure_data", "rate"])
    def test_ticket_actions_keep_the_status(self, wf: tf.Workflow, event: str) -> None:
        """'rate your experience (2), send secure data (3), add recipients (4) ... and attach
        files (6).'
        """
        t = start(wf, ny(11, 23, 10))
        out = wf.apply(t, event, at=ny(11, 23, 10, 1), actor="customer")
        assert (out.ticket.status, out.ticket.agenda) == ("open", t.agenda)

    def test_a_completed_ticket_can_be_rated(self, wf: tf.Workflow) -> None:
        """'To see completed tickets, click Support > Completed Tickets': rating still works
        there.
        """
        t = wf.apply(start(wf, ny(11, 23, 10)), "close", at=ny(11, 23, 11), actor="customer").ticket
        assert wf.apply(t, "rate", at=ny(11, 23, 12), actor="customer").ticket.status == "closed"
        with pytest.raises(tf.TransitionError):
            wf.apply(t, "attach", at=ny(11, 23, 12), actor="customer")


class TestSla:
    def test_support_answers_any_day_at_any_hour(self, wf: tf.Workflow) -> None:
        """'The support team responds to most tickets within 15 minutes on any day, at any hour.'"""
        t = start(wf, ny(11, 28, 23, 50), department="support")
        assert clocks(wf, t, ny(11, 28, 23, 50)) == {
            "first_response": ("running", ny(11, 29, 0, 5))
        }
        out = wf.advance(t, now=ny(11, 29, 0, 5))
        assert out.effects == (
            tf.Effect("sla_breach", "first_response", ny(11, 29, 0, 5), {"target": TARGET}),
        )

    def test_no_department_is_support(self, wf: tf.Workflow) -> None:
        """'If you are uncertain about the Department or Priority fields, use the default
        settings.'
        """
        t = start(wf, ny(11, 26, 12), department=None)
        assert wf.next_deadline(t) == ny(11, 26, 12, 15)

    @pytest.mark.parametrize("department", ["billing", "sales"])
    def test_business_hours_skip_the_weekend(self, wf: tf.Workflow, department: str) -> None:
        """'The billing and sales teams respond to most tickets within 15 minutes from 9 a.m.-5
        p.m. eastern time (ET), Monday-Friday.'
        """
        t = start(wf, ny(11, 20, 16, 50), department=department)
        assert wf.next_deadline(t) == ny(11, 23, 9, 5)

    def test_business_hours_skip_thanksgiving(self, wf: tf.Workflow) -> None:
        """'...excluding holidays': Wed 25 Nov 16:55 ET is due Fri 27 Nov 09:10, after
        Thanksgiving.
        """
        t = start(wf, ny(11, 25, 16, 55))
        assert clocks(wf, t, ny(11, 25, 17)) == {"first_response": ("running", ny(11, 27, 9, 10))}

    def test_business_hours_skip_observed_independence_day(self, wf: tf.Workflow) -> None:
        """'...excluding holidays': Thu 2 Jul 16:55 ET is due Mon 6 Jul 09:10, as Fri 3 Jul is
        the observed Fourth.
        """
        t = start(wf, ny(7, 2, 16, 55), department="sales")
        assert wf.next_deadline(t) == ny(7, 6, 9, 10)

    def test_first_agent_reply_meets_first_response(self, wf: tf.Workflow) -> None:
        """The first response is the first agent reply; it stops the clock for good."""
        t = start(wf, ny(11, 25, 16, 55))
        out = wf.apply(t, "agent_reply", at=ny(11, 27, 9, 5), actor="agent")
        (clock,) = wf.sla(out.ticket, now=ny(11, 30, 9))
        assert (clock.name, clock.state, clock.elapsed) == (
            "first_response",
            "met",
            timedelta(minutes=10),
        )
        assert out.ticket.next_deadline is None

    def test_next_response_runs_from_each_customer_reply(self, wf: tf.Workflow) -> None:
        """Each customer reply is answered within 15 minutes: Fri 27 Nov 16:50 ET is due Mon 30
        Nov 09:05.
        """
        t = start(wf, ny(11, 25, 16, 55))
        t = wf.apply(t, "agent_reply", at=ny(11, 27, 9, 5), actor="agent").ticket
        t = wf.apply(t, "customer_reply", at=ny(11, 27, 16, 50), actor="customer").ticket
        assert clocks(wf, t, ny(11, 27, 16, 50)) == {
            "first_response": ("met", None),
            "next_response": ("running", ny(11, 30, 9, 5)),
        }
        out = wf.apply(t, "agent_reply", at=ny(11, 30, 9, 30), actor="agent")
        assert [(e.kind, e.name, e.at) for e in out.effects] == [
            ("sla_breach", "next_response", ny(11, 30, 9, 5))
        ]
        assert clocks(wf, out.ticket, ny(11, 30, 10))["next_response"][0] == "breached"

    def test_a_second_reply_does_not_reset_next_response(self, wf: tf.Workflow) -> None:
        """A second customer message while one is unanswered keeps the first one's deadline."""
        t = start(wf, ny(11, 23, 10))
        t = wf.apply(t, "agent_reply", at=ny(11, 23, 10, 5), actor="agent").ticket
        t = wf.apply(t, "customer_reply", at=ny(11, 23, 11), actor="customer").ticket
        t = wf.apply(t, "customer_reply", at=ny(11, 23, 11, 10), actor="customer").ticket
        assert clocks(wf, t, ny(11, 23, 11, 10))["next_response"] == ("running", ny(11, 23, 11, 15))

    def test_next_response_starts_afresh_after_an_answer(self, wf: tf.Workflow) -> None:
        """Every new customer reply after an answer gets its own 15 minutes."""
        t = start(wf, ny(11, 23, 10), department="support")
        for at in (ny(11, 23, 10, 5), ny(11, 23, 12, 5)):
            t = wf.apply(t, "agent_reply", at=at, actor="agent").ticket
            t = wf.apply(t, "customer_reply", at=at + timedelta(hours=1), actor="customer").ticket
        assert clocks(wf, t, ny(11, 23, 13, 5))["next_response"] == ("running", ny(11, 23, 13, 20))

    def test_closing_stops_the_clocks(self, wf: tf.Workflow) -> None:
        """A closed ticket is completed: no SLA falls due on it."""
        t = start(wf, ny(11, 23, 10))
        out = wf.apply(t, "close", at=ny(11, 23, 10, 5), actor="customer")
        assert out.ticket.next_deadline is None
        assert wf.advance(out.ticket, now=ny(12, 1, 0)).effects == ()

    def test_calendar_override(self) -> None:
        """calendar= replaces the billing and sales hours (here: 08:00-20:00 without holidays)."""
        cal = tf.BusinessCalendar(timezone="America/New_York", hours=tf.weekdays("08:00", "20:00"))
        wf = presets.hosting_support(calendar=cal)
        t = start(wf, ny(11, 25, 19, 55))
        assert wf.next_deadline(t) == ny(11, 26, 8, 10)
