"""``case-portal``: a client support portal with timed resolution and closing (seed 002).

The article: "Waiting For Customer: The case has been updated and is awaiting a
response from you. The case remains in this status for 4 days, and reminders
are sent out via email. On the 5th day, the ticket is marked as Resolved."
"Resolved: ... The case will remain in this status for 3 days before it is
automatically closed. An email reminder is sent before the case is closed."
"Closed: ... If you share an update in this case, a new case will be
automatically created."
"""

from __future__ import annotations

from typing import Any

import ticketflow as tf

from ._common import around_the_clock

__all__ = ["case_portal", "waiting_for_entity"]


def waiting_for_entity(ticket: tf.Ticket, ctx: tf.Context) -> str | None:
    """The ``sub_status`` of ``waiting_for``: the entity named in the event's data.

    Examples:
        >>> from datetime import UTC, datetime
        >>> at = datetime(2026, 1, 5, tzinfo=UTC)
        >>> ctx = tf.Context("wait_for", at, "agent", {"entity": "Vendor"})
        >>> waiting_for_entity(None, ctx)  # type: ignore[arg-type]
        'Vendor'
    """
    data: Any = ctx.data or {}
    entity = data.get("entity")
    return None if entity is None else str(entity)


def case_portal(
    *,
    timezone: str = "UTC",
    calendar: tf.BusinessCalendar | None = None,
    name: str = "case-portal",
) -> tf.Workflow:
    """The Client Support Portal's case lifecycle.

    Days are calendar days (``tf.days``) counted in ``timezone``: 4 days from
    10:00 is 10:00 four dates later, across a DST change too.

    Where the article is silent, this preset chooses:

    * Three reminders, one a day (after 1, 2 and 3 days in Waiting For
      Customer); the resolved case's one reminder comes 1 day before it closes.
    * ``wait_for`` takes the entity from ``data["entity"]`` as the case's
      ``sub_status``; without one the sub-status is empty.
    * A customer update on a new or pending case keeps its status; one on a
      closed case leaves it closed and emits a ``follow_up`` effect carrying
      the new case (status ``new``, attribute ``follow_up_of`` = the closed
      case's id).
    * The customer closes ("Close Case"); agents resolve. Customers and
      agents may add collaborators while the case is not closed.

    Args:
        timezone: The zone calendar days are counted in (default UTC).
        calendar: A calendar to count on instead of a 24/7 one in ``timezone``.
        name: The workflow's name.
    """
    statuses = [
        tf.Status(
            "new",
            category="new",
            initial=True,
            label="New",
            description="The case has been created and is awaiting assignment.",
        ),
        tf.Status(
            "assigned",
            category="open",
            label="Assigned",
            description="The case is assigned to a Technical Customer Care Representative "
            "to address.",
        ),
        tf.Status(
            "waiting_for_customer",
            category="pending",
            label="Waiting For Customer",
            description="The case has been updated and is awaiting a response from you. The "
            "case remains in this status for 4 days, and reminders are sent out via email. "
            "On the 5th day, the ticket is marked as Resolved.",
        ),
        tf.Status(
            "waiting_for",
            category="on_hold",
            label="Waiting For",
            description="The case is awaiting a response from the entity listed within the "
            "Sub Status.",
        ),
        tf.Status(
            "pending_support",
            category="open",
            label="Pending Support",
            description="You have written an update in the case, and it has been sent to "
            "Technical Customer Care for review.",
        ),
        tf.Status(
            "resolved",
            category="solved",
            label="Resolved",
            description="Your request has been addressed to the best extent possible. The case "
            "will remain in this status for 3 days before it is automatically closed. An email "
            "reminder is sent before the case is closed. If you share any updates during this "
            "time, the case returns to Pending Support so further assistance can be provided.",
        ),
        tf.Status(
            "closed",
            category="closed",
            terminal=True,
            label="Closed",
            description="This case is now closed and will no longer be addressed by our "
            "Technical Customer Care team. If you share an update in this case, a new case "
            "will be automatically created.",
        ),
    ]
    transitions = [
        tf.Transition("assign", source="new", target="assigned", roles={"agent"}),
        tf.Transition(
            "request_info",
            source=["assigned", "pending_support"],
            target="waiting_for_customer",
            roles={"agent"},
        ),
        tf.Transition(
            "wait_for",
            source=["assigned", "pending_support"],
            target="waiting_for",
            roles={"agent"},
            sub_status=waiting_for_entity,
        ),
        tf.Transition(
            "customer_update",
            source=["assigned", "waiting_for_customer", "waiting_for", "resolved"],
            target="pending_support",
            roles={"customer"},
        ),
        tf.Transition("customer_update", source=["new", "pending_support"], roles={"customer"}),
        tf.Transition(
            "customer_update",
            source="closed",
            roles={"customer"},
            effects=[tf.Effect("follow_up")],
        ),
        tf.Transition(
            "resolve",
            source=["assigned", "pending_support", "waiting_for_customer", "waiting_for"],
            target="resolved",
            roles={"agent"},
        ),
        tf.Transition("close", source="*", target="closed", roles={"customer"}),
        tf.Transition(
            "auto_resolve", source="waiting_for_customer", target="resolved", roles={"system"}
        ),
        tf.Transition("auto_close", source="resolved", target="closed", roles={"system"}),
        tf.Transition("add_collaborator", source="*", roles={"customer", "agent"}),
    ]
    timers = [
        tf.Timer(
            "waiting_for_customer",
            after=tf.days(4),
            event="auto_resolve",
            reminders=[tf.days(1), tf.days(2), tf.days(3)],
        ),
        tf.Timer("resolved", after=tf.days(3), event="auto_close", remind_before=[tf.days(1)]),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        timers=timers,
        calendar=calendar if calendar is not None else around_the_clock(timezone),
        description="Client Support Portal: cases resolve after 4 days without an answer "
        "and close 3 days after that.",
    )
