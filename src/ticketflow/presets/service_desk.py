"""``service-desk``: a knowledge-base service desk that always reopens (seed 003).

The article: "You can always reply again to your own ticket at any time of the
process, even when our team considers it as resolved or closed. Our system will
then automatically reopen it regardless." "Any ticket resolved will be
automatically closed after 48h as we consider you chose not to reopen it."
"Any ticket awaiting for your reply for more than 7 days will be automatically
closed after our system will have sent a brief reminder to your inbox."
"""

from __future__ import annotations

import ticketflow as tf

from ._common import around_the_clock

__all__ = ["service_desk"]

_NOT_CLOSED = ["in_queue", "processing", "awaiting_reply", "resolved", "reopened"]


def service_desk(
    *,
    timezone: str = "UTC",
    calendar: tf.BusinessCalendar | None = None,
    name: str = "service-desk",
) -> tf.Workflow:
    """The service desk's ticket lifecycle.

    A resolved ticket closes after ``tf.hours(48)``: 48 real hours, across a
    DST change too. A ticket awaiting the requester's reply closes after
    ``tf.days(7)``: seven calendar days in ``timezone``, the same wall-clock
    time; its one reminder comes a day before.

    Where the article is silent, this preset chooses:

    * ``closed`` is not terminal: a reply reopens it, as the article promises.
    * A reply while the ticket is queued, processed or reopened keeps its
      status; one to a ticket awaiting it sends it back to processing.
    * Resolving emits a ``survey`` effect ("a survey will be displayed");
      closing does not.
    * Only agents close by hand; the requester's way out is not to reply.

    Args:
        timezone: The zone calendar days are counted in (default UTC).
        calendar: A calendar to count on instead of a 24/7 one in ``timezone``.
        name: The workflow's name.
    """
    statuses = [
        tf.Status(
            "in_queue",
            category="new",
            initial=True,
            label="In queue for Processing",
            description="We will work on your ticket as soon as possible.",
        ),
        tf.Status(
            "processing",
            category="open",
            label="Being Processed",
            description="We are actively working on your ticket.",
        ),
        tf.Status(
            "awaiting_reply",
            category="pending",
            label="Awaiting your Reply",
            description="We need you to provide more information about your ticket.",
        ),
        tf.Status(
            "resolved",
            category="solved",
            label="Resolved",
            description="We have provided you with a final response to your ticket.",
        ),
        tf.Status(
            "closed",
            category="closed",
            label="Closed",
            description="We are no longer handling this ticket.",
        ),
        tf.Status(
            "reopened",
            category="open",
            label="Reopened",
            description="You have requested to reopen your ticket.",
        ),
    ]
    transitions = [
        tf.Transition(
            "start_processing",
            source=["in_queue", "reopened"],
            target="processing",
            roles={"agent"},
        ),
        tf.Transition(
            "request_info",
            source=["processing", "reopened"],
            target="awaiting_reply",
            roles={"agent"},
        ),
        tf.Transition(
            "customer_reply", source="awaiting_reply", target="processing", roles={"customer"}
        ),
        tf.Transition(
            "customer_reply", source=["resolved", "closed"], target="reopened", roles={"customer"}
        ),
        tf.Transition(
            "customer_reply", source=["in_queue", "processing", "reopened"], roles={"customer"}
        ),
        tf.Transition(
            "resolve",
            source=["in_queue", "processing", "awaiting_reply", "reopened"],
            target="resolved",
            roles={"agent"},
            effects=["survey"],
        ),
        tf.Transition("close", source=_NOT_CLOSED, target="closed", roles={"agent"}),
        tf.Transition(
            "auto_close", source=["resolved", "awaiting_reply"], target="closed", roles={"system"}
        ),
    ]
    timers = [
        tf.Timer("resolved", after=tf.hours(48), event="auto_close"),
        tf.Timer(
            "awaiting_reply", after=tf.days(7), event="auto_close", remind_before=[tf.days(1)]
        ),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        timers=timers,
        calendar=calendar if calendar is not None else around_the_clock(timezone),
        description="Service desk: resolved tickets close after 48h, unanswered ones after "
        "7 days, and any reply reopens.",
    )
