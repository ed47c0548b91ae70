"""The ``help-center`` preset follows its article (seed 004) rule by rule."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests import helpers
from ticketflow import presets

MAD = ZoneInfo("Europe/Madrid")


def mad(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Madrid."""
    return datetime(year, month, day, hour, minute, tzinfo=MAD)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.help_center()


#: ``walk(wf, *pairs)``: a ticket started on Mon 30 Nov 2026 09:00, moved by pairs an hour apart.
walk = partial(helpers.walk, start=mad(2026, 11, 30, 9), id="HC-1")


AWAITING = (("reply", "agent"),)
IT = (("escalate_it", "agent"),)
CLOSED = (("close", "customer"),)


def resolved(wf: tf.Workflow) -> tf.Ticket:
    """A ticket auto-resolved on Mon 7 Dec 2026 at 10:00 (replied to Mon 30 Nov 10:00)."""
    t = walk(wf, *AWAITING)
    return wf.advance(t, now=mad(2026, 12, 9, 10)).ticket


class TestDefinition:
    def test_statuses_categories_and_labels(self, wf: tf.Workflow) -> None:
        """'Its status: Open, Awaiting your reply, IT working, Resolved or Closed.'"""
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("open", "open", "Open", True, False),
            ("awaiting_reply", "pending", "Awaiting your reply", False, False),
            ("it_working", "on_hold", "IT working", False, False),
            ("resolved", "solved", "Resolved", False, False),
            ("closed", "closed", "Closed", False, False),
        ]

    def test_open_or_pending_filter(self, wf: tf.Workflow) -> None:
        """'Open or pending. Here you will find the "Awaiting your reply" and "IT working"
        tickets.'
        """
        assert wf.statuses_in("open", "pending", "on_hold") == (
            "open",
            "awaiting_reply",
            "it_working",
        )

    def test_resolved_or_closed_filter(self, wf: tf.Workflow) -> None:
        """'Resolved or closed. Here you will find the "Solved" tickets.'"""
        assert wf.statuses_in("solved", "closed") == ("resolved", "closed")

    def test_calendar_is_madrid_weekdays_with_national_holidays(self, wf: tf.Workflow) -> None:
        """'five working days': Monday-Friday 09:00-18:00 in Madrid without Spain's national
        holidays.
        """
        cal = wf.calendar
        assert isinstance(cal, tf.BusinessCalendar)
        assert cal.timezone == "Europe/Madrid"
        assert cal.hours["mon"] == (("09:00", "18:00"),)
        assert "sat" not in cal.hours
        assert not cal.is_business_day(datetime(2026, 12, 8).date())
        assert cal.is_business_day(datetime(2026, 12, 7).date())


class TestManualMoves:
    @pytest.mark.parametrize("path", [(), IT], ids=["open", "it_working"])
    def test_agent_reply_awaits_the_customer(
        self, wf: tf.Workflow, path: tuple[tuple[str, str], ...]
    ) -> None:
        """'Awaiting your reply: Our team has contacted you offering a solution or requesting
        more information.'
        """
        t = walk(wf, *path)
        out = wf.apply(t, "reply", at=mad(2026, 12, 2, 11), actor="agent")
        assert out.ticket.status == "awaiting_reply"

    @pytest.mark.parametrize("path", [(), AWAITING], ids=["open", "awaiting_reply"])
    def test_escalation_to_it(self, wf: tf.Workflow, path: tuple[tuple[str, str], ...]) -> None:
        """'IT working: Your request needs the intervention of our IT team.'"""
        t = walk(wf, *path)
        out = wf.apply(t, "escalate_it", at=mad(2026, 12, 2, 11), actor="agent")
        assert (out.ticket.status, out.ticket.next_deadline) == ("it_working", None)

    @pytest.mark.parametrize("path", [AWAITING, CLOSED], ids=["awaiting_reply", "closed"])
    def test_customer_reply_reopens(
        self, wf: tf.Workflow, path: tuple[tuple[str, str], ...]
    ) -> None:
        """'If you want to reopen the request, please write to us again.'"""
        t = walk(wf, *path)
        out = wf.apply(t, "customer_reply", at=mad(2026, 12, 2, 11), actor="customer")
        assert (out.ticket.status, out.ticket.next_deadline) == ("open", None)

    def test_customer_reply_reopens_a_resolved_ticket(self, wf: tf.Workflow) -> None:
        """'You can reopen the ticket at any time, simply reply to the email received.'"""
        t = resolved(wf)
        out = wf.apply(t, "customer_reply", at=mad(2026, 12, 10, 9), actor="customer")
        assert out.steps == (
            tf.Step("customer_reply", "resolved", "open", mad(2026, 12, 10, 9), "customer"),
        )

    @pytest.mark.parametrize("path", [(), IT], ids=["open", "it_working"])
    def test_customer_reply_keeps_a_ticket_being_worked_on(
        self, wf: tf.Workflow, path: tuple[tuple[str, str], ...]
    ) -> None:
        """'Open: Our team is working on your request.' A reply there changes nothing but the
        ticket's history.
        """
        t = walk(wf, *path)
        out = wf.apply(t, "customer_reply", at=mad(2026, 12, 2, 11), actor="customer")
        assert (out.ticket.status, out.ticket.status_since) == (t.status, t.status_since)

    @pytest.mark.parametrize("actor", ["customer", "agent"])
    @pytest.mark.parametrize("path", [(), AWAITING, IT], ids=["open", "awaiting", "it_working"])
    def test_close_offers_a_survey(
        self, wf: tf.Workflow, path: tuple[tuple[str, str], ...], actor: str
    ) -> None:
        """'Mark ticket as closed ... If the ticket is closed, you will be able to answer a
        satisfaction survey.'
        """
        t = walk(wf, *path)
        out = wf.apply(t, "close", at=mad(2026, 12, 2, 11), actor=actor)
        assert out.ticket.status == "closed"
        assert out.effects == (tf.Effect("survey", "close", mad(2026, 12, 2, 11), None),)

    def test_close_a_resolved_ticket(self, wf: tf.Workflow) -> None:
        """A resolved ticket may be marked as closed too, with its survey."""
        out = wf.apply(resolved(wf), "close", at=mad(2026, 12, 10, 9), actor="customer")
        assert [e.kind for e in out.effects] == ["survey"]

    def test_a_closed_ticket_is_not_closed_again(self, wf: tf.Workflow) -> None:
        """'Mark ticket as closed' applies to tickets that are not closed."""
        with pytest.raises(tf.TransitionError):
            wf.apply(walk(wf, *CLOSED), "close", at=mad(2026, 12, 2, 11), actor="agent")

    def test_add_people_keeps_status_and_timers(self, wf: tf.Workflow) -> None:
        """'Add people to conversation. If you want someone from your organization to have
        access to the ticket.'
        """
        t = walk(wf, *AWAITING)
        out = wf.apply(t, "add_people", at=mad(2026, 12, 2, 11), actor="customer")
        assert (out.ticket.status, out.ticket.agenda) == ("awaiting_reply", t.agenda)


class TestTimers:
    def test_auto_resolve_after_five_working_days_skips_the_holiday(self, wf: tf.Workflow) -> None:
        """'A ticket automatically switches from "Awaiting your reply" to "Resolved" in five
        working days': Wed 2 Dec 11:00 resolves Thu 10 Dec 11:00, skipping 8 Dec.
        """
        t = walk(wf, start=mad(2026, 12, 2, 10))
        t = wf.apply(t, "reply", at=mad(2026, 12, 2, 11), actor="agent").ticket
        assert wf.next_deadline(t) == mad(2026, 12, 10, 11)
        out = wf.advance(t, now=mad(2026, 12, 10, 11))
        assert out.steps == (
            tf.Step("auto_resolve", "awaiting_reply", "resolved", mad(2026, 12, 10, 11), "system"),
        )

    def test_auto_resolve_sends_the_resolved_email(self, wf: tf.Workflow) -> None:
        """'We will send you an email telling you that the ticket has been resolved.'"""
        t = walk(wf, start=mad(2026, 12, 2, 10))
        t = wf.apply(t, "reply", at=mad(2026, 12, 2, 11), actor="agent").ticket
        out = wf.advance(t, now=mad(2026, 12, 10, 12))
        assert out.effects == (tf.Effect("notify", "auto_resolve", mad(2026, 12, 10, 11), None),)

    def test_auto_close_after_three_working_days_skips_christmas(self, wf: tf.Workflow) -> None:
        """'Within three working days, a ticket in "Resolved" status automatically changes to
        "Closed"': resolved Tue 22 Dec 16:00 closes Mon 28 Dec 16:00.
        """
        t = walk(wf, start=mad(2026, 12, 15, 10))
        t = wf.apply(t, "reply", at=mad(2026, 12, 15, 16), actor="agent").ticket
        out = wf.advance(t, now=mad(2026, 12, 31, 9))
        assert [(s.event, s.target, s.at) for s in out.steps] == [
            ("auto_resolve", "resolved", mad(2026, 12, 22, 16)),
            ("auto_close", "closed", mad(2026, 12, 28, 16)),
        ]
        assert out.effects[-1] == tf.Effect("survey", "auto_close", mad(2026, 12, 28, 16), None)

    def test_a_reply_stops_the_auto_resolve(self, wf: tf.Workflow) -> None:
        """'...in five working days if we have not received a reply.'"""
        t = walk(wf, *AWAITING)
        out = wf.apply(t, "customer_reply", at=mad(2026, 12, 4, 9), actor="customer")
        assert out.ticket.next_deadline is None
        assert wf.advance(out.ticket, now=mad(2027, 1, 31, 9)).steps == ()

    def test_late_reply_lands_on_the_resolved_ticket(self, wf: tf.Workflow) -> None:
        """A reply written after the five working days reopens the ticket that was resolved
        meanwhile.
        """
        t = walk(wf, start=mad(2026, 12, 2, 10))
        t = wf.apply(t, "reply", at=mad(2026, 12, 2, 11), actor="agent").ticket
        out = wf.apply(t, "customer_reply", at=mad(2026, 12, 11, 9), actor="customer")
        assert [(s.event, s.source, s.target) for s in out.steps] == [
            ("auto_resolve", "awaiting_reply", "resolved"),
            ("customer_reply", "resolved", "open"),
        ]
        assert [e.kind for e in out.effects] == ["notify"]

    def test_a_region_adds_its_holidays(self) -> None:
        """A calendar for the Community of Madrid also skips Mon 7 Dec 2026, so Wed 2 Dec
        resolves Fri 11 Dec.
        """
        wf = presets.help_center(subdiv="MD")
        t = walk(wf, start=mad(2026, 12, 2, 10))
        t = wf.apply(t, "reply", at=mad(2026, 12, 2, 11), actor="agent").ticket
        assert wf.next_deadline(t) == mad(2026, 12, 11, 11)

    def test_calendar_override(self) -> None:
        """calendar= replaces the Madrid calendar (here: every weekday is a working day)."""
        cal = tf.BusinessCalendar(timezone="Europe/Madrid", hours=tf.weekdays("09:00", "18:00"))
        wf = presets.help_center(calendar=cal)
        assert wf.calendar is cal
        t = walk(wf, start=mad(2026, 12, 2, 10))
        t = wf.apply(t, "reply", at=mad(2026, 12, 2, 11), actor="agent").ticket
        assert wf.next_deadline(t) == mad(2026, 12, 9, 11)
