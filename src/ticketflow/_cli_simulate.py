"""``ticketflow simulate FILE EVENTS.jsonl``: the ``demo`` timeline for any workflow and log.

EVENTS.jsonl holds one JSON object per line with the keys
:meth:`~ticketflow.Workflow.replay` takes (``name``, ``at`` as ISO 8601 with
an offset, ``actor``, ``data``), the first named ``start`` or ``adopt``;
blank lines are skipped. The ticket is started (or adopted) as the first
line says; before each later event every deadline up to its time fires at
its own instant, as in ``ticketflow demo``, and an event the ticket refuses
is shown as a rejected row. The file's callables are needed only when the
log reaches them: one that no ``--registry`` gives ends the run with an
error naming it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._calendar import BusinessCalendar
from ._cli_input import (
    add_file_command,
    add_registry_option,
    import_registry,
    read_failure,
    read_workflow,
    say,
)
from ._durations import describe
from ._engine import _event_in
from ._errors import EventLogError, LoadError, TicketflowError
from ._loading import decode, read_bytes
from ._workflow import Workflow
from .presets._demo import Act, Row, Timeline, run, table

__all__ = ["add_command"]

EXITS = """\
  0  the log was played (events the ticket refused are shown as rejected rows)
  1  the file or the log cannot be read, a log line is malformed, or the log
     reaches a callable that no --registry gives (or that fails)
  2  usage error, an unknown --zone, a bad --until, or --registry cannot be
     imported"""


def add_command(commands: Any) -> None:
    """Add ``simulate`` to the ``ticketflow`` command."""
    parser = add_file_command(
        commands,
        "simulate",
        help="play an event log through a workflow and print its timeline",
        description=(
            "Play EVENTS.jsonl (one JSON object per line with name, at as ISO 8601 with "
            "an offset, actor and data; the first named start or adopt) through a "
            "workflow file or preset:NAME, firing timers, reminders and SLA breaches as "
            "they fall due, and print the timeline as 'ticketflow demo' does."
        ),
        exits=EXITS,
    )
    parser.add_argument("file", metavar="FILE", help="a workflow file or preset:NAME")
    parser.add_argument("events", metavar="EVENTS.jsonl", help="the event log")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--until",
        metavar="AT",
        help="after the log, fire what falls due up to AT (ISO 8601 with an offset)",
    )
    parser.add_argument(
        "--zone",
        help="the time zone times are shown in (default: the workflow calendar's, else UTC)",
    )
    add_registry_option(parser)
    parser.set_defaults(run=_run)


class _Failed(Exception):
    """Ends the command: the line to say and the exit status."""

    def __init__(self, line: str, status: int) -> None:
        self.line = line
        self.status = status
        super().__init__(line)


def _run(args: argparse.Namespace) -> int:
    try:
        registry = import_registry(args.registry)
    except LoadError as exc:
        say(str(exc))
        return 2
    try:
        wf = read_workflow(args.file, registry)
    except TicketflowError as exc:
        say(read_failure(args.file, exc))
        return 1
    try:
        tz = _zone(args.zone, wf)
        until = _until(args.until)
        timeline = _play(wf, args.events, _entries(args.events), until)
    except _Failed as failed:
        say(failed.line)
        return failed.status
    if args.json:
        print(json.dumps(_json(wf, timeline, tz), indent=2, ensure_ascii=False))
    else:
        title = f"{wf.name}: {wf.description}" if wf.description else wf.name
        print("\n".join([title, f"Times in {tz.key}.", "", *table(timeline, tz)]))
    return 0


def _zone(name: str | None, wf: Workflow) -> ZoneInfo:
    if name is None:
        cal = wf.calendar
        name = cal.timezone if isinstance(cal, BusinessCalendar) else "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _Failed(f"--zone {name!r}: unknown time zone", 2) from None


def _until(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise _Failed(f"--until {text!r}: not an ISO 8601 date and time", 2) from None
    if at.tzinfo is None:
        raise _Failed(f"--until {text!r}: give a UTC offset (e.g. {text}+00:00)", 2)
    return at


def _entries(events: str) -> list[tuple[int, dict[str, Any]]]:
    """``(line number, JSON object)`` for each non-blank line of the log."""
    path = Path(events)
    try:
        text = decode(path, read_bytes(path))
    except LoadError as exc:
        raise _Failed(str(exc), 1) from None
    entries: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            entries.append((number, _object(line, f"{events}:{number}")))
    if not entries:
        raise _Failed(f"{events}: the log is empty (its first line must be start or adopt)", 1)
    return entries


def _object(line: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(line, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise _Failed(f"{where}: not valid JSON: {exc.msg} (column {exc.colno})", 1) from None
    except RecursionError:
        raise _Failed(f"{where}: nested too deeply", 1) from None
    except ValueError as exc:  # a duplicate key, NaN, or a number too long for Python
        raise _Failed(f"{where}: {exc}", 1) from None
    if not isinstance(value, dict):
        raise _Failed(f"{where}: expected a JSON object, got {type(value).__name__}", 1)
    return value


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _play(
    wf: Workflow,
    events: str,
    entries: Sequence[tuple[int, dict[str, Any]]],
    until: datetime | None,
) -> Timeline:
    first_line, first = entries[0]
    try:
        started = wf.replay([first])
    except EventLogError as exc:
        raise _Failed(f"{events}:{first_line}: {_detail(exc)}", 1) from None
    except TicketflowError as exc:  # a callable the start reaches
        raise _Failed(f"{events}:{first_line}: {exc}", 1) from None
    acts: list[tuple[int, Act]] = []
    for position, (number, entry) in enumerate(entries[1:], start=1):
        try:
            event, _ = _event_in(entry, position)
        except EventLogError as exc:
            raise _Failed(f"{events}:{number}: {_detail(exc)}", 1) from None
        if event.name in ("start", "adopt"):
            raise _Failed(f"{events}:{number}: {event.name!r} may only come first", 1)
        acts.append((number, Act(event.at, event.name, event.actor, event.data)))
    if until is not None:
        acts.append((entries[-1][0], Act(until)))
    reached = [first_line]

    def played() -> Iterator[Act]:
        for number, act in acts:
            reached[0] = number
            yield act

    try:
        return run(wf, started, played())
    except TicketflowError as exc:  # a callable the log reaches, a step limit
        raise _Failed(f"{events}:{reached[0]}: {type(exc).__name__}: {exc}", 1) from None


def _detail(exc: EventLogError) -> str:
    return str(exc).removeprefix(f"event {exc.position}: ")


def _json(wf: Workflow, timeline: Timeline, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "workflow": wf.name,
        "zone": tz.key,
        "rows": [_row_json(r, tz) for r in timeline.rows],
        "rejected": list(timeline.rejected),
        "slas": [
            {
                "name": c.name,
                "state": c.state,
                "target": describe(c.target),
                "elapsed_minutes": int(c.elapsed.total_seconds() // 60),
            }
            for c in timeline.clocks
        ],
        "ticket": timeline.ticket.to_dict(),
    }


def _iso(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).isoformat()


def _row_json(row: Row, tz: ZoneInfo) -> dict[str, Any]:
    out: dict[str, Any] = {
        "at": _iso(row.at, tz),
        "event": row.event or None,
        "actor": row.actor,
        "status": row.status,
        "effects": list(row.effects),
    }
    if row.last:
        due = row.next_deadline
        out["next_deadline"] = None if due is None else {"at": _iso(due[0], tz), "what": due[1]}
    return out
