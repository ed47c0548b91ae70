"""A real PostgreSQL server for tests, started in a temporary folder.

``initdb`` makes a cluster in a fresh folder, ``pg_ctl`` runs it listening
on a Unix socket only (no TCP port, so parallel test workers never clash),
with durability settings off for speed. As root the server runs as the
``postgres`` user (PostgreSQL refuses to run as root), through ``runuser``.

The binaries are looked up on ``PATH``, then in ``/usr/lib/postgresql/*/bin``
(where Debian's ``postgresql`` package puts them). Without them
:func:`start_server` raises :class:`PostgresUnavailable`; the pytest fixtures
turn that into a skip, except under ``CI=true`` where it is a failure.

Use as a context manager::

    with postgres_server() as server:
        engine = sqlalchemy.create_engine(server.url)

or through the fixtures ``pg_server`` (one server per test session) and
``pg_url`` (a fresh, empty database on it for each test), or around a
command, which finds the server in ``DATABASE_URL`` (a libpq URL) and whose
exit status is returned::

    python -m tests.pgserver run -- make example-django
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import sqlalchemy
from attrs import frozen

__all__ = [
    "PostgresServer",
    "PostgresUnavailable",
    "find_binary",
    "own_pg_server",
    "pg_server",
    "pg_url",
    "postgres_server",
    "start_server",
]

_SEARCH = ("/usr/lib/postgresql/*/bin",)
_SERVICE_USER = "postgres"
_START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
_SETTINGS = (
    "-c listen_addresses='' -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB"
)


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed, or the server did not start."""


def find_binary(name: str) -> Path | None:
    """The path of a PostgreSQL program (``initdb``, ``pg_ctl``...), or None."""
    found = shutil.which(name)
    if found:
        return Path(found)
    for pattern in _SEARCH:
        for folder in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True):
            if (folder / name).is_file():
                return folder / name
    return None


@frozen
class PostgresServer:
    """A running server made by :func:`start_server`.

    Attributes:
        folder: The temporary folder holding the data, the socket and the log.
        runas: The command prefix that runs a program as the server's user.
        pg_ctl: The ``pg_ctl`` program.
    """

    folder: Path
    runas: tuple[str, ...]
    pg_ctl: Path

    @property
    def data(self) -> Path:
        """The cluster's data folder."""
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        """The folder holding the server's Unix socket."""
        return self.folder

    @property
    def log(self) -> Path:
        """The server's log file."""
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for ``database`` over the Unix socket."""
        return f"postgresql+psycopg://{_SERVICE_USER}@/{database}?host={self.socket_dir}"

    def libpq_url(self, database: str = "postgres") -> str:
        """A libpq URL (``postgresql://``, the socket folder as ``host``) for ``database``."""
        return f"postgresql://{_SERVICE_USER}@/{database}?host={self.socket_dir}"

    def start(self) -> None:
        """Start the server (again) and wait until it accepts connections."""
        command = [
            *self.runas,
            str(self.pg_ctl),
            "start",
            "-w",
            "-t",
            str(_START_TIMEOUT),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            f"-k {self.socket_dir} {_SETTINGS}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr}{done.stdout}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: roll back open transactions and disconnect)."""
        subprocess.run(
            [*self.runas, str(self.pg_ctl), "stop", "-w", "-m", mode, "-D", str(self.data)],
            capture_output=True,
            check=False,
        )

    def create_database(self, name: str) -> str:
        """Create an empty database ``name``; return its URL."""
        engine = sqlalchemy.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            engine.dispose()
        return self.url(name)


def start_server(parent: str | os.PathLike[str] | None = None) -> PostgresServer:
    """Make a cluster in a new temporary folder and start a server on it.

    Raises:
        PostgresUnavailable: ``initdb`` or ``pg_ctl`` is not installed, or the
            server did not start (the message holds its log).
    """
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise PostgresUnavailable(
            "PostgreSQL's initdb and pg_ctl were not found on PATH or in "
            "/usr/lib/postgresql/*/bin (install the postgresql package)"
        )
    # a short path: a Unix socket's path is limited to about 100 bytes
    folder = Path(tempfile.mkdtemp(prefix="tfpg-", dir=parent))
    runas: tuple[str, ...] = ()
    if os.geteuid() == 0:
        runas = ("runuser", "-u", _SERVICE_USER, "--")
        shutil.chown(folder, user=_SERVICE_USER)
        folder.chmod(0o755)
    done = subprocess.run(
        [
            *runas,
            str(initdb),
            "-D",
            str(folder / "data"),
            "-U",
            _SERVICE_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {done.stderr}")
    server = PostgresServer(folder, runas, pg_ctl)
    try:
        server.start()
    except PostgresUnavailable:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return server


@contextlib.contextmanager
def postgres_server(parent: str | os.PathLike[str] | None = None) -> Iterator[PostgresServer]:
    """A running server for the ``with`` block; stopped and removed after it."""
    server = start_server(parent)
    try:
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(server.folder, ignore_errors=True)


def require_server() -> Iterator[PostgresServer]:
    """Yield a server; skip without PostgreSQL, except under ``CI=true`` (a failure)."""
    try:
        manager = postgres_server()
        server = manager.__enter__()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI: {exc}")
        pytest.skip(f"PostgreSQL is not available: {exc}")
    try:
        yield server
    finally:
        manager.__exit__(None, None, None)


_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the test session (per test worker)."""
    yield from require_server()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """The SQLAlchemy URL of a fresh, empty database on the session's server."""
    return pg_server.create_database(f"test_{os.getpid()}_{next(_numbers)}")


@pytest.fixture
def own_pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the test's own, for tests that stop and restart it."""
    yield from require_server()


def run(command: Sequence[str]) -> int:
    """Run ``command`` with ``DATABASE_URL`` naming a fresh server; its exit status.

    Raises:
        PostgresUnavailable: the server could not be started.
    """
    with postgres_server() as server:
        env = {**os.environ, "DATABASE_URL": server.libpq_url()}
        return subprocess.run(list(command), env=env, check=False).returncode


def main(argv: Sequence[str]) -> int:
    """``run -- COMMAND...``: ``COMMAND`` against a server started for it, then stopped."""
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print("usage: python -m tests.pgserver run -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    try:
        return run(argv[2:])
    except PostgresUnavailable as exc:
        print(f"tests.pgserver: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
