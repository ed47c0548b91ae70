"""Regression table for the engine and snapshots: every bad input is a named error.

Each class covers one kind of bad input. Every case runs under the time bound
and asserts the error class and a fragment of its message; cases that pass
an input that is fine assert that the call succeeds.
"""

from __future__ import annotations

import copy
import json
import math
import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests.bounds import within
from tests.helpers import T0, at, support_flow

NAIVE = datetime(2026, 3, 2, 9, 0)
MADRID = ZoneInfo("Europe/Madrid")


def _flow() -> tf.Workflow:
    return support_flow()


def _waiting() -> tf.Ticket:
    """A ticket in 'waiting': a timer and a reminder on its agenda."""
    wf = _flow()
    t = wf.apply(wf.start(at=T0).ticket, "assign", at=at(1), actor="agent").ticket
    return wf.apply(t, "ask", at=at(2), actor="agent").ticket


def _sla_flow() -> tf.Workflow:
    return support_flow(
        slas=[tf.SLA("first_response", target=tf.hours(4), stop_on={"assign"})],
        name="support-sla",
    )


def _every_minute() -> tf.Workflow:
    """A timer that re-enters its own status every minute, forever."""
    return tf.Workflow(
        name="ticker",
        statuses=[
            tf.Status("a", category="open", initial=True),
            tf.Status("done", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("tick", source="a", target="a", roles={"system"}),
            tf.Transition("close", source="a", target="done"),
        ],
        timers=[tf.Timer("a", after=tf.minutes(1), event="tick")],
    )


def _raises(call: Callable[[], object], error: type[Exception], fragment: str) -> Exception:
    with within(label=fragment), pytest.raises(error) as info:
        call()
    assert fragment in str(info.value), str(info.value)
    return info.value


# --- attribute values -----------------------------------------------------------------


class _Weird:
    pass


BAD_ATTRS: list[tuple[object, str]] = [
    (5, "attrs must be a mapping"),
    ("abc", "attrs must be a mapping"),
    ([("a", 1)], "attrs must be a mapping"),
    ({1: "x"}, "key 1 is not a string"),
    ({None: "x"}, "key None is not a string"),
    ({"a": {2: "x"}}, "key 2 is not a string"),
    ({"a": float("nan")}, "nan is not a finite number"),
    ({"a": float("inf")}, "inf is not a finite number"),
    ({"a": [1, float("-inf")]}, "attrs['a[1]']"),
    ({"a": 10**5000}, "more than 4300 digits"),
    ({"a": {1, 2}}, "is not a JSON value"),
    ({"a": b"bytes"}, "is not a JSON value"),
    ({"a": _Weird()}, "is not a JSON value"),
    ({"a": timedelta(hours=1)}, "is not a JSON value"),
    ({"a": datetime(2026, 1, 1).date()}, "is not a JSON value"),
    ({"a": NAIVE}, "naive datetime"),
    ({"a": datetime(9999, 1, 1, tzinfo=UTC)}, "outside the supported range"),
    ({"a": datetime(1800, 1, 1, tzinfo=UTC)}, "outside the supported range"),
    ({"a": {"b": {"c": NAIVE}}}, "attrs['a.b.c']"),
    ({"$datetime": "2026-01-01T00:00:00+00:00"}, "is reserved"),
    ({"a": {"$datetime": "x"}}, "is reserved"),
    ({"a": [{"$datetime": "x"}]}, "is reserved"),
    ({"a": complex(1, 2)}, "is not a JSON value"),
]


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(levels):
        value = {"n": value}
    return value


def _loop() -> list[Any]:
    value: list[Any] = []
    value.append(value)
    return value


BAD_ATTRS += [
    (_deep(tf.MAX_DEPTH), f"nested more than {tf.MAX_DEPTH} deep"),
    ({"a": _loop()}, f"nested more than {tf.MAX_DEPTH} deep"),
]


class TestAttrsEntry:
    """Attribute values are checked when they enter a ticket."""

    @pytest.mark.parametrize(("attrs", "fragment"), BAD_ATTRS)
    def test_start_refuses(self, attrs: object, fragment: str) -> None:
        """start(attrs=...) raises AttrsError naming the key path."""
        _raises(lambda: _flow().start(at=T0, attrs=attrs), tf.AttrsError, fragment)  # type: ignore[arg-type]

    @pytest.mark.parametrize(("attrs", "fragment"), BAD_ATTRS[3:8])
    def test_ticket_constructor_refuses(self, attrs: object, fragment: str) -> None:
        """Building a Ticket directly checks its attrs the same way."""
        t = _flow().start(at=T0).ticket
        _raises(
            lambda: tf.Ticket(
                t.id,
                t.workflow,
                t.status,
                None,
                1,
                T0,
                T0,
                T0,
                T0,
                attrs,  # type: ignore[arg-type, unused-ignore]
            ),
            tf.AttrsError,
            fragment,
        )

    def test_attrs_error_is_a_type_error_with_key(self) -> None:
        """AttrsError carries the key path and the value and is a TypeError."""
        error = _raises(
            lambda: _flow().start(at=T0, attrs={"x": {"y": [b"z"]}}), TypeError, "x.y[0]"
        )
        assert isinstance(error, tf.AttrsError)
        assert error.key == "x.y[0]"

    def test_deepest_allowed_nesting_is_accepted(self) -> None:
        """Nesting exactly MAX_DEPTH deep is fine."""
        t = _flow().start(at=T0, attrs=_deep(tf.MAX_DEPTH - 1)).ticket
        assert tf.Ticket.from_dict(json.loads(json.dumps(t.to_dict()))) == t

    def test_big_but_printable_int_is_accepted(self) -> None:
        """An int of 4,300 digits is a JSON value."""
        value = 10**4299
        t = _flow().start(at=T0, attrs={"n": value}).ticket
        assert t.attrs["n"] == value


class TestImmutability:
    """Snapshots are immutable all the way down."""

    def test_attrs_cannot_be_assigned(self) -> None:
        """Item assignment on ticket.attrs raises TypeError."""
        t = _flow().start(at=T0, attrs={"a": 1}).ticket
        with pytest.raises(TypeError):
            t.attrs["a"] = 2  # type: ignore[index]
        assert t.attrs == {"a": 1}

    def test_nested_values_are_frozen(self) -> None:
        """Nested mappings are read-only and lists become tuples equal to the lists."""
        t = _flow().start(at=T0, attrs={"m": {"k": [1, {"x": 2}]}}).ticket
        assert isinstance(t.attrs["m"]["k"], tuple)
        assert t.attrs["m"]["k"] == [1, {"x": 2}]  # type: ignore[comparison-overlap]
        with pytest.raises(TypeError):
            t.attrs["m"]["k"][1]["x"] = 3
        assert t.attrs == {"m": {"k": [1, {"x": 2}]}}

    def test_caller_dict_is_copied(self) -> None:
        """Changing the dict given to start() afterwards changes nothing."""
        given: dict[str, Any] = {"tags": ["a"]}
        t = _flow().start(at=T0, attrs=given).ticket
        given["tags"].append("b")
        given["new"] = 1
        assert t.attrs == {"tags": ["a"]}

    def test_guard_cannot_change_any_snapshot(self) -> None:
        """A guard that tries to mutate ticket.attrs fails and leaves every snapshot alone."""
        seen: list[tf.Ticket] = []

        def meddle(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            seen.append(ticket)
            ticket.attrs["vip"] = True  # type: ignore[index]
            return True

        wf = support_flow(
            transitions=[
                *support_flow().transitions,
                tf.Transition("poke", source="new", target="assigned", guard=meddle),
            ]
        )
        first = wf.start(at=T0, attrs={"vip": False}).ticket
        with pytest.raises(TypeError):
            wf.apply(first, "poke", at=at(1))
        assert first.attrs == {"vip": False}
        assert seen
        assert seen[0].attrs == {"vip": False}

    def test_later_snapshot_cannot_change_earlier(self) -> None:
        """Snapshots share attrs safely: none can be changed through another."""
        wf = _flow()
        a = wf.start(at=T0, attrs={"x": [1]}).ticket
        b = wf.apply(a, "assign", at=at(1), actor="agent").ticket
        with pytest.raises((TypeError, AttributeError)):
            b.attrs["x"].append(2)  # type: ignore[attr-defined, unused-ignore]
        assert a.attrs == b.attrs == {"x": [1]}

    def test_attrs_hash_pickle_and_copy(self) -> None:
        """Frozen attrs are hashable, picklable and deep-copyable, equal to plain data."""
        t = (
            _flow()
            .start(at=T0, attrs={"m": {"k": [1, 2]}, "d": datetime(2026, 1, 1, tzinfo=MADRID)})
            .ticket
        )
        assert hash(t.attrs) == hash(copy.deepcopy(t.attrs))
        restored = pickle.loads(pickle.dumps(t))
        assert restored == t
        assert restored.attrs == {"m": {"k": [1, 2]}, "d": datetime(2026, 1, 1, tzinfo=MADRID)}
        assert (
            _flow().apply(restored, "assign", at=at(1), actor="agent").ticket.status == "assigned"
        )


# --- snapshots read back ----------------------------------------------------------------


def _data(**changes: Any) -> dict[str, Any]:
    data = _waiting().to_dict()
    data.update(changes)
    return data


def _agenda(mutate: Callable[[list[Any]], Any]) -> dict[str, Any]:
    data = _waiting().to_dict()
    mutate(data["agenda"])
    return data


def _set(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = _sla_flow().start(at=T0).ticket.to_dict() if path[0] == "slas" else _waiting().to_dict()
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


BAD_SNAPSHOTS: list[tuple[Callable[[], object], str, str]] = [
    (lambda: 5, "expected a mapping", "mapping"),
    (lambda: _data(schema=3), "schema", "newer"),
    (lambda: _data(schema=0), "schema", "unknown schema"),
    (lambda: _data(schema=True), "schema", "expected int"),
    (lambda: _data(version=True), "version", "expected int"),
    (lambda: _data(version=0), "version", "between 1 and"),
    (lambda: _data(version=-5), "version", "between 1 and"),
    (lambda: _data(version=2**80), "version", "between 1 and"),
    (lambda: _data(version=1.5), "version", "expected int"),
    (lambda: _data(id=5), "id", "expected a string"),
    (lambda: _data(sub_status=[]), "sub_status", "expected a string"),
    (lambda: _data(status=None), "status", "expected str"),
    (lambda: _data(workflow=7), "workflow", "expected str"),
    (lambda: _data(created_at="9999-12-31T23:00:00-05:00"), "created_at", "supported range"),
    (lambda: _data(created_at="1066-10-14T09:00:00+00:00"), "created_at", "supported range"),
    (lambda: _data(created_at="2026-03-02T09:00:00"), "created_at", "no UTC offset"),
    (lambda: _data(created_at="yesterday"), "created_at", "not an ISO datetime"),
    (lambda: _data(created_at="2026-03-02T09:00:00+00:00" * 50), "created_at", "not an ISO"),
    (
        lambda: _data(created_at="2026-03-02T09:00:00+01:00[Mars/Base]"),
        "created_at",
        "unknown time zone",
    ),
    (
        lambda: _data(created_at="2026-03-02T09:00:00+01:00[../../etc/passwd]"),
        "created_at",
        "unknown time zone",
    ),
    (
        lambda: _data(created_at="2026-03-02T09:00:00+01:00[America]"),
        "created_at",
        "unknown time zone",
    ),
    (lambda: _data(updated_at="2026-03-01T09:00:00+00:00"), "updated_at", "before created_at"),
    (lambda: _data(status_since="2026-03-01T09:00:00+00:00"), "status_since", "outside"),
    (lambda: _data(timers_since="2027-03-01T09:00:00+00:00"), "timers_since", "outside"),
    (
        lambda: _data(timers_since="2026-03-02T09:30:00+00:00"),
        "timers_since",
        "before status_since",
    ),
    (lambda: _data(attrs=[]), "attrs", "expected Mapping"),
    (lambda: _data(attrs={"a": float("nan")}), "attrs.a", "not a finite number"),
    (lambda: _data(attrs={"a": {"$datetime": "nope"}}), "attrs.a", "not an ISO datetime"),
    (lambda: _data(attrs={"a": {"$datetime": 5}}), "attrs.a", "expected an ISO"),
    (
        lambda: _data(attrs={"a": {"$datetime": "2026-01-01T00:00:00+00:00", "b": 1}}),
        "attrs.a",
        "only key",
    ),
    (lambda: _data(attrs={"a": {"$datetime": "2026-01-01T00:00:00"}}), "attrs.a", "no UTC offset"),
    (lambda: _data(attrs=_deep(200)), "attrs", "nested more than"),
    (lambda: _data(agenda={}), "agenda", "expected list"),
    (lambda: _agenda(lambda a: a.append(["x"])), "agenda[2]", "expected [at, kind"),
    (
        lambda: _agenda(lambda a: a[0].__setitem__(1, "alarm")),
        "agenda[0].kind",
        "unknown agenda kind",
    ),
    (lambda: _agenda(lambda a: a[0].__setitem__(1, [])), "agenda[0].kind", "unknown agenda kind"),
    (lambda: _agenda(lambda a: a[0].__setitem__(2, None)), "agenda[0].name", "expected a string"),
    (lambda: _agenda(lambda a: a[0].__setitem__(3, -1)), "agenda[0].index", "between 0 and"),
    (lambda: _agenda(lambda a: a[0].__setitem__(3, True)), "agenda[0].index", "expected an int"),
    (lambda: _agenda(lambda a: a[0].__setitem__(3, 2**70)), "agenda[0].index", "between 0 and"),
    (lambda: _agenda(lambda a: a[0].__setitem__(4, -3)), "agenda[0].sub", "between 0 and"),
    (lambda: _agenda(lambda a: a[0].__setitem__(4, 1.0)), "agenda[0].sub", "expected an int"),
    (lambda: _agenda(lambda a: a[1].__setitem__(4, 1)), "agenda[1].sub", "has sub 0"),
    (
        lambda: _agenda(lambda a: a[0].__setitem__(0, "9999-01-01T00:00:00+00:00")),
        "agenda[0].at",
        "supported range",
    ),
    (lambda: _agenda(lambda a: a.reverse()), "agenda[1]", "out of time order"),
    (lambda: _agenda(lambda a: a.append(list(a[-1]))), "agenda[2]", "a duplicate"),
    (lambda: _set(("slas", 0), 5), "slas[0]", "expected a mapping"),
    (lambda: _set(("slas", 0, "elapsed"), float("nan")), "slas[0].elapsed", "between 0 and"),
    (lambda: _set(("slas", 0, "elapsed"), float("inf")), "slas[0].elapsed", "between 0 and"),
    (lambda: _set(("slas", 0, "elapsed"), -1), "slas[0].elapsed", "between 0 and"),
    (lambda: _set(("slas", 0, "elapsed"), 1e300), "slas[0].elapsed", "between 0 and"),
    (lambda: _set(("slas", 0, "elapsed"), 10**400), "slas[0].elapsed", "between 0 and"),
    (lambda: _set(("slas", 0, "elapsed"), "1h"), "slas[0].elapsed", "expected int or float"),
    (lambda: _set(("slas", 0, "index"), -2), "slas[0].index", "between 0 and"),
    (lambda: _set(("slas", 0, "index"), False), "slas[0].index", "expected int"),
    (lambda: _set(("slas", 0, "breached"), 1), "slas[0].breached", "expected bool"),
    (lambda: _set(("slas", 0, "due_at"), None), "slas[0].running_since", "running clock"),
    (
        lambda: _set(("slas", 0, "running_since"), "9999-01-01T00:00:00+00:00"),
        "slas[0].running_since",
        "supported range",
    ),
    (lambda: _set(("slas", 0, "started"), False), "slas[0].started", "has not started"),
]


class TestFromDict:
    """Ticket.from_dict refuses malformed and inconsistent data, naming the field."""

    @pytest.mark.parametrize(
        ("make", "field", "fragment"),
        BAD_SNAPSHOTS,
        ids=[f"{i}-{c[1]}-{c[2][:20]}" for i, c in enumerate(BAD_SNAPSHOTS)],
    )
    def test_refused(self, make: Callable[[], object], field: str, fragment: str) -> None:
        """The error is a SnapshotError naming the field and saying what is wrong."""
        data = make()
        error = _raises(lambda: tf.Ticket.from_dict(data), tf.SnapshotError, fragment)  # type: ignore[arg-type]
        assert field in str(error)

    def test_round_trip_with_datetimes_in_attrs(self) -> None:
        """Datetimes in attrs are written as {"$datetime": ...} and read back equal."""
        when = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=MADRID)
        attrs = {
            "due": when,
            "fixed": datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            "utc": datetime(2026, 1, 1, tzinfo=UTC),
            "list": [when, {"inner": when}],
        }
        t = _flow().start(at=T0, attrs=attrs).ticket
        data = json.loads(json.dumps(t.to_dict()))
        assert data["attrs"]["due"] == {"$datetime": "2026-10-25T02:30:00+01:00[Europe/Madrid]"}
        back = tf.Ticket.from_dict(data)
        assert back == t
        assert back.attrs["due"].utcoffset() == timedelta(hours=1)
        assert back.to_dict() == t.to_dict()


# --- a ticket belongs to its workflow ----------------------------------------------------


def _mutated(
    mutate: Callable[[dict[str, Any]], Any], ticket: tf.Ticket | None = None
) -> dict[str, Any]:
    data = (ticket or _waiting()).to_dict()
    mutate(data)
    return data


def _restored(
    mutate: Callable[[dict[str, Any]], Any], ticket: tf.Ticket | None = None
) -> tf.Ticket:
    return tf.Ticket.from_dict(_mutated(mutate, ticket))


def _big_agenda(data: dict[str, Any], items: int = tf.MAX_AGENDA) -> None:
    base = datetime(2026, 3, 2, 12, tzinfo=UTC)
    data["agenda"] = [
        [(base + timedelta(seconds=i)).isoformat(), "reminder", "auto_resolve", 0, 0]
        for i in range(items)
    ]


FOREIGN: list[tuple[Callable[[], dict[str, Any]], str]] = [
    (lambda: _mutated(lambda d: d.__setitem__("workflow", "other")), "workflow 'other'"),
    (
        lambda: _mutated(lambda d: d["agenda"][0].__setitem__(3, 1)),
        "not a timer armed in status 'waiting'",
    ),
    (lambda: _mutated(lambda d: d["agenda"][0].__setitem__(3, 7)), "not a timer armed"),
    (lambda: _mutated(lambda d: d["agenda"][0].__setitem__(2, "close")), "not a timer armed"),
    (lambda: _mutated(lambda d: d["agenda"][0].__setitem__(4, 5)), "reminder 5 of timer"),
    (
        lambda: _mutated(
            lambda d: d["agenda"].append(
                ["2026-03-05T00:00:00+00:00", "timer", "auto_resolve", 0, 0]
            )
        ),
        "arms at most 2",
    ),
    (lambda: _mutated(_big_agenda), f"{tf.MAX_AGENDA} items"),
    (
        lambda: _mutated(
            lambda d: d["agenda"].append(["2026-03-05T00:00:00+00:00", "sla_breach", "first", 0, 0])
        ),
        "arms at most",
    ),
    (
        lambda: _mutated(
            lambda d: d["slas"].append(
                {
                    "name": "x",
                    "index": 0,
                    "elapsed": 0,
                    "running_since": None,
                    "due_at": None,
                    "breached": False,
                    "stopped": False,
                    "started": True,
                }
            )
        ),
        "SLA clock 'x'",
    ),
]


class TestWorkflowMembership:
    """The engine refuses tickets that the workflow could not have produced."""

    @pytest.mark.parametrize(("make", "fragment"), FOREIGN)
    @pytest.mark.parametrize("call", ["apply", "advance", "allowed", "sla", "next_deadline"])
    def test_refused(self, make: Callable[[], dict[str, Any]], fragment: str, call: str) -> None:
        """Each engine call raises SnapshotError naming what does not fit."""
        wf = _flow()
        data = make()
        with within(label="restore"):
            ticket = tf.Ticket.from_dict(data)
        calls: dict[str, Callable[[], object]] = {
            "apply": lambda: wf.apply(ticket, "comment", at=at(3)),
            "advance": lambda: wf.advance(ticket, now=at(100)),
            "allowed": lambda: wf.allowed(ticket, at=at(3)),
            "sla": lambda: wf.sla(ticket, now=at(3)),
            "next_deadline": lambda: wf.next_deadline(ticket),
        }
        _raises(calls[call], tf.SnapshotError, fragment)

    def test_other_workflow_names_both(self) -> None:
        """The error names the ticket's workflow and the one it was given to."""
        t = _sla_flow().start(at=T0).ticket
        _raises(
            lambda: _flow().advance(t, now=at(1)),
            tf.SnapshotError,
            "'support-sla' given to workflow 'support'",
        )

    def test_breach_item_must_match_its_clock(self) -> None:
        """An sla_breach item at another instant than its clock's due_at is refused."""
        wf = _sla_flow()
        t = _restored(
            lambda d: d["agenda"][0].__setitem__(0, "2026-03-02T10:00:00+00:00"),
            wf.start(at=T0).ticket,
        )
        _raises(lambda: wf.advance(t, now=at(9)), tf.SnapshotError, "does not match its clock")

    def test_missing_breach_item_is_refused(self) -> None:
        """A running clock without its sla_breach item is refused."""
        wf = _sla_flow()
        t = _restored(lambda d: d.__setitem__("agenda", []), wf.start(at=T0).ticket)
        _raises(lambda: wf.advance(t, now=at(9)), tf.SnapshotError, "1 running SLA clock(s) but 0")

    def test_hand_built_ticket_with_naive_instant(self) -> None:
        """A Ticket built by hand with a naive instant is a SnapshotError, not a TypeError."""
        t = tf.Ticket(None, "support", "new", None, 1, NAIVE, NAIVE, NAIVE, NAIVE)
        _raises(lambda: _flow().advance(t, now=at(1)), tf.SnapshotError, "naive")

    def test_hand_built_ticket_with_unhashable_status(self) -> None:
        """A Ticket built by hand with a list status is a SnapshotError."""
        t = tf.Ticket(None, "support", ["new"], None, 1, T0, T0, T0, T0)  # type: ignore[arg-type]
        _raises(
            lambda: _flow().apply(t, "assign", at=at(1), actor="agent"), tf.SnapshotError, "status"
        )


# --- arguments ----------------------------------------------------------------------------


def _good() -> tf.Ticket:
    return _flow().start(at=T0).ticket


BAD_CALLS: list[tuple[Callable[[tf.Workflow], object], type[Exception], str]] = [
    (lambda wf: wf.start(at=T0, id=5), tf.SnapshotError, "id: must be a string or None, got 5"),  # type: ignore[arg-type]
    (lambda wf: wf.start(at=T0, id=["x"]), tf.SnapshotError, "id:"),  # type: ignore[arg-type]
    (lambda wf: wf.start(at=T0, attrs=5), tf.AttrsError, "attrs must be a mapping"),  # type: ignore[arg-type]
    (lambda wf: wf.start(at=NAIVE), tf.NaiveDatetimeError, "naive"),
    (lambda wf: wf.start(at="2026-01-01"), tf.InstantError, "at must be a datetime"),  # type: ignore[arg-type]
    (
        lambda wf: wf.start(at=datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))),
        tf.InstantError,
        "supported range",
    ),
    (lambda wf: wf.apply("ticket", "assign", at=at(1)), tf.SnapshotError, "expected a Ticket"),  # type: ignore[arg-type]
    (lambda wf: wf.apply(None, "assign", at=at(1)), tf.SnapshotError, "expected a Ticket"),  # type: ignore[arg-type]
    (
        lambda wf: wf.apply(_good(), 5, at=at(1)),  # type: ignore[arg-type]
        tf.TransitionError,
        "event must be a string, got 5",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        lambda wf: wf.apply(_good(), ["assign"], at=at(1)),  # type: ignore[arg-type]
        tf.TransitionError,
        "event must be a string",
    ),  # type: ignore[arg-type, unused-ignore]
    (lambda wf: wf.apply(_good(), None, at=at(1)), tf.TransitionError, "event must be a string"),  # type: ignore[arg-type]
    (
        lambda wf: wf.apply(_good(), "assign", at=at(1), actor=5),  # type: ignore[arg-type]
        tf.TransitionError,
        "actor must be a string or None",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        lambda wf: wf.apply(_good(), "assign", at=at(1), actor=["agent"]),  # type: ignore[arg-type]
        tf.TransitionError,
        "actor must be",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        lambda wf: wf.apply(_good(), "assign", at=at(1), actor="agent", data=5),  # type: ignore[arg-type]
        tf.EventDataError,
        "data must be a mapping",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        lambda wf: wf.apply(_good(), "assign", at=at(1), actor="agent", data=[("a", 1)]),  # type: ignore[arg-type]
        tf.EventDataError,
        "data must be a mapping",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        lambda wf: wf.apply(_good(), "assign", at=NAIVE, actor="agent"),
        tf.NaiveDatetimeError,
        "naive",
    ),
    (
        lambda wf: wf.apply(_good(), "assign", at=None, actor="agent"),  # type: ignore[arg-type]
        tf.InstantError,
        "at must be a datetime",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        lambda wf: wf.apply(_good(), "assign", at=datetime(3000, 1, 2, tzinfo=UTC), actor="agent"),
        tf.InstantError,
        "supported range",
    ),
    (lambda wf: wf.advance(5, now=at(1)), tf.SnapshotError, "expected a Ticket"),  # type: ignore[arg-type]
    (lambda wf: wf.advance(_good(), now=NAIVE), tf.NaiveDatetimeError, "now="),
    (lambda wf: wf.advance(_good(), now=1.5), tf.InstantError, "now must be a datetime"),  # type: ignore[arg-type]
    (
        lambda wf: wf.advance(_good(), now=datetime(9999, 12, 31, tzinfo=UTC)),
        tf.InstantError,
        "supported range",
    ),
    (lambda wf: wf.sla({}, now=at(1)), tf.SnapshotError, "expected a Ticket"),  # type: ignore[arg-type]
    (lambda wf: wf.sla(_good(), now="now"), tf.InstantError, "now must be a datetime"),  # type: ignore[arg-type]
    (lambda wf: wf.allowed(5), tf.SnapshotError, "expected a Ticket"),  # type: ignore[arg-type]
    (lambda wf: wf.allowed(_good(), actor=3), tf.TransitionError, "actor must be"),  # type: ignore[arg-type]
    (lambda wf: wf.allowed(_good(), at=NAIVE), tf.NaiveDatetimeError, "naive"),
    (lambda wf: wf.next_deadline("x"), tf.SnapshotError, "expected a Ticket"),  # type: ignore[arg-type]
]

LATE = datetime(2999, 12, 30, tzinfo=UTC)


def _ask_late(wf: tf.Workflow) -> object:
    t = wf.apply(wf.start(at=LATE).ticket, "assign", at=LATE + timedelta(hours=1), actor="agent")
    return wf.apply(t.ticket, "ask", at=LATE + timedelta(hours=2), actor="agent")


BAD_CALLS += [
    # the calendar refuses a deadline past the supported range before the engine stores it
    (_ask_late, tf.DurationError, "is outside the supported range"),
    (
        lambda wf: support_flow(slas=[tf.SLA("r", target=tf.hours(48))]).start(at=LATE),
        tf.DurationError,
        "is outside the supported range",
    ),
]

BAD_STEPS: list[object] = [0, -1, True, 1.5, "10", None, tf.MAX_STEPS + 1]


class TestArguments:
    """Wrong argument types are named errors, never raw ones, and change nothing."""

    @pytest.mark.parametrize(("call", "error", "fragment"), BAD_CALLS)
    def test_refused(
        self, call: Callable[[tf.Workflow], object], error: type[Exception], fragment: str
    ) -> None:
        """The call raises the named error with the fragment."""
        _raises(lambda: call(_flow()), error, fragment)

    @pytest.mark.parametrize("bad", BAD_STEPS)
    @pytest.mark.parametrize("call", ["apply", "advance", "allowed", "sla", "replay"])
    def test_bad_max_steps(self, bad: object, call: str) -> None:
        """A max_steps that is not an int from 1 to MAX_STEPS is an ArgumentError naming it."""
        wf, t = _flow(), _good()
        calls: dict[str, Callable[[], object]] = {
            "apply": lambda: wf.apply(t, "assign", at=at(1), actor="agent", max_steps=bad),  # type: ignore[arg-type]
            "advance": lambda: wf.advance(t, now=at(1), max_steps=bad),  # type: ignore[arg-type]
            "allowed": lambda: wf.allowed(t, at=at(1), max_steps=bad),  # type: ignore[arg-type]
            "sla": lambda: wf.sla(t, now=at(1), max_steps=bad),  # type: ignore[arg-type]
            "replay": lambda: wf.replay([{"name": "start", "at": T0}], max_steps=bad),  # type: ignore[arg-type]
        }
        error = _raises(calls[call], tf.ArgumentError, "max_steps must be an int from 1")
        assert isinstance(error, ValueError)


# --- event logs -------------------------------------------------------------------------------

START = {"name": "start", "at": T0}

BAD_LOGS: list[tuple[object, int, str]] = [
    (5, 0, "expected an iterable of events"),
    ("start", 0, "expected an iterable of events"),
    ({"name": "start"}, 0, "expected an iterable of events"),
    ([], 0, "the log is empty"),
    ([5], 0, "expected an Event or a mapping"),
    ([["start", T0]], 0, "expected an Event or a mapping"),
    ([{"at": T0}], 0, "missing 'name'"),
    ([{"name": "start"}], 0, "missing 'at'"),
    ([{"name": 5, "at": T0}], 0, "name must be a string"),
    ([{**START, "extra": 1}], 0, "unknown key(s)"),
    ([{"name": "start", "at": "2026-03-02T09:00:00"}], 0, "has no UTC offset"),
    ([{"name": "start", "at": "tomorrow"}], 0, "not an ISO datetime"),
    ([{"name": "start", "at": "x" * 10_000}], 0, "not an ISO datetime"),
    ([{"name": "start", "at": 5}], 0, "at must be a datetime"),
    ([{"name": "start", "at": NAIVE}], 0, "naive"),
    ([{"name": "start", "at": "9999-12-31T23:00:00-05:00"}], 0, "supported range"),
    ([{**START, "data": 5}], 0, "data must be a mapping"),
    ([{**START, "data": {"a": float("nan")}}], 0, "not a finite number"),
    ([{**START, "id": 5}], 0, "id must be a string"),
    ([START, {"name": "assign", "at": at(1), "actor": 5}], 1, "actor must be a string"),
    ([START, {"name": "assign", "at": at(1), "data": [1]}], 1, "data must be a mapping"),
    ([{"name": "assign", "at": T0}], 0, "begins with 'start'"),
    ([START, START], 1, "'start' may only come first"),
    ([START, tf.Event("assign", "2026-03-02T10:00:00")], 1, "has no UTC offset"),  # type: ignore[arg-type]
]


class TestReplay:
    """replay names the position of a malformed log entry."""

    @pytest.mark.parametrize(("log", "position", "fragment"), BAD_LOGS)
    def test_refused(self, log: object, position: int, fragment: str) -> None:
        """An EventLogError names the entry and what is wrong with it."""
        error = _raises(lambda: _flow().replay(log), tf.EventLogError, fragment)  # type: ignore[arg-type]
        assert error.position == position  # type: ignore[attr-defined]

    def test_iso_strings_with_offsets_replay(self) -> None:
        """ISO strings with offsets are read, as written by a log file."""
        out = _flow().replay(
            [
                {"name": "start", "at": T0.isoformat()},
                {"name": "assign", "at": at(1).isoformat(), "actor": "agent"},
            ]
        )
        assert out.ticket.status == "assigned"


# --- callables of the user's -----------------------------------------------------------------


class TestUserCallables:
    """The user's callables: bad results are named, their exceptions propagate unchanged."""

    @pytest.mark.parametrize("value", [5, ["x"], b"x", {"a": 1}, 1.5])
    def test_sub_status_non_string(self, value: object) -> None:
        """A sub_status callable returning a non-string raises WorkflowError naming it."""
        wf = support_flow(
            transitions=[
                *support_flow().transitions,
                tf.Transition(
                    "park",
                    source="new",
                    target="on_hold",
                    sub_status=lambda t, c: value,  # type: ignore[arg-type]
                ),
            ]
        )
        t = wf.start(at=T0).ticket
        error = _raises(
            lambda: wf.apply(t, "park", at=at(1)), tf.WorkflowError, "transition 'park'"
        )
        assert repr(value)[:10] in str(error)

    @pytest.mark.parametrize("exc", [KeyError("k"), ValueError("v"), RuntimeError("r")])
    def test_exceptions_propagate(self, exc: Exception) -> None:
        """A guard's own exception reaches the caller as it was raised."""

        def boom(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            raise exc

        wf = support_flow(
            transitions=[
                *support_flow().transitions,
                tf.Transition("boom", source="new", target="assigned", guard=boom),
            ]
        )
        with pytest.raises(type(exc)) as info:
            wf.apply(wf.start(at=T0).ticket, "boom", at=at(1))
        assert info.value is exc


# --- bounded work ---------------------------------------------------------------------------------


class TestBoundedWork:
    """Every call is bounded, and the step limit loses nothing."""

    def test_every_minute_timer_stops_at_the_limit(self) -> None:
        """advance to the year 2200 stops after max_steps with a consistent outcome."""
        wf = _every_minute()
        t = wf.start(at=T0).ticket
        error = _raises(
            lambda: wf.advance(t, now=datetime(2200, 1, 1, tzinfo=UTC)), tf.StepLimitError, "10000"
        )
        assert isinstance(error, tf.StepLimitError)
        out = error.outcome
        assert isinstance(out, tf.Outcome)
        assert len(out.steps) == tf.MAX_STEPS
        assert out.ticket.version == 1 + tf.MAX_STEPS
        assert out.ticket.next_deadline == T0 + timedelta(minutes=tf.MAX_STEPS + 1)

    def test_step_limit_resumes_without_loss(self) -> None:
        """Advancing again after the limit gives what one unbounded call gives."""
        wf = _every_minute()
        t = wf.start(at=T0).ticket
        now = T0 + timedelta(minutes=25)
        whole = wf.advance(t, now=now)
        steps: list[tf.Step] = []
        current = t
        while True:
            try:
                out = wf.advance(current, now=now, max_steps=7)
            except tf.StepLimitError as exc:
                partial = exc.outcome
                if not isinstance(partial, tf.Outcome):  # pragma: no cover
                    raise
                steps.extend(partial.steps)
                current = partial.ticket
                continue
            steps.extend(out.steps)
            current = out.ticket
            break
        assert current == whole.ticket
        assert tuple(steps) == whole.steps

    def test_apply_stopped_by_the_limit_did_not_apply(self) -> None:
        """An apply that hits the limit has not applied its event."""
        wf = _every_minute()
        t = wf.start(at=T0).ticket
        error = _raises(
            lambda: wf.apply(t, "close", at=T0 + timedelta(minutes=30), max_steps=5),
            tf.StepLimitError,
            "max_steps=5",
        )
        out = error.outcome  # type: ignore[attr-defined]
        assert out.ticket.status == "a"
        assert [s.event for s in out.steps] == ["tick"] * 5
        done = wf.apply(out.ticket, "close", at=T0 + timedelta(minutes=30))
        assert done.ticket.status == "done"

    def test_thirty_thousand_item_agenda(self) -> None:
        """A 30,000-item agenda is refused before its items are read."""
        data = _mutated(lambda d: _big_agenda(d, 30_000))
        with within(label="30k agenda"), pytest.raises(tf.SnapshotError, match="MAX_AGENDA"):
            tf.Ticket.from_dict(data)

    def test_longest_agenda_read_is_refused_by_the_workflow(self) -> None:
        """An agenda of MAX_AGENDA items is read, then refused by the engine, within the bound."""
        data = _mutated(_big_agenda)
        with within(label="MAX_AGENDA agenda"):
            ticket = tf.Ticket.from_dict(data)
            with pytest.raises(tf.SnapshotError, match=f"{tf.MAX_AGENDA} items"):
                _flow().advance(ticket, now=datetime(2027, 1, 1, tzinfo=UTC))

    def test_long_catch_up_is_linear(self) -> None:
        """Catching up on many reminders and timers takes one pass."""
        wf = _every_minute()
        t = wf.start(at=T0).ticket
        with within(label="9,999 steps"):
            out = wf.advance(t, now=T0 + timedelta(minutes=tf.MAX_STEPS))
        assert out.ticket.version == 1 + tf.MAX_STEPS


def test_table_size() -> None:
    """The regression table keeps at least a hundred cases."""
    total = len(BAD_ATTRS) + len(BAD_SNAPSHOTS) + len(FOREIGN) + len(BAD_CALLS) + len(BAD_LOGS)
    assert total >= 100
    assert math.isfinite(total)
