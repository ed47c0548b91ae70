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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import _sla
from ._calendar import ALWAYS_OPEN, BusinessCalendar
from ._errors import (
    CalendarError,
    EventLogError,
    GuardRejected,
    NotPermitted,
    OutOfOrderError,
    SnapshotError,
    TransitionError,
)
from ._ticket import Context, Due, Effect, Event, Outcome, SlaState, Step, Ticket, check_aware

if TYPE_CHECKING:
    from ._workflow import Transition, Workflow, _Compiled

SYSTEM = "system"


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _calendar(wf: Workflow, spec: object, attrs: Mapping[str, Any]) -> BusinessCalendar:
    if spec is None:
        spec = wf.calendar
    if spec is None:
        return ALWAYS_OPEN
    if isinstance(spec, BusinessCalendar):
        return spec
    cal = spec(attrs)  # type: ignore[operator]
    if not isinstance(cal, BusinessCalendar):
        raise CalendarError(f"calendar callable returned {cal!r}, not a BusinessCalendar")
    return cal


class _Run:
    """Accumulates the steps and effects of one engine call."""

    __slots__ = ("c", "effects", "steps", "wf")

    def __init__(self, wf: Workflow, c: _Compiled) -> None:
        self.wf = wf
        self.c = c
        self.steps: list[Step] = []
        self.effects: list[Effect] = []

    def outcome(self, ticket: Ticket) -> Outcome:
        return Outcome(ticket, tuple(self.steps), tuple(self.effects))

    # --- arming timers and SLA clocks ------------------------------------------------------

    def timer_items(self, status: str, at: datetime, attrs: Mapping[str, Any]) -> list[Due]:
        items: list[Due] = []
        wf = self.wf
        for i in self.c.timers_by_status[status]:
            tm = wf.timers[i]
            cal = _calendar(wf, tm.calendar, attrs)
            deadline = cal.add(at, tm.after)
            items.append(Due(deadline, "timer", tm.event, i))
            if not (tm.reminders or tm.remind_before):
                continue
            start, end = _utc(at), _utc(deadline)
            for j, r in enumerate(tm.reminders):
                when = cal.add(at, r)
                if start < _utc(when) < end:
                    items.append(Due(when, "reminder", tm.event, i, j))
            base = len(tm.reminders)
            for k, b in enumerate(tm.remind_before):
                when = cal.subtract(deadline, b)
                if start < _utc(when) < end:
                    items.append(Due(when, "reminder", tm.event, i, base + k))
        return items

    def sla_cal(self, state: SlaState, attrs: Mapping[str, Any]) -> BusinessCalendar:
        return _calendar(self.wf, self.wf.slas[state.index].calendar, attrs)

    def new_slas(self, at: datetime, status: str, attrs: Mapping[str, Any]) -> tuple[SlaState, ...]:
        out: list[SlaState] = []
        seen: set[str] = set()
        category = self.c.categories[status]
        for index, sla in enumerate(self.wf.slas):
            if sla.name in seen or not sla.matches(attrs):
                continue
            seen.add(sla.name)
            if sla.start_on is not None:
                out.append(_sla.unstarted(sla, index))
                continue
            cal = _calendar(self.wf, sla.calendar, attrs)
            paused = category in self.c.pausing[index]
            state = _sla.start_clock(sla, index, cal, at, paused)
            if category == "closed":
                state = _sla.stop(sla, cal, state, at)
            out.append(state)
        return tuple(out)

    def move_slas(
        self, ticket: Ticket, event: str, at: datetime, status: str
    ) -> tuple[SlaState, ...]:
        if not ticket.slas:
            return ()
        category = self.c.categories[status]
        out: list[SlaState] = []
        for st in ticket.slas:
            sla = self.wf.slas[st.index]
            cal = self.sla_cal(st, ticket.attrs)
            pausing = category in self.c.pausing[st.index]
            if not st.started:
                if event == sla.start_on:
                    st = _sla.start_clock(sla, st.index, cal, at, pausing)
            else:
                if event in sla.stop_on:
                    st = _sla.stop(sla, cal, st, at)
                if event in sla.restart_on and (st.stopped or st.breached):
                    st = _sla.start_clock(sla, st.index, cal, at, pausing)
            if category == "closed":
                st = _sla.stop(sla, cal, st, at)
            elif pausing:
                st = _sla.pause(sla, cal, st, at)
            else:
                st = _sla.resume(sla, cal, st, at)
            out.append(st)
        return tuple(out)


def _sla_items(slas: tuple[SlaState, ...]) -> list[Due]:
    return [
        Due(st.due_at, "sla_breach", st.name, slot)
        for slot, st in enumerate(slas)
        if st.due_at is not None
        and st.running_since is not None
        and not st.breached
        and not st.stopped
    ]


def _sort_key(d: Due) -> tuple[datetime, int, int, int]:
    return d.sort_key


def _agenda(items: list[Due]) -> tuple[Due, ...]:
    if len(items) < 2:
        return tuple(items)
    return tuple(sorted(items, key=_sort_key))


# --- public operations -------------------------------------------------------------------


def start(
    wf: Workflow,
    c: _Compiled,
    at: datetime,
    id: str | None,
    attrs: Mapping[str, Any] | None,
) -> Outcome:
    check_aware(at, "at")
    if id is not None and not isinstance(id, str):
        raise TypeError(f"id must be a string or None, got {id!r}")
    attrs = dict(attrs) if attrs else {}
    run = _Run(wf, c)
    status = c.initial
    slas = run.new_slas(at, status, attrs)
    agenda = _agenda([*run.timer_items(status, at, attrs), *_sla_items(slas)])
    ticket = Ticket(
        id=id,
        workflow=wf.name,
        status=status,
        sub_status=None,
        version=1,
        created_at=at,
        updated_at=at,
        status_since=at,
        timers_since=at,
        attrs=attrs,
        agenda=agenda,
        slas=slas,
    )
    run.steps.append(Step("start", None, status, at, None))
    return run.outcome(ticket)


def _check_ticket(wf: Workflow, c: _Compiled, ticket: Ticket) -> None:
    """Reject a ticket that this workflow cannot have produced (e.g. a stale snapshot)."""
    if not isinstance(ticket, Ticket):
        raise TypeError(f"expected a Ticket, got {ticket!r}")
    if ticket.status not in c.table:
        raise TransitionError(
            ticket.status, "", (), f"ticket is in unknown status {ticket.status!r}"
        )
    slas = wf.slas
    for st in ticket.slas:
        if st.index >= len(slas) or slas[st.index].name != st.name:
            raise SnapshotError(
                f"SLA clock {st.name!r} (#{st.index}) is not in workflow {wf.name!r}", "slas"
            )
    timers = wf.timers
    for d in ticket.agenda:
        if d.kind == "sla_breach":
            known = d.index < len(ticket.slas) and ticket.slas[d.index].name == d.name
        else:
            known = d.index < len(timers) and timers[d.index].event == d.name
        if not known:
            raise SnapshotError(
                f"{d.kind} {d.name!r} (#{d.index}) is not in workflow {wf.name!r}", "agenda"
            )


def _catch_up(run: _Run, ticket: Ticket, now: datetime) -> Ticket:
    limit = _utc(now)
    while ticket.agenda and _utc(ticket.agenda[0].at) <= limit:
        ticket = _fire(run, ticket, ticket.agenda[0])
    return ticket


def _fire(run: _Run, ticket: Ticket, item: Due) -> Ticket:
    rest = ticket.agenda[1:]
    at = item.at
    if item.kind == "reminder":
        deadline = next((d.at for d in rest if d.kind == "timer" and d.index == item.index), None)
        run.effects.append(
            Effect("reminder", item.name, at, {"status": ticket.status, "deadline": deadline})
        )
        return _evolve(ticket, at, agenda=rest)
    if item.kind == "sla_breach":
        slas = list(ticket.slas)
        slas[item.index] = _sla.breach(slas[item.index])
        state = slas[item.index]
        run.effects.append(
            Effect("sla_breach", item.name, at, {"target": run.wf.slas[state.index].target})
        )
        return _evolve(ticket, at, agenda=rest, slas=tuple(slas))
    # a timer: send its event as the system, at the moment it fell due
    ctx = Context(item.name, at, SYSTEM, None)
    cands = run.c.table[ticket.status].get(item.name, ())
    for t in cands:
        if t.permits(SYSTEM) and (t.guard is None or t.guard(ticket, ctx)):
            return _perform(run, ticket, t, ctx)
    # every candidate's guard said no: the timer is spent until the status is re-entered
    return _evolve(ticket, at, agenda=rest)


def _evolve(
    ticket: Ticket,
    at: datetime,
    *,
    agenda: tuple[Due, ...],
    slas: tuple[SlaState, ...] | None = None,
) -> Ticket:
    return Ticket(
        id=ticket.id,
        workflow=ticket.workflow,
        status=ticket.status,
        sub_status=ticket.sub_status,
        version=ticket.version + 1,
        created_at=ticket.created_at,
        updated_at=at,
        status_since=ticket.status_since,
        timers_since=ticket.timers_since,
        attrs=ticket.attrs,
        agenda=agenda,
        slas=ticket.slas if slas is None else slas,
    )


def _perform(run: _Run, ticket: Ticket, t: Transition, ctx: Context) -> Ticket:
    at = ctx.at
    assert at is not None
    source = ticket.status
    entering = t.target is not None
    status = t.target if t.target is not None else source
    if t.sub_status is not None:
        sub = t.sub_status if isinstance(t.sub_status, str) else t.sub_status(ticket, ctx)
    else:
        sub = None if entering else ticket.sub_status
    restart = entering or t.restarts_timers
    slas = run.move_slas(ticket, t.event, at, status) if ticket.slas else ()
    if restart:
        timers = run.timer_items(status, at, ticket.attrs) if run.c.timers_by_status[status] else []
    else:
        timers = [d for d in ticket.agenda if d.kind != "sla_breach"]
    if slas:
        timers.extend(_sla_items(slas))
    # positional: the field order of Ticket (faster than keywords on this hot path)
    new = Ticket(
        ticket.id,
        ticket.workflow,
        status,
        sub,
        ticket.version + 1,
        ticket.created_at,
        at,
        at if entering else ticket.status_since,
        at if restart else ticket.timers_since,
        ticket.attrs,
        _agenda(timers),
        slas,
    )
    run.steps.append(Step(t.event, source, status, at, ctx.actor))
    for tpl in t.effects:
        name = tpl.name if tpl.name is not None else t.event
        if tpl.kind == "follow_up":
            attrs = {**ticket.attrs, "follow_up_of": ticket.id}
            child = start(run.wf, run.c, at, None, attrs).ticket
            data: dict[str, Any] = {**(tpl.data or {}), "ticket": child, "parent": ticket.id}
        else:
            data = dict(tpl.data) if tpl.data else {}
        run.effects.append(Effect(tpl.kind, name, at, data or None))
    return new


def _select(c: _Compiled, ticket: Ticket, event: str, ctx: Context) -> Transition:
    cands = c.table[ticket.status].get(event)
    if not cands:
        raise TransitionError(ticket.status, event, tuple(sorted(c.table[ticket.status])))
    actor = ctx.actor
    if len(cands) == 1:
        t = cands[0]
        if (t.roles is None or actor in t.roles) and (t.guard is None or t.guard(ticket, ctx)):
            return t
    permitted = [t for t in cands if t.roles is None or actor in t.roles]
    if not permitted:
        roles: set[str] = set()
        for t in cands:
            roles |= t.roles or set()
        raise NotPermitted(
            ticket.status, event, ctx.actor, roles, tuple(sorted(c.table[ticket.status]))
        )
    for t in permitted:
        if t.guard is None or t.guard(ticket, ctx):
            return t
    raise GuardRejected(
        ticket.status,
        event,
        [getattr(t.guard, "__name__", repr(t.guard)) for t in permitted],
        tuple(sorted(c.table[ticket.status])),
    )


def apply(
    wf: Workflow,
    c: _Compiled,
    ticket: Ticket,
    event: str,
    at: datetime,
    actor: str | None,
    data: Mapping[str, Any] | None,
) -> Outcome:
    check_aware(at, "at")
    _check_ticket(wf, c, ticket)
    at_utc = at.astimezone(UTC)
    if at_utc < ticket.updated_at.astimezone(UTC):
        raise OutOfOrderError(at, ticket.updated_at)
    run = _Run(wf, c)
    agenda = ticket.agenda
    current = _catch_up(run, ticket, at) if agenda and agenda[0].at <= at_utc else ticket
    ctx = Context(event, at, actor, data)
    t = _select(c, current, event, ctx)
    return run.outcome(_perform(run, current, t, ctx))


def advance(wf: Workflow, c: _Compiled, ticket: Ticket, now: datetime) -> Outcome:
    check_aware(now, "now")
    _check_ticket(wf, c, ticket)
    run = _Run(wf, c)
    return run.outcome(_catch_up(run, ticket, now))


def allowed(
    wf: Workflow,
    c: _Compiled,
    ticket: Ticket,
    actor: str | None,
    at: datetime | None,
) -> tuple[str, ...]:
    _check_ticket(wf, c, ticket)
    if at is not None:
        check_aware(at, "at")
        if _utc(at) >= _utc(ticket.updated_at):
            ticket = _catch_up(_Run(wf, c), ticket, at)
    out: list[str] = []
    for event, cands in c.table[ticket.status].items():
        ctx = Context(event, at, actor, None)
        if any(t.permits(actor) and (t.guard is None or t.guard(ticket, ctx)) for t in cands):
            out.append(event)
    return tuple(sorted(out))


def sla_clocks(
    wf: Workflow, c: _Compiled, ticket: Ticket, now: datetime
) -> tuple[_sla.SlaClock, ...]:
    check_aware(now, "now")
    _check_ticket(wf, c, ticket)
    if _utc(now) < _utc(ticket.updated_at):
        raise OutOfOrderError(now, ticket.updated_at)
    run = _Run(wf, c)
    ticket = _catch_up(run, ticket, now)
    return tuple(
        _sla.clock(wf.slas[st.index], run.sla_cal(st, ticket.attrs), st, now)
        for st in ticket.slas
        if st.started
    )


def _event_in(entry: Event | Mapping[str, Any], position: int) -> tuple[Event, str | None]:
    if isinstance(entry, Event):
        return entry, None
    if not isinstance(entry, Mapping):
        raise EventLogError(f"expected an Event or a mapping, got {entry!r}", position)
    unknown = set(entry) - {"name", "at", "actor", "data", "id"}
    if unknown:
        raise EventLogError(f"unknown key(s) {sorted(unknown)}", position)
    for key in ("name", "at"):
        if key not in entry:
            raise EventLogError(f"missing {key!r}", position)
    if not isinstance(entry["name"], str):
        raise EventLogError(f"name must be a string, got {entry['name']!r}", position)
    at = entry["at"]
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            raise EventLogError(f"at={at!r} is not an ISO datetime", position) from None
    if not isinstance(at, datetime):
        raise EventLogError(f"at must be a datetime, got {at!r}", position)
    return Event(entry["name"], at, entry.get("actor"), entry.get("data")), entry.get("id")


def replay(wf: Workflow, c: _Compiled, events: Iterable[Event | Mapping[str, Any]]) -> Outcome:
    steps: list[Step] = []
    effects: list[Effect] = []
    ticket: Ticket | None = None
    for position, entry in enumerate(events):
        ev, ident = _event_in(entry, position)
        if position == 0:
            if ev.name != "start":
                raise EventLogError(f"a log begins with 'start', not {ev.name!r}", position)
            out = start(wf, c, ev.at, ident, ev.data)
        elif ev.name == "start":
            raise EventLogError("'start' may only come first", position)
        else:
            assert ticket is not None
            out = apply(wf, c, ticket, ev.name, ev.at, ev.actor, ev.data)
        ticket = out.ticket
        steps.extend(out.steps)
        effects.extend(out.effects)
    if ticket is None:
        raise EventLogError("the log is empty", 0)
    return Outcome(ticket, tuple(steps), tuple(effects))
