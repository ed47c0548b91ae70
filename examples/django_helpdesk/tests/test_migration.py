"""A changed workflow under live tickets: ticketflow.django migrates them lazily.

Tickets are resolved under the example's WORKFLOW (auto-close 3 business days
after resolve, a reminder 1 business day before), then the project deploys
FASTER (auto-close after 2 business days). Resolved Fri 4 Dec 2026 16:00 CET,
skipping Sat 5, Sun 6 and the Madrid holidays Mon 7 and Tue 8:

* WORKFLOW: reminder Thu 10 Dec, auto-close Fri 11 Dec, 16:00 CET (15:00 UTC);
* FASTER: reminder Wed 9 Dec (1), auto-close Thu 10 Dec (2), 16:00 CET (15:00 UTC).
"""

import threading

import attrs
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings
from flow.glue import TITLES
from flow.workflow import WORKFLOW
from helpdesk.models import FollowUp, Ticket

import ticketflow as tf
from ticketflow.django import store
from ticketflow.django.models import TicketState

from .base import agent_update, email_in, madrid, make_agent, make_queue, row, status, sweep, utc

FASTER = attrs.evolve(
    WORKFLOW,
    timers=[attrs.evolve(WORKFLOW.timers[0], after=tf.business_days(2))],
    version="faster",
)
DEPLOYED = override_settings(
    TICKETFLOW={
        "WORKFLOWS": [FASTER],
        "HANDLER": "flow.glue.on_change",
        "ADOPT": "flow.glue.adoptable",
    }
)


def _solved(name: str | None) -> str | None:
    return "solved" if name == "resolved" else name


RENAMED = attrs.evolve(
    WORKFLOW,
    statuses=[attrs.evolve(s, name=_solved(s.name)) for s in WORKFLOW.statuses],
    transitions=[
        attrs.evolve(t, source=tuple(map(_solved, t.source)), target=_solved(t.target))
        for t in WORKFLOW.transitions
    ],
    timers=[attrs.evolve(WORKFLOW.timers[0], status="solved")],
    version="renamed",
)


def resolved_on_friday() -> Ticket:
    """A ticket opened by e-mail Fri 4 Dec 09:30 CET and resolved at 16:00 CET (WORKFLOW)."""
    queue, agent = make_queue(), make_agent()
    ticket = email_in(queue, "Printer on fire", "Please help", madrid(4, 9, 30))
    agent_update(agent, ticket, madrid(4, 16), new_status=Ticket.RESOLVED_STATUS)
    assert row(ticket).workflow_version == WORKFLOW.version != FASTER.version
    assert row(ticket).next_deadline == utc(10, 15)  # WORKFLOW's reminder
    return ticket


def follow_ups(ticket: Ticket, kind: str) -> list[object]:
    found = FollowUp.objects.filter(ticket_id=ticket.pk, title=TITLES[kind])
    return [f.date for f in found.order_by("date")]


class TestLazyMigration(TestCase):
    def test_get_migrates_from_the_last_change(self) -> None:
        """Without ``at``: FASTER counts from the resolve, Fri 4 Dec 16:00 CET."""
        ticket = resolved_on_friday()
        before = row(ticket).version
        with DEPLOYED:
            got = store.get(str(ticket.pk))
            assert (got.workflow_version, got.version) == ("faster", before + 1)
            assert row(ticket).workflow_version == "faster"
            assert row(ticket).next_deadline == utc(9, 15)  # FASTER's reminder
            # Wed 9 Dec 16:00 CET: the reminder; Thu 10 Dec 16:00 CET: closed.
            assert sweep(madrid(9, 16)).startswith("advanced 1 ticket(s)")
            assert follow_ups(ticket, "reminder") == [utc(9, 15)]
            assert sweep(madrid(10, 16)).startswith("advanced 1 ticket(s)")
        assert status(ticket) == Ticket.CLOSED_STATUS
        assert follow_ups(ticket, "auto_closed") == [utc(10, 15)]

    def test_sweep_migrates_at_now_and_sends_no_reminder_late(self) -> None:
        """The row is due at WORKFLOW's reminder (Thu 10 Dec 16:00 CET); FASTER closes then."""
        ticket = resolved_on_friday()
        with DEPLOYED:
            assert sweep(madrid(10, 15, 59, 59)).startswith("advanced 0 ticket(s)")
            assert sweep(madrid(10, 16)).startswith("advanced 1 ticket(s)")
        assert status(ticket) == Ticket.CLOSED_STATUS
        assert follow_ups(ticket, "auto_closed") == [utc(10, 15)]
        assert follow_ups(ticket, "reminder") == []  # Wed 9 is past: dropped, not sent late
        assert row(ticket).workflow_version == "faster"

    def test_apply_migrates_at_the_event(self) -> None:
        """A customer reply on Wed 9 Dec 10:00 CET reopens under FASTER, migrated then."""
        ticket = resolved_on_friday()
        before = row(ticket).version
        with DEPLOYED:
            out = store.apply(str(ticket.pk), "customer_reply", at=madrid(9, 10), actor="customer")
        assert [s.event for s in out.steps] == ["migrate", "customer_reply"]
        assert (out.ticket.status, out.ticket.version) == ("reopened", before + 2)
        assert status(ticket) == Ticket.REOPENED_STATUS

    def test_a_status_the_new_workflow_lacks_is_refused_and_nothing_written(self) -> None:
        """RENAMED calls 'resolved' 'solved': without a status_map the ticket cannot move."""
        ticket = resolved_on_friday()
        before = row(ticket).version
        with override_settings(TICKETFLOW={"WORKFLOWS": [RENAMED]}):
            with self.assertRaisesMessage(tf.SnapshotError, "resolved"):
                store.get(str(ticket.pk))
            assert sweep(madrid(11, 16)).startswith("advanced 0 ticket(s), fired 0, failed 1")
        assert (row(ticket).version, row(ticket).workflow_version) == (before, WORKFLOW.version)

    def test_a_snapshot_without_version_counts_as_current(self) -> None:
        """Schema 1 (before versions) is FASTER's as it is: no migration, WORKFLOW's agenda."""
        ticket = resolved_on_friday()
        state = row(ticket)
        snapshot = dict(state.snapshot, schema=1)
        del snapshot["workflow_version"]
        TicketState.objects.filter(pk=state.pk).update(snapshot=snapshot)
        with DEPLOYED:
            got = store.get(str(ticket.pk))
        assert (got.workflow_version, got.version) == (None, state.version)
        assert got.next_deadline == utc(10, 15)

    def test_the_same_version_is_left_alone(self) -> None:
        ticket = resolved_on_friday()
        before = row(ticket).version
        assert store.get(str(ticket.pk)).version == before
        assert row(ticket).workflow_version == WORKFLOW.version


class TestTwoWorkers(TransactionTestCase):
    def test_two_replies_at_once_migrate_once(self) -> None:
        """Two agent replies on the old ticket at Thu 10 Dec 16:00 CET, each in its own thread.

        What must happen once: the migration and FASTER's auto-close (one follow-up).
        What must not be lost: either reply (the version grows by 4: migrate, auto-close,
        reply, reply).
        """
        ticket = resolved_on_friday()
        before = row(ticket).version
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def reply() -> None:
            try:
                barrier.wait()
                store.apply(str(ticket.pk), "agent_reply", at=madrid(10, 16), actor="agent")
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
            finally:
                connection.close()  # each thread has its own connection

        with DEPLOYED:
            threads = [threading.Thread(target=reply) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert errors == []
        state = TicketState.objects.get(ticket_id=str(ticket.pk))
        assert (state.version, state.workflow_version) == (before + 4, "faster")
        assert follow_ups(ticket, "auto_closed") == [utc(10, 15)]
        assert status(ticket) == Ticket.CLOSED_STATUS
