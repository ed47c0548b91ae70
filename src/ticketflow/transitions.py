"""A bridge to pytransitions: ticketflow's rules on a pytransitions model, and back.

Theory of operation:

* :func:`machine_config` writes a workflow as the keyword arguments of
  ``transitions.Machine(model, **config)``. Each ticketflow transition
  becomes one pytransitions transition from its expanded sources (``"*"``
  is every non-terminal status), added guarded ones first in definition
  order, so pytransitions tries the candidates of a state in the order the
  engine does. Its one condition, :class:`_Rule`, checks the trigger's
  ``actor=``, ``at=`` and ``data=`` keywords, then the roles, then the
  guard (given a read-only :class:`TicketView` of the model and a
  :class:`~ticketflow.Context`); a transition that sets attributes carries
  a ``before`` callback, :class:`_SetAttrs`, that replaces ``model.attrs``
  or refuses the event as the engine does. Timers, SLAs, effects and
  ``sub_status`` stay with the engine.
* :func:`from_machine` reads a machine (or builds one from a config, with
  no model bound) and carries over what a workflow can hold: states (with
  their categories), transitions, conditions by registered name, and
  ``Timeout`` states as timers. Everything else is a problem, and every
  problem is listed in one :class:`BridgeError`. Transitions that
  :func:`machine_config` wrote are recognised by their :class:`_Rule` and
  come back as they were.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any, cast

from attrs import evolve, frozen

from . import _changes
from ._checks import Problems, show
from ._definitions import Guard, Status, Timer, Transition
from ._errors import ArgumentError, EventDataError, TransitionError, WorkflowError
from ._tables import expand_sources
from ._ticket import Context, Ticket, check_aware, freeze_attrs
from ._workflow import Workflow

try:
    from transitions import Machine
    from transitions.core import EventData
    from transitions.extensions.nesting import HierarchicalMachine
    from transitions.extensions.states import Timeout, add_state_features
except ImportError as exc:  # pragma: no cover - the extra is missing
    raise ImportError(
        "ticketflow.transitions needs pytransitions; install the extra: "
        "pip install 'ticketflow[transitions]'"
    ) from exc

__all__ = ["BridgeError", "TicketView", "from_machine", "machine_config"]

#: The keywords a trigger of a machine built by :func:`machine_config` takes.
_TRIGGER_KEYWORDS = ("actor", "at", "data")
#: The keywords ``Machine`` takes, and so the keys a config may have.
_MACHINE_KEYWORDS = frozenset(inspect.signature(Machine).parameters) - {"kwargs"}
_MACHINE_CALLBACKS = (
    "prepare_event",
    "before_state_change",
    "after_state_change",
    "finalize_event",
    "on_exception",
    "on_final",
)


class BridgeError(WorkflowError):
    """A pytransitions machine holds what a ticketflow workflow cannot carry over.

    It is a :class:`~ticketflow.WorkflowError`: the problems of the workflow
    built from the machine are listed with the rest.

    Attributes:
        problems: Every problem found, each naming the state, event,
            transition or callback at fault.
        name: The machine's name, or None.
        total: How many problems were found in all.
    """

    def __init__(
        self, problems: Sequence[str], name: str | None = None, *, total: int | None = None
    ) -> None:
        super().__init__(problems, name, total=total)
        head = f"machine {name!r}" if name else "the machine"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        self.args = (f"{head} cannot become a workflow ({self.total} problem(s)):\n{lines}",)


@frozen
class TicketView:
    """What a guard sees of a pytransitions model: a read-only ticket.

    Attributes:
        status: The state the trigger was sent in.
        sub_status: The model's ``sub_status`` attribute, or None.
        attrs: The model's ``attrs`` as a read-only mapping (empty when the
            model has none).
    """

    status: str
    sub_status: str | None
    attrs: Mapping[str, Any]


# --- from a workflow to a machine ------------------------------------------------------


def _context(event_data: EventData) -> Context:
    """The Context of a trigger, from its ``actor=``, ``at=`` and ``data=`` keywords.

    Raises:
        ArgumentError: for a positional argument or another keyword.
        TransitionError: for an actor that is not a string or None.
        InstantError: for an ``at`` that is not an aware datetime or None.
        EventDataError: for ``data`` that is not a mapping or None.
    """
    event: str = event_data.event.name
    status: str = event_data.state.name
    args, kwargs = event_data.args, event_data.kwargs
    if args:
        raise ArgumentError(
            f"event {event!r}: pass actor=, at= and data= as keywords, got {show(args)}",
            "args",
            args,
        )
    unknown = sorted(k for k in kwargs if k not in _TRIGGER_KEYWORDS)
    if unknown:
        raise ArgumentError(
            f"event {event!r} takes the keywords actor=, at= and data=, not {', '.join(unknown)}",
            unknown[0],
            kwargs[unknown[0]],
        )
    actor, at, data = kwargs.get("actor"), kwargs.get("at"), kwargs.get("data")
    if actor is not None and not isinstance(actor, str):
        raise TransitionError(
            status, event, (), f"actor must be a string or None, got {show(actor)}"
        )
    if at is not None:
        check_aware(at, "at")
    if data is not None and not isinstance(data, Mapping):
        raise EventDataError(status, event, f"data must be a mapping or None, got {show(data)}")
    return Context(event, at, actor, data)


def _view(event_data: EventData) -> TicketView:
    model = event_data.model
    return TicketView(
        event_data.state.name,
        getattr(model, "sub_status", None),
        freeze_attrs(getattr(model, "attrs", None)),
    )


@frozen
class _Rule:
    """The condition of one transition on a machine: the trigger's keywords, its roles,
    then its guard."""

    transition: Transition

    def __call__(self, event_data: EventData) -> bool:
        t = self.transition
        ctx = _context(event_data)
        if not t.permits(ctx.actor):
            return False
        guard: Callable[[Any, Context], object] | None = t.guard
        return guard is None or bool(guard(_view(event_data), ctx))


@frozen
class _SetAttrs:
    """The ``before`` callback of a transition that sets attributes: ``model.attrs`` is
    replaced, or the event refused (and nothing changed) as the engine refuses it."""

    transition: Transition
    workflow: str

    def __call__(self, event_data: EventData) -> None:
        view = _view(event_data)
        ctx = _context(event_data)
        # set_attrs reads a ticket's status and attrs, which a TicketView has
        attrs = _changes.set_attrs(self.transition, cast(Ticket, view), ctx, self.workflow)
        setattr(event_data.model, "attrs", attrs)  # noqa: B010 - the model is the caller's object


def machine_config(wf: Workflow) -> dict[str, Any]:
    """Keyword arguments for ``transitions.Machine(model, **config)`` that play ``wf``'s rules.

    Triggers take ``actor=``, ``at=`` and ``data=``
    (``model.trigger("assign", actor="agent")`` or ``model.assign(actor="agent")``);
    a transition is taken when the actor's role may send it and its guard
    accepts, candidates tried in the engine's order. A refused trigger
    returns False; one with no transition from the model's state raises
    ``transitions.MachineError`` (or returns False with
    ``ignore_invalid_triggers=True``). Guards see a :class:`TicketView` of
    the model; a transition that sets attributes replaces ``model.attrs``.
    The config asks for ``send_event=True`` and no automatic ``to_<state>``
    events. Timers, SLAs, effects and ``sub_status`` are not played.

    Raises:
        ArgumentError: when ``wf`` is not a Workflow.

    >>> import ticketflow as tf
    >>> wf = tf.Workflow(name="mini", statuses=[tf.Status("new", category="new", initial=True),
    ...     tf.Status("done", category="closed", terminal=True)],
    ...     transitions=[tf.Transition("close", source="new", target="done", roles={"agent"})])
    >>> from types import SimpleNamespace
    >>> from transitions import Machine
    >>> case = SimpleNamespace()
    >>> _ = Machine(case, **machine_config(wf))
    >>> case.close(actor="customer"), case.state
    (False, 'new')
    >>> case.close(actor="agent"), case.state
    (True, 'done')
    """
    if not isinstance(wf, Workflow):
        raise ArgumentError(f"expected a Workflow, got {show(wf)}", "wf", wf)
    by_name = {s.name: s for s in wf.statuses}
    terminal = frozenset(s.name for s in wf.statuses if s.terminal)
    transitions: list[dict[str, Any]] = []
    # guarded candidates first, in definition order, as the engine tries them
    for t in sorted(wf.transitions, key=lambda t: t.guard is None):
        entry: dict[str, Any] = {
            "trigger": t.event,
            "source": expand_sources(t.source, by_name, terminal),
            "dest": t.target,
            "conditions": [_Rule(t)],
        }
        if t.set_attrs is not None:
            entry["before"] = [_SetAttrs(t, wf.name)]
        transitions.append(entry)
    return {
        # ignore_invalid_triggers=None defers to the machine's own setting; without the key,
        # pytransitions would write the first machine's setting into these dicts
        "states": [
            {"name": s.name, "final": s.terminal, "ignore_invalid_triggers": None}
            for s in wf.statuses
        ],
        "initial": wf.initial,
        "transitions": transitions,
        "send_event": True,
        "auto_transitions": False,
        "name": wf.name,
    }


# --- from a machine to a workflow ------------------------------------------------------


@add_state_features(Timeout)
class _Reader(Machine):
    """Builds a machine from a config to read it: no model is bound, so no timer starts."""


@frozen
class _AllOf:
    """The guard of a transition with several conditions: all of ``accept`` accept and
    none of ``refuse`` does."""

    accept: tuple[Guard, ...]
    refuse: tuple[Guard, ...]
    __name__: str

    def __call__(self, ticket: Ticket, ctx: Context) -> bool:
        return all(g(ticket, ctx) for g in self.accept) and not any(
            g(ticket, ctx) for g in self.refuse
        )


def _unregistered(ticket: Ticket, ctx: Context) -> bool:  # pragma: no cover - never run
    """Stands for a condition the registry lacks while the rest is checked."""
    return False


def _machine(source: object) -> Machine:
    """``source`` if it is a machine, else the machine its config builds."""
    if isinstance(source, Machine):
        return source
    if not isinstance(source, Mapping):
        raise ArgumentError(
            f"expected a transitions.Machine or its config mapping, got {show(source)}",
            "machine_or_config",
            source,
        )
    nested = [
        show(s.get("name"))
        for s in source.get("states") or ()
        if isinstance(s, Mapping) and ("children" in s or "states" in s)
    ]
    if nested:
        raise BridgeError(
            [
                f"state {n} has nested states: hierarchical machines cannot be carried over"
                for n in nested
            ]
        )
    config = {k: v for k, v in source.items() if k != "model"}
    unknown = [k for k in config if k not in _MACHINE_KEYWORDS]
    if unknown:
        raise BridgeError([f"config key {show(k)} is not a Machine argument" for k in unknown])
    try:
        return _Reader(model=None, **config)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise BridgeError([f"the config does not build a machine: {exc}"]) from None


def _machine_name(machine: Machine, name: str | None) -> str | None:
    """``name``, else the machine's own name (None when it has none)."""
    if name is not None:
        return name
    prefix: str = machine.name  # pytransitions keeps "name: " as a log prefix
    return prefix.removesuffix(": ") or None


def _auto_events(machine: Machine) -> frozenset[str]:
    if not machine.auto_transitions:
        return frozenset()
    attr = machine.model_attribute
    prefix = "to_" if attr == "state" else f"to_{attr}_"
    return frozenset(prefix + s for s in machine.states)


def _callback_problems(machine: Machine) -> Iterator[str]:
    for attr in _MACHINE_CALLBACKS:
        found = getattr(machine, attr)
        if found:
            yield (
                f"machine callback {attr}={show(found)} cannot be carried over "
                "(the engine returns steps and effects for the caller to act on)"
            )
    for state in machine.states.values():
        for attr in ("on_enter", "on_exit"):
            found = getattr(state, attr)
            if found:
                yield f"state {state.name!r}: {attr}={show(found)} cannot be carried over"


def _statuses(machine: Machine, categories: Mapping[str, str], problems: Problems) -> list[Status]:
    for name in categories:
        if name not in machine.states:
            problems.add(f"categories names {show(name)}, which is not a state of the machine")
    out: list[Status] = []
    for state in machine.states.values():
        name = state.name
        initial = name == machine.initial
        final = bool(getattr(state, "final", False))
        category = categories.get(name, "new" if initial else "closed" if final else "open")
        if not isinstance(category, str):
            problems.add(f"categories[{name!r}] must be a category name, got {show(category)}")
            category = "open"
        out.append(Status(name, category=category, initial=initial, terminal=final))
    return out


def _timers(machine: Machine, events: frozenset[str], problems: Problems) -> list[Timer]:
    out: list[Timer] = []
    for state in machine.states.values():
        seconds = getattr(state, "timeout", 0)
        if not isinstance(state, Timeout) or not seconds:
            continue
        found = state.on_timeout
        if len(found) != 1 or not isinstance(found[0], str) or found[0] not in events:
            problems.add(
                f"state {state.name!r}: on_timeout={show(found)} must name one event of the "
                "machine (a ticketflow timer sends an event)"
            )
            continue
        out.append(Timer(state.name, after=timedelta(seconds=seconds), event=found[0]))
    return out


def _condition_name(func: object) -> str | None:
    if isinstance(func, str):
        return func
    name = getattr(func, "__name__", None)
    return name if isinstance(name, str) else None


class _Carrier:
    """Turns a machine's transitions into ticketflow transitions, noting each problem."""

    def __init__(self, registry: Mapping[str, object], problems: Problems) -> None:
        self.registry = registry
        self.problems = problems
        self.guards: dict[tuple[object, ...], Guard | None] = {}

    def carry(self, event: str, state: str, tr: Any) -> tuple[object, Transition]:
        """A merge key and the ticketflow transition of pytransitions transition ``tr``."""
        rule = self._rule(tr)
        if rule is not None:
            return ("rule", id(rule.transition), tr.dest), evolve(rule.transition, source=(state,))
        where = f"transition {event!r} from {state!r}"
        for attr in ("prepare", "before", "after"):
            found = getattr(tr, attr)
            if found:
                self.problems.add(f"{where}: {attr}={show(found)} cannot be carried over")
        conds = tuple((_condition_name(c.func), bool(c.target), c.func) for c in tr.conditions)
        key = ("plain", event, tr.dest, tuple((n, t) for n, t, _ in conds))
        if key not in self.guards:  # one guard (and one problem) for all its sources
            self.guards[key] = self._guard(f"transition {event!r}", conds)
        return key, Transition(event, source=(state,), target=tr.dest, guard=self.guards[key])

    @staticmethod
    def _rule(tr: Any) -> _Rule | None:
        """The rule of a transition :func:`machine_config` wrote, if ``tr`` is one unchanged."""
        conds = tr.conditions
        if len(conds) != 1 or not isinstance(conds[0].func, _Rule) or not conds[0].target:
            return None
        rule: _Rule = conds[0].func
        t = rule.transition
        unchanged = (
            not tr.prepare
            and not tr.after
            and tr.dest == t.target
            and len(tr.before) == (0 if t.set_attrs is None else 1)
            and all(isinstance(cb, _SetAttrs) and cb.transition is t for cb in tr.before)
        )
        return rule if unchanged else None

    def _guard(self, where: str, conds: Sequence[tuple[str | None, bool, object]]) -> Guard | None:
        accept: list[Guard] = []
        refuse: list[Guard] = []
        names: list[str] = []
        for name, target, func in conds:
            guard = self.registry.get(name) if name is not None else None
            if not callable(guard):
                kind = "condition" if target else "unless"
                named = show(name) if name is not None else show(func)
                self.problems.add(
                    f"{where}: {kind} {named} is not in the registry "
                    "(register a (ticket, context) guard under its name)"
                )
                guard = _unregistered
            (accept if target else refuse).append(cast(Guard, guard))
            names.append(f"{name}" if target else f"not {name}")
        if not names:
            return None
        if len(accept) == 1 and not refuse:
            return accept[0]
        return _AllOf(tuple(accept), tuple(refuse), " and ".join(names))


def _transitions(machine: Machine, carrier: _Carrier, skip: frozenset[str]) -> list[Transition]:
    out: list[Transition] = []
    for event, ev in machine.events.items():
        if event in skip:
            continue
        entries: list[tuple[object, str, Transition]] = []
        for state, listed in ev.transitions.items():
            for i, tr in enumerate(listed):
                if i and not listed[i - 1].conditions:
                    carrier.problems.add(
                        f"transition {event!r} from {state!r} to {tr.dest!r} is never taken: "
                        "an unconditional one comes before it"
                    )
                    continue
                key, t = carrier.carry(event, state, tr)
                entries.append((key, state, t))
        out.extend(_merged(entries))
    return out


def _merged(entries: list[tuple[object, str, Transition]]) -> list[Transition]:
    """One transition per key with all its sources, when that keeps every state's
    candidate order; otherwise one per state."""
    groups: dict[object, tuple[Transition, list[str]]] = {}
    for key, state, t in entries:
        groups.setdefault(key, (t, []))[1].append(state)
    rank = {key: i for i, key in enumerate(groups)}
    last: dict[str, int] = {}
    for key, state, _ in entries:
        if last.get(state, -1) > rank[key]:
            return [t for _, _, t in entries]
        last[state] = rank[key]
    return [evolve(t, source=tuple(states)) for t, states in groups.values()]


def from_machine(
    machine_or_config: object,
    *,
    categories: Mapping[str, str] | None = None,
    registry: Mapping[str, object] | None = None,
    name: str | None = None,
) -> Workflow:
    """A Workflow that behaves as a pytransitions machine (or its config) does.

    States become statuses (``categories`` maps a state to its category;
    by default the initial state is ``new``, ``final`` states are
    ``closed`` and terminal, the rest ``open``); transitions keep their
    order, ``dest=None`` becomes an internal transition; conditions and
    ``unless`` name guards in ``registry`` (a string, or a callable's
    ``__name__``); a ``Timeout`` state's ``timeout`` and ``on_timeout``
    become a timer. Automatic ``to_<state>`` events are left out.
    Transitions written by :func:`machine_config` come back as they were.

    Raises:
        BridgeError: listing every problem: callbacks (``prepare``,
            ``before``, ``after``, ``on_enter``, machine callbacks),
            conditions the registry lacks, transitions shadowed by an
            unconditional one, a ``Timeout`` whose ``on_timeout`` is not one
            event, nested machines, and whatever the workflow's own checks find.
        ArgumentError: when ``machine_or_config`` is neither a machine nor a mapping.
    """
    if categories is not None and not isinstance(categories, Mapping):
        raise ArgumentError(
            f"categories must be a mapping, got {show(categories)}", "categories", categories
        )
    if registry is not None and not isinstance(registry, Mapping):
        raise ArgumentError(
            f"registry must be a mapping, got {show(registry)}", "registry", registry
        )
    machine = _machine(machine_or_config)
    if isinstance(machine, HierarchicalMachine):
        raise BridgeError(["hierarchical (nested) machines cannot be carried over"])
    wf_name = _machine_name(machine, name)
    problems = Problems()
    for p in _callback_problems(machine):
        problems.add(p)
    statuses = _statuses(machine, categories or {}, problems)
    skip = _auto_events(machine)
    transitions = _transitions(machine, _Carrier(registry or {}, problems), skip)
    timers = _timers(machine, frozenset(machine.events) - skip, problems)
    wf: Workflow | None = None
    try:
        wf = Workflow(
            name=wf_name or "machine", statuses=statuses, transitions=transitions, timers=timers
        )
    except WorkflowError as exc:
        # past MAX_PROBLEMS its last line counts the rest: count them here too
        shown = exc.problems if len(exc.problems) == exc.total else exc.problems[:-1]
        for p in shown:
            problems.add(p)
        problems.total += exc.total - len(shown)
    if wf is None or problems:
        listed = list(problems.listed)
        if problems.total > len(listed):
            listed.append(f"... and {problems.total - len(listed)} more problem(s)")
        raise BridgeError(listed, wf_name, total=problems.total)
    return wf
