"""The definition vocabulary: statuses, transitions, timers, categories, guards.

Each class checks its own fields' types on construction and names every
field at fault; whether the pieces fit together as a workflow is checked in
``_validate.py``. Nothing here knows about workflows, tables or the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any, Literal, TypeAlias, get_args

from attrs import evolve, field, frozen

from ._checks import copy_json, fail, items, json_problem, show
from ._durations import Duration, describe, named_duration, named_durations
from ._errors import WorkflowError
from ._sla import CalendarSpec
from ._ticket import Context, Effect, Ticket

__all__ = [
    "ANY",
    "CATEGORIES",
    "CalendarSpec",
    "Category",
    "Guard",
    "SetAttrs",
    "Status",
    "SubStatus",
    "Timer",
    "Transition",
]

#: A status category (the words portals filter by and SLA clocks pause by).
Category: TypeAlias = Literal["new", "open", "pending", "on_hold", "solved", "closed"]

#: The fixed vocabulary of status categories, in the order of a ticket's life.
CATEGORIES: tuple[Category, ...] = get_args(Category)

#: A guard: ``(ticket, context) -> bool``; the transition applies only when it returns True.
Guard: TypeAlias = Callable[[Ticket, Context], bool]
#: A transition's ``sub_status``: a fixed string, or ``(ticket, context) -> str | None``.
SubStatus: TypeAlias = str | Callable[[Ticket, Context], str | None]
#: A transition's ``set_attrs``: attribute names copied from the event's data, or
#: ``(ticket, context) -> Mapping`` giving the attributes to set.
SetAttrs: TypeAlias = tuple[str, ...] | Callable[[Ticket, Context], Mapping[str, Any]]

ANY = "*"


def _check_text(problems: list[str], where: str, field_: str, value: object, *, none: bool) -> None:
    """Note a problem unless ``value`` is a string (or None, when ``none``)."""
    if isinstance(value, str) or (none and value is None):
        return
    expected = "a string or None" if none else "a string"
    problems.append(f"{where}: {field_} must be {expected}, got {show(value)}")


def _check_flag(problems: list[str], where: str, field_: str, value: object) -> None:
    """Note a problem unless ``value`` is True or False."""
    if not isinstance(value, bool):
        problems.append(f"{where}: {field_} must be True or False, got {show(value)}")


#: A status code must fit a signed 64-bit column (and TOML's integers).
_CODE_BITS = 63


def _check_code(problems: list[str], where: str, value: object) -> None:
    """Note a problem unless ``value`` is None, a non-empty string or a 64-bit int."""
    if value is None or (isinstance(value, str) and value):
        return
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -(2**_CODE_BITS) <= value < 2**_CODE_BITS
    ):
        return
    problems.append(
        f"{where}: code must be an int (64-bit), a non-empty string or None, got {show(value)}"
    )


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise WorkflowError(problems)


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
        code: The value a project stores for this status in its own
            database (django-helpdesk's ``Ticket.OPEN_STATUS = 1``): an int
            in the signed 64-bit range or a non-empty string, unique within
            the workflow (``1`` and ``"1"`` are different codes); None when
            the status has none. See :meth:`Workflow.status_by_code`.

    Raises:
        WorkflowError: naming each field of the wrong type.
    """

    name: str
    category: str = "open"
    initial: bool = False
    terminal: bool = False
    label: str | None = None
    description: str | None = None
    code: int | str | None = None

    def __attrs_post_init__(self) -> None:
        where = f"status {show(self.name)}"
        problems: list[str] = []
        _check_text(problems, where, "name", self.name, none=False)
        _check_text(problems, where, "category", self.category, none=False)
        _check_flag(problems, where, "initial", self.initial)
        _check_flag(problems, where, "terminal", self.terminal)
        _check_text(problems, where, "label", self.label, none=True)
        _check_text(problems, where, "description", self.description, none=True)
        _check_code(problems, where, self.code)
        _raise_if(problems)

    @property
    def title(self) -> str:
        """The label, or the name when there is none."""
        return self.label or self.name


def _sources(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return items(value, "transition source")


def _roles(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    got = items(value, "transition roles")
    bad = [r for r in got if not isinstance(r, str)]
    if bad:
        raise fail(f"transition roles: role {show(bad[0])} is not a string")
    return frozenset(got)


def _effects(value: Iterable[str | Effect] | str | Effect) -> tuple[Effect, ...]:
    if isinstance(value, str | Effect):
        value = (value,)
    return tuple(Effect(v) if isinstance(v, str) else v for v in items(value, "transition effects"))


def _effect_problems(where: str, i: int, e: object) -> list[str]:
    """What is wrong with effect template ``e`` (the ``i``-th of a transition)."""
    if not isinstance(e, Effect):
        return [f"{where}: effects[{i}] must be a kind string or an Effect, got {show(e)}"]
    out: list[str] = []
    if not isinstance(e.kind, str) or not e.kind:
        out.append(f"{where}: effect kind {show(e.kind)} is not a non-empty string")
    if e.name is not None and not isinstance(e.name, str):
        out.append(
            f"{where}: effect {show(e.kind)} name must be a string or None, got {show(e.name)}"
        )
    if e.at is not None:
        out.append(f"{where}: effect template {show(e.kind)} must not set at=")
    if e.data is not None:
        if not isinstance(e.data, Mapping):
            out.append(f"{where}: effect {show(e.kind)} data must be a mapping, got {show(e.data)}")
        elif (problem := json_problem(e.data, "data")) is not None:
            out.append(f"{where}: effect {show(e.kind)} {problem}")
    return out


def _set_attrs(value: object) -> object:
    """Keys given as one string or an iterable become a tuple; a callable stays."""
    if value is None or callable(value):
        return value
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        return items(value, "transition set_attrs")
    return value


def _set_attrs_problems(where: str, value: object) -> list[str]:
    """What is wrong with a transition's ``set_attrs``."""
    if value is None or callable(value):
        return []
    if not isinstance(value, tuple):
        return [f"{where}: set_attrs must be attribute names or a callable, got {show(value)}"]
    out = [
        f"{where}: set_attrs key {show(k)} is not a non-empty string"
        for k in value
        if not isinstance(k, str) or not k
    ]
    if not value:
        out.append(f"{where}: set_attrs names no attribute")
    elif not out and len(set(value)) != len(value):
        out.append(f"{where}: set_attrs names an attribute twice")
    return out


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
            when it happens; their ``data`` must be JSON values (it is copied).
        sub_status: A fixed string or callable ``(ticket, context) -> str |
            None`` for the ticket's ``sub_status``; entering a status
            otherwise clears it.
        restarts_timers: An internal transition restarts the status's timers.
        label: Words for diagrams and docs.
        set_attrs: Attribute keys copied from the event's ``data`` into the
            ticket's ``attrs`` (a key missing from ``data`` rejects the event
            with :class:`EventDataError`), or a callable ``(ticket, context)
            -> Mapping`` giving the attributes to set. They are set before
            timers are armed and SLAs chosen again.

    Raises:
        WorkflowError: naming each field of the wrong type.
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
    set_attrs: SetAttrs | None = field(default=None, converter=_set_attrs)

    def __attrs_post_init__(self) -> None:
        where = f"transition {show(self.event)}"
        problems: list[str] = []
        _check_text(problems, where, "event", self.event, none=False)
        problems.extend(
            f"{where}: source {show(src)} is not a status name"
            for src in self.source
            if not isinstance(src, str)
        )
        _check_text(problems, where, "target", self.target, none=True)
        if self.guard is not None and not callable(self.guard):
            problems.append(f"{where}: guard {show(self.guard)} is not callable")
        if self.sub_status is not None and not (
            isinstance(self.sub_status, str) or callable(self.sub_status)
        ):
            problems.append(
                f"{where}: sub_status {show(self.sub_status)} is not a string or callable"
            )
        for i, e in enumerate(self.effects):
            problems.extend(_effect_problems(where, i, e))
        _check_flag(problems, where, "restarts_timers", self.restarts_timers)
        _check_text(problems, where, "label", self.label, none=True)
        problems.extend(_set_attrs_problems(where, self.set_attrs))
        _raise_if(problems)
        if any(e.data is not None for e in self.effects):
            copied = tuple(
                e if e.data is None else evolve(e, data=copy_json(e.data)) for e in self.effects
            )
            object.__setattr__(self, "effects", copied)

    def permits(self, actor: str | None) -> bool:
        """True when ``actor`` may send this transition's event."""
        return self.roles is None or actor in self.roles


def _after(value: Duration | timedelta | str | None) -> Duration | timedelta | None:
    return None if value is None else named_duration("timer after", value)


def _reminders(value: Iterable[Duration | timedelta | str]) -> tuple[Duration | timedelta, ...]:
    return named_durations("timer reminders", value)


def _remind_before(
    value: Iterable[Duration | timedelta | str],
) -> tuple[Duration | timedelta, ...]:
    return named_durations("timer remind_before", value)


@frozen
class Timer:
    """An event the system sends when a ticket has sat in a status too long,
    or when a deadline the ticket carries comes.

    Exactly one of ``after`` and ``at`` is given.

    Attributes:
        status: The status it is armed in (on every entry).
        after: How long after entry it fires.
        event: The event it sends, as actor ``"system"``.
        reminders: Offsets from entry at which a ``reminder`` effect is due.
        remind_before: Offsets back from the deadline for reminders.
        calendar: The calendar its durations count on (or a callable
            choosing one from the ticket's attributes); the workflow's by
            default.
        at: The attribute holding the deadline (an aware datetime, or an
            ISO 8601 string with an offset), read on entry and again
            whenever a transition changes it while the ticket is in
            ``status``.

    Raises:
        DurationError: naming a duration that is not one.
        WorkflowError: naming each other field of the wrong type.
    """

    status: str
    after: Duration | timedelta | None = field(default=None, converter=_after)
    event: str = ""
    reminders: tuple[Duration | timedelta, ...] = field(default=(), converter=_reminders)
    remind_before: tuple[Duration | timedelta, ...] = field(default=(), converter=_remind_before)
    calendar: CalendarSpec | None = field(default=None, eq=False)
    at: str | None = None

    def __attrs_post_init__(self) -> None:
        where = f"timer {show(self.event)} in {show(self.status)}"
        problems: list[str] = []
        _check_text(problems, where, "status", self.status, none=False)
        _check_text(problems, where, "event", self.event, none=False)
        _check_text(problems, where, "at", self.at, none=True)
        if self.event == "":
            problems.append(f"{where}: event is required")
        if self.at == "":
            problems.append(f"{where}: at must name an attribute, got ''")
        if (self.after is None) == (self.at is None):
            problems.append(f"{where}: give exactly one of after= and at=, got {self._when()}")
        _raise_if(problems)

    def _when(self) -> str:
        if self.after is None:
            return "neither"
        return f"both after={describe(self.after)} and at={show(self.at)}"
