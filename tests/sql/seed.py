"""Many stored tickets at once, for the fault tests and the benchmarks.

The engine makes each snapshot in memory; one multi-row INSERT stores them
with the columns the store itself writes. Their event logs stay empty: only
sweeping is exercised on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import insert

import ticketflow as tf
from ticketflow.sql import TicketStore
from ticketflow.sql._schema import TICKETS
from ticketflow.sql._store import _columns

__all__ = ["SUPPORT_WAITING", "seed"]

#: Assigned 1 h and asked 2 h after the start: the support workflow's ticket then waits
#: for the customer, with a reminder due 26 h and auto_resolve 50 h after the start.
SUPPORT_WAITING = (("assign", 1.0, "agent"), ("ask", 2.0, "agent"))


def seed(
    store: TicketStore,
    wf: tf.Workflow,
    count: int,
    start: datetime,
    events: Sequence[tuple[str, float, str]] = SUPPORT_WAITING,
    prefix: str = "T-",
) -> list[str]:
    """Store ``count`` tickets of ``wf`` started at ``start`` and moved by ``events``.

    ``events`` holds ``(event, hours after start, actor)``. Returns the ids.
    """
    rows = []
    for i in range(count):
        ticket = wf.start(at=start, id=f"{prefix}{i:06d}").ticket
        for name, hours, actor in events:
            ticket = wf.apply(ticket, name, at=start + timedelta(hours=hours), actor=actor).ticket
        row = {"id": ticket.id, "workflow": wf.name, "created_at": ticket.created_at}
        row.update(_columns(wf, ticket))
        rows.append(row)
    with store.engine.begin() as conn:
        for chunk in range(0, len(rows), 5000):
            conn.execute(insert(TICKETS), rows[chunk : chunk + 5000])
    return [str(r["id"]) for r in rows]
