"""Family 11: an event that pauses SLA clocks with warnings and escalations pending.

The baseline is family 2's plain timed event on the support workflow (``resolve``
pauses its 8-business-hour SLA and arms a 3-business-day timer, ``reply`` resumes
the SLA and drops the timer). The measured case runs the same two events on the
same workflow whose SLA also has two warnings (at half and three quarters of
the target) and two escalation levels: pausing drops the warnings still to
send with the breach, and resuming computes them again on the calendar (the
escalations wait for the breach).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import ticketflow as tf
from benchmarks._cases import BASELINE, START, support_workflow
from benchmarks._harness import Case, Family

__all__ = ["notices_family"]


def notices_workflow() -> tf.Workflow:
    """The timed support workflow, its SLA with two warnings and two escalation levels."""
    base = support_workflow(timed=True)
    return tf.Workflow(
        name="support-notices",
        statuses=list(base.statuses),
        transitions=list(base.transitions),
        timers=list(base.timers),
        slas=[
            tf.SLA(
                "next_response",
                target=tf.business_hours(8),
                stop_on={"close"},
                warn_at=(0.5, 0.75),
                escalate_after=(tf.hours(1), tf.hours(4)),
            ),
        ],
        calendar=base.calendar,
    )


def _cycle(wf: tf.Workflow) -> Callable[[], object]:
    """``resolve`` then ``reply`` from a stored ticket in ``assigned`` an hour after start."""
    at = START + timedelta(hours=1)
    ticket = wf.start(at=START, id="T-1").ticket
    ticket = wf.apply(ticket, "assign", at=START + timedelta(minutes=5), actor="agent").ticket
    apply = wf.apply

    def cycle() -> object:
        out = apply(ticket, "resolve", at=at, actor="agent")
        return apply(out.ticket, "reply", at=at, actor="customer").ticket.status

    return cycle


def pending_notices(wf: tf.Workflow) -> list[tuple[str, str]]:
    """The warning and escalation items of the stored ticket the cycle starts from."""
    ticket = wf.start(at=START, id="T-1").ticket
    ticket = wf.apply(ticket, "assign", at=START + timedelta(minutes=5), actor="agent").ticket
    return [(d.kind, d.name) for d in ticket.agenda if d.kind in ("sla_warning", "sla_escalation")]


def notices_family() -> Family:
    """Family 11: pausing and resuming clocks with warnings and escalations pending."""
    family = Family(
        key="notices",
        title="11. An event that pauses an SLA with warnings and escalations pending",
        target="within 1.5x of the plain timed event.",
        baseline_operation="plain timed event",
        ratio_limit=1.5,
        notes=[
            "'plain timed event' is family 2's cycle; 'with notices pending' runs it on the "
            "same workflow whose SLA also has two warnings still to send and two escalation "
            "levels: `resolve` pauses the clock (dropping the warnings with the breach) and "
            "`reply` resumes it (computing them again on the business calendar). Two "
            "operations per call.",
        ],
    )
    family.cases.append(
        Case("plain timed event", BASELINE, _cycle(support_workflow(timed=True)), 2)
    )
    family.cases.append(Case("with notices pending", BASELINE, _cycle(notices_workflow()), 2))
    return family
