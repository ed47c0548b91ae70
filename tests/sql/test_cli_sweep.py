"""``ticketflow sweep`` as a real subprocess, with real signals.

The command reads the clock, so its tickets are seeded relative to now: the
help-center preset's tickets answered by an agent 39 days ago have long
passed both auto_resolve (5 business days in Madrid) and auto_close: one
sweep takes each from version 2 to version 4 and queues a ``notify`` and a
``survey``.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import func, select, update

import ticketflow as tf
from tests.helpers import T0, support_flow
from tests.pgserver import PostgresServer
from tests.sql.seed import seed
from ticketflow import _cli_sweep, presets
from ticketflow.cli import main
from ticketflow.sql import TicketStore
from ticketflow.sql._schema import OUTBOX, TICKETS

HELP_CENTER = presets.get("help-center")
ANSWERED = (("reply", 24.0, "agent"),)
SRC = str(Path(tf.__file__).resolve().parent.parent)
ROOT = str(Path(__file__).resolve().parents[2])


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ticketflow", "sweep", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, ROOT])}


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[TicketStore]:
    store = TicketStore(f"sqlite:///{tmp_path / 'tickets.db'}", workflows=[HELP_CENTER])
    store.create_tables()
    yield store
    store.engine.dispose()


def versions(store: TicketStore) -> dict[int, int]:
    """How many tickets are at each version."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(TICKETS.c.version, func.count()).group_by(TICKETS.c.version)
        ).all()
    return {int(v): int(n) for v, n in rows}


def outbox_per_ticket(store: TicketStore) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(OUTBOX.c.ticket_id, func.count()).group_by(OUTBOX.c.ticket_id)
        ).all()
    return {str(t): int(n) for t, n in rows}


class TestOnce:
    def test_once_with_deliver_sweeps_and_prints_each_effect_once(
        self, sqlite_store: TicketStore
    ) -> None:
        """--once --deliver advances every due ticket and prints each effect as one JSON line."""
        seed(sqlite_store, HELP_CENTER, 3, datetime.now(UTC) - timedelta(days=40), ANSWERED)
        url = str(sqlite_store.engine.url)
        args = ("--db", url, "--workflow", "preset:help-center", "--once", "--deliver")
        done = subprocess.run(
            command(*args, "--limit", "2"),
            capture_output=True,
            text=True,
            env=environment(),
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, "")
        lines = done.stdout.splitlines()
        assert lines[:2] == [
            "swept 2 ticket(s): 4 item(s) fired, 4 effect(s) queued",
            "swept 1 ticket(s): 2 item(s) fired, 2 effect(s) queued",
        ]
        items = [json.loads(line) for line in lines[2:]]
        keys = sorted((i["ticket_id"], i["version"], i["sequence"]) for i in items)
        assert keys == [(f"T-{n:06d}", 4, s) for n in range(3) for s in (0, 1)]
        assert sorted({i["kind"] for i in items}) == ["notify", "survey"]
        assert versions(sqlite_store) == {4: 3}
        again = subprocess.run(
            command(*args), capture_output=True, text=True, env=environment(), check=False
        )
        assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    def test_bad_arguments_are_one_line_and_status_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown preset, an unreadable file or a bad interval: one line, no traceback."""
        url = f"sqlite:///{tmp_path / 't.db'}"
        for args, words in (
            (("--workflow", "preset:nope"), "unknown preset 'nope'"),
            (("--workflow", str(tmp_path / "missing.toml")), "missing.toml"),
            (("--workflow", "preset:help-center", "--every", "soon"), "'soon'"),
        ):
            assert main(["sweep", "--db", url, *args, "--once"]) == 2
            err = capsys.readouterr().err
            assert words in err
            assert "Traceback" not in err

    def test_a_database_failure_with_once_is_status_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A database that cannot be opened is one line naming the failure, and status 1."""
        url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
        assert main(["sweep", "--db", url, "--workflow", "preset:help-center", "--once"]) == 1
        err = capsys.readouterr().err
        assert err == "ticketflow sweep: sweep: database error: unable to open database file\n"


class TestSignals:
    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
    def test_a_signal_stops_after_the_batch_in_hand(
        self, sqlite_store: TicketStore, signum: int
    ) -> None:
        """SIGTERM/SIGINT mid-run: status 0, every printed batch committed, none half-written."""
        count = 3000
        seed(sqlite_store, HELP_CENTER, count, datetime.now(UTC) - timedelta(days=40), ANSWERED)
        url = str(sqlite_store.engine.url)
        proc = subprocess.Popen(
            command("--db", url, "--workflow", "preset:help-center", "--limit", "5"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the first batch is committed and reported
        assert first.startswith("swept 5 ticket(s)")
        proc.send_signal(signum)
        rest, err = proc.communicate(timeout=60)
        assert proc.returncode == 0
        assert err == "ticketflow sweep: stopped\n"
        reported = sum(int(line.split()[1]) for line in [first, *rest.splitlines()])
        at = versions(sqlite_store)
        # each ticket is untouched (version 2) or fully swept (version 4), never in between
        assert set(at) <= {2, 4}
        assert at.get(4, 0) == reported < count
        assert set(outbox_per_ticket(sqlite_store).values()) == {2}
        assert len(outbox_per_ticket(sqlite_store)) == reported


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    """The lines of ``stream``, as a reader thread sees them."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def wait_for_line(lines: queue.Queue[str], words: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        if words in line:
            return line


class TestServerRestart:
    def test_the_running_sweeper_reports_the_outage_then_sweeps_again(
        self, own_pg_server: PostgresServer
    ) -> None:
        """PostgreSQL stopped under a running sweeper: a named error; restarted: it sweeps on."""
        url = own_pg_server.create_database("restart")
        store = TicketStore(url, workflows=[HELP_CENTER])
        store.create_tables()
        long_ago = datetime.now(UTC) - timedelta(days=40)
        seed(store, HELP_CENTER, 20, long_ago, ANSWERED, prefix="A-")
        proc = subprocess.Popen(
            command("--db", url, "--workflow", "preset:help-center", "--every", "200ms"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        assert proc.stdout is not None
        assert proc.stderr is not None
        out, err = lines_of(proc.stdout), lines_of(proc.stderr)
        try:
            assert wait_for_line(out, "swept").startswith("swept 20 ticket(s)")
            own_pg_server.stop()
            assert wait_for_line(err, "database error").startswith(
                "ticketflow sweep: sweep: database error:"
            )
            own_pg_server.start()
            seed(store, HELP_CENTER, 10, long_ago, ANSWERED, prefix="B-")
            assert wait_for_line(out, "swept").startswith("swept 10 ticket(s)")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        assert proc.returncode == 0
        assert versions(store) == {4: 30}
        assert set(outbox_per_ticket(store).values()) == {2}
        assert len(outbox_per_ticket(store)) == 30
        store.engine.dispose()


class TestReports:
    def test_an_unreadable_ticket_is_reported_and_once_exits_1(
        self, sqlite_store: TicketStore, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A due ticket whose snapshot is broken: one line naming it, the others swept, status 1."""
        seed(sqlite_store, HELP_CENTER, 2, datetime.now(UTC) - timedelta(days=40), ANSWERED)
        with sqlite_store.engine.begin() as conn:
            conn.execute(
                update(TICKETS).where(TICKETS.c.id == "T-000000").values(snapshot={"schema": 7})
            )
        url = str(sqlite_store.engine.url)
        assert main(["sweep", "--db", url, "--workflow", "preset:help-center", "--once"]) == 1
        out, err = capsys.readouterr()
        assert out == "swept 1 ticket(s): 2 item(s) fired, 2 effect(s) queued\n"
        assert err.startswith("ticketflow sweep: ticket 'T-000000': schema: schema 7 is newer")

    @pytest.mark.parametrize("limit", ["0", "10001", "many"])
    def test_a_bad_limit_is_a_usage_error(
        self, limit: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--limit takes a number from 1 to 10,000."""
        args = ["sweep", "--db", "sqlite://", "--workflow", "preset:help-center", "--limit", limit]
        assert main(args) == 2
        assert f"{limit!r} is not a number from 1 to 10000" in capsys.readouterr().err


def no_calendar(attrs: Mapping[str, Any]) -> tf.BusinessCalendar:
    """A calendar chooser that fails, as a user's might."""
    raise RuntimeError("no calendar for this team")


def test_a_failing_workflow_callable_is_one_line_and_the_round_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A chooser raising while a sweep arms a timer: one line, nothing written, status 1."""
    wf = support_flow(
        timers=[
            tf.Timer("waiting", after=timedelta(hours=48), event="auto_resolve"),
            tf.Timer("resolved", after=timedelta(hours=72), event="close", calendar=no_calendar),
        ]
    )
    store = TicketStore(f"sqlite:///{tmp_path / 't.db'}", workflows=[wf])
    store.create_tables()
    seed(store, wf, 2, T0)  # auto_resolve due at T0 + 50 h enters resolved: the chooser runs
    args = argparse.Namespace(limit=500, deliver=False)
    assert _cli_sweep._round(store, args, threading.Event()) is False
    assert capsys.readouterr().err == "ticketflow sweep: RuntimeError: no calendar for this team\n"
    assert versions(store) == {3: 2}
    store.engine.dispose()
