"""The admin shows each ticket's status, next deadline and SLA clocks, and adds nothing by hand."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from helpdesk.models import Ticket

from .base import clock, madrid, make_queue


class TestAdmin(TestCase):
    def test_changelist_shows_the_sla_clock(self) -> None:
        """A ticket opened Wed 9 Dec 10:00 CET shows its first response due at 14:00 CET."""
        with clock(madrid(9, 10)):
            Ticket.objects.create(title="t", queue=make_queue())
        admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
        self.client.force_login(admin)
        # the admin asks the clock for "now": Wed 9 Dec 11:00 CET, one hour into the SLA
        with clock(madrid(9, 11)):
            page = self.client.get(reverse("admin:ticketflow_ticketstate_changelist"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "first_response: running, due 2026-12-09T14:00:00+01:00" in text
        add = self.client.get(reverse("admin:ticketflow_ticketstate_add"))
        assert add.status_code == 403
