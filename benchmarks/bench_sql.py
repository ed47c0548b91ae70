"""ticketflow.sql on real databases: sweep throughput against a floor, and apply latency.

Run: ``.venv/bin/python benchmarks/bench_sql.py [--tickets N] [--rounds R]``
(``benchmarks/run.py`` runs it too, as the ``sql`` family). A PostgreSQL 15
server is started in a temporary folder (see ``tests/pgserver.py``).

* Sweep throughput: N due tickets of the support workflow (each fires its
  reminder and ``auto_resolve``: two items, one effect), swept to the end by
  1 and by 2 processes calling ``TicketStore.sweep(now, limit=500)``. The
  floor issues the same SQL through psycopg directly: claim 500 rows with
  ``FOR UPDATE SKIP LOCKED`` (reading their snapshots), update each row with
  its version check, insert the outbox rows, commit; but its new rows were
  computed beforehand, so it runs no engine, no snapshot decoding or
  encoding and no SQLAlchemy. Figures are tickets per second of wall-clock
  time from the start signal to the last process done (medians over the
  rounds, run interleaved); the target is ticketflow at 0.5x the floor or
  better.
* ``store.apply`` round trip: one event applied to a stored ticket, start
  to commit, on a SQLite file and on PostgreSQL over a Unix socket (median
  and 99th percentile of wall-clock time).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import ticketflow as tf  # noqa: E402
from tests.helpers import T0, at, support_flow  # noqa: E402
from tests.pgserver import postgres_server  # noqa: E402
from tests.sql.seed import seed  # noqa: E402

NOW = at(60)
LIMIT = 500
TARGET = 0.5
SRC = str(Path(tf.__file__).resolve().parent.parent)

# the floor's statements: what TicketStore.sweep sends, as SQL text
CLAIM = (
    "SELECT id, snapshot FROM ticketflow_tickets WHERE next_deadline <= %s "
    "AND workflow = ANY(%s) AND snapshot_error IS NULL "
    "ORDER BY next_deadline, id LIMIT %s FOR UPDATE SKIP LOCKED"
)
WRITE = (
    "UPDATE ticketflow_tickets SET status = %s, category = %s, version = %s, updated_at = %s, "
    "next_deadline = %s, snapshot = %s::jsonb, workflow_version = %s WHERE id = %s AND version = %s"
)
OUTBOX = (
    "INSERT INTO ticketflow_outbox (ticket_id, version, sequence, kind, at, effect, state, "
    "attempts, last_error) VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)"
)


# --- the processes ---------------------------------------------------------------------------


def _wait(go: str) -> None:
    """Say this worker is ready, then wait for the start signal."""
    Path(f"{go}.ready.{os.getpid()}").touch()
    while not Path(go).exists():
        time.sleep(0.002)


def sweep_worker(url: str, go: str) -> dict[str, float]:
    """Sweep with ticketflow until nothing is due; return the count and the times."""
    from ticketflow.sql import TicketStore

    store = TicketStore(url, workflows=[support_flow()])
    with store.engine.connect():
        pass  # connect before the clock starts, as the floor does
    _wait(go)
    started, done = time.time(), 0
    while True:
        result = store.sweep(NOW, limit=LIMIT)
        done += result.tickets
        if not result.tickets and not result.full:
            break
    return {"tickets": done, "start": started, "end": time.time()}


def floor_worker(url: str, go: str, plan_file: str) -> dict[str, float]:
    """The same SQL with precomputed rows: claim, update, insert outbox rows, commit."""
    import psycopg

    with open(plan_file, "rb") as f:
        plan: dict[str, tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = pickle.load(f)
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        _wait(go)
        started, done = time.time(), 0
        while True:
            with conn.transaction(), conn.cursor() as cur:
                rows = cur.execute(CLAIM, (NOW, ["support"], LIMIT)).fetchall()
                if rows:
                    cur.executemany(WRITE, [plan[r[0]][0] for r in rows])
                    outbox = [item for r in rows for item in plan[r[0]][1]]
                    if outbox:
                        cur.executemany(OUTBOX, outbox)
            done += len(rows)
            if len(rows) < LIMIT:
                break
    return {"tickets": done, "start": started, "end": time.time()}


# --- the measurements ------------------------------------------------------------------------


def make_plan(count: int, path: Path) -> None:
    """The rows the floor writes: what the engine makes of each seeded ticket at NOW."""
    from ticketflow.sql._codec import encode_effect
    from ticketflow.sql._store import _columns

    wf = support_flow()
    plan = {}
    for i in range(count):
        ident = f"T-{i:06d}"
        ticket = wf.start(at=T0, id=ident).ticket
        ticket = wf.apply(ticket, "assign", at=at(1), actor="agent").ticket
        ticket = wf.apply(ticket, "ask", at=at(2), actor="agent").ticket
        out = wf.advance(ticket, now=NOW)
        c = _columns(wf, out.ticket)
        write = (
            c["status"],
            c["category"],
            c["version"],
            c["updated_at"],
            c["next_deadline"],
            json.dumps(c["snapshot"]),
            None,
            ident,
            ticket.version,
        )
        outbox = [
            (
                ident,
                out.ticket.version,
                n,
                e.kind,
                e.at,
                json.dumps(encode_effect(e)),
                "pending",
                0,
                None,
            )
            for n, e in enumerate(out.effects)
        ]
        plan[ident] = (write, outbox)
    path.write_bytes(pickle.dumps(plan))


def _reset(url: str) -> None:
    """Put the seeded tickets back as they were and empty the outbox."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE ticketflow_outbox, ticketflow_events, ticketflow_tickets")
        conn.exec_driver_sql("INSERT INTO ticketflow_tickets SELECT * FROM bench_seed")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE ticketflow_tickets")
        conn.exec_driver_sql("VACUUM ANALYZE ticketflow_outbox")
    engine.dispose()


def _run(kind: str, processes: int, url: str, folder: Path, count: int) -> float:
    """One timed run of ``processes`` workers of ``kind``; tickets per second."""
    _reset(url)
    go = folder / f"go-{kind}-{processes}-{time.monotonic_ns()}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(ROOT)])}
    extra = [str(folder / "plan.pickle")] if kind == "floor" else []
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, f"--{kind}-worker", url, str(go), *extra],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(processes)
    ]
    while len(list(folder.glob(f"{go.name}.ready.*"))) < processes:
        time.sleep(0.01)  # until every worker has imported and connected
    go.touch()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=1800)
        if proc.returncode != 0:
            raise RuntimeError(f"{kind} worker failed")
        results.append(json.loads(out))
    done = sum(int(r["tickets"]) for r in results)
    if done != count:
        raise RuntimeError(f"{kind} x{processes} swept {done} tickets, not {count}")
    elapsed = max(r["end"] for r in results) - min(r["start"] for r in results)
    return count / elapsed


def sweep_throughput(
    url: str, folder: Path, count: int, rounds: int
) -> dict[tuple[str, int], float]:
    """Median tickets per second of ticketflow and the floor with 1 and 2 processes."""
    from ticketflow.sql import TicketStore

    store = TicketStore(url, workflows=[support_flow()])
    store.create_tables()
    seed(store, support_flow(), count, T0)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_seed AS SELECT * FROM ticketflow_tickets")
    store.engine.dispose()
    make_plan(count, folder / "plan.pickle")
    runs: dict[tuple[str, int], list[float]] = {}
    for _ in range(rounds):
        for processes in (1, 2):
            for kind in ("sweep", "floor"):
                rate = _run(kind, processes, url, folder, count)
                runs.setdefault((kind, processes), []).append(rate)
    return {key: statistics.median(values) for key, values in runs.items()}


def apply_latency(url: str, count: int) -> tuple[float, float]:
    """Median and 99th percentile, in ms, of ``store.apply`` on one stored ticket."""
    from ticketflow.sql import TicketStore

    store = TicketStore(url, workflows=[support_flow()])
    store.create_tables()
    store.start("support", id="L-1", at=T0)
    times = []
    for n in range(count + 20):
        started = time.perf_counter()
        store.apply("L-1", "comment", at=at(1), actor="agent", data={"n": n})
        times.append(time.perf_counter() - started)
    store.engine.dispose()
    times = sorted(times[20:])  # the first calls warm the pool and the caches
    p99 = times[min(len(times) - 1, round(0.99 * len(times)))]
    return statistics.median(times) * 1000, p99 * 1000


def section(tickets: int = 20_000, rounds: int = 3, applies: int = 500) -> tuple[str, list[str]]:
    """The Markdown section of the report, and its rows of the targets table."""
    with tempfile.TemporaryDirectory() as tmp, postgres_server() as server:
        folder = Path(tmp)
        rates = sweep_throughput(server.create_database("bench_sweep"), folder, tickets, rounds)
        pg = apply_latency(server.create_database("bench_apply"), applies)
        lite = apply_latency(f"sqlite:///{folder / 'apply.db'}", applies)
    lines = [
        f"### SQL storage: sweep throughput over {tickets:,} due tickets (PostgreSQL)",
        "",
        f"Medians of {rounds} interleaved rounds; tickets per second, wall-clock, "
        f"batches of {LIMIT}. The floor issues the same SQL with precomputed rows.",
        "",
        "| processes | ticketflow | floor | ticketflow / floor |",
        "|---:|---:|---:|---:|",
    ]
    ratios = []
    for processes in (1, 2):
        tf_rate, floor_rate = rates[("sweep", processes)], rates[("floor", processes)]
        ratios.append(tf_rate / floor_rate)
        lines.append(
            f"| {processes} | {tf_rate:,.0f} | {floor_rate:,.0f} | {tf_rate / floor_rate:.2f}x |"
        )
    lines += [
        "",
        f"### SQL storage: `store.apply` round trip ({applies} events on one ticket)",
        "",
        "| database | median | p99 |",
        "|---|---:|---:|",
        f"| SQLite file | {lite[0]:.2f} ms | {lite[1]:.2f} ms |",
        f"| PostgreSQL (Unix socket) | {pg[0]:.2f} ms | {pg[1]:.2f} ms |",
        "",
    ]
    worst = min(ratios)
    rows = [
        f"| SQL sweep throughput, 1 and 2 processes, {tickets:,} due tickets "
        f"| at least {TARGET}x the floor | {worst:.2f}x | {'yes' if worst >= TARGET else 'no'} |"
    ]
    return "\n".join(lines), rows


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--sweep-worker":
        print(json.dumps(sweep_worker(args[1], args[2])))
        return 0
    if args and args[0] == "--floor-worker":
        print(json.dumps(floor_worker(args[1], args[2], args[3])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--applies", type=int, default=500)
    parsed = parser.parse_args(args)
    text, rows = section(parsed.tickets, parsed.rounds, parsed.applies)
    print(text)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
