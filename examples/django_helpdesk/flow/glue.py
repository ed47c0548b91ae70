"""django-helpdesk <-> ticketflow: starts, events, status sync, effects as follow-ups."""

from django.dispatch import receiver
from helpdesk.models import FollowUp, Ticket
from helpdesk.signals import update_ticket_done

from ticketflow.django import store
from ticketflow.django.adoption import Adoption
from ticketflow.django.models import TicketState

from .workflow import WORKFLOW

# helpdesk status set by an agent -> event; a follow-up without a status change is a reply
AGENT_EVENTS = {
    Ticket.RESOLVED_STATUS: "resolve",
    Ticket.CLOSED_STATUS: "close",
    Ticket.REOPENED_STATUS: "reopen",
    Ticket.DUPLICATE_STATUS: "mark_duplicate",
}
TITLES = {
    "reminder": "Reminder: this ticket closes automatically in one business day",
    "sla_breach": "SLA breached: {name}",
    "auto_closed": "Closed automatically after three business days",
}
# a ticket created by any path (its model, its e-mail import, its forms) starts then
store.start_on_create(Ticket, WORKFLOW, at="created")


@receiver(update_ticket_done)
def followed_up(sender, followup, **kwargs):
    if followup.user_id is None:  # django-helpdesk keeps the user only for staff
        actor = "customer"
        event = "close" if followup.new_status == Ticket.CLOSED_STATUS else "customer_reply"
    else:
        actor, event = "agent", AGENT_EVENTS.get(followup.new_status, "agent_reply")
    store.apply(str(followup.ticket_id), event, at=followup.date, actor=actor)


def on_change(change):
    """TICKETFLOW["HANDLER"]: keep Ticket.status in sync, turn effects into follow-ups."""
    if change.model is not TicketState:  # a Case (flow.models) has no helpdesk ticket
        return
    ticket = Ticket.objects.get(pk=int(change.ticket_id))
    code = change.sync_code(ticket, "status")
    for effect in change.outcome.effects:
        FollowUp.objects.create(
            ticket=ticket,
            date=effect.at,
            title=TITLES[effect.kind].format(name=effect.name),
            public=effect.kind != "sla_breach",
            new_status=code if effect.kind == "auto_closed" else None,
        )


def adoptable():
    """TICKETFLOW["ADOPT"]: every helpdesk ticket, in its status since its last change."""
    for t in Ticket.objects.order_by("pk"):
        last = t.followup_set.filter(new_status=t.status).order_by("-date").first()
        since = last.date if last else t.created
        yield Adoption("helpdesk", str(t.pk), since, code=t.status, created_at=t.created)
