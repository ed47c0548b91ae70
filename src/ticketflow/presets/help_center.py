"""``help-center``: a Help Center counting working days in Madrid (seed 004).

The article: "A ticket automatically switches from 'Awaiting your reply' to
'Resolved' in five working days if we have not received a reply." "Within
three working days, a ticket in 'Resolved' status automatically changes to
'Closed' if we do not receive a reply." "Filter the tickets by their status:
... Open or pending ... Resolved or closed."
"""

from __future__ import annotations

import ticketflow as tf

__all__ = ["help_center"]

_NOT_CLOSED = ["open", "awaiting_reply", "it_working", "resolved"]


def help_center(
    *,
    timezone: str = "Europe/Madrid",
    calendar: tf.BusinessCalendar | None = None,
    holidays: str = "ES",
    subdiv: str | None = None,
    name: str = "help-center",
) -> tf.Workflow:
    """The Help Center's ticket lifecycle on working days.

    Working days are Monday-Friday 09:00-18:00 in ``timezone`` without the
    ``holidays`` country's public holidays (Spain's national ones by default;
    ``subdiv="MD"`` adds Madrid's, or pass a whole ``calendar=``).

    Where the article is silent, this preset chooses:

    * The working hours (09:00-18:00) and the national holidays only.
    * ``auto_resolve`` emits a ``notify`` effect ("We will send you an email
      telling you that the ticket has been resolved"); every close, by hand or
      by timer, emits a ``survey`` effect ("If the ticket is closed, you will
      be able to answer a satisfaction survey").
    * ``closed`` is not terminal: writing again reopens the ticket ("If you
      want to reopen the request, please write to us again").
    * A customer reply while the ticket is open or with IT keeps its status.
    * Customers and agents may add people until the ticket is closed.

    Args:
        timezone: The zone of the working hours (default Europe/Madrid).
        calendar: A calendar to use instead (a region's, a company's).
        holidays: Country code of the public holidays (default ``"ES"``).
        subdiv: A subdivision of that country, for regional holidays.
        name: The workflow's name.
    """
    if calendar is None:
        calendar = tf.BusinessCalendar(
            timezone=timezone,
            hours=tf.weekdays("09:00", "18:00"),
            holidays=tf.country_holidays(holidays, subdiv=subdiv),
        )
    statuses = [
        tf.Status(
            "open",
            category="open",
            initial=True,
            label="Open",
            description="Our team is working on your request.",
        ),
        tf.Status(
            "awaiting_reply",
            category="pending",
            label="Awaiting your reply",
            description="Our team has contacted you offering a solution or requesting more "
            "information in order to manage your request more efficiently.",
        ),
        tf.Status(
            "it_working",
            category="on_hold",
            label="IT working",
            description="Your request needs the intervention of our IT team. We will contact "
            "you to inform you about the progress of your request.",
        ),
        tf.Status(
            "resolved",
            category="solved",
            label="Resolved",
            description="A ticket automatically switches from 'Awaiting your reply' to "
            "'Resolved' in five working days if we have not received a reply.",
        ),
        tf.Status(
            "closed",
            category="closed",
            label="Closed",
            description="Within three working days, a ticket in 'Resolved' status "
            "automatically changes to 'Closed' if we do not receive a reply. If you want to "
            "reopen the request, please write to us again.",
        ),
    ]
    transitions = [
        tf.Transition(
            "reply", source=["open", "it_working"], target="awaiting_reply", roles={"agent"}
        ),
        tf.Transition(
            "escalate_it", source=["open", "awaiting_reply"], target="it_working", roles={"agent"}
        ),
        tf.Transition(
            "customer_reply",
            source=["awaiting_reply", "resolved", "closed"],
            target="open",
            roles={"customer"},
        ),
        tf.Transition("customer_reply", source=["open", "it_working"], roles={"customer"}),
        tf.Transition(
            "close",
            source=_NOT_CLOSED,
            target="closed",
            roles={"customer", "agent"},
            effects=["survey"],
        ),
        tf.Transition(
            "auto_resolve",
            source="awaiting_reply",
            target="resolved",
            roles={"system"},
            effects=["notify"],
        ),
        tf.Transition(
            "auto_close", source="resolved", target="closed", roles={"system"}, effects=["survey"]
        ),
        tf.Transition("add_people", source=_NOT_CLOSED, roles={"customer", "agent"}),
    ]
    timers = [
        tf.Timer("awaiting_reply", after=tf.business_days(5), event="auto_resolve"),
        tf.Timer("resolved", after=tf.business_days(3), event="auto_close"),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        timers=timers,
        calendar=calendar,
        description="Help Center: resolved after five working days without a reply, "
        "closed three working days later.",
    )
