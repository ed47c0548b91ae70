"""Workflow construction: validation collects every problem, naming each."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import ticketflow as tf
from tests.helpers import T0, support_flow


def problems(**overrides: Any) -> tuple[str, ...]:
    with pytest.raises(tf.WorkflowError) as info:
        support_flow(**overrides)
    return info.value.problems


def base_statuses(**extra: Any) -> list[tf.Status]:
    return [
        tf.Status("a", category="new", initial=True),
        tf.Status("b", category="closed", terminal=True),
        *extra.get("more", []),
    ]


class TestValidation:
    def test_valid_workflow_builds(self) -> None:
        """The shared support workflow is valid and compiles."""
        wf = support_flow()
        assert wf.initial == "new"
        assert wf.statuses_in("solved", "closed") == ("resolved", "closed")

    def test_every_problem_is_reported_at_once(self) -> None:
        """Several mistakes come back together in one WorkflowError."""
        with pytest.raises(tf.WorkflowError) as info:
            tf.Workflow(
                name="bad",
                statuses=[tf.Status("a", category="weird"), tf.Status("a")],
                transitions=[tf.Transition("go", source="x", target="y")],
            )
        text = "\n".join(info.value.problems)
        for fragment in ["'weird'", "defined twice", "no initial", "'x'", "'y'"]:
            assert fragment in text
        assert isinstance(info.value, ValueError)

    def test_several_initial_statuses(self) -> None:
        """Two initial statuses are a problem naming both."""
        with pytest.raises(tf.WorkflowError, match="several initial statuses: a, c"):
            tf.Workflow(
                name="w",
                statuses=[*base_statuses(), tf.Status("c", initial=True)],
                transitions=[tf.Transition("go", source="*", target="b")],
            )

    def test_unreachable_status(self) -> None:
        """A status no transition leads to is named as unreachable."""
        with pytest.raises(tf.WorkflowError, match="'c' is unreachable"):
            tf.Workflow(
                name="w",
                statuses=[*base_statuses(), tf.Status("c")],
                transitions=[tf.Transition("go", source="*", target="b")],
            )

    def test_dead_end(self) -> None:
        """A non-terminal status with no way out is named as a dead end."""
        with pytest.raises(tf.WorkflowError, match="'c' is a dead end"):
            tf.Workflow(
                name="w",
                statuses=[*base_statuses(), tf.Status("c")],
                transitions=[
                    tf.Transition("go", source="a", target="b"),
                    tf.Transition("park", source="a", target="c"),
                ],
            )

    def test_leaving_terminal_status(self) -> None:
        """A transition out of a terminal status is a problem."""
        with pytest.raises(tf.WorkflowError, match="leaves terminal status 'b'"):
            tf.Workflow(
                name="w",
                statuses=base_statuses(),
                transitions=[
                    tf.Transition("go", source="a", target="b"),
                    tf.Transition("back", source="b", target="a"),
                ],
            )

    def test_ambiguous_unguarded(self) -> None:
        """Two unguarded transitions for one event, status and role are ambiguous."""
        with pytest.raises(tf.WorkflowError, match="'go' in status 'a' is ambiguous"):
            tf.Workflow(
                name="w",
                statuses=[*base_statuses(), tf.Status("c")],
                transitions=[
                    tf.Transition("go", source="a", target="b"),
                    tf.Transition("go", source="a", target="c"),
                    tf.Transition("end", source="c", target="b"),
                ],
            )

    def test_same_event_for_disjoint_roles_is_not_ambiguous(self) -> None:
        """One event may lead to different targets for disjoint roles."""
        wf = tf.Workflow(
            name="w",
            statuses=[*base_statuses(), tf.Status("c")],
            transitions=[
                tf.Transition("go", source="a", target="b", roles={"agent"}),
                tf.Transition("go", source="a", target="c", roles={"customer"}),
                tf.Transition("end", source="c", target="b"),
            ],
        )
        assert wf.events() == ("end", "go")

    def test_timer_without_transition(self) -> None:
        """A timer whose event has no system transition from its status is named."""
        bad = tf.Timer("assigned", after=timedelta(hours=1), event="auto_resolve")
        (p,) = problems(timers=[bad])
        assert "auto_resolve" in p
        assert "assigned" in p

    def test_timer_on_unknown_status(self) -> None:
        """A timer on an unknown status is named."""
        assert any(
            "'nowhere'" in p
            for p in problems(timers=[tf.Timer("nowhere", after=timedelta(hours=1), event="close")])
        )

    def test_non_positive_durations(self) -> None:
        """Zero or negative timer durations are problems."""
        ps = problems(
            timers=[
                tf.Timer("waiting", after=timedelta(0), event="auto_resolve"),
                tf.Timer("resolved", after=tf.hours(-1), event="close"),
            ]
        )
        assert sum("not positive" in p for p in ps) == 2

    def test_reminder_after_deadline(self) -> None:
        """A reminder at or after its deadline is a problem where durations compare."""
        ps = problems(
            timers=[
                tf.Timer("waiting", after=tf.days(4), event="auto_resolve", reminders=[tf.days(4)]),
                tf.Timer(
                    "resolved", after=tf.hours(2), event="close", remind_before=[tf.minutes(120)]
                ),
            ]
        )
        assert any("reminder after 4 days" in p for p in ps)
        assert any("2 hours" in p and "120 minutes" in p for p in ps)

    def test_reminder_of_other_kind_is_not_compared(self) -> None:
        """A business-day reminder on a calendar-day timer passes validation."""
        support_flow(
            timers=[
                tf.Timer(
                    "waiting",
                    after=tf.days(1),
                    event="auto_resolve",
                    reminders=[tf.business_days(3)],
                ),
            ]
        )

    def test_sla_problems(self) -> None:
        """SLAs naming unknown events or categories, or days targets, are named."""
        ps = problems(
            slas=[
                tf.SLA("x", target=tf.business_days(1), stop_on={"nope"}, pause_in={"lunch"}),
                tf.SLA("y", target=tf.minutes(0), start_on="never", restart_on="again"),
            ]
        )
        text = "\n".join(ps)
        for fragment in ["in days", "'nope'", "'lunch'", "'never'", "'again'", "not positive"]:
            assert fragment in text

    def test_calendars_that_are_not_calendars(self) -> None:
        """A workflow, timer or SLA calendar that is neither a calendar nor a callable is named."""
        ps = problems(
            calendar="Europe/Madrid",
            timers=[tf.Timer("waiting", after=tf.hours(1), event="auto_resolve", calendar=5)],  # type: ignore[arg-type]
            slas=[tf.SLA("reply", target=tf.hours(1), calendar="office")],  # type: ignore[arg-type]
        )
        text = "\n".join(ps)
        expected = ["calendar 'Europe/Madrid'", "calendar 5", "SLA 'reply': calendar 'office'"]
        for fragment in expected:
            assert fragment in text

    def test_one_shot_timer_fires_once_per_arming(self) -> None:
        """A timer whose transition stays in the status is valid and fires once per entry."""
        wf = tf.Workflow(
            name="w",
            statuses=base_statuses(more=[tf.Status("c", category="pending")]),
            transitions=[
                tf.Transition("go", source="a", target="c"),
                tf.Transition("back", source="c", target="a"),
                tf.Transition("close", source="c", target="b"),
                tf.Transition("ping", source="a", target=None, roles={"system"}),
            ],
            timers=[tf.Timer("a", after=tf.hours(1), event="ping")],
        )
        t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
        out = wf.advance(wf.start(at=t0).ticket, now=t0 + timedelta(days=30))
        assert [(s.event, s.at) for s in out.steps] == [("ping", t0 + timedelta(hours=1))]
        assert (out.ticket.status, wf.next_deadline(out.ticket)) == ("a", None)
        again = wf.apply(out.ticket, "go", at=t0 + timedelta(days=31))
        again = wf.apply(again.ticket, "back", at=t0 + timedelta(days=32))
        assert wf.next_deadline(again.ticket) == t0 + timedelta(days=32, hours=1)

    def test_timer_needs_exactly_one_of_after_and_at(self) -> None:
        """after= and at= together, or neither, is refused naming the timer."""
        with pytest.raises(tf.WorkflowError, match=r"timer 'ping' in 'a'.*both after=1 hour"):
            tf.Timer("a", after=tf.hours(1), event="ping", at="pending_until")
        with pytest.raises(tf.WorkflowError, match=r"exactly one of after= and at=, got neither"):
            tf.Timer("a", event="ping")
        with pytest.raises(tf.WorkflowError, match="event is required"):
            tf.Timer("a", at="pending_until")
        assert tf.Timer("a", event="ping", at="pending_until").after is None

    def test_set_attrs_is_names_or_a_callable(self) -> None:
        """set_attrs takes one name, several, or a callable; anything else is named."""
        assert tf.Transition("p", source="a", set_attrs="priority").set_attrs == ("priority",)
        assert tf.Transition("p", source="a", set_attrs=["x", "y"]).set_attrs == ("x", "y")
        with pytest.raises(tf.WorkflowError, match="set_attrs key 3 is not"):
            tf.Transition("p", source="a", set_attrs=["x", 3])
        with pytest.raises(tf.WorkflowError, match="names an attribute twice"):
            tf.Transition("p", source="a", set_attrs=["x", "x"])
        with pytest.raises(tf.WorkflowError, match="set_attrs must be attribute names"):
            tf.Transition("p", source="a", set_attrs=5)

    def test_statuses_in_unknown_category(self) -> None:
        """statuses_in with an unknown category raises naming it."""
        with pytest.raises(tf.WorkflowError, match="'done'"):
            support_flow().statuses_in("done")


class TestLookups:
    def test_unknown_status_names_it(self) -> None:
        """status() with an unknown name raises UnknownStatusError naming it and the known ones."""
        wf = support_flow()
        with pytest.raises(tf.UnknownStatusError, match="unknown status 'nope'") as info:
            wf.status("nope")
        assert info.value.status == "nope"
        assert info.value.known == tuple(s.name for s in wf.statuses)
        assert f"(known: {', '.join(s.name for s in wf.statuses)})" in str(info.value)

    def test_unknown_status_is_a_lookup_error_not_a_transition_error(self) -> None:
        """It is a LookupError and a TicketflowError, never a refused event."""
        with pytest.raises(LookupError) as info:
            support_flow().category("nope")
        assert isinstance(info.value, tf.TicketflowError)
        assert not isinstance(info.value, tf.TransitionError)

    def test_status_of_wrong_type(self) -> None:
        """status() with a value that is not a string raises UnknownStatusError, not TypeError."""
        with pytest.raises(tf.UnknownStatusError, match=r"unknown status \['new'\]") as info:
            support_flow().status(["new"])  # type: ignore[arg-type]
        assert info.value.status == ["new"]

    def test_known_statuses_are_listed_within_a_bound(self) -> None:
        """With many statuses, the message lists the first ten and keeps every name in .known."""
        names = [f"s{i}" for i in range(40)]
        wf = tf.Workflow(
            name="many",
            statuses=[tf.Status(n, initial=n == "s0") for n in names],
            transitions=[
                tf.Transition(f"to_{b}", source=a, target=b) for a, b in itertools.pairwise(names)
            ]
            + [tf.Transition("again", source=names[-1], target="s0")],
        )
        with pytest.raises(tf.UnknownStatusError) as info:
            wf.status("x" * 10_000)
        assert info.value.known == tuple(names)
        assert "(known: s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, ...)" in str(info.value)
        assert len(str(info.value)) < 300


class TestMaxSteps:
    @pytest.mark.parametrize("bad", [0, -1, True, False, 1.5, "10", None, tf.MAX_STEPS + 1])
    def test_bad_max_steps_is_an_argument_error(self, bad: object) -> None:
        """A max_steps that is not an int from 1 to MAX_STEPS is an ArgumentError naming it."""
        wf = support_flow()
        t = wf.start(at=T0).ticket
        with pytest.raises(tf.ArgumentError, match="max_steps must be an int from 1") as info:
            wf.advance(t, now=T0, max_steps=bad)  # type: ignore[arg-type]
        assert isinstance(info.value, ValueError)
        assert info.value.argument == "max_steps"
        assert info.value.value is bad

    def test_max_steps_bounds_are_accepted(self) -> None:
        """One and MAX_STEPS itself are both fine."""
        wf = support_flow()
        t = wf.start(at=T0).ticket
        assert wf.advance(t, now=T0, max_steps=1).ticket == t
        assert wf.advance(t, now=T0, max_steps=tf.MAX_STEPS).ticket == t


class TestProblemCount:
    def test_total_counts_every_problem(self) -> None:
        """WorkflowError.total counts the problems, and the message says how many."""
        with pytest.raises(tf.WorkflowError) as info:
            tf.Workflow(
                name="bad",
                statuses=[tf.Status("a", category="weird"), tf.Status("a")],
                transitions=[tf.Transition("go", source="x", target="y")],
            )
        assert info.value.total == len(info.value.problems)
        assert f"({info.value.total} problem(s))" in str(info.value)
