"""The kit and tickets that change during their life: set_attrs, at= timers, adoption."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis.errors import InvalidArgument

import ticketflow as tf
from tests.bounds import examples
from tests.test_engine_properties import HAND
from tests.testing.machine_settings import PRESET_SETTINGS
from ticketflow.testing import event_streams, workflow_state_machine, workflows
from ticketflow.testing._strategies import data_for, deadline_attrs

FAST = settings(
    max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


class TestWorkflows:
    def test_changes_must_be_a_bool(self) -> None:
        with pytest.raises(InvalidArgument, match="changes"):
            workflows(changes="yes")  # type: ignore[arg-type]

    @FAST
    @given(workflows())
    def test_every_entry_into_an_at_status_sets_its_attribute(self, wf: tf.Workflow) -> None:
        """Transitions entering a status whose timer reads an attribute set that attribute."""
        reads = {tm.status: tm.at for tm in wf.timers if tm.at is not None}
        for t in wf.transitions:
            if t.target in reads:
                assert isinstance(t.set_attrs, tuple)
                assert reads[t.target] in t.set_attrs

    @FAST
    @given(workflows(changes=False))
    def test_without_changes_nothing_changes(self, wf: tf.Workflow) -> None:
        assert all(t.set_attrs is None for t in wf.transitions)
        assert all(tm.at is None for tm in wf.timers)
        assert all(s.when is None for s in wf.slas)


class TestData:
    @FAST
    @given(data_for(HAND, "pend", AT))
    def test_deadlines_are_aware_datetimes_or_iso_text(self, data: dict[str, Any]) -> None:
        value = data["pending_until"]
        when = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert when.utcoffset() is not None

    def test_events_that_set_nothing_carry_no_data(self) -> None:
        assert find(data_for(HAND, "resolve", AT), lambda _: True) is None
        assert deadline_attrs(HAND) == {"pending_until"}

    @FAST
    @given(event_streams(HAND, valid_only=True, min_size=3))
    def test_valid_streams_through_set_attrs_and_at_timers_replay(
        self, log: list[tf.Event]
    ) -> None:
        assert HAND.replay(log).ticket.version >= len(log)


class TestMachine:
    @pytest.mark.slow
    def test_the_machine_checks_a_workflow_with_changes(self) -> None:
        """The hand-built workflow (set_attrs, an at= timer, a one-shot timer) holds."""
        case = workflow_state_machine(HAND).TestCase
        case.settings = settings(PRESET_SETTINGS, max_examples=examples(5), stateful_step_count=10)
        case("runTest").runTest()
