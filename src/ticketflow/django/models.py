"""Models: the abstract :class:`TicketflowModel` and the ready :class:`TicketState`.

A row holds one ticket: its snapshot (``Ticket.to_dict()``, JSON) and the
columns a query needs, each indexed: ``workflow``, ``workflow_version``,
``status``, ``category``, ``version`` and ``next_deadline`` (UTC). Only
:mod:`ticketflow.django.store` writes them, all from the snapshot.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from ticketflow._ticket import Ticket
from ticketflow._workflow import Workflow

__all__ = ["TicketState", "TicketflowModel", "columns"]


def columns(wf: Workflow, ticket: Ticket) -> dict[str, Any]:
    """The column values of a row holding ``ticket`` of ``wf``."""
    return {
        "workflow": ticket.workflow,
        # filled in once workflows carry a version; kept so the column exists and is indexed
        "workflow_version": str(getattr(ticket, "workflow_version", "") or ""),
        "status": ticket.status,
        "category": wf.category(ticket.status),
        "version": ticket.version,
        "next_deadline": wf.next_deadline(ticket),
        "updated_at": ticket.updated_at,
        "snapshot": ticket.to_dict(),
    }


class TicketflowModel(models.Model):
    """Abstract base for a model that keeps ticketflow tickets.

    Attributes:
        ticket_id: The ticket's id (the snapshot's ``id``), unique.
        workflow: The workflow's name.
        workflow_version: The workflow version the snapshot was recorded under ("" for none).
        status: The ticket's status.
        category: The status's category.
        version: The snapshot's version, for compare-and-set writes.
        next_deadline: The earliest pending timer, reminder or breach, or None.
        updated_at: The snapshot's last change.
        snapshot: ``Ticket.to_dict()``.
    """

    ticket_id = models.CharField(max_length=255, unique=True)
    workflow = models.CharField(max_length=255, db_index=True)
    workflow_version = models.CharField(max_length=64, blank=True, default="", db_index=True)
    status = models.CharField(max_length=255, db_index=True)
    category = models.CharField(max_length=16, db_index=True)
    version = models.PositiveIntegerField(db_index=True)
    next_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    snapshot = models.JSONField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.ticket_id} ({self.workflow}: {self.status})"

    @property
    def ticket(self) -> Ticket:
        """The stored snapshot as a :class:`~ticketflow.Ticket`.

        Raises:
            SnapshotError: the stored data is malformed.
        """
        return Ticket.from_dict(self.snapshot)


class TicketState(TicketflowModel):
    """The app's own table of tickets, for projects whose ticket model it cannot change."""

    class Meta:
        verbose_name = "ticket state"
        ordering = ("ticket_id",)
