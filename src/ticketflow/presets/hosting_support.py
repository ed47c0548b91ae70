"""``hosting-support``: a hosting company's ticket system with 15-minute SLAs (seed 001).

The article: "The support team responds to most tickets within 15 minutes on
any day, at any hour. The billing and sales teams respond to most tickets
within 15 minutes from 9 a.m.-5 p.m. eastern time (ET), Monday-Friday,
excluding holidays."
"""

from __future__ import annotations

import ticketflow as tf

from ._common import around_the_clock

__all__ = ["BUSINESS_DEPARTMENTS", "DEPARTMENTS", "hosting_support"]

#: The departments a ticket may be filed with.
DEPARTMENTS: tuple[str, ...] = ("support", "billing", "sales")

#: The departments that answer in business hours only.
BUSINESS_DEPARTMENTS: frozenset[str] = frozenset({"billing", "sales"})


def hosting_support(
    *,
    timezone: str = "America/New_York",
    calendar: tf.BusinessCalendar | None = None,
    holidays: str = "US",
    name: str = "hosting-support",
) -> tf.Workflow:
    """The hosting portal's ticket lifecycle and its response-time SLAs.

    Tickets carry the attributes ``department`` (``support``, ``billing`` or
    ``sales``) and ``priority``. Two SLAs of 15 business minutes each:
    ``first_response`` from creation to the first ``agent_reply``, and
    ``next_response`` from each ``customer_reply`` to the next
    ``agent_reply``. Billing and sales count on ``calendar`` (by default
    Monday-Friday 09:00-17:00 in ``timezone`` without the ``holidays``
    country's public holidays); every other ticket counts on a 24/7 calendar.

    Where the article is silent, this preset chooses:

    * Status ids and labels are those such portals show ("Open", "Answered",
      "Customer-Reply", "Closed"); the article names none.
    * A ticket without a department, or with one the article does not list,
      gets the 24/7 support SLA ("use the default settings").
    * A customer reply before the first answer starts ``next_response`` too;
      the first ``agent_reply`` meets both clocks.
    * The clocks pause while the ticket is ``answered`` (waiting on the
      customer) and stop when it is closed. ``priority`` does not change them.
    * ``rate`` is the customer's, in every status, closed included (the
      article lists it among the actions on a completed ticket); ``attach``,
      ``add_recipient`` and ``send_secure_data`` are open to customer and
      agent until the ticket is closed.

    Args:
        timezone: The zone of the business hours (default America/New_York).
        calendar: The billing and sales calendar, instead of the default.
        holidays: Country code of the public holidays (default ``"US"``:
            federal holidays, with their observed days).
        name: The workflow's name.
    """
    business = calendar
    if business is None:
        business = tf.BusinessCalendar(
            timezone=timezone,
            hours=tf.weekdays("09:00", "17:00"),
            holidays=tf.country_holidays(holidays),
        )
    always = around_the_clock(timezone)
    statuses = [
        tf.Status(
            "open",
            category="new",
            initial=True,
            label="Open",
            description="The ticket was submitted and waits for its first answer.",
        ),
        tf.Status(
            "answered",
            category="pending",
            label="Answered",
            description="The team replied; the ticket waits for the customer.",
        ),
        tf.Status(
            "customer_reply",
            category="open",
            label="Customer-Reply",
            description="The customer replied; the ticket waits for the team.",
        ),
        tf.Status(
            "closed",
            category="closed",
            terminal=True,
            label="Closed",
            description="Completed: listed under Support > Completed Tickets.",
        ),
    ]
    everywhere = ["open", "answered", "customer_reply", "closed"]
    transitions = [
        tf.Transition(
            "agent_reply", source=["open", "customer_reply"], target="answered", roles={"agent"}
        ),
        tf.Transition(
            "customer_reply", source="answered", target="customer_reply", roles={"customer"}
        ),
        tf.Transition("customer_reply", source=["open", "customer_reply"], roles={"customer"}),
        tf.Transition("close", source="*", target="closed", roles={"customer", "agent"}),
        tf.Transition("rate", source=everywhere, roles={"customer"}),
        tf.Transition("add_recipient", source="*", roles={"customer", "agent"}),
        tf.Transition("attach", source="*", roles={"customer", "agent"}),
        tf.Transition("send_secure_data", source="*", roles={"customer", "agent"}),
    ]
    target = tf.business_minutes(15)
    in_business = {"department": set(BUSINESS_DEPARTMENTS)}
    slas = [
        tf.SLA(
            "first_response",
            target=target,
            when=in_business,
            calendar=business,
            stop_on={"agent_reply"},
        ),
        tf.SLA("first_response", target=target, calendar=always, stop_on={"agent_reply"}),
        tf.SLA(
            "next_response",
            target=target,
            when=in_business,
            calendar=business,
            start_on="customer_reply",
            stop_on={"agent_reply"},
            restart_on={"customer_reply"},
        ),
        tf.SLA(
            "next_response",
            target=target,
            calendar=always,
            start_on="customer_reply",
            stop_on={"agent_reply"},
            restart_on={"customer_reply"},
        ),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        slas=slas,
        calendar=always,
        description="Hosting support: 15-minute answers, 24/7 for support, "
        "business hours for billing and sales.",
    )
