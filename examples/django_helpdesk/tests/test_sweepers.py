"""Two sweepers at once, each with its own database connection, fire each item once."""

import threading

from django.db import connection
from django.test import TransactionTestCase
from flow.glue import TITLES
from helpdesk.models import FollowUp, Ticket

from ticketflow.django import store
from ticketflow.django.models import TicketState

from .base import agent_update, clock, madrid, make_agent, make_queue, utc

TICKETS = 12


class TestConcurrentSweepers(TransactionTestCase):
    def test_two_sweepers_fire_every_item_exactly_once(self) -> None:
        """Two threads sweep the same due tickets at once; each reminder and close happens once.

        What must not happen twice: a reminder or auto-close follow-up, a status change.
        What must not be lost: any ticket's reminder or auto-close.
        """
        queue, agent = make_queue(), make_agent()
        tickets = []
        for n in range(TICKETS):
            # Mon 30 Nov 2026 10:00 CET, resolved at 11:00 CET: auto-close 3 business days on,
            # Thu 3 Dec 11:00 CET (10:00 UTC); its reminder Wed 2 Dec 11:00 CET (10:00 UTC).
            with clock(madrid(30, 10, month=11)):
                ticket = Ticket.objects.create(title=f"T{n}", queue=queue)
            agent_update(agent, ticket, madrid(30, 11, month=11), new_status=3)
            tickets.append(ticket)
        assert set(TicketState.objects.values_list("next_deadline", flat=True)) == {utc(2, 10)}

        barrier = threading.Barrier(2)
        results: list[store.SweepResult] = []
        errors: list[BaseException] = []

        def sweeper() -> None:
            try:
                barrier.wait()
                # Thu 3 Dec 12:00 CET: both the reminder and the auto-close are due.
                results.append(store.sweep(now=madrid(3, 12)))
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
            finally:
                connection.close()  # each thread has its own connection

        threads = [threading.Thread(target=sweeper) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert errors == []
        assert [r.failed for r in results] == [(), ()]
        # every ticket advanced by exactly one of the two sweepers
        assert sum(r.advanced for r in results) == TICKETS
        # and recorded two things on each: the reminder, then the auto-close step
        assert sum(r.fired for r in results) == 2 * TICKETS
        for ticket in tickets:
            mine = FollowUp.objects.filter(ticket_id=ticket.pk)
            assert mine.filter(title=TITLES["reminder"]).count() == 1
            assert mine.filter(title=TITLES["auto_closed"]).count() == 1
            assert Ticket.objects.get(pk=ticket.pk).status == Ticket.CLOSED_STATUS
        states = TicketState.objects.all()
        assert {(s.status, s.next_deadline) for s in states} == {("closed", None)}
