"""Faults on a real PostgreSQL server (and SQLite): crashes, races and restarts lose and
double nothing.

Tickets follow the support workflow (tests/helpers.py), started at T0 =
Monday 2 March 2026 09:00 UTC, assigned at T0 + 1 h, asked at T0 + 2 h
(version 3): the reminder falls due at T0 + 26 h, auto_resolve at T0 + 50 h.
Swept at T0 + 60 h each ticket fires exactly those two items (version 5,
status ``resolved``) and queues one effect, the reminder, keyed (id, 5, 0).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import ticketflow as tf
from tests.helpers import T0, at, support_flow
from tests.pgserver import PostgresServer
from tests.sql import _worker
from tests.sql.seed import seed
from ticketflow.sql import TicketStore
from ticketflow.sql._schema import EVENTS, OUTBOX, TICKETS

WORKER = str(Path(__file__).with_name("_worker.py"))
SRC = str(Path(tf.__file__).resolve().parent.parent)
ROOT = str(Path(__file__).resolve().parents[2])
NOW = at(60)
SWEPT = 20_000 if os.environ.get("HYPOTHESIS_PROFILE") == "slow" else 2_000


def spawn(*args: str) -> subprocess.Popen[str]:
    """A worker in a new interpreter (for the test that kills it)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, ROOT])}
    return subprocess.Popen(
        [sys.executable, WORKER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _forked(results: Any, args: tuple[str, ...]) -> None:
    results.put(_worker.run(list(args)))


def fork_all(jobs: Sequence[tuple[str, ...]], go: Path) -> list[Any]:
    """Run worker jobs in forked processes (no interpreter start-up), release them at once.

    Each must exit 0 and report one result.
    """
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    procs = [ctx.Process(target=_forked, args=(results, job)) for job in jobs]
    for proc in procs:
        proc.start()
    go.touch()
    out = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    return out


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[TicketStore]:
    store = TicketStore(pg_url, workflows=[support_flow()])
    store.create_tables()
    yield store
    store.engine.dispose()


def check_swept_once(store: TicketStore, count: int) -> None:
    """Every ticket at version 5, resolved, with exactly its one reminder in the outbox."""
    with store.engine.connect() as conn:
        states = Counter(conn.execute(select(TICKETS.c.version, TICKETS.c.status)).all())
        outbox = conn.execute(select(OUTBOX.c.ticket_id, OUTBOX.c.version, OUTBOX.c.kind)).all()
    assert states == {(5, "resolved"): count}
    assert len(outbox) == count
    assert {(v, k) for _, v, k in outbox} == {(5, "reminder")}
    assert len({t for t, _, _ in outbox}) == count


def run_sweepers(store: TicketStore, tmp_path: Path, count: int, workers: int) -> None:
    seed(store, support_flow(), count, T0)
    go = tmp_path / "go"
    url = store.engine.url.render_as_string(False)
    results = fork_all([("sweep", url, NOW.isoformat(), "200", str(go))] * workers, go)
    # every due item fired exactly once: two per ticket, one effect per ticket, in all
    assert sum(r["tickets"] for r in results) == count
    assert sum(r["fired"] for r in results) == 2 * count
    assert sum(r["effects"] for r in results) == count
    check_swept_once(store, count)


class TestManySweepers:
    def test_four_sweepers_share_the_due_tickets(
        self, pg_store: TicketStore, tmp_path: Path
    ) -> None:
        """4 processes sweep the due tickets: each item fires once, no outbox row twice.

        2,000 tickets in the main tier; 20,000 in the slow tier (``make test-slow``).
        """
        run_sweepers(pg_store, tmp_path, SWEPT, 4)

    def test_two_sweepers_share_one_sqlite_file(self, tmp_path: Path) -> None:
        """On SQLite the writers queue on BEGIN IMMEDIATE: 2 processes, 300 tickets, each once."""
        store = TicketStore(f"sqlite:///{tmp_path / 'tickets.db'}", workflows=[support_flow()])
        store.create_tables()
        run_sweepers(store, tmp_path, 300, 2)
        store.engine.dispose()


class TestCrash:
    def test_kill_9_mid_batch_rolls_back_and_the_next_sweep_finishes(
        self, pg_store: TicketStore
    ) -> None:
        """A sweeper killed after writing its rows, before committing: nothing of it stays."""
        seed(pg_store, support_flow(), 300, T0)
        proc = spawn("hang", pg_store.engine.url.render_as_string(False), NOW.isoformat(), "300")
        assert proc.stdout is not None
        assert proc.stdout.readline() == "written\n"  # rows updated, transaction still open
        proc.kill()
        proc.wait(timeout=30)
        with pg_store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(OUTBOX)).scalar_one() == 0
            assert set(conn.execute(select(TICKETS.c.version)).scalars()) == {3}
        done = 0
        deadline = time.monotonic() + 30
        while done < 300 and time.monotonic() < deadline:  # until the server drops its locks
            done += pg_store.sweep(NOW).tickets
        assert done == 300
        check_swept_once(pg_store, 300)


class TestOneTicketManyWriters:
    @pytest.mark.parametrize("mode", ["expected", "locked"])
    def test_eight_processes_apply_to_one_ticket(
        self, pg_store: TicketStore, tmp_path: Path, mode: str
    ) -> None:
        """8 writers, 10 events each: accepted events logged once, versions gapless, no lost update.

        With the version read passed as expected_version, a writer that lost
        the race gets ConflictError; without it the row lock queues writers
        and every event is accepted.
        """
        pg_store.start("support", id="T-1", at=T0)
        go = tmp_path / "go"
        url = pg_store.engine.url.render_as_string(False)
        jobs = [("apply", url, "T-1", "10", str(w), mode, str(go)) for w in range(8)]
        results = fork_all(jobs, go)
        accepted = {(r["worker"], n) for r in results for n in r["accepted"]}
        conflicts = sum(r["conflicts"] for r in results)
        assert len(accepted) + conflicts == 8 * 10
        if mode == "locked":
            assert conflicts == 0
        log = pg_store.history("T-1")[1:]
        logged = [(e["data"]["worker"], e["data"]["n"]) for e in log]
        assert len(logged) == len(set(logged))  # none twice
        assert set(logged) == accepted  # none lost, none invented
        with pg_store.engine.connect() as conn:
            versions = list(
                conn.execute(
                    select(EVENTS.c.version).where(EVENTS.c.ticket_id == "T-1").order_by("version")
                ).scalars()
            )
        assert versions == list(range(1, 2 + len(accepted)))
        assert pg_store.get("T-1").version == 1 + len(accepted)


class TestServerRestart:
    def test_a_sweep_during_the_outage_fails_by_name_and_the_next_completes(
        self, own_pg_server: PostgresServer
    ) -> None:
        """Server stopped: StorageError naming the sweep; restarted: the next sweep does it all."""
        url = own_pg_server.create_database("restart")
        store = TicketStore(url, workflows=[support_flow()])
        store.create_tables()
        seed(store, support_flow(), 100, T0)
        assert store.sweep(NOW, limit=40).tickets == 40
        own_pg_server.stop()
        with pytest.raises(tf.StorageError, match=r"^sweep: database error") as info:
            store.sweep(NOW)
        assert info.value.operation == "sweep"
        own_pg_server.start()
        result = store.sweep(NOW)
        assert (result.tickets, result.full) == (60, False)
        check_swept_once(store, 100)
        store.engine.dispose()
