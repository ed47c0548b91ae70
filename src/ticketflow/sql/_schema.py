"""The three tables of a ticket store, and the column types they need.

* ``ticketflow_tickets``: one row per ticket, the snapshot as JSON (JSONB on
  PostgreSQL) beside the columns a query filters or sorts on: workflow,
  workflow version, status, category, version, ``next_deadline`` and
  ``updated_at`` (indexed, in UTC). ``snapshot_error`` holds why a stored
  snapshot could not be read, so sweeps pass over that row until it is
  repaired (set back to NULL).
* ``ticketflow_events``: the log of each ticket, one row per accepted event
  keyed by the ticket version it produced.
* ``ticketflow_outbox``: the effects to carry out, keyed by ``(ticket_id,
  version, sequence)``, with their delivery state.

Instants are stored in UTC: ``timestamp with time zone`` on PostgreSQL, and
on SQLite a naive UTC text of fixed width (``2026-03-02 09:00:00.000000``),
so comparing and sorting the text compares the instants.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["EVENTS", "METADATA", "OUTBOX", "TICKETS", "JsonText", "UtcDateTime"]

#: Longest ticket id, workflow, status or event name a store keeps.
NAME_LENGTH = 200


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC, read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; naive UTC on databases without time zones (SQLite)."""
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark a naive value read back as UTC."""
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class JsonText(TypeDecorator[Any]):
    """JSON data: JSONB on PostgreSQL, text elsewhere.

    Values are written as JSON; what is read back is left as the database
    gives it (a parsed value from JSONB, the text from SQLite), so a row that
    holds malformed text can be reported for that row alone.
    """

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """JSONB on PostgreSQL, TEXT elsewhere."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Serialise to JSON text (JSONB does it itself)."""
        if value is None or dialect.name == "postgresql":
            return value
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """Return the value as stored (parsed by the caller)."""
        return value


METADATA = MetaData()

TICKETS = Table(
    "ticketflow_tickets",
    METADATA,
    Column("id", String(NAME_LENGTH), primary_key=True),
    Column("workflow", String(NAME_LENGTH), nullable=False, index=True),
    Column("workflow_version", String(NAME_LENGTH), nullable=True, index=True),
    Column("status", String(NAME_LENGTH), nullable=False, index=True),
    Column("category", String(20), nullable=False, index=True),
    Column("version", Integer, nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
    Column("next_deadline", UtcDateTime, nullable=True, index=True),
    Column("snapshot", JsonText, nullable=False),
    Column("snapshot_error", Text, nullable=True),
)

EVENTS = Table(
    "ticketflow_events",
    METADATA,
    Column("ticket_id", String(NAME_LENGTH), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    # the instant as written in the log, with its zone: replay gives back the same zones
    Column("stamp", String(100), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("actor", String(NAME_LENGTH), nullable=True),
    Column("data", JsonText, nullable=True),
    ForeignKeyConstraint(["ticket_id"], ["ticketflow_tickets.id"], ondelete="CASCADE"),
)

OUTBOX = Table(
    "ticketflow_outbox",
    METADATA,
    Column("ticket_id", String(NAME_LENGTH), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("sequence", Integer, primary_key=True),
    Column("kind", String(NAME_LENGTH), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("effect", JsonText, nullable=False),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    ForeignKeyConstraint(["ticket_id"], ["ticketflow_tickets.id"], ondelete="CASCADE"),
    Index("ix_ticketflow_outbox_state_at", "state", "at"),
)
