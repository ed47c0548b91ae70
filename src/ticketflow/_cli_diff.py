"""``ticketflow diff OLD NEW``: how two versions of a workflow behave differently.

Theory of operation: both workflows are read by ``_cli_input`` without
running code (a guard, ``sub_status``, ``set_attrs`` or calendar-chooser
name that no ``--registry`` gives stands for an opaque callable of that
name), or built from ``preset:NAME``. Each is reduced to the plain data its version hashes
(labels and descriptions left out, calendars inlined), the statuses of OLD
renamed by ``--map old=new``; then statuses, transitions (by event and
sources), timers (by status and event) and SLAs (by name and position) are
paired and compared field by field, calendars by their definition and by
the days they open or close in the next twelve months. The last line says
whether stored tickets need ``migrate``. Exit status: 0 when the two behave
the same, 1 when they differ, 2 for a usage error or an unreadable file.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from ._calendar import ALWAYS_OPEN, BusinessCalendar
from ._cli_input import (
    add_file_command,
    add_registry_option,
    import_registry,
    read_failure,
    read_workflow,
    say,
)
from ._errors import LoadError, TicketflowError
from ._version import behaviour
from ._workflow import Workflow

__all__ = ["add_command", "diff_lines"]

#: How far ahead ``diff`` lists the days a calendar change opens or closes.
HORIZON = timedelta(days=365)

EXITS = """\
  0  the two workflows behave the same
  1  they behave differently
  2  usage error, a file that cannot be read or is not a valid workflow, or
     --registry cannot be imported"""


def add_command(commands: Any) -> None:
    """Add ``diff`` to the ``ticketflow`` command's subparsers."""
    parser = add_file_command(
        commands,
        "diff",
        help="the behavioural differences between two versions of a workflow",
        description=(
            "Compare two workflow files (.toml, .json, .yaml, or preset:NAME), read "
            "without running their code: statuses, transitions, timers, SLAs and "
            "calendars, and whether stored tickets need migrate."
        ),
        exits=EXITS,
    )
    parser.add_argument("old", metavar="OLD", help="the workflow tickets follow now")
    parser.add_argument("new", metavar="NEW", help="the workflow to move them to")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="a status of OLD renamed in NEW (repeat for several)",
    )
    add_registry_option(parser)
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the first day of the twelve months whose calendar days are compared (default: today)",
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        renames, today = _options(args)
        registry = import_registry(args.registry)
    except (ValueError, LoadError) as exc:
        say(str(exc))
        return 2
    pair: list[Workflow] = []
    for spec in (args.old, args.new):
        try:
            pair.append(read_workflow(spec, registry))
        except TicketflowError as exc:
            say(read_failure(spec, exc))
            return 2
    problem = _unknown_renames(renames, pair[0], pair[1], args.old, args.new)
    if problem is not None:
        say(problem)
        return 2
    lines, same = diff_lines(pair[0], pair[1], renames, today)
    print(f"{args.old} -> {args.new}")
    print("\n".join(lines))
    return 0 if same else 1


def _options(args: argparse.Namespace) -> tuple[dict[str, str], date]:
    """``--map`` and ``--today``.

    Raises:
        ValueError: naming the option and the bad value.
    """
    renames = _renames(args.map)
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError as exc:
        raise ValueError(f"--today {args.today!r}: {exc}") from None
    return renames, today


def _unknown_renames(
    renames: Mapping[str, str], old: Workflow, new: Workflow, old_spec: str, new_spec: str
) -> str | None:
    """Why ``--map`` names a status OLD or NEW lacks, or None."""
    for before, after in renames.items():
        if before not in {s.name for s in old.statuses}:
            return f"--map {before}={after}: {old_spec} has no status {before!r}"
        if after not in {s.name for s in new.statuses}:
            return f"--map {before}={after}: {new_spec} has no status {after!r}"
    return None


def _renames(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in pairs:
        old, sep, new = text.partition("=")
        if not sep or not old or not new:
            raise ValueError(f"--map takes OLD=NEW, got {text!r}")
        out[old] = new
    return out


# --- comparing ----------------------------------------------------------------------------


def diff_lines(
    old: Workflow, new: Workflow, renames: Mapping[str, str], today: date
) -> tuple[list[str], bool]:
    """The lines ``ticketflow diff`` prints after its header, and whether both behave the same."""
    a, b = behaviour(old), behaviour(new)
    same = a == b
    a = _renamed(a, renames)
    lines = [f"status {o}: renamed {n} (--map)" for o, n in renames.items()]
    lines += _pairs("status", a["statuses"], b["statuses"], lambda s: s["name"], _status_text)
    lines += _pairs("transition", a["transitions"], b["transitions"], _move_key, _move_text)
    lines += _pairs("timer", a.get("timers", []), b.get("timers", []), _timer_key, _timer_text)
    lines += _pairs(
        "sla", _numbered(a.get("slas", [])), _numbered(b.get("slas", [])), _sla_key, _sla_text
    )
    lines += _calendars(old, new, a, b, today)
    removed = sorted({s["name"] for s in a["statuses"]} - {s["name"] for s in b["statuses"]})
    lines += [f"  tickets in status {s} need --map / status_map to migrate" for s in removed]
    if old.version == new.version:
        lines.append(f"stored tickets: no migrate needed (version {new.version})")
    else:
        lines.append(f"stored tickets: need migrate (version {old.version} -> {new.version})")
    if same:
        lines.insert(0, "no behavioural differences")
    return lines, same


def _renamed(data: dict[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    if not renames:
        return data

    def one(name: Any) -> Any:
        return renames.get(name, name) if isinstance(name, str) else name

    out = dict(data)
    out["statuses"] = [{**s, "name": one(s["name"])} for s in data["statuses"]]
    moves = []
    for t in data["transitions"]:
        src = t["source"]
        moved = {**t, "source": [one(s) for s in src] if isinstance(src, list) else one(src)}
        if "target" in t:
            moved["target"] = one(t["target"])
        moves.append(moved)
    out["transitions"] = moves
    out["timers"] = [{**tm, "status": one(tm["status"])} for tm in data.get("timers", [])]
    return out


def _pairs(
    kind: str,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    key: Callable[[dict[str, Any]], str],
    text: Callable[[dict[str, Any]], str],
) -> list[str]:
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    lines: list[str] = []
    for k in dict.fromkeys([*before, *after]):
        b, a = before.get(k), after.get(k)
        if b is None and a is not None:
            lines.append(f"{kind} {k}: added ({text(a)})")
        elif a is None and b is not None:
            lines.append(f"{kind} {k}: removed ({text(b)})")
        elif a is not None and b is not None:
            lines += [f"{kind} {k}: {line}" for line in _fields(b, a)]
    return lines


def _fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    out = []
    for key in sorted({*old, *new} - {"calendar", "_n"}):
        if old.get(key) != new.get(key):
            out.append(f"{key}: {_show(old.get(key))} -> {_show(new.get(key))}")
    return out


def _show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, sort_keys=True)


def _status_text(s: Mapping[str, Any]) -> str:
    return str(s.get("category", "open"))


def _sources(t: Mapping[str, Any]) -> str:
    src = t["source"]
    return ", ".join(src) if isinstance(src, list) else str(src)


def _move_key(t: Mapping[str, Any]) -> str:
    return f"{t['event']} from {_sources(t)}"


def _move_text(t: Mapping[str, Any]) -> str:
    return f"-> {t.get('target', '(stays)')}"


def _timer_key(tm: Mapping[str, Any]) -> str:
    return f"{tm['event']} in {tm['status']}"


def _timer_text(tm: Mapping[str, Any]) -> str:
    return f"after {tm['after']}" if "after" in tm else f"at attribute {tm.get('at')}"


def _numbered(slas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, int] = {}
    out = []
    for sla in slas:
        seen[sla["name"]] = seen.get(sla["name"], 0) + 1
        out.append({**sla, "_n": seen[sla["name"]]})
    return out


def _sla_key(sla: Mapping[str, Any]) -> str:
    return sla["name"] if sla["_n"] == 1 else f"{sla['name']} #{sla['_n']}"


def _sla_text(sla: Mapping[str, Any]) -> str:
    return f"target {sla['target']}"


# --- calendars ----------------------------------------------------------------------------


def _calendars(
    old: Workflow, new: Workflow, a: Mapping[str, Any], b: Mapping[str, Any], today: date
) -> list[str]:
    lines = _calendar_lines(
        "calendar", a["calendar"], b["calendar"], old.calendar, new.calendar, today
    )
    for kind, key, x, y, defs in (
        ("timer", _timer_key, a.get("timers", []), b.get("timers", []), (old.timers, new.timers)),
        (
            "sla",
            _sla_key,
            _numbered(a.get("slas", [])),
            _numbered(b.get("slas", [])),
            (old.slas, new.slas),
        ),
    ):
        olds = {key(item): (item, d) for item, d in zip(x, defs[0], strict=True)}
        news = {key(item): (item, d) for item, d in zip(y, defs[1], strict=True)}
        for k in [k for k in news if k in olds]:
            (i, di), (j, dj) = olds[k], news[k]
            lines += (
                _calendar_lines(
                    f"{kind} {k}: calendar",
                    i.get("calendar", a["calendar"]),
                    j.get("calendar", b["calendar"]),
                    getattr(di, "calendar", None) or old.calendar,
                    getattr(dj, "calendar", None) or new.calendar,
                    today,
                )
                if i.get("calendar") != j.get("calendar")
                else []
            )
    return lines


def _cal_name(cal: Any) -> str:
    if cal is None:
        return "the workflow's"
    if isinstance(cal, str):
        return cal
    return f"{cal.get('timezone')} calendar"


def _calendar_lines(
    label: str, old: Any, new: Any, old_cal: object, new_cal: object, today: date
) -> list[str]:
    if old == new:
        return []
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        return [f"{label}: {_cal_name(old)} -> {_cal_name(new)}"]
    lines = [
        f"{label}: {line}"
        for line in _fields(
            {k: v for k, v in old.items() if k != "holidays"},
            {k: v for k, v in new.items() if k != "holidays"},
        )
    ]
    olds = [_show(h) for h in old.get("holidays", [])]
    news = [_show(h) for h in new.get("holidays", [])]
    lines += [f"{label}: holidays: added {h}" for h in news if h not in olds]
    lines += [f"{label}: holidays: removed {h}" for h in olds if h not in news]
    lines += _days(label, _as_calendar(old_cal), _as_calendar(new_cal), today)
    return lines


def _as_calendar(cal: object) -> BusinessCalendar | None:
    if cal is None:
        return ALWAYS_OPEN
    return cal if isinstance(cal, BusinessCalendar) else None


def _days(
    label: str, old: BusinessCalendar | None, new: BusinessCalendar | None, today: date
) -> list[str]:
    """The working days closed and opened in the twelve months from ``today``."""
    if old is None or new is None:
        return []
    closed, opened = [], []
    day = today
    while day < today + HORIZON:
        was, now = old.is_business_day(day), new.is_business_day(day)
        if was and not now:
            closed.append(day.isoformat())
        elif now and not was:
            opened.append(day.isoformat())
        day += timedelta(days=1)
    window = f"in the 12 months from {today.isoformat()}"
    lines = []
    if closed:
        lines.append(f"{label}: days closed {window}: {', '.join(closed)}")
    if opened:
        lines.append(f"{label}: days opened {window}: {', '.join(opened)}")
    return lines
