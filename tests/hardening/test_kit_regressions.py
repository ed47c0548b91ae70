"""Hardening regressions of the testing kit and the command line.

Every public name of ``ticketflow.testing`` given a bad argument (or a
strategy that draws a bad value) fails at once with ``KitArgumentError``
naming it, within the time bound; the state machine reports no false
failure; ``check_liveness`` stays fast on large workflows; and the
``ticketflow`` command exits with one line on standard error, never a
traceback, when its output cannot be written.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import run_state_machine_as_test

import ticketflow as tf
from tests.bounds import FUZZ_EXAMPLES, TIME_BOUND, examples, within
from tests.helpers import support_flow
from ticketflow import presets
from ticketflow.testing import (
    KitArgumentError,
    aware_datetimes,
    calendars,
    check_liveness,
    durations,
    event_streams,
    events,
    workflow_state_machine,
    workflows,
)

FLOW = support_flow()
TICKET = FLOW.start(at=datetime(2026, 3, 2, 9, tzinfo=UTC)).ticket
OTHER = tf.Workflow(
    name="other",
    statuses=[tf.Status("a", initial=True), tf.Status("z", category="closed", terminal=True)],
    transitions=[tf.Transition("end", source="a", target="z")],
)
ALIEN_TICKET = OTHER.start(at=datetime(2026, 3, 2, 9, tzinfo=UTC)).ticket
SRC = Path(__file__).parents[2] / "src"


def nothing(wf: tf.Workflow, ticket: tf.Ticket) -> None:
    """An invariant that always holds."""


#: (case, call, argument named in the error, words the message holds)
BAD_ARGUMENTS: list[tuple[str, Callable[[], object], str, str]] = [
    # aware_datetimes
    (
        "aware min_value",
        lambda: aware_datetimes(min_value=datetime(2026, 1, 1, tzinfo=UTC)),
        "min_value",
        "must be naive",
    ),
    (
        "min above max",
        lambda: aware_datetimes(datetime(2027, 1, 1), datetime(2026, 1, 1)),
        "min_value",
        "is greater than max_value=",
    ),
    (
        "min_value not a datetime",
        lambda: aware_datetimes("2026"),  # type: ignore[arg-type]
        "min_value",
        "must be a datetime",
    ),
    (
        "min_value before the supported range",
        lambda: aware_datetimes(datetime(1, 1, 1)),
        "min_value",
        "outside the supported readings [1900-01-02T00:00:00",
    ),
    (
        "max_value past the supported range",
        lambda: aware_datetimes(max_value=datetime(9999, 12, 31)),
        "max_value",
        "outside the supported readings",
    ),
    (
        "unknown zone",
        lambda: aware_datetimes(timezones=["Mars/Olympus"]),
        "timezones",
        "unknown time zone 'Mars/Olympus'",
    ),
    (
        "zone that is a directory",
        lambda: aware_datetimes(timezones=["America"]),
        "timezones",
        "unknown time zone 'America'",
    ),
    (
        "zone with a path",
        lambda: aware_datetimes(timezones=["../etc/passwd"]),
        "timezones",
        "unknown time zone '../etc/passwd'",
    ),
    ("zone not a str", lambda: aware_datetimes(timezones=[5]), "timezones", "got 5"),  # type: ignore[list-item]
    (
        "timezones a bare str",
        lambda: aware_datetimes(timezones="UTC"),
        "timezones",
        "must be None, a strategy, or a sequence of zone names",
    ),
    ("no timezones", lambda: aware_datetimes(timezones=[]), "timezones", "must not be empty"),
    # durations
    ("unknown unit", lambda: durations(units=["fortnights"]), "units", "unknown unit 'fortnights'"),
    ("unhashable unit", lambda: durations(units=[["days"]]), "units", "unknown unit ['days']"),  # type: ignore[list-item]
    ("units a bare str", lambda: durations(units="days"), "units", "non-empty sequence"),
    (
        "min_amount above max_amount",
        lambda: durations(min_amount=5, max_amount=1),
        "min_amount",
        "min_amount=5 is greater than max_amount=1",
    ),
    ("huge amount", lambda: durations(max_amount=10**30), "max_amount", "must be at most"),
    ("float amount", lambda: durations(min_amount=1.5), "min_amount", "must be an int"),  # type: ignore[arg-type]
    ("bool amount", lambda: durations(min_amount=True), "min_amount", "must be an int"),
    # calendars
    ("no intervals", lambda: calendars(max_intervals=0), "max_intervals", "must be at least 1"),
    (
        "more intervals than a day holds",
        lambda: calendars(max_intervals=49),
        "max_intervals",
        "must be at most 48",
    ),
    ("min_date a str", lambda: calendars(min_date="2026-01-01"), "min_date", "must be a date"),  # type: ignore[arg-type]
    (
        "min_date before the supported range",
        lambda: calendars(min_date=date(1, 1, 1)),
        "min_date",
        "outside the supported dates",
    ),
    ("holidays not a bool", lambda: calendars(holidays="yes"), "holidays", "must be a bool"),  # type: ignore[arg-type]
    # workflows
    ("no statuses", lambda: workflows(max_statuses=0), "max_statuses", "must be at least 1"),
    (
        "min_statuses above max_statuses",
        lambda: workflows(min_statuses=3, max_statuses=2),
        "min_statuses",
        "is greater than max_statuses=2",
    ),
    (
        "calendars a list",
        lambda: workflows(calendars=[tf.ALWAYS_OPEN]),  # type: ignore[arg-type]
        "calendars",
        "must be a hypothesis strategy or None",
    ),
    ("empty name", lambda: workflows(name=" "), "name", "must be a non-empty string"),
    ("timers not a bool", lambda: workflows(timers="yes"), "timers", "must be a bool"),  # type: ignore[arg-type]
    # events
    (
        "workflow a str",
        lambda: events("support", TICKET),  # type: ignore[arg-type]
        "workflow",
        "workflow='support' must be a ticketflow.Workflow",
    ),
    (
        "ticket a dict",
        lambda: events(FLOW, {"status": "new"}),  # type: ignore[arg-type]
        "ticket",
        "must be a ticketflow.Ticket",
    ),
    (
        "ticket of another workflow",
        lambda: events(FLOW, ALIEN_TICKET),
        "ticket",
        "does not belong to workflow 'support'",
    ),
    (
        "gap past a year",
        lambda: events(FLOW, TICKET, max_gap=timedelta(days=10**6)),
        "max_gap",
        "at most 366 days",
    ),
    (
        "data not a strategy",
        lambda: events(FLOW, TICKET, data={"a": 1}),  # type: ignore[arg-type]
        "data",
        "must be a hypothesis strategy or None",
    ),
    # event_streams
    (
        "min_size above max_size",
        lambda: event_streams(FLOW, min_size=3, max_size=1),
        "min_size",
        "min_size=3 is greater than max_size=1",
    ),
    ("zero gap", lambda: event_streams(FLOW, max_gap=timedelta(0)), "max_gap", "above zero"),
    (
        "gap an int",
        lambda: event_streams(FLOW, max_gap=30),  # type: ignore[arg-type]
        "max_gap",
        "max_gap=30 must be a timedelta",
    ),
    (
        "valid_only a str",
        lambda: event_streams(FLOW, valid_only="yes"),  # type: ignore[arg-type]
        "valid_only",
        "must be a bool",
    ),
    (
        "start a datetime",
        lambda: event_streams(FLOW, start=datetime(2026, 1, 1, tzinfo=UTC)),  # type: ignore[arg-type]
        "start",
        "must be a hypothesis strategy or None",
    ),
    # workflow_state_machine
    (
        "machine of a str",
        lambda: workflow_state_machine("support"),  # type: ignore[arg-type]
        "workflow",
        "must be a ticketflow.Workflow",
    ),
    (
        "invariants one callable",
        lambda: workflow_state_machine(FLOW, nothing),  # type: ignore[arg-type]
        "invariants",
        "must be a sequence of callables",
    ),
    (
        "invariants a str",
        lambda: workflow_state_machine(FLOW, "abc"),  # type: ignore[arg-type]
        "invariants",
        "must be a sequence of callables",
    ),
    (
        "invariant not callable",
        lambda: workflow_state_machine(FLOW, ["check"]),  # type: ignore[list-item]
        "invariants",
        "invariants holds 'check', which is not callable",
    ),
    (
        "endless invariants",
        lambda: workflow_state_machine(FLOW, itertools.repeat(nothing)),
        "invariants",
        "more than 1000 callables",
    ),
    (
        "largest timedelta as gap",
        lambda: workflow_state_machine(FLOW, max_gap=timedelta.max),
        "max_gap",
        "at most 366 days",
    ),
    (
        "attrs a dict",
        lambda: workflow_state_machine(FLOW, attrs={"vip": True}),  # type: ignore[arg-type]
        "attrs",
        "must be a hypothesis strategy or None",
    ),
    # check_liveness and its report (no hypothesis needed)
    (
        "liveness of a str",
        lambda: check_liveness("support"),  # type: ignore[arg-type]
        "workflow",
        "must be a ticketflow.Workflow",
    ),
    ("liveness of None", lambda: check_liveness(None), "workflow", "workflow=None"),  # type: ignore[arg-type]
    (
        "unknown status in a report",
        lambda: check_liveness(FLOW).status("nope"),
        "name",
        "workflow 'support' has no status 'nope' (it has: new, ",
    ),
]


def draw_one(strategy: st.SearchStrategy[Any]) -> Any:
    """The first value a strategy draws."""
    # a fixed count, not a fuzz budget: the first draw satisfies the predicate
    return find(strategy, lambda _: True, settings=settings(database=None, max_examples=10))


def run_machine(**options: Any) -> None:
    """Run a machine on FLOW for one short example."""
    machine = workflow_state_machine(FLOW, **options)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=1,
            stateful_step_count=2,
            deadline=None,
            database=None,
            phases=[Phase.generate],
        ),
    )


#: (case, call, argument named in the error, words the message holds)
BAD_DRAWS: list[tuple[str, Callable[[], object], str, str]] = [
    (
        "naive start",
        lambda: run_machine(start=st.just(datetime(2026, 1, 1))),
        "start",
        "the start strategy drew start=datetime.datetime(2026, 1, 1, 0, 0) is a naive datetime",
    ),
    (
        "start past the supported range",
        lambda: run_machine(start=st.just(datetime(3500, 1, 1, tzinfo=UTC))),
        "start",
        "outside the supported range",
    ),
    (
        "start not a datetime",
        lambda: draw_one(event_streams(FLOW, start=st.just("2026-01-01"))),  # type: ignore[arg-type]
        "start",
        "start must be a datetime, got '2026-01-01'",
    ),
    (
        "attrs a list",
        lambda: run_machine(attrs=st.just([1, 2])),
        "attrs",
        "the attrs strategy drew [1, 2], which is not a mapping with str keys",
    ),
    (
        "data an int",
        lambda: draw_one(events(FLOW, TICKET, data=st.just(5))),  # type: ignore[arg-type]
        "data",
        "the data strategy drew 5, which is not a mapping or None",
    ),
    (
        "zone an int",
        lambda: draw_one(aware_datetimes(timezones=st.just(5))),
        "timezones",
        "the timezones strategy drew 5, which is not a zone name or ZoneInfo",
    ),
    (
        "calendar a str",
        lambda: draw_one(workflows(calendars=st.just("office"))),  # type: ignore[arg-type]
        "calendars",
        "the calendars strategy drew 'office', which is not a BusinessCalendar or None",
    ),
]


class TestBadArguments:
    @pytest.mark.parametrize(
        ("call", "argument", "words"),
        [pytest.param(call, arg, words, id=case) for case, call, arg, words in BAD_ARGUMENTS],
    )
    def test_fails_at_once_naming_the_argument(
        self, call: Callable[[], object], argument: str, words: str
    ) -> None:
        """A bad argument raises KitArgumentError at once, naming the argument and the value."""
        with within(label=argument), pytest.raises(KitArgumentError) as info:
            call()
        assert isinstance(info.value, tf.TicketflowError)
        assert info.value.argument == argument
        assert words in str(info.value)

    @pytest.mark.parametrize(
        "call",
        [pytest.param(call, id=case) for case, call, _, _ in BAD_ARGUMENTS[:-3]],
    )
    def test_strategies_keep_the_hypothesis_convention(self, call: Callable[[], object]) -> None:
        """Strategies and the machine raise it as hypothesis's InvalidArgument too."""
        with pytest.raises(InvalidArgument):
            call()


class TestBadDraws:
    @pytest.mark.parametrize(
        ("call", "argument", "words"),
        [pytest.param(call, arg, words, id=case) for case, call, arg, words in BAD_DRAWS],
    )
    def test_a_bad_draw_names_the_strategy(
        self, call: Callable[[], object], argument: str, words: str
    ) -> None:
        """A strategy passed in that draws a bad value fails with KitArgumentError naming it."""
        with within(5 * TIME_BOUND, argument), pytest.raises(KitArgumentError) as info:
            call()
        assert info.value.argument == argument
        assert words in str(info.value)


def chain(n: int) -> tf.Workflow:
    """n statuses in a chain, each left by a timer after an hour, plus catch-all events."""
    names = [f"s{i}" for i in range(n)]
    pairs = list(itertools.pairwise(names))
    return tf.Workflow(
        name="chain",
        statuses=[
            tf.Status(names[0], category="new", initial=True),
            *(tf.Status(name) for name in names[1:-1]),
            tf.Status(names[-1], category="closed", terminal=True),
        ],
        transitions=[
            *(tf.Transition(f"next{i}", source=a, target=b) for i, (a, b) in enumerate(pairs)),
            tf.Transition("note", source="*", target=None),
            tf.Transition("close", source="*", target=names[-1], roles={"agent"}),
        ],
        timers=[tf.Timer(names[i], after=tf.hours(1), event=f"next{i}") for i in range(n - 1)],
    )


class TestLivenessBounds:
    def test_six_hundred_statuses_within_the_bound(self) -> None:
        """check_liveness and its text on a 600-status chain take well under the bound."""
        wf = chain(600)
        with within(label="check_liveness(600 statuses)"):
            report = check_liveness(wf)
            text = str(report)
        first = report.status("s0")
        assert (first.length, first.ends_in, first.loops) == (600, "s599", False)
        assert first.path[:3] == ("s0", "s1", "s2")
        assert len(first.path) == 600
        assert "left alone it ends in s0 -> s1 -> " in text
        assert "... (592 more) -> s599" in text
        assert len(text) < 200_000


def no_manual_close_of_solved(wf: tf.Workflow) -> tf.Workflow:
    """The same workflow, but a person's ``close`` no longer applies to a resolved ticket."""
    transitions = [
        attrs.evolve(t, source=[s for s in t.source if s != "resolved"])
        if t.event == "close"
        else t
        for t in wf.transitions
    ]
    return tf.Workflow(
        name=wf.name,
        statuses=wf.statuses,
        transitions=transitions,
        timers=wf.timers,
        slas=wf.slas,
        calendar=wf.calendar,
    )


class ClosedNotWithinADayOfSolving:
    """User invariant: a resolved ticket is never closed within a day of being resolved."""

    def __init__(self) -> None:
        self.resolved_since: datetime | None = None

    def __call__(self, wf: tf.Workflow, ticket: tf.Ticket) -> None:
        if ticket.version == 1:  # a new run starts
            self.resolved_since = None
        if ticket.status == "closed" and self.resolved_since is not None:
            held = ticket.status_since.astimezone(UTC) - self.resolved_since
            assert held >= timedelta(days=1), f"closed {held} after it was resolved"
        self.resolved_since = (
            ticket.status_since.astimezone(UTC) if ticket.status == "resolved" else None
        )


class TestNoFalseFailures:
    @pytest.mark.slow
    def test_auto_close_is_never_sent_directly(self) -> None:
        """service-desk auto-closes resolved tickets after 48 hours; the invariant never fails."""
        wf = no_manual_close_of_solved(presets.get("service-desk"))
        machine = workflow_state_machine(wf, [ClosedNotWithinADayOfSolving()])
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=max(examples(100), FUZZ_EXAMPLES),
                stateful_step_count=30,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )

    def test_the_invariant_does_catch_an_early_close(self) -> None:
        """The invariant itself fails when a resolved ticket is closed at once."""
        check = ClosedNotWithinADayOfSolving()
        wf = presets.get("service-desk")
        t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
        out = wf.start(at=t0)
        check(wf, out.ticket)
        out = wf.apply(out.ticket, "resolve", at=t0, actor="agent")
        check(wf, out.ticket)
        out = wf.apply(out.ticket, "close", at=t0, actor="agent")
        with pytest.raises(AssertionError, match="closed 0:00:00 after it was resolved"):
            check(wf, out.ticket)

    def test_earliest_start_sends_no_event_before_the_supported_range(self) -> None:
        """Starting at MIN_INSTANT, the machine never sends a late event before it."""
        machine = workflow_state_machine(FLOW, start=st.just(tf.MIN_INSTANT))
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=examples(20), stateful_step_count=10, deadline=None, database=None
            ),
        )


DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full here")


def command(args: list[str], **streams: Any) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ticketflow ARGS`` from this checkout in a real subprocess."""
    path = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run(
        [sys.executable, "-m", "ticketflow", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
        timeout=60,
        **streams,
    )


class TestCommandOutput:
    @needs_dev_full
    @pytest.mark.parametrize(
        "args",
        [["presets"], ["demo"], ["demo", "help-center"], ["--help"], ["--version"]],
        ids=" ".join,
    )
    def test_full_device_is_one_line_and_status_1(self, args: list[str]) -> None:
        """Output to /dev/full exits 1 with one line on stderr, no traceback."""
        with DEV_FULL.open("w") as full:
            done = command(args, stdout=full)
        assert done.returncode == 1
        assert done.stderr == "ticketflow: cannot write output: No space left on device\n"

    def test_closed_stdout_is_one_line_and_status_1(self) -> None:
        """Started with standard output closed, it exits 1 with one line on stderr."""
        done = command(["presets"], preexec_fn=_close_stdout)
        assert done.returncode == 1
        assert done.stderr == "ticketflow: cannot write output: standard output is closed\n"

    @pytest.mark.parametrize("args", [["presets"], ["demo"]], ids=" ".join)
    def test_reader_gone_is_quiet_and_status_0(self, args: list[str]) -> None:
        """A pipe whose reader has gone (`| head`) ends the command quietly with status 0."""
        read, write = os.pipe()
        os.close(read)  # nobody will ever read: the first write fails with EPIPE
        try:
            done = command(args, stdout=write)
        finally:
            os.close(write)
        assert done.returncode == 0
        assert done.stderr == ""

    def test_head_in_a_shell_pipeline(self) -> None:
        """`ticketflow demo | head -n 1` prints one line and the command stays quiet."""
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        done = subprocess.run(
            ["sh", "-c", f'"{sys.executable}" -m ticketflow demo | head -n 1; exit 0'],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=60,
        )
        assert done.stdout.startswith("case-portal:")
        assert len(done.stdout.splitlines()) == 1
        assert done.stderr == ""

    def test_unknown_preset_is_one_line_and_status_2(self) -> None:
        """An unknown preset exits 2 with one line naming it."""
        done = command(["demo", "nope"], stdout=subprocess.PIPE)
        assert done.returncode == 2
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1
        assert "ticketflow: unknown preset 'nope'" in done.stderr


def _close_stdout() -> None:
    """In the child, before exec: close file descriptor 1."""
    os.close(1)
