"""benchmarks/bench_sql.py runs end to end on a few tickets (no timing is asserted)."""

from __future__ import annotations

from benchmarks import bench_sql
from tests.pgserver import PostgresServer


def test_the_sql_benchmark_runs_and_both_sides_sweep_every_ticket(
    pg_server: PostgresServer,
) -> None:
    """ticketflow and the floor each sweep all 60 tickets (the run checks the counts)."""
    text, rows = bench_sql.section(tickets=60, rounds=1, applies=5)
    assert "| 1 |" in text
    assert "| 2 |" in text
    assert "| SQLite file |" in text
    assert "| PostgreSQL (Unix socket) |" in text
    assert len(rows) == 1
    assert rows[0].startswith("| SQL sweep throughput, 1 and 2 processes, 60 due tickets")
