"""``manage.py ticketflow_adopt``: django-helpdesk tickets that existed before ticketflow."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from flow.glue import TITLES
from helpdesk.models import FollowUp, Ticket

from ticketflow.django.models import TicketState

from .base import clock, madrid, make_queue, row, status, sweep, titles, utc


def old_ticket(queue: object, title: str, created: object, code: int, since: object) -> Ticket:
    """A ticket written before ticketflow was installed: bulk_create sends no signals."""
    with clock(created):
        (ticket,) = Ticket.objects.bulk_create([Ticket(title=title, queue=queue, status=code)])
    if since != created:
        with clock(since):
            FollowUp.objects.create(ticket=ticket, title="status", new_status=code, date=since)
    return ticket


def adopt(*args: str) -> str:
    out = StringIO()
    call_command("ticketflow_adopt", *args, stdout=out)
    return out.getvalue()


# adopted on Thu 10 Dec 2026 17:00 CET (16:00 UTC)
AT = madrid(10, 17)


class TestAdopt(TestCase):
    def setUp(self) -> None:
        queue = make_queue()
        # resolved Fri 4 Dec 16:00 CET: auto-close Fri 11 Dec 16:00 CET (Mon 7 and Tue 8 are
        # holidays: Wed 9, Thu 10, Fri 11); its reminder Thu 10 16:00 fell before AT: dropped.
        self.recent = old_ticket(queue, "recent", madrid(3, 10), 3, madrid(4, 16))
        # resolved Tue 1 Dec 10:00 CET: auto-close was due Fri 4 Dec 10:00 (Wed 2, Thu 3, Fri 4),
        # long before AT: it falls due at AT and fires once, without its reminder.
        self.overdue = old_ticket(queue, "overdue", madrid(30, 9, month=11), 3, madrid(1, 10))
        # open since its creation on Wed 9 Dec 09:00 CET: no SLA clock is started on adoption.
        self.open = old_ticket(queue, "open", madrid(9, 9), 1, madrid(9, 9))

    def test_dry_run_writes_nothing(self) -> None:
        """--dry-run prints each ticket's status, since and next deadline; no row is written."""
        text = adopt("--dry-run", "--at", AT.isoformat())
        assert text.splitlines() == [
            f"{self.recent.pk}: resolved since 2026-12-04T15:00:00+00:00, "
            "next deadline 2026-12-11T16:00:00+01:00",
            f"{self.overdue.pk}: resolved since 2026-12-01T09:00:00+00:00, "
            "next deadline 2026-12-10T17:00:00+01:00",
            f"{self.open.pk}: open since 2026-12-09T08:00:00+00:00, next deadline none",
            "would adopt 3 ticket(s)",
        ]
        assert TicketState.objects.count() == 0

    def test_adopted_tickets_follow_the_workflow(self) -> None:
        """Adopted rows keep their status; the overdue auto-close fires once, at AT."""
        assert adopt("--at", AT.isoformat()).splitlines()[-1] == "adopted 3 ticket(s)"
        assert [row(t).status for t in (self.recent, self.overdue, self.open)] == [
            "resolved",
            "resolved",
            "open",
        ]
        assert row(self.recent).next_deadline == utc(11, 15)
        assert row(self.overdue).next_deadline == utc(10, 16)
        assert row(self.open).next_deadline is None
        # adopting again finds nothing new
        assert adopt("--at", AT.isoformat()).splitlines() == ["adopted 0 ticket(s)"]

        assert sweep(AT).startswith("advanced 1 ticket(s)")
        assert status(self.overdue) == Ticket.CLOSED_STATUS
        assert titles(self.overdue)[-1] == (utc(10, 16), TITLES["auto_closed"], 4)
        assert status(self.recent) == Ticket.RESOLVED_STATUS

        assert sweep(madrid(11, 16)).startswith("advanced 1 ticket(s)")
        assert status(self.recent) == Ticket.CLOSED_STATUS
        for ticket in (self.recent, self.overdue):
            names = [t for _, t, _ in titles(ticket)]
            assert names.count(TITLES["auto_closed"]) == 1
            assert TITLES["reminder"] not in names  # reminders that fell before AT are dropped

    def test_an_unknown_status_code_is_named_and_the_others_adopted(self) -> None:
        """A ticket whose code no status has is named on stderr; the rest are adopted."""
        bad = old_ticket(self.recent.queue, "odd", madrid(9, 9), 7, madrid(9, 9))
        out, err = StringIO(), StringIO()
        with self.assertRaisesMessage(CommandError, "1 ticket(s) could not be adopted"):
            call_command("ticketflow_adopt", "--at", AT.isoformat(), stdout=out, stderr=err)
        assert err.getvalue().strip() == (
            f"ticket {bad.pk}: no status has code 7 (codes: 1, 2, 3, 4, 5)"
        )
        assert out.getvalue().splitlines()[-1] == "adopted 3 ticket(s)"
        assert not TicketState.objects.filter(ticket_id=str(bad.pk)).exists()
