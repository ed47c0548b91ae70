"""TicketStore: tickets in a SQL database, each call one transaction.

Rules of operation:

* Every public call opens one transaction and either commits all it wrote
  or nothing. On SQLite the transaction starts with ``BEGIN IMMEDIATE``, so
  writers queue one behind the other; on PostgreSQL the ticket rows a call
  changes are locked (``SELECT ... FOR UPDATE``; ``SKIP LOCKED`` in
  ``sweep``, so sweepers never wait on each other's rows).
* The engine runs between the read and the write; the write names the
  version it read (``UPDATE ... WHERE version = :read``), so a lost update
  is impossible even without the lock, and ``ConflictError`` says so.
* An accepted event is appended to the ticket's log in the same
  transaction; its effects go to the outbox, keyed ``(ticket_id, version,
  sequence)``. Timer firings are not logged: replaying the log and
  advancing to the last sweep gives the stored ticket.
* ``deliver`` runs one short transaction per outbox item: lock it, call the
  handler, mark it delivered (or count the failure) and commit.
* Lazy migration: a ticket recorded under another version of its workflow
  (``workflow_version`` not the store's workflow's, and not None: a
  snapshot from before versions counts as current) is carried over with
  ``wf.migrate`` by the call that meets it, in that call's transaction:
  ``apply`` at the event's (clamped) instant, ``sweep`` at ``now``, ``get``
  at its ``at`` or else at the ticket's last change. The migrated snapshot
  is written with the same version check, the migration is logged as an
  entry named ``migrate`` (data: ``from`` and ``to`` versions) and its
  effects, if any, go to the outbox under the migration's version.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Row,
    bindparam,
    create_engine,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy import exc as sa_exc

from ticketflow._checks import show
from ticketflow._errors import (
    ArgumentError,
    ConflictError,
    SnapshotError,
    StepLimitError,
    StorageError,
    TicketflowError,
    TicketNotFound,
    UnknownWorkflowError,
)
from ticketflow._limits import check_instant
from ticketflow._migrate import MIGRATE
from ticketflow._ticket import Outcome, Ticket, _dt_in, _dt_out, make_outcome
from ticketflow._workflow import Workflow

from ._codec import decode_data, decode_effect, encode_data, encode_effect, read_json
from ._results import DeliveryResult, OutboxItem, OutboxState, SweepResult
from ._schema import EVENTS, METADATA, NAME_LENGTH, OUTBOX, TICKETS

__all__ = ["MAX_BATCH", "TicketStore"]

#: The largest ``limit`` that ``sweep``, ``deliver`` and ``outbox`` take.
MAX_BATCH = 10_000
_STATES = ("pending", "delivered", "dead")
_SQLITE_TIMEOUT = 30  # seconds a writer waits for SQLite's lock before giving up

Handler = Callable[[OutboxItem], object]

# the version-checked write of a ticket row, for one row or many (executemany)
_WRITE = (
    update(TICKETS)
    .where(TICKETS.c.id == bindparam("k_id"), TICKETS.c.version == bindparam("k_read"))
    .values(
        {
            name: bindparam(name)
            for name in (
                "status",
                "category",
                "version",
                "updated_at",
                "next_deadline",
                "snapshot",
                "workflow_version",
                "snapshot_error",
            )
        }
    )
)


class TicketStore:
    """Tickets of one or more workflows kept in a SQL database.

    Args:
        url_or_engine: A SQLAlchemy URL (``"sqlite:///tickets.db"``,
            ``"postgresql+psycopg://user@host/db"``) or an ``Engine``.
        workflows: The workflows whose tickets this store runs; a ticket
            names its workflow, and ``sweep`` advances only tickets of these.

    Raises:
        ArgumentError: the URL cannot be read, ``workflows`` holds something
            that is not a Workflow, or two workflows share a name.
    """

    def __init__(self, url_or_engine: str | Engine, *, workflows: Iterable[Workflow]) -> None:
        self._workflows = _by_name(workflows)
        self._engine = _engine(url_or_engine)
        self._sqlite = self._engine.dialect.name == "sqlite"

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine the store uses."""
        return self._engine

    @property
    def metadata(self) -> MetaData:
        """The store's tables as SQLAlchemy ``MetaData`` (for Alembic, or ``create_all``)."""
        return METADATA

    def create_tables(self) -> None:
        """Create the store's tables and indexes where they do not exist yet."""
        with self._transaction("create_tables") as conn:
            METADATA.create_all(conn)

    # --- one ticket -----------------------------------------------------------------------

    def start(
        self,
        workflow: str,
        *,
        id: str,
        at: datetime,
        attrs: Mapping[str, Any] | None = None,
    ) -> Ticket:
        """Start a ticket of ``workflow`` with the id ``id`` at ``at``; store and return it.

        Raises:
            UnknownWorkflowError: the store has no workflow of that name.
            ConflictError: a ticket with this id exists already.
            ArgumentError: ``id`` is not a non-empty string of at most 200 characters.
            InstantError, AttrsError: as :meth:`Workflow.start` raises them.
            StorageError: the database failed (nothing was written).
        """
        wf = self._workflow(workflow)
        _check_id(id)
        out = wf.start(at=at, id=id, attrs=attrs)
        ticket = out.ticket
        row = {"id": id, "workflow": wf.name, "created_at": ticket.created_at}
        row.update(_columns(wf, ticket))
        with self._transaction("start") as conn:
            try:
                conn.execute(insert(TICKETS), row)
            except sa_exc.IntegrityError:
                raise ConflictError(
                    id, None, None, f"a ticket with id {id!r} exists already"
                ) from None
            conn.execute(insert(EVENTS), _event_row(ticket, "start", at, at, None, ticket.attrs))
            _enqueue(conn, id, ticket.version, out)
        return ticket

    def get(self, ticket_id: str, *, at: datetime | None = None) -> Ticket:
        """The stored ticket, carried over to the store's workflow if it changed.

        A ticket recorded under another version of its workflow is migrated
        (``wf.migrate``) and written back in one transaction: at ``at`` when
        given (never before the ticket's last change), else at its last
        change (``updated_at``), so a ``get`` without ``at`` migrates the same
        way whenever it runs. Pass the current time as ``at`` to migrate as
        ``sweep`` would: reminders the new rules put before ``at`` are then
        dropped instead of sent late. What falls due fires at the next
        ``sweep`` or ``apply``. Of two calls that meet the same old ticket,
        one migrates it and the other reads the result.

        Raises:
            TicketNotFound: no ticket has this id.
            SnapshotError: the stored snapshot cannot be read or carried over
                (``ticket_id`` names the ticket).
            InstantError: ``at`` is not an aware datetime in the supported range.
            StorageError: the database failed.
        """
        if at is not None:
            at = check_instant(at, "at")
        with self._transaction("get", write=False) as conn:
            ticket = self._select(conn, ticket_id, lock=False)
        wf = self._workflows.get(ticket.workflow)
        if wf is None or _current(wf, ticket):
            return ticket
        with self._transaction("get") as conn:
            ticket = self._select(conn, ticket_id, lock=True)
            moved = _migration(wf, ticket, ticket.updated_at if at is None else at)
            if moved is None:  # another call migrated it meanwhile
                return ticket
            _write(conn, wf, ticket, moved.ticket)
            _record_migration(conn, ticket, moved)
        return moved.ticket

    def apply(
        self,
        ticket_id: str,
        event: str,
        *,
        at: datetime,
        actor: str | None = None,
        data: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """Apply ``event`` to the stored ticket (``late="clamp"``) and store the result.

        The ticket's row is locked, what fell due before ``at`` fires first,
        the event is logged at its effective (clamped) instant and the
        effects go to the outbox, all in one transaction. A ticket of
        another version of its workflow is first migrated at that instant
        (see :meth:`get`): the outcome's first step is then ``migrate``.

        Raises:
            TicketNotFound: no ticket has this id.
            ConflictError: ``expected_version`` is given and is not the
                stored version, or the row changed under the call.
            TransitionError: (and its kinds ``NotPermitted``, ``GuardRejected``,
                ``EventDataError``), ``AttrsError``, ``InstantError`` or
                ``StepLimitError``, as :meth:`Workflow.apply` raises them;
                nothing is written.
            SnapshotError: the stored snapshot cannot be read or carried over.
            ArgumentError: ``expected_version`` is not an int or None.
            StorageError: the database failed (nothing was written).
        """
        if expected_version is not None and (
            isinstance(expected_version, bool) or not isinstance(expected_version, int)
        ):
            raise ArgumentError(
                f"expected_version must be an int or None, got {show(expected_version)}",
                "expected_version",
                expected_version,
            )
        with self._transaction("apply") as conn:
            ticket = self._lock(conn, ticket_id)
            if expected_version is not None and expected_version != ticket.version:
                raise ConflictError(ticket_id, expected_version, ticket.version)
            wf = self._workflow(ticket.workflow)
            moved = None if _current(wf, ticket) else _migration(wf, ticket, at)
            before = ticket if moved is None else moved.ticket
            out = wf.apply(before, event, at=at, actor=actor, data=data, late="clamp")
            new = out.ticket
            _write(conn, wf, ticket, new)
            if moved is not None:
                _record_migration(conn, ticket, moved)
            step = out.steps[-1]
            conn.execute(
                insert(EVENTS), _event_row(new, event, step.at, step.requested_at, actor, data)
            )
            _enqueue(conn, ticket_id, new.version, out)
        return out if moved is None else _joined(moved, out)

    def history(self, ticket_id: str) -> list[dict[str, Any]]:
        """The ticket's event log, oldest first, as :meth:`Workflow.replay` takes it.

        Each entry has ``name``, ``at`` (the effective instant, after
        clamping), ``actor`` and ``data``; the first is ``start`` (its data
        the attributes) and carries the ticket's ``id``. A lazy migration is
        an entry named ``migrate`` (data: the ``from`` and ``to`` versions),
        which :meth:`Workflow.replay` does not take: replay the entries
        before it with the old workflow, ``migrate`` at its ``at``, then
        apply the rest.

        Raises:
            TicketNotFound: no ticket has this id.
            SnapshotError: a stored entry cannot be read.
            StorageError: the database failed.
        """
        with self._transaction("history", write=False) as conn:
            rows = conn.execute(
                select(EVENTS.c.name, EVENTS.c.stamp, EVENTS.c.actor, EVENTS.c.data)
                .where(EVENTS.c.ticket_id == ticket_id)
                .order_by(EVENTS.c.version)
            ).all()
            if not rows and conn.execute(_exists(ticket_id)).first() is None:
                raise TicketNotFound(ticket_id)
        log = [_log_entry(ticket_id, row) for row in rows]
        if log:
            log[0]["id"] = ticket_id
        return log

    # --- many tickets ---------------------------------------------------------------------

    def sweep(self, now: datetime, *, limit: int = 500) -> SweepResult:
        """Advance up to ``limit`` due tickets to ``now``, earliest deadline first.

        One transaction claims the tickets whose ``next_deadline`` is at or
        before ``now`` (skipping rows other sweepers hold, on PostgreSQL),
        fires what fell due and writes them with their effects. A ticket
        whose snapshot cannot be read or carried over to a changed workflow
        is reported in ``errors`` and passed over by later sweeps; the others
        go on. A ticket of another version of its workflow is migrated at
        ``now`` (see :meth:`get`) before it is advanced.

        Raises:
            InstantError: ``now`` is not an aware datetime in the supported range.
            ArgumentError: ``limit`` is not an int from 1 to ``MAX_BATCH``.
            StorageError: the database failed (nothing was written).
        """
        now = check_instant(now, "now")
        limit = _limit(limit)
        claim = (
            select(TICKETS.c.id, TICKETS.c.snapshot)
            .where(
                TICKETS.c.next_deadline <= now,
                TICKETS.c.workflow.in_(sorted(self._workflows)),
                TICKETS.c.snapshot_error.is_(None),
            )
            .order_by(TICKETS.c.next_deadline, TICKETS.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self._transaction("sweep") as conn:
            rows = conn.execute(claim).all()
            batch = _Batch()
            for row in rows:
                try:
                    ticket = self._read(row.id, row.snapshot)
                    wf = self._workflow(ticket.workflow)
                    moved = None if _current(wf, ticket) else _migration(wf, ticket, now)
                    before = ticket if moved is None else moved.ticket
                    batch.add(wf, ticket, _advance(wf, before, now), moved)
                except (SnapshotError, UnknownWorkflowError) as exc:
                    batch.errors.append(_naming(exc, row.id))
            batch.flush(conn)
        return SweepResult(
            batch.tickets, batch.fired, batch.effects, tuple(batch.errors), len(rows) == limit
        )

    def deliver(
        self, handler: Handler, *, limit: int = 100, max_attempts: int = 5
    ) -> DeliveryResult:
        """Hand up to ``limit`` pending outbox items to ``handler``, oldest first.

        Each item is locked, handed over and marked delivered in one
        transaction, so an item is delivered at least once and, but for a
        crash between the handler's return and the commit, exactly once
        (the item's ``key`` lets a handler tell). A handler that raises
        leaves the item pending with one more attempt and its error; on the
        ``max_attempts``-th failure it is set aside as dead.

        Raises:
            ArgumentError: ``limit`` or ``max_attempts`` is out of range.
            StorageError: the database failed (the item in hand stays pending).
        """
        limit = _limit(limit)
        max_attempts = _limit(max_attempts, "max_attempts")
        failed: list[tuple[str, int, int]] = []
        counts = {"delivered": 0, "failed": 0, "dead": 0}
        for _ in range(limit):
            with self._transaction("deliver") as conn:
                row = conn.execute(_next_pending(failed)).first()
                if row is None:
                    break
                outcome, error = _hand_over(handler, row)
                attempts = row.attempts + (error is not None)
                if error is not None:
                    failed.append((row.ticket_id, row.version, row.sequence))
                    outcome = "dead" if attempts >= max_attempts else "failed"
                conn.execute(
                    update(OUTBOX)
                    .where(*_key_is(row))
                    .values(
                        state="pending" if outcome == "failed" else outcome,
                        attempts=attempts,
                        last_error=error if error is not None else row.last_error,
                    )
                )
            counts[outcome] += 1
        return DeliveryResult(**counts)

    def outbox(
        self, state: OutboxState = "pending", *, ticket_id: str | None = None, limit: int = 100
    ) -> tuple[OutboxItem, ...]:
        """Outbox items in ``state`` (``pending``, ``delivered`` or ``dead``), oldest first.

        Raises:
            ArgumentError: an unknown ``state``, or ``limit`` out of range.
            SnapshotError: a stored effect cannot be read.
            StorageError: the database failed.
        """
        if state not in _STATES:
            raise ArgumentError(
                f"state must be one of {', '.join(_STATES)}, got {show(state)}", "state", state
            )
        query = select(OUTBOX).where(OUTBOX.c.state == state)
        if ticket_id is not None:
            query = query.where(OUTBOX.c.ticket_id == ticket_id)
        query = query.order_by(*_OUTBOX_ORDER).limit(_limit(limit))
        with self._transaction("outbox", write=False) as conn:
            rows = conn.execute(query).all()
        return tuple(_item(row) for row in rows)

    # --- inside a transaction -------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self, operation: str, *, write: bool = True) -> Iterator[Connection]:
        """One transaction; a database failure becomes StorageError naming ``operation``."""
        try:
            with self._engine.begin() as conn:
                if write and self._sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
        except sa_exc.SQLAlchemyError as exc:
            raise StorageError(operation, _reason(exc)) from exc

    def _lock(self, conn: Connection, ticket_id: str) -> Ticket:
        """Lock the ticket's row and read it."""
        return self._select(conn, ticket_id, lock=True)

    def _select(self, conn: Connection, ticket_id: str, *, lock: bool) -> Ticket:
        query = select(TICKETS.c.id, TICKETS.c.snapshot).where(TICKETS.c.id == ticket_id)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise TicketNotFound(ticket_id)
        return self._read(row.id, row.snapshot)

    def _read(self, ticket_id: str, raw: object) -> Ticket:
        """The ticket a stored snapshot holds (the one place a snapshot is read)."""
        try:
            ticket = Ticket.from_dict(read_json(raw))
        except TicketflowError as exc:
            raise _naming(exc, ticket_id) from None
        if ticket.id != ticket_id:
            raise SnapshotError(
                f"the row holds the snapshot of ticket {ticket.id!r}", "id", ticket_id=ticket_id
            )
        return ticket

    def _workflow(self, name: str) -> Workflow:
        try:
            return self._workflows[name]
        except (KeyError, TypeError):
            raise UnknownWorkflowError(name, self._workflows) from None


# --- writing --------------------------------------------------------------------------------


def _columns(wf: Workflow, ticket: Ticket) -> dict[str, Any]:
    """The indexed columns and the snapshot of a ticket's row (``workflow_version``: the
    version that wrote the snapshot, so a migration can select the tickets still to move)."""
    return {
        "status": ticket.status,
        "category": wf.category(ticket.status),
        "version": ticket.version,
        "updated_at": ticket.updated_at,
        "next_deadline": ticket.next_deadline,
        "snapshot": ticket.to_dict(),
        "workflow_version": ticket.workflow_version,
        "snapshot_error": None,  # a snapshot just written is readable
    }


def _write_params(wf: Workflow, old: Ticket, new: Ticket) -> dict[str, Any]:
    params = _columns(wf, new)
    params["k_id"] = old.id
    params["k_read"] = old.version
    return params


def _write(conn: Connection, wf: Workflow, old: Ticket, new: Ticket) -> None:
    """Write ``new`` over ``old`` if the row still holds ``old``'s version."""
    assert old.id is not None
    if conn.execute(_WRITE, _write_params(wf, old, new)).rowcount != 1:
        raise ConflictError(old.id, old.version, None)


def _event_row(
    ticket: Ticket,
    name: str,
    at: datetime,
    requested_at: datetime,
    actor: str | None,
    data: Mapping[str, Any] | None,
) -> dict[str, Any]:
    return {
        "ticket_id": ticket.id,
        "version": ticket.version,
        "name": name,
        "at": at,
        "stamp": _dt_out(at),
        "requested_at": requested_at,
        "actor": actor,
        "data": None if data is None else encode_data(data),
    }


def _outbox_rows(ticket_id: str, version: int, out: Outcome) -> list[dict[str, Any]]:
    return [
        {
            "ticket_id": ticket_id,
            "version": version,
            "sequence": i,
            "kind": e.kind,
            "at": e.at if e.at is not None else out.ticket.updated_at,
            "effect": encode_effect(e),
            "state": "pending",
            "attempts": 0,
            "last_error": None,
        }
        for i, e in enumerate(out.effects)
    ]


def _enqueue(conn: Connection, ticket_id: str, version: int, out: Outcome) -> None:
    if out.effects:
        conn.execute(insert(OUTBOX), _outbox_rows(ticket_id, version, out))


# --- lazy migration -------------------------------------------------------------------------


def _current(wf: Workflow, ticket: Ticket) -> bool:
    """Whether ``wf`` takes the ticket as it is (a snapshot without a version counts)."""
    return ticket.workflow_version is None or ticket.workflow_version == wf.version


def _migration(wf: Workflow, ticket: Ticket, at: datetime) -> Outcome | None:
    """The ticket carried over to ``wf`` at ``at`` (never before its last change), or None
    when it is current already."""
    if _current(wf, ticket):
        return None
    at = check_instant(at, "at")
    assert ticket.id is not None
    try:
        return wf.migrate(ticket, at=max(at, ticket.updated_at))
    except TicketflowError as exc:
        raise _naming(exc, ticket.id) from None


def _migration_rows(old: Ticket, moved: Outcome) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The log entry of a migration and its outbox rows."""
    new = moved.ticket
    assert old.id is not None
    data = {"from": old.workflow_version, "to": new.workflow_version}
    at = new.updated_at
    return _event_row(new, MIGRATE, at, at, None, data), _outbox_rows(old.id, new.version, moved)


def _record_migration(conn: Connection, old: Ticket, moved: Outcome) -> None:
    event, outbox = _migration_rows(old, moved)
    conn.execute(insert(EVENTS), event)
    if outbox:
        conn.execute(insert(OUTBOX), outbox)


def _joined(first: Outcome, then: Outcome) -> Outcome:
    """One outcome for two calls in a row: the last ticket, every step and effect."""
    return make_outcome(then.ticket, first.steps + then.steps, first.effects + then.effects)


class _Batch:
    """The writes of one sweep, sent as one statement each."""

    def __init__(self) -> None:
        self.writes: list[dict[str, Any]] = []
        self.outbox: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.errors: list[SnapshotError] = []
        self.tickets = self.fired = self.effects = 0

    def add(self, wf: Workflow, old: Ticket, out: Outcome, moved: Outcome | None) -> None:
        """Write ``out.ticket`` over ``old`` (``moved``: the migration it went through first)."""
        new = out.ticket
        if new.version == old.version:
            return
        assert old.id is not None
        self.writes.append(_write_params(wf, old, new))
        if moved is not None:
            event, outbox = _migration_rows(old, moved)
            self.events.append(event)
            self.outbox.extend(outbox)
            self.effects += len(moved.effects)
        self.outbox.extend(_outbox_rows(old.id, new.version, out))
        self.tickets += 1
        self.fired += new.version - old.version - (moved is not None)
        self.effects += len(out.effects)

    def flush(self, conn: Connection) -> None:
        if self.errors:
            conn.execute(
                update(TICKETS)
                .where(TICKETS.c.id == bindparam("k_id"))
                .values(snapshot_error=bindparam("error")),
                [{"k_id": e.ticket_id, "error": str(e)} for e in self.errors],
            )
        if self.writes:
            written = conn.execute(_WRITE, self.writes).rowcount
            if conn.dialect.supports_sane_multi_rowcount and written != len(self.writes):
                raise ConflictError(
                    "?", None, None, "a swept ticket changed under its row lock; nothing written"
                )
        if self.events:
            conn.execute(insert(EVENTS), self.events)
        if self.outbox:
            conn.execute(insert(OUTBOX), self.outbox)


def _advance(wf: Workflow, ticket: Ticket, now: datetime) -> Outcome:
    """Fire what is due; a ticket with more than MAX_STEPS due items goes as far as it can."""
    try:
        return wf.advance(ticket, now=now)
    except StepLimitError as exc:
        return cast(Outcome, exc.outcome)


# --- the outbox -----------------------------------------------------------------------------

_OUTBOX_ORDER = (OUTBOX.c.at, OUTBOX.c.ticket_id, OUTBOX.c.version, OUTBOX.c.sequence)


def _next_pending(failed: list[tuple[str, int, int]]) -> Any:
    """The oldest pending item not failed in this call, locked (others skip it)."""
    query = select(OUTBOX).where(OUTBOX.c.state == "pending")
    if failed:
        query = query.where(
            tuple_(OUTBOX.c.ticket_id, OUTBOX.c.version, OUTBOX.c.sequence).not_in(failed)
        )
    return query.order_by(*_OUTBOX_ORDER).limit(1).with_for_update(skip_locked=True)


def _key_is(row: Row[Any]) -> tuple[Any, ...]:
    return (
        OUTBOX.c.ticket_id == row.ticket_id,
        OUTBOX.c.version == row.version,
        OUTBOX.c.sequence == row.sequence,
    )


def _hand_over(handler: Handler, row: Row[Any]) -> tuple[str, str | None]:
    """Call the handler on the row's item: ``("delivered", None)`` or ``("failed", error)``."""
    try:
        handler(_item(row))
    except Exception as exc:  # the handler's failure is recorded, never lost
        return "failed", f"{type(exc).__name__}: {exc}"[:2000]
    return "delivered", None


def _item(row: Row[Any]) -> OutboxItem:
    try:
        effect = decode_effect(row.effect)
    except TicketflowError as exc:
        raise _naming(exc, row.ticket_id) from None
    return OutboxItem(
        row.ticket_id, row.version, row.sequence, effect, row.attempts, row.state, row.last_error
    )


# --- reading --------------------------------------------------------------------------------


def _log_entry(ticket_id: str, row: Row[Any, Any, Any, Any]) -> dict[str, Any]:
    try:
        data = decode_data(read_json(row.data)) if row.data is not None else None
        at = _dt_in(row.stamp, "at")
    except TicketflowError as exc:
        raise _naming(exc, ticket_id) from None
    return {"name": row.name, "at": at, "actor": row.actor, "data": data}


def _exists(ticket_id: str) -> Any:
    return select(TICKETS.c.id).where(TICKETS.c.id == ticket_id)


def _naming(exc: TicketflowError, ticket_id: str) -> SnapshotError:
    """A SnapshotError naming the stored ticket ``ticket_id``."""
    if isinstance(exc, SnapshotError) and exc.ticket_id == ticket_id:
        return exc
    return SnapshotError(str(exc), ticket_id=ticket_id)


# --- arguments ------------------------------------------------------------------------------


def _by_name(workflows: Iterable[Workflow]) -> dict[str, Workflow]:
    if isinstance(workflows, Workflow) or not isinstance(workflows, Iterable):
        raise ArgumentError(
            f"workflows must be a list of Workflow, got {show(workflows)}", "workflows", workflows
        )
    out: dict[str, Workflow] = {}
    for wf in workflows:
        if not isinstance(wf, Workflow):
            raise ArgumentError(f"not a Workflow: {show(wf)}", "workflows", wf)
        if wf.name in out:
            raise ArgumentError(f"two workflows are named {wf.name!r}", "workflows", wf.name)
        out[wf.name] = wf
    return out


def _engine(url_or_engine: object) -> Engine:
    if isinstance(url_or_engine, Engine):
        return url_or_engine
    if not isinstance(url_or_engine, str):
        raise ArgumentError(
            f"expected a database URL or a SQLAlchemy Engine, got {show(url_or_engine)}",
            "url_or_engine",
            url_or_engine,
        )
    try:
        if url_or_engine.startswith("sqlite"):
            return create_engine(url_or_engine, connect_args={"timeout": _SQLITE_TIMEOUT})
        return create_engine(url_or_engine, pool_pre_ping=True)
    except (sa_exc.ArgumentError, ImportError, ValueError) as exc:
        raise ArgumentError(
            f"cannot use the database URL {url_or_engine!r}: {exc}", "url_or_engine", url_or_engine
        ) from None


def _check_id(ticket_id: object) -> None:
    if not isinstance(ticket_id, str) or not 0 < len(ticket_id) <= NAME_LENGTH:
        raise ArgumentError(
            f"id must be a non-empty string of at most {NAME_LENGTH} characters, "
            f"got {show(ticket_id)}",
            "id",
            ticket_id,
        )


def _limit(value: object, argument: str = "limit") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_BATCH:
        raise ArgumentError(
            f"{argument} must be an int from 1 to {MAX_BATCH}, got {show(value)}", argument, value
        )
    return value


def _reason(exc: sa_exc.SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
