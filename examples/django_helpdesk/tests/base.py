"""What the example's tests share: a settable clock, Madrid instants, django-helpdesk's own paths.

django-helpdesk stamps tickets and follow-ups with ``django.utils.timezone.now()``;
the tests set that clock to instants written by hand, so every date below is
real and every deadline is computed in a comment where it is asserted.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command
from helpdesk.email import extract_email_metadata
from helpdesk.models import FollowUp, Queue, Ticket
from helpdesk.update_ticket import update_ticket

from ticketflow.django.models import TicketState

MADRID = ZoneInfo("Europe/Madrid")
LOG = logging.getLogger("tests")


def madrid(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 12) -> datetime:
    """An instant of 2026 in Madrid (December: CET, UTC+1)."""
    return datetime(2026, month, day, hour, minute, second, tzinfo=MADRID)


def utc(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """An instant of 2026 in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """django-helpdesk's (and Django's) clock reads ``at`` inside the block."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def make_queue() -> Queue:
    """A queue with an e-mail address (e-mail replies find their ticket by its slug)."""
    return Queue.objects.create(
        title="Support", slug="sup", email_address="support@example.com", email_box_type="imap"
    )


def make_agent(name: str = "agent") -> object:
    """A staff user: django-helpdesk records them on their follow-ups."""
    return get_user_model().objects.create_user(name, f"{name}@example.com", "pw", is_staff=True)


def email_in(queue: Queue, subject: str, body: str, at: datetime) -> Ticket:
    """An e-mail from the customer, through django-helpdesk's e-mail import, at ``at``."""
    message = (
        "From: Ana <ana@example.com>\nTo: support@example.com\n"
        f"Subject: {subject}\nMessage-Id: <{at.timestamp()}@example.com>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"{body}\n"
    )
    with clock(at):
        return extract_email_metadata(message, queue, LOG)


def agent_update(agent: object, ticket: Ticket, at: datetime, **kwargs: object) -> FollowUp:
    """An agent's update through django-helpdesk's ``update_ticket``, at ``at``."""
    with clock(at):
        return update_ticket(agent, Ticket.objects.get(pk=ticket.pk), public=True, **kwargs)


def sweep(at: datetime) -> str:
    """``manage.py ticketflow_sweep --now <at>``; returns what it printed."""
    out = StringIO()
    call_command("ticketflow_sweep", "--now", at.isoformat(), stdout=out, stderr=out)
    return out.getvalue().strip()


def row(ticket: Ticket) -> TicketState:
    """The ticketflow row of a django-helpdesk ticket."""
    return TicketState.objects.get(ticket_id=str(ticket.pk))


def status(ticket: Ticket) -> int:
    """django-helpdesk's status code of the ticket, read afresh."""
    return Ticket.objects.get(pk=ticket.pk).status


def titles(ticket: Ticket) -> list[tuple[datetime, str, int | None]]:
    """The ticket's follow-ups as (date, title, new_status), oldest first."""
    found = FollowUp.objects.filter(ticket_id=ticket.pk).order_by("date", "pk")
    return [(f.date, f.title, f.new_status) for f in found]
