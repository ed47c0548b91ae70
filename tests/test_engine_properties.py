"""Random event sequences on random small workflows: accepted or rejected, never half-done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf

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
