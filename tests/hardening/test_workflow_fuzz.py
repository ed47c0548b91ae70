"""Fuzz workflow definitions: real presets perturbed with junk build or fail by name.

Each example takes a preset, perturbs its statuses, transitions, timers and
SLAs (with ``attrs.evolve`` and random values, the wrong types included),
rebuilds the workflow and asserts that every step returns or raises a
``TicketflowError`` within the time bound. Where the workflow builds, its
diagrams render and a ticket starts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import event, given
from hypothesis import strategies as st

import ticketflow as tf
import ticketflow.presets
from tests.bounds import FUZZ, named_or_ok

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True),
    st.text(max_size=6),
    st.binary(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(object()),
    st.just(len),
)
NAMES = st.one_of(
    st.sampled_from(["new", "open", "closed", "*", "", "start", "system", "agent"]),
    st.text(max_size=8),
    st.text(alphabet='"\n\r;#[]{}*\\ ', max_size=6),
)
DURATIONS = st.one_of(
    st.builds(
        tf.Duration,
        st.integers(-50, 50) | st.integers(-(10**10), 10**10),
        st.sampled_from(
            ["minutes", "hours", "days", "business_minutes", "business_hours", "business_days"]
        ),
    ),
    st.integers(-3600, 3600).map(lambda s: timedelta(seconds=s)),
    st.integers(-(10**8), 10**8).map(lambda d: timedelta(days=d)),
    st.sampled_from(["4 days", "48h", "15 business minutes", "soon", "0m", "-1h"]),
    JUNK,
)
EFFECTS = st.one_of(
    NAMES,
    st.builds(tf.Effect, NAMES, data=st.one_of(st.none(), JUNK)),
    JUNK,
)


def guard(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    return True


def value_for(field: str, draw: Any, names: list[str]) -> Any:
    """A random value for one field of a definition part, often a plausible one."""
    plausible = {
        "name": NAMES | st.sampled_from(names or ["x"]),
        "event": NAMES,
        "status": st.sampled_from(names or ["x"]) | NAMES,
        "category": st.sampled_from([*tf.CATEGORIES, "weird"]),
        "initial": st.booleans(),
        "terminal": st.booleans(),
        "label": st.none() | st.text(max_size=8),
        "description": st.none() | st.text(max_size=8),
        "source": st.sampled_from([*names, "*"]) | st.lists(st.sampled_from([*names, "*"])),
        "target": st.none() | st.sampled_from(names or ["x"]) | NAMES,
        "roles": st.none() | st.frozensets(NAMES, max_size=3),
        "guard": st.none() | st.just(guard),
        "effects": st.lists(EFFECTS, max_size=3),
        "sub_status": st.none() | st.text(max_size=4) | st.just(lambda t, c: None),
        "restarts_timers": st.booleans(),
        "after": DURATIONS,
        "target_sla": DURATIONS,
        "reminders": st.lists(DURATIONS, max_size=3),
        "remind_before": st.lists(DURATIONS, max_size=3),
        "calendar": st.none() | st.just(tf.ALWAYS_OPEN),
        "when": st.none() | st.dictionaries(st.text(max_size=3), NAMES | JUNK, max_size=2),
        "start_on": st.none() | NAMES,
        "stop_on": st.frozensets(NAMES, max_size=3),
        "restart_on": st.frozensets(NAMES, max_size=3),
        "pause_in": st.frozensets(st.sampled_from([*tf.CATEGORIES, "lunch"]), max_size=3),
    }.get(field, JUNK)
    return draw(st.one_of(plausible, JUNK) if draw(st.integers(0, 4)) == 0 else plausible)


@st.composite
def perturbed(draw: Any) -> dict[str, Any]:
    """The fields of a preset, perturbed a few times."""
    wf = ticketflow.presets.get(draw(st.sampled_from(ticketflow.presets.names())))
    spec: dict[str, Any] = {
        "name": wf.name,
        "statuses": list(wf.statuses),
        "transitions": list(wf.transitions),
        "timers": list(wf.timers),
        "slas": list(wf.slas),
        "calendar": wf.calendar,
    }
    for _ in range(draw(st.integers(0, 6))):
        names = [
            s.name for s in spec["statuses"] if isinstance(s, tf.Status) and isinstance(s.name, str)
        ]
        kind = draw(st.sampled_from(["statuses", "transitions", "timers", "slas"]))
        parts: list[Any] = spec[kind]
        op = draw(st.sampled_from(["evolve", "duplicate", "remove", "add", "copies", "junk"]))
        if op == "remove" and parts:
            del parts[draw(st.integers(0, len(parts) - 1))]
        elif op == "duplicate" and parts:
            parts.append(parts[draw(st.integers(0, len(parts) - 1))])
        elif op == "copies" and parts:
            parts.extend([parts[draw(st.integers(0, len(parts) - 1))]] * draw(st.integers(1, 500)))
        elif op == "junk":
            parts.append(draw(JUNK))
        elif op == "add":
            made = named_or_ok(lambda k=kind, n=names: new_part(k, draw, n), f"new {kind}")  # type: ignore[misc]
            if not isinstance(made, tf.TicketflowError):
                parts.append(made)
        elif op == "evolve" and parts:
            i = draw(st.integers(0, len(parts) - 1))
            part = parts[i]
            if attrs.has(type(part)):
                field = draw(st.sampled_from([f.name for f in attrs.fields(type(part)) if f.init]))
                key = "target_sla" if (isinstance(part, tf.SLA) and field == "target") else field
                value = value_for(key, draw, names)
                changes = {field: value}
                made = named_or_ok(
                    lambda p=part, c=changes: attrs.evolve(p, **c),  # type: ignore[misc]
                    f"evolve {field}",
                )
                if not isinstance(made, tf.TicketflowError):
                    parts[i] = made
    if draw(st.integers(0, 9)) == 0:
        spec[draw(st.sampled_from(sorted(spec)))] = draw(JUNK)
    return spec


def new_part(kind: str, draw: Any, names: list[str]) -> Any:
    """A new status, transition, timer or SLA with random fields."""

    def v(field: str) -> Any:
        return value_for(field, draw, names)

    if kind == "statuses":
        return tf.Status(v("name"), category=v("category"), initial=v("initial"))
    if kind == "transitions":
        return tf.Transition(
            v("event"),
            source=v("source"),
            target=v("target"),
            roles=v("roles"),
            guard=v("guard"),
            effects=v("effects"),
            restarts_timers=v("restarts_timers"),
        )
    if kind == "timers":
        return tf.Timer(
            v("status"),
            after=v("after"),
            event=v("event"),
            reminders=v("reminders"),
            remind_before=v("remind_before"),
        )
    return tf.SLA(
        v("name"),
        target=v("target_sla"),
        when=v("when"),
        start_on=v("start_on"),
        stop_on=v("stop_on"),
        pause_in=v("pause_in"),
    )


class TestFuzzWorkflows:
    @FUZZ
    @given(spec=perturbed())
    def test_perturbed_presets_build_or_fail_by_name(self, spec: dict[str, Any]) -> None:
        """A perturbed preset builds or fails by name; once built, it draws and starts."""
        wf = named_or_ok(lambda: tf.Workflow(**spec), "build")
        event(f"build: {type(wf).__name__}")
        if isinstance(wf, tf.TicketflowError):
            return
        mermaid = named_or_ok(wf.to_mermaid, "mermaid")
        dot = named_or_ok(wf.to_dot, "dot")
        assert isinstance(mermaid, str)
        assert isinstance(dot, str)
        assert len(mermaid.splitlines()) >= len(wf.statuses) + 2
        out = named_or_ok(lambda: wf.start(at=T0), "start")
        assert isinstance(out, tf.Outcome), out
        assert out.ticket.status == wf.initial

    @FUZZ
    @given(
        kind=st.sampled_from(["statuses", "transitions", "timers", "slas"]),
        data=st.data(),
    )
    def test_new_parts_build_or_fail_by_name(self, kind: str, data: st.DataObject) -> None:
        """A status, transition, timer or SLA of random fields builds or fails by name."""
        named_or_ok(lambda: new_part(kind, data.draw, ["new", "open"]), f"new {kind}")

    @FUZZ
    @given(name=st.sampled_from(ticketflow.presets.names()), args=st.lists(NAMES | JUNK))
    def test_lookups_answer_or_fail_by_name(self, name: str, args: list[Any]) -> None:
        """status(), category(), statuses_in() and events() answer or fail by name for any input."""
        wf = ticketflow.presets.get(name)
        for arg in args:
            named_or_ok(lambda arg=arg: wf.status(arg), "status")  # type: ignore[misc]
            named_or_ok(lambda arg=arg: wf.category(arg), "category")  # type: ignore[misc]
        named_or_ok(lambda: wf.statuses_in(*args), "statuses_in")
        assert named_or_ok(wf.events, "events") == wf.events()
