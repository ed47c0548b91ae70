"""Family 10: stored tickets migrated to a changed definition of their workflow.

The tickets are family 8's (:func:`benchmarks._cases.due_tickets`): the timed
six-status workflow, nine in ten started on the day of ``now``, one in ten
resolved a week earlier. The new definition closes resolved tickets after 2
business days instead of 3, resolves waiting ones after 1 instead of 2, and
gives the SLA 4 business hours instead of 8: every timer and running clock is
computed again.
"""

from __future__ import annotations

import gc
import statistics
import time as _time
from collections.abc import Callable
from dataclasses import dataclass

import attrs

import ticketflow as tf

from ._cases import ADVANCE_NOW, due_tickets, support_workflow

__all__ = ["MassMigrate", "changed_workflow", "mass_migrate", "render_mass_migrate"]


def changed_workflow(wf: tf.Workflow) -> tf.Workflow:
    """``wf`` (the timed support workflow) with shorter timers and a tighter SLA."""
    close, resolve = wf.timers
    return attrs.evolve(
        wf,
        timers=[
            attrs.evolve(close, after=tf.business_days(2)),
            attrs.evolve(resolve, after=tf.business_days(1)),
        ],
        slas=[attrs.evolve(wf.slas[0], target=tf.business_hours(4))],
    )


@dataclass(frozen=True)
class MassMigrate:
    """What family 10 measured.

    Attributes:
        tickets: How many tickets.
        moved: Tickets whose next deadline the migration moved.
        migrate_seconds: CPU seconds per pass of ``migrate``, one per repeat.
        stored_seconds: CPU seconds per pass of ``from_dict``, ``migrate`` and
            ``to_dict`` (a store's read, migrate, write), one per repeat.
        plan_seconds: CPU seconds per pass of ``migration_plan``, one per repeat.
    """

    tickets: int
    moved: int
    migrate_seconds: tuple[float, ...]
    stored_seconds: tuple[float, ...]
    plan_seconds: tuple[float, ...]

    @property
    def per_second(self) -> float:
        """Tickets migrated per CPU second (median pass)."""
        return self.tickets / statistics.median(self.migrate_seconds)


def mass_migrate(count: int, repeats: int) -> MassMigrate:
    """Build ``count`` tickets with ``due_tickets``, then time migrating them all at ``now``."""
    old = support_workflow(timed=True)
    new = changed_workflow(old)
    tickets = due_tickets(old, count)
    stored = [t.to_dict() for t in tickets]
    now = ADVANCE_NOW
    migrate, plan = new.migrate, new.migration_plan
    moved = sum(1 for t in tickets if migrate(t, at=now).ticket.next_deadline != t.next_deadline)
    from_dict = tf.Ticket.from_dict

    def migrate_all() -> None:
        for t in tickets:
            migrate(t, at=now)

    def stored_all() -> None:
        for data in stored:
            migrate(from_dict(data), at=now).ticket.to_dict()

    def plan_all() -> None:
        for t in tickets:
            plan(t, at=now)

    return MassMigrate(
        tickets=count,
        moved=moved,
        migrate_seconds=_timed(migrate_all, repeats),
        stored_seconds=_timed(stored_all, repeats),
        plan_seconds=_timed(plan_all, repeats),
    )


def _timed(work: Callable[[], None], repeats: int) -> tuple[float, ...]:
    seconds = []
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = _time.process_time()
            work()
            seconds.append(_time.process_time() - t0)
        finally:
            gc.enable()
    return tuple(seconds)


def _row(label: str, seconds: tuple[float, ...], count: int) -> tuple[str, str]:
    med = statistics.median(seconds)
    spread = (max(seconds) - min(seconds)) / med * 100
    return label, f"{count / med:,.0f} ({med / count * 1e6:.2f} µs each, min-max {spread:.1f} %)"


def render_mass_migrate(m: MassMigrate) -> str:
    """Family 10 as a Markdown table."""
    rows = [
        ("tickets", f"{m.tickets:,}"),
        ("tickets whose next deadline moved", f"{m.moved:,}"),
        _row("`migrate`, tickets per second", m.migrate_seconds, m.tickets),
        _row("`from_dict`, `migrate`, `to_dict`, per second", m.stored_seconds, m.tickets),
        _row("`migration_plan`, tickets per second", m.plan_seconds, m.tickets),
    ]
    lines = [
        f"### 10. Migrate {m.tickets:,} stored tickets",
        "",
        "Target: report tickets migrated per second.",
        "",
        "| measure | value |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in rows),
        "",
        "* `new.migrate(ticket, at=now)` over every ticket of family 8's list (median CPU "
        "time of the passes); the new definition shortens both timers (3 -> 2 and 2 -> 1 "
        "business days) and the SLA target (8 -> 4 business hours), so every timer and "
        "running clock is computed again on the office calendar.",
    ]
    return "\n".join(lines) + "\n"
