"""The ``service-desk`` preset follows its article (seed 003) rule by rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests import helpers
from ticketflow import presets

PAR = ZoneInfo("Europe/Paris")


def par(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Paris in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=PAR)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.service_desk(timezone="Europe/Paris")


#: ``walk(wf, *pairs)``: a ticket started on Mon 16 Mar 2026 09:00, moved by pairs an hour apart.
walk = partial(helpers.walk, start=par(3, 16, 9), id="SD-1")


PROCESSING = (("start_processing", "agent"),)
AWAITING = (*PROCESSING, ("request_info", "agent"))
RESOLVED = (*PROCESSING, ("resolve", "agent"))
CLOSED = (("close", "agent"),)
REOPENED = (*RESOLVED, ("customer_reply", "customer"))
PATHS = {
    "in_queue": (),
    "processing": PROCESSING,
    "awaiting_reply": AWAITING,
    "resolved": RESOLVED,
    "closed": CLOSED,
    "reopened": REOPENED,
}


class TestDefinition:
    def test_statuses_categories_and_labels(self, wf: tf.Workflow) -> None:
        """'Please note that on the right panel your ticket will be going through different
        possible statuses.'
        """
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("in_queue", "new", "In queue for Processing", True, False),
            ("processing", "open", "Being Processed", False, False),
            ("awaiting_reply", "pending", "Awaiting your Reply", False, False),
            ("resolved", "solved", "Resolved", False, False),
            ("closed", "closed", "Closed", False, False),
            ("reopened", "open", "Reopened", False, False),
        ]
        assert wf.status("reopened").description == "You have requested to reopen your ticket."


class TestManualMoves:
    @pytest.mark.parametrize("source", ["in_queue", "reopened"])
    def test_agent_starts_processing(self, wf: tf.Workflow, source: str) -> None:
        """'This ticket is being Processed: We are actively working on your ticket.'"""
        out = wf.apply(
            walk(wf, *PATHS[source]), "start_processing", at=par(3, 20, 9), actor="agent"
        )
        assert out.ticket.status == "processing"

    @pytest.mark.parametrize("source", ["processing", "reopened"])
    def test_agent_requests_info(self, wf: tf.Workflow, source: str) -> None:
        """'Awaiting your Reply: We need you to provide more information about your ticket.'"""
        out = wf.apply(walk(wf, *PATHS[source]), "request_info", at=par(3, 20, 9), actor="agent")
        assert out.ticket.status == "awaiting_reply"

    def test_reply_to_a_request_goes_back_to_processing(self, wf: tf.Workflow) -> None:
        """A reply to 'Awaiting your Reply' lets the team work on the ticket again."""
        out = wf.apply(walk(wf, *AWAITING), "customer_reply", at=par(3, 17, 9), actor="customer")
        assert (out.ticket.status, out.ticket.next_deadline) == ("processing", None)

    @pytest.mark.parametrize("source", ["resolved", "closed"])
    def test_reply_reopens_resolved_or_closed(self, wf: tf.Workflow, source: str) -> None:
        """'You can always reply again to your own ticket at any time of the process, even when
        our team considers it as resolved or closed. Our system will then automatically
        reopen it regardless.'
        """
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "customer_reply", at=par(3, 17, 9), actor="customer")
        assert out.steps == (
            tf.Step("customer_reply", source, "reopened", par(3, 17, 9), "customer"),
        )

    @pytest.mark.parametrize("source", ["in_queue", "processing", "reopened"])
    def test_reply_elsewhere_keeps_the_status(self, wf: tf.Workflow, source: str) -> None:
        """'You can always reply again to your own ticket at any time of the process.'"""
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "customer_reply", at=par(3, 17, 9), actor="customer")
        assert (out.ticket.status, out.ticket.status_since) == (source, t.status_since)

    @pytest.mark.parametrize("source", ["in_queue", "processing", "awaiting_reply", "reopened"])
    def test_resolve_displays_a_survey(self, wf: tf.Workflow, source: str) -> None:
        """'When we provide you with a resolution and your ticket is set to the status
        "resolved", a survey will be displayed.'
        """
        out = wf.apply(walk(wf, *PATHS[source]), "resolve", at=par(3, 20, 9), actor="agent")
        assert out.ticket.status == "resolved"
        assert out.effects == (tf.Effect("survey", "resolve", par(3, 20, 9), None),)

    @pytest.mark.parametrize("source", [s for s in PATHS if s != "closed"])
    def test_agent_closes_from_any_status_but_closed(self, wf: tf.Workflow, source: str) -> None:
        """'This ticket has been Closed: We are no longer handling this ticket.'"""
        out = wf.apply(walk(wf, *PATHS[source]), "close", at=par(3, 16, 15), actor="agent")
        assert (out.ticket.status, out.ticket.next_deadline) == ("closed", None)

    def test_closed_ticket_is_not_closed_again(self, wf: tf.Workflow) -> None:
        """A closed ticket accepts only the requester's reply."""
        t = walk(wf, *CLOSED)
        with pytest.raises(tf.TransitionError) as info:
            wf.apply(t, "close", at=par(3, 20, 9), actor="agent")
        assert info.value.allowed == ("customer_reply",)


class TestTimers:
    def test_resolved_closes_after_48_real_hours_across_dst(self, wf: tf.Workflow) -> None:
        """'Any ticket resolved will be automatically closed after 48h': resolved Sat 28 Mar
        10:00 CET closes Mon 30 Mar 11:00 CEST.
        """
        t = walk(wf, *PROCESSING, start=par(3, 28, 8))
        t = wf.apply(t, "resolve", at=par(3, 28, 10), actor="agent").ticket
        out = wf.advance(t, now=par(3, 31, 0))
        assert out.steps == (tf.Step("auto_close", "resolved", "closed", par(3, 30, 11), "system"),)
        assert out.steps[0].at.astimezone(UTC) - par(3, 28, 10).astimezone(UTC) == timedelta(
            hours=48
        )

    def test_awaiting_reply_closes_after_7_calendar_days_with_a_reminder(
        self, wf: tf.Workflow
    ) -> None:
        """'Any ticket awaiting for your reply for more than 7 days will be automatically closed
        after our system will have sent a brief reminder to your inbox.'
        """
        t = walk(wf, *PROCESSING, start=par(3, 25, 8))
        t = wf.apply(t, "request_info", at=par(3, 25, 10), actor="agent").ticket
        out = wf.advance(t, now=par(4, 2, 0))
        assert [(e.kind, e.name, e.at) for e in out.effects] == [
            ("reminder", "auto_close", par(3, 31, 10))
        ]
        assert out.steps == (
            tf.Step("auto_close", "awaiting_reply", "closed", par(4, 1, 10), "system"),
        )

    def test_seven_days_keep_the_wall_clock_across_dst(self, wf: tf.Workflow) -> None:
        """'for more than 7 days': 7 dates on at 10:00 is 167 real hours when DST starts on 29
        Mar.
        """
        t = walk(wf, *PROCESSING, start=par(3, 25, 8))
        t = wf.apply(t, "request_info", at=par(3, 25, 10), actor="agent").ticket
        due = next(d.at for d in t.agenda if d.kind == "timer")
        assert due.astimezone(UTC) - par(3, 25, 10).astimezone(UTC) == timedelta(hours=167)

    def test_default_timezone_counts_utc_days(self) -> None:
        """Without timezone= the 7 days are UTC dates: exactly 168 hours."""
        wf = presets.service_desk()
        t0 = datetime(2026, 3, 25, 9, tzinfo=UTC)
        t = walk(wf, *AWAITING, start=t0)
        assert next(d.at for d in t.agenda if d.kind == "timer") == t0 + timedelta(hours=2, days=7)

    def test_reply_after_the_reminder_keeps_the_ticket(self, wf: tf.Workflow) -> None:
        """A reply after the reminder but within the 7 days sends the ticket back to processing."""
        t = walk(wf, *PROCESSING, start=par(3, 25, 8))
        t = wf.apply(t, "request_info", at=par(3, 25, 10), actor="agent").ticket
        out = wf.apply(t, "customer_reply", at=par(3, 31, 18), actor="customer")
        assert [e.kind for e in out.effects] == ["reminder"]
        assert (out.ticket.status, out.ticket.next_deadline) == ("processing", None)

    def test_late_reply_reopens_the_auto_closed_ticket(self, wf: tf.Workflow) -> None:
        """A reply after the 48h lands on the closed ticket, which 'our system will then
        automatically reopen'.
        """
        t = walk(wf, *PROCESSING, start=par(3, 28, 8))
        t = wf.apply(t, "resolve", at=par(3, 28, 10), actor="agent").ticket
        out = wf.apply(t, "customer_reply", at=par(4, 1, 9), actor="customer")
        assert [(s.event, s.source, s.target, s.at) for s in out.steps] == [
            ("auto_close", "resolved", "closed", par(3, 30, 11)),
            ("customer_reply", "closed", "reopened", par(4, 1, 9)),
        ]
