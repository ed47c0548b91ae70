"""``ticketflow check FILE...``: every problem of workflow files, then their liveness.

Each FILE (or ``preset:NAME``) is read without running code (see
``_cli_input``). A file that cannot be read or understood has one problem,
where it is; a workflow that does not validate has every problem its
:class:`~ticketflow.WorkflowError` lists. A valid workflow is followed by its
liveness report (``ticketflow.testing.check_liveness``), which is information
and never changes the exit status.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from attrs import frozen

from ._cli_input import add_file_command, add_registry_option, import_registry, read_workflow, say
from ._durations import describe
from ._errors import LoadError, TicketflowError, WorkflowError
from ._loading import Registry
from .testing import LivenessReport, StatusLiveness, TimedExit, check_liveness

__all__ = ["add_command"]

EXITS = """\
  0  every file holds a valid workflow
  1  a file has a problem, or cannot be read
  2  usage error, or --registry cannot be imported"""


@frozen
class _Problem:
    """One problem of a file: the message, and where in the file when known."""

    message: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        where += f"{self.key}: " if self.key is not None else ""
        return where + self.message


@frozen
class _Report:
    """What ``check`` found in one FILE."""

    file: str
    workflow: str | None
    problems: tuple[_Problem, ...]
    total: int
    liveness: LivenessReport | None


def add_command(commands: Any) -> None:
    """Add ``check`` to the ``ticketflow`` command."""
    parser = add_file_command(
        commands,
        "check",
        help="list every problem of workflow files, then their liveness",
        description=(
            "Check workflow files (.toml, .json, .yaml, or preset:NAME) without running "
            "their code: print every problem of each, then, for each valid one, what "
            "timers do to a ticket nobody touches (information only)."
        ),
        exits=EXITS,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="a workflow file or preset:NAME")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    add_registry_option(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        registry = import_registry(args.registry)
    except LoadError as exc:
        say(str(exc))
        return 2
    reports = [_check(spec, registry) for spec in args.files]
    if args.json:
        print(json.dumps(_json(reports), indent=2, ensure_ascii=False))
    else:
        print("\n".join(_text(reports)))
    return 1 if any(r.total for r in reports) else 0


def _check(spec: str, registry: Registry | None) -> _Report:
    try:
        wf = read_workflow(spec, registry)
    except WorkflowError as exc:
        problems = tuple(_Problem(p) for p in exc.problems)
        return _Report(spec, exc.name, problems, exc.total, None)
    except LoadError as exc:
        return _Report(spec, None, (_Problem(exc.detail, exc.line, exc.key),), 1, None)
    except TicketflowError as exc:  # an unknown preset
        return _Report(spec, None, (_Problem(str(exc)),), 1, None)
    return _Report(spec, wf.name, (), 0, check_liveness(wf))


def _count(n: int) -> str:
    return f"{n} problem" if n == 1 else f"{n} problems"


def _text(reports: list[_Report]) -> list[str]:
    lines: list[str] = []
    for r in reports:
        name = f"workflow {r.workflow!r}" if r.workflow is not None else "no workflow"
        if r.total:
            lines.append(f"{r.file}: {name}: {_count(r.total)}")
            lines.extend(f"  - {p}" for p in r.problems)
        else:
            lines.append(f"{r.file}: {name}: ok")
        if r.liveness is not None:
            lines.append(str(r.liveness))
    bad = [r for r in reports if r.total]
    if bad:
        total = sum(r.total for r in bad)
        files = "1 file" if len(bad) == 1 else f"{len(bad)} files"
        lines.append(f"{_count(total)} in {files}")
    return lines


def _json(reports: list[_Report]) -> dict[str, Any]:
    return {
        "ok": not any(r.total for r in reports),
        "files": [
            {
                "file": r.file,
                "workflow": r.workflow,
                "ok": not r.total,
                "problem_count": r.total,
                "problems": [
                    {"message": p.message, "line": p.line, "key": p.key} for p in r.problems
                ],
                "liveness": None if r.liveness is None else _liveness_json(r.liveness),
            }
            for r in reports
        ],
    }


def _liveness_json(report: LivenessReport) -> dict[str, Any]:
    return {
        "statuses": [_status_json(s) for s in report.statuses],
        "resting": list(report.resting),
        "stuck": list(report.stuck),
        "loops": list(report.loops),
    }


def _status_json(s: StatusLiveness) -> dict[str, Any]:
    return {
        "status": s.status,
        "category": s.category,
        "terminal": s.terminal,
        "rests": s.rests,
        "loops": s.loops,
        # the first status a certain timed exit leads to; following "next" gives the path
        "next": next((e.target for e in s.exits if e.leaves), None),
        "last": s.last,
        "length": s.length,
        "exits": [_exit_json(e) for e in s.exits],
    }


def _exit_json(e: TimedExit) -> dict[str, Any]:
    return {
        "event": e.event,
        "after": None if e.after is None else describe(e.after),
        "at": e.at,
        "target": e.target,
        "guarded": e.guarded,
        "restarts": e.restarts,
        "calendar": e.calendar,
        "reminders": e.reminders,
    }
