"""A workflow's definitions compiled into the one value the engine reads.

Theory of operation: :func:`compile_tables` runs once, on definitions that
``_validate.py`` has already accepted, and returns a frozen :class:`Tables`:

* ``table[status][event]`` -> the candidate transitions, in definition order
  (guarded ones first, so an unguarded fallback comes last);
* ``timers_by_status[status]`` -> the indices (into ``timers``) of the timers
  armed on entering it;
* the status categories, and for each SLA the categories that pause it;
* the SLA definitions, the default calendar and the workflow's name.

After that, applying an event costs a dict lookup or two plus the guard,
whatever the workflow's size. Nothing here imports the engine or ``Workflow``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from attrs import frozen

from ._calendar import ALWAYS_OPEN, BusinessCalendar
from ._definitions import ANY, CalendarSpec, Status, Timer, Transition
from ._sla import SLA

__all__ = ["Tables", "compile_tables", "expand_sources"]


@frozen
class Tables:
    """Everything the engine needs from a workflow, compiled once.

    Attributes:
        name: The workflow's name (stored in its tickets).
        version: The workflow's version (stored in its tickets).
        table: ``table[status][event]`` -> candidate transitions, guarded first.
        categories: Each status's category.
        statuses: Each status by name, in definition order.
        transitions: Every transition, in definition order (for diagrams).
        timers: Every timer, in definition order (tickets store their indices).
        timers_by_status: The indices of the timers armed on entering each status.
        slas: Every SLA, in definition order (clocks store their indices).
        initial: The initial status's name.
        terminal: The terminal statuses' names.
        pausing: For each SLA, the categories in which its clock is paused.
        calendar: The calendar for timers and SLAs that name none.
        timer_calendars: Each timer's calendar, or None when a callable
            chooses it from the ticket's attributes.
        sla_calendars: Each SLA's calendar, the same way.
    """

    name: str
    version: str
    table: dict[str, dict[str, tuple[Transition, ...]]]
    categories: dict[str, str]
    statuses: dict[str, Status]
    transitions: tuple[Transition, ...]
    timers: tuple[Timer, ...]
    timers_by_status: dict[str, tuple[int, ...]]
    slas: tuple[SLA, ...]
    initial: str
    terminal: frozenset[str]
    pausing: tuple[frozenset[str], ...]
    calendar: CalendarSpec | None
    timer_calendars: tuple[BusinessCalendar | None, ...] = ()
    sla_calendars: tuple[BusinessCalendar | None, ...] = ()


def expand_sources(
    sources: Sequence[str], statuses: Mapping[str, Status], terminal: set[str] | frozenset[str]
) -> list[str]:
    """The known statuses ``sources`` names, ``"*"`` expanded to the non-terminal ones."""
    out: list[str] = []
    for src in sources:
        if src == ANY:
            out.extend(n for n in statuses if n not in terminal)
        elif src in statuses:
            out.append(src)
    return list(dict.fromkeys(out))


def compile_tables(
    name: str,
    statuses: Sequence[Status],
    transitions: Sequence[Transition],
    timers: Sequence[Timer],
    slas: Sequence[SLA],
    calendar: CalendarSpec | None,
    version: str,
) -> Tables:
    """Compile valid definitions into :class:`Tables`."""
    by_name = {s.name: s for s in statuses}
    terminal = frozenset(n for n, s in by_name.items() if s.terminal)
    table: dict[str, dict[str, list[Transition]]] = {n: {} for n in by_name}
    for t in transitions:
        for src in expand_sources(t.source, by_name, terminal):
            table[src].setdefault(t.event, []).append(t)
    frozen_table = {
        src: {
            # guarded candidates first, in definition order; the unguarded fallback last
            ev: tuple(sorted(cands, key=lambda t: t.guard is None))
            for ev, cands in evs.items()
        }
        for src, evs in table.items()
    }

    def fixed(spec: CalendarSpec | None) -> BusinessCalendar | None:
        if spec is None:
            spec = calendar
        if spec is None:
            return ALWAYS_OPEN
        return spec if isinstance(spec, BusinessCalendar) else None

    armed: dict[str, list[int]] = {n: [] for n in by_name}
    for i, tm in enumerate(timers):
        armed[tm.status].append(i)
    return Tables(
        name=name,
        version=version,
        table=frozen_table,
        categories={n: s.category for n, s in by_name.items()},
        statuses=by_name,
        transitions=tuple(transitions),
        timers=tuple(timers),
        timers_by_status={n: tuple(v) for n, v in armed.items()},
        slas=tuple(slas),
        initial=next(n for n, s in by_name.items() if s.initial),
        terminal=terminal,
        pausing=tuple(sla.pause_in for sla in slas),
        calendar=calendar,
        timer_calendars=tuple(fixed(tm.calendar) for tm in timers),
        sla_calendars=tuple(fixed(sla.calendar) for sla in slas),
    )
