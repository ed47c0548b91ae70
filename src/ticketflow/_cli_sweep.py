"""``ticketflow sweep``: advance due tickets in a database, over and over.

``ticketflow sweep --db URL --workflow FILE_OR_PRESET [--every 30s] [--once]
[--deliver] [--limit N]`` runs :meth:`ticketflow.sql.TicketStore.sweep` with
the clock's time, as often as ``--every`` says, until SIGTERM or SIGINT: the
batch in hand is finished and committed, then it exits with status 0. With
``--deliver`` the outbox is handed to standard output, one JSON object per
effect. Any number of these may run against one PostgreSQL database.

Exit status: 0 when stopped by a signal or after ``--once``; 1 when
``--once`` met a database failure or an unreadable ticket; 2 for a usage
error (an unreadable workflow file, an unknown preset, a bad URL). A
database failure while running on a schedule is reported and the next round
tries again.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING, Any

import ticketflow as tf
from ticketflow import presets
from ticketflow._ticket import _dt_out

if TYPE_CHECKING:
    from ticketflow.sql import OutboxItem, TicketStore

__all__ = ["add_command", "parse_every"]

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}
_MAX_EVERY = 86_400.0  # a day
_PRESET = "preset:"
_MAX_BATCH = 10_000  # ticketflow.sql.MAX_BATCH, kept here so --help works without the extra


def parse_every(text: str) -> float:
    """Seconds from ``"30s"``, ``"500ms"``, ``"2m"``, ``"1h"`` or a plain number of seconds.

    >>> parse_every("2m"), parse_every("0.5s")
    (120.0, 0.5)
    """
    match = _EVERY.match(text)
    seconds = float(match.group(1)) * _SECONDS[match.group(2)] if match else -1.0
    if not 0 < seconds <= _MAX_EVERY:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an interval from 1ms to 24h (try '30s', '500ms' or '2m')"
        )
    return seconds


def _batch(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= _MAX_BATCH:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 1 to {_MAX_BATCH}")
    return value


def add_command(commands: Any) -> None:
    """Add ``sweep`` to the ``ticketflow`` command's subparsers."""
    parser = commands.add_parser(
        "sweep",
        help="advance due tickets stored in a database (ticketflow[sql])",
        description="Advance due tickets stored in a database, every --every, until "
        "SIGTERM or SIGINT (the batch in hand is committed first).",
    )
    parser.add_argument("--db", required=True, metavar="URL", help="SQLAlchemy database URL")
    parser.add_argument(
        "--workflow",
        required=True,
        action="append",
        metavar="FILE_OR_PRESET",
        help="a workflow file or preset:NAME (repeat for several workflows)",
    )
    parser.add_argument(
        "--every", type=parse_every, default=30.0, metavar="INTERVAL", help="default 30s"
    )
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    parser.add_argument(
        "--deliver", action="store_true", help="print the outbox as JSON lines (marks delivered)"
    )
    parser.add_argument("--limit", type=_batch, default=500, help="tickets per transaction")
    parser.set_defaults(run=run)


def _workflows(specs: Sequence[str]) -> list[tf.Workflow]:
    return [
        presets.get(spec[len(_PRESET) :]) if spec.startswith(_PRESET) else tf.load(spec)
        for spec in specs
    ]


def run(args: argparse.Namespace) -> int:
    """Run the sweeper as ``args`` say; return the exit status."""
    try:
        from ticketflow import sql  # noqa: PLC0415 - the optional ticketflow[sql] extra
    except ImportError as exc:
        _say(f"ticketflow sweep: needs the sql extra (pip install 'ticketflow[sql]'): {exc}")
        return 2
    try:
        store = sql.TicketStore(args.db, workflows=_workflows(args.workflow))
    except (tf.TicketflowError, OSError) as exc:
        _say(f"ticketflow sweep: {exc}")
        return 2
    stop = threading.Event()
    _on_signals(stop)
    try:
        while True:
            ok = _round(store, args, stop)
            if args.once:
                return 0 if ok else 1
            if stop.wait(args.every):
                break
    finally:
        store.engine.dispose()
    _say("ticketflow sweep: stopped")
    return 0


def _on_signals(stop: threading.Event) -> None:
    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def _round(store: TicketStore, args: argparse.Namespace, stop: threading.Event) -> bool:
    """Sweep until nothing is due (or a stop is asked), then deliver; False on any failure."""
    ok = True
    try:
        full = True
        while full and not stop.is_set():
            result = store.sweep(datetime.now(UTC), limit=args.limit)
            full = result.full
            for error in result.errors:
                ok = False
                _say(f"ticketflow sweep: {error}")
            if result.tickets:
                print(
                    f"swept {result.tickets} ticket(s): {result.fired} item(s) fired, "
                    f"{result.effects} effect(s) queued",
                    flush=True,
                )
        while args.deliver and not stop.is_set():
            done = store.deliver(_print_item, limit=args.limit)
            if done.delivered + done.failed + done.dead < args.limit:
                break
    except tf.StorageError as exc:
        _say(f"ticketflow sweep: {exc}")
        return False
    except Exception as exc:  # a guard or calendar of the workflow failed: report, go on
        _say(f"ticketflow sweep: {type(exc).__name__}: {exc}")
        return False
    return ok


def _print_item(item: OutboxItem) -> None:
    from ticketflow.sql._codec import encode_data  # noqa: PLC0415 - optional ticketflow[sql]

    e = item.effect
    line = {
        "ticket_id": item.ticket_id,
        "version": item.version,
        "sequence": item.sequence,
        "kind": e.kind,
        "name": e.name,
        "at": None if e.at is None else _dt_out(e.at),
        "data": encode_data(e.data),
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
