"""Lazy migration in TicketStore, on a SQLite file and on a real PostgreSQL server.

Tickets are stored under OLD (the support workflow, version "v1": in
``waiting`` a reminder 24 h after entry, ``auto_resolve`` after 48 h) and
read by a store of NEW ("v2": ``auto_resolve`` after 30 h). A ticket asked
at T0 + 2 h (T0 = Monday 2 March 2026 09:00 UTC, always-open calendar) has,
under OLD, its reminder at T0 + 26 h and ``auto_resolve`` at T0 + 50 h;
under NEW, the reminder stays at T0 + 26 h and ``auto_resolve`` is at
T0 + 2 h + 30 h = T0 + 32 h.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest
from sqlalchemy import select, update

import ticketflow as tf
from tests.helpers import at, support_flow
from tests.sql.test_store import rows, waiting
from ticketflow.sql import TicketStore
from ticketflow.sql._schema import EVENTS, OUTBOX, TICKETS

OLD = support_flow(version="v1")
NEW = support_flow(
    version="v2",
    timers=[
        tf.Timer(
            "waiting",
            after=timedelta(hours=30),
            event="auto_resolve",
            reminders=[timedelta(hours=24)],
        ),
        OLD.timers[1],
    ],
)


@pytest.fixture
def old_ticket(db_url: str) -> str:
    """T-1 stored by OLD, waiting since T0 + 2 h at version 3; yields the database URL."""
    old = TicketStore(db_url, workflows=[OLD])
    waiting(old, "T-1")
    old.engine.dispose()
    return db_url


@pytest.fixture
def new_store(old_ticket: str) -> Iterator[TicketStore]:
    s = TicketStore(old_ticket, workflows=[NEW])
    yield s
    s.engine.dispose()


def log_names(store: TicketStore, ticket_id: str = "T-1") -> list[str]:
    return [entry["name"] for entry in store.history(ticket_id)]


def stored_column(store: TicketStore, column: str) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(select(TICKETS.c[column]).where(TICKETS.c.id == "T-1")).scalar_one()


class TestGet:
    def test_get_without_at_migrates_at_the_last_change_and_writes_it_back(
        self, new_store: TicketStore
    ) -> None:
        """The new rules count from entry (T0 + 2 h): auto_resolve at T0 + 32 h, not 50 h."""
        ticket = new_store.get("T-1")
        assert ticket.workflow_version == "v2"
        assert ticket.version == 4
        assert ticket.updated_at == at(2)
        assert [d.at for d in ticket.agenda] == [at(26), at(32)]
        assert stored_column(new_store, "workflow_version") == "v2"
        assert stored_column(new_store, "next_deadline") == at(26)
        assert new_store.get("T-1") == ticket  # written once, read back as is
        assert log_names(new_store) == ["start", "assign", "ask", "migrate"]
        entry = new_store.history("T-1")[-1]
        assert (entry["at"], entry["data"]) == (at(2), {"from": "v1", "to": "v2"})

    def test_get_at_drops_the_reminders_before_it(self, new_store: TicketStore) -> None:
        """At T0 + 40 h the reminder (26 h) is dropped and auto_resolve (32 h) falls due then."""
        ticket = new_store.get("T-1", at=at(40))
        assert [(d.kind, d.at) for d in ticket.agenda] == [("timer", at(40))]
        result = new_store.sweep(at(41))
        assert result.tickets == 1
        assert new_store.get("T-1").status == "resolved"
        assert new_store.outbox(ticket_id="T-1") == ()  # no reminder sent late

    def test_a_current_ticket_is_not_touched(self, old_ticket: str) -> None:
        same = TicketStore(old_ticket, workflows=[OLD])
        assert same.get("T-1").version == 3
        assert log_names(same) == ["start", "assign", "ask"]
        same.engine.dispose()

    def test_a_snapshot_without_version_counts_as_current(self, new_store: TicketStore) -> None:
        """Schema 1 (before versions): taken as the store's workflow's, never migrated."""
        data = new_store.get("T-1", at=at(2)).to_dict()
        data["schema"] = 1
        del data["workflow_version"]
        with new_store.engine.begin() as conn:
            conn.execute(update(TICKETS).where(TICKETS.c.id == "T-1").values(snapshot=data))
        ticket = new_store.get("T-1")
        assert ticket.workflow_version is None
        assert ticket.version == 4
        assert log_names(new_store).count("migrate") == 1

    def test_bad_at_is_refused_and_nothing_written(self, new_store: TicketStore) -> None:
        with pytest.raises(tf.InstantError, match="at"):
            new_store.get("T-1", at=at(40).replace(tzinfo=None))
        assert stored_column(new_store, "workflow_version") == "v1"

    def test_a_status_the_new_workflow_lacks_is_a_snapshot_error(self, old_ticket: str) -> None:
        """NEW without 'waiting' cannot carry T-1 over: named error, nothing written."""
        lacking = support_flow(
            version="v3",
            statuses=[s for s in OLD.statuses if s.name != "waiting"],
            transitions=[
                attrs.evolve(t, source=tuple(s for s in t.source if s != "waiting"))
                for t in OLD.transitions
                if "waiting" not in (t.target, *t.source) or len(t.source) > 1
            ],
            timers=[OLD.timers[1]],
        )
        store = TicketStore(old_ticket, workflows=[lacking])
        with pytest.raises(tf.SnapshotError, match="T-1") as info:
            store.get("T-1")
        assert info.value.ticket_id == "T-1"
        assert stored_column(store, "workflow_version") == "v1"
        result = store.sweep(at(60))
        assert [e.ticket_id for e in result.errors] == ["T-1"]
        store.engine.dispose()


class TestApplyAndSweep:
    def test_apply_migrates_at_the_event_then_applies_it(self, new_store: TicketStore) -> None:
        out = new_store.apply("T-1", "resolve", at=at(10), actor="agent")
        assert [s.event for s in out.steps] == ["migrate", "resolve"]
        assert (out.ticket.version, out.ticket.workflow_version) == (5, "v2")
        assert log_names(new_store) == ["start", "assign", "ask", "migrate", "resolve"]
        assert [(i.version, i.effect.kind) for i in new_store.outbox(ticket_id="T-1")] == [
            (5, "survey")
        ]
        assert new_store.get("T-1") == out.ticket

    def test_a_refused_event_writes_no_migration(self, new_store: TicketStore) -> None:
        with pytest.raises(tf.TransitionError):
            new_store.apply("T-1", "assign", at=at(10), actor="agent")
        assert stored_column(new_store, "version") == 3
        assert log_names(new_store) == ["start", "assign", "ask"]

    def test_sweep_migrates_at_now_and_fires_what_falls_due_then(
        self, new_store: TicketStore
    ) -> None:
        """At T0 + 26 h exactly, the reminder is due at once: migration v4, reminder v5."""
        result = new_store.sweep(at(26))
        assert (result.tickets, result.fired, result.effects) == (1, 1, 1)
        items = new_store.outbox(ticket_id="T-1")
        assert [(i.version, i.sequence, i.effect.kind, i.effect.at) for i in items] == [
            (5, 0, "reminder", at(26))
        ]
        ticket = new_store.get("T-1")
        assert (ticket.version, ticket.workflow_version, ticket.next_deadline) == (5, "v2", at(32))
        assert log_names(new_store)[-1] == "migrate"
        assert new_store.history("T-1")[-1]["at"] == at(26)
        new_store.sweep(at(33))
        assert new_store.get("T-1").status == "resolved"  # at T0 + 32 h, not 50 h


class TestHistory:
    def test_replay_cannot_express_a_migration(self, new_store: TicketStore) -> None:
        new_store.apply("T-1", "resolve", at=at(10), actor="agent")
        with pytest.raises(tf.TicketflowError):
            NEW.replay(new_store.history("T-1"))

    def test_the_log_split_at_the_migration_reproduces_the_ticket(
        self, new_store: TicketStore
    ) -> None:
        """Replay with OLD up to 'migrate', migrate at its instant, apply the rest with NEW."""
        new_store.apply("T-1", "resolve", at=at(10), actor="agent")
        new_store.apply("T-1", "reply", at=at(11), actor="customer")
        log = new_store.history("T-1")
        cut = [e["name"] for e in log].index("migrate")
        by_version = {wf.version: wf for wf in (OLD, NEW)}
        ticket = by_version[log[cut]["data"]["from"]].replay(log[:cut]).ticket
        ticket = NEW.migrate(ticket, at=log[cut]["at"]).ticket
        for e in log[cut + 1 :]:
            ticket = NEW.apply(
                ticket, e["name"], at=e["at"], actor=e["actor"], data=e["data"]
            ).ticket
        assert ticket == new_store.get("T-1")


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at once in threads; their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # recorded, asserted on below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class TestTwoWorkers:
    """Two stores (two connection pools) meet the same old ticket at the same moment."""

    @pytest.fixture
    def workers(self, old_ticket: str) -> Iterator[tuple[TicketStore, TicketStore]]:
        pair = (
            TicketStore(old_ticket, workflows=[NEW]),
            TicketStore(old_ticket, workflows=[NEW]),
        )
        yield pair
        for s in pair:
            s.engine.dispose()

    def test_two_gets_migrate_once(self, workers: tuple[TicketStore, TicketStore]) -> None:
        """Must not happen: two 'migrate' entries, or a version past 4."""
        a, b = workers
        for _ in range(3):  # each round a fresh old ticket
            results = race(lambda: a.get("T-1"), lambda: b.get("T-1"))
            assert results[0] == results[1]
            assert isinstance(results[0], tf.Ticket)
            assert results[0].version == 4
            assert log_names(a).count("migrate") == 1
            reset(a)

    def test_two_events_at_once_one_migration_no_lost_update(
        self, workers: tuple[TicketStore, TicketStore]
    ) -> None:
        """Two comments at T0 + 26 h: one migration (v4), the reminder due then once (v5),
        both comments logged (v6, v7); no reminder sent twice."""
        a, b = workers
        results = race(
            lambda: a.apply("T-1", "comment", at=at(26), actor="agent"),
            lambda: b.apply("T-1", "comment", at=at(26), actor="customer"),
        )
        assert all(isinstance(r, tf.Outcome) for r in results), results
        assert log_names(a) == ["start", "assign", "ask", "migrate", "comment", "comment"]
        assert [r.version for r in rows(a, EVENTS, "T-1")] == [1, 2, 3, 4, 6, 7]
        assert a.get("T-1").version == 7
        reminders = [(r.version, r.kind) for r in rows(a, OUTBOX, "T-1")]
        assert reminders == [(6, "reminder")]  # keyed by the version that recorded it

    def test_two_sweepers_at_once_migrate_once(
        self, workers: tuple[TicketStore, TicketStore]
    ) -> None:
        a, b = workers
        results = race(lambda: a.sweep(at(26)), lambda: b.sweep(at(26)))
        assert sum(r.tickets for r in results) == 1  # type: ignore[attr-defined]
        assert log_names(a).count("migrate") == 1
        assert [(r.version, r.kind) for r in rows(a, OUTBOX, "T-1")] == [(5, "reminder")]


def reset(store: TicketStore) -> None:
    """Put T-1 back as OLD stored it (version 3), its migration entry removed."""
    old = store.get("T-1")
    snapshot = old.to_dict()
    snapshot.update(version=3, workflow_version="v1")
    with store.engine.begin() as conn:
        conn.execute(EVENTS.delete().where(EVENTS.c.name == "migrate"))
        conn.execute(
            update(TICKETS)
            .where(TICKETS.c.id == "T-1")
            .values(snapshot=snapshot, version=3, workflow_version="v1")
        )
