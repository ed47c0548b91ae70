"""check_liveness, and using ticketflow.testing without hypothesis."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest

import ticketflow as tf
import ticketflow.testing as kit
from tests.helpers import support_flow
from ticketflow.testing import _machine, _strategies, check_liveness


def ping_pong() -> tf.Workflow:
    """Two statuses whose timers send a ticket back and forth."""
    return tf.Workflow(
        name="ping-pong",
        statuses=[tf.Status("a", initial=True), tf.Status("b")],
        transitions=[
            tf.Transition("to_b", source="a", target="b"),
            tf.Transition("to_a", source="b", target="a"),
        ],
        timers=[
            tf.Timer("a", after=tf.hours(1), event="to_b"),
            tf.Timer("b", after=tf.hours(2), event="to_a"),
        ],
    )


class TestCheckLiveness:
    def test_timed_path_of_an_idle_ticket(self) -> None:
        """A waiting ticket left alone is auto-resolved, then auto-closed."""
        report = check_liveness(support_flow())
        waiting = report.status("waiting")
        assert waiting.path == ("waiting", "resolved", "closed")
        assert waiting.ends_in == "closed"
        (exit_,) = waiting.exits
        assert (exit_.event, exit_.after, exit_.target) == (
            "auto_resolve",
            timedelta(hours=48),
            "resolved",
        )
        assert exit_.reminders == 1

    def test_resting_and_stuck_statuses(self) -> None:
        """Statuses with no timed exit rest forever; the non-terminal ones are stuck."""
        report = check_liveness(support_flow())
        assert report.resting == ("new", "assigned", "on_hold", "closed")
        assert report.stuck == ("new", "assigned", "on_hold")
        assert report.status("closed").terminal

    def test_timer_loops_are_reported(self) -> None:
        """Timers that move an idle ticket round in a cycle are named."""
        report = check_liveness(ping_pong())
        assert report.loops == ("a", "b")
        assert report.status("a").path == ("a", "b", "a")
        assert report.status("a").ends_in is None
        assert report.resting == ()

    def test_guarded_timed_exit_is_not_certain(self) -> None:
        """A timer that only a guarded transition takes may be refused, so the status rests."""
        wf = tf.Workflow(
            name="g",
            statuses=[tf.Status("a", initial=True), tf.Status("z", terminal=True)],
            transitions=[tf.Transition("expire", source="a", target="z", guard=lambda t, c: True)],
            timers=[tf.Timer("a", after=tf.days(1), event="expire")],
        )
        entry = check_liveness(wf).status("a")
        assert entry.rests
        assert entry.exits[0].guarded
        assert "if its guard allows" in str(entry.exits[0])

    def test_report_reads_as_text(self) -> None:
        """str(report) names each status, its timers and where tickets can sit forever."""
        text = str(check_liveness(support_flow()))
        assert "waiting (pending): left alone it ends in waiting -> resolved -> closed" in text
        assert "after 48 hours: auto_resolve -> resolved" in text
        assert "can sit forever in: new, assigned, on_hold, closed" in text


class TestWithoutHypothesis:
    def test_liveness_works_and_other_names_explain_the_extra(self) -> None:
        """Without hypothesis, check_liveness works and a strategy names the testing extra."""
        code = textwrap.dedent(
            """
            import sys
            sys.modules["hypothesis"] = None  # as if it were not installed
            import ticketflow, ticketflow.testing
            from ticketflow.testing import check_liveness
            from tests.helpers import support_flow
            assert check_liveness(support_flow()).stuck
            try:
                from ticketflow.testing import workflows
            except ImportError as exc:
                assert "ticketflow[testing]" in str(exc), exc
            else:
                raise SystemExit("imported workflows without hypothesis")
            """
        )
        subprocess.run([sys.executable, "-c", code], check=True)

    def test_importing_ticketflow_never_imports_hypothesis(self) -> None:
        """import ticketflow (and ticketflow.testing) leaves hypothesis unimported."""
        code = (
            "import sys, ticketflow, ticketflow.testing\n"
            "assert 'hypothesis' not in sys.modules, 'hypothesis was imported'\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True)


class TestLazyNames:
    def test_every_public_name_comes_from_one_kit_module(self) -> None:
        """Each name of __all__ is bound at import or found, by that name, in a lazy module."""
        for name in kit.__all__:
            owners = [m for m in (_strategies, _machine) if name in m.__all__]
            value = getattr(kit, name)
            if name in kit._LAZY:
                assert len(owners) == 1, name
                assert value is getattr(owners[0], name)
            else:
                assert not owners, name

    def test_an_unknown_name_is_an_attribute_error(self) -> None:
        """A name outside __all__ raises AttributeError naming the module, hypothesis or not."""
        with pytest.raises(AttributeError) as caught:
            _ = kit.TIMEZONES
        assert str(caught.value) == "module 'ticketflow.testing' has no attribute 'TIMEZONES'"
