"""Hypothesis settings shared by the state machine tests (kept small for CI)."""

from hypothesis import HealthCheck, Phase, settings

from tests.bounds import examples

#: Per preset: up to 100 tickets of up to 30 steps each.
PRESET_SETTINGS = settings(
    max_examples=examples(100),
    stateful_step_count=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

#: For the broken workflows: enough to find each bug, then shrink it (the explain
#: phase, which traces every line run, would take most of the time).
BROKEN_SETTINGS = settings(
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    max_examples=examples(200),
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
    report_multiple_bugs=False,
    database=None,
)
