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

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import field, frozen

from ._errors import SnapshotError
from ._limits import check_instant

__all__ = [
    "SCHEMA_VERSION",
    "Context",
    "Due",
    "Effect",
    "Event",
    "Outcome",
    "SlaState",
    "Step",
    "Ticket",
    "check_aware",
]

#: Version of the dict layout written by :meth:`Ticket.to_dict`.
SCHEMA_VERSION = 1

DueKind: TypeAlias = Literal["reminder", "sla_breach", "timer"]
# Order of items due at the same instant: reminders, then breaches, then timers
# (a timer moves the ticket on and drops the reminders of the status it leaves).
_DUE_ORDER: dict[str, int] = {"reminder": 0, "sla_breach": 1, "timer": 2}


def check_aware(value: object, argument: str = "at") -> datetime:
    """Return ``value`` if it is an aware datetime in the supported range.

    Raises:
        NaiveDatetimeError: for a naive datetime.
        InstantError: for anything else that is not a supported instant.
    """
    return check_instant(value, argument)


@frozen
class Context:
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


@frozen
class Effect:
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


@frozen
class Step:
    """One move the engine made, manual or timed.

    Attributes:
        event: The event's name (``"start"`` for creation).
        source: The status before (None for creation).
        target: The status after (equal to ``source`` for internal events).
        at: When it happened.
        actor: Who sent it (``"system"`` for timers).
    """

    event: str
    source: str | None
    target: str
    at: datetime
    actor: str | None


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


@frozen
class Due:
    """An instant at which something falls due for a ticket.

    Attributes:
        at: The instant.
        kind: ``"reminder"``, ``"sla_breach"`` or ``"timer"``.
        name: The timer's event or the SLA's name.
        index: The timer's or SLA clock's position in the workflow.
        sub: The reminder's position within its timer (0 otherwise).
    """

    at: datetime
    kind: DueKind
    name: str
    index: int
    sub: int = 0

    @property
    def sort_key(self) -> tuple[datetime, int, int, int]:
        """Time order (absolute, in UTC), then reminders, breaches, timers."""
        return (self.at.astimezone(UTC), _DUE_ORDER[self.kind], self.index, self.sub)


@frozen
class SlaState:
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
    """

    name: str
    index: int
    elapsed: timedelta = timedelta(0)
    running_since: datetime | None = None
    due_at: datetime | None = None
    breached: bool = False
    stopped: bool = False
    started: bool = True


@frozen
class Ticket:
    """An immutable snapshot of one ticket.

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
        attrs: The caller's attributes (department, priority...).
        agenda: What falls due next, in time order.
        slas: The SLA clocks.
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
    attrs: dict[str, Any] = field(factory=dict, hash=False)
    agenda: tuple[Due, ...] = ()
    slas: tuple[SlaState, ...] = ()

    @property
    def next_deadline(self) -> datetime | None:
        """The earliest pending timer, reminder or SLA breach, or None."""
        return self.agenda[0].at if self.agenda else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data with a schema version; :meth:`from_dict` restores it.

        Datetimes are ISO 8601 strings with their zone name in brackets
        (``"2026-03-29T10:00:00+02:00[Europe/Madrid]"``).
        """
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "workflow": self.workflow,
            "status": self.status,
            "sub_status": self.sub_status,
            "version": self.version,
            "created_at": _dt_out(self.created_at),
            "updated_at": _dt_out(self.updated_at),
            "status_since": _dt_out(self.status_since),
            "timers_since": _dt_out(self.timers_since),
            "attrs": dict(self.attrs),
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
                }
                for s in self.slas
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ticket:
        """Restore a ticket written by :meth:`to_dict`.

        Raises:
            SnapshotError: naming the field when ``data`` is malformed, or
                when it comes from a newer schema.
        """
        if not isinstance(data, Mapping):
            raise SnapshotError(f"expected a mapping, got {type(data).__name__}")
        schema = _get(data, "schema", int)
        if schema > SCHEMA_VERSION:
            raise SnapshotError(
                f"schema {schema} is newer than this ticketflow reads ({SCHEMA_VERSION})",
                "schema",
            )
        if schema < 1:
            raise SnapshotError(f"unknown schema {schema}", "schema")
        try:
            agenda = tuple(_due_in(item) for item in _get(data, "agenda", list))
        except (TypeError, ValueError) as exc:
            raise SnapshotError(str(exc), "agenda") from None
        slas = []
        for i, raw in enumerate(_get(data, "slas", list)):
            where = f"slas[{i}]"
            if not isinstance(raw, Mapping):
                raise SnapshotError("expected a mapping", where)
            rs, due = raw.get("running_since"), raw.get("due_at")
            slas.append(
                SlaState(
                    name=_get(raw, "name", str, where),
                    index=_get(raw, "index", int, where),
                    elapsed=timedelta(seconds=_get(raw, "elapsed", (int, float), where)),
                    running_since=None if rs is None else _dt_in(rs, f"{where}.running_since"),
                    due_at=None if due is None else _dt_in(due, f"{where}.due_at"),
                    breached=_get(raw, "breached", bool, where),
                    stopped=_get(raw, "stopped", bool, where),
                    started=_get(raw, "started", bool, where),
                )
            )
        ident = data.get("id")
        if ident is not None and not isinstance(ident, str):
            raise SnapshotError(f"expected a string or null, got {ident!r}", "id")
        sub = data.get("sub_status")
        if sub is not None and not isinstance(sub, str):
            raise SnapshotError(f"expected a string or null, got {sub!r}", "sub_status")
        version = _get(data, "version", int)
        if version < 1:
            raise SnapshotError(f"must be at least 1, got {version}", "version")
        return cls(
            id=ident,
            workflow=_get(data, "workflow", str),
            status=_get(data, "status", str),
            sub_status=sub,
            version=version,
            created_at=_dt_in(_get(data, "created_at", str), "created_at"),
            updated_at=_dt_in(_get(data, "updated_at", str), "updated_at"),
            status_since=_dt_in(_get(data, "status_since", str), "status_since"),
            timers_since=_dt_in(_get(data, "timers_since", str), "timers_since"),
            attrs=dict(_get(data, "attrs", dict)),
            agenda=agenda,
            slas=tuple(slas),
        )


@frozen
class Outcome:
    """What one engine call produced.

    Attributes:
        ticket: The next snapshot.
        steps: Every move made, timed ones included, in order.
        effects: What the caller should carry out, in order.
    """

    ticket: Ticket
    steps: tuple[Step, ...] = ()
    effects: tuple[Effect, ...] = ()

    @property
    def next_deadline(self) -> datetime | None:
        """When the ticket next needs :meth:`Workflow.advance`, or None."""
        return self.ticket.next_deadline


# --- serialisation helpers ------------------------------------------------------------


def _dt_out(value: datetime) -> str:
    text = value.isoformat()
    key = getattr(value.tzinfo, "key", None)
    return f"{text}[{key}]" if key else text


def _dt_in(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise SnapshotError(f"expected an ISO datetime string, got {value!r}", where)
    text, zone = value, None
    if value.endswith("]") and "[" in value:
        text, _, zone = value[:-1].partition("[")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise SnapshotError(f"not an ISO datetime: {value!r}", where) from None
    if parsed.tzinfo is None:
        raise SnapshotError(f"datetime {value!r} has no UTC offset", where)
    if zone:
        tz: tzinfo
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SnapshotError(f"unknown time zone {zone!r}", where) from None
        parsed = parsed.astimezone(tz)
    elif parsed.utcoffset() == timedelta(0):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _due_in(item: object) -> Due:
    if not isinstance(item, list) or len(item) != 5:
        raise ValueError(f"expected [at, kind, name, index, sub], got {item!r}")
    at, kind, name, index, sub = item
    if kind not in _DUE_ORDER:
        raise ValueError(f"unknown agenda kind {kind!r}")
    if not isinstance(name, str) or not isinstance(index, int) or not isinstance(sub, int):
        raise ValueError(f"malformed agenda entry {item!r}")
    return Due(_dt_in(at, "agenda"), kind, name, index, sub)


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
        raise SnapshotError(f"expected {_kind_name(kind)}, got {value!r}", name)
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return kind.__name__
