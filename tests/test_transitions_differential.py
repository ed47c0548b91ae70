"""A pytransitions model built with ``machine_config`` and the engine agree, event by event.

For every preset and for generated workflows, a random stream of events
(names the workflow knows and one it does not, every role and no actor,
data that sets attributes or lacks it) goes to a pytransitions model and to
the engine. After every event both have accepted it or both refused it
(each refusal of the kind the bridge documents), and they are in the same
status with the same attributes; the events each actor may send agree too.
The workflow ``from_machine`` reads back from that machine has the same
statuses and moves, and its engine agrees with the original's. The other way
round, plain pytransitions machines (conditions by name, ``unless``,
wildcards, internal and reflexive moves) and the workflows ``from_machine``
reads from them agree as well.

Timers are left out: every event happens at one instant, and the deadlines
the data carries lie after it, so no timer, reminder or breach falls due.

``python -m tests.test_transitions_differential`` runs the tests and prints
how many streams, events and agreements they checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transitions import Machine, MachineError

import ticketflow as tf
from tests.bounds import examples
from ticketflow import presets
from ticketflow.testing import workflows
from ticketflow.transitions import from_machine, machine_config

#: streams, events and agreements checked in this process
COUNTS: Counter[str] = Counter()

# 2026-03-02 is a Monday (2026-01-01 is a Thursday; 31 + 28 + 1 days later, 59 days = 8 weeks
# and 3 days, is a Monday); 09:00 UTC is inside the working hours of every preset calendar
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNKNOWN = "no_such_event"
PRESETS = {name: presets.get(name) for name in presets.names()}


class Model:
    """A plain object as pytransitions binds one: ``state`` and ``attrs``."""

    state: str

    def __init__(self, attrs: Mapping[str, Any]) -> None:
        self.attrs = attrs


def roles(wf: tf.Workflow) -> list[str | None]:
    named = {"system"}
    for t in wf.transitions:
        named |= t.roles or set()
    return [*sorted(named), None]


def data_keys(wf: tf.Workflow, event: str) -> list[str]:
    """The attribute keys that transitions of ``event`` copy from data (all known ones
    for a callable ``set_attrs``)."""
    keys: dict[str, None] = {}
    for t in wf.transitions:
        if t.event != event or t.set_attrs is None:
            continue
        spec = (
            ("priority", "tier", "pending_until", "due") if callable(t.set_attrs) else t.set_attrs
        )
        keys.update(dict.fromkeys(spec))
    return list(keys)


def deadline_keys(wf: tf.Workflow) -> set[str]:
    return {tm.at for tm in wf.timers if tm.at is not None}


@st.composite
def steps(draw: st.DrawFn, wf: tf.Workflow) -> list[tuple[str, str | None, Any]]:
    """Up to 12 (event, actor, data): data names every key the event's ``set_attrs``
    copies (deadlines 1 to 30 days after T0), or sometimes lacks one or is None."""
    out = []
    names = [*wf.events(), UNKNOWN]
    deadlines = deadline_keys(wf)
    for _ in range(draw(st.integers(0, 12))):
        event = draw(st.sampled_from(names))
        actor = draw(st.sampled_from(roles(wf)))
        data: Any = {}
        for key in data_keys(wf, event):
            if key in deadlines:
                data[key] = T0 + timedelta(days=draw(st.integers(1, 30)))
            else:
                data[key] = draw(st.sampled_from(("low", "high", "gold", 3, True, None)))
        if data and draw(st.integers(0, 3)) == 0:
            data.pop(draw(st.sampled_from(sorted(data))))
        if draw(st.integers(0, 5)) == 0:
            data = None
        out.append((event, actor, data or None))
    return out


def engine_says(
    wf: tf.Workflow, ticket: tf.Ticket, event: str, actor: str | None, data: Any
) -> tuple[str, tf.Ticket]:
    """What the engine does with the event, as the bridge maps it, and the ticket after."""
    try:
        out = wf.apply(ticket, event, at=T0, actor=actor, data=data)
    except (tf.NotPermitted, tf.GuardRejected):
        return "false", ticket
    except tf.EventDataError:
        return "event data error", ticket
    except tf.TransitionError as exc:
        # only the plain TransitionError means "no transition for this event here"
        return "no transition" if type(exc) is tf.TransitionError else repr(exc), ticket
    assert not out.steps[:-1], "a timer fired: the stream was meant to keep time still"
    return "true", out.ticket


def machine_says(model: Model, event: str, actor: str | None, data: Any) -> str:
    try:
        result = model.trigger(event, actor=actor, at=T0, data=data)  # type: ignore[attr-defined]
    except MachineError:
        return "no transition"
    except AttributeError as exc:
        # pytransitions' answer to an event the machine does not know at all
        return "no transition" if event == UNKNOWN else repr(exc)
    except tf.EventDataError:
        return "event data error"
    assert isinstance(result, bool)
    return "true" if result else "false"


def may_send(wf: tf.Workflow, model: Model, actor: str | None) -> tuple[str, ...]:
    return tuple(
        e
        for e in sorted(wf.events())
        if model.may_trigger(e, actor=actor, at=None, data=None)  # type: ignore[attr-defined]
    )


def play(wf: tf.Workflow, attrs: dict[str, Any], stream: list[tuple[str, str | None, Any]]) -> None:
    """Send ``stream`` to the engine (of ``wf`` and of the workflow read back from its
    machine) and to a pytransitions model, checking they agree after every event."""
    model = Model(attrs)
    machine = Machine(model, **machine_config(wf))
    back = from_machine(machine, categories={s.name: s.category for s in wf.statuses})
    assert [(s.name, s.category, s.initial, s.terminal) for s in back.statuses] == [
        (s.name, s.category, s.initial, s.terminal) for s in wf.statuses
    ]
    assert moves(back) == moves(wf)
    ticket = wf.start(at=T0, attrs=attrs).ticket
    twin = back.start(at=T0, attrs=attrs).ticket
    COUNTS["streams"] += 1
    for event, actor, data in stream:
        said, ticket = engine_says(wf, ticket, event, actor, data)
        again, twin = engine_says(back, twin, event, actor, data)
        assert machine_says(model, event, actor, data) == said == again, (event, actor, data)
        assert model.state == ticket.status == twin.status
        assert model.attrs == ticket.attrs == twin.attrs
        assert may_send(wf, model, actor) == wf.allowed(ticket, actor=actor)
        COUNTS["events"] += 1
        COUNTS["agreements"] += 1
        COUNTS[f"agreed {said}"] += 1


def moves(wf: tf.Workflow) -> dict[tuple[str, str], list[tuple[Any, ...]]]:
    """(status, event) -> the candidates the engine tries, in order, by what they do."""
    terminal = {s.name for s in wf.statuses if s.terminal}
    out: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for t in sorted(wf.transitions, key=lambda t: t.guard is None):
        for status in [s.name for s in wf.statuses]:
            here = status in t.source or ("*" in t.source and status not in terminal)
            if here:
                out.setdefault((status, t.event), []).append(
                    (t.target, t.roles, id(t.guard), t.set_attrs, t.effects, t.restarts_timers)
                )
    return out


def vip(ticket: Any, ctx: tf.Context) -> bool:
    """The guard of the twins: the ticket's ``vip`` attribute is true."""
    return bool(ticket.attrs.get("vip"))


@st.composite
def with_twins(draw: st.DrawFn, wf: tf.Workflow) -> tf.Workflow:
    """``wf`` with guarded twins of some unguarded moves, defined after them, to another
    target (one whose timer needs no deadline): the engine tries a twin first, so the
    order of candidates decides the status."""
    timed = {tm.status for tm in wf.timers if tm.at is not None}
    free = [s.name for s in wf.statuses if s.name not in timed]
    twins = [
        tf.Transition(
            t.event, source=t.source, target=draw(st.sampled_from(free)), roles=t.roles, guard=vip
        )
        for t in wf.transitions
        if t.guard is None and t.target is not None and draw(st.booleans())
    ]
    return tf.Workflow(
        name=wf.name,
        statuses=wf.statuses,
        transitions=[*wf.transitions, *twins],
        timers=wf.timers,
        slas=wf.slas,
        calendar=wf.calendar,
    )


def initial_attrs(wf: tf.Workflow) -> st.SearchStrategy[dict[str, Any]]:
    """``vip`` (what generated guards read) as a bool, or no attributes."""
    if any(t.guard is not None for t in wf.transitions):
        return st.fixed_dictionaries({"vip": st.booleans()})
    return st.just({})


@pytest.mark.parametrize("name", sorted(PRESETS))
@settings(max_examples=examples(50))
@given(data=st.data())
def test_presets_machine_and_engine_agree(name: str, data: st.DataObject) -> None:
    """Every preset: the machine and the engine accept and refuse alike, and end each
    event in the same status with the same attributes."""
    wf = PRESETS[name]
    play(wf, data.draw(initial_attrs(wf)), data.draw(steps(wf)))


@settings(max_examples=examples(200))
@given(data=st.data())
def test_generated_machine_and_engine_agree(data: st.DataObject) -> None:
    """Generated workflows (guards, roles, wildcards, internal moves, attributes):
    the machine and the engine agree after every event."""
    wf = data.draw(workflows().flatmap(with_twins))
    play(wf, data.draw(initial_attrs(wf)), data.draw(steps(wf)))


# --- plain pytransitions machines read by from_machine -------------------------------------

FLAGS = ("vip", "gold")
PLAIN_EVENTS = ("go", "back", "poke")


def flag_guard(flag: str) -> Any:
    def guard(ticket: Any, ctx: tf.Context) -> bool:
        return bool(ticket.attrs.get(flag))

    guard.__name__ = flag
    return guard


REGISTRY = {flag: flag_guard(flag) for flag in FLAGS}


class Flagged:
    """A model whose conditions are its methods, as pytransitions users write them."""

    state: str

    def __init__(self, attrs: Mapping[str, Any]) -> None:
        self.attrs = attrs

    def vip(self) -> bool:
        return bool(self.attrs.get("vip"))

    def gold(self) -> bool:
        return bool(self.attrs.get("gold"))


@st.composite
def plain_configs(draw: st.DrawFn) -> dict[str, Any]:
    """Machine configs: a ring of ``next`` moves (every state reachable, none a dead end),
    moves with conditions and ``unless`` by name from one state, several or ``"*"``, to a
    state, ``"="`` or None, and at most one unconditional fallback per event, added last
    so that it shadows nothing."""
    states = [f"s{i}" for i in range(draw(st.integers(2, 5)))]
    n = len(states)
    sources = st.one_of(
        st.sampled_from(states),
        st.just("*"),
        st.lists(st.sampled_from(states), min_size=1, max_size=3, unique=True),
    )
    dests = st.one_of(st.sampled_from(states), st.none(), st.just("="))
    names = st.lists(st.sampled_from(FLAGS), max_size=2, unique=True)
    transitions: list[Any] = [["next", states[i], states[(i + 1) % n]] for i in range(n)]
    for _ in range(draw(st.integers(0, 8))):
        conditions, unless = draw(names), draw(names)
        transitions.append(
            {
                "trigger": draw(st.sampled_from(PLAIN_EVENTS)),
                "source": draw(sources),
                "dest": draw(dests),
                "conditions": conditions or ([] if unless else ["vip"]),
                "unless": unless,
            }
        )
    for event in PLAIN_EVENTS:
        if draw(st.booleans()):
            transitions.append([event, draw(sources), draw(dests)])
    return {"states": states, "initial": states[0], "transitions": transitions}


def plain_says(machine: Machine, model: Flagged, event: str) -> str:
    try:
        return "true" if model.trigger(event) else "false"  # type: ignore[attr-defined]
    except MachineError:
        return "no transition"
    except AttributeError as exc:
        # pytransitions' answer to an event the machine does not know at all
        return "no transition" if event not in machine.events else repr(exc)


@settings(max_examples=examples(200))
@given(data=st.data())
def test_from_machine_behaves_as_the_machine(data: st.DataObject) -> None:
    """A workflow read from a plain machine (conditions by name, ``unless``, wildcards,
    internal and reflexive moves) accepts and refuses what the machine does, and ends each
    event in the same status."""
    config = data.draw(plain_configs())
    attrs = data.draw(st.fixed_dictionaries({flag: st.booleans() for flag in FLAGS}))
    model = Flagged(attrs)
    machine = Machine(model, **config)
    wf = from_machine(config, registry=REGISTRY)
    ticket = wf.start(at=T0, attrs=attrs).ticket
    COUNTS["plain streams"] += 1
    names = [*PLAIN_EVENTS, "next", UNKNOWN]
    for event in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=12)):
        said, ticket = engine_says(wf, ticket, event, None, None)
        assert plain_says(machine, model, event) == said, event
        assert model.state == ticket.status
        COUNTS["plain events"] += 1
        COUNTS["plain agreements"] += 1
        COUNTS[f"plain agreed {said}"] += 1


if __name__ == "__main__":
    for name in sorted(PRESETS):
        test_presets_machine_and_engine_agree(name)
    test_generated_machine_and_engine_agree()
    test_from_machine_behaves_as_the_machine()
    print(", ".join(f"{key}: {COUNTS[key]}" for key in sorted(COUNTS)))
