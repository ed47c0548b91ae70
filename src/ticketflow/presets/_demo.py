"""Scripted lives of a ticket in each preset, played on the engine and shown as a table.

Every instant is written out in the script: nothing reads the clock. Between
two scripted events the player fires the ticket's deadlines one instant at a
time (``Workflow.advance``), so each timed move, reminder and SLA breach gets
its own row at the moment it fell due.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from attrs import field, frozen

import ticketflow as tf

from ._common import canonical

__all__ = ["SCRIPTS", "Act", "Row", "Script", "Timeline", "play", "run", "table"]


@frozen
class Act:
    """One scripted moment: an event sent, or (``event=None``) time passing.

    Attributes:
        at: When it happens.
        event: The event sent, or None to let the ticket's deadlines fire up to ``at``.
        actor: Who sends it.
        data: The event's payload.
    """

    at: datetime
    event: str | None = None
    actor: str | None = None
    data: Mapping[str, Any] | None = field(default=None, eq=False)


@frozen
class Script:
    """A preset's scripted ticket.

    Attributes:
        preset: The preset's name.
        title: One line on what the script shows.
        zone: The zone times are shown in.
        start: When the ticket is created.
        ticket_id: The ticket's id.
        acts: What happens next, in time order.
        overrides: Keyword overrides for the preset's factory.
        attrs: The ticket's attributes.
    """

    preset: str
    title: str
    zone: str
    start: datetime
    ticket_id: str
    acts: tuple[Act, ...]
    overrides: Mapping[str, Any] = field(factory=dict, eq=False)
    attrs: Mapping[str, Any] = field(factory=dict, eq=False)


def _at(zone: str) -> Any:
    tz = ZoneInfo(zone)

    def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
        return datetime(y, mo, d, h, mi, tzinfo=tz)

    return at


def _case_portal() -> Script:
    at = _at("Europe/Amsterdam")
    return Script(
        preset="case-portal",
        title="Days counted in Europe/Amsterdam across the end of DST (Sun 25 Oct 2026)",
        zone="Europe/Amsterdam",
        overrides={"timezone": "Europe/Amsterdam"},
        start=at(2026, 10, 19, 9, 12),
        ticket_id="CASE-1042",
        attrs={"product": "Payroll"},
        acts=(
            Act(at(2026, 10, 19, 9, 40), "assign", "agent"),
            Act(at(2026, 10, 20, 14), "wait_for", "agent", {"entity": "Acme Payments"}),
            Act(at(2026, 10, 21, 16, 30), "customer_update", "customer"),
            Act(at(2026, 10, 22, 10), "request_info", "agent"),
            Act(at(2026, 10, 30, 12)),
            Act(at(2026, 11, 2, 9), "customer_update", "customer"),
        ),
    )


def _client_portal() -> Script:
    at = _at("Europe/London")
    return Script(
        preset="client-portal",
        title="A ticket in Europe/London across the start of BST (Sun 29 Mar 2026)",
        zone="Europe/London",
        overrides={"timezone": "Europe/London"},
        start=at(2026, 3, 27, 16),
        ticket_id="T-2031",
        acts=(
            Act(at(2026, 3, 27, 16, 20), "attach", "customer"),
            Act(at(2026, 3, 30, 9), "request_info", "agent"),
            Act(at(2026, 3, 30, 13), "customer_message", "customer"),
            Act(at(2026, 3, 30, 14), "start_work", "agent"),
            Act(at(2026, 3, 31, 11), "close", "agent"),
            Act(at(2026, 4, 1, 8, 30), "customer_message", "customer"),
        ),
    )


def _help_center() -> Script:
    at = _at("Europe/Madrid")
    return Script(
        preset="help-center",
        title="Working days in Madrid around 8 Dec (Inmaculada) and 25 Dec 2026",
        zone="Europe/Madrid",
        start=at(2026, 12, 1, 10),
        ticket_id="HC-310",
        acts=(
            Act(at(2026, 12, 1, 12, 30), "reply", "agent"),
            Act(at(2026, 12, 4, 9, 30), "customer_reply", "customer"),
            Act(at(2026, 12, 4, 11), "escalate_it", "agent"),
            Act(at(2026, 12, 15, 16), "reply", "agent"),
            Act(at(2026, 12, 31, 12)),
            Act(at(2027, 1, 4, 10, 15), "customer_reply", "customer"),
        ),
    )


def _hosting_support() -> Script:
    at = _at("America/New_York")
    return Script(
        preset="hosting-support",
        title="A billing ticket in ET over Thanksgiving (Thu 26 Nov 2026)",
        zone="America/New_York",
        start=at(2026, 11, 25, 16, 55),
        ticket_id="HS-7781",
        attrs={"department": "billing", "priority": "medium"},
        acts=(
            Act(at(2026, 11, 27, 9, 5), "agent_reply", "agent"),
            Act(at(2026, 11, 27, 16, 50), "customer_reply", "customer"),
            Act(at(2026, 11, 30, 9, 30), "agent_reply", "agent"),
            Act(at(2026, 11, 30, 10), "close", "customer"),
            Act(at(2026, 11, 30, 10, 5), "rate", "customer", {"stars": 4}),
        ),
    )


def _pending_states() -> Script:
    at = _at("Europe/Berlin")
    return Script(
        preset="pending-states",
        title="Pending times in Europe/Berlin across the start of summer time (Sun 29 Mar 2026)",
        zone="Europe/Berlin",
        overrides={"timezone": "Europe/Berlin"},
        start=at(2026, 3, 26, 9),
        ticket_id="ZN-4711",
        acts=(
            Act(at(2026, 3, 26, 9, 30), "open", "agent"),
            Act(
                at(2026, 3, 26, 16),
                "set_pending_reminder",
                "agent",
                {"pending_until": at(2026, 3, 28, 9)},
            ),
            # moved once, to an instant written in UTC: 07:00 UTC is 09:00 CEST
            Act(
                at(2026, 3, 27, 17),
                "set_pending_time",
                "agent",
                {"pending_until": "2026-03-30T07:00:00+00:00"},
            ),
            Act(
                at(2026, 3, 30, 10),
                "set_pending_auto_close_plus",
                "agent",
                {"pending_until": at(2026, 4, 2, 12)},
            ),
            Act(at(2026, 4, 3, 9)),
        ),
    )


def _service_desk() -> Script:
    at = _at("Europe/Paris")
    return Script(
        preset="service-desk",
        title="48 real hours in Europe/Paris across the start of DST (Sun 29 Mar 2026)",
        zone="Europe/Paris",
        overrides={"timezone": "Europe/Paris"},
        start=at(2026, 3, 16, 9),
        ticket_id="SD-88",
        acts=(
            Act(at(2026, 3, 16, 10), "start_processing", "agent"),
            Act(at(2026, 3, 17, 11), "request_info", "agent"),
            Act(at(2026, 3, 23, 15), "customer_reply", "customer"),
            Act(at(2026, 3, 28, 10), "resolve", "agent"),
            Act(at(2026, 4, 2, 9), "customer_reply", "customer"),
            Act(at(2026, 4, 2, 9, 30), "start_processing", "agent"),
            Act(at(2026, 4, 2, 12), "resolve", "agent"),
            Act(at(2026, 4, 6, 9)),
        ),
    )


def _zendesk_sla() -> Script:
    at = _at("America/New_York")
    return Script(
        preset="zendesk-sla",
        title="A normal-priority ticket in New York across the end of DST (Sun 1 Nov 2026)",
        zone="America/New_York",
        start=at(2026, 10, 30, 15),
        ticket_id="ZD-1101",
        attrs={"priority": "normal"},
        acts=(
            Act(at(2026, 10, 30, 15, 20), "internal_note", "agent"),
            Act(at(2026, 11, 2, 16, 30), "agent_reply", "agent"),
            Act(at(2026, 11, 3, 10), "customer_comment", "customer"),
            Act(at(2026, 11, 3, 11), "request_info", "agent"),
            Act(at(2026, 11, 4, 9, 30), "customer_comment", "customer"),
            Act(at(2026, 11, 4, 11), "solve", "agent"),
            Act(at(2026, 11, 8, 12)),
        ),
    )


#: The scripted ticket of each preset, by preset name.
SCRIPTS: dict[str, Script] = {
    s.preset: s
    for s in (
        _case_portal(),
        _client_portal(),
        _help_center(),
        _hosting_support(),
        _pending_states(),
        _service_desk(),
        _zendesk_sla(),
    )
}

_HEADER = ("time", "event", "actor", "status", "effects", "next deadline")
#: The rejections a timeline shows as a row: the ticket refused the event. Any other
#: error (a callable that fails, a step limit) ends the timeline.
_REFUSALS = (tf.TransitionError, tf.EventDataError, tf.AttrsError, tf.OutOfOrderError)


@frozen
class Row:
    """One row of a timeline: an event applied (or refused), or a reminder or breach.

    Attributes:
        at: When it happened.
        event: The event, or "" for a reminder or an SLA breach.
        actor: Who sent it ("-" for nobody named, "system" for what fell due).
        status: The status after it (with the sub-status on an outcome's last row).
        effects: The effects it emitted, as shown ("rejected" for a refused event).
        last: The last row of an outcome, which shows the next deadline.
        next_deadline: On an outcome's last row, the ticket's next deadline and
            what falls due then (None when nothing is pending).
    """

    at: datetime
    event: str
    actor: str
    status: str
    effects: tuple[str, ...]
    last: bool = False
    next_deadline: tuple[datetime, str] | None = None


@frozen
class Timeline:
    """A ticket's life played on the engine.

    Attributes:
        rows: What happened, in time order.
        rejected: Each refused event's error, as ``Type: message``.
        ticket: The ticket at the end.
        clocks: Its SLA clocks at the end (as of its last change).
    """

    rows: tuple[Row, ...]
    rejected: tuple[str, ...]
    ticket: tf.Ticket
    clocks: tuple[tf.SlaClock, ...]


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")


#: The effects of what falls due (not of an event): each gets a row of its own.
_TIMED = ("reminder", "sla_breach", "sla_warning", "sla_escalation")
#: How the next-deadline column names an agenda item of each kind.
_DUE_SHOWN = {
    "reminder": "reminder",
    "sla_breach": "SLA",
    "sla_warning": "warning",
    "sla_escalation": "escalation",
}


def _effect(e: tf.Effect) -> str:
    if e.kind == "follow_up":
        return "follow_up (new case)"
    if e.kind in _TIMED:
        level = e.data.get("level") if e.data else None
        return f"{e.kind} {e.name}" + ("" if level is None else f" {level}")
    return e.kind


def _next(ticket: tf.Ticket) -> tuple[datetime, str] | None:
    if not ticket.agenda:
        return None
    due = ticket.agenda[0]
    if due.kind == "timer":
        return due.at, due.name
    if due.kind == "reminder":
        return due.at, "reminder"
    return due.at, f"{_DUE_SHOWN[due.kind]} {due.name}"


def _rows(out: tf.Outcome, status: str) -> list[Row]:
    """One row per step and per reminder or breach, in the order they happened."""
    timed: list[tuple[datetime, int, int, Row]] = []
    for i, e in enumerate(out.effects):
        if e.kind in _TIMED:
            assert e.at is not None
            timed.append(
                (e.at.astimezone(UTC), 0, i, Row(e.at, "", "system", status, (_effect(e),)))
            )
    for i, s in enumerate(out.steps):
        effects = tuple(
            _effect(e)
            for e in out.effects
            if e.kind not in _TIMED and e.name == s.event and e.at == s.at
        )
        timed.append(
            (s.at.astimezone(UTC), 1, i, Row(s.at, s.event, s.actor or "-", s.target, effects))
        )
    timed.sort(key=lambda item: item[:3])
    rows = [row for *_, row in timed]
    if rows:
        last = rows[-1]
        shown = last.status
        if out.ticket.sub_status and last.status == out.ticket.status:
            shown = f"{out.ticket.status} ({out.ticket.sub_status})"
        rows[-1] = attrs.evolve(last, status=shown, last=True, next_deadline=_next(out.ticket))
    return rows


def run(wf: tf.Workflow, first: tf.Outcome, acts: Iterable[Act]) -> Timeline:
    """Play ``acts`` on the ticket ``first`` made, firing deadlines as they fall due.

    Before each act, every deadline up to its time fires at its own instant;
    an event the ticket refuses is a "rejected" row and the play goes on.

    Raises:
        TicketflowError: any error but a refusal of an event (a failing
            callable, a step limit), and whatever a caller's callable raises.
    """
    rows = _rows(first, first.ticket.status)
    ticket = first.ticket
    rejected: list[str] = []
    for act in acts:
        limit = act.at.astimezone(UTC)
        while ticket.next_deadline is not None and ticket.next_deadline.astimezone(UTC) <= limit:
            out = wf.advance(ticket, now=ticket.next_deadline)
            rows += _rows(out, ticket.status)
            ticket = out.ticket
        if act.event is None:
            continue
        try:
            out = wf.apply(ticket, act.event, at=act.at, actor=act.actor, data=act.data)
        except _REFUSALS as exc:
            rows.append(Row(act.at, act.event, act.actor or "-", ticket.status, ("rejected",)))
            rejected.append(f"{type(exc).__name__}: {exc}")
            continue
        rows += _rows(out, ticket.status)
        ticket = out.ticket
    clocks = wf.sla(ticket, now=ticket.updated_at) if ticket.slas else ()
    return Timeline(tuple(rows), tuple(rejected), ticket, clocks)


def _shown_next(row: Row, tz: ZoneInfo) -> str:
    if not row.last:
        return ""
    if row.next_deadline is None:
        return "-"
    at, what = row.next_deadline
    return f"{_when(at, tz)} {what}"


def table(timeline: Timeline, tz: ZoneInfo) -> list[str]:
    """The timeline as the lines ``ticketflow demo`` prints, times shown in ``tz``.

    A table with a row for each event and each reminder or breach, then any
    rejected event and the SLA clocks at the end.
    """
    cells = [
        [_when(r.at, tz), r.event, r.actor, r.status, ", ".join(r.effects), _shown_next(r, tz)]
        for r in timeline.rows
    ]
    widths = [max(len(r[i]) for r in [_HEADER, *cells]) for i in range(len(_HEADER))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

    lines = [line(_HEADER), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    lines += [f"rejected: {r}" for r in timeline.rejected]
    for c in timeline.clocks:
        used = int(c.elapsed.total_seconds() // 60)
        lines.append(f"SLA {c.name}: {c.state}, {used} of {c.target} counted")
    return lines


def play(name: str) -> list[str]:
    """The lines of the demo of preset ``name``: a header and the timeline table.

    Raises:
        UnknownPresetError: naming ``name`` when there is no such preset.
    """
    from . import get  # noqa: PLC0415 - ticketflow.presets imports this module: a cycle at import

    key = canonical(name)
    if key not in SCRIPTS:
        get(name)  # raises UnknownPresetError naming it
    script = SCRIPTS[key]
    wf = get(key, **script.overrides)
    first = wf.start(at=script.start, id=script.ticket_id, attrs=script.attrs)
    lines = [f"{wf.name}: {wf.description}", f"{script.title}; times in {script.zone}.", ""]
    return lines + table(run(wf, first, script.acts), ZoneInfo(script.zone))
