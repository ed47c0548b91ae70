"""The admin: each ticket's status, next deadline and SLA clocks, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from ticketflow._errors import TicketflowError

from . import conf
from .models import TicketState


def sla_summary(row: TicketState) -> str:
    """The ticket's SLA clocks as of now: ``name: state, due <instant>``, one per clock."""
    try:
        wf = conf.workflow(row.workflow)
        clocks = wf.sla(row.ticket, now=timezone.now())
    except TicketflowError as exc:
        return f"unavailable: {exc}"
    parts = []
    for c in clocks:
        due = f", due {c.due_at.isoformat()}" if c.due_at is not None else ""
        parts.append(f"{c.name}: {c.state}{due}")
    return "; ".join(parts) or "none"


@admin.register(TicketState)
class TicketStateAdmin(admin.ModelAdmin):
    """Ticket states, searchable by id, filtered by workflow, status and category."""

    list_display = ("ticket_id", "workflow", "status", "category", "next_deadline", "sla")
    list_filter = ("workflow", "status", "category")
    search_fields = ("ticket_id",)
    ordering = ("next_deadline",)
    readonly_fields = (
        "ticket_id",
        "workflow",
        "workflow_version",
        "status",
        "category",
        "version",
        "next_deadline",
        "updated_at",
        "sla",
        "snapshot",
    )

    @admin.display(description="SLA clocks")
    def sla(self, row: TicketState) -> str:
        """The SLA clocks column."""
        return sla_summary(row)

    def has_add_permission(self, request: object) -> bool:
        """Rows are made by the store, never by hand."""
        return False
