"""``python -m tests.pgserver run -- COMMAND``: the command sees a live server in DATABASE_URL."""

from __future__ import annotations

import os
import sys

import pytest

from tests import pgserver

# the command connects to DATABASE_URL, checks the server answers, and exits with 3
PROBE = (
    "import os, sys, psycopg\n"
    "with psycopg.connect(os.environ['DATABASE_URL']) as conn:\n"
    "    assert conn.execute('select 1 + 1').fetchone() == (2,)\n"
    "sys.exit(3)\n"
)


def test_the_command_reaches_the_server_and_its_status_is_returned(
    capfd: pytest.CaptureFixture[str],
) -> None:
    if pgserver.find_binary("initdb") is None and os.environ.get("CI") != "true":
        pytest.skip("PostgreSQL is not installed")
    assert pgserver.main(["run", "--", sys.executable, "-c", PROBE]) == 3
    assert "Traceback" not in capfd.readouterr().err


def test_a_command_is_required() -> None:
    assert pgserver.main(["run"]) == 2
    assert pgserver.main(["start", "--", "true"]) == 2
