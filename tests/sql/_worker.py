"""A store client run as a separate process by the fault tests.

``python tests/sql/_worker.py MODE URL ARGS...`` (or :func:`run` in a forked
process) where MODE is

* ``sweep NOW LIMIT GO``: wait for the file GO, then sweep at NOW until a
  sweep finds nothing; print the totals as JSON.
* ``hang NOW LIMIT``: sweep once, but after the ticket rows are written and
  before the commit print ``written`` and sleep (to be killed there).
* ``apply TICKET COUNT WORKER MODE GO``: wait for GO, then send COUNT
  ``comment`` events to TICKET, each read-then-apply with the version read
  (MODE ``expected``) or without it (MODE ``locked``); print what was
  accepted and how many writes conflicted, as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

import ticketflow as tf
from tests.helpers import T0, support_flow
from ticketflow.sql import TicketStore


def wait_for(go: str) -> None:
    while not Path(go).exists():
        time.sleep(0.01)


def sweep(store: TicketStore, now: datetime, limit: int) -> dict[str, int]:
    totals = {"tickets": 0, "fired": 0, "effects": 0, "sweeps": 0}
    while True:
        result = store.sweep(now, limit=limit)
        if not result.tickets and not result.full:
            return totals
        totals["sweeps"] += 1
        totals["tickets"] += result.tickets
        totals["fired"] += result.fired
        totals["effects"] += result.effects


def hang(store: TicketStore, now: datetime, limit: int) -> None:
    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE TICKETFLOW_TICKETS"):
            print("written", flush=True)
            time.sleep(600)

    event.listen(store.engine, "after_cursor_execute", after)
    store.sweep(now, limit=limit)


def apply(store: TicketStore, ticket: str, count: int, worker: int, mode: str) -> dict[str, Any]:
    accepted: list[int] = []
    conflicts = 0
    for n in range(count):
        read = store.get(ticket).version if mode == "expected" else None
        try:
            store.apply(
                ticket,
                "comment",
                at=T0,
                actor="agent",
                data={"worker": worker, "n": n},
                expected_version=read,
            )
        except tf.ConflictError:
            conflicts += 1
        else:
            accepted.append(n)
    return {"worker": worker, "accepted": accepted, "conflicts": conflicts}


def run(argv: list[str]) -> Any:
    """Do what ``argv`` says; return the result to report."""
    mode, url, *rest = argv
    store = TicketStore(url, workflows=[support_flow()])
    try:
        if mode == "sweep":
            wait_for(rest[2])
            return sweep(store, datetime.fromisoformat(rest[0]), int(rest[1]))
        if mode == "hang":
            hang(store, datetime.fromisoformat(rest[0]), int(rest[1]))
            return None
        wait_for(rest[4])
        return apply(store, rest[0], int(rest[1]), int(rest[2]), rest[3])
    finally:
        store.engine.dispose()


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
