"""Fuzz the engine with mutated snapshots of real preset tickets.

Each example plays a valid event log through a preset, stores the ticket
with ``to_dict()``, mutates the stored data (deleted keys, wrong types,
shuffled, duplicated or extended agendas, shifted instants, extreme numbers,
other workflows' names), reads it back and runs the engine on it. Every call
must return or raise a ``TicketflowError`` within the time bound; whatever is
accepted must serialise to JSON and round-trip.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import FUZZ, named_or_ok
from ticketflow import presets
from ticketflow.testing import event_streams

PRESETS = {name: presets.get(name) for name in presets.names()}
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

EXTREMES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    10**400,
    1e308,
    float("nan"),
    float("inf"),
    -0.0,
    "",
    "x" * 300,
    [],
    {},
    [[]],
    {"$datetime": "2026-01-01T00:00:00+00:00"},
    "9999-12-31T23:59:59+00:00",
    "1066-10-14T09:00:00+00:00",
    "2026-03-02T09:00:00",
    "2026-03-02T09:00:00+01:00[Nowhere/City]",
    "auto_close",
    "timer",
    "sla_breach",
    "reminder",
]

MUTATIONS = [
    *("delete", "extreme", "extreme", "extreme", "shuffle"),
    *("duplicate", "extend", "shift", "workflow", "deep"),
]

KEYS = [
    "schema",
    "id",
    "workflow",
    "status",
    "sub_status",
    "version",
    "created_at",
    "updated_at",
    "status_since",
    "timers_since",
    "attrs",
    "agenda",
    "slas",
]


@st.composite
def played(draw: st.DrawFn) -> tuple[tf.Workflow, tf.Ticket]:
    """A preset and a ticket played through a valid log of its events."""
    name = draw(st.sampled_from(sorted(PRESETS)))
    wf = PRESETS[name]
    log = draw(event_streams(wf, max_size=6, valid_only=True))
    ticket = wf.replay(log).ticket
    gap = draw(st.integers(0, 40 * 24 * 60))
    ticket = wf.advance(ticket, now=ticket.updated_at + timedelta(minutes=gap)).ticket
    return wf, ticket


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _shift(text: Any, minutes: int) -> Any:
    if not isinstance(text, str):
        return text
    try:
        parsed = datetime.fromisoformat(text.split("[")[0])
        return (parsed + timedelta(minutes=minutes)).isoformat()
    except (ValueError, OverflowError):
        return text


@st.composite
def mutations(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:  # noqa: C901, PLR0912 - one branch per mutation kind
    """The stored data with one to four mutations (extreme values most often)."""
    data = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(MUTATIONS))
        agenda = data.get("agenda")
        if kind == "delete" and data:
            del data[draw(st.sampled_from(sorted(data)))]
        elif kind == "extreme":
            paths = _paths(data)
            if not paths:
                continue
            path = draw(st.sampled_from(paths))
            node: Any = data
            try:
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = draw(st.sampled_from(EXTREMES))
            except (KeyError, IndexError, TypeError):
                continue
        elif kind == "shuffle" and isinstance(agenda, list):
            data["agenda"] = draw(st.permutations(agenda))
        elif kind == "duplicate" and isinstance(agenda, list) and agenda:
            data["agenda"] = [*agenda, draw(st.sampled_from(agenda))]
        elif kind == "extend" and isinstance(agenda, list) and agenda:
            item = draw(st.sampled_from(agenda))
            count = draw(st.integers(1, 2000))
            data["agenda"] = agenda + [list(item) for _ in range(count)]
        elif kind == "shift":
            key = draw(st.sampled_from(KEYS[6:10]))
            minutes = draw(st.integers(-(10**7), 10**7))
            if key in data:
                data[key] = _shift(data[key], minutes)
            if isinstance(agenda, list) and agenda and isinstance(agenda[0], list) and agenda[0]:
                agenda[0][0] = _shift(agenda[0][0], -minutes)
        elif kind == "workflow":
            data["workflow"] = draw(st.sampled_from([*sorted(PRESETS), "other", ""]))
        elif kind == "deep":
            value: Any = 1
            for _ in range(draw(st.integers(1, 80))):
                value = [value]
            data.setdefault("attrs", {})
            if isinstance(data["attrs"], dict):
                data["attrs"]["deep"] = value
    return data


def _check_accepted(ticket: tf.Ticket) -> None:
    data = ticket.to_dict()
    text = json.dumps(data)
    back = tf.Ticket.from_dict(json.loads(text))
    assert back == ticket
    assert back.to_dict() == data


class TestSnapshotFuzz:
    """Mutated snapshots give a result or a TicketflowError, never anything else."""

    @FUZZ
    @given(played(), st.data())
    def test_mutated_snapshot(
        self, case: tuple[tf.Workflow, tf.Ticket], data: st.DataObject
    ) -> None:
        """from_dict and every engine call on a mutated snapshot are ok or a named error."""
        wf, ticket = case
        _check_accepted(ticket)
        stored = data.draw(mutations(ticket.to_dict()), label="stored")
        restored = named_or_ok(lambda: tf.Ticket.from_dict(stored), "from_dict")
        if isinstance(restored, tf.TicketflowError):
            return
        _check_accepted(restored)
        other = data.draw(st.sampled_from(sorted(PRESETS)), label="engine")
        engine = data.draw(st.sampled_from([wf, PRESETS[other]]), label="which")
        later = restored.updated_at + timedelta(minutes=data.draw(st.integers(0, 10**6)))
        event = data.draw(st.sampled_from([*engine.events(), "nope"]), label="event")
        actor = data.draw(st.sampled_from(["agent", "customer", "system", None]), label="actor")
        calls = {
            "advance": lambda: engine.advance(restored, now=later),
            "apply": lambda: engine.apply(restored, event, at=later, actor=actor),
            "sla": lambda: engine.sla(restored, now=later),
            "allowed": lambda: engine.allowed(restored, actor=actor, at=later),
            "next_deadline": lambda: engine.next_deadline(restored),
        }
        for name, call in calls.items():
            result = named_or_ok(call, name)
            if isinstance(result, tf.Outcome):
                _check_accepted(result.ticket)
            elif isinstance(result, tf.StepLimitError):
                assert isinstance(result.outcome, tf.Outcome)
                _check_accepted(result.outcome.ticket)

    @FUZZ
    @given(
        st.sampled_from(sorted(PRESETS)),
        st.dictionaries(st.text(max_size=5), st.sampled_from(EXTREMES), min_size=1, max_size=4),
    )
    def test_attrs_entry(self, name: str, attrs: dict[str, Any]) -> None:
        """start(attrs=...) with extreme values is ok (and round-trips) or an AttrsError."""
        wf = PRESETS[name]
        result = named_or_ok(lambda: wf.start(at=START, attrs=attrs), "start")
        if isinstance(result, tf.Outcome):
            _check_accepted(result.ticket)
        else:
            assert isinstance(result, tf.AttrsError)
