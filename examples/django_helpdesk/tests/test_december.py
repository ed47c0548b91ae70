"""Two tickets across Madrid's 7 and 8 December 2026, through django-helpdesk's own code.

Calendar facts (``holidays`` package, ES + subdivision MD, checked in
``TestCalendar``): Sunday 6 December 2026 is Constitution Day, which Madrid
moves to Monday 7 December; Tuesday 8 December is the Immaculate Conception
(national). So Friday 4 December is followed by four days without work, and
the next working day is Wednesday 9 December. December is CET (UTC+1).
"""

from datetime import date

from django.test import TestCase
from django.urls import reverse
from flow.glue import TITLES
from flow.workflow import MADRID as CALENDAR
from helpdesk.models import Ticket

import ticketflow as tf

from .base import (
    agent_update,
    clock,
    email_in,
    madrid,
    make_agent,
    make_queue,
    row,
    status,
    sweep,
    titles,
    utc,
)

REMINDER = TITLES["reminder"]
AUTO_CLOSED = TITLES["auto_closed"]
BREACH = TITLES["sla_breach"].format(name="first_response")


class TestCalendar(TestCase):
    def test_madrid_closes_on_7_and_8_december_2026(self) -> None:
        """7 Dec (Constitution Day moved from Sunday 6) and 8 Dec are not business days."""
        assert [CALENDAR.is_business_day(date(2026, 12, d)) for d in range(4, 10)] == [
            True,  # Fri 4
            False,  # Sat 5
            False,  # Sun 6
            False,  # Mon 7: Madrid's Monday after Constitution Day
            False,  # Tue 8: Immaculate Conception
            True,  # Wed 9
        ]


class TestAutoClose(TestCase):
    def test_resolved_on_friday_closes_on_the_next_friday(self) -> None:
        """Resolved Fri 4 Dec 16:00: reminded Thu 10 and closed Fri 11, at 16:00 both."""
        queue, agent = make_queue(), make_agent()
        # Fri 4 Dec 09:30 CET (08:30 UTC): the customer writes; django-helpdesk opens a ticket.
        ticket = email_in(queue, "Printer on fire", "Please help", madrid(4, 9, 30))
        assert status(ticket) == Ticket.OPEN_STATUS
        # first response due 4 business hours later: Fri 4 Dec 13:30 CET = 12:30 UTC
        assert row(ticket).next_deadline == utc(4, 12, 30)

        # 11:00 CET: the agent answers (a public comment, no status change): SLA met.
        agent_update(agent, ticket, madrid(4, 11), comment="On it")
        assert row(ticket).next_deadline is None

        # 16:00 CET (15:00 UTC): the agent resolves. Auto-close 3 business days on, skipping
        # Sat 5, Sun 6, Mon 7 and Tue 8: Wed 9 (1), Thu 10 (2), Fri 11 (3) at 16:00 CET;
        # the reminder 1 business day before: Thu 10 Dec 16:00 CET = 15:00 UTC.
        agent_update(agent, ticket, madrid(4, 16), new_status=Ticket.RESOLVED_STATUS)
        assert status(ticket) == Ticket.RESOLVED_STATUS
        assert row(ticket).status == "resolved"
        assert row(ticket).next_deadline == utc(10, 15)

        # One second before the reminder nothing fires.
        assert sweep(madrid(10, 15, 59, 59)) == "advanced 0 ticket(s), fired 0, failed 0"
        # At Thu 10 16:00 CET the reminder becomes a public follow-up dated then.
        assert sweep(madrid(10, 16)).startswith("advanced 1 ticket(s)")
        assert titles(ticket)[-1] == (utc(10, 15), REMINDER, None)
        assert status(ticket) == Ticket.RESOLVED_STATUS
        assert row(ticket).next_deadline == utc(11, 15)

        # Fri 11 Dec 16:00 CET: closed, in ticketflow and in django-helpdesk, with a follow-up.
        assert sweep(madrid(11, 16)).startswith("advanced 1 ticket(s)")
        assert status(ticket) == Ticket.CLOSED_STATUS
        assert row(ticket).status == "closed"
        assert row(ticket).next_deadline is None
        assert titles(ticket)[-1] == (utc(11, 15), AUTO_CLOSED, Ticket.CLOSED_STATUS)
        # A second sweep at the same instant fires nothing again.
        assert sweep(madrid(11, 16)) == "advanced 0 ticket(s), fired 0, failed 0"
        assert [t for _, t, _ in titles(ticket)].count(REMINDER) == 1
        assert [t for _, t, _ in titles(ticket)].count(AUTO_CLOSED) == 1


class TestBreachReplyAccept(TestCase):
    def test_breach_across_the_holidays_then_reopen_and_accept(self) -> None:
        """SLA breach on Wed 9 Dec 10:00, a customer e-mail reopens, the public view closes."""
        queue, agent = make_queue(), make_agent()
        # Fri 4 Dec 15:00 CET (14:00 UTC): a ticket made with django-helpdesk's model.
        with clock(madrid(4, 15)):
            ticket = Ticket.objects.create(
                title="VPN down", queue=queue, submitter_email="ana@example.com"
            )
        # 4 business hours: Fri 15:00-18:00 is 3 h; Sat 5, Sun 6, Mon 7, Tue 8 closed;
        # Wed 9 09:00 + 1 h = Wed 9 Dec 10:00 CET = 09:00 UTC.
        assert row(ticket).next_deadline == utc(9, 9)
        assert sweep(madrid(9, 9, 59)) == "advanced 0 ticket(s), fired 0, failed 0"
        assert sweep(madrid(9, 10)).startswith("advanced 1 ticket(s)")
        breach = titles(ticket)[-1]
        assert breach == (utc(9, 9), BREACH, None)
        assert ticket.followup_set.get(title=BREACH).public is False

        # Wed 9 12:00 CET: resolved; auto-close Mon 14 Dec 12:00 (Thu 10, Fri 11, Mon 14),
        # reminder Fri 11 Dec 12:00 CET = 11:00 UTC.
        agent_update(agent, ticket, madrid(9, 12), new_status=Ticket.RESOLVED_STATUS)
        assert row(ticket).next_deadline == utc(11, 11)

        # Thu 10 09:15 CET: the customer answers by e-mail, citing the ticket in the subject.
        # django-helpdesk leaves a resolved ticket resolved; the workflow reopens it.
        email_in(queue, f"Re: [sup-{ticket.pk}] VPN down", "Still broken", madrid(10, 9, 15))
        assert status(ticket) == Ticket.REOPENED_STATUS
        assert row(ticket).status == "reopened"
        assert row(ticket).next_deadline is None  # auto-close disarmed, SLA already breached

        # Thu 10 11:00 CET: resolved again; the customer accepts at 12:00 on the public page.
        agent_update(agent, ticket, madrid(10, 11), new_status=Ticket.RESOLVED_STATUS)
        assert row(ticket).next_deadline == utc(14, 10)  # reminder Mon 14 11:00 CET
        fresh = Ticket.objects.get(pk=ticket.pk)
        with clock(madrid(10, 12)):
            response = self.client.get(
                reverse("helpdesk:public_view"),
                {
                    "ticket": fresh.ticket_for_url,
                    "email": "ana@example.com",
                    "key": fresh.secret_key,
                    "close": "",
                },
            )
        assert response.status_code == 302
        assert status(ticket) == Ticket.CLOSED_STATUS
        state = row(ticket)
        assert (state.status, state.next_deadline) == ("closed", None)
        steps = tf.Ticket.from_dict(state.snapshot)
        assert steps.updated_at == madrid(10, 12)
        # Nothing fires later: no reminder, no auto-close for a closed ticket.
        assert sweep(madrid(16, 12)) == "advanced 0 ticket(s), fired 0, failed 0"
        assert REMINDER not in [t for _, t, _ in titles(ticket)]
