"""Workflow definitions, their validation, and their compilation to tables.

Theory of operation: a :class:`Workflow` is written as data (statuses,
transitions, timers, SLAs, a calendar). At construction it is checked once,
every problem is collected into one :class:`~ticketflow.WorkflowError`, and
the definition is compiled into lookup tables:

* ``table[status][event]`` -> the candidate transitions, in definition order
  (guarded ones first, so an unguarded fallback comes last);
* ``timers_by_status[status]`` -> the timers armed on entering it;
* the status categories, for SLA pauses and list filters.

After that, applying an event costs a dict lookup or two plus the guard,
whatever the workflow's size. The engine itself lives in ``_engine.py``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from attrs import field, frozen

from . import _engine
from ._calendar import BusinessCalendar
from ._checks import Problems, items, show
from ._definitions import (
    ANY,
    CATEGORIES,
    CalendarSpec,
    Category,
    Guard,
    Status,
    Timer,
    Transition,
)
from ._durations import Duration, compare_durations, describe, is_positive
from ._errors import TransitionError
from ._limits import MAX_STEPS
from ._sla import SLA, SlaClock
from ._tables import Tables, compile_tables, expand_sources
from ._ticket import Event, Outcome, Ticket

__all__ = [
    "CATEGORIES",
    "Category",
    "Guard",
    "Status",
    "Timer",
    "Transition",
    "Workflow",
]


def _statuses(value: Iterable[Status]) -> tuple[Status, ...]:
    return items(value, "workflow statuses")


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return items(value, "workflow transitions")


def _timers(value: Iterable[Timer]) -> tuple[Timer, ...]:
    return items(value, "workflow timers")


def _slas(value: Iterable[SLA]) -> tuple[SLA, ...]:
    return items(value, "workflow slas")


@frozen
class Workflow:
    """A declarative ticket workflow, validated and compiled once.

    Attributes:
        name: The workflow's name (stored in its tickets).
        statuses: Every status.
        transitions: Every transition, timed ones included.
        timers: Timers that send events after a while in a status.
        slas: Service-level targets.
        calendar: The calendar for timers and SLAs that name none (or a
            callable choosing one from the ticket's attributes);
            ``ALWAYS_OPEN`` by default.
        description: What the workflow is for.

    Raises:
        WorkflowError: listing every problem found.
    """

    name: str
    statuses: tuple[Status, ...] = field(converter=_statuses)
    transitions: tuple[Transition, ...] = field(converter=_transitions)
    timers: tuple[Timer, ...] = field(default=(), converter=_timers)
    slas: tuple[SLA, ...] = field(default=(), converter=_slas)
    calendar: CalendarSpec | None = field(default=None, eq=False)
    description: str | None = field(default=None, eq=False)
    _tables: Tables = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise problems.error(self.name)
        object.__setattr__(
            self,
            "_tables",
            compile_tables(
                self.name, self.statuses, self.transitions, self.timers, self.slas, self.calendar
            ),
        )

    # --- reading the definition -----------------------------------------------------------

    @property
    def initial(self) -> str:
        """The initial status's name."""
        return self._tables.initial

    def status(self, name: str) -> Status:
        """The :class:`Status` called ``name``.

        Raises:
            TransitionError: naming an unknown status (or a name that is not a string).
        """
        found = self._tables.statuses.get(name) if isinstance(name, str) else None
        if found is None:
            known = _listing(self._tables.statuses)
            status = name if isinstance(name, str) else show(name)
            raise TransitionError(status, "", (), f"unknown status {show(name)} (known: {known})")
        return found

    def category(self, status: str) -> str:
        """The category of ``status``.

        Raises:
            TransitionError: naming an unknown status.
        """
        return self.status(status).category

    def statuses_in(self, *categories: str) -> tuple[str, ...]:
        """Names of the statuses in any of ``categories`` (a portal's list filter).

        Raises:
            WorkflowError: naming each unknown category.
        """
        problems = Problems()
        for c in categories:
            if not isinstance(c, str) or c not in CATEGORIES:
                problems.add(
                    f"unknown category {show(c)} (expected one of {', '.join(CATEGORIES)})"
                )
        if problems:
            raise problems.error(self.name)
        return tuple(s.name for s in self.statuses if s.category in categories)

    def events(self) -> tuple[str, ...]:
        """Every event name the workflow knows, sorted."""
        return tuple(sorted({t.event for t in self.transitions}))

    def to_mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2`` of the statuses and transitions."""
        from ._diagram import to_mermaid

        return to_mermaid(self)

    def to_dot(self) -> str:
        """A Graphviz DOT digraph of the statuses and transitions."""
        from ._diagram import to_dot

        return to_dot(self)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, registry: Mapping[str, object] | None = None
    ) -> Workflow:
        """Build a workflow from plain data, as read from a workflow file.

        Guard, ``sub_status`` and calendar names are looked up in
        ``registry`` once, now; nothing is evaluated.

        Raises:
            LoadError: naming the bad key, type, duration or name and where it is.
            WorkflowError: when the workflow read is not valid.
        """
        from ._loading import from_dict

        return from_dict(data, registry=registry)

    def to_dict(self, *, registry: Mapping[str, object] | None = None) -> dict[str, Any]:
        """The workflow as plain data (JSON- and TOML-safe) that :meth:`from_dict` reads back.

        Callables are written by their name in ``registry``, else by ``__name__``.

        Raises:
            LoadError: naming a callable or holiday source that cannot be written.
        """
        from ._loading import to_dict

        return to_dict(self, registry=registry)

    # --- the engine -------------------------------------------------------------------------

    def start(
        self,
        *,
        at: datetime,
        id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Create a ticket in the initial status at ``at``.

        Raises:
            InstantError: ``at`` is not an aware datetime in the supported range
                (:class:`NaiveDatetimeError` when it is naive).
            SnapshotError: ``id`` is not a string or None.
            AttrsError: ``attrs`` is not a mapping of JSON values and aware
                datetimes (the message names the key path).
        """
        return _engine.start(self._tables, at, id, attrs)

    def apply(
        self,
        ticket: Ticket,
        event: str,
        *,
        at: datetime,
        actor: str | None = None,
        data: Mapping[str, Any] | None = None,
        max_steps: int = MAX_STEPS,
    ) -> Outcome:
        """Fire whatever fell due up to ``at`` (at most ``max_steps`` items), then apply ``event``.

        Raises:
            TransitionError: no such move from the status (``.allowed`` lists
                what is), or ``event``/``actor`` is not a string.
            NotPermitted: the actor's role may not send it.
            GuardRejected: the guard said no.
            EventDataError: ``data`` is not a mapping or None.
            OutOfOrderError: ``at`` is before the ticket's last change.
            InstantError: ``at`` is not an aware datetime in the supported range
                (:class:`NaiveDatetimeError` when it is naive).
            SnapshotError: ``ticket`` is not a Ticket this workflow could have
                produced (another workflow's, an impossible agenda...).
            StepLimitError: more than ``max_steps`` items fell due; the event
                was not applied and ``.outcome`` holds what was fired.
        """
        return _engine.apply(self._tables, ticket, event, at, actor, data, max_steps)

    def advance(self, ticket: Ticket, *, now: datetime, max_steps: int = MAX_STEPS) -> Outcome:
        """Fire every timer, reminder and SLA breach due at or before ``now``.

        Raises:
            StepLimitError: more than ``max_steps`` items fell due; store
                ``.outcome.ticket`` and call again to go on.
            SnapshotError: ``ticket`` is not a Ticket this workflow could have produced.
            InstantError: ``now`` is not an aware datetime in the supported range.
        """
        return _engine.advance(self._tables, ticket, now, max_steps)

    def allowed(
        self,
        ticket: Ticket,
        *,
        actor: str | None = None,
        at: datetime | None = None,
        max_steps: int = MAX_STEPS,
    ) -> tuple[str, ...]:
        """The events ``actor`` may send now (guards asked with ``data=None``), sorted.

        With ``at``, what fell due by then is fired first (at most ``max_steps`` items).
        """
        return _engine.allowed(self._tables, ticket, actor, at, max_steps)

    def next_deadline(self, ticket: Ticket) -> datetime | None:
        """The earliest pending timer, reminder or SLA breach, or None.

        Raises:
            SnapshotError: ``ticket`` is not a Ticket this workflow could have produced.
        """
        return _engine.next_deadline(self._tables, ticket)

    def sla(
        self, ticket: Ticket, *, now: datetime, max_steps: int = MAX_STEPS
    ) -> tuple[SlaClock, ...]:
        """The ticket's SLA clocks as of ``now`` (after firing what fell due)."""
        return _engine.sla_clocks(self._tables, ticket, now, max_steps)

    def replay(
        self, events: Iterable[Event | Mapping[str, Any]], *, max_steps: int = MAX_STEPS
    ) -> Outcome:
        """Fold an event log whose first entry is ``start`` (its data = attrs).

        Returns the final ticket with every step and effect along the way;
        equal to calling :meth:`start` and :meth:`apply` one by one.

        Raises:
            EventLogError: naming the position of a malformed entry (not an
                Event or mapping, a bad name, ``at`` not an ISO datetime with an
                offset, ``data`` not a mapping, bad start attributes).
        """
        return _engine.replay(self._tables, events, max_steps)


# --- validation ---------------------------------------------------------------------------


#: Most (status, event, transition, role) entries the expanded table may hold, so that
#: building a workflow and drawing its diagrams stay well inside a second.
_MAX_MOVES = 50_000


def _validate(wf: Workflow) -> Problems:
    """Every problem of ``wf``, in time and memory linear in its size."""
    problems = Problems()
    add = problems.add
    if not isinstance(wf.name, str) or not wf.name:
        add(f"workflow name must be a non-empty string, got {show(wf.name)}")
    if wf.description is not None and not isinstance(wf.description, str):
        add(f"workflow description must be a string or None, got {show(wf.description)}")
    statuses: dict[str, Status] = {}
    for s in wf.statuses:
        if not isinstance(s, Status):
            add(f"expected a Status, got {show(s)}")
            continue
        if s.name in statuses:
            add(f"status {show(s.name)} is defined twice")
        if not s.name or s.name == ANY:
            add(f"status name {show(s.name)} is not allowed")
        if s.category not in CATEGORIES:
            add(
                f"status {show(s.name)} has unknown category {show(s.category)} "
                f"(expected one of {', '.join(CATEGORIES)})"
            )
        statuses.setdefault(s.name, s)
    initial = [s.name for s in statuses.values() if s.initial]
    if not initial:
        add("no initial status (mark one with initial=True)")
    elif len(initial) > 1:
        add(f"several initial statuses: {_listing(initial)}")
    terminal = {n for n, s in statuses.items() if s.terminal}

    transitions = [t for t in wf.transitions if isinstance(t, Transition)]
    for t in wf.transitions:
        if not isinstance(t, Transition):
            add(f"expected a Transition, got {show(t)}")
    open_count = len(statuses) - len(terminal)
    moves = 0
    for t in transitions:
        where = f"transition {show(t.event)}"
        if not t.event or t.event == "start":
            add(f"{where}: event name {show(t.event)} is not allowed")
        if not t.source:
            add(f"{where} has no source status")
        for src in t.source:
            if src != ANY and src not in statuses:
                add(f"{where} has unknown source status {show(src)}")
            if src in terminal and t.target is not None:
                add(
                    f"{where} leaves terminal status {show(src)} (a terminal status is never "
                    "left; make it non-terminal or use target=None)"
                )
        if t.target is not None and t.target not in statuses:
            add(f"{where} has unknown target status {show(t.target)}")
        if t.restarts_timers and t.target is not None:
            add(f"{where}: restarts_timers only applies to internal transitions (target=None)")
        reach = len(t.source) + (open_count if ANY in t.source else 0)
        moves += reach * (1 + len(t.roles or ()))

    # the table, expanded once: (status, event) -> candidates, "*" included
    expanded: dict[tuple[str, str], list[Transition]] = {}
    if moves > _MAX_MOVES:
        add(
            f"the transitions expand to about {moves} (status, event, role) moves, more than "
            f"{_MAX_MOVES}; name fewer sources or roles, or use fewer '*' transitions"
        )
    else:
        for t in transitions:
            for src in expand_sources(t.source, statuses, terminal):
                expanded.setdefault((src, t.event), []).append(t)
        for (src, event), cands in expanded.items():
            problem = _ambiguity(src, event, cands)
            if problem is not None:
                add(problem)

    # timers
    explicit: dict[tuple[str, str], list[Transition]] = {}
    star: dict[str, list[Transition]] = {}
    for t in transitions:
        for src in dict.fromkeys(t.source):
            if src == ANY:
                star.setdefault(t.event, []).append(t)
            else:
                explicit.setdefault((src, t.event), []).append(t)
    for i, tm in enumerate(wf.timers):
        if not isinstance(tm, Timer):
            add(f"expected a Timer, got {show(tm)}")
            continue
        _check_timer(add, i, tm, statuses, terminal, explicit, star)

    # SLAs
    events = {t.event for t in transitions}
    for sla in wf.slas:
        if not isinstance(sla, SLA):
            add(f"expected an SLA, got {show(sla)}")
            continue
        _check_sla(add, sla, events)

    if _bad_calendar(wf.calendar):
        add(f"calendar {show(wf.calendar)} is not a calendar or callable")

    # reachability and dead ends, over the statuses and moves that are known
    edges: dict[str, set[str]] = {n: set() for n in statuses}
    star_targets: set[str] = set()
    for t in transitions:
        if t.target is None or t.target not in statuses:
            continue
        for src in t.source:
            if src == ANY:
                star_targets.add(t.target)
            elif src in statuses and src != t.target:
                edges[src].add(t.target)
    if initial:
        seen = set(initial)
        queue = deque(initial)
        star_done = False
        while queue:
            n = queue.popleft()
            nxt = edges[n]
            if n not in terminal and not star_done:
                star_done = True
                nxt = nxt | star_targets
            for m in nxt:
                if m not in seen:
                    seen.add(m)
                    queue.append(m)
        start = show(initial[0]) if len(initial) == 1 else "the initial statuses"
        for n in statuses:
            if n not in seen:
                add(f"status {show(n)} is unreachable from {start}")
    for n in statuses:
        if n not in terminal and not edges[n] and not (star_targets - {n}):
            add(f"status {show(n)} is a dead end: not terminal, and no transition leaves it")
    return problems


def _listing(names: Iterable[str], most: int = 10) -> str:
    """Names joined by commas, at most ``most`` of them, each shortened."""
    shown = list(islice(names, most + 1))
    text = ", ".join(n if isinstance(n, str) and len(n) <= 80 else show(n) for n in shown[:most])
    return text + (", ..." if len(shown) > most else "")


def _ambiguity(src: str, event: str, cands: Sequence[Transition]) -> str | None:
    """The problem of several unguarded candidates for one actor, in linear time."""
    unguarded = [t for t in cands if t.guard is None]
    if len(unguarded) < 2:
        return None
    if any(t.roles is None for t in unguarded):
        clashing, who = unguarded, "any actor"
    else:
        by_role: dict[str, list[Transition]] = {}
        for t in unguarded:
            for role in t.roles or ():
                by_role.setdefault(role, []).append(t)
        roles = sorted(r for r, ts in by_role.items() if len(ts) > 1)
        if not roles:
            return None
        ids = {id(t) for r in roles for t in by_role[r]}
        clashing = [t for t in unguarded if id(t) in ids]
        who = f"role(s) {_listing(roles)}"
    targets = _listing(show(t) for t in dict.fromkeys(t.target for t in clashing))
    return (
        f"event {show(event)} in status {show(src)} is ambiguous: {len(clashing)} unguarded "
        f"transitions (to {targets}) for {who}"
    )


def _check_timer(
    add: Callable[[str], None],
    i: int,
    tm: Timer,
    statuses: Mapping[str, Status],
    terminal: set[str],
    explicit: Mapping[tuple[str, str], list[Transition]],
    star: Mapping[str, list[Transition]],
) -> None:
    """Add the problems of the ``i``-th timer."""
    where = f"timer {i} ({show(tm.event)} in {show(tm.status)})"
    if tm.status not in statuses:
        add(f"{where} names unknown status {show(tm.status)}")
    elif tm.status in terminal:
        add(f"{where} is on terminal status {show(tm.status)}")
    cands = list(explicit.get((tm.status, tm.event), ()))
    if tm.status in statuses and tm.status not in terminal:
        cands += star.get(tm.event, ())
    system = [t for t in cands if t.permits("system")]
    if tm.status in statuses and not system:
        add(
            f"{where}: no transition for event {show(tm.event)} from status "
            f"{show(tm.status)} that role 'system' may send"
        )
    if system and all(t.target is None and not t.restarts_timers for t in system):
        add(
            f"{where}: its transition neither leaves the status nor restarts its "
            "timers, so it would stay due forever"
        )
    for what, d in [
        ("after", tm.after),
        *(("reminder", r) for r in tm.reminders),
        *(("remind_before", r) for r in tm.remind_before),
    ]:
        if not is_positive(d):
            add(f"{where}: {what} duration {describe(d)} is not positive")
    for r in tm.reminders:
        if compare_durations(r, tm.after) in (0, 1):
            add(
                f"{where}: reminder after {describe(r)} is not before its deadline "
                f"({describe(tm.after)})"
            )
    for r in tm.remind_before:
        if compare_durations(r, tm.after) in (0, 1):
            add(
                f"{where}: reminder {describe(r)} before the deadline falls at or before entry "
                f"(the timer fires after {describe(tm.after)})"
            )
    if _bad_calendar(tm.calendar):
        add(f"{where}: calendar {show(tm.calendar)} is not a calendar or callable")


def _check_sla(add: Callable[[str], None], sla: SLA, events: set[str]) -> None:
    """Add the problems of one SLA."""
    where = f"SLA {show(sla.name)}"
    if isinstance(sla.target, Duration) and sla.target.unit in ("days", "business_days"):
        add(f"{where}: target {sla.target} is in days; use minutes or hours (business or absolute)")
    if not is_positive(sla.target):
        add(f"{where}: target {sla.target} is not positive")
    named = [("start_on", sla.start_on)] if sla.start_on is not None else []
    named += [("stop_on", e) for e in sorted(sla.stop_on)]
    named += [("restart_on", e) for e in sorted(sla.restart_on)]
    for what, name in named:
        if name not in events:
            add(f"{where}: {what} names unknown event {show(name)}")
    for c in sorted(sla.pause_in):
        if c not in CATEGORIES:
            add(f"{where}: pause_in names unknown category {show(c)}")
    if _bad_calendar(sla.calendar):
        add(f"{where}: calendar {show(sla.calendar)} is not a calendar or callable")


def _bad_calendar(spec: object) -> bool:
    """True when ``spec`` is neither None, a calendar nor a callable choosing one."""
    return spec is not None and not callable(spec) and not isinstance(spec, BusinessCalendar)
