"""SLA definitions and the clock arithmetic behind them.

Theory of operation: an SLA clock is stored in the ticket as a
:class:`~ticketflow._ticket.SlaState`: the working time counted so far and the
instant the current counting stretch began. Nothing is recomputed from
history. Events and status changes move a clock between four states:

* ``running``: counting; its breach instant (``due_at``) is on the agenda.
* ``paused``: the ticket sits in a ``pause_in`` category (or ``solved``).
* ``met``: a ``stop_on`` event (or closing) came before the target.
* ``breached``: the target was reached (exactly reaching it is a breach); the
  clock keeps counting until it stops.

A ``restart_on`` event starts a met or breached clock afresh; it leaves a
running or paused one alone (next-reply semantics).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from zoneinfo import ZoneInfo

from attrs import field, frozen

from ._checks import MAX_ITEMS, fail, items, show
from ._durations import (
    Duration,
    compare_durations,
    describe,
    is_positive,
    named_durations,
    to_duration,
)
from ._errors import DurationError, WorkflowError
from ._ticket import (
    Context,
    Due,
    SlaCycle,
    SlaState,
    Ticket,
    make_context,
    make_due,
    make_sla_state,
)

if TYPE_CHECKING:
    from ._calendar import BusinessCalendar

__all__ = ["SLA", "On", "SlaClock", "SlaStateName", "Trigger"]

SlaStateName: TypeAlias = Literal["running", "paused", "met", "breached"]

CalendarSpec: TypeAlias = "BusinessCalendar | Callable[[Mapping[str, Any]], BusinessCalendar]"


def _names(what: str, value: object) -> frozenset[str]:
    """A name or a list of names given for ``what``."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value})
    got = items(value, what)
    bad = [v for v in got if not isinstance(v, str)]
    if bad:
        raise fail(f"{what}: {show(bad[0])} is not a string")
    return frozenset(got)


def _on_roles(value: str | Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else _names("On roles", value)


@frozen
class On:
    """An SLA trigger: an event, sent by one of ``roles``, that ``guard`` accepts.

    Wherever an SLA takes event names (``start_on``, ``stop_on``,
    ``restart_on``), an ``On`` tells apart who sent the event and when it
    counts: ``On("reply", roles={"agent"})`` is an agent's reply only.

    Attributes:
        event: The event's name.
        roles: The actors whose event counts; None counts any actor.
        guard: A callable ``(ticket, context) -> bool`` that must accept; it
            sees the ticket before the step, SLA clocks included
            (:meth:`Ticket.sla_state`).

    Raises:
        WorkflowError: naming each field of the wrong type.
    """

    event: str
    roles: frozenset[str] | None = field(default=None, converter=_on_roles)
    guard: Callable[[Ticket, Context], bool] | None = field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.event, str) or not self.event:
            raise WorkflowError([f"On: event must be a non-empty string, got {show(self.event)}"])
        if self.guard is not None and not callable(self.guard):
            raise WorkflowError([f"On {self.event!r}: guard {show(self.guard)} is not callable"])

    def counts(self, actor: str | None, ticket: Ticket, ctx: Context) -> bool:
        """True when this trigger's event, sent by ``actor``, counts for ``ticket``."""
        if self.roles is not None and actor not in self.roles:
            return False
        return self.guard is None or bool(self.guard(ticket, ctx))


#: An SLA trigger: an event name (any actor), or an :class:`On`.
Trigger: TypeAlias = "str | On"


def _triggers(what: str, value: object) -> frozenset[Trigger]:
    """An event name, an :class:`On`, or a list of them, given for ``what``."""
    if value is None:
        return frozenset()
    if isinstance(value, str | On):
        return frozenset({value})
    got = items(value, what)
    bad = [v for v in got if not isinstance(v, str | On)]
    if bad:
        raise fail(f"{what}: {show(bad[0])} is not an event name or an On")
    return frozenset(got)


def _stop_on(value: Trigger | Iterable[Trigger] | None) -> frozenset[Trigger]:
    return _triggers("SLA stop_on", value)


def _restart_on(value: Trigger | Iterable[Trigger] | None) -> frozenset[Trigger]:
    return _triggers("SLA restart_on", value)


def _pause_on(value: Trigger | Iterable[Trigger] | None) -> frozenset[Trigger]:
    return _triggers("SLA pause_on", value)


def _resume_on(value: Trigger | Iterable[Trigger] | None) -> frozenset[Trigger]:
    return _triggers("SLA resume_on", value)


def trigger_event(trigger: Trigger) -> str:
    """The event name a trigger waits for."""
    return trigger if isinstance(trigger, str) else trigger.event


def fires(
    triggers: frozenset[Trigger],
    event: str,
    actor: str | None,
    ticket: Ticket,
    at: datetime,
    data: Mapping[str, Any] | None,
) -> bool:
    """True when ``event`` sent by ``actor`` at ``at`` is one of ``triggers`` for ``ticket``.

    The guards' Context is built only if a guard is to run.
    """
    if event in triggers:
        return True
    ctx: Context | None = None
    for tr in triggers:
        if isinstance(tr, On) and tr.event == event:
            if tr.roles is not None and actor not in tr.roles:
                continue
            if tr.guard is None:
                return True
            if ctx is None:
                ctx = make_context(event, at, actor, data)
            if tr.guard(ticket, ctx):
                return True
    return False


def _pause_in(value: str | Iterable[str] | None) -> frozenset[str]:
    return _names("SLA pause_in", value)


def _warn_at(value: object) -> tuple[float, ...]:
    """Fractions of the target, each strictly between 0 and 1, each once."""
    if value is None:
        return ()
    got = (value,) if isinstance(value, int | float) else items(value, "SLA warn_at")
    out: list[float] = []
    for f in got:
        if isinstance(f, bool) or not isinstance(f, int | float) or not 0 < f < 1:
            raise fail(f"SLA warn_at: {show(f)} is not a fraction strictly between 0 and 1")
        if f in out:
            raise fail(f"SLA warn_at: {show(f)} appears twice")
        out.append(float(f))
    return tuple(out)


def _warn_before(value: object) -> tuple[Duration | timedelta, ...]:
    return _positive("SLA warn_before", value)


def _escalate_after(value: object) -> tuple[Duration | timedelta, ...]:
    got = _positive("SLA escalate_after", value)
    for i, d in enumerate(got):
        if isinstance(d, Duration) and d.unit in ("days", "business_days"):
            raise fail(
                f"SLA escalate_after[{i}]: {d} has no fixed length; "
                "use minutes or hours (counted in the target's measure)"
            )
        if i and _length(d) <= _length(got[i - 1]):
            raise fail(
                f"SLA escalate_after: {describe(d)} does not come after "
                f"{describe(got[i - 1])}; escalations must be strictly increasing"
            )
    return got


def _positive(what: str, value: object) -> tuple[Duration | timedelta, ...]:
    if value is None:
        return ()
    got = named_durations(what, value)
    for i, d in enumerate(got):
        if not is_positive(d):
            raise fail(f"{what}[{i}]: {describe(d)} is not a positive duration")
    return got


def _fixed(d: Duration | timedelta) -> bool:
    """True for a duration of fixed length: anything but days and business days."""
    return isinstance(d, timedelta) or d.unit not in ("days", "business_days")


def _length(d: Duration | timedelta) -> timedelta:
    """A duration of fixed length as a ``timedelta`` (business time for business units)."""
    return d if isinstance(d, timedelta) else timedelta(minutes=d.total_minutes)


def _target(value: Duration | timedelta | str) -> Duration | timedelta:
    try:
        return to_duration(value)
    except DurationError as exc:
        raise DurationError(f"SLA target: {exc}") from None


def _when(value: Mapping[str, Any] | None) -> dict[str, frozenset[Any]] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise fail(f"SLA when must be a mapping of attribute names to values, got {show(value)}")
    out: dict[str, frozenset[Any]] = {}
    for key, wanted in value.items():
        if not isinstance(key, str):
            raise fail(f"SLA when: attribute name {show(key)} is not a string")
        values = items(wanted, f"SLA when[{show(key)}]") if _is_list(wanted) else (wanted,)
        try:
            out[key] = frozenset(values)
        except TypeError:
            bad = next(v for v in values if not _hashable(v))
            raise fail(
                f"SLA when[{show(key)}]: value {show(bad)} cannot be compared "
                "(use strings, numbers, booleans or None)"
            ) from None
    if len(out) > MAX_ITEMS:
        raise fail(f"SLA when holds more than {MAX_ITEMS} attributes")
    return out


def _is_list(value: object) -> bool:
    return isinstance(value, set | frozenset | list | tuple)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@frozen
class SLA:
    """A service-level target on working time.

    Attributes:
        name: The clock's name; several SLAs may share one, and the first
            whose ``when`` matches a ticket's attributes applies.
        target: The time allowed: business or absolute minutes or hours.
        when: Attribute name -> value or set of values the ticket must have
            (a missing attribute reads as None); None matches every ticket.
        calendar: The calendar to count on (or a callable choosing one from
            the ticket's attributes); the workflow's by default.
        start_on: The event (a name or an :class:`On`) that starts the
            clock; None starts it at creation.
        stop_on: Events (names or :class:`On` triggers) that stop it for
            good (the target is met).
        restart_on: Events (names or :class:`On` triggers) that start a met
            or breached clock afresh.
        pause_in: Every status category in which the clock pauses
            (``pending``, ``on_hold`` and ``solved`` by default); it stops on
            ``closed``.
        pause_on: Events (names or :class:`On` triggers) that pause the clock
            whatever the status, until one of ``resume_on``.
        resume_on: Events (names or :class:`On` triggers) that end a pause
            begun by ``pause_on`` (the status may still pause it).
        warn_at: Fractions of the target, each strictly between 0 and 1, at
            which an ``sla_warning`` effect is sent.
        warn_before: Durations before the due time at which an
            ``sla_warning`` is sent, measured as each says: an absolute
            ``minutes(30)`` is 30 real minutes before ``due_at``, a
            ``business_minutes(30)`` is counted on the SLA's calendar.
        escalate_after: Durations after the breach, counted in the target's
            measure and strictly increasing, at which an ``sla_escalation``
            effect is sent.

    Warnings are numbered 1, 2, ... by their place before the breach (a
    fraction ``f`` at ``f`` x target, a ``warn_before`` ``d`` at target - ``d``),
    escalations by their order. Both move with pauses, fire at most once per
    cycle and are cancelled when the clock stops; a warning that would fall
    at or after the breach is dropped, and one that would fall before the
    clock started counting falls due as it starts.

    Raises:
        DurationError: naming a target that is not a duration.
        WorkflowError: naming each other field of the wrong type, a
            ``warn_at`` fraction outside (0, 1), a ``warn_before`` not shorter
            than the target (where the two compare), or ``escalate_after``
            durations that are not positive and strictly increasing.
    """

    name: str
    target: Duration | timedelta = field(converter=_target)
    when: dict[str, frozenset[Any]] | None = field(default=None, converter=_when, hash=False)
    calendar: CalendarSpec | None = field(default=None, eq=False)
    start_on: Trigger | None = None
    stop_on: frozenset[Trigger] = field(default=frozenset(), converter=_stop_on)
    restart_on: frozenset[Trigger] = field(default=frozenset(), converter=_restart_on)
    pause_in: frozenset[str] = field(
        default=frozenset({"pending", "on_hold", "solved"}), converter=_pause_in
    )
    pause_on: frozenset[Trigger] = field(default=frozenset(), converter=_pause_on)
    resume_on: frozenset[Trigger] = field(default=frozenset(), converter=_resume_on)
    warn_at: tuple[float, ...] = field(default=(), converter=_warn_at)
    warn_before: tuple[Duration | timedelta, ...] = field(default=(), converter=_warn_before)
    escalate_after: tuple[Duration | timedelta, ...] = field(default=(), converter=_escalate_after)
    # derived once, read on every event
    _ons: bool = field(init=False, repr=False, eq=False)
    _business: bool = field(init=False, repr=False, eq=False)
    _delta: timedelta = field(init=False, repr=False, eq=False)
    # the warnings in level order, each (True, working time counted when it falls due) or
    # (False, duration to go back from the due time on the calendar); then the escalations
    # as working time counted when each falls due
    _warnings: tuple[tuple[bool, timedelta | Duration], ...] = field(
        init=False, repr=False, eq=False
    )
    _escalations: tuple[timedelta, ...] = field(init=False, repr=False, eq=False)
    # every warning is placed by the share of the target counted
    _counted: bool = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        if not isinstance(self.name, str):
            problems.append(f"SLA {show(self.name)}: name must be a string, got {show(self.name)}")
        if self.start_on is not None and not isinstance(self.start_on, str | On):
            problems.append(
                f"SLA {show(self.name)}: start_on must be an event name, an On or None, "
                f"got {show(self.start_on)}"
            )
        if problems:
            raise WorkflowError(problems)
        target = self.target
        if isinstance(target, timedelta):
            business, delta = False, target
        elif target.unit in ("days", "business_days"):
            # no fixed length: Workflow validation reports it as a problem
            business, delta = target.is_business, timedelta(0)
        else:
            business, delta = target.is_business, timedelta(minutes=target.total_minutes)
        object.__setattr__(self, "_business", business)
        ons = any(
            isinstance(tr, On)
            for tr in (
                self.start_on,
                *self.stop_on,
                *self.restart_on,
                *self.pause_on,
                *self.resume_on,
            )
        )
        object.__setattr__(self, "_ons", ons)
        object.__setattr__(self, "_delta", delta)
        object.__setattr__(self, "_warnings", self._levels(delta))
        object.__setattr__(self, "_counted", all(counted for counted, _ in self._warnings))
        object.__setattr__(
            self, "_escalations", tuple(delta + _length(e) for e in self.escalate_after)
        )

    def _levels(self, delta: timedelta) -> tuple[tuple[bool, timedelta | Duration], ...]:
        """The warnings in level order (see :attr:`_warnings`)."""
        placed: list[tuple[timedelta, bool, timedelta | Duration]] = [
            (delta * f, True, delta * f) for f in self.warn_at
        ]
        for i, d in enumerate(self.warn_before):
            if not (delta and _fixed(d) and compare_durations(d, self.target) is not None):
                # measured on the calendar back from the due time; placed for numbering
                # as if its days were 24 hours
                nominal = _length(d) if _fixed(d) else timedelta(days=d.amount)  # type: ignore[union-attr]
                placed.append((delta - nominal, False, d))
                continue
            if _length(d) >= delta:
                raise fail(
                    f"SLA {self.name!r}: warn_before[{i}] {describe(d)} is not shorter "
                    f"than the target {describe(self.target)}"
                )
            placed.append((delta - _length(d), True, delta - _length(d)))
        placed.sort(key=lambda p: p[0])
        return tuple((counted, value) for _, counted, value in placed)

    @property
    def is_business(self) -> bool:
        """True when the target counts business time on a calendar."""
        return self._business

    @property
    def target_delta(self) -> timedelta:
        """The target as a ``timedelta`` of (business or real) time."""
        return self._delta

    def matches(self, attrs: Mapping[str, Any]) -> bool:
        """True when this SLA applies to a ticket with these attributes."""
        if self.when is None:
            return True
        return all(_among(attrs.get(key), wanted) for key, wanted in self.when.items())


def _among(value: object, wanted: frozenset[Any]) -> bool:
    """True when ``value`` is one of ``wanted`` (an unhashable list or mapping never is)."""
    try:
        return value in wanted
    except TypeError:
        return False


@frozen
class SlaClock:
    """A reading of one SLA clock at a given moment.

    Attributes:
        name: The SLA's name.
        state: ``running``, ``paused``, ``met`` or ``breached``.
        target: The time allowed.
        elapsed: Working time counted so far.
        remaining: Time left before a breach (never below zero).
        due_at: When the breach falls (or fell) due; None while paused or met.
        cycles: The clock's finished cycles, oldest first (the current one is
            the clock itself).
    """

    name: str
    state: SlaStateName
    target: Duration | timedelta
    elapsed: timedelta
    remaining: timedelta
    due_at: datetime | None
    cycles: tuple[SlaCycle, ...] = ()


# --- memoized calendar arithmetic --------------------------------------------------------
#
# Calendars are immutable and their answers depend only on their arguments, so the engine
# keeps the last few thousand answers: a ticket re-entering a status, a clock resuming at
# the same instant, many tickets arming the same timer at the same moment. Keys hold the
# calendar (hashed by identity) and each instant with its tzinfo and fold, so two keys are
# equal only for the same instants in the same zones; a duration is keyed by identity and
# checked on a hit. Errors are never stored: they are raised again on every call.

_MEMO: dict[tuple[Any, ...], Any] = {}
#: Most answers kept; the memo is emptied when it is full.
MEMO_SIZE = 8192
_TRUSTED_TZ = (ZoneInfo, timezone)


def _store(key: tuple[Any, ...], value: Any) -> None:
    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = value


def cal_add(cal: BusinessCalendar, at: datetime, duration: Duration | timedelta) -> datetime:
    """``cal.add(at, duration)``, remembered."""
    if type(at) is not datetime or type(at.tzinfo) not in _TRUSTED_TZ:
        return cal.add(at, duration)
    key = (cal, id(duration), at, at.tzinfo, at.fold)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is duration:
        return hit[1]  # type: ignore[no-any-return]
    result = cal.add(at, duration)
    _store(key, (duration, result))
    return result


def cal_subtract(cal: BusinessCalendar, at: datetime, duration: Duration | timedelta) -> datetime:
    """``cal.subtract(at, duration)``, remembered."""
    if type(at) is not datetime or type(at.tzinfo) not in _TRUSTED_TZ:
        return cal.subtract(at, duration)
    key = (cal, "-", id(duration), at, at.tzinfo, at.fold)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is duration:
        return hit[1]  # type: ignore[no-any-return]
    result = cal.subtract(at, duration)
    _store(key, (duration, result))
    return result


def _add_working(cal: BusinessCalendar, at: datetime, working: timedelta) -> datetime:
    if type(working) is not timedelta or type(at) is not datetime:
        return cal.add_working(at, working)
    if type(at.tzinfo) not in _TRUSTED_TZ:
        return cal.add_working(at, working)
    key = (cal, "w", working, at, at.tzinfo, at.fold)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    result = cal.add_working(at, working)
    _store(key, result)
    return result


def _elapsed(cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    if type(a) is not datetime or type(b) is not datetime:
        return cal.elapsed(a, b)
    if type(a.tzinfo) not in _TRUSTED_TZ or type(b.tzinfo) not in _TRUSTED_TZ:
        return cal.elapsed(a, b)
    key = (cal, "e", a, a.tzinfo, a.fold, b, b.tzinfo, b.fold)
    hit = _MEMO.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    result = cal.elapsed(a, b)
    _store(key, result)
    return result


# --- clock arithmetic -------------------------------------------------------------------


def measure(sla: SLA, cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    """Time counted by ``sla`` between ``a`` and ``b``."""
    if sla._business:
        return _elapsed(cal, a, b)
    # in UTC: two datetimes sharing a tzinfo subtract by wall clock
    return b.astimezone(UTC) - a.astimezone(UTC)


def due_from(sla: SLA, cal: BusinessCalendar, since: datetime, left: timedelta) -> datetime:
    """The instant at which ``left`` more time has been counted from ``since``."""
    if sla._business:
        return _add_working(cal, since, left)
    return cal_add(cal, since, left)


_ZERO = timedelta(0)


def state_name(state: SlaState) -> SlaStateName:
    """The public state of a stored clock."""
    return state.state


def start_clock(
    sla: SLA,
    index: int,
    cal: BusinessCalendar,
    at: datetime,
    paused: bool,
    cycles: tuple[SlaCycle, ...] = (),
    held: bool = False,
) -> SlaState:
    """A fresh clock started at ``at`` (paused if the status pauses it), after ``cycles``."""
    running, due = (None, None) if paused else (at, due_from(sla, cal, at, sla._delta))
    return make_sla_state(
        sla.name, index, _ZERO, running, due, False, False, True, at, None, cycles, held
    )


def _marked(state: SlaState, held: bool, warned: frozenset[int], escalated: int) -> SlaState:
    """``state`` with its hold and what it sent of its notices replaced."""
    return make_sla_state(
        state.name,
        state.index,
        state.elapsed,
        state.running_since,
        state.due_at,
        state.breached,
        state.stopped,
        state.started,
        state.started_at,
        state.ended_at,
        state.cycles,
        held,
        warned,
        escalated,
    )


def hold(state: SlaState, held: bool) -> SlaState:
    """``state`` marked as held by a ``pause_on`` event (or released by ``resume_on``)."""
    return _marked(state, held, state.warned, state.escalated)


def restart(
    sla: SLA, cal: BusinessCalendar, state: SlaState, at: datetime, paused: bool
) -> SlaState:
    """A met or breached clock started afresh at ``at``, keeping the finished cycle."""
    cycles = state.cycles
    if state.started_at is not None:  # None: a snapshot written before cycles were kept
        cycle = SlaCycle(
            state.started_at,
            state.ended_at or at,
            "breached" if state.breached else "met",
            elapsed_at(sla, cal, state, at),
            sla._delta,
        )
        cycles = (*cycles, cycle)
    return start_clock(sla, state.index, cal, at, paused, cycles, state.held)


def unstarted(sla: SLA, index: int) -> SlaState:
    """A clock waiting for its ``start_on`` event."""
    return make_sla_state(sla.name, index, _ZERO, None, None, False, False, False)


def elapsed_at(sla: SLA, cal: BusinessCalendar, state: SlaState, now: datetime) -> timedelta:
    """Counted time of ``state`` as of ``now``."""
    since = state.running_since
    if since is None:
        return state.elapsed
    # what is counted from ``since`` to ``now`` is negative or zero unless ``now`` is later,
    # so its sign answers the order without converting both instants to UTC
    try:
        counted = measure(sla, cal, since, now)
    except DurationError:  # too far apart to count: decide by the order, as below
        counted = None
    if counted is not None:
        return state.elapsed + counted if counted > _ZERO else state.elapsed
    if now.astimezone(UTC) <= since.astimezone(UTC):
        return state.elapsed
    return state.elapsed + measure(sla, cal, since, now)


def _halt(
    sla: SLA, cal: BusinessCalendar, state: SlaState, at: datetime, *, stopped: bool
) -> SlaState:
    """Stop counting at ``at``, for now or (``stopped``) for good."""
    return make_sla_state(
        state.name,
        state.index,
        elapsed_at(sla, cal, state, at),
        None,
        state.due_at if state.breached else None,
        state.breached,
        stopped,
        True,
        state.started_at,
        at if stopped else None,
        state.cycles,
        state.held,
        state.warned,
        state.escalated,
    )


def pause(sla: SLA, cal: BusinessCalendar, state: SlaState, at: datetime) -> SlaState:
    """Stop counting until :func:`resume`."""
    if state.running_since is None:
        return state
    return _halt(sla, cal, state, at, stopped=False)


def resume(sla: SLA, cal: BusinessCalendar, state: SlaState, at: datetime) -> SlaState:
    """Count again from ``at``."""
    if state.running_since is not None or state.stopped or not state.started:
        return state
    due = state.due_at
    if not state.breached:
        left = sla._delta - state.elapsed
        # a target already exceeded (it changed while paused) is breached on resuming
        due = due_from(sla, cal, at, left) if left > _ZERO else at
    return make_sla_state(
        state.name,
        state.index,
        state.elapsed,
        at,
        due,
        state.breached,
        False,
        True,
        state.started_at,
        None,
        state.cycles,
        state.held,
        state.warned,
        state.escalated,
    )


def stop(sla: SLA, cal: BusinessCalendar, state: SlaState, at: datetime) -> SlaState:
    """Stop for good: met unless already breached."""
    if state.stopped or not state.started:
        return state
    return _halt(sla, cal, state, at, stopped=True)


def breach(state: SlaState) -> SlaState:
    """Record that the target was reached at ``state.due_at``."""
    return make_sla_state(
        state.name,
        state.index,
        state.elapsed,
        state.running_since,
        state.due_at,
        True,
        False,
        True,
        state.started_at,
        None,
        state.cycles,
        state.held,
        state.warned,
        state.escalated,
    )


def warned(state: SlaState, level: int) -> SlaState:
    """``state`` after its warning ``level`` was sent."""
    return _marked(state, state.held, state.warned | {level}, state.escalated)


def escalated(state: SlaState) -> SlaState:
    """``state`` after its next escalation was sent."""
    return _marked(state, state.held, state.warned, state.escalated + 1)


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _warning_instants(
    sla: SLA, cal: BusinessCalendar, st: SlaState
) -> Iterator[tuple[int, datetime, datetime, bool]]:
    """Each warning level of running clock ``st`` still to send, with its instant (and
    that instant in UTC), and whether it fell before the clock's current stretch began
    (its instant is then that beginning); those at or after the breach are left out."""
    since, due = st.running_since, st.due_at
    if since is None or due is None:
        return
    end = due.astimezone(UTC)
    start: datetime | None = None
    for level, (counted, value) in enumerate(sla._warnings, 1):
        if level in st.warned:
            continue
        if counted:
            left = value - st.elapsed  # type: ignore[operator]
            if left > _ZERO:
                when = due_from(sla, cal, since, left)
                instant = when.astimezone(UTC)
                if instant < end:
                    yield level, when, instant, False
                continue
            late = left < _ZERO
        else:
            when = cal_subtract(cal, due, value)
            instant = when.astimezone(UTC)
            if start is None:
                start = since.astimezone(UTC)
            late = instant < start
            if not late:
                if instant < end:
                    yield level, when, instant, False
                continue
        if start is None:
            start = since.astimezone(UTC)
        if start < end:
            yield level, since, start, late


def warning_items(
    sla: SLA, cal: BusinessCalendar, st: SlaState, slot: int, now: datetime
) -> list[Due]:
    """The warnings still to send of running clock ``st`` (in ``slot``), none before ``now``.

    A warning at or after the breach is dropped; one that falls before ``now``
    (the clock started or resumed, or its target changed) falls due at ``now``.
    The items come in agenda order (time, then level), all before the breach.
    """
    name = st.name
    since = st.running_since
    if since is now and sla._counted:
        # counting from now, each warning falls when its share is counted: the instants
        # rise with the level, none before now, all before the breach
        out: list[Due] = []
        for level, (_, value) in enumerate(sla._warnings, 1):
            if level not in st.warned:
                left = value - st.elapsed  # type: ignore[operator]
                when = due_from(sla, cal, now, left) if left > _ZERO else now
                out.append(make_due(when, "sla_warning", name, slot, level - 1))
        return out
    floor = now.astimezone(UTC)
    found = [
        (floor, level, now) if instant <= floor else (instant, level, when)
        for level, when, instant, _ in _warning_instants(sla, cal, st)
    ]
    if len(found) > 1:
        found.sort(key=_first_two)
    return [make_due(when, "sla_warning", name, slot, level - 1) for _, level, when in found]


def _first_two(item: tuple[datetime, int, datetime]) -> tuple[datetime, int]:
    return item[0], item[1]


def skip_passed(sla: SLA, cal: BusinessCalendar, st: SlaState, now: datetime) -> SlaState:
    """``st`` with the warnings that fell before ``now`` marked as sent (they are not sent
    late); one exactly at ``now`` is still to send."""
    if not sla._warnings:
        return st
    floor = now.astimezone(UTC)
    passed = [
        level
        for level, _, instant, late in _warning_instants(sla, cal, st)
        if late or instant < floor
    ]
    for level in passed:
        st = warned(st, level)
    return st


def escalation_items(
    sla: SLA, cal: BusinessCalendar, st: SlaState, slot: int, now: datetime
) -> list[Due]:
    """The escalations still to send of breached, counting clock ``st``, none before ``now``."""
    since = st.running_since
    if since is None:
        return []
    out: list[Due] = []
    floor = _utc(now)
    for level in range(st.escalated + 1, len(sla._escalations) + 1):
        left = sla._escalations[level - 1] - st.elapsed
        when = due_from(sla, cal, since, left) if left > _ZERO else since
        out.append(
            make_due(
                now if _utc(when) <= floor else when, "sla_escalation", st.name, slot, level - 1
            )
        )
    return out


def clock(sla: SLA, cal: BusinessCalendar, state: SlaState, now: datetime) -> SlaClock:
    """Read a stored clock at ``now``."""
    elapsed = elapsed_at(sla, cal, state, now)
    target = sla.target_delta
    return SlaClock(
        name=state.name,
        state=state_name(state),
        target=sla.target,
        elapsed=elapsed,
        remaining=max(target - elapsed, timedelta(0)),
        due_at=state.due_at if (state.breached or state.running_since is not None) else None,
        cycles=state.cycles,
    )
