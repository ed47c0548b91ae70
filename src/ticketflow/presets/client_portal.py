"""``client-portal``: a portal with four statuses and no reopening (seed 000).

The article: "You'll see one of the following statuses on the page: [Open]
Indicates that the ticket is waiting to be processed by a member of the
support team. Information needed ... In progress ... [Closed] ... After a
ticket is closed, you cannot reopen it or add new messages or attachments."
"""

from __future__ import annotations

import ticketflow as tf

from ._common import around_the_clock

__all__ = ["client_portal"]


def client_portal(
    *,
    timezone: str = "UTC",
    calendar: tf.BusinessCalendar | None = None,
    name: str = "client-portal",
) -> tf.Workflow:
    """The Client Portal's ticket lifecycle.

    Where the article is silent, this preset chooses:

    * The labels of the first and last statuses ("Open", "Closed"): the
      article gives only their explanations.
    * A ``customer_message`` on a ticket that needs information sends it back
      to ``open`` (waiting to be processed again); in ``open`` and
      ``in_progress`` it leaves the status alone.
    * Only an agent closes a ticket; the article offers the customer no close
      button.
    * No timers and no SLAs: the article promises none. ``timezone=`` (or
      ``calendar=``) only sets the zone computed instants are given in.

    Args:
        timezone: The zone of the portal's dates (default UTC).
        calendar: A calendar to use instead of a 24/7 one in ``timezone``.
        name: The workflow's name.
    """
    statuses = [
        tf.Status(
            "open",
            category="new",
            initial=True,
            label="Open",
            description="Indicates that the ticket is waiting to be processed by a member "
            "of the support team.",
        ),
        tf.Status(
            "information_needed",
            category="pending",
            label="Information needed",
            description="Indicates that we require additional information from you to "
            "proceed further.",
        ),
        tf.Status(
            "in_progress",
            category="open",
            label="In progress",
            description="Indicates that an associate is working on your ticket.",
        ),
        tf.Status(
            "closed",
            category="closed",
            terminal=True,
            label="Closed",
            description="Indicates that your ticket is closed. After a ticket is closed, you "
            "cannot reopen it or add new messages or attachments.",
        ),
    ]
    transitions = [
        tf.Transition(
            "start_work",
            source=["open", "information_needed"],
            target="in_progress",
            roles={"agent"},
        ),
        tf.Transition(
            "request_info",
            source=["open", "in_progress"],
            target="information_needed",
            roles={"agent"},
        ),
        tf.Transition(
            "customer_message", source="information_needed", target="open", roles={"customer"}
        ),
        tf.Transition("customer_message", source=["open", "in_progress"], roles={"customer"}),
        tf.Transition("attach", source="*", roles={"customer", "agent"}),
        tf.Transition("close", source="*", target="closed", roles={"agent"}),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        calendar=calendar if calendar is not None else around_the_clock(timezone),
        description="Client Portal: open, information needed, in progress, closed for good.",
    )
