"""TicketStore edge cases: bad stored rows, bad arguments, more due items than one call fires.

Instants as in test_store.py: T0 = Monday 2 March 2026 09:00 UTC, ``at(h)`` = T0 + h hours.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

import ticketflow as tf
from tests.helpers import T0, at, support_flow
from tests.sql.test_store import waiting
from ticketflow.sql import METADATA, DeliveryResult, TicketStore
from ticketflow.sql._codec import read_json
from ticketflow.sql._schema import EVENTS, OUTBOX, TICKETS


def count(store: TicketStore, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


class TestArguments:
    def test_metadata_holds_the_three_tables(self, store: TicketStore) -> None:
        """store.metadata is what create_tables creates, for Alembic."""
        assert store.metadata is METADATA
        assert sorted(METADATA.tables) == [
            "ticketflow_events",
            "ticketflow_outbox",
            "ticketflow_tickets",
        ]

    @pytest.mark.parametrize("bad", ["3", 3.0, True])
    def test_expected_version_must_be_an_int(self, store: TicketStore, bad: Any) -> None:
        """expected_version that is not an int or None is refused, naming it."""
        waiting(store, "T-1")
        with pytest.raises(tf.ArgumentError, match="expected_version"):
            store.apply("T-1", "comment", at=at(3), actor="agent", expected_version=bad)

    def test_a_url_sqlalchemy_cannot_read(self) -> None:
        """An unknown database scheme is an ArgumentError naming the URL."""
        with pytest.raises(tf.ArgumentError, match="nonsense://x"):
            TicketStore("nonsense://x", workflows=[])

    def test_event_data_json_cannot_hold_is_refused_and_nothing_written(
        self, store: TicketStore
    ) -> None:
        """A set or NaN in event data raises ArgumentError naming the key; no change is stored."""
        waiting(store, "T-1")
        events = count(store, EVENTS)
        for data, key in (({"tags": {"a"}}, "data.tags"), ({"x": [float("nan")]}, r"data.x\[0\]")):
            with pytest.raises(tf.ArgumentError, match=key):
                store.apply("T-1", "comment", at=at(3), actor="agent", data=data)
        assert store.get("T-1").version == 3
        assert count(store, EVENTS) == events


class TestBadRows:
    def test_a_row_holding_another_tickets_snapshot(self, store: TicketStore) -> None:
        """A snapshot whose id is not its row's is refused, naming both."""
        waiting(store, "A")
        waiting(store, "B")
        with store.engine.begin() as conn:
            snapshot = conn.execute(select(TICKETS.c.snapshot).where(TICKETS.c.id == "B"))
            raw = read_json(snapshot.scalar_one())  # text on SQLite
            conn.execute(update(TICKETS).where(TICKETS.c.id == "A").values(snapshot=raw))
        with pytest.raises(tf.SnapshotError, match=r"ticket 'A'.*'B'"):
            store.get("A")

    def test_a_corrupted_outbox_item_is_named_and_counted_as_a_failure(
        self, store: TicketStore
    ) -> None:
        """outbox() names the ticket of an unreadable effect; deliver counts it and goes on."""
        waiting(store, "A")
        waiting(store, "B")
        store.sweep(at(30))
        with store.engine.begin() as conn:
            conn.execute(update(OUTBOX).where(OUTBOX.c.ticket_id == "A").values(effect=[1]))
        with pytest.raises(tf.SnapshotError, match="'A'"):
            store.outbox()
        seen: list[str] = []
        result = store.deliver(lambda item: seen.append(item.ticket_id), max_attempts=1)
        assert result == DeliveryResult(delivered=1, failed=0, dead=1)
        assert seen == ["B"]

    def test_a_corrupted_log_entry_is_named(self, store: TicketStore) -> None:
        """history() names the ticket of an unreadable entry."""
        waiting(store, "T-1")
        with store.engine.begin() as conn:
            conn.execute(update(EVENTS).where(EVENTS.c.version == 2).values(stamp="yesterday"))
        with pytest.raises(tf.SnapshotError, match="'T-1'"):
            store.history("T-1")


def ping_pong() -> tf.Workflow:
    """Two statuses that hand the ticket to each other every minute."""
    return tf.Workflow(
        name="ping-pong",
        statuses=[tf.Status("ping", category="open", initial=True), tf.Status("pong")],
        transitions=[
            tf.Transition("to_pong", source="ping", target="pong", roles={"system"}),
            tf.Transition("to_ping", source="pong", target="ping", roles={"system"}),
        ],
        timers=[
            tf.Timer("ping", after=timedelta(minutes=1), event="to_pong"),
            tf.Timer("pong", after=timedelta(minutes=1), event="to_ping"),
        ],
    )


def test_more_due_items_than_max_steps_go_as_far_as_they_can(db_url: str) -> None:
    """A ticket with 12,000 due firings: one sweep fires MAX_STEPS, the next the remaining 2,000."""
    store = TicketStore(db_url, workflows=[ping_pong()])
    store.start("ping-pong", id="P", at=T0)
    # one firing per minute: 12,000 minutes after T0 is 200 hours after T0
    first = store.sweep(at(200))
    assert (first.tickets, first.fired) == (1, tf.MAX_STEPS)
    assert store.get("P").version == 1 + tf.MAX_STEPS
    second = store.sweep(at(200))
    assert (second.tickets, second.fired) == (1, 12_000 - tf.MAX_STEPS)
    ticket = store.get("P")
    # an even number of firings ends in ping, last entered exactly at T0 + 200 h
    assert (ticket.status, ticket.status_since, ticket.version) == ("ping", at(200), 12_001)
    assert store.sweep(at(200)).tickets == 0


def test_text_that_is_not_json_in_a_sqlite_row(tmp_path: Any) -> None:
    """SQLite keeps whatever text it is given: a row of garbage is a SnapshotError for get,
    and a reported error for sweep, which advances the others."""
    store = TicketStore(f"sqlite:///{tmp_path / 't.db'}", workflows=[support_flow()])
    store.create_tables()
    waiting(store, "A")
    waiting(store, "B")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE ticketflow_tickets SET snapshot = '{oops' WHERE id = 'A'")
    with pytest.raises(tf.SnapshotError, match=r"ticket 'A': not JSON"):
        store.get("A")
    result = store.sweep(at(30))
    assert (result.tickets, [e.ticket_id for e in result.errors]) == (1, ["A"])
    store.engine.dispose()
