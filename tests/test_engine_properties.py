"""Random event sequences on random small workflows: accepted or rejected, never half-done."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import examples
from ticketflow.testing import event_streams, events, workflows
from ticketflow.testing._strategies import (
    attrs_for,
    aware_datetimes,
    data_for,
    deadlines_near,
    direct_pairs,
    gaps,
)

ROLES = ["agent", "customer", "system", None]
EVENTS = ["e0", "e1", "e2", "e3", "nope"]


@st.composite
def small_workflows(draw: st.DrawFn) -> tf.Workflow:
    """A chain s0 -> s1 -> ... -> terminal, plus random extra transitions."""
    n = draw(st.integers(min_value=2, max_value=5))
    names = [f"s{i}" for i in range(n)]
    statuses = [tf.Status(names[0], category="new", initial=True)]
    statuses += [
        tf.Status(name, category=draw(st.sampled_from(["open", "pending", "on_hold", "solved"])))
        for name in names[1:-1]
    ]
    statuses.append(tf.Status(names[-1], category="closed", terminal=True))
    transitions = [
        tf.Transition("e0", source=names[i], target=names[i + 1], roles={"agent"})
        for i in range(n - 1)
    ]
    for k in range(draw(st.integers(min_value=0, max_value=4))):
        src = draw(st.sampled_from(names[:-1]))
        target = draw(st.sampled_from([*names, None]))
        roles = draw(st.sampled_from([None, {"customer"}, {"system"}]))
        guard = draw(st.sampled_from([None, lambda t, c: t.version % 2 == 0]))
        event = f"e{1 + k % 3}"
        transitions.append(
            tf.Transition(event, source=src, target=target, roles=roles, guard=guard)
        )
    try:
        return tf.Workflow(name="random", statuses=statuses, transitions=transitions)
    except tf.WorkflowError:
        # ambiguous extras: keep only the chain
        return tf.Workflow(name="random", statuses=statuses, transitions=transitions[: n - 1])


class TestRandomSequences:
    @given(
        wf=small_workflows(),
        moves=st.lists(
            st.tuples(st.sampled_from(EVENTS), st.sampled_from(ROLES), st.integers(0, 600)),
            max_size=20,
        ),
    )
    def test_each_event_succeeds_with_version_plus_one_or_changes_nothing(
        self, wf: tf.Workflow, moves: list[tuple[str, str | None, int]]
    ) -> None:
        """An accepted event adds one version; a rejected one leaves the ticket as it was."""
        now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        ticket = wf.start(at=now).ticket
        for event, actor, gap in moves:
            now += timedelta(minutes=gap)
            before = ticket.to_dict()
            try:
                out = wf.apply(ticket, event, at=now, actor=actor)
            except tf.TransitionError as exc:
                rejected = exc.event
                assert ticket.to_dict() == before
                assert rejected == event
                assert event not in wf.allowed(ticket, actor=actor, at=now)
                continue
            assert out.ticket.version == ticket.version + 1
            assert out.ticket.updated_at == now
            assert out.steps[-1].event == event
            assert ticket.to_dict() == before
            if ticket.status in {s.name for s in wf.statuses if s.terminal}:
                assert out.ticket.status == ticket.status
            ticket = out.ticket
            assert tf.Ticket.from_dict(ticket.to_dict()) == ticket


# --- tickets that change during their life: set_attrs, at= timers, adopt, late events ---

CHANGING = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def hand_built() -> tf.Workflow:
    """Priorities that select an SLA, a pending status with a per-ticket deadline."""
    return tf.Workflow(
        name="hand-built",
        statuses=[
            tf.Status("open", category="new", initial=True),
            tf.Status("pending", category="pending"),
            tf.Status("resolved", category="solved"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("set_priority", source="*", roles={"agent"}, set_attrs=("priority",)),
            tf.Transition(
                "pend", source="open", target="pending", roles={"agent"}, set_attrs="pending_until"
            ),
            tf.Transition("repend", source="pending", roles={"agent"}, set_attrs="pending_until"),
            tf.Transition("wake", source="pending", target="open", roles={"system"}),
            tf.Transition("resolve", source="open", target="resolved", roles={"agent"}),
            tf.Transition("nudge", source="resolved", roles={"system"}),
            tf.Transition("reply", source="resolved", target="open", roles={"customer"}),
            tf.Transition("close", source="resolved", target="closed", roles={"agent"}),
        ],
        timers=[
            tf.Timer(
                "pending", at="pending_until", event="wake", remind_before=[tf.business_hours(1)]
            ),
            tf.Timer("resolved", after=tf.hours(4), event="nudge"),  # once per arming
        ],
        slas=[
            tf.SLA("resolution", target=tf.business_hours(1), when={"priority": "urgent"}),
            tf.SLA("resolution", target=tf.business_hours(8)),
        ],
        calendar=tf.BusinessCalendar(timezone="Europe/Berlin", hours=tf.weekdays("09:00", "17:00")),
    )


HAND = hand_built()


def _utc_value(_inst: object, _field: object, value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, Mapping):
        return {k: _utc_value(None, None, v) for k, v in value.items()}
    return value


def in_utc(ticket: tf.Ticket) -> dict[str, object]:
    """The ticket's fields with every instant in UTC, for comparing across tzinfos."""
    return attrs.asdict(ticket, value_serializer=_utc_value)


FLOWS = st.one_of(st.just(HAND), workflows())


def fold(wf: tf.Workflow, log: list[tf.Event]) -> tf.Outcome:
    """Start (or adopt) and apply the log's events one by one."""
    first, *rest = log
    data = dict(first.data or {})
    if first.name == "adopt":
        out = wf.adopt(data["status"], since=data["since"], at=first.at, attrs=data["attrs"])
    else:
        out = wf.start(at=first.at, attrs=data)
    steps, effects, ticket = list(out.steps), list(out.effects), out.ticket
    for ev in rest:
        out = wf.apply(ticket, ev.name, at=ev.at, actor=ev.actor, data=ev.data)
        steps += out.steps
        effects += out.effects
        ticket = out.ticket
    return tf.Outcome(ticket, tuple(steps), tuple(effects))


@st.composite
def adopted_logs(draw: st.DrawFn, wf: tf.Workflow) -> list[tf.Event]:
    """A log that begins by adopting a ticket in any status, then accepted events."""
    status = draw(st.sampled_from([s.name for s in wf.statuses]))
    at = draw(aware_datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31)))
    since = at - draw(gaps())
    values: dict[str, object] = dict(draw(attrs_for(wf)))
    for tm in wf.timers:
        if tm.at is not None and tm.status == status:
            values[tm.at] = draw(deadlines_near(since))
    try:
        ticket = wf.adopt(status, since=since, at=at, attrs=values).ticket
    except tf.TicketflowError:
        assume(False)
        raise
    log = [tf.Event("adopt", at, None, {"status": status, "since": since, "attrs": values})]
    for _ in range(draw(st.integers(0, 6))):
        ev = draw(events(wf, ticket))
        try:
            ticket = wf.apply(ticket, ev.name, at=ev.at, actor=ev.actor, data=ev.data).ticket
        except tf.TransitionError:
            continue
        log.append(ev)
    return log


def streams(wf: tf.Workflow) -> st.SearchStrategy[list[tf.Event]]:
    return st.one_of(event_streams(wf, valid_only=True, max_size=8), adopted_logs(wf))


class TestChangingTickets:
    @pytest.mark.slow
    @CHANGING
    @given(data=st.data())
    def test_replay_equals_stepwise_application(self, data: st.DataObject) -> None:
        """replay of a start- or adopt-first log with set_attrs and at= timers = stepwise."""
        wf = data.draw(FLOWS, label="workflow")
        log = data.draw(streams(wf), label="log")
        assert wf.replay(log) == fold(wf, log)
        as_dicts = [
            {"name": e.name, "at": e.at.isoformat(), "actor": e.actor, "data": e.data} for e in log
        ]
        # ISO text keeps the offset, not the zone: compare instants (PEP 495 makes an
        # instant inside a DST fold unequal to the same instant in another tzinfo)
        assert in_utc(wf.replay(as_dicts).ticket) == in_utc(fold(wf, log).ticket)

    @pytest.mark.slow
    @CHANGING
    @given(data=st.data())
    def test_many_small_advances_equal_one(self, data: st.DataObject) -> None:
        """Advancing in small hops gives the same ticket, steps and effects as one call."""
        wf = data.draw(FLOWS, label="workflow")
        ticket = fold(wf, data.draw(streams(wf), label="log")).ticket
        hops = data.draw(st.lists(gaps(timedelta(days=5)), min_size=1, max_size=6), label="hops")
        now = ticket.updated_at
        small = ticket
        steps: list[tf.Step] = []
        effects: list[tf.Effect] = []
        for hop in hops:
            now += hop
            out = wf.advance(small, now=now)
            small, steps, effects = out.ticket, steps + list(out.steps), effects + list(out.effects)
        one = wf.advance(ticket, now=now)
        assert small == one.ticket
        assert (tuple(steps), tuple(effects)) == (one.steps, one.effects)

    @pytest.mark.slow
    @CHANGING
    @given(data=st.data())
    def test_a_restored_snapshot_is_equal_and_goes_on_identically(
        self, data: st.DataObject
    ) -> None:
        """from_dict(to_dict()) changes nothing, and the restored ticket continues the same."""
        wf = data.draw(FLOWS, label="workflow")
        ticket = fold(wf, data.draw(streams(wf), label="log")).ticket
        restored = tf.Ticket.from_dict(json.loads(json.dumps(ticket.to_dict())))
        assert restored == ticket
        assert restored.to_dict() == ticket.to_dict()
        for _ in range(data.draw(st.integers(1, 4), label="moves")):
            ev = data.draw(events(wf, ticket), label="event")
            try:
                out = wf.apply(ticket, ev.name, at=ev.at, actor=ev.actor, data=ev.data)
            except tf.TransitionError as exc:
                with pytest.raises(type(exc)):
                    wf.apply(restored, ev.name, at=ev.at, actor=ev.actor, data=ev.data)
                continue
            assert wf.apply(restored, ev.name, at=ev.at, actor=ev.actor, data=ev.data) == out
            ticket = restored = out.ticket
        later = ticket.updated_at + timedelta(days=30)
        assert wf.advance(restored, now=later) == wf.advance(ticket, now=later)

    @pytest.mark.slow
    @CHANGING
    @given(data=st.data())
    def test_a_clamped_late_event_equals_the_same_event_at_the_last_change(
        self, data: st.DataObject
    ) -> None:
        """late='clamp': stamped before updated_at = stamped at it, but for requested_at."""
        wf = data.draw(FLOWS, label="workflow")
        ticket = fold(wf, data.draw(streams(wf), label="log")).ticket
        pairs = direct_pairs(wf, ticket, ticket.updated_at)
        assume(pairs)
        name, actor = data.draw(st.sampled_from(pairs), label="event")
        payload = data.draw(data_for(wf, name, ticket.updated_at), label="data")
        stamped = ticket.updated_at - data.draw(gaps(timedelta(days=3)), label="lateness")
        try:
            on_time = wf.apply(ticket, name, at=ticket.updated_at, actor=actor, data=payload)
        except tf.TransitionError as exc:
            with pytest.raises(type(exc)):
                wf.apply(ticket, name, at=stamped, actor=actor, data=payload, late="clamp")
            return
        late = wf.apply(ticket, name, at=stamped, actor=actor, data=payload, late="clamp")
        assert late.ticket == on_time.ticket
        assert late.effects == on_time.effects
        assert [attrs.evolve(s, requested_at=s.at) for s in late.steps] == list(on_time.steps)
        assert late.steps[-1].requested_at == stamped
        assert late.steps[-1].at == ticket.updated_at
