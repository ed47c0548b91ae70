"""Tickets in a SQL database: a store, a sweeper and an outbox (``ticketflow[sql]``).

:class:`TicketStore` keeps ticket snapshots, their event logs and the
effects still to carry out in three tables, on SQLite (a file, or
``:memory:``) or PostgreSQL (psycopg 3), through SQLAlchemy 2 Core. Each
call is one transaction; ``sweep`` shares due tickets among any number of
processes; ``deliver`` hands effects to a handler at least once.
"""

from ._results import DeliveryResult, OutboxItem, OutboxState, SweepResult
from ._schema import METADATA
from ._store import MAX_BATCH, Handler, TicketStore

__all__ = [
    "MAX_BATCH",
    "METADATA",
    "DeliveryResult",
    "Handler",
    "OutboxItem",
    "OutboxState",
    "SweepResult",
    "TicketStore",
]
