"""Tickets in a SQLite file: a store, one sweep across a holiday, the outbox on the screen.

The help-center preset counts working days in Madrid; Tuesday 8 December
2026 (Inmaculada Concepción) is a public holiday, so five working days after
Tuesday 1 December 12:30 is Wednesday 9 December 12:30, and three more is
Monday 14 December 12:30. One sweep on 14 December at 13:00 resolves and
closes HC-1 and resolves HC-2. A customer reply written at 12:20 that only
reaches the store after the sweep is applied at the close (12:30), and
reopens the ticket. Run with ``python examples/sqlite_store.py``.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ticketflow import presets
from ticketflow.sql import OutboxItem, TicketStore

MADRID = ZoneInfo("Europe/Madrid")


def madrid(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of December 2026 in Madrid."""
    return datetime(2026, 12, day, hour, minute, tzinfo=MADRID)


def when(at: datetime | None) -> str:
    return "-" if at is None else at.astimezone(MADRID).strftime("%a %d %b %H:%M")


def show(item: OutboxItem) -> None:
    """A delivery handler: print the effect (a real one would send the e-mail)."""
    ticket_id, version, sequence = item.key
    print(
        f"  {ticket_id} v{version} #{sequence}: {item.effect.kind} "
        f"({item.effect.name}) at {when(item.effect.at)}"
    )


def main(folder: Path) -> None:
    wf = presets.get("help-center")
    store = TicketStore(f"sqlite:///{folder / 'tickets.db'}", workflows=[wf])
    store.create_tables()
    store.start(wf.name, id="HC-1", at=madrid(1, 10))
    store.apply("HC-1", "reply", at=madrid(1, 12, 30), actor="agent")
    store.start(wf.name, id="HC-2", at=madrid(2, 9, 15))
    store.apply("HC-2", "reply", at=madrid(2, 10), actor="agent")
    store.start(wf.name, id="HC-3", at=madrid(10, 16))

    result = store.sweep(madrid(14, 13))
    print(f"sweep at {when(madrid(14, 13))}: {result.tickets} tickets, {result.fired} fired")
    for ticket_id in ("HC-1", "HC-2", "HC-3"):
        t = store.get(ticket_id)
        print(f"  {ticket_id}: {t.status:<8} v{t.version}  next deadline {when(t.next_deadline)}")

    late = store.apply("HC-1", "customer_reply", at=madrid(14, 12, 20), actor="customer")
    step = late.steps[-1]
    print(
        f"late reply written {when(step.requested_at)}, applied {when(step.at)}: "
        f"HC-1 is {late.ticket.status}"
    )
    print("log of HC-1:", ", ".join(f"{e['name']} {when(e['at'])}" for e in store.history("HC-1")))

    print("outbox:")
    done = store.deliver(show)
    print(f"delivered {done.delivered}, pending {len(store.outbox())}")
    store.engine.dispose()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        main(Path(tmp))
