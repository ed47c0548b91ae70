"""Regression table for workflow definitions: every bad input is a named error, fast.

Each case builds something wrong and asserts the ``TicketflowError`` subclass
and a fragment of its message, under the time bound of ``tests.bounds``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

import ticketflow as tf
import ticketflow.presets
from tests.bounds import within

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

Case = tuple[str, Callable[[], object], type[tf.TicketflowError], str]


def statuses(*more: tf.Status) -> list[tf.Status]:
    return [
        tf.Status("a", category="new", initial=True),
        tf.Status("b", category="closed", terminal=True),
        *more,
    ]


def flow(**overrides: Any) -> tf.Workflow:
    """A two-status workflow, with ``overrides`` for its fields."""
    spec: dict[str, Any] = {
        "name": "w",
        "statuses": statuses(),
        "transitions": [tf.Transition("go", source="a", target="b")],
    }
    spec.update(overrides)
    return tf.Workflow(**spec)


def boom() -> Iterator[tf.Status]:
    yield tf.Status("a", category="new", initial=True)
    raise ValueError("boom")


def nested(depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for _ in range(depth):
        data = {"x": data}
    return data


def looped() -> dict[str, Any]:
    data: dict[str, Any] = {}
    data["self"] = data
    return data


def effect(data: Any) -> Callable[[], object]:
    return lambda: tf.Transition("go", source="a", effects=[tf.Effect("notify", data=data)])


def raises(call: Callable[[], object], error: type[tf.TicketflowError], fragment: str) -> None:
    """``call`` raises ``error`` (a TicketflowError) naming ``fragment``, within the bound."""
    with within(label=fragment), pytest.raises(error) as info:
        call()
    assert isinstance(info.value, tf.TicketflowError)
    assert fragment in str(info.value), str(info.value)


def table(cases: list[Case]) -> Any:
    return pytest.mark.parametrize(
        ("call", "error", "fragment"),
        [pytest.param(call, error, fragment, id=label) for label, call, error, fragment in cases],
    )


WE = tf.WorkflowError
DE = tf.DurationError

STATUS_CASES: list[Case] = [
    ("name-int", lambda: tf.Status(5), WE, "name must be a string, got 5"),  # type: ignore[arg-type]
    ("name-none", lambda: tf.Status(None), WE, "name must be a string, got None"),  # type: ignore[arg-type]
    ("name-bytes", lambda: tf.Status(b"x"), WE, "got b'x'"),  # type: ignore[arg-type]
    ("name-list", lambda: tf.Status(["a"]), WE, "got ['a']"),  # type: ignore[arg-type]
    ("category-int", lambda: tf.Status("a", category=5), WE, "category must be a string, got 5"),  # type: ignore[arg-type]
    ("category-none", lambda: tf.Status("a", category=None), WE, "category must be"),  # type: ignore[arg-type]
    ("initial-str", lambda: tf.Status("a", initial="yes"), WE, "initial must be True or False"),  # type: ignore[arg-type]
    ("initial-int", lambda: tf.Status("a", initial=1), WE, "initial must be True or False, got 1"),  # type: ignore[arg-type]
    ("terminal-none", lambda: tf.Status("a", terminal=None), WE, "terminal must be True or False"),  # type: ignore[arg-type]
    ("label-int", lambda: tf.Status("a", label=5), WE, "label must be a string or None, got 5"),  # type: ignore[arg-type]
    ("description-list", lambda: tf.Status("a", description=["x"]), WE, "description must be"),  # type: ignore[arg-type]
    ("all-at-once", lambda: tf.Status(5, initial="y", label=1), WE, "3 problem(s)"),  # type: ignore[arg-type]
]

TRANSITION_CASES: list[Case] = [
    ("event-int", lambda: tf.Transition(5, source="a"), WE, "event must be a string, got 5"),  # type: ignore[arg-type]
    ("event-none", lambda: tf.Transition(None, source="a"), WE, "event must be a string, got None"),  # type: ignore[arg-type]
    ("source-int", lambda: tf.Transition("go", source=5), WE, "source must be a list, got 5"),  # type: ignore[arg-type]
    (
        "source-none",
        lambda: tf.Transition("go", source=None),  # type: ignore[arg-type]
        WE,
        "source must be a list, got None",
    ),
    ("source-mapping", lambda: tf.Transition("go", source={"a": 1}), WE, "source must be a list"),
    (
        "source-bytes",
        lambda: tf.Transition("go", source=b"a"),  # type: ignore[arg-type]
        WE,
        "source must be a list, got b'a'",
    ),
    (
        "source-item-int",
        lambda: tf.Transition("go", source=[1]),  # type: ignore[list-item]
        WE,
        "source 1 is not a status name",
    ),
    ("source-item-none", lambda: tf.Transition("go", source=["a", None]), WE, "source None"),  # type: ignore[list-item]
    ("source-raises", lambda: tf.Transition("go", source=boom()), WE, "raised ValueError: boom"),  # type: ignore[arg-type]
    (
        "source-endless",
        lambda: tf.Transition("go", source=itertools.repeat("a")),
        WE,
        "more than 200000 items",
    ),
    (
        "target-int",
        lambda: tf.Transition("go", source="a", target=5),  # type: ignore[arg-type]
        WE,
        "target must be a string or None, got 5",
    ),
    ("target-list", lambda: tf.Transition("go", source="a", target=["b"]), WE, "target must be"),  # type: ignore[arg-type]
    (
        "roles-int",
        lambda: tf.Transition("go", source="a", roles=5),  # type: ignore[arg-type]
        WE,
        "roles must be a list, got 5",
    ),
    (
        "roles-item-int",
        lambda: tf.Transition("go", source="a", roles=[1]),  # type: ignore[list-item]
        WE,
        "role 1 is not a string",
    ),
    (
        "roles-item-list",
        lambda: tf.Transition("go", source="a", roles=[["agent"]]),  # type: ignore[list-item]
        WE,
        "role ['agent']",
    ),
    (
        "roles-endless",
        lambda: tf.Transition("go", source="a", roles=itertools.count()),  # type: ignore[arg-type]
        WE,
        "more than",
    ),
    ("guard-int", lambda: tf.Transition("go", source="a", guard=5), WE, "guard 5 is not callable"),  # type: ignore[arg-type]
    (
        "guard-name",
        lambda: tf.Transition("go", source="a", guard="vip"),  # type: ignore[arg-type]
        WE,
        "guard 'vip' is not callable",
    ),
    (
        "sub-status-int",
        lambda: tf.Transition("go", source="a", sub_status=5),  # type: ignore[arg-type]
        WE,
        "sub_status 5 is not",
    ),
    (
        "effects-int",
        lambda: tf.Transition("go", source="a", effects=5),  # type: ignore[arg-type]
        WE,
        "effects must be a list, got 5",
    ),
    (
        "effects-item-int",
        lambda: tf.Transition("go", source="a", effects=[5]),  # type: ignore[list-item]
        WE,
        "effects[0] must be a kind string or an Effect, got 5",
    ),
    (
        "effects-item-dict",
        lambda: tf.Transition("go", source="a", effects=[{"kind": "survey"}]),  # type: ignore[list-item]
        WE,
        "effects[0] must be a kind string",
    ),
    (
        "effect-kind-int",
        lambda: tf.Transition("go", source="a", effects=[tf.Effect(5)]),  # type: ignore[arg-type]
        WE,
        "effect kind 5 is not",
    ),
    (
        "effect-kind-empty",
        lambda: tf.Transition("go", source="a", effects=[""]),
        WE,
        "effect kind '' is not",
    ),
    (
        "effect-name-int",
        lambda: tf.Transition("go", source="a", effects=[tf.Effect("x", name=5)]),  # type: ignore[arg-type]
        WE,
        "name must be a string or None, got 5",
    ),
    (
        "effect-at",
        lambda: tf.Transition("go", source="a", effects=[tf.Effect("x", at=T0)]),
        WE,
        "must not set at=",
    ),
    (
        "restarts-int",
        lambda: tf.Transition("go", source="a", restarts_timers=1),  # type: ignore[arg-type]
        WE,
        "restarts_timers must be True or False, got 1",
    ),
    (
        "restarts-str",
        lambda: tf.Transition("go", source="a", restarts_timers="yes"),  # type: ignore[arg-type]
        WE,
        "restarts_timers must be",
    ),
    (
        "label-int",
        lambda: tf.Transition("go", source="a", label=5),  # type: ignore[arg-type]
        WE,
        "label must be a string or None, got 5",
    ),
]

EFFECT_DATA_CASES: list[Case] = [
    ("not-mapping", effect(5), WE, "data must be a mapping, got 5"),
    ("list", effect([1]), WE, "data must be a mapping, got [1]"),
    ("object", effect({"a": object()}), WE, "data['a'] is <object"),
    ("nan", effect({"a": float("nan")}), WE, "data['a'] is nan, not a finite number"),
    ("inf", effect({"a": [1, float("inf")]}), WE, "data['a'][1] is inf"),
    ("int-key", effect({1: "x"}), WE, "data has key 1, not a string"),
    ("nested-int-key", effect({"a": {2: 1}}), WE, "data['a'] has key 2"),
    ("datetime", effect({"at": T0}), WE, "data['at'] is datetime.datetime"),
    ("set", effect({"tags": {"x"}}), WE, "data['tags'] is {'x'}, not a JSON value"),
    ("bytes", effect({"b": b"x"}), WE, "data['b'] is b'x'"),
    ("decimal", effect({"d": Decimal("1.5")}), WE, "data['d'] is Decimal"),
    ("too-deep", effect(nested(40)), WE, "nests deeper than 32 levels"),
    ("self-loop", effect(looped()), WE, "nests deeper than 32 levels"),
    ("callable", effect({"f": len}), WE, "not a JSON value"),
    ("huge-int", effect({"n": 10**5000}), WE, "data['n'] is an integer too large"),
]

TIMER_CASES: list[Case] = [
    (
        "status-int",
        lambda: tf.Timer(5, after="1h", event="x"),  # type: ignore[arg-type]
        WE,
        "status must be a string, got 5",
    ),
    (
        "event-none",
        lambda: tf.Timer("a", after="1h", event=None),  # type: ignore[arg-type]
        WE,
        "event must be a string, got None",
    ),
    (
        "after-int",
        lambda: tf.Timer("a", after=5, event="x"),  # type: ignore[arg-type]
        DE,
        "timer after: expected a duration, got 5",
    ),
    (
        "after-none",
        lambda: tf.Timer("a", after=None, event="x"),
        WE,
        "give exactly one of after= and at=, got neither",
    ),
    (
        "after-words",
        lambda: tf.Timer("a", after="soon", event="x"),
        DE,
        "can't parse duration 'soon'",
    ),
    ("after-huge", lambda: tf.Timer("a", after="99999999999 days", event="x"), DE, "out of range"),
    (
        "reminders-int",
        lambda: tf.Timer("a", after="1h", event="x", reminders=5),  # type: ignore[arg-type]
        DE,
        "timer reminders: expected a duration, got 5",
    ),
    (
        "reminders-item",
        lambda: tf.Timer("a", after="1h", event="x", reminders=["1m", 5]),  # type: ignore[list-item]
        DE,
        "timer reminders[1]",
    ),
    (
        "remind-before-none",
        lambda: tf.Timer("a", after="1h", event="x", remind_before=[None]),  # type: ignore[list-item]
        DE,
        "timer remind_before[0]",
    ),
    (
        "reminders-endless",
        lambda: tf.Timer("a", after="1h", event="x", reminders=itertools.repeat("1m")),
        WE,
        "more than",
    ),
]

SLA_CASES: list[Case] = [
    ("name-int", lambda: tf.SLA(5, target="1h"), WE, "SLA 5: name must be a string, got 5"),  # type: ignore[arg-type]
    ("target-int", lambda: tf.SLA("x", target=5), DE, "SLA target: expected a duration, got 5"),  # type: ignore[arg-type]
    ("target-unit", lambda: tf.SLA("x", target="3 fortnights"), DE, "unknown unit 'fortnights'"),
    ("when-int", lambda: tf.SLA("x", target="1h", when=5), WE, "SLA when must be a mapping"),  # type: ignore[arg-type]
    (
        "when-list",
        lambda: tf.SLA("x", target="1h", when=["priority"]),  # type: ignore[arg-type]
        WE,
        "SLA when must be a mapping",
    ),
    (
        "when-unhashable",
        lambda: tf.SLA("x", target="1h", when={"priority": [[1]]}),
        WE,
        "value [1] cannot be compared",
    ),
    (
        "when-dict-value",
        lambda: tf.SLA("x", target="1h", when={"p": {"a": 1}}),
        WE,
        "cannot be compared",
    ),
    (
        "when-int-key",
        lambda: tf.SLA("x", target="1h", when={5: "high"}),  # type: ignore[dict-item]
        WE,
        "attribute name 5 is not a string",
    ),
    (
        "start-on-int",
        lambda: tf.SLA("x", target="1h", start_on=5),  # type: ignore[arg-type]
        WE,
        "start_on must be an event name, an On or None, got 5",
    ),
    (
        "stop-on-int",
        lambda: tf.SLA("x", target="1h", stop_on=5),  # type: ignore[arg-type]
        WE,
        "SLA stop_on must be a list, got 5",
    ),
    (
        "stop-on-none-item",
        lambda: tf.SLA("x", target="1h", stop_on=[None]),  # type: ignore[list-item]
        WE,
        "SLA stop_on: None is not an event name or an On",
    ),
    (
        "restart-on-int-item",
        lambda: tf.SLA("x", target="1h", restart_on=[1]),  # type: ignore[list-item]
        WE,
        "SLA restart_on: 1 is not",
    ),
    (
        "pause-in-int",
        lambda: tf.SLA("x", target="1h", pause_in=5),  # type: ignore[arg-type]
        WE,
        "SLA pause_in must be a list, got 5",
    ),
    (
        "pause-in-none-item",
        lambda: tf.SLA("x", target="1h", pause_in=[None]),  # type: ignore[list-item]
        WE,
        "SLA pause_in: None",
    ),
]

WORKFLOW_CASES: list[Case] = [
    ("statuses-int", lambda: flow(statuses=5), WE, "workflow statuses must be a list, got 5"),
    (
        "statuses-none",
        lambda: flow(statuses=None),
        WE,
        "workflow statuses must be a list, got None",
    ),
    ("statuses-str", lambda: flow(statuses="ab"), WE, "workflow statuses must be a list, got 'ab'"),
    ("statuses-raises", lambda: flow(statuses=boom()), WE, "raised ValueError: boom"),
    (
        "statuses-endless",
        lambda: flow(statuses=itertools.repeat(statuses()[0])),
        WE,
        "more than 200000 items",
    ),
    (
        "transitions-int",
        lambda: flow(transitions=5),
        WE,
        "workflow transitions must be a list, got 5",
    ),
    ("timers-int", lambda: flow(timers=5), WE, "workflow timers must be a list, got 5"),
    ("slas-mapping", lambda: flow(slas={"x": 1}), WE, "workflow slas must be a list"),
    ("status-item-int", lambda: flow(statuses=[*statuses(), 5]), WE, "expected a Status, got 5"),
    (
        "transition-item-str",
        lambda: flow(transitions=["go"]),
        WE,
        "expected a Transition, got 'go'",
    ),
    ("timer-item-none", lambda: flow(timers=[None]), WE, "expected a Timer, got None"),
    ("sla-item-dict", lambda: flow(slas=[{}]), WE, "expected an SLA, got {}"),
    ("name-int", lambda: flow(name=5), WE, "workflow name must be a non-empty string, got 5"),
    ("name-none", lambda: flow(name=None), WE, "got None"),
    ("name-empty", lambda: flow(name=""), WE, "got ''"),
    (
        "description-int",
        lambda: flow(description=5),
        WE,
        "workflow description must be a string or None",
    ),
    ("calendar-int", lambda: flow(calendar=5), WE, "calendar 5 is not a calendar or callable"),
    ("calendar-str", lambda: flow(calendar="Europe/Madrid"), WE, "calendar 'Europe/Madrid' is not"),
]


def star_copies(n: int) -> tf.Workflow:
    """The case-portal preset with its first ``"*"`` transition repeated ``n`` more times."""
    wf = ticketflow.presets.get("case-portal")
    star = next(t for t in wf.transitions if "*" in t.source)
    return attrs.evolve(wf, transitions=[*wf.transitions, *[star] * n])


def unknown_targets(n: int) -> tf.Workflow:
    return flow(
        transitions=[
            tf.Transition("go", source="a", target="b"),
            *(tf.Transition(f"e{i}", source="a", target=f"x{i}") for i in range(n)),
        ]
    )


def wide(statuses_count: int, events: int) -> tf.Workflow:
    return flow(
        statuses=statuses(*(tf.Status(f"s{i}") for i in range(statuses_count))),
        transitions=[tf.Transition(f"e{j}", source="*", target="b") for j in range(events)],
    )


VALIDATION_CASES: list[Case] = [
    (
        "unknown-target-and-unreachable",
        lambda: flow(
            statuses=statuses(tf.Status("c")),
            transitions=[
                tf.Transition("go", source="a", target="x"),
                tf.Transition("end", source="c", target="b"),
            ],
        ),
        WE,
        "'c' is unreachable",
    ),
    (
        "unknown-target-listed-too",
        lambda: flow(
            statuses=statuses(tf.Status("c")),
            transitions=[
                tf.Transition("go", source="a", target="x"),
                tf.Transition("end", source="c", target="b"),
            ],
        ),
        WE,
        "unknown target status 'x'",
    ),
    (
        "unknown-source-and-dead-end",
        lambda: flow(
            statuses=statuses(tf.Status("c")),
            transitions=[
                tf.Transition("go", source="a", target="c"),
                tf.Transition("end", source="zz", target="b"),
            ],
        ),
        WE,
        "'c' is a dead end",
    ),
    (
        "no-initial-still-dead-ends",
        lambda: flow(
            statuses=[tf.Status("a"), tf.Status("b", category="closed", terminal=True)],
            transitions=[],
        ),
        WE,
        "'a' is a dead end",
    ),
    (
        "several-initial-still-unreachable",
        lambda: flow(
            statuses=statuses(tf.Status("c", initial=True), tf.Status("d")),
            transitions=[tf.Transition("go", source="*", target="b")],
        ),
        WE,
        "'d' is unreachable from the initial statuses",
    ),
    (
        "duplicate-and-unreachable",
        lambda: flow(
            statuses=statuses(tf.Status("a"), tf.Status("c")),
            transitions=[tf.Transition("go", source="*", target="b")],
        ),
        WE,
        "defined twice",
    ),
    (
        "star-status-name",
        lambda: flow(statuses=statuses(tf.Status("*"))),
        WE,
        "status name '*' is not allowed",
    ),
    (
        "empty-status-name",
        lambda: flow(statuses=statuses(tf.Status(""))),
        WE,
        "status name '' is not allowed",
    ),
    (
        "unknown-category",
        lambda: flow(statuses=statuses(tf.Status("c", category="weird"))),
        WE,
        "unknown category 'weird'",
    ),
    (
        "start-event",
        lambda: flow(transitions=[tf.Transition("start", source="a", target="b")]),
        WE,
        "event name 'start' is not allowed",
    ),
    (
        "empty-source",
        lambda: flow(transitions=[tf.Transition("go", source=[], target="b")]),
        WE,
        "has no source status",
    ),
    (
        "ambiguous-any-actor",
        lambda: flow(
            statuses=statuses(tf.Status("c")),
            transitions=[
                tf.Transition("go", source="a", target="b"),
                tf.Transition("go", source="a", target="c"),
                tf.Transition("end", source="c", target="b"),
            ],
        ),
        WE,
        "2 unguarded transitions (to 'b', 'c') for any actor",
    ),
    (
        "ambiguous-role",
        lambda: flow(
            statuses=statuses(tf.Status("c")),
            transitions=[
                tf.Transition("go", source="a", target="b", roles={"agent", "x"}),
                tf.Transition("go", source="a", target="c", roles={"agent", "y"}),
                tf.Transition("end", source="c", target="b"),
            ],
        ),
        WE,
        "for role(s) agent",
    ),
    (
        "restart-with-target",
        lambda: flow(
            transitions=[tf.Transition("go", source="a", target="b", restarts_timers=True)]
        ),
        WE,
        "restarts_timers only applies",
    ),
    (
        "timer-on-terminal",
        lambda: flow(timers=[tf.Timer("b", after="1h", event="go")]),
        WE,
        "is on terminal status 'b'",
    ),
    (
        "timer-unknown-status",
        lambda: flow(timers=[tf.Timer("q", after="1h", event="go")]),
        WE,
        "names unknown status 'q'",
    ),
    (
        "timer-zero",
        lambda: flow(timers=[tf.Timer("a", after="0h", event="go")]),
        WE,
        "after duration 0 hours is not positive",
    ),
    (
        "sla-unknown-event",
        lambda: flow(slas=[tf.SLA("x", target="1h", stop_on="nope")]),
        WE,
        "stop_on names unknown event 'nope'",
    ),
    (
        "sla-unknown-category",
        lambda: flow(slas=[tf.SLA("x", target="1h", pause_in="lunch")]),
        WE,
        "pause_in names unknown category 'lunch'",
    ),
    ("sla-days", lambda: flow(slas=[tf.SLA("x", target="2 days")]), WE, "is in days"),
    (
        "sla-beyond-range",
        lambda: flow(slas=[tf.SLA("x", target=tf.hours(10**8))]),
        tf.DurationError,
        "duration 100000000 hours is out of range",
    ),
    (
        "sla-timedelta-beyond",
        lambda: flow(slas=[tf.SLA("x", target=timedelta(days=500_000))]),
        tf.DurationError,
        "out of range",
    ),
    (
        "timer-beyond-range",
        lambda: flow(
            transitions=[tf.Transition("go", source="a", target="b")],
            timers=[tf.Timer("a", after=tf.business_days(10**6), event="go")],
        ),
        tf.DurationError,
        "duration 1000000 business days is out of range",
    ),
    (
        "reminder-beyond-range",
        lambda: flow(
            timers=[tf.Timer("a", after=tf.days(10**6), event="go", reminders=[tf.minutes(10**9)])]
        ),
        tf.DurationError,
        "out of range",
    ),
    (
        "sla-calendar",
        lambda: flow(slas=[tf.SLA("x", target="1h", calendar="office")]),  # type: ignore[arg-type]
        WE,
        "SLA 'x': calendar 'office'",
    ),
    (
        "long-name-shortened",
        lambda: flow(transitions=[tf.Transition("go", source="a", target="x" * 1_000_000)]),
        WE,
        "unknown target status 'xxxx",
    ),
]

CAP_CASES: list[Case] = [
    ("star-200x", lambda: star_copies(200), WE, "201 unguarded transitions (to 'closed')"),
    ("star-2000x", lambda: star_copies(2000), WE, "2001 unguarded transitions (to 'closed')"),
    (
        "star-20000x",
        lambda: star_copies(20_000),
        WE,
        "(status, event, role) moves, more than 50000",
    ),
    ("500-problems-counted", lambda: unknown_targets(500), WE, "(500 problem(s))"),
    ("500-problems-capped", lambda: unknown_targets(500), WE, "... and 400 more problem(s)"),
    ("wide-table", lambda: wide(3000, 50), WE, "expand to about 150"),
    (
        "many-statuses-unreachable",
        lambda: flow(statuses=statuses(*(tf.Status(f"s{i}") for i in range(5000)))),
        WE,
        "... and ",
    ),
]

US = tf.UnknownStatusError

READ_CASES: list[Case] = [
    ("status-int", lambda: flow().status(5), US, "unknown status 5 (known: a, b)"),  # type: ignore[arg-type]
    ("status-none", lambda: flow().status(None), US, "unknown status None"),  # type: ignore[arg-type]
    ("status-list", lambda: flow().status(["a"]), US, "unknown status ['a']"),  # type: ignore[arg-type]
    ("status-set", lambda: flow().status({"a"}), US, "unknown status {'a'}"),  # type: ignore[arg-type]
    ("status-unknown", lambda: flow().status("nope"), US, "unknown status 'nope'"),
    (
        "status-long",
        lambda: flow().status("n" * 1_000_000),
        US,
        "unknown status 'nnn",
    ),
    ("category-int", lambda: flow().category(5), US, "unknown status 5"),  # type: ignore[arg-type]
    ("category-list", lambda: flow().category(["a"]), US, "unknown status ['a']"),  # type: ignore[arg-type]
    ("category-unknown", lambda: flow().category("zz"), US, "unknown status 'zz'"),
    ("statuses-in-unknown", lambda: flow().statuses_in("done"), WE, "unknown category 'done'"),
    ("statuses-in-int", lambda: flow().statuses_in(5), WE, "unknown category 5"),  # type: ignore[arg-type]
    ("statuses-in-list", lambda: flow().statuses_in(["open"]), WE, "unknown category ['open']"),  # type: ignore[arg-type]
    ("statuses-in-none", lambda: flow().statuses_in("open", None), WE, "unknown category None"),  # type: ignore[arg-type]
    ("statuses-in-counted", lambda: flow().statuses_in("x", "y", "open"), WE, "(2 problem(s))"),
]


class TestStatusTypes:
    @table(STATUS_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """A Status field of the wrong type raises WorkflowError naming field and value."""
        raises(call, error, fragment)  # type: ignore[arg-type]


class TestTransitionTypes:
    @table(TRANSITION_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """A Transition field of the wrong type raises WorkflowError naming field and value."""
        raises(call, error, fragment)  # type: ignore[arg-type]


class TestEffectData:
    @table(EFFECT_DATA_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """Effect template data that is not a JSON value raises WorkflowError naming where."""
        raises(call, error, fragment)  # type: ignore[arg-type]

    def test_valid_data_serialises(self) -> None:
        """Accepted template data always serialises as JSON."""
        data = {"a": [1, 2.5, True, None, {"b": "c"}], "n": 10**4000, "t": (1, 2)}
        t = tf.Transition("go", source="a", effects=[tf.Effect("notify", data=data)])
        assert json.loads(json.dumps(t.effects[0].data))["a"][4] == {"b": "c"}

    def test_data_is_copied(self) -> None:
        """Changing the data given after building the transition does not change its effect."""
        data: dict[str, Any] = {"to": ["a"]}
        t = tf.Transition("go", source="a", effects=[tf.Effect("notify", data=data)])
        data["to"].append(object())
        data["new"] = float("nan")
        assert t.effects[0].data == {"to": ["a"]}


class TestTimerTypes:
    @table(TIMER_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """A Timer field of the wrong type raises WorkflowError, a bad duration DurationError."""
        raises(call, error, fragment)  # type: ignore[arg-type]


class TestSlaTypes:
    @table(SLA_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """An SLA field of the wrong type raises WorkflowError, a bad target DurationError."""
        raises(call, error, fragment)  # type: ignore[arg-type]

    def test_unhashable_attribute_value_does_not_match(self) -> None:
        """A ticket attribute holding a list never matches a ``when`` value, and never raises."""
        sla = tf.SLA("x", target="1h", when={"tags": ["a"]})
        assert not sla.matches({"tags": ["a"]})
        assert sla.matches({"tags": "a"})


class TestWorkflowTypes:
    @table(WORKFLOW_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """A Workflow field of the wrong type raises WorkflowError naming field and value."""
        raises(call, error, fragment)  # type: ignore[arg-type]


class TestValidation:
    @table(VALIDATION_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """Every problem is reported, graph problems included when others exist."""
        raises(call, error, fragment)  # type: ignore[arg-type]

    def test_unknown_target_and_unreachable_come_together(self) -> None:
        """A workflow with an unknown target and an unreachable status lists both."""
        with pytest.raises(tf.WorkflowError) as info:
            flow(
                statuses=statuses(tf.Status("c")),
                transitions=[
                    tf.Transition("go", source="a", target="x"),
                    tf.Transition("end", source="c", target="b"),
                ],
            )
        text = "\n".join(info.value.problems)
        assert "unknown target status 'x'" in text
        assert "'c' is unreachable from 'a'" in text
        assert "'b' is unreachable" in text

    def test_messages_stay_short_for_long_names(self) -> None:
        """A megabyte-long name is shortened in every problem, so the message stays small."""
        with pytest.raises(tf.WorkflowError) as info:
            flow(transitions=[tf.Transition("go", source="q" * 10**6, target="x" * 10**6)])
        assert len(str(info.value)) < 2_000


class TestProblemCap:
    @table(CAP_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """Huge or repetitive workflows fail fast with a capped list of problems."""
        raises(call, error, fragment)  # type: ignore[arg-type]

    @pytest.mark.parametrize("copies", [200, 2000])
    def test_star_copies_report_each_group_once(self, copies: int) -> None:
        """A repeated ``"*"`` transition is one problem per status, found within the bound."""
        with within(label=f"{copies} copies"), pytest.raises(tf.WorkflowError) as info:
            star_copies(copies)
        assert info.value.total == len(info.value.problems) <= tf.MAX_PROBLEMS
        statuses_named = [re.search(r"in status '(\w+)'", p) for p in info.value.problems]
        names = [m[1] for m in statuses_named if m]
        assert len(names) == len(set(names)) > 0

    def test_list_holds_max_problems_then_a_count(self) -> None:
        """The list holds MAX_PROBLEMS problems and a last entry counting the rest."""
        with pytest.raises(tf.WorkflowError) as info:
            unknown_targets(500)
        err = info.value
        assert len(err.problems) == tf.MAX_PROBLEMS + 1
        assert err.total == 500
        assert err.problems[-1] == f"... and {500 - tf.MAX_PROBLEMS} more problem(s)"


class TestReading:
    @table(READ_CASES)  # type: ignore[untyped-decorator]
    def test_case(self, call: Callable[[], object], error: type[Exception], fragment: str) -> None:
        """Looking up statuses and categories by a wrong type or name raises a named error."""
        raises(call, error, fragment)  # type: ignore[arg-type]


HOSTILE = [
    'say "hi"',
    "two\nlines",
    "carriage\rreturn",
    "tab\tand\x00nul",
    "line\u2028sep",
    "[*]",
    "a;b",
    "a#b",
    "{x}",
    "a --> b: c",
    "state",
    "end",
    "state_0",
    "__start__",
    "back\\slash",
    "x" * 100_000,
]

MERMAID_LINE = re.compile(
    r'    state "[^"\n#;]*" as (\w+)'
    r"|    (\[\*\]|\w+) --> (\[\*\]|\w+)(: [^\n#;]*)?"
)
DOT_STR = r'"(?:[^"\\\n\r]|\\.)*"'
DOT_LINE = re.compile(
    rf"    {DOT_STR} \[.*\];|    {DOT_STR} -> {DOT_STR}( \[.*\])?;"
    r"|    rankdir=LR;|    node \[shape=box, style=rounded\];"
)


def hostile_flow(name: str) -> tf.Workflow:
    return tf.Workflow(
        name,
        statuses=[
            tf.Status("new", category="new", initial=True, label=name),
            tf.Status(name, category="open", label=name),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition(name, source="new", target=name, roles={name}),
            tf.Transition("close", source="*", target="closed"),
        ],
        timers=[tf.Timer(name, after="1h", event="close")],
    )


class TestHostileDiagrams:
    @pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n[:12]))
    def test_mermaid_stays_valid(self, name: str) -> None:
        """Every Mermaid line is a state or an edge, with one id per status."""
        wf = hostile_flow(name)
        with within(label="mermaid"):
            text = wf.to_mermaid()
        lines = text.splitlines()
        assert lines[0] == "stateDiagram-v2"
        ids = []
        for line in lines[1:]:
            match = MERMAID_LINE.fullmatch(line)
            assert match, line[:200]
            if match[1]:
                ids.append(match[1])
        assert len(ids) == len(set(ids)) == 3
        assert all(i.lower() not in ("state", "end") for i in ids)

    @pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n[:12]))
    def test_dot_stays_valid(self, name: str) -> None:
        """Every DOT line is one statement, and each status is its own node."""
        wf = hostile_flow(name)
        with within(label="dot"):
            text = wf.to_dot()
        lines = text.splitlines()
        assert re.fullmatch(rf"digraph {DOT_STR} {{", lines[0])
        assert lines[-1] == "}"
        for line in lines[1:-1]:
            assert DOT_LINE.fullmatch(line), line[:200]
        nodes = [line for line in lines if line.endswith("];") and " -> " not in line[:-1]]
        assert len({n.split(" [")[0] for n in nodes if "label=" in n}) == 4

    def test_distinct_names_stay_distinct_nodes(self) -> None:
        """Names differing only in control characters or backslashes are distinct DOT nodes."""
        names = ["a\nb", "a\\nb", "a\rb", "a\x0bb", "a\x0cb", "a b"]
        wf = tf.Workflow(
            "w",
            statuses=[
                tf.Status("new", category="new", initial=True),
                *(tf.Status(n) for n in names),
                tf.Status("closed", category="closed", terminal=True),
            ],
            transitions=[
                *(tf.Transition(f"to{i}", source="new", target=n) for i, n in enumerate(names)),
                tf.Transition("close", source="*", target="closed"),
            ],
        )
        node_ids = {
            line.split(" [")[0] for line in wf.to_dot().splitlines() if "label=" in line[:60]
        }
        assert len(node_ids) >= len(names) + 2

    def test_many_start_like_names_are_fast(self) -> None:
        """Statuses named like the DOT start point get a start point named like none of them."""
        names = [f"__start__{'_' * i}" for i in range(1500)]
        wf = tf.Workflow(
            "w",
            statuses=[
                tf.Status(names[0], category="new", initial=True),
                *(tf.Status(n) for n in names[1:]),
                tf.Status("closed", category="closed", terminal=True),
            ],
            transitions=[
                *(tf.Transition("next", source=a, target=b) for a, b in itertools.pairwise(names)),
                tf.Transition("close", source=names[-1], target="closed"),
            ],
        )
        with within(label="start names"):
            dot = wf.to_dot()
        assert '    "__start__' + "_" * 1500 + '" [shape=point, label=""];' in dot


class TestUserCode:
    def test_user_callables_are_not_called_while_building(self) -> None:
        """Guards, sub_status callables and calendar choosers are stored, never called, here."""

        def explode(*args: object) -> Any:
            raise RuntimeError("user code ran")

        wf = flow(
            transitions=[
                tf.Transition("go", source="a", target="b", guard=explode, sub_status=explode)
            ],
            calendar=explode,
        )
        assert wf.events() == ("go",)

    def test_user_guard_errors_propagate_unchanged(self) -> None:
        """An exception raised by a guard reaches the caller as it was raised."""

        class Mine(Exception):
            pass

        def guard(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            raise Mine("mine")

        wf = flow(transitions=[tf.Transition("go", source="a", target="b", guard=guard)])
        ticket = wf.start(at=T0).ticket
        with pytest.raises(Mine):
            wf.apply(ticket, "go", at=T0 + timedelta(minutes=1))


ALL_TABLES = {
    "status": STATUS_CASES,
    "transition": TRANSITION_CASES,
    "effect data": EFFECT_DATA_CASES,
    "timer": TIMER_CASES,
    "sla": SLA_CASES,
    "workflow": WORKFLOW_CASES,
    "validation": VALIDATION_CASES,
    "cap": CAP_CASES,
    "reading": READ_CASES,
}
