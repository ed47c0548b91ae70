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
from datetime import datetime, timedelta
from typing import Any, Literal, TypeAlias

from attrs import field, frozen

from . import _engine
from ._calendar import BusinessCalendar
from ._durations import Duration, compare_durations, describe, is_positive, to_duration
from ._errors import WorkflowError
from ._limits import MAX_STEPS
from ._sla import SLA, SlaClock
from ._ticket import Context, Effect, Event, Outcome, Ticket

__all__ = [
    "CATEGORIES",
    "Category",
    "Guard",
    "Status",
    "Timer",
    "Transition",
    "Workflow",
]

Category: TypeAlias = Literal["new", "open", "pending", "on_hold", "solved", "closed"]

#: The fixed vocabulary of status categories.
CATEGORIES: tuple[str, ...] = ("new", "open", "pending", "on_hold", "solved", "closed")

Guard: TypeAlias = Callable[[Ticket, Context], bool]
SubStatus: TypeAlias = "str | Callable[[Ticket, Context], str | None]"
CalendarSpec: TypeAlias = "BusinessCalendar | Callable[[Mapping[str, Any]], BusinessCalendar]"

ANY = "*"


@frozen
class Status:
    """A status a ticket can be in.

    Attributes:
        name: Its id, used in transitions and stored in tickets.
        category: One of ``new``, ``open``, ``pending`` (waiting on the
            requester), ``on_hold`` (waiting on a third party), ``solved``,
            ``closed``.
        initial: New tickets start here (exactly one status is initial).
        terminal: A ticket here never leaves; only internal transitions that
            name it explicitly apply.
        label: The words a portal shows (defaults to ``name``).
        description: What the status means to the requester.
    """

    name: str
    category: str = "open"
    initial: bool = False
    terminal: bool = False
    label: str | None = None
    description: str | None = None

    @property
    def title(self) -> str:
        """The label, or the name when there is none."""
        return self.label or self.name


def _sources(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _roles(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    return frozenset(value)


def _effects(value: Iterable[str | Effect] | str | Effect) -> tuple[Effect, ...]:
    if isinstance(value, str | Effect):
        value = (value,)
    return tuple(Effect(v) if isinstance(v, str) else v for v in value)


@frozen
class Transition:
    """A move caused by an event.

    Attributes:
        event: The event's name.
        source: The status(es) it applies in; ``"*"`` is every non-terminal
            status.
        target: The status it leads to; None keeps the status (an internal
            transition: timers keep running, ``sub_status`` stays).
        roles: Roles that may send it; None lets any actor.
        guard: A callable ``(ticket, context) -> bool`` that must accept.
        effects: Effect templates (kind strings or :class:`Effect`) emitted
            when it happens.
        sub_status: A fixed string or callable ``(ticket, context) -> str |
            None`` for the ticket's ``sub_status``; entering a status
            otherwise clears it.
        restarts_timers: An internal transition restarts the status's timers.
        label: Words for diagrams and docs.
    """

    event: str
    source: tuple[str, ...] = field(converter=_sources)
    target: str | None = None
    roles: frozenset[str] | None = field(default=None, converter=_roles)
    guard: Guard | None = field(default=None, eq=False)
    effects: tuple[Effect, ...] = field(default=(), converter=_effects)
    sub_status: SubStatus | None = field(default=None, eq=False)
    restarts_timers: bool = False
    label: str | None = None

    def permits(self, actor: str | None) -> bool:
        """True when ``actor`` may send this transition's event."""
        return self.roles is None or actor in self.roles


def _durations(value: Iterable[Duration | timedelta | str]) -> tuple[Duration | timedelta, ...]:
    if isinstance(value, Duration | timedelta | str):
        value = (value,)
    return tuple(to_duration(v) for v in value)


@frozen
class Timer:
    """An event the system sends when a ticket has sat in a status too long.

    Attributes:
        status: The status it is armed in (on every entry).
        after: How long after entry it fires.
        event: The event it sends, as actor ``"system"``.
        reminders: Offsets from entry at which a ``reminder`` effect is due.
        remind_before: Offsets back from the deadline for reminders.
        calendar: The calendar its durations count on (or a callable
            choosing one from the ticket's attributes); the workflow's by
            default.
    """

    status: str
    after: Duration | timedelta = field(converter=to_duration)
    event: str
    reminders: tuple[Duration | timedelta, ...] = field(default=(), converter=_durations)
    remind_before: tuple[Duration | timedelta, ...] = field(default=(), converter=_durations)
    calendar: CalendarSpec | None = field(default=None, eq=False)


@frozen
class _Compiled:
    table: dict[str, dict[str, tuple[Transition, ...]]]
    categories: dict[str, str]
    statuses: dict[str, Status]
    timers_by_status: dict[str, tuple[int, ...]]
    initial: str
    terminal: frozenset[str]
    pausing: tuple[frozenset[str], ...]


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


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
    statuses: tuple[Status, ...] = field(converter=_tuple)
    transitions: tuple[Transition, ...] = field(converter=_tuple)
    timers: tuple[Timer, ...] = field(default=(), converter=_tuple)
    slas: tuple[SLA, ...] = field(default=(), converter=_tuple)
    calendar: CalendarSpec | None = field(default=None, eq=False)
    description: str | None = field(default=None, eq=False)
    _compiled: _Compiled = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise WorkflowError(problems, self.name)
        object.__setattr__(self, "_compiled", _compile(self))

    # --- reading the definition -----------------------------------------------------------

    @property
    def initial(self) -> str:
        """The initial status's name."""
        return self._compiled.initial

    def status(self, name: str) -> Status:
        """The :class:`Status` called ``name``.

        Raises:
            TransitionError: naming an unknown status.
        """
        from ._errors import TransitionError

        try:
            return self._compiled.statuses[name]
        except KeyError:
            raise TransitionError(name, "", (), f"unknown status {name!r}") from None

    def category(self, status: str) -> str:
        """The category of ``status``."""
        return self.status(status).category

    def statuses_in(self, *categories: str) -> tuple[str, ...]:
        """Names of the statuses in any of ``categories`` (a portal's list filter).

        Raises:
            WorkflowError: naming an unknown category.
        """
        bad = [c for c in categories if c not in CATEGORIES]
        if bad:
            raise WorkflowError([f"unknown category {c!r}" for c in bad], self.name)
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
        return _engine.start(self, self._compiled, at, id, attrs)

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
        return _engine.apply(self, self._compiled, ticket, event, at, actor, data, max_steps)

    def advance(self, ticket: Ticket, *, now: datetime, max_steps: int = MAX_STEPS) -> Outcome:
        """Fire every timer, reminder and SLA breach due at or before ``now``.

        Raises:
            StepLimitError: more than ``max_steps`` items fell due; store
                ``.outcome.ticket`` and call again to go on.
            SnapshotError: ``ticket`` is not a Ticket this workflow could have produced.
            InstantError: ``now`` is not an aware datetime in the supported range.
        """
        return _engine.advance(self, self._compiled, ticket, now, max_steps)

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
        return _engine.allowed(self, self._compiled, ticket, actor, at, max_steps)

    def next_deadline(self, ticket: Ticket) -> datetime | None:
        """The earliest pending timer, reminder or SLA breach, or None.

        Raises:
            SnapshotError: ``ticket`` is not a Ticket this workflow could have produced.
        """
        return _engine.next_deadline(self, self._compiled, ticket)

    def sla(
        self, ticket: Ticket, *, now: datetime, max_steps: int = MAX_STEPS
    ) -> tuple[SlaClock, ...]:
        """The ticket's SLA clocks as of ``now`` (after firing what fell due)."""
        return _engine.sla_clocks(self, self._compiled, ticket, now, max_steps)

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
        return _engine.replay(self, self._compiled, events, max_steps)


# --- validation ---------------------------------------------------------------------------


def _validate(wf: Workflow) -> list[str]:
    problems: list[str] = []
    if not isinstance(wf.name, str) or not wf.name:
        problems.append(f"workflow name must be a non-empty string, got {wf.name!r}")
    statuses: dict[str, Status] = {}
    for s in wf.statuses:
        if not isinstance(s, Status):
            problems.append(f"expected a Status, got {s!r}")
            continue
        if s.name in statuses:
            problems.append(f"status {s.name!r} is defined twice")
        if not s.name or s.name == ANY:
            problems.append(f"status name {s.name!r} is not allowed")
        if s.category not in CATEGORIES:
            problems.append(
                f"status {s.name!r} has unknown category {s.category!r} "
                f"(expected one of {', '.join(CATEGORIES)})"
            )
        statuses[s.name] = s
    initial = [s.name for s in statuses.values() if s.initial]
    if not initial:
        problems.append("no initial status (mark one with initial=True)")
    elif len(initial) > 1:
        problems.append(f"several initial statuses: {', '.join(initial)}")
    terminal = {n for n, s in statuses.items() if s.terminal}

    transitions = [t for t in wf.transitions if isinstance(t, Transition)]
    for t in wf.transitions:
        if not isinstance(t, Transition):
            problems.append(f"expected a Transition, got {t!r}")
    for t in transitions:
        where = f"transition {t.event!r}"
        if not t.event or t.event == "start":
            problems.append(f"{where}: event name {t.event!r} is not allowed")
        if not t.source:
            problems.append(f"{where} has no source status")
        for src in t.source:
            if src != ANY and src not in statuses:
                problems.append(f"{where} has unknown source status {src!r}")
            if src in terminal and t.target is not None:
                problems.append(
                    f"{where} leaves terminal status {src!r} (a terminal status is never "
                    "left; make it non-terminal or use target=None)"
                )
        if t.target is not None and t.target not in statuses:
            problems.append(f"{where} has unknown target status {t.target!r}")
        if t.guard is not None and not callable(t.guard):
            problems.append(f"{where}: guard {t.guard!r} is not callable")
        if t.sub_status is not None and not (
            isinstance(t.sub_status, str) or callable(t.sub_status)
        ):
            problems.append(f"{where}: sub_status {t.sub_status!r} is not a string or callable")
        for e in t.effects:
            if not isinstance(e.kind, str) or not e.kind:
                problems.append(f"{where}: effect kind {e.kind!r} is not a non-empty string")
            if e.at is not None:
                problems.append(f"{where}: effect template {e.kind!r} must not set at=")
            if e.data is not None and not isinstance(e.data, Mapping):
                problems.append(f"{where}: effect {e.kind!r} data must be a mapping")
        if t.restarts_timers and t.target is not None:
            problems.append(
                f"{where}: restarts_timers only applies to internal transitions (target=None)"
            )

    # expand sources; find ambiguous unguarded pairs
    expanded: dict[tuple[str, str], list[Transition]] = {}
    for t in transitions:
        for src in _expand(t.source, statuses, terminal):
            expanded.setdefault((src, t.event), []).append(t)
    for (src, event), cands in expanded.items():
        unguarded = [t for t in cands if t.guard is None]
        for i, a in enumerate(unguarded):
            for b in unguarded[i + 1 :]:
                if a.roles is None or b.roles is None or a.roles & b.roles:
                    problems.append(
                        f"event {event!r} in status {src!r} is ambiguous: two unguarded "
                        f"transitions (to {a.target!r} and {b.target!r}) for the same roles"
                    )

    # timers
    for i, tm in enumerate(wf.timers):
        if not isinstance(tm, Timer):
            problems.append(f"expected a Timer, got {tm!r}")
            continue
        where = f"timer {i} ({tm.event!r} in {tm.status!r})"
        if tm.status not in statuses:
            problems.append(f"{where} names unknown status {tm.status!r}")
        elif tm.status in terminal:
            problems.append(f"{where} is on terminal status {tm.status!r}")
        cands = expanded.get((tm.status, tm.event), [])
        system = [t for t in cands if t.permits("system")]
        if tm.status in statuses and not system:
            problems.append(
                f"{where}: no transition for event {tm.event!r} from status "
                f"{tm.status!r} that role 'system' may send"
            )
        if system and all(t.target is None and not t.restarts_timers for t in system):
            problems.append(
                f"{where}: its transition neither leaves the status nor restarts its "
                "timers, so it would stay due forever"
            )
        for what, d in [
            ("after", tm.after),
            *(("reminder", r) for r in tm.reminders),
            *(("remind_before", r) for r in tm.remind_before),
        ]:
            if not is_positive(d):
                problems.append(f"{where}: {what} duration {describe(d)} is not positive")
        for r in tm.reminders:
            if compare_durations(r, tm.after) in (0, 1):
                problems.append(
                    f"{where}: reminder after {describe(r)} is not before its deadline "
                    f"({describe(tm.after)})"
                )
        for r in tm.remind_before:
            if compare_durations(r, tm.after) in (0, 1):
                problems.append(
                    f"{where}: reminder {describe(r)} before the deadline falls at or before entry "
                    f"(the timer fires after {describe(tm.after)})"
                )
        if _bad_calendar(tm.calendar):
            problems.append(f"{where}: calendar {tm.calendar!r} is not a calendar or callable")

    # SLAs
    events = {t.event for t in transitions}
    for sla in wf.slas:
        if not isinstance(sla, SLA):
            problems.append(f"expected an SLA, got {sla!r}")
            continue
        where = f"SLA {sla.name!r}"
        if isinstance(sla.target, Duration) and sla.target.unit in ("days", "business_days"):
            problems.append(
                f"{where}: target {sla.target} is in days; use minutes or hours "
                "(business or absolute)"
            )
        if not is_positive(sla.target):
            problems.append(f"{where}: target {sla.target} is not positive")
        named = [("start_on", sla.start_on)] if sla.start_on is not None else []
        named += [("stop_on", e) for e in sorted(sla.stop_on)]
        named += [("restart_on", e) for e in sorted(sla.restart_on)]
        for what, name in named:
            if name not in events:
                problems.append(f"{where}: {what} names unknown event {name!r}")
        for c in sorted(sla.pause_in):
            if c not in CATEGORIES:
                problems.append(f"{where}: pause_in names unknown category {c!r}")
        if _bad_calendar(sla.calendar):
            problems.append(f"{where}: calendar {sla.calendar!r} is not a calendar or callable")

    if _bad_calendar(wf.calendar):
        problems.append(f"calendar {wf.calendar!r} is not a calendar or callable")

    # reachability and dead ends (only when the graph itself is sound)
    if len(initial) == 1 and not problems:
        edges: dict[str, set[str]] = {n: set() for n in statuses}
        for (src, _event), cands in expanded.items():
            for t in cands:
                if t.target is not None and t.target != src:
                    edges[src].add(t.target)
        seen = {initial[0]}
        queue = deque(seen)
        while queue:
            for nxt in edges[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        for n in statuses:
            if n not in seen:
                problems.append(f"status {n!r} is unreachable from {initial[0]!r}")
            if n not in terminal and not edges[n]:
                problems.append(
                    f"status {n!r} is a dead end: not terminal, and no transition leaves it"
                )
    return problems


def _bad_calendar(spec: object) -> bool:
    """True when ``spec`` is neither None, a calendar nor a callable choosing one."""
    return spec is not None and not callable(spec) and not isinstance(spec, BusinessCalendar)


def _expand(
    sources: Sequence[str], statuses: Mapping[str, Status], terminal: set[str] | frozenset[str]
) -> list[str]:
    out: list[str] = []
    for src in sources:
        if src == ANY:
            out.extend(n for n in statuses if n not in terminal)
        elif src in statuses:
            out.append(src)
    return list(dict.fromkeys(out))


def _compile(wf: Workflow) -> _Compiled:
    statuses = {s.name: s for s in wf.statuses}
    terminal = frozenset(n for n, s in statuses.items() if s.terminal)
    table: dict[str, dict[str, list[Transition]]] = {n: {} for n in statuses}
    for t in wf.transitions:
        for src in _expand(t.source, statuses, terminal):
            table[src].setdefault(t.event, []).append(t)
    frozen_table = {
        src: {
            # guarded candidates first, in definition order; the unguarded fallback last
            ev: tuple(sorted(cands, key=lambda t: t.guard is None))
            for ev, cands in evs.items()
        }
        for src, evs in table.items()
    }
    timers: dict[str, list[int]] = {n: [] for n in statuses}
    for i, tm in enumerate(wf.timers):
        timers[tm.status].append(i)
    return _Compiled(
        table=frozen_table,
        categories={n: s.category for n, s in statuses.items()},
        statuses=statuses,
        timers_by_status={n: tuple(v) for n, v in timers.items()},
        initial=next(n for n, s in statuses.items() if s.initial),
        terminal=terminal,
        pausing=tuple(sla.pause_in | {"solved"} for sla in wf.slas),
    )
