"""The state machine resumes a call that stops at the engine's step limit, as a store would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
from tests.bounds import examples
from ticketflow.testing import workflow_state_machine

LIMIT = 2


class Limited(tf.Workflow):
    """A workflow whose calls stop after firing LIMIT timed steps, raising StepLimitError."""

    def advance(
        self, ticket: tf.Ticket, *, now: datetime, max_steps: int | None = None
    ) -> tf.Outcome:
        if max_steps is not None:  # the kit's item-by-item replay asks for its own limit
            return super().advance(ticket, now=now, max_steps=max_steps)
        out = super().advance(ticket, now=now)
        if len(out.steps) > LIMIT:
            stop = super().advance(ticket, now=out.steps[LIMIT - 1].at)
            raise tf.StepLimitError(stop, LIMIT)
        return out

    def apply(self, ticket: tf.Ticket, event: str, *, at: datetime, **kw: Any) -> tf.Outcome:
        self.advance(ticket, now=at)  # stops here when the catch-up is too long
        return super().apply(ticket, event, at=at, **kw)


def ping_pong() -> Limited:
    """Timers send an idle ticket between a and b every hour; an agent may close it."""
    return Limited(
        name="ping-pong",
        statuses=[
            tf.Status("a", initial=True),
            tf.Status("b"),
            tf.Status("z", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("to_b", source="a", target="b", roles={"system"}),
            tf.Transition("to_a", source="b", target="a", roles={"system"}),
            tf.Transition("close", source="*", target="z", roles={"agent"}),
        ],
        timers=[
            tf.Timer("a", after=tf.hours(1), event="to_b"),
            tf.Timer("b", after=tf.hours(1), event="to_a"),
        ],
    )


class TestStepLimit:
    def test_the_double_stops_as_the_engine_would(self) -> None:
        """The test double raises StepLimitError with the outcome up to the limit."""
        wf = ping_pong()
        t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
        ticket = wf.start(at=t0).ticket
        with pytest.raises(tf.StepLimitError) as info:
            wf.advance(ticket, now=t0 + timedelta(hours=5))
        assert isinstance(info.value.outcome, tf.Outcome)
        assert len(info.value.outcome.steps) == LIMIT

    def test_machine_resumes_and_keeps_every_invariant(self) -> None:
        """Calls cut short at the step limit are checked, resumed, and raise no false failure."""
        machine = workflow_state_machine(ping_pong(), max_gap=timedelta(days=1))
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples(30),
                stateful_step_count=10,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
