"""``pending-states``: Znuny/OTRS pending states with a pending time set per ticket.

The admin manual's ticket states
(http://otrs.github.io/doc/manual/admin/3.2/en/html/ticket-settings.html, the
states Znuny keeps): "The default states of OTRS are: 'closed successful',
'closed unsuccessful', 'merged', 'new', 'open', 'pending auto close+',
'pending auto close-', 'pending reminder' and 'removed'." "Pending reminder:
After the pending time has expired, the ticket owner will receive a reminder
email concerning the ticket." "Pending auto close-: Tickets in this status will
be set to 'Closed Unsuccessful' if the pending time has expired." "Pending auto
close+: Tickets in this status will be set to 'Closed Successful' if the
pending time has expired."

Znuny's agent quickstart
(https://doc.znuny.org/znuny-7_2-agent-quickstart/the-basics/index.html): "The
ticket enters the system, usually with State: new". Znuny's FollowUpTime page
(https://www.znuny.com/en/product/add-ons/followuptime): "By default, Znuny
allows customers to reopen closed tickets indefinitely by simply responding".
"""

from __future__ import annotations

import ticketflow as tf

from ._common import around_the_clock

__all__ = ["PENDING", "pending_states"]

#: The three pending statuses, each with a pending time in ``pending_until``.
PENDING: tuple[str, ...] = (
    "pending_reminder",
    "pending_auto_close_plus",
    "pending_auto_close_minus",
)

_CLOSED = ["closed_successful", "closed_unsuccessful"]


def pending_states(
    *,
    timezone: str = "UTC",
    calendar: tf.BusinessCalendar | None = None,
    name: str = "pending-states",
) -> tf.Workflow:
    """Znuny's default ticket states, with the pending time chosen by the agent.

    The pending time is an absolute instant the agent picks for each ticket:
    the event that sets a pending status carries it as
    ``data["pending_until"]`` (an aware datetime, or an ISO 8601 string with an
    offset), and the status's timer falls due at that instant exactly, across a
    DST change too. ``timezone`` (a 24/7 calendar) or ``calendar`` only set the
    zone instants are shown in; no duration is counted on them.

    Where the documentation is silent, this preset chooses:

    * The reminder is sent once, at the pending time, as a ``notify`` effect;
      the ticket stays in ``pending_reminder``. Moving the pending time
      (``set_pending_time``) arms it again. The manual's repeats every 24
      hours and its business-hours window are left to the caller.
    * A pending time already past when it is set falls due at once.
    * A customer reply sends a pending or closed ticket back to ``open`` (the
      pending time is cancelled with its status); on ``new`` and ``open`` it
      keeps the status.
    * Agents set every status; ``merged`` is terminal. ``removed`` (hidden
      from the customer) is not modelled.

    Args:
        timezone: The zone instants are shown in (default UTC).
        calendar: A calendar to use instead of a 24/7 one in ``timezone``.
        name: The workflow's name.
    """
    statuses = [
        tf.Status(
            "new",
            category="new",
            initial=True,
            label="new",
            description="Tickets are usually in this state when created from incoming e-mails.",
        ),
        tf.Status(
            "open",
            category="open",
            label="open",
            description="This is the default state for tickets assigned to queues and agents.",
        ),
        tf.Status(
            "pending_reminder",
            category="pending",
            label="pending reminder",
            description="After the pending time has expired, the ticket owner will receive a "
            "reminder email concerning the ticket.",
        ),
        tf.Status(
            "pending_auto_close_plus",
            category="pending",
            label="pending auto close+",
            description='Tickets in this status will be set to "Closed Successful" if the '
            "pending time has expired.",
        ),
        tf.Status(
            "pending_auto_close_minus",
            category="pending",
            label="pending auto close-",
            description='Tickets in this status will be set to "Closed Unsuccessful" if the '
            "pending time has expired.",
        ),
        tf.Status(
            "closed_successful",
            category="closed",
            label="closed successful",
            description="This is the end state for tickets that have been successfully resolved.",
        ),
        tf.Status(
            "closed_unsuccessful",
            category="closed",
            label="closed unsuccessful",
            description="This is the end state for tickets that have not been successfully "
            "resolved.",
        ),
        tf.Status(
            "merged",
            category="closed",
            terminal=True,
            label="merged",
            description="This is the state for tickets that have been merged with other tickets.",
        ),
    ]
    not_done = ["new", "open", *PENDING]
    transitions = [
        tf.Transition("open", source=["new", *PENDING, *_CLOSED], target="open", roles={"agent"}),
        *(
            tf.Transition(
                f"set_{status}",
                source=["new", "open", *(p for p in PENDING if p != status)],
                target=status,
                roles={"agent"},
                set_attrs=("pending_until",),
            )
            for status in PENDING
        ),
        tf.Transition(
            "set_pending_time", source=list(PENDING), roles={"agent"}, set_attrs=("pending_until",)
        ),
        tf.Transition(
            "pending_time_reached",
            source="pending_reminder",
            roles={"system"},
            effects=[tf.Effect("notify", data={"to": "owner"})],
        ),
        tf.Transition(
            "auto_close",
            source="pending_auto_close_plus",
            target="closed_successful",
            roles={"system"},
        ),
        tf.Transition(
            "auto_close",
            source="pending_auto_close_minus",
            target="closed_unsuccessful",
            roles={"system"},
        ),
        tf.Transition(
            "customer_reply", source=[*PENDING, *_CLOSED], target="open", roles={"customer"}
        ),
        tf.Transition("customer_reply", source=["new", "open"], roles={"customer"}),
        tf.Transition(
            "close_successful", source=not_done, target="closed_successful", roles={"agent"}
        ),
        tf.Transition(
            "close_unsuccessful", source=not_done, target="closed_unsuccessful", roles={"agent"}
        ),
        tf.Transition("merge", source=[*not_done, *_CLOSED], target="merged", roles={"agent"}),
    ]
    timers = [
        tf.Timer("pending_reminder", at="pending_until", event="pending_time_reached"),
        tf.Timer("pending_auto_close_plus", at="pending_until", event="auto_close"),
        tf.Timer("pending_auto_close_minus", at="pending_until", event="auto_close"),
    ]
    return tf.Workflow(
        name=name,
        statuses=statuses,
        transitions=transitions,
        timers=timers,
        calendar=calendar if calendar is not None else around_the_clock(timezone),
        description="Znuny pending states: at the pending time the agent chose, remind the "
        "owner or close the ticket as successful or unsuccessful.",
    )
