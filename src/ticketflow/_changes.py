"""What a ticket's change of attributes does: values read for ``set_attrs``,
per-ticket deadlines of ``at=`` timers, and SLA clocks chosen again.

These rules sit apart from the engine's hot path: the engine calls them only
for a transition that sets attributes, a status with an ``at=`` timer, or an
adopted ticket.

* ``set_attrs`` keys are copied from the event's data; a callable gives a
  mapping. The result is checked like any attributes (:class:`AttrsError`).
* An ``at=`` timer's deadline is the attribute's value: an aware datetime, or
  an ISO 8601 string with an offset. Anything else rejects the event that
  needs it with :class:`EventDataError` naming the attribute.
* When attributes change, each SLA name is chosen again (the first ``when``
  that matches). A clock that changes definition keeps its elapsed time,
  pause state and cycle and takes the new target and calendar from then on;
  one whose name no longer matches is dropped; a name that newly matches
  starts a clock at that step (or waits for its ``start_on``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import evolve

from . import _sla
from ._calendar import BusinessCalendar
from ._checks import show
from ._definitions import Timer, Transition
from ._durations import MAX_TIMEDELTA
from ._errors import ArgumentError, EventDataError, WorkflowError
from ._ticket import Context, Due, FrozenDict, SlaState, Ticket, freeze_attrs, make_due

__all__ = [
    "adopted_clocks",
    "adopted_items",
    "applying",
    "changed_keys",
    "deadline_of",
    "reselect",
    "set_attrs",
]

#: Chooses the calendar of an SLA (by index) for some attributes.
SlaCalendar = Callable[[int, Mapping[str, Any]], BusinessCalendar]


def set_attrs(t: Transition, ticket: Ticket, ctx: Context, workflow: str) -> FrozenDict:
    """The ticket's attributes after transition ``t`` sets its own.

    Raises:
        EventDataError: naming a key that ``set_attrs`` copies and the
            event's data lacks.
        WorkflowError: when a ``set_attrs`` callable returns no mapping.
        AttrsError: naming a value that is not a JSON value or an aware
            datetime.
    """
    spec = t.set_attrs
    if callable(spec):
        got = spec(ticket, ctx)
        if not isinstance(got, Mapping):
            raise WorkflowError(
                [
                    f"transition {t.event!r} from {ticket.status!r}: its set_attrs callable "
                    f"returned {show(got)}, not a mapping"
                ],
                workflow,
            )
        update: Mapping[str, Any] = got
    else:
        assert spec is not None
        data = ctx.data or {}
        missing = [key for key in spec if key not in data]
        if missing:
            raise EventDataError(
                ticket.status,
                t.event,
                f"set_attrs needs {show(missing[0])} in the event's data",
                missing[0],
            )
        update = {key: data[key] for key in spec}
    if not update:
        return ticket.attrs
    return freeze_attrs({**ticket.attrs, **update})


def changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> frozenset[str]:
    """The keys whose value differs (added, removed or changed)."""
    if old is new:
        return frozenset()
    return frozenset(k for k in {*old, *new} if k not in old or k not in new or old[k] != new[k])


def deadline_of(tm: Timer, attrs: Mapping[str, Any], status: str, event: str) -> datetime:
    """The deadline an ``at=`` timer reads from the ticket's attributes.

    Raises:
        EventDataError: naming the attribute when it is missing, not a
            datetime, or a string that is not ISO 8601 with an offset.
    """
    key = tm.at
    assert key is not None
    value = attrs.get(key)
    if isinstance(value, datetime):
        return value  # aware and in range: attrs are checked when they are set
    reason = "is missing" if key not in attrs else f"is {show(value)}"
    if isinstance(value, str) and len(value) <= _ISO_TEXT_MAX:
        try:
            parsed: datetime | None = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            try:
                return freeze_attrs({key: parsed})[key]  # type: ignore[no-any-return]
            except Exception:
                reason = f"is {show(value)}, outside the supported instants"
        elif parsed is not None:
            reason = f"is {show(value)}, which has no UTC offset"
    raise EventDataError(
        status,
        event,
        f"timer {tm.event!r} takes its deadline from attribute {key!r}, which {reason} "
        "(an aware datetime or an ISO 8601 string with an offset is needed)",
        key,
    )


def applying(slas: tuple[_sla.SLA, ...], attrs: Mapping[str, Any]) -> dict[str, int]:
    """SLA name -> index of its first definition whose ``when`` matches ``attrs``."""
    chosen: dict[str, int] = {}
    for index, sla in enumerate(slas):
        if sla.name not in chosen and sla.matches(attrs):
            chosen[sla.name] = index
    return chosen


def reselect(
    slas: tuple[_sla.SLA, ...],
    clocks: tuple[SlaState, ...],
    old_attrs: Mapping[str, Any],
    new_attrs: Mapping[str, Any],
    at: datetime,
    paused: Callable[[int], bool],
    closed: bool,
    calendar: SlaCalendar,
) -> tuple[SlaState, ...]:
    """The SLA clocks after the attributes changed at ``at``.

    ``paused(index)`` says whether the ticket's status pauses SLA ``index``;
    ``closed`` whether it stops every clock.
    """
    chosen = applying(slas, new_attrs)
    by_name = {st.name: st for st in clocks}
    out: list[SlaState] = []
    for name, index in chosen.items():
        sla = slas[index]
        st = by_name.get(name)
        cal = calendar(index, new_attrs)
        if st is None:
            if sla.start_on is not None:
                out.append(_sla.unstarted(sla, index))
                continue
            st = _sla.start_clock(sla, index, cal, at, paused(index))
            out.append(_sla.stop(sla, cal, st, at) if closed else st)
        elif st.index == index:
            out.append(st)
        else:
            old = slas[st.index]
            out.append(_redefine(old, calendar(st.index, old_attrs), sla, cal, st, index, at))
    return tuple(out)


def _redefine(
    old: _sla.SLA,
    old_cal: BusinessCalendar,
    new: _sla.SLA,
    cal: BusinessCalendar,
    st: SlaState,
    index: int,
    at: datetime,
) -> SlaState:
    """Clock ``st`` of definition ``old`` carried on under ``new`` from ``at``."""
    if not st.started:
        return SlaState(st.name, index, started=False)
    if st.running_since is None:  # paused, met, or breached and stopped
        return evolve(st, index=index)
    elapsed = _sla.elapsed_at(old, old_cal, st, at)
    if st.breached:
        due = st.due_at
    elif elapsed >= new.target_delta:
        due = at  # already exceeded: breached at this step
    else:
        due = _sla.due_from(new, cal, at, new.target_delta - elapsed)
    return evolve(st, index=index, elapsed=elapsed, running_since=at, due_at=due)


def utc(at: datetime) -> datetime:
    """``at`` in UTC, for comparing instants."""
    return at.astimezone(UTC)


# --- adopting a ticket ---------------------------------------------------------------------


def adopted_items(items: list[Due], at: datetime) -> list[Due]:
    """Timer items armed in the past, as an adopted ticket keeps them at ``at``.

    A timer already due falls due at ``at`` (it fires once); reminders that
    fell before ``at`` are dropped, never sent late, as are those at ``at``
    when their timer falls due then too.
    """
    limit = utc(at)
    due_now = {d.index for d in items if d.kind == "timer" and utc(d.at) <= limit}
    out: list[Due] = []
    for d in items:
        if d.kind == "timer":
            out.append(make_due(at, "timer", d.name, d.index) if d.index in due_now else d)
        elif utc(d.at) > limit or (utc(d.at) == limit and d.index not in due_now):
            out.append(d)
    return out


#: What ``adopt`` takes for one SLA clock: time already counted, or its end.
ADOPTED = ("met", "breached")
_ISO_TEXT_MAX = 64  # longer text is not tried as an ISO datetime


def adopted_clocks(
    slas: tuple[_sla.SLA, ...],
    given: Mapping[str, object] | None,
    attrs: Mapping[str, Any],
    at: datetime,
    category: str,
    pausing: tuple[frozenset[str], ...],
    calendar: Callable[[int], BusinessCalendar],
) -> tuple[SlaState, ...]:
    """The SLA clocks of an adopted ticket: only those ``given``, per name.

    Raises:
        ArgumentError: naming an SLA that does not apply to the ticket, or a
            value that is neither a ``timedelta`` nor ``"met"``/``"breached"``.
    """
    if given is None:
        return ()
    if not isinstance(given, Mapping):
        raise ArgumentError(
            f"slas must be a mapping of SLA names, got {show(given)}", "slas", given
        )
    chosen = applying(slas, attrs)
    for name in given:
        if name not in chosen:
            names = ", ".join(repr(n) for n in chosen) or "none"
            raise ArgumentError(
                f"slas: no SLA {show(name)} applies to this ticket (applying: {names})",
                "slas",
                name,
            )
    out: list[SlaState] = []
    for name, index in chosen.items():
        if name in given:
            sla = slas[index]
            paused = category in pausing[index] or category == "closed"
            state = _adopted(sla, index, given[name], at, paused, calendar)
            out.append(
                _sla.stop(sla, calendar(index), state, at) if category == "closed" else state
            )
    return tuple(out)


def _adopted(
    sla: _sla.SLA,
    index: int,
    value: object,
    at: datetime,
    paused: bool,
    calendar: Callable[[int], BusinessCalendar],
) -> SlaState:
    """One adopted clock from what the caller says of it."""
    target = sla.target_delta
    if value == "met":
        return SlaState(sla.name, index, stopped=True, started_at=at, ended_at=at)
    if value == "breached":
        running = None if paused else at
        return SlaState(
            sla.name,
            index,
            elapsed=target,
            running_since=running,
            due_at=at,
            breached=True,
            started_at=at,
        )
    if not isinstance(value, timedelta) or not timedelta(0) <= value <= MAX_TIMEDELTA:
        raise ArgumentError(
            f"slas[{sla.name!r}] must be an elapsed timedelta from 0 to {MAX_TIMEDELTA.days} "
            f"days, 'met' or 'breached', got {show(value)}",
            "slas",
            value,
        )
    if paused:
        return SlaState(sla.name, index, elapsed=value, started_at=at)
    due = at if value >= target else _sla.due_from(sla, calendar(index), at, target - value)
    return SlaState(sla.name, index, elapsed=value, running_since=at, due_at=due, started_at=at)
