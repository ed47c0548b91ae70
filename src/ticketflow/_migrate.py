"""Carrying a ticket over to another version of its workflow, and the plan of it.

Rules of operation (what ``Workflow.migrate`` promises):

* The status is kept by name, or mapped by ``status_map``; a status the new
  definition lacks and the map does not name is refused.
* Each agenda item is computed again, kind by kind, in :func:`_items`, the
  one place that re-arms them:

  - timers and their reminders are armed again from ``timers_since`` (when
    the status's timers were last armed) with the new durations and
    calendars; a timer now due at or before ``at`` falls due at ``at``, a
    reminder before ``at`` is dropped (never sent late), one exactly at
    ``at`` is due then unless its timer falls due then too. A timer whose
    transition keeps the ticket in its status fires once per arming: it is
    armed again only while the old agenda still holds it, so it never
    fires twice; a reminder at the ticket's last change (``updated_at``)
    was sent then, and is not sent again unless the old agenda still
    holds it;
  - SLA items follow their clocks (:func:`_clock`): a clock is matched by
    name, keeps its elapsed time, pause state, cycles and the warnings and
    escalations it sent, and counts the time since its last change on the
    new calendar toward the new target; a breach or escalation now at or
    before ``at`` falls due at ``at``; a warning before ``at`` is not sent
    late (one exactly at ``at`` is due then).

* Attributes, id, creation time, ``status_since`` and ``timers_since`` are
  kept; the migration is one recorded change (``version`` + 1, ``updated_at``
  = ``at``) and the snapshot records the new workflow's version.
* What is due at ``at`` is left in the agenda: the next ``advance`` fires
  each item once, at ``at``.

The plan is computed by the same code as the migration, from the ticket and
the ticket it becomes, so it predicts the migration exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from attrs import frozen

from . import _changes, _engine, _sla
from ._checks import show
from ._durations import Duration
from ._errors import ArgumentError, OutOfOrderError, SnapshotError
from ._limits import MAX_INSTANT, MIN_INSTANT
from ._tables import Tables
from ._ticket import (
    Due,
    Outcome,
    SlaState,
    Ticket,
    check_aware,
    check_snapshot,
    make_outcome,
    make_sla_state,
    make_step,
    make_ticket,
)

__all__ = ["DeadlineChange", "MigrationPlan", "SlaChange", "migrate", "plan"]

#: The step a migration records.
MIGRATE = "migrate"
# instants of a plain datetime in one of these zones, in a year strictly between these,
# are in the supported range whatever their offset (as the engine checks them)
_SAFE_TZ = (ZoneInfo, timezone)
_SAFE_YEARS = (MIN_INSTANT.year, MAX_INSTANT.year - 1)
_ZERO = timedelta(0)


class DeadlineChange(NamedTuple):
    """One agenda item before and after a migration.

    Attributes:
        kind: ``"timer"``, ``"reminder"`` or ``"sla_breach"``.
        name: The timer's event or the SLA's name.
        old: When it fell due before, or None for an item the migration adds.
        new: When it falls due after, or None for an item it drops.
    """

    kind: str
    name: str
    old: datetime | None
    new: datetime | None


class SlaChange(NamedTuple):
    """One SLA clock before and after a migration.

    Attributes:
        name: The SLA's name.
        old_target: The target it counted toward, when the old workflow was
            given to the plan (a snapshot keeps due times, not targets).
        new_target: The target it counts toward now, or None for a dropped clock.
        old_due: When it was (or would be) breached, or None (paused, met, absent).
        new_due: The same after the migration.
    """

    name: str
    old_target: Duration | timedelta | None
    new_target: Duration | timedelta | None
    old_due: datetime | None
    new_due: datetime | None


@frozen
class MigrationPlan:
    """What ``Workflow.migrate`` would change on one ticket; ``str()`` reads it out.

    Attributes:
        ticket: The ticket's id.
        at: When the migration would happen.
        old_version: The version the ticket records (None: stored before versions).
        new_version: The version it would record.
        status: ``(old, new)`` status names.
        deadlines: Every agenda item before and after, as
            :class:`DeadlineChange` tuples ``(kind, name, old, new)``.
        slas: Every SLA clock before and after, as :class:`SlaChange` tuples
            ``(name, old_target, new_target, old_due, new_due)``.
    """

    ticket: str | None
    at: datetime
    old_version: str | None
    new_version: str
    status: tuple[str, str]
    deadlines: tuple[DeadlineChange, ...]
    slas: tuple[SlaChange, ...]

    @property
    def changes(self) -> bool:
        """Whether anything but the version and ``updated_at`` would change."""
        return (
            self.status[0] != self.status[1]
            or any(d.old != d.new for d in self.deadlines)
            or any(s.old_due != s.new_due or s.old_target != s.new_target for s in self.slas)
        )

    def __str__(self) -> str:
        lines = [
            f"ticket {self.ticket!r}: version {self.old_version or '(none)'} -> "
            f"{self.new_version} at {_iso(self.at)}",
            "  status: "
            + (
                f"{self.status[0]} (kept)"
                if self.status[0] == self.status[1]
                else f"{self.status[0]} -> {self.status[1]}"
            ),
        ]
        lines += [f"  {d.kind} {d.name}: {_move(d.old, d.new)}" for d in self.deadlines]
        for s in self.slas:
            target = (
                f"target {_target(s.old_target)} -> {_target(s.new_target)}"
                if s.old_target != s.new_target
                else f"target {_target(s.new_target)}"
            )
            lines.append(f"  SLA {s.name}: {target}, due {_move(s.old_due, s.new_due)}")
        return "\n".join(lines)


def _iso(at: datetime | None) -> str:
    return "none" if at is None else at.isoformat()


def _move(old: datetime | None, new: datetime | None) -> str:
    if old is None and new is None:
        return "none"
    if old is None:
        return f"added at {_iso(new)}"
    if new is None:
        return f"{_iso(old)} -> dropped"
    if old == new and old.utcoffset() == new.utcoffset():
        return f"{_iso(old)} (unchanged)"
    return f"{_iso(old)} -> {_iso(new)}"


def _target(target: Duration | timedelta | None) -> str:
    if target is None:
        return "unknown"
    return str(target)


# --- the migration ------------------------------------------------------------------------


def migrate(
    c: Tables, ticket: Ticket, at: datetime, status_map: Mapping[str, str] | None
) -> Outcome:
    """``ticket`` carried over to the workflow compiled as ``c`` at ``at``."""
    new = _carry(c, ticket, at, status_map)
    step = make_step(MIGRATE, ticket.status, new.status, at, None)
    return make_outcome(new, (step,), ())


def plan(
    c: Tables,
    ticket: Ticket,
    at: datetime,
    status_map: Mapping[str, str] | None,
    old: Tables | None,
) -> MigrationPlan:
    """What :func:`migrate` would do; ``old`` (the ticket's workflow) names old targets."""
    new = _carry(c, ticket, at, status_map)
    return MigrationPlan(
        ticket=ticket.id,
        at=at,
        old_version=ticket.workflow_version,
        new_version=c.version,
        status=(ticket.status, new.status),
        deadlines=_deadlines(ticket.agenda, new.agenda),
        slas=_sla_changes(c, ticket, new, old),
    )


def _carry(c: Tables, ticket: object, at: datetime, status_map: object) -> Ticket:
    ticket = _incoming(c, ticket)
    if not (
        type(at) is datetime
        and type(at.tzinfo) in _SAFE_TZ
        and _SAFE_YEARS[0] < at.year < _SAFE_YEARS[1]
    ):
        check_aware(at, "at")
    at_utc = _utc(at)
    if at_utc < (ticket._utc or _utc(ticket.updated_at)):
        raise OutOfOrderError(at, ticket.updated_at)
    status = _status(c, ticket, status_map) if status_map is not None else ticket.status
    if status not in c.statuses:
        raise SnapshotError(
            f"status {ticket.status!r} is not in workflow {c.name!r} version {c.version}; "
            "map it to one with status_map",
            "status",
        )
    slas = tuple(_clocks(c, ticket, status, at, at_utc)) if ticket.slas or c.slas else ()
    agenda = _engine._agenda(_items(c, ticket, status, slas, at))
    return make_ticket(
        ticket.id,
        ticket.workflow,
        status,
        ticket.sub_status,
        ticket.version + 1,
        ticket.created_at,
        at,
        ticket.status_since,
        ticket.timers_since,
        ticket.attrs,
        agenda,
        slas,
        c,
    )


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _incoming(c: Tables, ticket: object) -> Ticket:
    """``ticket`` if it is a well-formed snapshot of the workflow named as ``c``."""
    if not isinstance(ticket, Ticket):
        raise SnapshotError(f"expected a Ticket, got {show(ticket)}", "ticket")
    check_snapshot(ticket)
    if ticket.workflow != c.name:
        raise SnapshotError(
            f"ticket of workflow {ticket.workflow!r} given to workflow {c.name!r}", "workflow"
        )
    return ticket


def _status(c: Tables, ticket: Ticket, status_map: object) -> str:
    """The ticket's status renamed by ``status_map``."""
    if not isinstance(status_map, Mapping):
        raise ArgumentError(
            f"status_map must be a mapping of status names, got {show(status_map)}",
            "status_map",
            status_map,
        )
    for old, new in status_map.items():
        if not isinstance(old, str) or not isinstance(new, str) or new not in c.statuses:
            raise ArgumentError(
                f"status_map maps {show(old)} to {show(new)}, which is not a status of "
                f"workflow {c.name!r}",
                "status_map",
                new,
            )
    return status_map.get(ticket.status, ticket.status)  # type: ignore[no-any-return]


def _items(
    c: Tables, ticket: Ticket, status: str, slas: tuple[SlaState, ...], at: datetime
) -> list[Due]:
    """Every agenda item of the migrated ticket, armed again kind by kind: the one place
    that re-arms them.

    Timers and reminders come from :func:`_rearmed`; each clock's items (its breach
    and warnings while running, its escalations once breached) from the engine's
    ``_sla_items``, as any step that moves a clock arms them, none before ``at``
    (warnings already past were marked sent by :func:`_clock`).
    """
    return [*_rearmed(c, ticket, status, at), *_engine._sla_items(c, slas, ticket.attrs, at)]


def _rearmed(c: Tables, ticket: Ticket, status: str, at: datetime) -> list[Due]:
    """The timer and reminder items of ``status``, armed again from ``timers_since``."""
    armed = c.timers_by_status[status]
    if not armed:
        return []
    items = _engine._timer_items(c, status, ticket.timers_since, ticket.attrs, MIGRATE)
    pending = {d.name for d in ticket.agenda if d.kind == "timer"}
    once = {i for i in armed if _stays(c, status, c.timers[i].event)}
    kept = _changes.adopted_items(
        [d for d in items if d.index not in once or d.name in pending] if once else items, at
    )
    if all(d.kind != "reminder" for d in kept):
        return kept
    # a reminder at the ticket's last change was sent then (or skipped), unless still pending
    last = _utc(ticket.updated_at)
    held = {(d.index, d.sub, _utc(d.at)) for d in ticket.agenda if d.kind == "reminder"}
    return [
        d
        for d in kept
        if d.kind != "reminder" or _utc(d.at) > last or (d.index, d.sub, _utc(d.at)) in held
    ]


def _stays(c: Tables, status: str, event: str) -> bool:
    """Whether the timer event ``event`` keeps the ticket in ``status`` (fires once per arming)."""
    cands = c.table[status].get(event, ())
    return bool(cands) and all(t.target is None and not t.restarts_timers for t in cands)


def _clocks(
    c: Tables, ticket: Ticket, status: str, at: datetime, at_utc: datetime
) -> list[SlaState]:
    """The SLA clocks under the new definition: matched by name, new ones started at ``at``."""
    attrs = ticket.attrs
    category = c.categories[status]
    by_name = {st.name: st for st in ticket.slas}
    out: list[SlaState] = []
    for name, index in _changes.applying(c.slas, attrs).items():
        sla = c.slas[index]
        cal = _calendar(c, index, attrs)
        st = by_name.get(name)
        paused = category in c.pausing[index]
        if st is None:
            if sla.start_on is not None:
                out.append(_sla.unstarted(sla, index))
                continue
            st = _sla.start_clock(sla, index, cal, at, paused)
        else:
            st = _clock(sla, cal, st, index, at, at_utc)
            paused = paused or st.held
        if not st.started:
            out.append(st)
        elif category == "closed":
            out.append(_sla.stop(sla, cal, st, at))
        elif paused:
            out.append(_sla.pause(sla, cal, st, at))
        else:
            out.append(_sla.resume(sla, cal, st, at))
    return out


def _calendar(c: Tables, index: int, attrs: Mapping[str, Any]) -> Any:
    return c.sla_calendars[index] or _engine._calendar(c, c.slas[index].calendar, attrs)


def _clock(
    sla: _sla.SLA, cal: Any, st: SlaState, index: int, at: datetime, at_utc: datetime
) -> SlaState:
    """Clock ``st`` under definition ``sla`` (slot ``index``): a running clock's due time
    counted again from its last change on the new calendar, at ``at`` at the earliest;
    the warnings the new definition places before ``at`` are marked sent (never sent
    late), those already sent stay sent."""
    due = st.due_at
    if st.running_since is not None and not st.breached:
        left = sla.target_delta - st.elapsed
        due = _sla.due_from(sla, cal, st.running_since, left) if left > _ZERO else at
        if _utc(due) <= at_utc:
            due = at
    moved = make_sla_state(
        st.name,
        index,
        st.elapsed,
        st.running_since,
        due,
        st.breached,
        st.stopped,
        st.started,
        st.started_at,
        st.ended_at,
        st.cycles,
        st.held,
        st.warned,
        st.escalated,
    )
    return _sla.skip_passed(sla, cal, moved, at) if moved.running_since is not None else moved


# --- the plan -----------------------------------------------------------------------------


def _deadlines(old: tuple[Due, ...], new: tuple[Due, ...]) -> tuple[DeadlineChange, ...]:
    """Items paired by kind, name and position within their timer, old ones first."""
    before = {(d.kind, d.name, d.sub): d.at for d in old}
    after = {(d.kind, d.name, d.sub): d.at for d in new}
    keys = list(dict.fromkeys([*before, *after]))
    return tuple(DeadlineChange(k[0], k[1], before.get(k), after.get(k)) for k in keys)


def _sla_changes(
    c: Tables, ticket: Ticket, new: Ticket, old: Tables | None
) -> tuple[SlaChange, ...]:
    known = old is not None and ticket.workflow_version in (None, old.version)
    before = {st.name: st for st in ticket.slas}
    after = {st.name: st for st in new.slas}
    out: list[SlaChange] = []
    for name in dict.fromkeys([*before, *after]):
        b, a = before.get(name), after.get(name)
        old_target = None
        if b is not None and known and old is not None and b.index < len(old.slas):
            old_target = old.slas[b.index].target
        out.append(
            SlaChange(
                name,
                old_target,
                c.slas[a.index].target if a is not None else None,
                _due(b),
                _due(a),
            )
        )
    return tuple(out)


def _due(st: SlaState | None) -> datetime | None:
    if st is None or not st.started:
        return None
    return st.due_at if (st.breached or st.running_since is not None) else None
