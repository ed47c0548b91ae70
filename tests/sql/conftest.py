"""Fixtures of the storage tests: a store on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.helpers import support_flow
from tests.pgserver import PostgresServer, own_pg_server, pg_server, pg_url
from ticketflow.sql import METADATA, TicketStore

__all__ = ["db_url", "own_pg_server", "pg_server", "pg_shared_url", "pg_url", "store"]


@pytest.fixture(scope="session")
def pg_shared_url(pg_server: PostgresServer) -> str:
    """A PostgreSQL database with the store's tables, shared by the tests that empty it."""
    url = pg_server.create_database("shared")
    engine = create_engine(url)
    METADATA.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with the store's tables, all empty: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tickets.db'}"
        engine = create_engine(url)
        METADATA.create_all(engine)
        engine.dispose()
        return url
    url = request.getfixturevalue("pg_shared_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE ticketflow_outbox, ticketflow_events, ticketflow_tickets")
    engine.dispose()
    return str(url)


@pytest.fixture
def store(db_url: str) -> Iterator[TicketStore]:
    """A store of the support workflow on the test's empty database."""
    s = TicketStore(db_url, workflows=[support_flow()])
    yield s
    s.engine.dispose()
