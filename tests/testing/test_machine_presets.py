"""The workflow state machine on every preset and on random workflows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
from tests.bounds import examples
from tests.testing.machine_settings import PRESET_SETTINGS
from ticketflow import presets
from ticketflow.testing import workflow_state_machine, workflows
from ticketflow.testing._strategies import attrs_for, gaps, roles_of

#: Event data with a pending time somewhere in 2026 (or just after), in any zone.
PENDING_TIMES = st.fixed_dictionaries(
    {
        "pending_until": st.datetimes(
            datetime(2026, 1, 1), datetime(2027, 3, 31), timezones=st.timezones()
        )
    }
)


class TestPresets:
    @pytest.mark.slow
    @pytest.mark.parametrize(
        "name",
        presets.names(),
    )
    def test_preset_keeps_every_invariant(self, name: str) -> None:
        """Random tickets of each preset keep every built-in invariant.

        pending-states' agents always give a pending time, so its events carry one.
        """
        data = PENDING_TIMES if name == "pending-states" else None
        machine = workflow_state_machine(presets.get(name), data=data)
        run_state_machine_as_test(machine, settings=PRESET_SETTINGS)

    def test_test_case_attribute_runs(self) -> None:
        """`.TestCase` is a unittest case that runs the machine."""
        machine = workflow_state_machine(presets.get(presets.names()[0]))
        machine.TestCase.settings = settings(PRESET_SETTINGS, max_examples=examples(5))
        machine.TestCase("runTest").runTest()

    def test_machine_is_named_after_the_workflow(self) -> None:
        """The class name reads as the workflow's, for readable failures."""
        machine = workflow_state_machine(presets.get("help-center"))
        assert machine.__name__ == "HelpCenterMachine"


class TestRandomWorkflows:
    @pytest.mark.slow
    @settings(
        max_examples=examples(40),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(wf=workflows(max_statuses=5), data=st.data())
    def test_generated_workflows_keep_every_invariant(
        self, wf: tf.Workflow, data: st.DataObject
    ) -> None:
        """Random workflows driven by random events keep every built-in invariant."""
        machine = workflow_state_machine(wf)()
        roles = roles_of(wf)
        names = [*wf.events(), "nope"]
        start = data.draw(
            st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC))
        )
        machine.do_start(start, data.draw(attrs_for(wf)))
        machine.check_snapshot()
        for _ in range(data.draw(st.integers(0, 12), label="steps")):
            gap = data.draw(gaps())
            at = machine.now + gap
            if data.draw(st.booleans(), label="advance"):
                machine.do_advance(at)
            else:
                event = data.draw(st.sampled_from(names), label="event")
                machine.do_apply(event, data.draw(st.sampled_from(roles)), at, None)
            machine.check_snapshot()
