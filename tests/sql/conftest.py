"""Fixtures of the storage tests: a store on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import support_flow
from tests.pgserver import own_pg_server, pg_server, pg_url
from ticketflow.sql import TicketStore

__all__ = ["db_url", "own_pg_server", "pg_server", "pg_url", "store"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tickets.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[TicketStore]:
    """A store of the support workflow with its tables created."""
    s = TicketStore(db_url, workflows=[support_flow()])
    s.create_tables()
    yield s
    s.engine.dispose()
