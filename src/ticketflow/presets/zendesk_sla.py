"""``zendesk-sla``: reply and wait-time targets as Zendesk SLA policies define them.

Source: Zendesk's help article "Defining SLA policies", which describes the
metrics a policy sets targets on (first reply time, next reply time, requester
wait time, ...), targets by ticket priority in calendar or business hours,
and what fulfils or pauses each metric. The statuses and events are Zendesk
Support's: new, open, pending, on-hold, solved and closed; an agent's public
reply, a requester's comment, solving.
"""

from __future__ import annotations

import ticketflow as tf

from ._common import around_the_clock

__all__ = ["PRIORITIES", "first_reply_done", "zendesk_sla"]

#: The priorities a ticket may carry (Zendesk's); only ``urgent`` changes a target.
PRIORITIES: tuple[str, ...] = ("low", "normal", "high", "urgent")

_OPEN_FOR_WORK = ["new", "open", "pending", "on_hold"]


def first_reply_done(ticket: tf.Ticket, context: tf.Context) -> bool:
    """True once the ticket's ``first_reply`` clock has stopped: the first reply was given.

    On time or late alike: a late first reply leaves the clock ``breached``
    but stopped, and next-reply targets apply from then on.
    """
    clock = ticket.sla_state("first_reply")
    return clock is not None and clock.stopped


def zendesk_sla(
    *,
    timezone: str = "America/New_York",
    calendar: tf.BusinessCalendar | None = None,
    holidays: str = "US",
    name: str = "zendesk-sla",
) -> tf.Workflow:
    """A Zendesk-style ticket lifecycle under one SLA policy with three metrics.

    Tickets carry the attribute ``priority`` (``low``, ``normal``, ``high`` or
    ``urgent``). The business calendar is ``calendar``, by default
    Monday-Friday 09:00-17:00 in ``timezone`` without the ``holidays``
    country's public holidays (US federal holidays: Thanksgiving counts, the
    Friday after it does not).

    * ``first_reply``: 1 calendar hour for ``urgent`` tickets, 8 business
      hours for every other ticket (a missing priority included); from
      creation to the first public reply by an agent.
    * ``next_reply``: 4 business hours from a requester's comment to the
      next public reply by an agent; it starts (and restarts once met or
      breached) only on a comment made after the first reply was given
      (:func:`first_reply_done`), late or not.
    * ``requester_wait``: 16 business hours of the ticket waiting on the
      team, paused while ``pending``, ``on_hold`` or ``solved``, stopped when
      the ticket closes.
    * Each sends an ``sla_warning`` 30 real minutes (``tf.minutes(30)``)
      before its breach, which on a business target may fall outside
      business hours (before 09:00 for a breach at 09:15), and an
      ``sla_escalation`` 1 and 4 hours after the breach, counted in the
      target's measure: real hours for the urgent first reply, business
      hours for the others.

    Where the article is silent, this preset chooses:

    * A public reply is ``agent_reply`` (the status stays, ``new`` becomes
      ``open``) or ``request_info`` (the ticket becomes ``pending``); an
      ``internal_note`` is not a reply and stops nothing.
    * ``solve`` without a public reply also ends the reply clocks: nothing is
      left to answer. A requester's comment reopens a ``pending``,
      ``on_hold`` or ``solved`` ticket (``open``) and, once the first reply
      was given, starts ``next_reply``.
    * The reply clocks do not pause in any status: a ticket put on hold
      unanswered still owes its reply.
    * The requester wait target is 16 business hours (two working days), and
      it pauses on hold too; Zendesk's own requester wait time keeps counting
      on hold (its agent work time is the one that pauses there).
    * A solved ticket closes after ``tf.days(4)`` (calendar days in
      ``timezone``), as Zendesk's default automation does; ``close`` is the
      system's, and ``closed`` is terminal.

    Args:
        timezone: The zone of the business hours (default America/New_York).
        calendar: The business calendar, instead of the default.
        holidays: Country code of the public holidays (default ``"US"``).
        name: The workflow's name.
    """
    business = calendar
    if business is None:
        business = tf.BusinessCalendar(
            timezone=timezone,
            hours=tf.weekdays("09:00", "17:00"),
            holidays=tf.country_holidays(holidays),
        )
    statuses = [
        tf.Status(
            "new",
            category="new",
            initial=True,
            label="New",
            description="Submitted; no agent has worked on it yet.",
        ),
        tf.Status("open", category="open", label="Open", description="Assigned and in work."),
        tf.Status(
            "pending",
            category="pending",
            label="Pending",
            description="The agent asked the requester for information and waits for it.",
        ),
        tf.Status(
            "on_hold",
            category="on_hold",
            label="On-hold",
            description="The agent waits on a third party; the requester sees it as open.",
        ),
        tf.Status(
            "solved",
            category="solved",
            label="Solved",
            description="Solved; a comment from the requester reopens it.",
        ),
        tf.Status(
            "closed",
            category="closed",
            terminal=True,
            label="Closed",
            description="Closed for good, four days after it was solved.",
        ),
    ]
    agent = {"agent"}
    transitions = [
        tf.Transition("agent_reply", source="new", target="open", roles=agent),
        tf.Transition("agent_reply", source=["open", "pending", "on_hold"], roles=agent),
        tf.Transition(
            "request_info", source=["new", "open", "on_hold"], target="pending", roles=agent
        ),
        tf.Transition("hold", source=["new", "open", "pending"], target="on_hold", roles=agent),
        tf.Transition("solve", source=_OPEN_FOR_WORK, target="solved", roles=agent),
        tf.Transition("customer_comment", source=["new", "open"], roles={"customer"}),
        tf.Transition(
            "customer_comment",
            source=["pending", "on_hold", "solved"],
            target="open",
            roles={"customer"},
        ),
        tf.Transition("internal_note", source=[*_OPEN_FOR_WORK, "solved"], roles=agent),
        tf.Transition("close", source="solved", target="closed", roles={"system"}),
    ]
    replied = {
        tf.On("agent_reply", roles=agent),
        tf.On("request_info", roles=agent),
        tf.On("solve", roles=agent),
    }
    comment = tf.On("customer_comment", roles={"customer"}, guard=first_reply_done)
    warn = (tf.minutes(30),)
    escalate = (tf.hours(1), tf.hours(4))
    slas = [
        tf.SLA(
            "first_reply",
            target=tf.hours(1),
            when={"priority": "urgent"},
            stop_on=replied,
            pause_in=(),
            warn_before=warn,
            escalate_after=escalate,
        ),
        tf.SLA(
            "first_reply",
            target=tf.business_hours(8),
            calendar=business,
            stop_on=replied,
            pause_in=(),
            warn_before=warn,
            escalate_after=escalate,
        ),
        tf.SLA(
            "next_reply",
            target=tf.business_hours(4),
            calendar=business,
            start_on=comment,
            restart_on={comment},
            stop_on=replied,
            pause_in=(),
            warn_before=warn,
            escalate_after=escalate,
        ),
        tf.SLA(
            "requester_wait",
            target=tf.business_hours(16),
            calendar=business,
            pause_in={"pending", "on_hold", "solved"},
            warn_before=warn,
            escalate_after=escalate,
        ),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        timers=[tf.Timer("solved", after=tf.days(4), event="close")],
        slas=slas,
        calendar=around_the_clock(timezone),
        description="Zendesk-style SLA policy: first reply by priority, next reply, "
        "requester wait, with warnings and escalations.",
    )
