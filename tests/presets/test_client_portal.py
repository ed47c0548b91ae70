"""The ``client-portal`` preset follows its article (seed 000) rule by rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests import helpers
from ticketflow import presets

LON = ZoneInfo("Europe/London")


def lon(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in London in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=LON)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.client_portal(timezone="Europe/London")


#: ``walk(wf, *pairs)``: a ticket started on Fri 27 Mar 2026 16:00, moved by pairs a day apart.
walk = partial(helpers.walk, start=lon(3, 27, 16), id="T-1", step=timedelta(days=1))


INFO = (("request_info", "agent"),)
PROGRESS = (("start_work", "agent"),)
CLOSED = (("close", "agent"),)
PATHS = {"open": (), "information_needed": INFO, "in_progress": PROGRESS, "closed": CLOSED}
LATER = lon(4, 10, 9)


class TestDefinition:
    def test_statuses_categories_and_labels(self, wf: tf.Workflow) -> None:
        """'You'll see one of the following statuses on the page.'"""
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("open", "new", "Open", True, False),
            ("information_needed", "pending", "Information needed", False, False),
            ("in_progress", "open", "In progress", False, False),
            ("closed", "closed", "Closed", False, True),
        ]

    def test_no_timers_no_slas(self, wf: tf.Workflow) -> None:
        """The article promises no response time and no automatic move."""
        assert (wf.timers, wf.slas) == ((), ())
        assert wf.next_deadline(walk(wf, *INFO)) is None

    def test_timezone_sets_the_zone_of_the_calendar(self, wf: tf.Workflow) -> None:
        """timezone= picks the zone the portal's dates are computed in."""
        assert isinstance(wf.calendar, tf.BusinessCalendar)
        assert wf.calendar.timezone == "Europe/London"
        assert presets.client_portal().calendar is tf.ALWAYS_OPEN


class TestMoves:
    def test_new_ticket_waits_to_be_processed(self, wf: tf.Workflow) -> None:
        """'Indicates that the ticket is waiting to be processed by a member of the support
        team.'
        """
        t = wf.start(at=lon(3, 27, 16)).ticket
        assert (t.status, wf.category(t.status)) == ("open", "new")

    @pytest.mark.parametrize("source", ["open", "in_progress"])
    def test_agent_requests_information(self, wf: tf.Workflow, source: str) -> None:
        """'Information needed: Indicates that we require additional information from you to
        proceed further.'
        """
        out = wf.apply(walk(wf, *PATHS[source]), "request_info", at=LATER, actor="agent")
        assert out.ticket.status == "information_needed"

    @pytest.mark.parametrize("source", ["open", "information_needed"])
    def test_agent_starts_work(self, wf: tf.Workflow, source: str) -> None:
        """'In progress: Indicates that an associate is working on your ticket.'"""
        out = wf.apply(walk(wf, *PATHS[source]), "start_work", at=LATER, actor="agent")
        assert out.ticket.status == "in_progress"

    def test_message_with_the_information_returns_to_the_queue(self, wf: tf.Workflow) -> None:
        """A message answering 'Information needed' puts the ticket back to be processed."""
        out = wf.apply(walk(wf, *INFO), "customer_message", at=LATER, actor="customer")
        assert out.steps == (
            tf.Step("customer_message", "information_needed", "open", LATER, "customer"),
        )

    @pytest.mark.parametrize("source", ["open", "in_progress"])
    def test_message_updates_last_updated_only(self, wf: tf.Workflow, source: str) -> None:
        """'Last Updated: Date indicating the last changes within the ticket, be it status
        change, new messages, new attachments.'
        """
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "customer_message", at=LATER, actor="customer")
        assert (out.ticket.status, out.ticket.status_since) == (source, t.status_since)
        assert (out.ticket.updated_at, out.ticket.version) == (LATER, t.version + 1)

    @pytest.mark.parametrize("actor", ["customer", "agent"])
    @pytest.mark.parametrize("source", ["open", "information_needed", "in_progress"])
    def test_attach_keeps_the_status(self, wf: tf.Workflow, source: str, actor: str) -> None:
        """'You can use this section to preview attachments or upload supporting documentation
        or files.'
        """
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "attach", at=LATER, actor=actor)
        assert (out.ticket.status, out.ticket.updated_at) == (source, LATER)

    @pytest.mark.parametrize("source", ["open", "information_needed", "in_progress"])
    def test_agent_closes(self, wf: tf.Workflow, source: str) -> None:
        """'Closed: Indicates that your ticket is closed.'"""
        out = wf.apply(walk(wf, *PATHS[source]), "close", at=LATER, actor="agent")
        assert out.ticket.status == "closed"

    def test_customer_does_not_close(self, wf: tf.Workflow) -> None:
        """The portal gives the customer no way to close a ticket."""
        with pytest.raises(tf.NotPermitted):
            wf.apply(walk(wf), "close", at=LATER, actor="customer")


class TestClosed:
    @pytest.mark.parametrize(
        "event", ["customer_message", "attach", "start_work", "request_info", "close"]
    )
    def test_closed_ticket_takes_nothing(self, wf: tf.Workflow, event: str) -> None:
        """'After a ticket is closed, you cannot reopen it or add new messages or attachments.'"""
        t = walk(wf, *CLOSED)
        before = t.to_dict()
        for actor in ("customer", "agent"):
            with pytest.raises(tf.TransitionError) as info:
                wf.apply(t, event, at=LATER, actor=actor)
            assert type(info.value) is tf.TransitionError
            assert info.value.allowed == ()
        assert t.to_dict() == before
        assert wf.allowed(t, actor="customer") == wf.allowed(t, actor="agent") == ()
