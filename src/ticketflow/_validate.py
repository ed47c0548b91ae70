"""Validation of a workflow's definitions, as named checks.

Theory of operation: :func:`validate` runs each check in a fixed order
(the workflow's header, statuses, transitions, the expanded table, timers,
SLAs, the calendar, then the status graph) and collects what each yields
into one :class:`~ticketflow._checks.Problems`. Every check is a generator
of problem strings, so it can be read and tested alone; together they stay
linear in time and memory in the workflow's size. Nothing here compiles
tables or knows the engine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice

from attrs import frozen

from ._calendar import BusinessCalendar
from ._checks import Problems, show
from ._definitions import ANY, CATEGORIES, Status, Timer, Transition
from ._durations import Duration, compare_durations, describe, is_positive
from ._sla import SLA, trigger_event
from ._tables import expand_sources

__all__ = ["MAX_MOVES", "listing", "validate"]

#: Most (status, event, transition, role) entries the expanded table may hold, so that
#: building a workflow and drawing its diagrams stay well inside a second.
MAX_MOVES = 50_000
_NAME_TEXT = 80  # a longer name is shown shortened


@frozen
class _Known:
    """The statuses found well-formed, as later checks see them."""

    statuses: dict[str, Status]
    initial: list[str]
    terminal: set[str]


def validate(
    name: object,
    description: object,
    statuses: Iterable[object],
    transitions: Iterable[object],
    timers: Iterable[object],
    slas: Iterable[object],
    calendar: object,
) -> Problems:
    """Every problem of a workflow's definitions, in time and memory linear in their size."""
    problems = Problems()
    add = problems.add
    for p in check_header(name, description):
        add(p)
    known = _known(statuses, add)
    good = [t for t in transitions if isinstance(t, Transition)]
    for p in check_transitions(transitions, known):
        add(p)
    for p in check_table(good, known):
        add(p)
    for p in check_timers(timers, good, known):
        add(p)
    for p in check_slas(slas, {t.event for t in good}):
        add(p)
    if _bad_calendar(calendar):
        add(f"calendar {show(calendar)} is not a calendar or callable")
    for p in check_graph(good, known):
        add(p)
    return problems


def listing(names: Iterable[str], most: int = 10) -> str:
    """Names joined by commas, at most ``most`` of them, each shortened."""
    shown = list(islice(names, most + 1))
    text = ", ".join(
        n if isinstance(n, str) and len(n) <= _NAME_TEXT else show(n) for n in shown[:most]
    )
    return text + (", ..." if len(shown) > most else "")


# --- the checks, in the order validate runs them -----------------------------------------


def check_header(name: object, description: object) -> Iterator[str]:
    """The problems of the workflow's name and description."""
    if not isinstance(name, str) or not name:
        yield f"workflow name must be a non-empty string, got {show(name)}"
    if description is not None and not isinstance(description, str):
        yield f"workflow description must be a string or None, got {show(description)}"


def check_statuses(statuses: Iterable[object], seen: dict[str, Status]) -> Iterator[str]:
    """The problems of each status and of the initial ones; fills ``seen`` by name."""
    codes: dict[tuple[type, int | str], str] = {}
    for s in statuses:
        if not isinstance(s, Status):
            yield f"expected a Status, got {show(s)}"
            continue
        if s.name in seen:
            yield f"status {show(s.name)} is defined twice"
        if not s.name or s.name == ANY:
            yield f"status name {show(s.name)} is not allowed"
        if s.category not in CATEGORIES:
            yield (
                f"status {show(s.name)} has unknown category {show(s.category)} "
                f"(expected one of {', '.join(CATEGORIES)})"
            )
        yield from _code_problem(s, codes)
        seen.setdefault(s.name, s)
    initial = [s.name for s in seen.values() if s.initial]
    if not initial:
        yield "no initial status (mark one with initial=True)"
    elif len(initial) > 1:
        yield f"several initial statuses: {listing(initial)}"


def _code_problem(s: Status, codes: dict[tuple[type, int | str], str]) -> Iterator[str]:
    """A problem when ``s`` has the code of an earlier status; notes its code in ``codes``."""
    if s.code is None:
        return
    key = (type(s.code), s.code)
    other = codes.setdefault(key, s.name)
    if other != s.name:
        yield f"statuses {show(other)} and {show(s.name)} share code {show(s.code)}"


def _known(statuses: Iterable[object], add: Callable[[str], None]) -> _Known:
    seen: dict[str, Status] = {}
    for p in check_statuses(statuses, seen):
        add(p)
    return _Known(
        seen,
        [s.name for s in seen.values() if s.initial],
        {n for n, s in seen.items() if s.terminal},
    )


def check_transitions(transitions: Iterable[object], known: _Known) -> Iterator[str]:
    """The problems of each transition against the known statuses."""
    good: list[Transition] = []
    for t in transitions:
        if isinstance(t, Transition):
            good.append(t)
        else:
            yield f"expected a Transition, got {show(t)}"
    for t in good:
        yield from _transition_problems(t, known)


def _transition_problems(t: Transition, known: _Known) -> Iterator[str]:
    where = f"transition {show(t.event)}"
    statuses, terminal = known.statuses, known.terminal
    if not t.event or t.event == "start":
        yield f"{where}: event name {show(t.event)} is not allowed"
    if not t.source:
        yield f"{where} has no source status"
    for src in t.source:
        if src != ANY and src not in statuses:
            yield f"{where} has unknown source status {show(src)}"
        if src in terminal and t.target is not None:
            yield (
                f"{where} leaves terminal status {show(src)} (a terminal status is never "
                "left; make it non-terminal or use target=None)"
            )
    if t.target is not None and t.target not in statuses:
        yield f"{where} has unknown target status {show(t.target)}"
    if t.restarts_timers and t.target is not None:
        yield f"{where}: restarts_timers only applies to internal transitions (target=None)"


def check_table(transitions: Sequence[Transition], known: _Known) -> Iterator[str]:
    """The problems of the expanded table: too many moves, or ambiguous events."""
    open_count = len(known.statuses) - len(known.terminal)
    moves = sum(
        (len(t.source) + (open_count if ANY in t.source else 0)) * (1 + len(t.roles or ()))
        for t in transitions
    )
    if moves > MAX_MOVES:
        yield (
            f"the transitions expand to about {moves} (status, event, role) moves, more than "
            f"{MAX_MOVES}; name fewer sources or roles, or use fewer '*' transitions"
        )
        return
    expanded: dict[tuple[str, str], list[Transition]] = {}
    for t in transitions:
        for src in expand_sources(t.source, known.statuses, known.terminal):
            expanded.setdefault((src, t.event), []).append(t)
    for (src, event), cands in expanded.items():
        problem = _ambiguity(src, event, cands)
        if problem is not None:
            yield problem


def _ambiguity(src: str, event: str, cands: Sequence[Transition]) -> str | None:
    """The problem of several unguarded candidates for one actor, in linear time."""
    unguarded = [t for t in cands if t.guard is None]
    if len(unguarded) <= 1:
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
        who = f"role(s) {listing(roles)}"
    targets = listing(show(t) for t in dict.fromkeys(t.target for t in clashing))
    return (
        f"event {show(event)} in status {show(src)} is ambiguous: {len(clashing)} unguarded "
        f"transitions (to {targets}) for {who}"
    )


def check_timers(
    timers: Iterable[object], transitions: Sequence[Transition], known: _Known
) -> Iterator[str]:
    """The problems of each timer: its status, its transition, its durations."""
    explicit: dict[tuple[str, str], list[Transition]] = {}
    star: dict[str, list[Transition]] = {}
    for t in transitions:
        for src in dict.fromkeys(t.source):
            if src == ANY:
                star.setdefault(t.event, []).append(t)
            else:
                explicit.setdefault((src, t.event), []).append(t)
    for i, tm in enumerate(timers):
        if not isinstance(tm, Timer):
            yield f"expected a Timer, got {show(tm)}"
            continue
        where = f"timer {i} ({show(tm.event)} in {show(tm.status)})"
        yield from _timer_place(where, tm, known, explicit, star)
        yield from _timer_durations(where, tm)
        if _bad_calendar(tm.calendar):
            yield f"{where}: calendar {show(tm.calendar)} is not a calendar or callable"


def _timer_place(
    where: str,
    tm: Timer,
    known: _Known,
    explicit: Mapping[tuple[str, str], list[Transition]],
    star: Mapping[str, list[Transition]],
) -> Iterator[str]:
    """The problems of a timer's status and of the transition it sends."""
    statuses, terminal = known.statuses, known.terminal
    if tm.status not in statuses:
        yield f"{where} names unknown status {show(tm.status)}"
    elif tm.status in terminal:
        yield f"{where} is on terminal status {show(tm.status)}"
    cands = list(explicit.get((tm.status, tm.event), ()))
    if tm.status in statuses and tm.status not in terminal:
        cands += star.get(tm.event, ())
    system = [t for t in cands if t.permits("system")]
    if tm.status in statuses and not system:
        yield (
            f"{where}: no transition for event {show(tm.event)} from status "
            f"{show(tm.status)} that role 'system' may send"
        )


def _timer_durations(where: str, tm: Timer) -> Iterator[str]:
    """The problems of a timer's deadline and reminder offsets."""
    for what, d in [
        *([("after", tm.after)] if tm.after is not None else []),
        *(("reminder", r) for r in tm.reminders),
        *(("remind_before", r) for r in tm.remind_before),
    ]:
        if not is_positive(d):
            yield f"{where}: {what} duration {describe(d)} is not positive"
    if tm.after is None:
        return  # a deadline the ticket carries: reminders are placed when it is known
    for r in tm.reminders:
        if compare_durations(r, tm.after) in (0, 1):
            yield (
                f"{where}: reminder after {describe(r)} is not before its deadline "
                f"({describe(tm.after)})"
            )
    for r in tm.remind_before:
        if compare_durations(r, tm.after) in (0, 1):
            yield (
                f"{where}: reminder {describe(r)} before the deadline falls at or before entry "
                f"(the timer fires after {describe(tm.after)})"
            )


def check_slas(slas: Iterable[object], events: set[str]) -> Iterator[str]:
    """The problems of each SLA against the workflow's events."""
    for sla in slas:
        if not isinstance(sla, SLA):
            yield f"expected an SLA, got {show(sla)}"
            continue
        yield from _sla_problems(sla, events)


def _sla_problems(sla: SLA, events: set[str]) -> Iterator[str]:
    where = f"SLA {show(sla.name)}"
    if isinstance(sla.target, Duration) and sla.target.unit in ("days", "business_days"):
        yield (
            f"{where}: target {sla.target} is in days; use minutes or hours (business or absolute)"
        )
    if not is_positive(sla.target):
        yield f"{where}: target {sla.target} is not positive"
    named = [("start_on", trigger_event(sla.start_on))] if sla.start_on is not None else []
    named += [("stop_on", e) for e in sorted(map(trigger_event, sla.stop_on))]
    for key in ("restart_on", "pause_on", "resume_on"):
        named += [(key, e) for e in sorted(map(trigger_event, getattr(sla, key)))]
    for what, name in dict.fromkeys(named):
        if name not in events:
            yield f"{where}: {what} names unknown event {show(name)}"
    for c in sorted(sla.pause_in):
        if c not in CATEGORIES:
            yield f"{where}: pause_in names unknown category {show(c)}"
    if _bad_calendar(sla.calendar):
        yield f"{where}: calendar {show(sla.calendar)} is not a calendar or callable"


def _bad_calendar(spec: object) -> bool:
    """True when ``spec`` is neither None, a calendar nor a callable choosing one."""
    return spec is not None and not callable(spec) and not isinstance(spec, BusinessCalendar)


def check_graph(transitions: Sequence[Transition], known: _Known) -> Iterator[str]:
    """Unreachable statuses and dead ends, over the statuses and moves that are known."""
    statuses, terminal = known.statuses, known.terminal
    edges, star_targets = _edges(transitions, statuses)
    if known.initial:
        seen = _reachable(known.initial, edges, star_targets, terminal)
        initial = known.initial
        start = show(initial[0]) if len(initial) == 1 else "the initial statuses"
        for n in statuses:
            if n not in seen:
                yield f"status {show(n)} is unreachable from {start}"
    for n in statuses:
        if n not in terminal and not edges[n] and not (star_targets - {n}):
            yield f"status {show(n)} is a dead end: not terminal, and no transition leaves it"


def _edges(
    transitions: Sequence[Transition], statuses: Mapping[str, Status]
) -> tuple[dict[str, set[str]], set[str]]:
    """Each known status's targets (itself left out), and the targets of ``"*"`` moves."""
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
    return edges, star_targets


def _reachable(
    initial: list[str], edges: Mapping[str, set[str]], star_targets: set[str], terminal: set[str]
) -> set[str]:
    """The statuses reachable from ``initial``, breadth first."""
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
    return seen
