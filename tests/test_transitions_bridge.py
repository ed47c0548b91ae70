"""ticketflow.transitions: a workflow's rules on a pytransitions model, and machines read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from transitions import Machine, MachineError
from transitions.extensions import HierarchicalMachine
from transitions.extensions.states import Timeout, add_state_features

import ticketflow as tf
from ticketflow.transitions import BridgeError, TicketView, from_machine, machine_config

# 2026-03-02 is a Monday (2026-01-01 is a Thursday; 60 days later is a Monday)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Model:
    """A plain object as pytransitions binds one."""

    state: str

    def __init__(self, **attrs: Any) -> None:
        self.attrs = attrs

    def send(self, event: str, **kwargs: Any) -> Any:
        return self.trigger(event, **kwargs)  # type: ignore[attr-defined]


def is_vip(ticket: Any, ctx: tf.Context) -> bool:
    return bool(ticket.attrs.get("vip"))


def is_spam(ticket: Any, ctx: tf.Context) -> bool:
    return bool(ticket.attrs.get("spam"))


def desk() -> tf.Workflow:
    """new -> open (agent), a VIP escalation defined after the plain move, waiting with a
    deadline attribute, closed (terminal, answers "reply" in place)."""
    return tf.Workflow(
        name="desk",
        statuses=[
            tf.Status("new", category="new", initial=True),
            tf.Status("open"),
            tf.Status("urgent"),
            tf.Status("waiting", category="pending"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("assign", source="new", target="open", roles={"agent"}),
            tf.Transition("assign", source="new", target="urgent", roles={"agent"}, guard=is_vip),
            tf.Transition(
                "ask",
                source=["open", "urgent"],
                target="waiting",
                roles={"agent"},
                set_attrs=("pending_until",),
            ),
            tf.Transition("reply", source="waiting", target="open", roles={"customer"}),
            tf.Transition("close", source="*", target="closed", roles={"agent", "system"}),
            tf.Transition("reply", source="closed", target=None, roles={"customer"}),
        ],
    )


def bound(wf: tf.Workflow, **attrs: Any) -> tuple[Model, Machine]:
    model = Model(**attrs)
    return model, Machine(model, **machine_config(wf))


class TestMachineConfig:
    def test_config_is_machine_keywords(self) -> None:
        """The config names the states (terminal ones final), the initial state, and asks
        for send_event and no automatic to_<state> events."""
        config = machine_config(desk())
        assert config["states"][0]["name"] == "new"
        assert config["states"][0]["final"] is False
        assert config["states"][-1]["final"] is True
        assert config["initial"] == "new"
        assert config["send_event"] is True
        assert config["auto_transitions"] is False
        model, _ = bound(desk())
        assert model.state == "new"
        assert not hasattr(model, "to_open")

    def test_roles_refuse_with_false_and_change_nothing(self) -> None:
        """A trigger from an actor whose role may not send it returns False."""
        model, _ = bound(desk())
        assert model.send("assign", actor="customer", at=T0) is False
        assert model.send("assign", at=T0) is False
        assert model.state == "new"
        assert model.send("assign", actor="agent", at=T0) is True
        assert model.state == "open"

    def test_guarded_candidate_is_tried_first(self) -> None:
        """As in the engine, a guarded move defined after an unguarded one is tried first."""
        vip, _ = bound(desk(), vip=True)
        plain, _ = bound(desk(), vip=False)
        assert vip.send("assign", actor="agent") is True
        assert plain.send("assign", actor="agent") is True
        assert (vip.state, plain.state) == ("urgent", "open")
        engine = desk().apply(
            desk().start(at=T0, attrs={"vip": True}).ticket, "assign", at=T0, actor="agent"
        )
        assert engine.ticket.status == "urgent"

    def test_guard_sees_a_read_only_view_and_the_context(self) -> None:
        """A guard gets a TicketView of the model and Context(event, at, actor, data)."""
        seen: list[tuple[Any, tf.Context]] = []

        def spy(ticket: Any, ctx: tf.Context) -> bool:
            seen.append((ticket, ctx))
            return False

        wf = tf.Workflow(
            name="spy",
            statuses=[
                tf.Status("a", initial=True),
                tf.Status("b", terminal=True, category="closed"),
            ],
            transitions=[
                tf.Transition("go", source="a", target="b", guard=spy),
                tf.Transition("end", source="a", target="b"),
            ],
        )
        model, _ = bound(wf, tier="gold")
        model.sub_status = "vendor"  # type: ignore[attr-defined]
        assert model.send("go", actor="agent", at=T0, data={"note": "x"}) is False
        ((view, ctx),) = seen
        assert view == TicketView("a", "vendor", {"tier": "gold"})
        assert ctx == tf.Context("go", T0, "agent", {"note": "x"})
        assert ctx.data == {"note": "x"}
        with pytest.raises(TypeError):
            view.attrs["tier"] = "basic"

    def test_no_transition_from_state_raises_machine_error(self) -> None:
        """An event with no move from the model's state raises MachineError (the engine's
        TransitionError), or returns False when invalid triggers are ignored."""
        model, _ = bound(desk())
        with pytest.raises(MachineError, match="reply"):
            model.send("reply", actor="customer")
        quiet = Model()
        Machine(quiet, **machine_config(desk()), ignore_invalid_triggers=True)
        assert quiet.send("reply", actor="customer") is False
        assert (model.state, quiet.state) == ("new", "new")
        with pytest.raises(tf.TransitionError):
            desk().apply(desk().start(at=T0).ticket, "reply", at=T0, actor="customer")

    def test_one_config_serves_several_machines(self) -> None:
        """A config used for two machines leaves each its own ignore_invalid_triggers."""
        config = machine_config(desk())
        quiet, loud = Model(), Model()
        Machine(quiet, **config, ignore_invalid_triggers=True)
        Machine(loud, **config)
        assert quiet.send("reply", actor="customer") is False
        with pytest.raises(MachineError):
            loud.send("reply", actor="customer")

    def test_unknown_event_raises_attribute_error(self) -> None:
        """An event the workflow does not have is unknown to the machine as well."""
        model, _ = bound(desk())
        with pytest.raises(AttributeError, match="nope"):
            model.send("nope")

    def test_wildcard_source_leaves_terminal_statuses_out(self) -> None:
        """``"*"`` covers the non-terminal statuses only; a terminal one keeps only the moves
        that name it, internal ones."""
        model, _ = bound(desk())
        assert model.send("close", actor="system") is True
        assert model.state == "closed"
        with pytest.raises(MachineError):
            model.send("close", actor="agent")
        assert model.send("reply", actor="customer") is True
        assert model.state == "closed"

    def test_set_attrs_replaces_model_attrs(self) -> None:
        """A move that sets attributes copies them from data into ``model.attrs``."""
        model, _ = bound(desk())
        model.send("assign", actor="agent")
        # 2026-03-09 09:00 UTC: a week after T0
        due = T0 + timedelta(days=7)
        assert model.send("ask", actor="agent", at=T0, data={"pending_until": due}) is True
        assert (model.state, dict(model.attrs)) == ("waiting", {"pending_until": due})

    def test_set_attrs_without_its_data_refuses_and_changes_nothing(self) -> None:
        """A key missing from data raises EventDataError, as the engine does, and leaves the
        state and attrs as they were."""
        model, _ = bound(desk(), tier="gold")
        model.send("assign", actor="agent")
        with pytest.raises(tf.EventDataError, match="pending_until"):
            model.send("ask", actor="agent", data={})
        assert (model.state, model.attrs) == ("open", {"tier": "gold"})

    def test_bad_trigger_arguments_are_named(self) -> None:
        """Positional arguments, unknown keywords, and bad actor, at or data raise
        specific errors naming the value."""
        model, _ = bound(desk())
        with pytest.raises(tf.ArgumentError, match="keywords"):
            model.send("assign", actr="agent")
        with pytest.raises(tf.ArgumentError, match="as keywords"):
            model.trigger("assign", "agent")  # type: ignore[attr-defined]
        with pytest.raises(tf.TransitionError, match="actor must be a string"):
            model.send("assign", actor=7)
        with pytest.raises(tf.NaiveDatetimeError):
            model.send("assign", actor="agent", at=datetime(2026, 3, 2, 9))
        with pytest.raises(tf.EventDataError, match="mapping"):
            model.send("assign", actor="agent", data=["x"])
        assert model.state == "new"

    def test_may_trigger_is_allowed(self) -> None:
        """``may_<event>`` answers as ``Workflow.allowed`` does, role by role."""
        wf = desk()
        model, _ = bound(wf)
        ticket = wf.start(at=T0).ticket
        for actor in ("agent", "customer", "system", None):
            may = tuple(e for e in wf.events() if model.may_trigger(e, actor=actor))  # type: ignore[attr-defined]
            assert may == wf.allowed(ticket, actor=actor), actor

    def test_not_a_workflow(self) -> None:
        """machine_config takes a Workflow only."""
        with pytest.raises(tf.ArgumentError, match="expected a Workflow"):
            machine_config({"name": "x"})  # type: ignore[arg-type]


def plain_machine(**extra: Any) -> Machine:
    return Machine(
        states=["new", "open", {"name": "closed", "final": True}],
        initial="new",
        transitions=[
            {
                "trigger": "assign",
                "source": "new",
                "dest": "open",
                "conditions": "is_vip",
                "unless": [is_spam],
            },
            {"trigger": "assign", "source": "new", "dest": "open"},
            {"trigger": "note", "source": ["new", "open"], "dest": None},
            {"trigger": "touch", "source": "open", "dest": "="},
            ["close", ["new", "open"], "closed"],
        ],
        **extra,
    )


REGISTRY = {"is_vip": is_vip, "is_spam": is_spam}


class TestFromMachine:
    def test_plain_machine(self) -> None:
        """States, transitions, conditions by name, internal and reflexive moves carry over;
        the automatic to_<state> events are left out."""
        wf = from_machine(plain_machine(), registry=REGISTRY, name="desk")
        assert [(s.name, s.category, s.initial, s.terminal) for s in wf.statuses] == [
            ("new", "new", True, False),
            ("open", "open", False, False),
            ("closed", "closed", False, True),
        ]
        assert wf.events() == ("assign", "close", "note", "touch")
        moves = [(t.event, t.source, t.target) for t in wf.transitions]
        assert moves == [
            ("assign", ("new",), "open"),
            ("assign", ("new",), "open"),
            ("note", ("new", "open"), None),
            ("touch", ("open",), "open"),
            ("close", ("new", "open"), "closed"),
        ]
        assert wf.name == "desk"

    def test_conditions_and_unless_make_one_guard(self) -> None:
        """conditions must all accept and unless all refuse, as in pytransitions."""
        wf = from_machine(plain_machine(), registry=REGISTRY)
        guard = wf.transitions[0].guard
        assert guard is not None
        assert guard.__name__ == "is_vip and not is_spam"
        for attrs, accepted in (
            ({"vip": True}, True),
            ({"vip": True, "spam": True}, False),
            ({}, False),
        ):
            ticket = wf.start(at=T0, attrs=attrs).ticket
            assert guard(ticket, tf.Context("assign", T0, None, None)) is accepted
        # the unguarded move is the fallback: a spammer is assigned all the same
        out = wf.apply(wf.start(at=T0, attrs={"spam": True}).ticket, "assign", at=T0)
        assert out.ticket.status == "open"

    def test_categories(self) -> None:
        """``categories`` sets a state's category; a name that is no state is a problem."""
        wf = from_machine(plain_machine(), registry=REGISTRY, categories={"open": "pending"})
        assert wf.category("open") == "pending"
        with pytest.raises(BridgeError, match="'nope', which is not a state"):
            from_machine(plain_machine(), registry=REGISTRY, categories={"nope": "open"})

    def test_category_not_a_string(self) -> None:
        """A category that is not a string is one problem, naming the state."""
        with pytest.raises(BridgeError) as info:
            from_machine(plain_machine(), registry=REGISTRY, categories={"open": 3})  # type: ignore[dict-item]
        assert info.value.problems == ("categories['open'] must be a category name, got 3",)

    def test_problems_beyond_the_limit_are_counted(self) -> None:
        """Past MAX_PROBLEMS the problems (the bridge's and the workflow's) are counted,
        not listed."""
        states = [f"s{i}" for i in range(tf.MAX_PROBLEMS + 20)]
        machine = Machine(
            states=states,
            initial="s0",
            transitions=[["go", states, "s0"]],
            after_state_change="log",
            auto_transitions=False,
        )
        for name in states:
            machine.get_state(name).add_callback("exit", "log")
        with pytest.raises(BridgeError) as info:
            from_machine(machine)
        error = info.value
        # the machine callback, 120 on_exit callbacks, s1 to s119 unreachable, and s0 a
        # dead end (its one move stays in it)
        assert error.total == 1 + 120 + 119 + 1
        assert len(error.problems) == tf.MAX_PROBLEMS + 1
        assert error.problems[-1] == f"... and {241 - tf.MAX_PROBLEMS} more problem(s)"

    def test_every_problem_listed_at_once(self) -> None:
        """Callbacks, unregistered conditions, shadowed moves and the workflow's own
        problems come in one BridgeError, a WorkflowError."""
        machine = Machine(
            name="broken",
            states=["a", "b", "c"],
            initial="a",
            transitions=[
                {
                    "trigger": "go",
                    "source": "a",
                    "dest": "b",
                    "after": "log",
                    "prepare": "ready",
                    "before": "log",
                },
                {"trigger": "go", "source": "a", "dest": "c"},
                {"trigger": "back", "source": "b", "dest": "a", "conditions": lambda e: True},
            ],
            before_state_change="audit",
        )
        machine.get_state("b").add_callback("enter", "hello")
        with pytest.raises(BridgeError) as info:
            from_machine(machine, categories={"c": "bogus"})
        error = info.value
        assert isinstance(error, tf.WorkflowError)
        text = "\n".join(error.problems)
        for needle in (
            "machine callback before_state_change=['audit']",
            "state 'b': on_enter=['hello']",
            "transition 'go' from 'a': prepare=['ready']",
            "transition 'go' from 'a': before=['log']",
            "transition 'go' from 'a': after=['log']",
            "transition 'go' from 'a' to 'c' is never taken",
            "transition 'back': condition '<lambda>' is not in the registry",
            "status 'c' has unknown category 'bogus'",
            "status 'c' is unreachable",
            "status 'c' is a dead end",
        ):
            assert needle in text, needle
        assert error.total == len(error.problems) == 10
        assert str(error).startswith("machine 'broken' cannot become a workflow (10 problem(s))")

    def test_an_unregistered_condition_is_named_for_each_event(self) -> None:
        """A condition the registry lacks is one problem per event that uses it, however many
        sources that event has."""
        machine = Machine(
            states=["a", "b", {"name": "c", "final": True}],
            initial="a",
            transitions=[
                {"trigger": "go", "source": ["a", "b"], "dest": "c", "conditions": "ok"},
                {"trigger": "run", "source": ["a", "b"], "dest": "c", "conditions": "ok"},
                ["step", "a", "b"],
            ],
        )
        with pytest.raises(BridgeError) as info:
            from_machine(machine)
        assert info.value.problems == (
            "transition 'go': condition 'ok' is not in the registry "
            "(register a (ticket, context) guard under its name)",
            "transition 'run': condition 'ok' is not in the registry "
            "(register a (ticket, context) guard under its name)",
        )
        wf = from_machine(machine, registry={"ok": is_vip})
        assert [(t.event, t.source) for t in wf.transitions][:2] == [
            ("go", ("a", "b")),
            ("run", ("a", "b")),
        ]

    def test_candidate_order_kept_per_state(self) -> None:
        """Where one transition per condition would change some state's candidate order,
        each state keeps its own, so the first passing condition wins as in pytransitions."""
        machine = Machine(
            states=["a", "b", {"name": "c", "final": True}, {"name": "d", "final": True}],
            initial="a",
            transitions=[
                {"trigger": "go", "source": "a", "dest": "c", "conditions": "x"},
                {"trigger": "go", "source": ["a", "b"], "dest": "d", "conditions": "y"},
                {"trigger": "go", "source": "b", "dest": "c", "conditions": "x"},
                ["step", "a", "b"],
            ],
        )

        def yes(ticket: Any, ctx: tf.Context) -> bool:
            return True

        wf = from_machine(machine, registry={"x": yes, "y": yes})
        assert [(t.source, t.target) for t in wf.transitions if t.event == "go"] == [
            (("a",), "c"),
            (("a",), "d"),
            (("b",), "d"),
            (("b",), "c"),
        ]
        ticket = wf.start(at=T0).ticket
        assert wf.apply(ticket, "go", at=T0).ticket.status == "c"
        ticket = wf.apply(ticket, "step", at=T0).ticket
        assert wf.apply(ticket, "go", at=T0).ticket.status == "d"

    def test_callable_condition_by_name(self) -> None:
        """A callable condition is carried when the registry has a guard under its name."""

        def ready(event_data: Any) -> bool:  # pytransitions' own signature
            return True

        machine = Machine(
            states=["a", {"name": "b", "final": True}],
            initial="a",
            transitions=[{"trigger": "go", "source": "a", "dest": "b", "conditions": ready}],
        )
        wf = from_machine(machine, registry={"ready": is_vip})
        assert wf.transitions[0].guard is is_vip

    def test_timeout_state_becomes_a_timer(self) -> None:
        """A Timeout state's timeout and on_timeout event become a ticketflow timer."""

        @add_state_features(Timeout)
        class TimedMachine(Machine):
            pass

        machine = TimedMachine(
            states=[
                "open",
                {"name": "waiting", "timeout": 90, "on_timeout": "expire"},
                {"name": "closed", "final": True},
            ],
            initial="open",
            transitions=[["ask", "open", "waiting"], ["expire", "waiting", "closed"]],
        )
        wf = from_machine(machine, categories={"waiting": "pending"})
        assert wf.timers == (tf.Timer("waiting", after=timedelta(seconds=90), event="expire"),)
        ticket = wf.apply(wf.start(at=T0).ticket, "ask", at=T0).ticket
        # 90 s after T0 the timer fires: 09:01:30
        assert wf.next_deadline(ticket) == T0 + timedelta(seconds=90)
        assert wf.advance(ticket, now=T0 + timedelta(minutes=2)).ticket.status == "closed"

    def test_timeout_in_a_config(self) -> None:
        """A config's states may be Timeout dicts; a timeout that calls no event is a problem."""
        config: dict[str, Any] = {
            "states": [
                "open",
                {"name": "waiting", "timeout": 60, "on_timeout": "expire"},
                {"name": "closed", "final": True},
            ],
            "initial": "open",
            "transitions": [["ask", "open", "waiting"], ["expire", "waiting", "closed"]],
        }
        assert from_machine(config).timers[0].event == "expire"
        config["states"][1]["on_timeout"] = ["expire", "log"]
        with pytest.raises(BridgeError, match="on_timeout=\\['expire', 'log'\\] must name one"):
            from_machine(config)

    def test_nested_machines_are_refused(self) -> None:
        """Hierarchical machines, and configs with nested states, cannot be carried over."""
        with pytest.raises(BridgeError, match="hierarchical"):
            from_machine(
                HierarchicalMachine(states=["a", {"name": "b", "children": ["x"]}], initial="a")
            )
        with pytest.raises(BridgeError, match="state 'b' has nested states"):
            from_machine({"states": ["a", {"name": "b", "children": ["x"]}], "initial": "a"})

    def test_bad_input(self) -> None:
        """Anything but a machine or a config mapping, and configs Machine refuses, are named."""
        with pytest.raises(tf.ArgumentError, match=r"expected a transitions\.Machine"):
            from_machine(["a"])
        with pytest.raises(BridgeError, match="config key 'bogus' is not a Machine argument"):
            from_machine({"states": ["a"], "initial": "a", "bogus": 1})
        with pytest.raises(BridgeError, match="requires 'on_timeout'"):
            from_machine({"states": [{"name": "a", "timeout": 5}], "initial": "a"})
        with pytest.raises(tf.ArgumentError, match="categories must be a mapping"):
            from_machine(plain_machine(), categories=["open"])  # type: ignore[arg-type]
        with pytest.raises(tf.ArgumentError, match="registry must be a mapping"):
            from_machine(plain_machine(), registry=["is_vip"])  # type: ignore[arg-type]

    def test_round_trip(self) -> None:
        """A machine built from machine_config comes back as the same transitions, guards
        and roles included."""
        wf = desk()
        _, machine = bound(wf)
        back = from_machine(machine, categories={s.name: s.category for s in wf.statuses})
        assert back.name == "desk"
        assert back.statuses == wf.statuses
        assert {(t.event, t.source, t.target, t.roles, t.set_attrs) for t in back.transitions} == {
            ("assign", ("new",), "open", frozenset({"agent"}), None),
            ("assign", ("new",), "urgent", frozenset({"agent"}), None),
            ("ask", ("open", "urgent"), "waiting", frozenset({"agent"}), ("pending_until",)),
            ("reply", ("waiting",), "open", frozenset({"customer"}), None),
            (
                "close",
                ("new", "open", "urgent", "waiting"),
                "closed",
                frozenset({"agent", "system"}),
                None,
            ),
            ("reply", ("closed",), None, frozenset({"customer"}), None),
        }
        assert [t.guard for t in back.transitions if t.guard is not None] == [is_vip]

    def test_a_changed_machine_config_transition_is_not_taken_as_is(self) -> None:
        """A machine_config transition with a callback added is read as a plain one: its
        callback and its rule are problems."""
        config = machine_config(desk())
        config["transitions"][0]["after"] = ["log"]
        with pytest.raises(BridgeError, match="after=\\['log'\\] cannot be carried over"):
            from_machine(config)
