"""store.start_on_create and Change.sync_code, as the glue uses them on django-helpdesk."""

from django.test import TestCase
from flow.workflow import WORKFLOW
from helpdesk.models import Ticket

from ticketflow.django import store
from ticketflow.django.models import TicketState

from .base import clock, madrid, make_queue, row


class TestStartOnCreate(TestCase):
    def test_a_new_ticket_starts_once_at_its_creation(self) -> None:
        """Created Wed 2 Dec 2026 10:00 CET; saved again at 11:00: still one start."""
        with clock(madrid(2, 10)):
            ticket = Ticket.objects.create(title="T", queue=make_queue())
        with clock(madrid(2, 11)):
            ticket.save()
        assert (row(ticket).version, row(ticket).ticket.created_at) == (1, madrid(2, 10))

    def test_rows_that_fixtures_load_are_left_alone(self) -> None:
        t0 = madrid(2, 10)
        ticket = Ticket(title="loaded", queue=make_queue(), created=t0, modified=t0)
        ticket.save_base(raw=True)
        assert not TicketState.objects.filter(ticket_id=str(ticket.pk)).exists()

    def test_connecting_twice_connects_once(self) -> None:
        store.start_on_create(Ticket, WORKFLOW, at="created")
        with clock(madrid(2, 10)):
            ticket = Ticket.objects.create(title="T", queue=make_queue())
        assert row(ticket).version == 1  # a second start would have raised ConflictError


class TestSyncCode(TestCase):
    def test_the_status_column_follows_and_is_saved_only_when_it_differs(self) -> None:
        """Opened Wed 2 Dec 2026 10:00 CET, resolved (by the engine alone) at 11:00."""
        with clock(madrid(2, 10)):
            ticket = Ticket.objects.create(title="T", queue=make_queue())
        out = WORKFLOW.apply(row(ticket).ticket, "resolve", at=madrid(2, 11), actor="agent")
        change = store.Change(str(ticket.pk), TicketState, WORKFLOW, row(ticket).ticket, out)
        assert change.sync_code(ticket, "status") == Ticket.RESOLVED_STATUS
        assert Ticket.objects.get(pk=ticket.pk).status == Ticket.RESOLVED_STATUS
        with self.assertNumQueries(0):  # already in step: nothing saved
            assert change.sync_code(ticket, "status") == Ticket.RESOLVED_STATUS
