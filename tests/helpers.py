"""Small workflows shared by the engine tests.

The support workflow's statuses are the benchmarks' (one definition for both).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import ticketflow as tf
from benchmarks._cases import SUPPORT_STATUSES

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    """T0 plus some hours."""
    return T0 + timedelta(hours=hours)


def is_vip(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """Guard: the ticket's attrs say vip."""
    return bool(ticket.attrs.get("vip"))


def entity(ticket: tf.Ticket, ctx: tf.Context) -> str | None:
    """sub_status from the event's data."""
    data: Any = ctx.data or {}
    return f"Waiting For: {data['entity']}" if "entity" in data else None


def support_flow(**overrides: Any) -> tf.Workflow:
    """A 6-status workflow with roles, a guard, effects, a follow-up and a timer."""
    spec: dict[str, Any] = {
        "name": "support",
        "statuses": list(SUPPORT_STATUSES),
        "transitions": [
            tf.Transition("assign", source="new", target="assigned", roles={"agent"}),
            tf.Transition("escalate", source="new", target="assigned", guard=is_vip),
            tf.Transition("ask", source="assigned", target="waiting", roles={"agent"}),
            tf.Transition(
                "hold", source="assigned", target="on_hold", roles={"agent"}, sub_status=entity
            ),
            tf.Transition(
                "reply",
                source=["waiting", "on_hold", "resolved"],
                target="assigned",
                roles={"customer"},
            ),
            tf.Transition(
                "resolve",
                source=["assigned", "waiting", "on_hold"],
                target="resolved",
                roles={"agent"},
                effects=["survey"],
            ),
            tf.Transition("auto_resolve", source="waiting", target="resolved", roles={"system"}),
            tf.Transition("close", source="*", target="closed", roles={"agent", "system"}),
            tf.Transition("comment", source="*", target=None),
            tf.Transition(
                "reply",
                source="closed",
                target=None,
                roles={"customer"},
                effects=[tf.Effect("follow_up")],
            ),
        ],
        "timers": [
            tf.Timer(
                "waiting",
                after=timedelta(hours=48),
                event="auto_resolve",
                reminders=[timedelta(hours=24)],
            ),
            tf.Timer(
                "resolved",
                after=timedelta(hours=72),
                event="close",
                remind_before=[timedelta(hours=12)],
            ),
        ],
    }
    spec.update(overrides)
    return tf.Workflow(**spec)


def walk(
    wf: tf.Workflow,
    *events: tuple[str, str],
    start: datetime,
    id: str,
    step: timedelta = timedelta(hours=1),
) -> tf.Ticket:
    """A ticket ``id`` started at ``start`` and moved by ``(event, actor)`` pairs ``step`` apart."""
    ticket = wf.start(at=start, id=id).ticket
    for i, (event, actor) in enumerate(events, start=1):
        ticket = wf.apply(ticket, event, at=start + step * i, actor=actor).ticket
    return ticket
