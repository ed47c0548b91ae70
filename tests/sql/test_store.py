"""TicketStore on a SQLite file and on a real PostgreSQL server: one behaviour on both.

The support workflow (tests/helpers.py) runs on an always-open calendar:
``waiting`` sends a reminder 24 h after entry and ``auto_resolve`` after
48 h; ``resolved`` reminds 12 h before ``close``, 72 h after entry. Tickets
start at T0 = Monday 2 March 2026 09:00 UTC; ``at(h)`` is T0 plus h hours.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text, update

import ticketflow as tf
from tests.helpers import T0, at, support_flow
from ticketflow.sql import DeliveryResult, OutboxItem, SweepResult, TicketStore
from ticketflow.sql._schema import EVENTS, OUTBOX, TICKETS


def waiting(store: TicketStore, ticket_id: str, start: datetime = T0) -> tf.Ticket:
    """Start a ticket at ``start``, assign it 1 h later and ask the customer 2 h after start.

    Its agenda is then: reminder at start + 26 h, auto_resolve at start + 50 h.
    """
    store.start("support", id=ticket_id, at=start)
    store.apply(ticket_id, "assign", at=start + timedelta(hours=1), actor="agent")
    return store.apply(ticket_id, "ask", at=start + timedelta(hours=2), actor="agent").ticket


def rows(store: TicketStore, table: Any, ticket_id: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(table).where(table.c.ticket_id == ticket_id)).all())


class TestOneTicket:
    def test_start_get_apply_round_trip(self, store: TicketStore) -> None:
        """What start and apply return is what get reads back, version by version."""
        started = store.start("support", id="T-1", at=T0, attrs={"due": at(5), "vip": True})
        assert started.status == "new"
        assert started.version == 1
        assert store.get("T-1") == started
        out = store.apply("T-1", "assign", at=at(1), actor="agent")
        assert out.ticket.status == "assigned"
        assert out.ticket.version == 2
        assert store.get("T-1") == out.ticket
        assert store.get("T-1").attrs["due"] == at(5)

    def test_indexed_columns_follow_the_snapshot(self, store: TicketStore) -> None:
        """status, category, version and next_deadline columns agree with the ticket."""
        ticket = waiting(store, "T-1")
        with store.engine.connect() as conn:
            row = conn.execute(select(TICKETS).where(TICKETS.c.id == "T-1")).one()
        assert (row.status, row.category, row.version) == ("waiting", "pending", 3)
        # asked at T0 + 2 h: the 24 h reminder is the first item, due at T0 + 26 h
        assert row.next_deadline == at(26) == ticket.next_deadline
        assert row.updated_at == at(2)
        assert row.workflow_version == ticket.workflow_version == support_flow().version

    def test_a_rejected_event_changes_nothing(self, store: TicketStore) -> None:
        """A refused event leaves the row, the log and the outbox as they were."""
        waiting(store, "T-1")
        before = (store.get("T-1"), store.history("T-1"), rows(store, OUTBOX, "T-1"))
        with pytest.raises(tf.TransitionError):
            store.apply("T-1", "assign", at=at(3), actor="agent")
        with pytest.raises(tf.NotPermitted):
            store.apply("T-1", "resolve", at=at(3), actor="customer")
        assert (store.get("T-1"), store.history("T-1"), rows(store, OUTBOX, "T-1")) == before

    def test_expected_version_guards_the_write(self, store: TicketStore) -> None:
        """An apply that expects another version raises ConflictError and writes nothing."""
        waiting(store, "T-1")
        with pytest.raises(tf.ConflictError) as info:
            store.apply("T-1", "comment", at=at(3), actor="agent", expected_version=2)
        assert (info.value.expected, info.value.actual) == (2, 3)
        assert store.get("T-1").version == 3
        out = store.apply("T-1", "comment", at=at(3), actor="agent", expected_version=3)
        assert out.ticket.version == 4

    def test_a_late_event_is_clamped_and_logged_at_its_effective_instant(
        self, store: TicketStore
    ) -> None:
        """An event stamped before the last change happens at updated_at, and the log says so."""
        waiting(store, "T-1")  # last change at T0 + 2 h
        out = store.apply("T-1", "reply", at=at(1.5), actor="customer")
        step = out.steps[-1]
        assert (step.at, step.requested_at) == (at(2), at(1.5))
        last = store.history("T-1")[-1]
        assert (last["name"], last["at"]) == ("reply", at(2))
        with store.engine.connect() as conn:
            requested = conn.execute(
                select(EVENTS.c.requested_at).where(EVENTS.c.version == out.ticket.version)
            ).scalar_one()
        assert requested == at(1.5)

    def test_start_twice_is_a_conflict(self, store: TicketStore) -> None:
        """A second start with the same id raises ConflictError and leaves the first ticket."""
        first = store.start("support", id="T-1", at=T0)
        with pytest.raises(tf.ConflictError, match="T-1"):
            store.start("support", id="T-1", at=at(1), attrs={"vip": True})
        assert store.get("T-1") == first
        assert len(store.history("T-1")) == 1


class TestBadInput:
    def test_unknown_ticket(self, store: TicketStore) -> None:
        """get, apply and history on an unknown id raise TicketNotFound, a LookupError."""
        for call in (
            lambda: store.get("nope"),
            lambda: store.apply("nope", "assign", at=T0, actor="agent"),
            lambda: store.history("nope"),
        ):
            with pytest.raises(tf.TicketNotFound, match="'nope'") as info:
                call()
            assert isinstance(info.value, LookupError)

    def test_unknown_workflow(self, store: TicketStore) -> None:
        """start with a workflow the store was not given names it and the known ones."""
        with pytest.raises(tf.UnknownWorkflowError, match=r"'billing'.*support"):
            store.start("billing", id="T-1", at=T0)
        with pytest.raises(tf.TicketNotFound):
            store.get("T-1")

    @pytest.mark.parametrize("bad", ["", "x" * 201, 7, None])
    def test_bad_ticket_id(self, store: TicketStore, bad: Any) -> None:
        """An id that is not a non-empty string of at most 200 characters is refused."""
        with pytest.raises(tf.ArgumentError, match="id must be"):
            store.start("support", id=bad, at=T0)

    @pytest.mark.parametrize("bad", [0, -1, 10_001, 2.5, True, "10"])
    def test_bad_limit(self, store: TicketStore, bad: Any) -> None:
        """sweep and deliver refuse a limit outside 1..10,000, naming it."""
        with pytest.raises(tf.ArgumentError, match="limit must be"):
            store.sweep(T0, limit=bad)
        with pytest.raises(tf.ArgumentError, match="limit must be"):
            store.deliver(lambda item: None, limit=bad)

    def test_naive_now(self, store: TicketStore) -> None:
        """sweep refuses a naive instant."""
        with pytest.raises(tf.NaiveDatetimeError):
            store.sweep(datetime(2026, 3, 2, 9))

    def test_bad_constructor_arguments(self) -> None:
        """A store needs a URL or an Engine and a list of distinct workflows."""
        with pytest.raises(tf.ArgumentError, match="URL"):
            TicketStore(42, workflows=[support_flow()])  # type: ignore[arg-type]
        with pytest.raises(tf.ArgumentError, match="not a Workflow"):
            TicketStore("sqlite://", workflows=["support"])  # type: ignore[list-item]
        with pytest.raises(tf.ArgumentError, match="two workflows"):
            TicketStore("sqlite://", workflows=[support_flow(), support_flow()])

    def test_corrupted_snapshot(self, store: TicketStore) -> None:
        """A snapshot that is not a ticket raises SnapshotError naming the ticket id."""
        waiting(store, "T-1")
        with store.engine.begin() as conn:
            conn.execute(
                update(TICKETS).where(TICKETS.c.id == "T-1").values(snapshot={"schema": 1})
            )
        with pytest.raises(tf.SnapshotError, match="'T-1'") as info:
            store.get("T-1")
        assert info.value.ticket_id == "T-1"
        with pytest.raises(tf.SnapshotError, match="'T-1'"):
            store.apply("T-1", "comment", at=at(3), actor="agent")

    def test_unreachable_database(self, tmp_path: Any) -> None:
        """A database that cannot be opened gives StorageError naming the call."""
        s = TicketStore(f"sqlite:///{tmp_path}/missing/dir/t.db", workflows=[support_flow()])
        with pytest.raises(tf.StorageError, match="create_tables: database error"):
            s.create_tables()


class TestHistory:
    def test_replay_of_the_log_then_advance_gives_the_stored_ticket(
        self, store: TicketStore
    ) -> None:
        """history() is what replay takes: replayed and advanced to the sweep, it is the ticket."""
        waiting(store, "T-1")
        store.sweep(at(30))  # the reminder due at T0 + 26 h fires; it is not logged
        store.apply("T-1", "reply", at=at(31), actor="customer", data={"text": "hi"})
        store.apply("T-1", "resolve", at=at(32), actor="agent")
        store.sweep(at(200))  # resolved at T0 + 32 h: closed at T0 + 104 h
        log = store.history("T-1")
        assert [e["name"] for e in log] == ["start", "assign", "ask", "reply", "resolve"]
        assert log[0]["id"] == "T-1"
        assert log[3]["data"] == {"text": "hi"}
        wf = support_flow()
        replayed = wf.advance(wf.replay(log).ticket, now=at(200)).ticket
        stored = store.get("T-1")
        assert stored.status == "closed"
        assert replayed == stored


class TestSweep:
    def test_due_tickets_advance_in_deadline_order_up_to_the_limit(
        self, store: TicketStore
    ) -> None:
        """With limit 2, the two earliest deadlines fire; the third waits for the next sweep."""
        for i, name in enumerate(["C", "A", "B"]):  # started 0, 1 and 2 hours after T0
            waiting(store, name, start=at(i))
        # reminders due at T0+26 h (C), T0+27 h (A), T0+28 h (B): at T0+30 h all three are due
        result = store.sweep(at(30), limit=2)
        assert result == SweepResult(tickets=2, fired=2, effects=2, errors=(), full=True)
        assert [store.get(t).version for t in ("C", "A", "B")] == [4, 4, 3]
        assert store.sweep(at(30), limit=2) == SweepResult(1, 1, 1, (), full=False)
        assert store.sweep(at(30)) == SweepResult()

    def test_not_due_and_foreign_tickets_are_left_alone(self, db_url: str) -> None:
        """A sweep touches only due tickets of the store's own workflows."""
        other = support_flow(name="other")
        both = TicketStore(db_url, workflows=[support_flow(), other])
        both.create_tables()
        for wf_name, ticket_id in (("support", "S"), ("other", "O")):
            both.start(wf_name, id=ticket_id, at=T0)
            both.apply(ticket_id, "assign", at=at(1), actor="agent")
            both.apply(ticket_id, "ask", at=at(2), actor="agent")
        support_only = TicketStore(both.engine, workflows=[support_flow()])
        assert support_only.sweep(at(25)) == SweepResult()  # nothing due before T0 + 26 h
        assert support_only.sweep(at(26)).tickets == 1  # due exactly at now
        assert (both.get("S").version, both.get("O").version) == (4, 3)

    def test_timers_chain_across_one_sweep(self, store: TicketStore) -> None:
        """One late sweep fires the reminder, auto_resolve, the resolved reminder and close."""
        waiting(store, "T-1")
        # auto_resolve at T0 + 50 h; close 72 h later at T0 + 122 h, its reminder at T0 + 110 h
        result = store.sweep(at(122))
        assert (result.tickets, result.fired) == (1, 4)
        ticket = store.get("T-1")
        assert (ticket.status, ticket.version, ticket.updated_at) == ("closed", 7, at(122))
        kinds = [i.effect.kind for i in store.outbox(ticket_id="T-1")]
        assert kinds == ["reminder", "reminder"]

    def test_a_corrupted_row_is_reported_and_the_others_advance(self, store: TicketStore) -> None:
        """The sweep goes on past a bad snapshot, reports it once, then passes over it until
        a write of the repaired ticket clears the mark."""
        for name in ("A", "B", "C"):
            waiting(store, name)
        good = store.get("B").to_dict()
        with store.engine.begin() as conn:
            conn.execute(update(TICKETS).where(TICKETS.c.id == "B").values(snapshot={"schema": 99}))
        result = store.sweep(at(30))
        assert result.tickets == 2
        assert [e.ticket_id for e in result.errors] == ["B"]
        assert "schema 99" in str(result.errors[0])
        assert (store.get("A").version, store.get("C").version) == (4, 4)
        assert store.sweep(at(60)).errors == ()
        with store.engine.begin() as conn:  # repaired by hand: still set aside
            conn.execute(update(TICKETS).where(TICKETS.c.id == "B").values(snapshot=good))
        assert store.sweep(at(60)).tickets == 0
        store.apply("B", "comment", at=at(61), actor="agent")  # a write clears the mark
        # all three resolved at T0 + 50 h (B in the catch-up of its apply) close at T0 + 122 h
        assert store.sweep(at(200)).tickets == 3

    def test_sqlite_text_and_postgres_timestamps_sort_as_instants(self, store: TicketStore) -> None:
        """Deadlines written in far-apart zones come back in instant order from the index."""
        # +14:00 and -10:00: 09:00+14:00 is 19:00 UTC the day before, 09:00-10:00 is 19:00 UTC
        east = datetime(2026, 3, 3, 9, tzinfo=timezone(timedelta(hours=14)))
        west = datetime(2026, 3, 2, 7, tzinfo=timezone(timedelta(hours=-10)))  # 17:00 UTC
        waiting(store, "east", start=east)  # reminder at 2026-03-03 21:00 UTC (start + 26 h)
        waiting(store, "west", start=west)  # reminder at 2026-03-03 19:00 UTC
        with store.engine.connect() as conn:
            order = conn.execute(
                select(TICKETS.c.id, TICKETS.c.next_deadline).order_by(TICKETS.c.next_deadline)
            ).all()
        assert [(r.id, r.next_deadline) for r in order] == [
            ("west", datetime(2026, 3, 3, 19, tzinfo=UTC)),
            ("east", datetime(2026, 3, 3, 21, tzinfo=UTC)),
        ]
        # at 20:00 UTC only west is due
        assert store.sweep(datetime(2026, 3, 3, 20, tzinfo=UTC)).tickets == 1
        assert store.get("west").version == 4


class TestOutbox:
    def test_effects_keyed_by_ticket_version_and_sequence(self, store: TicketStore) -> None:
        """Effects of one write share its version and count 0, 1... in emitted order."""
        waiting(store, "T-1")
        store.apply("T-1", "resolve", at=at(3), actor="agent")  # v4: survey
        store.sweep(at(200))  # v5 reminder (T0 + 63 h), v6 close (T0 + 75 h)
        items = store.outbox()
        assert [(i.key, i.effect.kind) for i in items] == [
            (("T-1", 4, 0), "survey"),
            (("T-1", 6, 0), "reminder"),
        ]
        assert items[0].effect == tf.Effect("survey", "resolve", at(3))

    def test_follow_up_effect_carries_the_new_ticket(self, store: TicketStore) -> None:
        """A follow_up's data (a Ticket and the parent id) comes back out of the outbox equal."""
        store.start("support", id="T-1", at=T0)
        store.apply("T-1", "close", at=at(1), actor="agent")
        out = store.apply("T-1", "reply", at=at(2), actor="customer")
        (item,) = store.outbox()
        assert item.effect == out.effects[0]
        assert isinstance(item.effect.data, dict)
        assert item.effect.data["ticket"].attrs["follow_up_of"] == "T-1"

    def test_deliver_marks_items_delivered_once(self, store: TicketStore) -> None:
        """Delivered items are not offered again; the handler saw each key once."""
        waiting(store, "A")
        waiting(store, "B")
        store.sweep(at(30))
        seen: list[tuple[str, int, int]] = []
        assert store.deliver(lambda item: seen.append(item.key)) == DeliveryResult(2, 0, 0)
        assert seen == [("A", 4, 0), ("B", 4, 0)]
        assert store.deliver(lambda item: seen.append(item.key)) == DeliveryResult(0, 0, 0)
        assert len(store.outbox("delivered")) == 2
        assert store.outbox("pending") == ()

    def test_a_failing_handler_is_retried_then_dead_and_still_listed(
        self, store: TicketStore
    ) -> None:
        """Each failure counts one attempt; the third (max_attempts=3) sets the item aside."""
        waiting(store, "T-1")
        store.sweep(at(30))
        calls: list[int] = []

        def broken(item: OutboxItem) -> None:
            calls.append(item.attempts)
            raise ConnectionError(f"mail server down for {item.ticket_id}")

        assert store.deliver(broken, max_attempts=3) == DeliveryResult(0, 1, 0)
        (pending,) = store.outbox("pending")
        assert (pending.attempts, pending.last_error) == (
            1,
            "ConnectionError: mail server down for T-1",
        )
        assert store.deliver(broken, max_attempts=3) == DeliveryResult(0, 1, 0)
        assert store.deliver(broken, max_attempts=3) == DeliveryResult(0, 0, 1)
        assert calls == [0, 1, 2]
        assert store.deliver(broken, max_attempts=3) == DeliveryResult(0, 0, 0)
        (dead,) = store.outbox("dead")
        assert (dead.key, dead.attempts, dead.state) == (("T-1", 4, 0), 3, "dead")

    def test_one_failure_does_not_block_the_items_behind_it(self, store: TicketStore) -> None:
        """A failing item is tried once per call; the items after it are still delivered."""
        for name in ("A", "B", "C"):
            waiting(store, name)
        store.sweep(at(30))
        delivered: list[str] = []

        def picky(item: OutboxItem) -> None:
            if item.ticket_id == "A":
                raise ValueError("no address")
            delivered.append(item.ticket_id)

        assert store.deliver(picky) == DeliveryResult(2, 1, 0)
        assert delivered == ["B", "C"]

    def test_unknown_state(self, store: TicketStore) -> None:
        """outbox() names a state it does not know."""
        with pytest.raises(tf.ArgumentError, match="'lost'"):
            store.outbox("lost")  # type: ignore[arg-type]


def test_sqlite_writers_take_the_lock_at_begin(tmp_path: Any) -> None:
    """On SQLite a write transaction begins IMMEDIATE: a second writer waits, then times out."""
    url = f"sqlite:///{tmp_path / 't.db'}"
    store = TicketStore(url, workflows=[support_flow()])
    store.create_tables()
    store.start("support", id="T-1", at=T0)
    holder = sqlite3.connect(tmp_path / "t.db")
    holder.execute("BEGIN IMMEDIATE")
    try:
        fast = TicketStore(
            create_engine(url, connect_args={"timeout": 0.2}),
            workflows=[support_flow()],
        )
        with pytest.raises(tf.StorageError, match="locked"):
            fast.apply("T-1", "assign", at=at(1), actor="agent")
        assert fast.get("T-1").version == 1  # readers are not blocked
    finally:
        holder.rollback()
        holder.close()
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from ticketflow_events")).scalar_one() == 1
