"""SLA reports over many tickets: counts, share met, median and 90th percentile.

A pure function over snapshots: it reads each ticket's clocks as
:meth:`Workflow.sla` does at ``now`` (so what fell due by then counts), and
every cycle of a clock counts, the finished ones (kept by restarts) and the
current one.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from attrs import frozen

from ._checks import show
from ._errors import ArgumentError
from ._ticket import Ticket
from ._workflow import Workflow

__all__ = ["SlaReport", "sla_report"]

_US = timedelta(microseconds=1)


@frozen
class SlaReport:
    """What the clocks of one SLA name say over a set of tickets.

    Attributes:
        met: Cycles that stopped before their target.
        breached: Cycles that reached their target.
        running: Current cycles still counting, not yet breached.
        paused: Current cycles paused (or waiting for their start event).
        met_share: ``met / (met + breached)``, or None when both are 0.
        median: The median elapsed time of the met and breached cycles, or
            None when there are none.
        p90: Their 90th percentile (``statistics.quantiles(..., n=10,
            method="inclusive")[8]``), or None when there are none.
    """

    met: int
    breached: int
    running: int
    paused: int
    met_share: float | None
    median: timedelta | None
    p90: timedelta | None


def sla_report(wf: Workflow, tickets: Iterable[Ticket], *, now: datetime) -> dict[str, SlaReport]:
    """Per SLA name of ``wf`` (in definition order), the report over ``tickets`` at ``now``.

    Raises:
        ArgumentError: ``wf`` is not a Workflow or ``tickets`` not an iterable.
        SnapshotError: a ticket is not one of ``wf``'s.
        OutOfOrderError: ``now`` is before a ticket's last change.
        InstantError: ``now`` is not an aware datetime in the supported range.
    """
    if not isinstance(wf, Workflow):
        raise ArgumentError(f"wf must be a Workflow, got {show(wf)}", "wf", wf)
    if isinstance(tickets, str | bytes | Mapping) or not isinstance(tickets, Iterable):
        raise ArgumentError(
            f"tickets must be an iterable of tickets, got {show(tickets)}", "tickets", tickets
        )
    names = list(dict.fromkeys(sla.name for sla in wf.slas))
    counts = {name: {"met": 0, "breached": 0, "running": 0, "paused": 0} for name in names}
    elapsed: dict[str, list[timedelta]] = {name: [] for name in names}
    for ticket in tickets:
        for clock in wf.sla(ticket, now=now):
            tally, done = counts[clock.name], elapsed[clock.name]
            for cycle in clock.cycles:
                tally[cycle.state] += 1
                done.append(cycle.elapsed)
            tally[clock.state] += 1
            if clock.state in ("met", "breached"):
                done.append(clock.elapsed)
    return {name: _report(counts[name], elapsed[name]) for name in names}


def _report(tally: Mapping[str, int], elapsed: list[timedelta]) -> SlaReport:
    met, breached = tally["met"], tally["breached"]
    ended = met + breached
    median = p90 = None
    if elapsed:
        # on whole microseconds: the statistics module computes on numbers
        us = [e // _US for e in elapsed]
        median = timedelta(microseconds=statistics.median(us))
        high = us[0] if len(us) == 1 else statistics.quantiles(us, n=10, method="inclusive")[8]
        p90 = timedelta(microseconds=high)
    return SlaReport(
        met=met,
        breached=breached,
        running=tally["running"],
        paused=tally["paused"],
        met_share=met / ended if ended else None,
        median=median,
        p90=p90,
    )
