"""The ``case-portal`` preset follows its article (seed 002) rule by rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests import helpers
from ticketflow import presets

AMS = ZoneInfo("Europe/Amsterdam")


def ams(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Amsterdam in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture(scope="module")
def wf() -> tf.Workflow:
    return presets.case_portal(timezone="Europe/Amsterdam")


#: ``walk(wf, *pairs)``: a ticket started at 19 Oct 09:00, moved by pairs an hour apart.
walk = partial(helpers.walk, start=ams(10, 19, 9), id="CASE-1")


ASSIGNED = (("assign", "agent"),)
PENDING_SUPPORT = (*ASSIGNED, ("customer_update", "customer"))
WAITING_CUSTOMER = (*ASSIGNED, ("request_info", "agent"))
WAITING_FOR = (*ASSIGNED, ("wait_for", "agent"))
RESOLVED = (*ASSIGNED, ("resolve", "agent"))
CLOSED = (("close", "customer"),)
PATHS = {
    "new": (),
    "assigned": ASSIGNED,
    "waiting_for_customer": WAITING_CUSTOMER,
    "waiting_for": WAITING_FOR,
    "pending_support": PENDING_SUPPORT,
    "resolved": RESOLVED,
    "closed": CLOSED,
}


class TestDefinition:
    def test_statuses_categories_and_labels(self, wf: tf.Workflow) -> None:
        """The status table lists New, Assigned, Waiting For Customer, Waiting For, Pending
        Support, Resolved and Closed.
        """
        got = [(s.name, s.category, s.label, s.initial, s.terminal) for s in wf.statuses]
        assert got == [
            ("new", "new", "New", True, False),
            ("assigned", "open", "Assigned", False, False),
            ("waiting_for_customer", "pending", "Waiting For Customer", False, False),
            ("waiting_for", "on_hold", "Waiting For", False, False),
            ("pending_support", "open", "Pending Support", False, False),
            ("resolved", "solved", "Resolved", False, False),
            ("closed", "closed", "Closed", False, True),
        ]

    def test_descriptions_are_the_articles_definitions(self, wf: tf.Workflow) -> None:
        """'New: The case has been created and is awaiting assignment.'"""
        assert wf.status("new").description == (
            "The case has been created and is awaiting assignment."
        )
        assert wf.status("waiting_for").description == (
            "The case is awaiting a response from the entity listed within the Sub Status."
        )

    def test_default_timezone_is_utc(self) -> None:
        """Without timezone= the preset counts calendar days in UTC."""
        wf = presets.case_portal()
        assert wf.calendar is tf.ALWAYS_OPEN
        t0 = datetime(2026, 10, 22, 10, tzinfo=UTC)
        ticket = walk(wf, *WAITING_CUSTOMER, start=t0 - timedelta(hours=2))
        assert wf.next_deadline(ticket) == t0 + timedelta(days=1)

    def test_calendar_override_is_used(self) -> None:
        """calendar= replaces the 24/7 calendar of the preset."""
        cal = tf.BusinessCalendar(timezone="Asia/Tokyo", hours=tf.weekdays("09:00", "17:00"))
        assert presets.case_portal(calendar=cal).calendar is cal


class TestManualMoves:
    def test_new_case_awaits_assignment(self, wf: tf.Workflow) -> None:
        """'New: The case has been created and is awaiting assignment.'"""
        out = wf.start(at=ams(10, 19, 9), id="CASE-1")
        assert out.ticket.status == "new"
        assert out.ticket.next_deadline is None

    def test_agent_assigns(self, wf: tf.Workflow) -> None:
        """'Assigned: The case is assigned to a Technical Customer Care Representative.'"""
        t = wf.start(at=ams(10, 19, 9)).ticket
        out = wf.apply(t, "assign", at=ams(10, 19, 10), actor="agent")
        assert out.steps == (tf.Step("assign", "new", "assigned", ams(10, 19, 10), "agent"),)
        with pytest.raises(tf.NotPermitted):
            wf.apply(t, "assign", at=ams(10, 19, 10), actor="customer")

    @pytest.mark.parametrize("source", ["assigned", "pending_support"])
    def test_agent_requests_info(self, wf: tf.Workflow, source: str) -> None:
        """'Waiting For Customer: The case has been updated and is awaiting a response from you.'"""
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "request_info", at=ams(10, 20, 9), actor="agent")
        assert out.ticket.status == "waiting_for_customer"

    @pytest.mark.parametrize("source", ["assigned", "pending_support"])
    def test_wait_for_names_the_entity_in_sub_status(self, wf: tf.Workflow, source: str) -> None:
        """'Waiting For: The case is awaiting a response from the entity listed within the Sub
        Status.'
        """
        t = walk(wf, *PATHS[source])
        out = wf.apply(
            t, "wait_for", at=ams(10, 20, 9), actor="agent", data={"entity": "Acme Payments"}
        )
        assert (out.ticket.status, out.ticket.sub_status) == ("waiting_for", "Acme Payments")

    def test_leaving_waiting_for_clears_the_sub_status(self, wf: tf.Workflow) -> None:
        """The Sub Status lists an entity only while the case waits for it."""
        t = walk(wf, *ASSIGNED)
        t = wf.apply(
            t, "wait_for", at=ams(10, 20, 9), actor="agent", data={"entity": "Bank"}
        ).ticket
        out = wf.apply(t, "customer_update", at=ams(10, 20, 10), actor="customer")
        assert (out.ticket.status, out.ticket.sub_status) == ("pending_support", None)

    @pytest.mark.parametrize(
        "source", ["assigned", "waiting_for_customer", "waiting_for", "resolved"]
    )
    def test_customer_update_goes_to_pending_support(self, wf: tf.Workflow, source: str) -> None:
        """'Pending Support: You have written an update in the case, and it has been sent to
        Technical Customer Care for review.'
        """
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "customer_update", at=ams(10, 20, 9), actor="customer")
        assert out.steps[-1] == tf.Step(
            "customer_update", source, "pending_support", ams(10, 20, 9), "customer"
        )

    @pytest.mark.parametrize("source", ["new", "pending_support"])
    def test_customer_update_keeps_new_and_pending_cases(
        self, wf: tf.Workflow, source: str
    ) -> None:
        """An update on a case already awaiting Technical Customer Care keeps its status."""
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "customer_update", at=ams(10, 20, 9), actor="customer")
        assert (out.ticket.status, out.ticket.status_since) == (source, t.status_since)
        assert out.ticket.version == t.version + 1

    @pytest.mark.parametrize(
        "source", ["assigned", "pending_support", "waiting_for_customer", "waiting_for"]
    )
    def test_agent_resolves(self, wf: tf.Workflow, source: str) -> None:
        """'Resolved: Your request has been addressed to the best extent possible.'"""
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "resolve", at=ams(10, 20, 9), actor="agent")
        assert out.ticket.status == "resolved"
        assert out.ticket.next_deadline == ams(10, 22, 9)

    @pytest.mark.parametrize("source", [s for s in PATHS if s != "closed"])
    def test_customer_closes_from_any_open_status(self, wf: tf.Workflow, source: str) -> None:
        """'If you no longer need assistance, click Close Case to close the case.'"""
        t = walk(wf, *PATHS[source])
        out = wf.apply(t, "close", at=ams(10, 20, 9), actor="customer")
        assert (out.ticket.status, out.ticket.next_deadline) == ("closed", None)

    def test_agents_do_not_close(self, wf: tf.Workflow) -> None:
        """Close Case is the customer's button; an agent resolves instead."""
        with pytest.raises(tf.NotPermitted):
            wf.apply(walk(wf, *ASSIGNED), "close", at=ams(10, 20, 9), actor="agent")

    def test_add_collaborator_keeps_status_and_timers(self, wf: tf.Workflow) -> None:
        """'The Case Collaborator feature allows you to provide users from outside your
        organization with visibility into your case(s).'
        """
        t = walk(wf, *WAITING_CUSTOMER)
        out = wf.apply(t, "add_collaborator", at=ams(10, 19, 15), actor="customer")
        assert out.ticket.status == "waiting_for_customer"
        assert out.ticket.agenda == t.agenda
        assert out.ticket.status_since == t.status_since


class TestTimers:
    def test_waiting_for_customer_reminds_daily_and_resolves_on_the_5th_day(
        self, wf: tf.Workflow
    ) -> None:
        """'The case remains in this status for 4 days, and reminders are sent out via email. On
        the 5th day, the ticket is marked as Resolved.'
        """
        t = walk(wf, *ASSIGNED, start=ams(10, 22, 8))
        t = wf.apply(t, "request_info", at=ams(10, 22, 10), actor="agent").ticket
        out = wf.advance(t, now=ams(10, 26, 12))
        reminders = [(e.kind, e.name, e.at) for e in out.effects]
        assert reminders == [
            ("reminder", "auto_resolve", ams(10, 23, 10)),
            ("reminder", "auto_resolve", ams(10, 24, 10)),
            ("reminder", "auto_resolve", ams(10, 25, 10)),
        ]
        assert out.steps == (
            tf.Step("auto_resolve", "waiting_for_customer", "resolved", ams(10, 26, 10), "system"),
        )

    def test_four_calendar_days_keep_the_wall_clock_across_dst(self, wf: tf.Workflow) -> None:
        """'remains in this status for 4 days': 10:00 on 22 Oct resolves at 10:00 on 26 Oct, 97
        real hours later (DST ends 25 Oct).
        """
        t = walk(wf, *ASSIGNED, start=ams(10, 22, 8))
        t = wf.apply(t, "request_info", at=ams(10, 22, 10), actor="agent").ticket
        due = next(d.at for d in t.agenda if d.kind == "timer")
        assert due == ams(10, 26, 10)
        assert due.astimezone(UTC) - ams(10, 22, 10).astimezone(UTC) == timedelta(hours=97)

    def test_resolved_case_reminds_a_day_before_closing_after_3_days(self, wf: tf.Workflow) -> None:
        """'The case will remain in this status for 3 days before it is automatically closed. An
        email reminder is sent before the case is closed.'
        """
        t = walk(wf, *ASSIGNED, start=ams(10, 22, 8))
        t = wf.apply(t, "resolve", at=ams(10, 23, 15), actor="agent").ticket
        out = wf.advance(t, now=ams(10, 27, 0))
        assert [(e.kind, e.name, e.at) for e in out.effects] == [
            ("reminder", "auto_close", ams(10, 25, 15))
        ]
        assert out.effects[0].data == {"status": "resolved", "deadline": ams(10, 26, 15)}
        assert out.steps == (
            tf.Step("auto_close", "resolved", "closed", ams(10, 26, 15), "system"),
        )

    def test_auto_close_counts_from_the_moment_auto_resolve_fired(self, wf: tf.Workflow) -> None:
        """The 3 resolved days start when the 5th day marked the case Resolved, whenever the
        caller looks.
        """
        t = walk(wf, *ASSIGNED, start=ams(10, 22, 8))
        t = wf.apply(t, "request_info", at=ams(10, 22, 10), actor="agent").ticket
        out = wf.advance(t, now=ams(11, 30, 0))
        assert [s.event for s in out.steps] == ["auto_resolve", "auto_close"]
        assert [s.at for s in out.steps] == [ams(10, 26, 10), ams(10, 29, 10)]
        assert out.ticket.status == "closed"

    def test_update_while_resolved_returns_to_pending_support(self, wf: tf.Workflow) -> None:
        """'If you share any updates during this time, the case returns to Pending Support so
        further assistance can be provided.'
        """
        t = walk(wf, *RESOLVED)
        out = wf.apply(t, "customer_update", at=ams(10, 21, 9), actor="customer")
        assert out.ticket.status == "pending_support"
        assert out.ticket.next_deadline is None

    def test_late_update_lands_on_the_auto_resolved_case(self, wf: tf.Workflow) -> None:
        """An update sent after the 5th day arrives on the Resolved case and returns it to
        Pending Support.
        """
        t = walk(wf, *ASSIGNED, start=ams(10, 22, 8))
        t = wf.apply(t, "request_info", at=ams(10, 22, 10), actor="agent").ticket
        out = wf.apply(t, "customer_update", at=ams(10, 27, 9), actor="customer")
        assert out.steps == (
            tf.Step("auto_resolve", "waiting_for_customer", "resolved", ams(10, 26, 10), "system"),
            tf.Step("customer_update", "resolved", "pending_support", ams(10, 27, 9), "customer"),
        )
        assert [e.kind for e in out.effects] == ["reminder"] * 3


class TestClosed:
    def test_update_on_a_closed_case_opens_a_follow_up(self, wf: tf.Workflow) -> None:
        """'If you share an update in this case, a new case will be automatically created.'"""
        t = walk(wf, *CLOSED)
        out = wf.apply(t, "customer_update", at=ams(11, 2, 9), actor="customer")
        assert (out.ticket.status, out.ticket.version) == ("closed", t.version + 1)
        (effect,) = out.effects
        assert (effect.kind, effect.name, effect.at) == (
            "follow_up",
            "customer_update",
            ams(11, 2, 9),
        )
        assert effect.data is not None
        child = effect.data["ticket"]
        assert effect.data["parent"] == "CASE-1"
        assert (child.status, child.created_at, child.id) == ("new", ams(11, 2, 9), None)
        assert child.attrs["follow_up_of"] == "CASE-1"

    @pytest.mark.parametrize(
        ("event", "actor"),
        [
            ("close", "customer"),
            ("assign", "agent"),
            ("resolve", "agent"),
            ("add_collaborator", "customer"),
        ],
    )
    def test_closed_case_is_no_longer_addressed(
        self, wf: tf.Workflow, event: str, actor: str
    ) -> None:
        """'Closed: This case is now closed and will no longer be addressed by our Technical
        Customer Care team.'
        """
        t = walk(wf, *CLOSED)
        with pytest.raises(tf.TransitionError) as info:
            wf.apply(t, event, at=ams(11, 2, 9), actor=actor)
        assert info.value.allowed == ("customer_update",)
        assert wf.allowed(t, actor="customer") == ("customer_update",)
