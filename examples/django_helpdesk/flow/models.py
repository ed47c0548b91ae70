"""A table of the project's own that keeps ticketflow tickets (beside django-helpdesk's)."""

from django.db import models

from ticketflow.django.models import TicketflowModel


class Case(TicketflowModel):
    """ticketflow's columns, plus the project's own."""

    subject = models.CharField(max_length=200, blank=True, default="")
