"""The state machine reports deliberately broken workflows with shrunk, readable steps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
from tests.testing.machine_settings import BROKEN_SETTINGS
from ticketflow.testing import InvariantFailed, workflow_state_machine

OFFICE = tf.BusinessCalendar("UTC", tf.weekdays("09:00", "17:00"))


def flow(**overrides: Any) -> tf.Workflow:
    """new -> open -> waiting -> closed, with a customer reply back to open."""
    spec: dict[str, Any] = {
        "name": "broken",
        "statuses": [
            tf.Status("new", category="new", initial=True),
            tf.Status("open"),
            tf.Status("waiting", category="pending"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        "transitions": [
            tf.Transition("take", source="new", target="open", roles={"agent"}),
            tf.Transition("ask", source="open", target="waiting", roles={"agent"}),
            tf.Transition("reply", source="waiting", target="open", roles={"customer"}),
            tf.Transition("close", source="*", target="closed", roles={"agent", "system"}),
        ],
    }
    spec.update(overrides)
    return tf.Workflow(**spec)


def failure(
    wf: tf.Workflow,
    invariants: Any = (),
    kind: type[BaseException] = Exception,
    **options: Any,
) -> str:
    """Run the machine, expect it to fail with ``kind``; return message and notes."""
    machine = workflow_state_machine(wf, invariants, **options)
    with pytest.raises(kind) as info:
        run_state_machine_as_test(machine, settings=BROKEN_SETTINGS)
    return "\n".join([str(info.value), *getattr(info.value, "__notes__", [])])


def steps(report: str) -> list[str]:
    """The rule calls of the shrunk example."""
    return [
        line
        for line in report.splitlines()
        if line.startswith("state.") and not line.startswith(("state.snapshot", "state.teardown"))
    ]


class TestBrokenWorkflows:
    def test_guard_that_raises(self) -> None:
        """A guard reading ctx.data["reason"] crashes on an event without data, in few steps."""

        def needs_reason(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            return bool(ctx.data["reason"])  # type: ignore[index]

        transitions = [
            tf.Transition("take", source="new", target="open", roles={"agent"}),
            tf.Transition("close", source="open", target="closed", guard=needs_reason),
        ]
        statuses = [
            tf.Status("new", category="new", initial=True),
            tf.Status("open"),
            tf.Status("closed", category="closed", terminal=True),
        ]
        report = failure(flow(statuses=statuses, transitions=transitions), kind=TypeError)
        assert "not subscriptable" in report
        assert "raised while calling the engine with" in report
        assert "state = BrokenMachine()" in report
        assert 1 <= len(steps(report)) <= 3

    def test_effect_template_with_bad_data(self) -> None:
        """A declared 'reminder' effect whose deadline is not a datetime is reported."""
        bad = tf.Effect("reminder", data={"deadline": "tomorrow"})
        transitions = [
            tf.Transition("take", source="new", target="open", roles={"agent"}, effects=[bad]),
            tf.Transition("ask", source="open", target="waiting", roles={"agent"}),
            tf.Transition("reply", source="waiting", target="open", roles={"customer"}),
            tf.Transition("close", source="*", target="closed", roles={"agent", "system"}),
        ]
        report = failure(flow(transitions=transitions), kind=InvariantFailed)
        assert "'reminders before deadline'" in report
        assert "carries no deadline" in report
        assert "take" in report
        assert 1 <= len(steps(report)) <= 2

    @pytest.mark.slow
    def test_timer_calendar_skips_its_reminder(self) -> None:
        """A 1-day timer whose 8-business-hour reminder falls after it fires is reported."""
        timer = tf.Timer(
            "waiting",
            after=tf.days(1),
            event="close",
            reminders=[tf.business_hours(8)],
            calendar=OFFICE,
        )
        monday_10am = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
        report = failure(flow(timers=[timer]), kind=InvariantFailed, start=st.just(monday_10am))
        assert "'timers send their reminders first'" in report
        assert "timer 'close' fired in 'waiting'" in report
        assert "after 0 of its 1 reminder(s)" in report
        assert len(steps(report)) <= 5

    @pytest.mark.slow
    def test_user_invariant_that_fails(self) -> None:
        """A user invariant naming a broken policy is reported with its own message."""

        def waiting_has_deadline(wf: tf.Workflow, ticket: tf.Ticket) -> None:
            if ticket.status == "waiting":
                assert ticket.next_deadline is not None, "a waiting ticket would wait for ever"

        report = failure(flow(), [waiting_has_deadline], kind=AssertionError)
        assert "a waiting ticket would wait for ever" in report
        assert "user invariant" in report
        assert "waiting_has_deadline" in report
        assert 2 <= len(steps(report)) <= 4

    def test_guard_that_changes_the_ticket(self) -> None:
        """A guard writing to ticket.attrs fails: snapshots are read-only; the error propagates."""

        def counting(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            ticket.attrs["tries"] = ticket.attrs.get("tries", 0) + 1  # type: ignore[index]
            return False

        transitions = [
            tf.Transition("take", source="new", target="open", roles={"agent"}),
            tf.Transition("escalate", source="new", target="open", guard=counting),
            tf.Transition("close", source="*", target="closed", roles={"agent"}),
        ]
        statuses = [
            tf.Status("new", category="new", initial=True),
            tf.Status("open"),
            tf.Status("closed", category="closed", terminal=True),
        ]
        report = failure(flow(statuses=statuses, transitions=transitions), kind=TypeError)
        assert "does not support item assignment" in report
        assert len(steps(report)) <= 2
