"""Ticket snapshots and the values the engine hands back.

Everything here is an immutable, slotted value: a :class:`Ticket` snapshot,
the :class:`Step` and :class:`Effect` records of an :class:`Outcome`, the
:class:`Event` of a replay log and the :class:`Context` a guard sees. A ticket
carries its own agenda (the instants at which its timers, reminders and SLA
breaches fall due) and its SLA clock states, so it is self-contained: storing
``ticket.to_dict()`` and restoring it with :meth:`Ticket.from_dict` loses
nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal, Protocol, TypeAlias, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import Factory, field, fields, frozen

from ._errors import AttrsError, InstantError, SnapshotError
from ._limits import MAX_AGENDA, MAX_DEPTH, MAX_INSTANT, MIN_INSTANT, check_instant

__all__ = [
    "DATETIME_KEY",
    "SCHEMA_VERSION",
    "Context",
    "Due",
    "Effect",
    "Event",
    "Outcome",
    "SlaState",
    "Step",
    "FrozenDict",
    "FrozenList",
    "Ticket",
    "check_aware",
    "check_snapshot",
    "freeze_attrs",
]

#: Version of the dict layout written by :meth:`Ticket.to_dict` (2 added
#: ``workflow_version``; schema 1 snapshots load with it None).
SCHEMA_VERSION = 2

DueKind: TypeAlias = Literal["reminder", "sla_warning", "sla_breach", "sla_escalation", "timer"]
# Order of items due at the same instant: reminders, SLA warnings, breaches, escalations,
# then timers (a timer moves the ticket on and drops the reminders of the status it leaves).
_DUE_ORDER: dict[str, int] = {
    "reminder": 0,
    "sla_warning": 1,
    "sla_breach": 2,
    "sla_escalation": 3,
    "timer": 4,
}
# the kinds whose ``sub`` numbers a level or a reminder (it is 0 for the others)
_SUB_KINDS = frozenset({"reminder", "sla_warning", "sla_escalation"})


def check_aware(value: object, argument: str = "at") -> datetime:
    """Return ``value`` if it is an aware datetime in the supported range.

    Raises:
        NaiveDatetimeError: for a naive datetime.
        InstantError: for anything else that is not a supported instant.
    """
    return check_instant(value, argument)


# --- attribute values -----------------------------------------------------------------

#: The key that marks an encoded datetime in :meth:`Ticket.to_dict` (reserved in attrs).
DATETIME_KEY = "$datetime"
_INT_DIGITS = 4300  # Python's default limit on int <-> str conversion
_INT_BITS = 14_000  # below this many bits an int has fewer than 4,300 digits
_SHORT_TEXT = 80  # the longest repr an error message quotes whole
_ISO_TEXT_MAX = 100  # the longest datetime text a snapshot may hold
_DUE_ITEM_LEN = 5  # [at, kind, name, index, sub]
_VERSIONED_SCHEMA = 2  # the first schema that records the workflow's version


class FrozenList(tuple):  # type: ignore[type-arg]
    """A list attribute value, frozen: a tuple that also equals an equal list."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__


class FrozenDict(Mapping[str, Any]):
    """A read-only, hashable mapping: how a ticket holds its attributes.

    It equals any mapping with equal items, hashes and pickles;
    :meth:`Ticket.to_dict` writes it back as plain ``dict``/``list`` values.
    Build one with :func:`freeze_attrs`, which checks the values.
    """

    __slots__ = ("_d", "_h")

    def __init__(self, items: dict[str, Any]) -> None:
        # trusted: ``items`` is already checked and frozen, and owned by this mapping
        self._d = items
        self._h: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: object) -> bool:
        try:
            return key in self._d
        except TypeError:
            return False

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self._d.get(key, default)
        except TypeError:
            return default

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._d == other._d
        if isinstance(other, Mapping):
            return self._d == dict(other.items())
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        if self._h is None:
            self._h = hash(frozenset(self._d.items()))
        return self._h

    def __repr__(self) -> str:
        return repr(self._d)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (self._d,))


EMPTY = FrozenDict({})


def freeze_attrs(value: object) -> FrozenDict:
    """Check ticket attributes and return them as a :class:`FrozenDict`.

    Raises:
        AttrsError: naming the key path of the first value that is not a
            JSON value or an aware datetime in the supported range.
    """
    if type(value) is FrozenDict:
        return value
    if value is None:
        return EMPTY
    if not isinstance(value, Mapping):
        raise AttrsError(f"attrs must be a mapping, got {_short(value)}", None, value)
    return _freeze_map(value, "", 1)


def _freeze_map(value: Mapping[Any, Any], path: str, depth: int) -> FrozenDict:
    if depth > MAX_DEPTH:
        raise AttrsError(f"nested more than {MAX_DEPTH} deep", path or None, value)
    out: dict[str, Any] = {}
    try:
        items = list(value.items())
    except Exception as exc:  # a broken Mapping of the caller's
        raise AttrsError(f"cannot read the mapping: {exc!r}", path or None, value) from None
    for key, item in items:
        if not isinstance(key, str):
            raise AttrsError(f"key {_short(key)} is not a string", path or None, key)
        where = f"{path}.{key}" if path else key
        if key == DATETIME_KEY:
            raise AttrsError(
                f"the key {DATETIME_KEY!r} is reserved (it marks a datetime in to_dict())",
                where,
                item,
            )
        out[key] = _freeze_value(item, where, depth)
    return FrozenDict(out)


def _freeze_value(value: object, where: str, depth: int) -> Any:
    kind = type(value)
    if (
        value is None
        or kind is str
        or kind is bool
        or kind is FrozenDict
        or kind is FrozenList
        or isinstance(value, bool | str)
    ):
        return value
    if isinstance(value, int):
        if value.bit_length() > _INT_BITS:
            _check_digits(value, where)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise AttrsError(f"{value!r} is not a finite number", where, value)
        return value
    if isinstance(value, datetime):
        _check_attr_instant(value, where)
        return value
    if isinstance(value, list | tuple):
        if depth >= MAX_DEPTH:
            raise AttrsError(f"nested more than {MAX_DEPTH} deep", where, value)
        return FrozenList(_freeze_value(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
    if isinstance(value, Mapping):
        return _freeze_map(value, where, depth + 1)
    raise AttrsError(
        f"{_short(value)} ({type(value).__name__}) is not a JSON value or an aware datetime",
        where,
        value,
    )


def _check_digits(value: int, where: str) -> None:
    """Refuse an int with more digits than Python converts to text."""
    try:
        digits = len(str(abs(value)))
    except ValueError:
        digits = _INT_DIGITS + 1
    if digits > _INT_DIGITS:
        raise AttrsError(f"integer has more than {_INT_DIGITS} digits", where, None)


def _check_attr_instant(value: datetime, where: str) -> None:
    """Refuse a naive datetime or one outside the supported range."""
    try:
        check_instant(value, where)
    except InstantError as exc:
        raise AttrsError(str(exc), where, value) from None


def _encode(value: Any) -> Any:
    """JSON-safe attribute values: datetimes become ``{"$datetime": "<iso>[zone]"}``."""
    if isinstance(value, datetime):
        return {DATETIME_KEY: _dt_out(value)}
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any, where: str, depth: int) -> Any:
    """Reverse :func:`_encode` on JSON data read back (checked by :func:`freeze_attrs` later)."""
    if depth > MAX_DEPTH + 1:
        raise SnapshotError(f"nested more than {MAX_DEPTH} deep", where)
    if isinstance(value, Mapping):
        if DATETIME_KEY in value:
            text = value[DATETIME_KEY]
            if len(value) != 1:
                raise SnapshotError(f"{DATETIME_KEY!r} must be the only key of its object", where)
            return _dt_in(text, where)
        return {k: _decode(v, f"{where}.{k}", depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
    return value


def _short(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # a huge int, or a broken __repr__ of the caller's
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHORT_TEXT else text[: _SHORT_TEXT - 3] + "..."


class _ContextSlots:
    """The slots of :class:`Context` (which adds none), shared with the engine's builder."""

    __slots__ = ("__weakref__", "actor", "at", "data", "event")


@frozen
class Context(_ContextSlots):
    """What a guard or a ``sub_status`` callable is told about the event.

    Attributes:
        event: The event's name.
        at: When it happens.
        actor: The role sending it (``"system"`` for timers).
        data: The event's payload, or None (always None in ``allowed()``).
    """

    event: str
    at: datetime | None
    actor: str | None
    data: Mapping[str, Any] | None = field(default=None, eq=False, hash=False)


class _EffectSlots:
    """The slots of :class:`Effect` (which adds none), shared with the engine's builder."""

    __slots__ = ("__weakref__", "at", "data", "kind", "name")


@frozen
class Effect(_EffectSlots):
    """Something for the caller to carry out: a survey, a reminder, a follow-up.

    In a transition's definition an effect is a template (``at`` is None); the
    engine emits a copy with ``at`` filled in and ``name`` defaulting to the
    event's name.

    Attributes:
        kind: What to do (``"survey"``, ``"notify"``, ``"reminder"``,
            ``"sla_breach"``, ``"follow_up"``, or the caller's own).
        name: Which one (the event, timer event or SLA name by default).
        at: When it became due.
        data: Details for the caller; for ``follow_up`` the new ``"ticket"``
            and the ``"parent"`` id.
    """

    kind: str
    name: str | None = None
    at: datetime | None = None
    data: Mapping[str, Any] | None = field(default=None, hash=False)


class _StepSlots:
    """The slots of :class:`Step` (which adds none), shared with the engine's builder."""

    __slots__ = ("__weakref__", "actor", "at", "event", "requested_at", "source", "target")


@frozen
class Step(_StepSlots):
    """One move the engine made, manual or timed.

    Attributes:
        event: The event's name (``"start"`` for creation).
        source: The status before (None for creation).
        target: The status after (equal to ``source`` for internal events).
        at: When it happened.
        actor: Who sent it (``"system"`` for timers).
        requested_at: The time the event was stamped with: equal to ``at``
            except for a late event applied with ``late="clamp"``, which
            happens at the ticket's ``updated_at`` instead.
    """

    event: str
    source: str | None
    target: str
    at: datetime
    actor: str | None
    requested_at: datetime = field(default=Factory(lambda self: self.at, takes_self=True))


@frozen
class Event:
    """An entry of an event log, as folded by :meth:`Workflow.replay`.

    Attributes:
        name: The event's name; the first event of a log is ``"start"``.
        at: When it happened.
        actor: Who sent it.
        data: The payload (for ``"start"``, the ticket's attributes).
    """

    name: str
    at: datetime
    actor: str | None = None
    data: Mapping[str, Any] | None = field(default=None, hash=False)


class _DueSlots:
    """The slots of :class:`Due` (which adds none), shared with the engine's builder."""

    __slots__ = ("__weakref__", "at", "index", "kind", "name", "sub")


@frozen
class Due(_DueSlots):
    """An instant at which something falls due for a ticket.

    Attributes:
        at: The instant.
        kind: ``"reminder"``, ``"sla_warning"``, ``"sla_breach"``,
            ``"sla_escalation"`` or ``"timer"``.
        name: The timer's event or the SLA's name.
        index: The timer's position in the workflow, or the SLA clock's
            position in the ticket's ``slas``.
        sub: The reminder's position within its timer, or the warning's or
            escalation's level minus one (0 otherwise).
    """

    at: datetime
    kind: DueKind
    name: str
    index: int
    sub: int = 0

    @property
    def sort_key(self) -> tuple[datetime, int, int, int]:
        """Time order (absolute, in UTC), then reminders, warnings, breaches, escalations,
        timers."""
        return (self.at.astimezone(UTC), _DUE_ORDER[self.kind], self.index, self.sub)


@frozen
class SlaCycle:
    """One finished cycle of an SLA clock (a restart begins the next).

    Attributes:
        started_at: When the cycle began counting (its start or restart).
        ended_at: When it stopped (met or closed), or when the restart ended
            it while a breached clock was still counting.
        state: ``met`` or ``breached``.
        elapsed: Working time counted in the cycle.
        target: The time allowed in the cycle, as a ``timedelta`` of the
            SLA's measure.
    """

    started_at: datetime
    ended_at: datetime
    state: Literal["met", "breached"]
    elapsed: timedelta
    target: timedelta


def _level_set(value: Any) -> Any:
    """Levels given as any collection, frozen (anything else is left for the check)."""
    return frozenset(value) if isinstance(value, set | list | tuple) else value


class _SlaStateSlots:
    """The slots of :class:`SlaState` (which adds none), shared with the engine's builder."""

    __slots__ = (
        "__weakref__",
        "breached",
        "cycles",
        "due_at",
        "elapsed",
        "ended_at",
        "escalated",
        "held",
        "index",
        "name",
        "running_since",
        "started",
        "started_at",
        "stopped",
        "warned",
    )


@frozen
class SlaState(_SlaStateSlots):
    """The stored state of one SLA clock of a ticket.

    Attributes:
        name: The SLA's name.
        index: Position of the applying SLA definition in ``Workflow.slas``.
        elapsed: Working time counted up to ``running_since`` (or in all,
            when the clock is not counting).
        running_since: Start of the current counting stretch, or None while
            paused or stopped.
        due_at: When the target is (or was) reached; None while paused or met.
        breached: The target was reached before the clock stopped.
        stopped: The clock stopped for good (stop event or closing).
        started: The clock has started (False until its ``start_on`` event).
        started_at: When the current cycle began (None until it starts).
        ended_at: When the current cycle stopped for good (None until then).
        cycles: The finished cycles, oldest first: a restart keeps them.
        held: A ``pause_on`` event paused the clock, until a ``resume_on``
            event.
        warned: The levels of the warnings sent in the current cycle.
        escalated: How many escalations were sent in the current cycle.
    """

    name: str
    index: int
    elapsed: timedelta = timedelta(0)
    running_since: datetime | None = None
    due_at: datetime | None = None
    breached: bool = False
    stopped: bool = False
    started: bool = True
    started_at: datetime | None = None
    ended_at: datetime | None = None
    cycles: tuple[SlaCycle, ...] = ()
    held: bool = False
    warned: frozenset[int] = field(default=frozenset(), converter=_level_set)
    escalated: int = 0

    @property
    def state(self) -> Literal["running", "paused", "met", "breached"]:
        """``breached``, ``met`` (stopped before its target), ``paused`` (not
        counting now, or not started yet) or ``running``."""
        if self.breached:
            return "breached"
        if self.stopped:
            return "met"
        if self.running_since is None:
            return "paused"
        return "running"


class _TicketSlots:
    """The slots of :class:`Ticket` (which adds none), shared with the engine's builder."""

    __slots__ = (
        "__weakref__",
        "_checked",
        "_utc",
        "agenda",
        "attrs",
        "created_at",
        "id",
        "slas",
        "status",
        "status_since",
        "sub_status",
        "timers_since",
        "updated_at",
        "version",
        "workflow",
        "workflow_version",
    )


@frozen
class Ticket(_TicketSlots):
    """An immutable snapshot of one ticket, all the way down.

    Attributes:
        id: The caller's id for the ticket (the engine never invents one).
        workflow: The name of the workflow it follows.
        status: The current status.
        sub_status: Detail of the status (e.g. whom it waits for), or None.
        version: Grows by one with every recorded change; use it for
            compare-and-set writes.
        created_at: When the ticket was started.
        updated_at: When the last change was recorded.
        status_since: When the current status was entered.
        timers_since: When the current status's timers were last (re)started.
        attrs: The caller's attributes (department, priority...), a read-only
            mapping: nested mappings are read-only too and lists are tuples.
            Values are checked when the ticket is built (:class:`AttrsError`).
        agenda: What falls due next, in time order.
        slas: The SLA clocks.
        workflow_version: The version of the workflow that wrote the
            snapshot (``Workflow.version``), or None for a snapshot stored
            before workflows had versions (any version of its workflow
            takes it, and records its own in the next snapshot).
    """

    id: str | None
    workflow: str
    status: str
    sub_status: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    status_since: datetime
    timers_since: datetime
    attrs: FrozenDict = field(default=EMPTY, converter=freeze_attrs, hash=False)
    agenda: tuple[Due, ...] = ()
    slas: tuple[SlaState, ...] = ()
    workflow_version: str | None = None
    # who has checked this snapshot: a workflow's token, or _CHECKED (not part of its value)
    _checked: object = field(default=None, init=False, eq=False, repr=False, hash=False)
    # updated_at in UTC when the engine built the snapshot, else None (not part of its value)
    _utc: datetime | None = field(default=None, init=False, eq=False, repr=False, hash=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the snapshot's fields only (the check mark stays behind)."""
        return {name: getattr(self, name) for name in _FIELDS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled snapshot (unchecked until an engine call checks it)."""
        for name in _FIELDS:
            # a pickle made before snapshots recorded their workflow's version lacks it
            object.__setattr__(self, name, state.get(name))
        object.__setattr__(self, "_checked", None)
        object.__setattr__(self, "_utc", None)

    @property
    def next_deadline(self) -> datetime | None:
        """The earliest pending timer, reminder or SLA breach, or None.

        The stored field storage can index: for a ticket of a workflow ``wf`` it
        equals ``wf.next_deadline(ticket)``, when the ticket next needs
        :meth:`Workflow.advance`.
        """
        return self.agenda[0].at if self.agenda else None

    def sla_state(self, name: str) -> SlaState | None:
        """The stored clock of the SLA called ``name``, or None when it has none.

        What an SLA trigger's guard reads, e.g. "only once the first reply was
        met": ``(c := ticket.sla_state("first_reply")) is not None and c.state == "met"``.
        """
        for st in self.slas:
            if st.name == name:
                return st
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data with a schema version; :meth:`from_dict` restores it.

        Schema 2 (``SCHEMA_VERSION``) adds ``workflow_version``; schema 1
        snapshots still load, with ``workflow_version`` None.
        Datetimes are ISO 8601 strings with their zone name in brackets
        (``"2026-03-29T10:00:00+02:00[Europe/Madrid]"``); a datetime inside
        ``attrs`` is written as ``{"$datetime": "<that string>"}``.
        """
        # the engine often stamps several instants with one datetime: write each once
        updated, since, timers = self.updated_at, self.status_since, self.timers_since
        updated_text = _dt_out(updated)
        since_text = updated_text if since is updated else _dt_out(since)
        timers_text = since_text if timers is since else _dt_out(timers)
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "workflow": self.workflow,
            "workflow_version": self.workflow_version,
            "status": self.status,
            "sub_status": self.sub_status,
            "version": self.version,
            "created_at": _dt_out(self.created_at),
            "updated_at": updated_text,
            "status_since": since_text,
            "timers_since": timers_text,
            "attrs": _encode(self.attrs) if self.attrs else {},
            "agenda": [[_dt_out(d.at), d.kind, d.name, d.index, d.sub] for d in self.agenda],
            "slas": [
                {
                    "name": s.name,
                    "index": s.index,
                    "elapsed": s.elapsed.total_seconds(),
                    "running_since": _dt_out(s.running_since) if s.running_since else None,
                    "due_at": _dt_out(s.due_at) if s.due_at else None,
                    "breached": s.breached,
                    "stopped": s.stopped,
                    "started": s.started,
                    "started_at": _dt_out(s.started_at) if s.started_at else None,
                    "ended_at": _dt_out(s.ended_at) if s.ended_at else None,
                    "cycles": [
                        [
                            _dt_out(c.started_at),
                            _dt_out(c.ended_at),
                            c.state,
                            c.elapsed.total_seconds(),
                            c.target.total_seconds(),
                        ]
                        for c in s.cycles
                    ],
                    "held": s.held,
                    "warned": sorted(s.warned),
                    "escalated": s.escalated,
                }
                for s in self.slas
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ticket:
        """Restore a ticket written by :meth:`to_dict`.

        Raises:
            SnapshotError: naming the field when ``data`` is malformed or
                inconsistent (an agenda out of order, an instant out of range or
                out of sequence), or when it comes from a newer schema.
        """
        if cls is Ticket:
            plain = _plain_snapshot(data)
            if plain is not None:
                return plain
        if not isinstance(data, Mapping):
            raise SnapshotError(f"expected a mapping, got {_short(data)}")
        schema = _get(data, "schema", int)
        if schema > SCHEMA_VERSION:
            raise SnapshotError(
                f"schema {schema} is newer than this ticketflow reads ({SCHEMA_VERSION})",
                "schema",
            )
        if schema < 1:
            raise SnapshotError(f"unknown schema {schema}", "schema")
        raw_agenda, raw_slas = _get(data, "agenda", list), _get(data, "slas", list)
        for key, raw in (("agenda", raw_agenda), ("slas", raw_slas)):
            if len(raw) > MAX_AGENDA:
                raise SnapshotError(
                    f"holds {len(raw)} entries, more than MAX_AGENDA ({MAX_AGENDA})", key
                )
        agenda = tuple(_due_in(item, f"agenda[{i}]") for i, item in enumerate(raw_agenda))
        slas = tuple(_sla_in(raw, f"slas[{i}]") for i, raw in enumerate(raw_slas))
        ident = data.get("id")
        if ident is not None and not isinstance(ident, str):
            raise SnapshotError(f"expected a string or null, got {_short(ident)}", "id")
        wf_version = data.get("workflow_version") if schema >= _VERSIONED_SCHEMA else None
        sub = data.get("sub_status")
        if sub is not None and not isinstance(sub, str):
            raise SnapshotError(f"expected a string or null, got {_short(sub)}", "sub_status")
        raw_attrs = _get(data, "attrs", Mapping)
        try:
            attrs = freeze_attrs(_decode(raw_attrs, "attrs", 1))
        except AttrsError as exc:
            where = "attrs" if exc.key is None else f"attrs.{exc.key}"
            raise SnapshotError(str(exc), where) from None
        ticket = cls(
            id=ident,
            workflow=_get(data, "workflow", str),
            status=_get(data, "status", str),
            sub_status=sub,
            version=_get(data, "version", int),
            created_at=_dt_in(_get(data, "created_at", str), "created_at"),
            updated_at=_dt_in(_get(data, "updated_at", str), "updated_at"),
            status_since=_dt_in(_get(data, "status_since", str), "status_since"),
            timers_since=_dt_in(_get(data, "timers_since", str), "timers_since"),
            attrs=attrs,
            agenda=agenda,
            slas=slas,
            workflow_version=wf_version,
        )
        check_snapshot(ticket, parsed=True)
        return ticket


_FIELDS = tuple(a.name for a in fields(Ticket) if a.name not in ("_checked", "_utc"))
# set on a ticket that check_snapshot() accepted
_CHECKED = object()
#: The largest ``version`` a snapshot may carry (fits a signed 64-bit column).
MAX_VERSION = 2**63 - 1
# years whose every instant, at any UTC offset, is inside the supported range
_SAFE_YEARS = (MIN_INSTANT.year, MAX_INSTANT.year - 1)
# the longest SLA time a clock can have counted
_MAX_ELAPSED = MAX_INSTANT - MIN_INSTANT


def check_snapshot(ticket: Ticket, *, parsed: bool = False) -> None:
    """Check what a snapshot must satisfy whatever its workflow.

    Field types, instants in the supported range and in order
    (``created_at <= status_since <= timers_since <= updated_at``), an agenda
    in strict time order (so without duplicates), consistent SLA clocks.
    ``parsed``: the agenda items and clocks were built by :meth:`Ticket.from_dict`,
    which checked their fields already.

    Raises:
        SnapshotError: naming the field at fault.
    """
    if ticket._checked is not None:
        return
    _check_fields(ticket)
    _check_instants(ticket)
    _check_agenda(ticket.agenda, parsed)
    _check_slas(ticket.slas, parsed)
    object.__setattr__(ticket, "_checked", _CHECKED)


def _check_fields(ticket: Ticket) -> None:
    """The string fields and the version."""
    for name in ("workflow", "status"):
        if not isinstance(getattr(ticket, name), str):
            raise SnapshotError(f"expected a string, got {_short(getattr(ticket, name))}", name)
    for name in ("id", "sub_status", "workflow_version"):
        value = getattr(ticket, name)
        if value is not None and not isinstance(value, str):
            raise SnapshotError(f"expected a string or None, got {_short(value)}", name)
    version = ticket.version
    if not isinstance(version, int) or isinstance(version, bool):
        raise SnapshotError(f"expected an int, got {_short(version)}", "version")
    if not 1 <= version <= MAX_VERSION:
        raise SnapshotError(f"must be between 1 and 2**63-1, got {_short(version)}", "version")


def _check_instants(ticket: Ticket) -> None:
    """The four instants: supported, and in order."""
    created = _instant(ticket.created_at, "created_at")
    updated = _instant(ticket.updated_at, "updated_at")
    status_since = _instant(ticket.status_since, "status_since")
    timers_since = _instant(ticket.timers_since, "timers_since")
    if updated < created:
        raise SnapshotError(
            f"{ticket.updated_at.isoformat()} is before created_at {ticket.created_at.isoformat()}",
            "updated_at",
        )
    for name, value in (("status_since", status_since), ("timers_since", timers_since)):
        if not created <= value <= updated:
            raise SnapshotError(
                f"{getattr(ticket, name).isoformat()} is outside "
                f"[created_at, updated_at] = [{ticket.created_at.isoformat()}, "
                f"{ticket.updated_at.isoformat()}]",
                name,
            )
    if timers_since < status_since:
        raise SnapshotError(
            f"{ticket.timers_since.isoformat()} is before status_since "
            f"{ticket.status_since.isoformat()}",
            "timers_since",
        )


def _check_agenda(agenda: object, parsed: bool) -> None:
    """A tuple of Due items in strict time order."""
    if not isinstance(agenda, tuple):
        raise SnapshotError(f"expected a tuple, got {_short(agenda)}", "agenda")
    previous: tuple[datetime, int, int, int] | None = None
    for i, d in enumerate(agenda):
        where = f"agenda[{i}]"
        if not parsed:
            if not isinstance(d, Due):
                raise SnapshotError(f"expected a Due, got {_short(d)}", where)
            _check_due(d, where)
        key = d.sort_key
        if previous is not None and key <= previous:
            what = "a duplicate" if key == previous else "out of time order"
            raise SnapshotError(f"{d.kind} {d.name!r} at {d.at.isoformat()} is {what}", where)
        previous = key


def _check_slas(slas: object, parsed: bool) -> None:
    """A tuple of consistent SLA clocks."""
    if not isinstance(slas, tuple):
        raise SnapshotError(f"expected a tuple, got {_short(slas)}", "slas")
    for i, st in enumerate(slas):
        if not parsed and not isinstance(st, SlaState):
            raise SnapshotError(f"expected an SlaState, got {_short(st)}", f"slas[{i}]")
        _check_sla(st, f"slas[{i}]", parsed)


def _instant(value: object, where: str) -> datetime:
    try:
        return check_instant(value, where).astimezone(UTC)
    except InstantError as exc:
        raise SnapshotError(str(exc), where) from None


def _index(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SnapshotError(f"expected an int, got {_short(value)}", where)
    if not 0 <= value < 2**31:
        raise SnapshotError(f"must be between 0 and 2**31-1, got {_short(value)}", where)
    return value


def _check_due(d: Due, where: str) -> None:
    _instant(d.at, f"{where}.at")
    if not isinstance(d.kind, str) or d.kind not in _DUE_ORDER:
        raise SnapshotError(f"unknown agenda kind {_short(d.kind)}", f"{where}.kind")
    if not isinstance(d.name, str):
        raise SnapshotError(f"expected a string, got {_short(d.name)}", f"{where}.name")
    _index(d.index, f"{where}.index")
    _index(d.sub, f"{where}.sub")
    if d.kind not in _SUB_KINDS and d.sub != 0:
        raise SnapshotError(f"a {d.kind} item has sub 0, got {d.sub}", f"{where}.sub")


def _check_sla(st: SlaState, where: str, parsed: bool) -> None:
    if parsed:
        _check_clock(st, where)
        return
    if not isinstance(st.name, str):
        raise SnapshotError(f"expected a string, got {_short(st.name)}", f"{where}.name")
    _index(st.index, f"{where}.index")
    for flag in ("breached", "stopped", "started", "held"):
        if not isinstance(getattr(st, flag), bool):
            raise SnapshotError(
                f"expected a bool, got {_short(getattr(st, flag))}", f"{where}.{flag}"
            )
    elapsed = st.elapsed
    if not isinstance(elapsed, timedelta) or not timedelta(0) <= elapsed <= _MAX_ELAPSED:
        raise SnapshotError(
            f"must be a duration between 0 and {_MAX_ELAPSED.days} days, got {_short(elapsed)}",
            f"{where}.elapsed",
        )
    for name in ("running_since", "due_at", "started_at", "ended_at"):
        value = getattr(st, name)
        if value is not None:
            _instant(value, f"{where}.{name}")
    _check_cycles(st.cycles, f"{where}.cycles")
    if not isinstance(st.warned, frozenset):
        raise SnapshotError(f"expected a frozenset, got {_short(st.warned)}", f"{where}.warned")
    _levels(st.warned, f"{where}.warned")
    _index(st.escalated, f"{where}.escalated")
    _check_clock(st, where)


def _check_cycles(cycles: object, where: str) -> None:
    """A bounded tuple of SlaCycle values (their fields as ``to_dict`` can write them)."""
    if not isinstance(cycles, tuple):
        raise SnapshotError(f"expected a tuple, got {_short(cycles)}", where)
    if len(cycles) > MAX_AGENDA:
        raise SnapshotError(f"{len(cycles)} cycles, more than MAX_AGENDA ({MAX_AGENDA})", where)
    for i, c in enumerate(cycles):
        if not isinstance(c, SlaCycle):
            raise SnapshotError(f"expected an SlaCycle, got {_short(c)}", f"{where}[{i}]")
        at = f"{where}[{i}]"
        _instant(c.started_at, f"{at}.started_at")
        _instant(c.ended_at, f"{at}.ended_at")
        if c.state not in ("met", "breached"):
            raise SnapshotError(f"state must be 'met' or 'breached', got {_short(c.state)}", at)
        for name in ("elapsed", "target"):
            value = getattr(c, name)
            if not isinstance(value, timedelta) or not timedelta(0) <= value <= _MAX_ELAPSED:
                raise SnapshotError(f"expected a duration, got {_short(value)}", f"{at}.{name}")


def _check_clock(st: SlaState, where: str) -> None:
    if st.running_since is not None and (st.due_at is None or st.stopped):
        raise SnapshotError(
            "a running clock has a due_at and is not stopped", f"{where}.running_since"
        )
    if st.breached and st.due_at is None:
        raise SnapshotError("a breached clock keeps its due_at", f"{where}.due_at")
    if not st.started and (
        st.running_since is not None
        or st.due_at is not None
        or st.breached
        or st.stopped
        or st.elapsed
    ):
        raise SnapshotError("a clock that has not started has no state", f"{where}.started")


class _OutcomeSlots:
    """The slots of :class:`Outcome` (which adds none), shared with the engine's builder."""

    __slots__ = ("__weakref__", "effects", "steps", "ticket")


@frozen
class Outcome(_OutcomeSlots):
    """What one engine call produced.

    Attributes:
        ticket: The next snapshot.
        steps: Every move made, timed ones included, in order.
        effects: What the caller should carry out, in order.
    """

    ticket: Ticket
    steps: tuple[Step, ...] = ()
    effects: tuple[Effect, ...] = ()


# --- serialisation helpers ------------------------------------------------------------


def _dt_out(value: datetime) -> str:
    text = value.isoformat()
    key = getattr(value.tzinfo, "key", None)
    return f"{text}[{key}]" if key else text


def _dt_in(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise SnapshotError(f"expected an ISO datetime string, got {_short(value)}", where)
    if len(value) > _ISO_TEXT_MAX:
        raise SnapshotError(f"not an ISO datetime: {_short(value)}", where)
    text, zone = value, None
    if value.endswith("]") and "[" in value:
        text, _, zone = value[:-1].partition("[")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise SnapshotError(f"not an ISO datetime: {value!r}", where) from None
    if parsed.tzinfo is None:
        raise SnapshotError(f"datetime {value!r} has no UTC offset", where)
    if not _SAFE_YEARS[0] < parsed.year < _SAFE_YEARS[1]:  # near a bound: check exactly
        _instant(parsed, where)
    if zone:
        tz: tzinfo
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise SnapshotError(f"unknown time zone {zone!r}", where) from None
        try:
            parsed = parsed.astimezone(tz)
        except (OverflowError, ValueError) as exc:
            raise SnapshotError(f"{value!r} cannot be read in {zone!r}: {exc}", where) from None
    elif parsed.utcoffset() == timedelta(0):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _due_in(item: object, where: str) -> Due:
    if not isinstance(item, list) or len(item) != _DUE_ITEM_LEN:
        raise SnapshotError(f"expected [at, kind, name, index, sub], got {_short(item)}", where)
    at, kind, name, index, sub = item
    if not isinstance(kind, str) or kind not in _DUE_ORDER:
        raise SnapshotError(f"unknown agenda kind {_short(kind)}", f"{where}.kind")
    if not isinstance(name, str):
        raise SnapshotError(f"expected a string, got {_short(name)}", f"{where}.name")
    when = _dt_in(at, f"{where}.at")
    index = _index(index, f"{where}.index")
    sub = _index(sub, f"{where}.sub")
    if kind not in _SUB_KINDS and sub != 0:
        raise SnapshotError(f"a {kind} item has sub 0, got {sub}", f"{where}.sub")
    return Due(when, cast(DueKind, kind), name, index, sub)


def _sla_in(raw: object, where: str) -> SlaState:
    if not isinstance(raw, Mapping):
        raise SnapshotError(f"expected a mapping, got {_short(raw)}", where)
    rs, due = raw.get("running_since"), raw.get("due_at")
    seconds = _get(raw, "elapsed", (int, float), where)
    if isinstance(seconds, float) and not math.isfinite(seconds):
        seconds = -1
    if not 0 <= seconds <= _MAX_ELAPSED.total_seconds():
        raise SnapshotError(
            f"must be between 0 and {_MAX_ELAPSED.total_seconds():.0f} seconds, "
            f"got {_short(seconds)}",
            f"{where}.elapsed",
        )
    return make_sla_state(
        _get(raw, "name", str, where),
        _index(_get(raw, "index", int, where), f"{where}.index"),
        timedelta(seconds=seconds),
        None if rs is None else _dt_in(rs, f"{where}.running_since"),
        None if due is None else _dt_in(due, f"{where}.due_at"),
        _get(raw, "breached", bool, where),
        _get(raw, "stopped", bool, where),
        _get(raw, "started", bool, where),
        _opt_dt(raw, "started_at", where),
        _opt_dt(raw, "ended_at", where),
        _cycles_in(raw.get("cycles", []), f"{where}.cycles"),
        _held_in(raw.get("held", False), f"{where}.held"),
        _levels_in(raw.get("warned", []), f"{where}.warned"),
        _index(raw.get("escalated", 0), f"{where}.escalated"),
    )


def _levels_in(raw: object, where: str) -> frozenset[int]:
    """Warning levels sent: a list of distinct positive ints."""
    if not isinstance(raw, list):
        raise SnapshotError(f"expected a list, got {_short(raw)}", where)
    return _levels(raw, where)


def _levels(raw: Iterable[object], where: str) -> frozenset[int]:
    out: set[int] = set()
    for i, level in enumerate(raw):
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= MAX_AGENDA:
            raise SnapshotError(
                f"a level is an int from 1 to {MAX_AGENDA}, got {_short(level)}", f"{where}[{i}]"
            )
        if level in out:
            raise SnapshotError(f"level {level} appears twice", where)
        out.add(level)
        if len(out) > MAX_AGENDA:
            break
    return frozenset(out)


def _held_in(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise SnapshotError(f"expected a bool, got {_short(value)}", where)
    return value


def _opt_dt(raw: Mapping[str, Any], key: str, where: str) -> datetime | None:
    """An optional instant (absent in snapshots written before it existed)."""
    value = raw.get(key)
    return None if value is None else _dt_in(value, f"{where}.{key}")


def _seconds_in(value: object, where: str) -> timedelta:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SnapshotError(f"expected a number of seconds, got {_short(value)}", where)
    if not (math.isfinite(value) and 0 <= value <= _MAX_ELAPSED.total_seconds()):
        raise SnapshotError(
            f"must be between 0 and {_MAX_ELAPSED.total_seconds():.0f} seconds, "
            f"got {_short(value)}",
            where,
        )
    return timedelta(seconds=value)


def _cycles_in(raw: object, where: str) -> tuple[SlaCycle, ...]:
    """Finished cycles, each ``[started_at, ended_at, state, elapsed, target]``."""
    if not isinstance(raw, list):
        raise SnapshotError(f"expected a list, got {_short(raw)}", where)
    if len(raw) > MAX_AGENDA:
        raise SnapshotError(f"{len(raw)} cycles, more than MAX_AGENDA ({MAX_AGENDA})", where)
    out: list[SlaCycle] = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(item, list) or len(item) != _CYCLE_LEN:
            raise SnapshotError(f"expected a list of {_CYCLE_LEN} values, got {_short(item)}", at)
        started, ended, state, elapsed, target = item
        if state not in ("met", "breached"):
            raise SnapshotError(f"state must be 'met' or 'breached', got {_short(state)}", at)
        out.append(
            SlaCycle(
                _dt_in(started, f"{at}[0]"),
                _dt_in(ended, f"{at}[1]"),
                state,
                _seconds_in(elapsed, f"{at}[3]"),
                _seconds_in(target, f"{at}[4]"),
            )
        )
    return tuple(out)


_CYCLE_LEN = 5


def _get(
    data: Mapping[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str | None = None,
) -> Any:
    name = f"{where}.{key}" if where else key
    if key not in data:
        raise SnapshotError("missing", name)
    value = data[key]
    bad_bool = isinstance(value, bool) and kind is not bool
    if bad_bool or not isinstance(value, kind):
        raise SnapshotError(f"expected {_kind_name(kind)}, got {_short(value)}", name)
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__


# --- trusted constructors -------------------------------------------------------------
#
# The engine builds these values from parts it has already checked (or built itself), so
# it skips the attrs ``__init__`` (converters, defaults, one call per field). Each value
# class keeps its fields in the slots of a plain base class; a builder subclass that adds
# no slot (so shares the layout) is filled with ordinary attribute stores, then becomes
# the frozen class by ``__class__`` assignment. The public constructors above keep
# checking and converting what callers pass.

_new = object.__new__


class _TicketNew(_TicketSlots):
    __slots__ = ()


class _StepNew(_StepSlots):
    __slots__ = ()


class _EffectNew(_EffectSlots):
    __slots__ = ()


class _OutcomeNew(_OutcomeSlots):
    __slots__ = ()


class _DueNew(_DueSlots):
    __slots__ = ()


class _ContextNew(_ContextSlots):
    __slots__ = ()


class _SlaStateNew(_SlaStateSlots):
    __slots__ = ()


class Built(Protocol):
    """What builds a snapshot: a compiled workflow, of which the snapshot records the version."""

    @property
    def version(self) -> str: ...


def make_ticket(  # noqa: PLR0913, PLR0917 - one positional argument per field, built on every step
    id: str | None,
    workflow: str,
    status: str,
    sub_status: str | None,
    version: int,
    created_at: datetime,
    updated_at: datetime,
    status_since: datetime,
    timers_since: datetime,
    attrs: FrozenDict,
    agenda: tuple[Due, ...],
    slas: tuple[SlaState, ...],
    checked: Built,
    updated_utc: datetime | None = None,
) -> Ticket:
    """A :class:`Ticket` from checked parts, marked as checked by ``checked``.

    ``checked`` is the compiled workflow that built the snapshot: the
    snapshot records its version. ``updated_utc`` is ``updated_at`` in UTC,
    when the caller has it at hand.
    """
    t: Any = _new(_TicketNew)
    t.id = id
    t.workflow = workflow
    t.status = status
    t.sub_status = sub_status
    t.version = version
    t.created_at = created_at
    t.updated_at = updated_at
    t.status_since = status_since
    t.timers_since = timers_since
    t.attrs = attrs
    t.agenda = agenda
    t.slas = slas
    t.workflow_version = checked.version
    t._checked = checked
    t._utc = updated_utc
    t.__class__ = Ticket
    ticket: Ticket = t
    return ticket


def make_step(
    event: str,
    source: str | None,
    target: str,
    at: datetime,
    actor: str | None,
    requested_at: datetime | None = None,
) -> Step:
    """A :class:`Step` from checked parts."""
    s: Any = _new(_StepNew)
    s.event = event
    s.source = source
    s.target = target
    s.at = at
    s.actor = actor
    s.requested_at = at if requested_at is None else requested_at
    s.__class__ = Step
    step: Step = s
    return step


def make_effect(
    kind: str, name: str | None, at: datetime | None, data: Mapping[str, Any] | None
) -> Effect:
    """An :class:`Effect` from checked parts."""
    e: Any = _new(_EffectNew)
    e.kind = kind
    e.name = name
    e.at = at
    e.data = data
    e.__class__ = Effect
    effect: Effect = e
    return effect


def make_outcome(ticket: Ticket, steps: tuple[Step, ...], effects: tuple[Effect, ...]) -> Outcome:
    """An :class:`Outcome` from checked parts."""
    o: Any = _new(_OutcomeNew)
    o.ticket = ticket
    o.steps = steps
    o.effects = effects
    o.__class__ = Outcome
    outcome: Outcome = o
    return outcome


def make_due(at: datetime, kind: DueKind, name: str, index: int, sub: int = 0) -> Due:
    """A :class:`Due` from checked parts."""
    d: Any = _new(_DueNew)
    d.at = at
    d.kind = kind
    d.name = name
    d.index = index
    d.sub = sub
    d.__class__ = Due
    due: Due = d
    return due


def make_context(
    event: str, at: datetime | None, actor: str | None, data: Mapping[str, Any] | None
) -> Context:
    """A :class:`Context` from checked parts."""
    c: Any = _new(_ContextNew)
    c.event = event
    c.at = at
    c.actor = actor
    c.data = data
    c.__class__ = Context
    context: Context = c
    return context


def make_sla_state(  # noqa: PLR0913, PLR0917 - one positional argument per field, on the hot path
    name: str,
    index: int,
    elapsed: timedelta,
    running_since: datetime | None,
    due_at: datetime | None,
    breached: bool,
    stopped: bool,
    started: bool,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    cycles: tuple[SlaCycle, ...] = (),
    held: bool = False,
    warned: frozenset[int] = frozenset(),
    escalated: int = 0,
) -> SlaState:
    """An :class:`SlaState` from checked parts."""
    s: Any = _new(_SlaStateNew)
    s.name = name
    s.index = index
    s.elapsed = elapsed
    s.running_since = running_since
    s.due_at = due_at
    s.breached = breached
    s.stopped = stopped
    s.started = started
    s.started_at = started_at
    s.ended_at = ended_at
    s.cycles = cycles
    s.held = held
    s.warned = warned
    s.escalated = escalated
    s.__class__ = SlaState
    state: SlaState = s
    return state


# --- reading snapshots exactly as to_dict writes them -----------------------------------
#
# A stored snapshot is almost always what to_dict wrote: plain dicts, lists, strs and ints,
# instants well inside the supported range. This reader takes only that shape, applies
# every check of the full reading to it (without building the error locations it would
# not need), and returns None for anything else, which Ticket.from_dict then reads in full
# and refuses with the named error.

_SNAPSHOT_KEYS = frozenset(
    {
        "schema",
        "id",
        "workflow",
        "workflow_version",
        "status",
        "sub_status",
        "version",
        "created_at",
        "updated_at",
        "status_since",
        "timers_since",
        "attrs",
        "agenda",
        "slas",
    }
)
_INDEX_END = 2**31
_fromisoformat = datetime.fromisoformat


def _plain_dt(value: object) -> datetime | None:
    """``value`` read as :func:`_dt_in` reads it, when it is text as :func:`_dt_out`
    writes it for an instant in a year well inside the range; None otherwise."""
    if type(value) is not str or len(value) > _ISO_TEXT_MAX:
        return None
    text, zone = value, ""
    if value[-1:] == "]":
        text, _, zone = value[:-1].partition("[")
    try:
        parsed = _fromisoformat(text)
        if (
            parsed.tzinfo is None
            or not _SAFE_YEARS[0] < parsed.year < _SAFE_YEARS[1]
            or (text is not value and not zone)
        ):
            return None
        if zone:
            return parsed.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError, OSError, OverflowError):
        return None
    if parsed.tzinfo is not UTC and parsed.utcoffset() == _ZERO:
        return parsed.replace(tzinfo=UTC)
    return parsed


_ZERO = timedelta(0)


def _plain_item(item: object) -> Due | None:
    """An agenda entry ``[at, kind, name, index, sub]`` as :func:`_due_in` reads it, or None."""
    if type(item) is not list or len(item) != _DUE_ITEM_LEN:
        return None
    at, kind, name, index, sub = item
    if (
        type(kind) is not str
        or kind not in _DUE_ORDER
        or type(name) is not str
        or type(index) is not int
        or type(sub) is not int
        or not 0 <= index < _INDEX_END
        or not 0 <= sub < _INDEX_END
        or (sub and kind not in _SUB_KINDS)
    ):
        return None
    when = _plain_dt(at)
    return None if when is None else make_due(when, kind, name, index, sub)  # type: ignore[arg-type]  # kind is one of _DUE_ORDER's


def _plain_agenda(raw: object) -> tuple[Due, ...] | None:
    """The agenda, in strict time order, or None."""
    if type(raw) is not list or len(raw) > MAX_AGENDA:
        return None
    out: list[Due] = []
    previous: tuple[datetime, int, int, int] | None = None
    for entry in raw:
        d = _plain_item(entry)
        if d is None:
            return None
        key = d.sort_key
        if previous is not None and key <= previous:
            return None
        previous = key
        out.append(d)
    return tuple(out)


_SLA_KEYS = frozenset(
    {
        "name",
        "index",
        "elapsed",
        "running_since",
        "due_at",
        "breached",
        "stopped",
        "started",
        "started_at",
        "ended_at",
        "cycles",
        "held",
        "warned",
        "escalated",
    }
)
_MAX_SECONDS = _MAX_ELAPSED.total_seconds()


def _plain_sla(raw: object) -> SlaState | None:
    """A clock as to_dict writes one in its first cycle, read and checked as :func:`_sla_in`
    and :func:`_check_clock` do, or None."""
    if type(raw) is not dict or raw.keys() != _SLA_KEYS:
        return None
    name, index, seconds, escalated = raw["name"], raw["index"], raw["elapsed"], raw["escalated"]
    breached, stopped, started, held = raw["breached"], raw["stopped"], raw["started"], raw["held"]
    cycles, warned = raw["cycles"], raw["warned"]
    if (
        type(name) is not str
        or type(index) is not int
        or not 0 <= index < _INDEX_END
        or type(escalated) is not int
        or not 0 <= escalated < _INDEX_END
        or type(seconds) not in (int, float)
        or not 0 <= seconds <= _MAX_SECONDS  # false for NaN too
        or type(breached) is not bool
        or type(stopped) is not bool
        or type(started) is not bool
        or type(held) is not bool
        or type(cycles) is not list
        or cycles
        or type(warned) is not list
        or any(type(level) is not int or not 1 <= level <= MAX_AGENDA for level in warned)
        or len(set(warned)) != len(warned)
    ):
        return None
    texts = (raw["running_since"], raw["due_at"], raw["started_at"], raw["ended_at"])
    running, due, started_at, ended_at = (None if v is None else _plain_dt(v) for v in texts)
    if any(
        v is not None and i is None
        for v, i in zip(texts, (running, due, started_at, ended_at), strict=True)
    ):
        return None
    st = make_sla_state(
        name,
        index,
        timedelta(seconds=seconds),
        running,
        due,
        breached,
        stopped,
        started,
        started_at,
        ended_at,
        (),
        held,
        frozenset(warned),
        escalated,
    )
    try:
        _check_clock(st, "slas")
    except SnapshotError:
        return None
    return st


def _plain_slas(raw: object) -> tuple[SlaState, ...] | None:
    """The SLA clocks, read and checked as the full reading does, or None."""
    if type(raw) is not list or len(raw) > MAX_AGENDA:
        return None
    out: list[SlaState] = []
    for i, item in enumerate(raw):
        st = _plain_sla(item)
        if st is None:  # a clock with finished cycles, or not as to_dict writes one
            try:
                st = _sla_in(item, f"slas[{i}]")
                _check_clock(st, f"slas[{i}]")
            except SnapshotError:
                return None
        out.append(st)
    return tuple(out)


def _plain_attrs(raw: object) -> FrozenDict | None:
    """The attributes, decoded and checked as the full reading does, or None."""
    if type(raw) is not dict:
        return None
    if not raw:
        return EMPTY
    try:
        return freeze_attrs(_decode(raw, "attrs", 1))
    except (AttrsError, SnapshotError):
        return None


def _plain_instants(
    data: dict[str, Any],
) -> tuple[datetime, datetime, datetime, datetime, datetime] | None:
    """created_at, updated_at, status_since, timers_since and updated_at in UTC, in order."""
    created = _plain_dt(data["created_at"])
    text = data["updated_at"]
    updated = _plain_dt(text)
    if created is None or updated is None:
        return None
    # equal texts read as equal instants: read each once
    since_text, timers_text = data["status_since"], data["timers_since"]
    since = updated if since_text == text else _plain_dt(since_text)
    timers = since if timers_text == since_text else _plain_dt(timers_text)
    if since is None or timers is None:
        return None
    utc = updated.astimezone(UTC)
    if not created.astimezone(UTC) <= since.astimezone(UTC) <= timers.astimezone(UTC) <= utc:
        return None
    return created, updated, since, timers, utc


def _plain_snapshot(data: object) -> Ticket | None:
    """The ticket of ``data`` when it is a schema 2 snapshot exactly as :meth:`Ticket.to_dict`
    writes it and passes every check of the full reading; None otherwise."""
    if type(data) is not dict or data.keys() != _SNAPSHOT_KEYS:
        return None
    schema, ident, wf_version = data["schema"], data["id"], data["workflow_version"]
    workflow, status, sub, version = (
        data["workflow"],
        data["status"],
        data["sub_status"],
        data["version"],
    )
    if (
        type(schema) is not int
        or schema != SCHEMA_VERSION
        or type(workflow) is not str
        or type(status) is not str
        or (ident is not None and type(ident) is not str)
        or (sub is not None and type(sub) is not str)
        or (wf_version is not None and type(wf_version) is not str)
        or type(version) is not int
        or not 1 <= version <= MAX_VERSION
    ):
        return None
    instants = _plain_instants(data)
    agenda = _plain_agenda(data["agenda"])
    slas = _plain_slas(data["slas"])
    attrs = _plain_attrs(data["attrs"])
    if instants is None or agenda is None or slas is None or attrs is None:
        return None
    t: Any = _new(_TicketNew)
    t.id = ident
    t.workflow = workflow
    t.status = status
    t.sub_status = sub
    t.version = version
    t.created_at, t.updated_at, t.status_since, t.timers_since, t._utc = instants
    t.attrs = attrs
    t.agenda = agenda
    t.slas = slas
    t.workflow_version = wf_version
    t._checked = _CHECKED
    t.__class__ = Ticket
    ticket: Ticket = t
    return ticket
