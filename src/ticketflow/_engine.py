"""The pure engine: snapshot + event + time in, next snapshot + effects out.

Rules of operation:

* Nothing here stores, sends, sleeps, spawns threads or reads the clock.
  Every function takes the compiled workflow, a :class:`Ticket` and the time,
  and returns an :class:`Outcome`. The input ticket is never changed, so a
  rejected event changes nothing.
* A ticket carries its agenda: the instants at which its timers, reminders
  and SLA breaches fall due, computed once when they are armed. Catching up
  (``advance``, and the start of every ``apply``) pops the agenda in time
  order and handles each item at the moment it fell due, so results never
  depend on when the caller's scheduler ran, and chained timers start from
  the moment the previous one fired.
* ``version`` grows by one for each recorded change (a step, a reminder, a
  breach, a dropped timer), so it does not depend on how calls were batched.
* Instants are compared in UTC: Python compares two datetimes that share one
  tzinfo by wall clock, which is wrong inside a DST fold.
* Every argument is checked where it enters, and a ticket the engine did not
  build itself is checked against the workflow once (its agenda must be one
  the workflow could have produced); tickets the engine builds are marked as
  checked, so the hot path pays one identity test. One call fires at most
  ``max_steps`` due items, then raises :class:`StepLimitError` carrying the
  consistent partial outcome.
* The caller's own callables (guards, ``sub_status``, calendar choosers) run
  as they are: their exceptions propagate unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from . import _changes, _sla
from ._calendar import ALWAYS_OPEN, BusinessCalendar
from ._definitions import Transition
from ._errors import (
    ArgumentError,
    AttrsError,
    CalendarError,
    EventDataError,
    EventLogError,
    GuardRejected,
    InstantError,
    NotPermitted,
    OutOfOrderError,
    SnapshotError,
    StepLimitError,
    TransitionError,
    WorkflowError,
    WorkflowVersionError,
)
from ._limits import MAX_INSTANT, MAX_STEPS, MIN_INSTANT
from ._sla import On
from ._tables import Tables
from ._ticket import (
    Context,
    Due,
    Effect,
    Event,
    Outcome,
    SlaState,
    Step,
    Ticket,
    check_aware,
    check_snapshot,
    freeze_attrs,
    make_context,
    make_due,
    make_effect,
    make_outcome,
    make_step,
    make_ticket,
)

SYSTEM = "system"
#: What ``apply`` does with an event stamped before the ticket's ``updated_at``.
LATE = ("reject", "clamp")
# instants from this year on may lie past MAX_INSTANT: check them exactly
_LAST_YEAR = MAX_INSTANT.year - 1
# instants of a plain datetime in one of these zones, in a year strictly between these,
# are in the supported range whatever their offset (see check_aware)
_FIRST_YEAR = MIN_INSTANT.year
_SAFE_TZ = (ZoneInfo, timezone)
_NO_EFFECTS: tuple[Effect, ...] = ()
# agenda items an SLA clock arms, and those a status's timers arm
_SLA_KINDS = frozenset({"sla_warning", "sla_breach", "sla_escalation"})
_TIMER_KINDS = frozenset({"timer", "reminder"})


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


# the instant last converted by _in_utc, and its conversion
_LAST_UTC: tuple[datetime | None, datetime] = (None, MIN_INSTANT)


def _in_utc(at: datetime) -> datetime:
    """``at`` in UTC, converted once for consecutive calls given the same datetime object (a
    sweep passes one ``now`` for every ticket; a caller may stamp several events alike)."""
    global _LAST_UTC  # noqa: PLW0603 - one (instant, utc) pair swapped whole, so threads never see half of it
    last = _LAST_UTC
    if last[0] is at:
        return last[1]
    utc = at if at.tzinfo is UTC else at.astimezone(UTC)
    _LAST_UTC = (at, utc)
    return utc


# a calendar callable's choice for one attrs value (tickets share theirs from snapshot to
# snapshot): (id(spec), id(attrs)) -> (spec, attrs, calendar), checked by identity on a hit
_CHOICES: dict[tuple[int, int], tuple[object, object, BusinessCalendar]] = {}
_CHOICES_SIZE = 4096
# the longest text an event's ``at`` (or an adopted datetime) may be: no ISO datetime is longer
_ISO_TEXT_MAX = 100
# the longest repr an error message quotes whole
_SHORT_TEXT = 80


def _calendar(c: Tables, spec: object, attrs: Mapping[str, Any]) -> BusinessCalendar:
    if spec is None:
        spec = c.calendar
    if spec is None:
        return ALWAYS_OPEN
    if isinstance(spec, BusinessCalendar):
        return spec
    key = (id(spec), id(attrs))
    hit = _CHOICES.get(key)
    if hit is not None and hit[0] is spec and hit[1] is attrs:
        return hit[2]
    cal = spec(attrs)  # type: ignore[operator]
    if not isinstance(cal, BusinessCalendar):
        raise CalendarError(f"calendar callable returned {cal!r}, not a BusinessCalendar")
    if len(_CHOICES) >= _CHOICES_SIZE:
        _CHOICES.clear()
    _CHOICES[key] = (spec, attrs, cal)
    return cal


class _Run:
    """Accumulates the steps and effects of one engine call."""

    __slots__ = ("c", "effects", "steps")

    def __init__(self, c: Tables) -> None:
        self.c = c
        self.steps: list[Step] = []
        self.effects: list[Effect] = []

    def outcome(self, ticket: Ticket) -> Outcome:
        effects = self.effects
        return make_outcome(ticket, tuple(self.steps), tuple(effects) if effects else _NO_EFFECTS)


# --- arming timers and SLA clocks ------------------------------------------------------


def _timer_items(
    c: Tables, status: str, at: datetime, attrs: Mapping[str, Any], event: str = ""
) -> list[Due]:
    items: list[Due] = []
    for i in c.timers_by_status[status]:
        tm = c.timers[i]
        if tm.after is None:
            items.extend(_deadline_items(c, i, status, at, at, attrs, event, frozenset()))
            continue
        cal = c.timer_calendars[i] or _calendar(c, tm.calendar, attrs)
        deadline = _sla.cal_add(cal, at, tm.after)
        if deadline.year >= _LAST_YEAR:  # a deadline past the range could not be stored
            check_aware(deadline, f"the deadline of timer {tm.event!r}")
        items.append(make_due(deadline, "timer", tm.event, i))
        if not (tm.reminders or tm.remind_before):
            continue
        start, end = _utc(at), _utc(deadline)
        for j, r in enumerate(tm.reminders):
            when = _sla.cal_add(cal, at, r)
            if start < _utc(when) < end:
                items.append(make_due(when, "reminder", tm.event, i, j))
        base = len(tm.reminders)
        for k, b in enumerate(tm.remind_before):
            when = _sla.cal_subtract(cal, deadline, b)
            if start < _utc(when) < end:
                items.append(make_due(when, "reminder", tm.event, i, base + k))
    return items


def _deadline_items(
    c: Tables,
    i: int,
    status: str,
    entry: datetime,
    now: datetime,
    attrs: Mapping[str, Any],
    event: str,
    skip: frozenset[int],
) -> list[Due]:
    """The agenda items of ``at=`` timer ``i``, armed at ``now`` in a status entered at
    ``entry``: nothing falls due before ``now``, and reminders in ``skip`` are not armed."""
    tm = c.timers[i]
    cal = c.timer_calendars[i] or _calendar(c, tm.calendar, attrs)
    deadline = _changes.deadline_of(tm, attrs, status, event)
    start, end = _utc(now), _utc(deadline)
    if end <= start:
        return [make_due(now, "timer", tm.event, i)]  # its reminders are moot
    items = [make_due(deadline, "timer", tm.event, i)]
    if not (tm.reminders or tm.remind_before):
        return items
    whens = [_sla.cal_add(cal, entry, r) for r in tm.reminders]
    whens += [_sla.cal_subtract(cal, deadline, b) for b in tm.remind_before]
    for j, when in enumerate(whens):
        if j in skip:
            continue
        instant = _utc(when)
        if instant < end:
            items.append(make_due(now if instant <= start else when, "reminder", tm.event, i, j))
    return items


def _rearm(
    c: Tables, ticket: Ticket, attrs: Mapping[str, Any], at: datetime, event: str
) -> list[Due]:
    """The timer items of the agenda after an internal transition changed ``attrs``: each
    ``at=`` timer whose attribute changed is armed again, never resending a reminder
    already sent."""
    status = ticket.status
    kept = [d for d in ticket.agenda if d.kind in _TIMER_KINDS]
    changed = _changes.changed_keys(ticket.attrs, attrs)
    since = ticket.timers_since
    limit = _utc(at)
    for i in c.timers_by_status[status]:
        tm = c.timers[i]
        if tm.at is None or tm.at not in changed:
            continue
        pending = {d.sub for d in kept if d.index == i and d.kind == "reminder"}
        before = _deadline_items(c, i, status, since, since, ticket.attrs, event, frozenset())
        sent = frozenset(
            d.sub
            for d in before
            if d.kind == "reminder" and d.sub not in pending and _utc(d.at) <= limit
        )
        kept = [d for d in kept if d.index != i]
        kept += _deadline_items(c, i, status, since, at, attrs, event, sent)
    return kept


def _reselect(
    c: Tables,
    slas: tuple[SlaState, ...],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    at: datetime,
    status: str,
) -> tuple[SlaState, ...]:
    """The SLA clocks after the attributes changed from ``old`` to ``new`` at ``at``."""
    category = c.categories[status]
    return _changes.reselect(
        c.slas,
        slas,
        old,
        new,
        at,
        lambda index: category in c.pausing[index],
        category == "closed",
        lambda index, attrs: c.sla_calendars[index] or _calendar(c, c.slas[index].calendar, attrs),
    )


def _sla_cal(c: Tables, state: SlaState, attrs: Mapping[str, Any]) -> BusinessCalendar:
    i = state.index
    return c.sla_calendars[i] or _calendar(c, c.slas[i].calendar, attrs)


def _new_slas(
    c: Tables, at: datetime, status: str, attrs: Mapping[str, Any]
) -> tuple[SlaState, ...]:
    out: list[SlaState] = []
    seen: set[str] = set()
    category = c.categories[status]
    for index, sla in enumerate(c.slas):
        if sla.name in seen or not sla.matches(attrs):
            continue
        seen.add(sla.name)
        if sla.start_on is not None:
            out.append(_sla.unstarted(sla, index))
            continue
        cal = c.sla_calendars[index] or _calendar(c, sla.calendar, attrs)
        paused = category in c.pausing[index]
        state = _sla.start_clock(sla, index, cal, at, paused)
        if category == "closed":
            state = _sla.stop(sla, cal, state, at)
        out.append(state)
    return tuple(out)


def _move_slas(
    c: Tables,
    ticket: Ticket,
    event: str,
    at: datetime,
    status: str,
    actor: str | None,
    data: Mapping[str, Any] | None,
) -> tuple[SlaState, ...]:
    """The clocks after ``event`` sent by ``actor`` moved the ticket to ``status``.

    Trigger guards see the ticket before the step, and a Context built only
    if one is to run.
    """
    if not ticket.slas:
        return ()
    category = c.categories[status]
    out: list[SlaState] = []
    fires = _sla.fires
    for before in ticket.slas:
        st = before
        i = st.index
        sla = c.slas[i]
        cal = c.sla_calendars[i] or _calendar(c, sla.calendar, ticket.attrs)
        ons = sla._ons  # On triggers need their roles and guards checked
        if sla.pause_on or sla.resume_on:
            st = _held(sla, st, event, actor, ticket, at, data)
        pausing = st.held or category in c.pausing[i]
        if not st.started:
            start_on = sla.start_on
            if start_on is not None and (
                event == start_on
                or (
                    isinstance(start_on, On)
                    and fires(frozenset({start_on}), event, actor, ticket, at, data)
                )
            ):
                st = _sla.start_clock(sla, st.index, cal, at, pausing)
        else:
            stop_on = sla.stop_on
            if stop_on and (
                event in stop_on or (ons and fires(stop_on, event, actor, ticket, at, data))
            ):
                st = _sla.stop(sla, cal, st, at)
            restart_on = sla.restart_on
            if (
                restart_on
                and (st.stopped or st.breached)
                and (
                    event in restart_on
                    or (ons and fires(restart_on, event, actor, ticket, at, data))
                )
            ):
                st = _sla.restart(sla, cal, st, at, pausing)
        if category == "closed":
            st = _sla.stop(sla, cal, st, at)
        elif pausing:
            st = _sla.pause(sla, cal, st, at)
        else:
            st = _sla.resume(sla, cal, st, at)
        out.append(st)
    return tuple(out)


def _held(
    sla: _sla.SLA,
    st: SlaState,
    event: str,
    actor: str | None,
    ticket: Ticket,
    at: datetime,
    data: Mapping[str, Any] | None,
) -> SlaState:
    """``st`` held by a ``pause_on`` event, or released by a ``resume_on`` one."""
    held = st.held
    if not held and sla.pause_on and _sla.fires(sla.pause_on, event, actor, ticket, at, data):
        held = True
    elif held and sla.resume_on and _sla.fires(sla.resume_on, event, actor, ticket, at, data):
        held = False
    return st if held == st.held else _sla.hold(st, held)


def _sla_items(
    c: Tables,
    slas: tuple[SlaState, ...],
    attrs: Mapping[str, Any],
    now: datetime,
    old: tuple[SlaState, ...] = (),
    old_agenda: tuple[Due, ...] = (),
) -> list[Due]:
    """The agenda items of the SLA clocks ``slas`` at ``now``: each running clock's breach
    and warnings still to send, each breached one's escalations still to send.

    A clock unchanged from the snapshot replaced (``old``, in the same slot) keeps
    its items from ``old_agenda``, so warnings are computed only when a clock moves.
    """
    items: list[Due] = []
    for slot, st in enumerate(slas):
        if st.running_since is None or st.stopped:
            continue
        if slot < len(old) and old[slot] is st:
            items.extend(d for d in old_agenda if d.index == slot and d.kind in _SLA_KINDS)
            continue
        due = st.due_at
        if due is not None and due.year >= _LAST_YEAR:
            check_aware(due, f"the due_at of SLA {st.name!r}")
        sla = c.slas[st.index]
        if not st.breached:
            if sla._warnings:
                items += _sla.warning_items(sla, _sla_cal(c, st, attrs), st, slot, now)
            items.append(make_due(due, "sla_breach", st.name, slot))  # type: ignore[arg-type]
        elif st.escalated < len(sla._escalations):
            items += _sla.escalation_items(sla, _sla_cal(c, st, attrs), st, slot, now)
    return items


def _sort_key(d: Due) -> tuple[datetime, int, int, int]:
    return d.sort_key


def _agenda(items: list[Due]) -> tuple[Due, ...]:
    if len(items) <= 1:
        return tuple(items)
    return tuple(sorted(items, key=_sort_key))


# --- checking what comes in ------------------------------------------------------------


def _mark(ticket: Ticket, c: Tables) -> Ticket:
    """Record that ``ticket`` was built (or checked) for the workflow compiled as ``c``."""
    object.__setattr__(ticket, "_checked", c)
    return ticket


def _check_max_steps(max_steps: object) -> int:
    """Return ``max_steps`` if it is a positive int.

    Raises:
        StepLimitError: with ``outcome`` None, naming the bad value.
    """
    if not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 1:
        error = StepLimitError(None, 0)
        error.max_steps = max_steps  # type: ignore[assignment]
        error.args = (f"max_steps must be a positive int, got {_short(max_steps)}",)
        raise error
    return max_steps


def _check_ticket(c: Tables, ticket: object) -> Ticket:
    """Return ``ticket`` if this workflow could have produced it.

    Raises:
        SnapshotError: naming the field at fault.
        WorkflowVersionError: for a ticket recorded under another version.
        TransitionError: for a status the workflow does not have.
    """
    if not isinstance(ticket, Ticket):
        raise SnapshotError(f"expected a Ticket, got {_short(ticket)}", "ticket")
    if ticket._checked is c:
        return ticket
    check_snapshot(ticket)
    if ticket.workflow != c.name:
        raise SnapshotError(
            f"ticket of workflow {ticket.workflow!r} given to workflow {c.name!r}", "workflow"
        )
    # a snapshot stored before versions were recorded (None) is taken as this version's
    if ticket.workflow_version is not None and ticket.workflow_version != c.version:
        raise WorkflowVersionError(ticket.workflow_version, c.version, c.name)
    if ticket.status not in c.table:
        raise TransitionError(
            ticket.status, "", (), f"ticket is in unknown status {ticket.status!r}"
        )
    _check_clocks(c, ticket)
    _check_agenda_items(c, ticket)
    return _mark(ticket, c)


def _check_clocks(c: Tables, ticket: Ticket) -> None:
    """Each SLA clock is one of the workflow's, in its slot, once, with the levels it has."""
    slas = c.slas
    seen: set[str] = set()
    for i, st in enumerate(ticket.slas):
        if st.index >= len(slas) or slas[st.index].name != st.name:
            raise SnapshotError(
                f"SLA clock {st.name!r} (#{st.index}) is not in workflow {c.name!r}",
                f"slas[{i}]",
            )
        if st.name in seen:
            raise SnapshotError(f"SLA clock {st.name!r} appears twice", f"slas[{i}]")
        seen.add(st.name)
        sla = slas[st.index]
        if st.warned and max(st.warned) > len(sla._warnings):
            raise SnapshotError(
                f"warning level {max(st.warned)} sent, but SLA {st.name!r} has "
                f"{len(sla._warnings)} warning(s)",
                f"slas[{i}].warned",
            )
        if st.escalated > len(sla._escalations):
            raise SnapshotError(
                f"{st.escalated} escalation(s) sent, but SLA {st.name!r} has "
                f"{len(sla._escalations)}",
                f"slas[{i}].escalated",
            )


def _check_agenda_items(c: Tables, ticket: Ticket) -> None:
    """The agenda holds what the status arms: its timers' items, and each running clock's
    breach, warnings and escalations."""
    timers = c.timers
    armed = c.timers_by_status[ticket.status]
    room = sum(1 + len(timers[i].reminders) + len(timers[i].remind_before) for i in armed)
    for st in ticket.slas:
        sla = c.slas[st.index]
        room += 1 + len(sla._warnings) + len(sla._escalations)
    if len(ticket.agenda) > room:
        raise SnapshotError(
            f"{len(ticket.agenda)} items, but status {ticket.status!r} of workflow "
            f"{c.name!r} arms at most {room}",
            "agenda",
        )
    breaches = 0
    for i, d in enumerate(ticket.agenda):
        where = f"agenda[{i}]"
        if d.kind in _SLA_KINDS:
            breaches += d.kind == "sla_breach"
            _check_clock_item(c, ticket, d, where)
        else:
            _check_timer_item(c, ticket, d, where, armed)
    running = sum(1 for st in ticket.slas if st.running_since is not None and not st.breached)
    if breaches != running:
        raise SnapshotError(
            f"{running} running SLA clock(s) but {breaches} sla_breach item(s)", "agenda"
        )


def _check_clock_item(c: Tables, ticket: Ticket, d: Due, where: str) -> None:
    """An SLA item matches its clock: a breach or a warning still to send of a running
    clock, or an escalation still to send of a breached one."""
    clock = ticket.slas[d.index] if d.index < len(ticket.slas) else None
    if clock is None or clock.name != d.name:
        raise SnapshotError(f"no SLA clock {d.name!r} at slot {d.index}", where)
    sla = c.slas[clock.index]
    level = d.sub + 1
    counting = clock.running_since is not None and not clock.stopped
    if d.kind == "sla_breach":
        ok = counting and not clock.breached and clock.due_at == d.at
    elif d.kind == "sla_warning":
        ok = counting and not clock.breached and level <= len(sla._warnings)
        ok = ok and level not in clock.warned
    else:
        ok = counting and clock.breached and clock.escalated < level <= len(sla._escalations)
    if not ok:
        raise SnapshotError(
            f"{d.kind} {d.name!r} (level {level}) at {d.at.isoformat()} does not match its clock",
            where,
        )


def _check_timer_item(
    c: Tables, ticket: Ticket, d: Due, where: str, armed: tuple[int, ...]
) -> None:
    """A timer or reminder item is one of a timer armed in the ticket's status."""
    timers = c.timers
    if d.index not in armed or timers[d.index].event != d.name:
        raise SnapshotError(
            f"{d.kind} {d.name!r} (#{d.index}) is not a timer armed in status "
            f"{ticket.status!r} of workflow {c.name!r}",
            where,
        )
    if d.kind == "reminder":
        tm = timers[d.index]
        count = len(tm.reminders) + len(tm.remind_before)
        if d.sub >= count:
            raise SnapshotError(
                f"reminder {d.sub} of timer {d.name!r}, which has {count}", f"{where}.sub"
            )


def _check_actor(ticket: Ticket, event: str, actor: object) -> str | None:
    if actor is not None and not isinstance(actor, str):
        raise TransitionError(
            ticket.status, event, (), f"actor must be a string or None, got {_short(actor)}"
        )
    return actor


def _short(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # a huge int, or a broken __repr__ of the caller's
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHORT_TEXT else text[: _SHORT_TEXT - 3] + "..."


# --- catching up -----------------------------------------------------------------------


def _catch_up(run: _Run, ticket: Ticket, now: datetime, max_steps: int) -> Ticket:  # noqa: C901, PLR0912, PLR0915 - hot: one loop over due items, no call per item
    """Fire every agenda item due at or before ``now``, in order, at most ``max_steps``.

    Reminders, warnings, breaches and escalations are consumed by position; the
    ticket (and its agenda tuple) is rebuilt once per run of them, and a timer
    rebuilds the agenda from the workflow (as a breach does when escalations
    follow it), so the cost is linear in the items fired.
    """
    limit = _utc(now)
    agenda = ticket.agenda
    if not agenda or _utc(agenda[0].at) > limit:
        return ticket
    c = run.c
    fired = 0
    while True:
        pos, n = 0, len(agenda)
        version, updated, slas = ticket.version, ticket.updated_at, ticket.slas
        deadlines: dict[int, datetime] | None = None
        timer: Due | None = None
        escalations: list[Due] = []
        stop = False
        while pos < n:
            item = agenda[pos]
            if _utc(item.at) > limit:
                break
            if fired >= max_steps:
                stop = True
                break
            fired += 1
            pos += 1
            kind = item.kind
            if kind == "timer":
                timer = item
                break
            if kind == "reminder":
                if deadlines is None:
                    deadlines = {d.index: d.at for d in agenda if d.kind == "timer"}
                run.effects.append(
                    make_effect(
                        "reminder",
                        item.name,
                        item.at,
                        {"status": ticket.status, "deadline": deadlines.get(item.index)},
                    )
                )
            else:
                slot = item.index
                state = slas[slot]
                sla = c.slas[state.index]
                level = item.sub + 1
                if kind == "sla_breach":
                    state = _sla.breach(state)
                    data: dict[str, Any] = {"target": sla.target}
                elif kind == "sla_warning":
                    state = _sla.warned(state, level)
                    data = {"level": level, "due_at": state.due_at}
                else:
                    state = _sla.escalated(state)
                    data = {"level": level, "breached_at": state.due_at}
                slas = (*slas[:slot], state, *slas[slot + 1 :])
                run.effects.append(make_effect(kind, item.name, item.at, data))
                if kind == "sla_breach" and sla._escalations:
                    # its escalations join the agenda, which is sorted again
                    escalations = _sla.escalation_items(
                        sla, _sla_cal(c, state, ticket.attrs), state, slot, item.at
                    )
                    version += 1
                    updated = item.at
                    break
            version += 1
            updated = item.at
        if timer is not None and pos == 1:
            # only the timer: let _fire_timer build the snapshot without it if it needs one
            ticket = _fire_timer(run, ticket, timer, agenda[1:])
        else:
            if pos:
                rest = agenda[pos:]
                if escalations:
                    rest = _agenda([*rest, *escalations])
                ticket = make_ticket(
                    ticket.id,
                    ticket.workflow,
                    ticket.status,
                    ticket.sub_status,
                    version,
                    ticket.created_at,
                    updated,
                    ticket.status_since,
                    ticket.timers_since,
                    ticket.attrs,
                    rest,
                    slas,
                    c,
                )
            if stop:
                raise StepLimitError(run.outcome(ticket), max_steps)
            if timer is not None:
                ticket = _fire_timer(run, ticket, timer, ticket.agenda)
            elif not escalations:
                return ticket
        agenda = ticket.agenda
        if not agenda or _utc(agenda[0].at) > limit:
            return ticket


def _fire_timer(run: _Run, ticket: Ticket, item: Due, rest: tuple[Due, ...]) -> Ticket:
    """Send a timer's event as the system, at the moment it fell due.

    ``rest`` is the agenda without the item (a timer fires once per arming);
    ``ticket`` may still list the item, and is rebuilt without it only when a
    guard is to see it or the transition keeps the agenda.
    """
    at = item.at
    ctx: Context | None = None
    for t in run.c.table[ticket.status].get(item.name, ()):
        if not t.permits(SYSTEM):
            continue
        if t.guard is not None:
            ticket = _with_agenda(run, ticket, rest)
            if ctx is None:
                ctx = make_context(item.name, at, SYSTEM, None)
            if not t.guard(ticket, ctx):
                continue
        if t.target is None and not t.restarts_timers:
            ticket = _with_agenda(run, ticket, rest)
        try:
            return _perform(run.c, run.steps, run.effects, ticket, t, at, SYSTEM, None, ctx)
        except EventDataError:
            # the move needs data a timer does not carry (set_attrs keys, or an at= deadline
            # the ticket lacks): like a refusing guard, it leaves the timer spent
            break
    # every candidate's guard said no: the timer is spent until the status is re-entered
    return _evolve(run, _with_agenda(run, ticket, rest), at)


def _with_agenda(run: _Run, ticket: Ticket, agenda: tuple[Due, ...]) -> Ticket:
    if ticket.agenda is agenda:
        return ticket
    return make_ticket(
        ticket.id,
        ticket.workflow,
        ticket.status,
        ticket.sub_status,
        ticket.version,
        ticket.created_at,
        ticket.updated_at,
        ticket.status_since,
        ticket.timers_since,
        ticket.attrs,
        agenda,
        ticket.slas,
        run.c,
        ticket._utc,
    )


def _evolve(run: _Run, ticket: Ticket, at: datetime) -> Ticket:
    """Record a change that moves nothing (a spent timer): one more version at ``at``."""
    return make_ticket(
        ticket.id,
        ticket.workflow,
        ticket.status,
        ticket.sub_status,
        ticket.version + 1,
        ticket.created_at,
        at,
        ticket.status_since,
        ticket.timers_since,
        ticket.attrs,
        ticket.agenda,
        ticket.slas,
        run.c,
    )


def _perform(  # noqa: C901, PLR0912, PLR0913, PLR0917 - hot: one frame per event, state in locals
    c: Tables,
    steps: list[Step],
    effects: list[Effect],
    ticket: Ticket,
    t: Transition,
    at: datetime,
    actor: str | None,
    data: Mapping[str, Any] | None,
    ctx: Context | None,
    at_utc: datetime | None = None,
    requested_at: datetime | None = None,
) -> Ticket:
    """Make transition ``t`` at ``at`` (``at_utc`` when known).

    ``ctx`` is the Context a guard saw, or None: it is built here only if a
    ``sub_status`` callable needs one.
    """
    source = ticket.status
    target = t.target
    entering = target is not None
    status = target if target is not None else source
    sub: str | None
    sub_status = t.sub_status
    if sub_status is None:
        sub = None if entering else ticket.sub_status
    elif isinstance(sub_status, str):
        sub = sub_status
    else:
        if ctx is None:
            ctx = make_context(t.event, at, actor, data)
        chosen: object = sub_status(ticket, ctx)
        if chosen is not None and not isinstance(chosen, str):
            raise WorkflowError(
                [
                    f"transition {t.event!r} from {source!r}: its sub_status callable "
                    f"returned {_short(chosen)}, not a string or None"
                ],
                c.name,
            )
        sub = chosen
    attrs = ticket.attrs
    if t.set_attrs is not None:
        if ctx is None:
            ctx = make_context(t.event, at, actor, data)
        attrs = _changes.set_attrs(t, ticket, ctx, c.name)
    restart = entering or t.restarts_timers
    slas = _move_slas(c, ticket, t.event, at, status, actor, data) if ticket.slas else ()
    if attrs is not ticket.attrs and c.slas:
        slas = _reselect(c, slas, ticket.attrs, attrs, at, status)
    if restart:
        timers = _timer_items(c, status, at, attrs, t.event) if c.timers_by_status[status] else []
    elif attrs is not ticket.attrs and c.timers_by_status[status]:
        timers = _rearm(c, ticket, attrs, at, t.event)
    else:
        timers = [d for d in ticket.agenda if d.kind in _TIMER_KINDS]
    if not slas:
        agenda = _agenda(timers) if timers else ()
    elif timers or len(slas) > 1:
        timers.extend(_sla_items(c, slas, attrs, at, ticket.slas, ticket.agenda))
        agenda = _agenda(timers)
    else:  # one clock's items come in agenda order already
        agenda = tuple(_sla_items(c, slas, attrs, at, ticket.slas, ticket.agenda))
    new = make_ticket(
        ticket.id,
        ticket.workflow,
        status,
        sub,
        ticket.version + 1,
        ticket.created_at,
        at,
        at if entering else ticket.status_since,
        at if restart else ticket.timers_since,
        attrs,
        agenda,
        slas,
        c,
        at_utc,
    )
    steps.append(make_step(t.event, source, status, at, actor, requested_at))
    for tpl in t.effects:
        name = tpl.name if tpl.name is not None else t.event
        if tpl.kind == "follow_up":
            child_attrs = {**attrs, "follow_up_of": ticket.id}
            child = start(c, at, None, child_attrs).ticket
            payload: dict[str, Any] = {**(tpl.data or {}), "ticket": child, "parent": ticket.id}
        else:
            payload = dict(tpl.data) if tpl.data else {}
        effects.append(make_effect(tpl.kind, name, at, payload or None))
    return new


def _select(
    c: Tables,
    ticket: Ticket,
    event: str,
    at: datetime,
    actor: str | None,
    data: Mapping[str, Any] | None,
) -> tuple[Transition, Context | None]:
    """The transition ``event`` makes, and the Context built for a guard (or None)."""
    cands = c.table[ticket.status].get(event)
    if not cands:
        raise TransitionError(ticket.status, event, tuple(sorted(c.table[ticket.status])))
    ctx: Context | None = None
    if len(cands) == 1:
        t = cands[0]
        if t.roles is None or actor in t.roles:
            if t.guard is None:
                return t, None
            ctx = make_context(event, at, actor, data)
            if t.guard(ticket, ctx):
                return t, ctx
    permitted = [t for t in cands if t.roles is None or actor in t.roles]
    if not permitted:
        roles: set[str] = set()
        for t in cands:
            roles |= t.roles or set()
        raise NotPermitted(
            ticket.status, event, actor, roles, tuple(sorted(c.table[ticket.status]))
        )
    for t in permitted:
        if t.guard is None:
            return t, ctx
        if ctx is None:
            ctx = make_context(event, at, actor, data)
        if t.guard(ticket, ctx):
            return t, ctx
    raise GuardRejected(
        ticket.status,
        event,
        [getattr(t.guard, "__name__", repr(t.guard)) for t in permitted],
        tuple(sorted(c.table[ticket.status])),
    )


# --- public operations -------------------------------------------------------------------


def start(
    c: Tables,
    at: datetime,
    id: str | None,
    attrs: Mapping[str, Any] | None,
) -> Outcome:
    check_aware(at, "at")
    if id is not None and not isinstance(id, str):
        raise SnapshotError(f"must be a string or None, got {_short(id)}", "id")
    frozen = freeze_attrs(attrs)
    run = _Run(c)
    status = c.initial
    slas = _new_slas(c, at, status, frozen)
    agenda = _agenda(
        [*_timer_items(c, status, at, frozen, "start"), *_sla_items(c, slas, frozen, at)]
    )
    ticket = make_ticket(id, c.name, status, None, 1, at, at, at, at, frozen, agenda, slas, c)
    run.steps.append(make_step("start", None, status, at, None))
    return run.outcome(ticket)


def apply(
    c: Tables,
    ticket: Ticket,
    event: str,
    at: datetime,
    actor: str | None,
    data: Mapping[str, Any] | None,
    max_steps: int = MAX_STEPS,
    late: str = "reject",
) -> Outcome:
    if type(ticket) is not Ticket or ticket._checked is not c:
        ticket = _check_ticket(c, ticket)
    if type(event) is not str and not isinstance(event, str):
        raise TransitionError(
            ticket.status, _short(event), (), f"event must be a string, got {_short(event)}"
        )
    if not (
        type(at) is datetime and type(at.tzinfo) in _SAFE_TZ and _FIRST_YEAR < at.year < _LAST_YEAR
    ):
        check_aware(at, "at")
    if actor is not None and type(actor) is not str:
        _check_actor(ticket, event, actor)
    if data is not None and not isinstance(data, Mapping):
        raise EventDataError(
            ticket.status, event, f"data must be a mapping or None, got {_short(data)}"
        )
    if max_steps is not MAX_STEPS:
        max_steps = _check_max_steps(max_steps)
    updated = ticket._utc
    if updated is None:
        updated = ticket.updated_at.astimezone(UTC)
    # an event at the very instant of the last change needs no conversion
    at_utc = updated if at is ticket.updated_at else _in_utc(at)
    requested: datetime | None = None
    if at_utc < updated:
        if late != "clamp":
            raise OutOfOrderError(at, ticket.updated_at)
        requested, at, at_utc = at, ticket.updated_at, updated
    agenda = ticket.agenda
    # converting then comparing in UTC is cheaper than comparing instants of two zones
    if agenda and agenda[0].at.astimezone(UTC) <= at_utc:
        run = _Run(c)
        current = _catch_up(run, ticket, at, max_steps)
        steps, effects = run.steps, run.effects
    else:
        current, steps, effects = ticket, [], []
    # the common case inline: one transition, no guard, a permitted role
    cands = c.table[current.status].get(event)
    t = cands[0] if cands and len(cands) == 1 else None
    ctx: Context | None = None
    if t is None or t.guard is not None or (t.roles is not None and actor not in t.roles):
        t, ctx = _select(c, current, event, at, actor, data)
    new = _perform(c, steps, effects, current, t, at, actor, data, ctx, at_utc, requested)
    return make_outcome(new, tuple(steps), tuple(effects) if effects else _NO_EFFECTS)


def adopt(
    c: Tables,
    status: str,
    since: datetime,
    at: datetime,
    id: str | None,
    attrs: Mapping[str, Any] | None,
    created_at: datetime | None,
    slas: Mapping[str, object] | None,
) -> Outcome:
    """A ticket that has been in ``status`` since ``since``, taken over at ``at``."""
    check_aware(since, "since")
    check_aware(at, "at")
    created = since if created_at is None else check_aware(created_at, "created_at")
    if _utc(at) < _utc(since):
        raise OutOfOrderError(at, since)
    if _utc(since) < _utc(created):
        raise OutOfOrderError(since, created)
    if id is not None and not isinstance(id, str):
        raise SnapshotError(f"must be a string or None, got {_short(id)}", "id")
    frozen = freeze_attrs(attrs)
    run = _Run(c)
    items = _timer_items(c, status, since, frozen, "adopt")
    clocks = _changes.adopted_clocks(
        c.slas,
        slas,
        frozen,
        at,
        c.categories[status],
        c.pausing,
        lambda index: c.sla_calendars[index] or _calendar(c, c.slas[index].calendar, frozen),
    )
    # warnings that fell before the takeover are not sent late
    clocks = tuple(
        _sla.skip_passed(c.slas[st.index], _sla_cal(c, st, frozen), st, at) for st in clocks
    )
    agenda = _agenda([*_changes.adopted_items(items, at), *_sla_items(c, clocks, frozen, at)])
    ticket = make_ticket(
        id, c.name, status, None, 1, created, at, since, since, frozen, agenda, clocks, c
    )
    run.steps.append(make_step("adopt", None, status, at, None))
    return run.outcome(ticket)


def advance(c: Tables, ticket: Ticket, now: datetime, max_steps: int = MAX_STEPS) -> Outcome:
    if type(ticket) is not Ticket or ticket._checked is not c:
        ticket = _check_ticket(c, ticket)
    if not (
        type(now) is datetime
        and type(now.tzinfo) in _SAFE_TZ
        and _FIRST_YEAR < now.year < _LAST_YEAR
    ):
        check_aware(now, "now")
    if max_steps is not MAX_STEPS:
        max_steps = _check_max_steps(max_steps)
    agenda = ticket.agenda
    if not agenda:
        return make_outcome(ticket, (), _NO_EFFECTS)
    limit = _in_utc(now)
    if agenda[0].at.astimezone(UTC) > limit:  # nothing due (cheaper than comparing two zones)
        return make_outcome(ticket, (), _NO_EFFECTS)
    run = _Run(c)
    return run.outcome(_catch_up(run, ticket, now, max_steps))


def allowed(
    c: Tables,
    ticket: Ticket,
    actor: str | None,
    at: datetime | None,
    max_steps: int = MAX_STEPS,
) -> tuple[str, ...]:
    ticket = _check_ticket(c, ticket)
    _check_actor(ticket, "", actor)
    max_steps = _check_max_steps(max_steps)
    if at is not None:
        check_aware(at, "at")
        if _utc(at) >= _utc(ticket.updated_at):
            ticket = _catch_up(_Run(c), ticket, at, max_steps)
    out: list[str] = []
    for event, cands in c.table[ticket.status].items():
        ctx = make_context(event, at, actor, None)
        if any(t.permits(actor) and (t.guard is None or t.guard(ticket, ctx)) for t in cands):
            out.append(event)
    return tuple(sorted(out))


def next_deadline(c: Tables, ticket: Ticket) -> datetime | None:
    return _check_ticket(c, ticket).next_deadline


def sla_clocks(
    c: Tables, ticket: Ticket, now: datetime, max_steps: int = MAX_STEPS
) -> tuple[_sla.SlaClock, ...]:
    ticket = _check_ticket(c, ticket)
    check_aware(now, "now")
    max_steps = _check_max_steps(max_steps)
    if _utc(now) < _utc(ticket.updated_at):
        raise OutOfOrderError(now, ticket.updated_at)
    run = _Run(c)
    ticket = _catch_up(run, ticket, now, max_steps)
    return tuple(
        _sla.clock(c.slas[st.index], _sla_cal(c, st, ticket.attrs), st, now)
        for st in ticket.slas
        if st.started
    )


_EVENT_KEYS = frozenset({"name", "at", "actor", "data", "id"})


def _event_in(entry: object, position: int) -> tuple[Event, str | None]:
    name, at, actor, data, ident = _event_fields(entry, position)
    if not isinstance(name, str):
        raise EventLogError(f"name must be a string, got {_short(name)}", position)
    if isinstance(at, str):
        at = _event_at(at, position)
    try:
        at = check_aware(at, "at")
    except InstantError as exc:
        raise EventLogError(str(exc), position) from None
    if actor is not None and not isinstance(actor, str):
        raise EventLogError(f"actor must be a string or None, got {_short(actor)}", position)
    if data is not None and not isinstance(data, Mapping):
        raise EventLogError(f"data must be a mapping or None, got {_short(data)}", position)
    if ident is not None and not isinstance(ident, str):
        raise EventLogError(f"id must be a string or None, got {_short(ident)}", position)
    return Event(name, at, actor, data), ident


def _event_fields(entry: object, position: int) -> tuple[Any, Any, Any, Any, Any]:
    """Name, at, actor, data and id of an Event or of a mapping, unchecked."""
    if isinstance(entry, Event):
        return entry.name, entry.at, entry.actor, entry.data, None
    if not isinstance(entry, Mapping):
        raise EventLogError(f"expected an Event or a mapping, got {_short(entry)}", position)
    unknown = [k for k in entry if k not in _EVENT_KEYS]
    if unknown:
        raise EventLogError(f"unknown key(s) {_short(unknown)}", position)
    for key in ("name", "at"):
        if key not in entry:
            raise EventLogError(f"missing {key!r}", position)
    return entry["name"], entry["at"], entry.get("actor"), entry.get("data"), entry.get("id")


def _event_at(text: str, position: int, what: str = "at") -> datetime:
    """An instant of a log entry (``what``) read from ISO text with a UTC offset."""
    try:
        at = datetime.fromisoformat(text) if len(text) <= _ISO_TEXT_MAX else None
    except ValueError:
        at = None
    if at is None:
        raise EventLogError(f"{what}={_short(text)} is not an ISO datetime", position)
    if at.tzinfo is None:
        raise EventLogError(f"{what}={text!r} has no UTC offset", position)
    return at


_ADOPT_KEYS = frozenset({"status", "since", "attrs", "created_at", "slas"})


def _adopt_entry(c: Tables, ev: Event, ident: str | None, position: int) -> Outcome:
    """Adopt as an ``adopt`` log entry says: its data holds ``status`` and ``since``."""
    data = ev.data or {}
    unknown = [k for k in data if k not in _ADOPT_KEYS]
    if unknown:
        raise EventLogError(f"adopt data: unknown key(s) {_short(unknown)}", position)
    status = data.get("status")
    if not isinstance(status, str) or status not in c.table:
        raise EventLogError(f"adopt data: status {_short(status)} is not a status", position)
    instants: dict[str, datetime | None] = {}
    for key in ("since", "created_at"):
        value = data.get(key)
        if key == "since" and value is None:
            raise EventLogError("adopt data: missing 'since'", position)
        instants[key] = None if value is None else _instant_in(value, f"adopt {key}", position)
    since = instants["since"]
    assert since is not None
    try:
        return adopt(
            c,
            status,
            since,
            ev.at,
            ident,
            data.get("attrs"),
            instants["created_at"],
            data.get("slas"),
        )
    except (InstantError, OutOfOrderError, ArgumentError, EventDataError) as exc:
        raise EventLogError(f"adopt: {exc}", position) from None


def _instant_in(value: object, what: str, position: int) -> datetime:
    """An aware datetime given as one or as ISO 8601 text with an offset."""
    if isinstance(value, str):
        value = _event_at(value, position, what)
    try:
        return check_aware(value, what)
    except InstantError as exc:
        raise EventLogError(str(exc), position) from None


def replay(
    c: Tables,
    events: Iterable[Event | Mapping[str, Any]],
    max_steps: int = MAX_STEPS,
) -> Outcome:
    max_steps = _check_max_steps(max_steps)
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Iterable):
        raise EventLogError(f"expected an iterable of events, got {_short(events)}", 0)
    steps: list[Step] = []
    effects: list[Effect] = []
    ticket: Ticket | None = None
    for position, entry in enumerate(events):
        ev, ident = _event_in(entry, position)
        if position == 0:
            if ev.name not in ("start", "adopt"):
                raise EventLogError(
                    f"a log begins with 'start' or 'adopt', not {ev.name!r}", position
                )
            try:
                if ev.name == "start":
                    out = start(c, ev.at, ident, ev.data)
                else:
                    out = _adopt_entry(c, ev, ident, position)
            except AttrsError as exc:
                raise EventLogError(f"data: {exc}", position) from None
        elif ev.name in ("start", "adopt"):
            raise EventLogError(f"{ev.name!r} may only come first", position)
        else:
            assert ticket is not None
            out = apply(c, ticket, ev.name, ev.at, ev.actor, ev.data, max_steps)
        ticket = out.ticket
        steps.extend(out.steps)
        effects.extend(out.effects)
    if ticket is None:
        raise EventLogError("the log is empty", 0)
    return make_outcome(ticket, tuple(steps), tuple(effects))
