"""A hypothesis state machine that drives one ticket through a workflow.

Theory of operation: :func:`workflow_state_machine` builds a
``RuleBasedStateMachine`` subclass for one workflow. Each run starts a ticket
(or adopts one that has sat in a random status since a past instant), then
mixes these rules: send a random event as a random role (known or
unknown, allowed or not) after a random pause; send an event some role may
send now; and let time pass and call ``advance``. Events that set attributes
carry data for them, with aware datetimes (before or after the event) for the
attributes ``at=`` timers read. Every engine call is checked
against the engine's promises (the built-in invariants below) with the state
before and after in hand, and the user's invariants run on every snapshot.
A broken promise raises :class:`InvariantFailed` (an ``AssertionError``)
naming the invariant; any other exception (a guard that crashes, say) keeps
its own type and gains a note saying what the engine was doing. Hypothesis
then shrinks the run to the shortest sequence of steps that still fails.

Built-in invariants:

* the version strictly grows with each accepted call, by at least one per
  step, reminder, SLA warning, breach and escalation;
* time never goes back (updates, steps and effects never precede the last
  change nor follow the call's time);
* the status is always one of the workflow's;
* after ``advance(now)`` nothing is overdue;
* reminders come before their deadline, never twice, and a timer that fires
  has sent every reminder it declares;
* SLA warnings come before their breach and escalations after it, neither
  fires while its clock is paused, each warning level fires at most once per
  cycle, and escalations come as levels 1, 2, ... in order;
* SLA elapsed time never decreases for a clock that persists (a
  ``restart_on`` event starts a clock afresh, and a name that changed
  attributes drop may start anew later with nothing elapsed);
* a terminal status is never left;
* a rejected event raises a ``TransitionError`` and changes nothing, and an
  event ``allowed()`` lists is accepted;
* ``to_dict``/``from_dict`` round-trips through JSON;
* ``replay`` of the accepted log gives the same ticket.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import islice
from typing import Any, ClassVar, TypeAlias

try:
    from hypothesis import strategies as st
    from hypothesis.stateful import (
        RuleBasedStateMachine,
        initialize,
        invariant,
        precondition,
        rule,
    )
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "ticketflow.testing needs hypothesis; install the testing extra: "
        "pip install 'ticketflow[testing]'"
    ) from exc

from ticketflow import (
    MIN_INSTANT,
    EventDataError,
    Outcome,
    OutOfOrderError,
    StepLimitError,
    Ticket,
    TransitionError,
    Workflow,
)
from ticketflow.testing._errors import brief
from ticketflow.testing._notices import NOTICE_KINDS, Notices
from ticketflow.testing._strategies import (
    LAST_INSTANT,
    KitArgumentError,
    attrs_for,
    aware_datetimes,
    check_strategy,
    check_workflow,
    data_for,
    deadlines_near,
    direct_pairs,
    drawn_attrs,
    drawn_data,
    drawn_instant,
    gaps,
    roles_of,
    timer_events,
)

__all__ = ["Invariant", "InvariantFailed", "WorkflowMachine", "workflow_state_machine"]

#: A user invariant: called with the workflow and every new ticket snapshot;
#: it raises (``AssertionError`` or anything else) when the ticket is wrong.
Invariant: TypeAlias = Callable[[Workflow, Ticket], None]


class InvariantFailed(AssertionError):
    """An engine promise or a user invariant did not hold.

    Attributes:
        invariant: Which one (e.g. ``"version grows"``).
        detail: What was seen.
    """

    def __init__(self, invariant: str, detail: str) -> None:
        self.invariant = invariant
        self.detail = detail
        super().__init__(f"invariant {invariant!r} failed: {detail}")


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _show(ticket: Ticket) -> str:
    return (
        f"ticket in {ticket.status!r} (version {ticket.version}, "
        f"updated {ticket.updated_at.isoformat()})"
    )


def _name(func: object) -> str:
    """A callable's name: a function's qualified name, or the class of a callable object."""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    return str(name) if name else f"{type(func).__qualname__} instance"


class WorkflowMachine(RuleBasedStateMachine):
    """Base of the machines :func:`workflow_state_machine` builds; holds the checks.

    Attributes:
        workflow: The workflow under test (a class attribute).
        user_invariants: The user's invariants (a class attribute).
        ticket: The current snapshot (None before the start rule).
        now: The machine's clock: the latest time any call was made at.
        synced: The latest time the ticket was brought up to date (an
            accepted event or ``advance``); rejected calls do not count.
        log: The accepted events, as ``Workflow.replay`` takes them.
    """

    workflow: ClassVar[Workflow]
    user_invariants: ClassVar[tuple[Invariant, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self.ticket: Ticket | None = None
        self.now: datetime = datetime.min.replace(tzinfo=UTC)
        self.synced: datetime = self.now
        #: whether the last accepted call was ``advance`` (an event may leave an item
        #: it armed due at its own instant, for the next ``advance``)
        self.advanced = False
        self.log: list[dict[str, Any]] = []
        self.reminders: Counter[tuple[str, datetime]] = Counter()
        self.seen_reminders: Counter[tuple[str, datetime, datetime, str]] = Counter()
        self.elapsed: dict[str, timedelta] = {}
        #: the status adopted into, while its timers are still the adopted arming
        self.adopted: str | None = None
        #: a ticket started and no event accepted since: it may be adopted instead
        self.fresh = False
        self.notices = Notices()

    # --- engine calls, each followed by the checks ----------------------------------------

    def do_start(self, at: datetime, attrs: Mapping[str, Any]) -> None:
        """Start the ticket and check the first snapshot."""
        wf = self.workflow
        out = self._call("start", lambda: wf.start(at=at, id="T-1", attrs=attrs))
        ticket = out.ticket
        if ticket.version != 1 or ticket.status != wf.initial:
            raise InvariantFailed(
                "start", f"a new ticket is at version {ticket.version} in {ticket.status!r}"
            )
        self.ticket = ticket
        self.now = self.synced = at
        self.log = [{"name": "start", "at": at, "data": dict(attrs), "id": "T-1"}]
        self.fresh = True
        self._read_slas(at, ())

    def do_adopt(
        self,
        status: str,
        since: datetime,
        at: datetime,
        attrs: Mapping[str, Any],
    ) -> None:
        """Adopt the ticket in ``status`` since ``since`` and check the first snapshot."""
        wf = self.workflow
        what = f"adopt({status!r}, since={since.isoformat()}, at={at.isoformat()})"
        out = self._call(what, lambda: wf.adopt(status, since=since, at=at, id="T-1", attrs=attrs))
        ticket = out.ticket
        if (ticket.version, ticket.status, ticket.updated_at, ticket.status_since) != (
            1,
            status,
            at,
            since,
        ):
            raise InvariantFailed(
                "adopt",
                f"{what} gave a ticket at version {ticket.version} in {ticket.status!r} "
                f"since {ticket.status_since.isoformat()}, updated {ticket.updated_at.isoformat()}",
            )
        if any(_utc(e.at or at) < _utc(at) for e in out.effects):
            raise InvariantFailed("time never goes back", f"{what} sent {out.effects}")
        self.ticket = ticket
        self.adopted = status
        self.fresh = self.advanced = False
        self.elapsed = {}
        self.notices = Notices()
        self.reminders.clear()
        self.seen_reminders.clear()
        self.now = self.synced = at
        data = {"status": status, "since": since, "attrs": dict(attrs)}
        self.log = [{"name": "adopt", "at": at, "data": data, "id": "T-1"}]
        self._read_slas(at, ())

    def do_apply(
        self, event: str, actor: str | None, at: datetime, data: Mapping[str, Any] | None
    ) -> None:
        """Send ``event`` as ``actor`` at ``at`` and check what comes back."""
        wf, before = self.workflow, self._ticket()
        snapshot = before.to_dict()
        what = f"{event!r} from actor {actor!r} at {at.isoformat()} to the {_show(before)}"
        expected: bool | None = None
        if data is None:
            listed = self._call(
                f"allowed(actor={actor!r}, at={at.isoformat()}) before {what}",
                lambda: wf.allowed(before, actor=actor, at=at),
            )
            expected = event in listed
        try:
            out = self._call(what, lambda: wf.apply(before, event, at=at, actor=actor, data=data))
        except StepLimitError as stop:
            # the catch-up was cut short and the event not applied: go on as a store would
            self._resume(before, stop, at)
            self.do_advance(at)
            self.do_apply(event, actor, at, data)
            return
        except TransitionError as exc:
            self._check_unchanged(before, snapshot, what)
            # allowed() sees no data: an event whose data lacks what it sets may be refused
            if expected and not isinstance(exc, EventDataError):
                raise InvariantFailed(
                    "allowed events are accepted",
                    f"allowed() listed {event!r} but apply raised {type(exc).__name__}: {exc}",
                ) from exc
            self.now = max(self.now, at, key=_utc)
            return
        if expected is False:
            raise InvariantFailed(
                "allowed events are accepted",
                f"{what} was accepted, but allowed() did not list {event!r}",
            )
        self._check_outcome(before, out, at, manual=True)
        self.log.append({"name": event, "at": at, "actor": actor, "data": data})
        self.ticket = out.ticket
        self.now = max(self.now, at, key=_utc)
        self.synced = at
        self.advanced = self.fresh = False
        self._read_slas(at, out.steps)

    def do_apply_late(self, event: str, actor: str | None, at: datetime) -> None:
        """Send an event earlier than the last change: it must raise OutOfOrderError."""
        wf, before = self.workflow, self._ticket()
        snapshot = before.to_dict()
        what = f"{event!r} at {at.isoformat()}, before the last change of the {_show(before)}"
        try:
            self._call(what, lambda: wf.apply(before, event, at=at, actor=actor))
        except OutOfOrderError:
            self._check_unchanged(before, snapshot, what)
            return
        except TransitionError as exc:
            raise InvariantFailed(
                "time never goes back", f"{what} raised {type(exc).__name__}, not OutOfOrderError"
            ) from exc
        raise InvariantFailed("time never goes back", f"{what} was accepted")

    def do_advance(self, now: datetime) -> None:
        """Let time pass to ``now``, then check that nothing is left overdue."""
        out = self._advance(now)
        what = f"advance(now={now.isoformat()})"
        nxt = out.ticket.next_deadline
        if nxt is not None and _utc(nxt) <= _utc(now):
            raise InvariantFailed(
                "nothing overdue after advance",
                f"after {what} the next deadline {nxt.isoformat()} is not after now",
            )
        self.ticket = out.ticket
        self.now = max(self.now, now, key=_utc)
        self.synced = now
        self.advanced = True
        self._read_slas(now, out.steps)

    def _advance(self, now: datetime) -> Outcome:
        """``advance(now)``, checked; a stop at the engine's step limit is resumed."""
        wf = self.workflow
        while True:
            before = self._ticket()
            what = f"advance(now={now.isoformat()}) on the {_show(before)}"
            try:
                out: Outcome = self._call(what, partial(wf.advance, before, now=now))
            except StepLimitError as stop:
                self._resume(before, stop, now)
                continue
            self._check_outcome(before, out, now, manual=False)
            return out

    def _resume(self, before: Ticket, stop: StepLimitError, at: datetime) -> None:
        """Check and keep what a call did up to the engine's step limit."""
        done = stop.outcome
        if not isinstance(done, Outcome) or done.ticket.version <= before.version:
            raise InvariantFailed(
                "version grows", f"the engine stopped at its step limit without progress: {stop}"
            )
        self._check_outcome(before, done, at, manual=False, complete=False)
        self.ticket = done.ticket

    def _at(self, when: timedelta | str) -> datetime:
        """The instant a rule acts at: a pause after the machine's clock, or the ticket's next
        deadline (or a minute before it), in the ticket's time zone."""
        ticket = self._ticket()
        now = _utc(self.now)
        if isinstance(when, timedelta):
            at = now + when if now < LAST_INSTANT - when else LAST_INSTANT
        else:
            due = ticket.next_deadline
            at = now if due is None else max(now, _utc(due))
            if when == _JUST_BEFORE_DUE and due is not None:
                at = max(now, at - timedelta(minutes=1))
        return at.astimezone(ticket.created_at.tzinfo)

    # --- checks ---------------------------------------------------------------------------------

    def adoptable(self) -> bool:
        """Whether the ticket may be swapped for an adopted one: started, then left alone
        (nothing recorded) while time passed."""
        return (
            self.fresh
            and self.ticket is not None
            and self.ticket.version == 1
            and _utc(self.now) > _utc(self.log[0]["at"])
        )

    def _ticket(self) -> Ticket:
        assert self.ticket is not None, "the start rule runs first"
        return self.ticket

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except (TransitionError, OutOfOrderError, StepLimitError):
            raise
        except InvariantFailed:
            raise
        except Exception as exc:
            exc.add_note(f"ticketflow.testing: raised while calling the engine with {what}")
            raise

    def _check_unchanged(self, before: Ticket, snapshot: dict[str, Any], what: str) -> None:
        if before.to_dict() != snapshot:
            raise InvariantFailed(
                "rejected events change nothing", f"rejecting {what} changed the ticket"
            )

    def _check_outcome(
        self, before: Ticket, out: Outcome, at: datetime, *, manual: bool, complete: bool = True
    ) -> None:
        self._check_statuses(before, out)
        self._check_reminders(out, manual=manual)
        _check_version(before, out, manual=manual)
        _check_times(before, out, at)
        failure = self.notices.check(self.workflow, before, out, at, complete=complete)
        if failure is not None:
            raise InvariantFailed(*failure)

    def _check_statuses(self, before: Ticket, out: Outcome) -> None:
        """The status is always known, and a terminal one is never left."""
        wf, after = self.workflow, out.ticket
        known = {s.name for s in wf.statuses}
        terminal = {s.name for s in wf.statuses if s.terminal}
        # the status is always known, and a terminal one is never left
        for step in out.steps:
            for status in (step.source, step.target):
                if status is not None and status not in known:
                    raise InvariantFailed("status is known", f"step {step} names {status!r}")
            if step.source in terminal and step.target != step.source:
                raise InvariantFailed(
                    "terminal status never left", f"step {step} leaves terminal {step.source!r}"
                )
        if after.status not in known:
            raise InvariantFailed("status is known", f"the ticket is in {after.status!r}")
        if before.status in terminal and after.status != before.status:
            raise InvariantFailed(
                "terminal status never left",
                f"the ticket left terminal {before.status!r} for {after.status!r}",
            )
        if out.steps and out.steps[-1].target != after.status:
            raise InvariantFailed(
                "status is known", f"the last step {out.steps[-1]} disagrees with {after.status!r}"
            )

    def _check_reminders(self, out: Outcome, *, manual: bool) -> None:
        wf = self.workflow
        for e in out.effects:
            if e.kind != "reminder":
                continue
            data = e.data or {}
            deadline, status = data.get("deadline"), data.get("status")
            if e.at is None or not isinstance(deadline, datetime):
                raise InvariantFailed("reminders before deadline", f"{e} carries no deadline")
            if _utc(e.at) >= _utc(deadline):
                raise InvariantFailed(
                    "reminders before deadline",
                    f"reminder for {e.name!r} at {e.at.isoformat()} is not before its "
                    f"deadline {deadline.isoformat()}",
                )
            key = (str(e.name), _utc(e.at), _utc(deadline), str(status))
            self.seen_reminders[key] += 1
            # several offsets of one timer may fall at the same instant; more is a repeat
            declared = sum(
                len(tm.reminders) + len(tm.remind_before)
                for tm in wf.timers
                if tm.event == e.name and tm.status == status
            )
            if self.seen_reminders[key] > max(declared, 1):
                raise InvariantFailed(
                    "reminders never twice",
                    f"reminder for {e.name!r} at {e.at.isoformat()} (deadline "
                    f"{deadline.isoformat()}) was sent {self.seen_reminders[key]} times",
                )
            self.reminders[(str(e.name), _utc(deadline))] += 1
        # a timer that fires has sent every reminder it declares
        fired = out.steps[:-1] if manual else out.steps
        restarting = {t.event for t in wf.transitions if t.restarts_timers}
        for index, step in enumerate(out.steps):
            adopted = self.adopted
            if adopted is not None and (step.target != step.source or step.event in restarting):
                self.adopted = None  # entered anew: no longer the adopted arming
            # reminders that fell before adoption, or whose deadline is read from an
            # attribute (past at entry, or moved), are skipped by design
            if index >= len(fired) or adopted == step.source:
                continue
            counts = [
                len(tm.reminders) + len(tm.remind_before)
                for tm in wf.timers
                if tm.status == step.source and tm.event == step.event and tm.at is None
            ]
            if not counts or step.actor != "system":
                continue
            sent = self.reminders[(step.event, _utc(step.at))]
            if sent < min(counts):
                raise InvariantFailed(
                    "timers send their reminders first",
                    f"timer {step.event!r} fired in {step.source!r} at {step.at.isoformat()} "
                    f"after {sent} of its {min(counts)} reminder(s): the others fell at or "
                    "after its deadline (or before entry) on its calendar and were skipped",
                )

    def _read_slas(self, now: datetime, steps: Iterable[Any]) -> None:
        wf, ticket = self.workflow, self._ticket()
        what = f"sla(now={now.isoformat()}) on the {_show(ticket)}"
        clocks = self._call(what, lambda: wf.sla(ticket, now=now))
        # sla() catches up first: a timer an event left due at its own instant fires there
        events = {s.event for s in steps} | {s.event for s in _caught_up(wf, ticket, now).steps}
        changed = bool(events & {t.event for t in wf.transitions if t.set_attrs is not None})
        elapsed: dict[str, timedelta] = {}
        for clock in clocks:
            defs = [s for s in wf.slas if s.name == clock.name]
            restart = {t if isinstance(t, str) else t.event for s in defs for t in s.restart_on}
            # a name every definition of which has a `when` may be dropped and start anew
            droppable = changed and all(s.when for s in defs)
            old = self.elapsed.get(clock.name)
            if old is not None and clock.elapsed < old and not events & restart and not droppable:
                raise InvariantFailed(
                    "SLA elapsed never decreases",
                    f"SLA {clock.name!r} went from {old} to {clock.elapsed} at {now.isoformat()}",
                )
            elapsed[clock.name] = clock.elapsed
        # a clock no longer listed was dropped: if it comes back, it starts afresh
        self.elapsed = elapsed

    def _replay(self) -> Ticket:
        """Replay the accepted log, then advance to the last sync (in chunks if need be)."""
        wf = self.workflow
        try:
            ticket = self._call("replay of the accepted log", lambda: wf.replay(self.log)).ticket
        except StepLimitError:
            # too much fell due in one call: fold the log stepwise, resuming at each stop
            first, *rest = self.log
            if first["name"] == "adopt":
                info = first["data"]
                ticket = wf.adopt(
                    info["status"],
                    since=info["since"],
                    at=first["at"],
                    id=first["id"],
                    attrs=info["attrs"],
                ).ticket
            else:
                ticket = wf.start(at=first["at"], id=first["id"], attrs=first["data"]).ticket
            for entry in rest:
                ticket = _settle(wf, ticket, entry["at"])
                ticket = wf.apply(
                    ticket, entry["name"], at=entry["at"], actor=entry["actor"], data=entry["data"]
                ).ticket
        return _settle(wf, ticket, self.synced) if self.advanced else ticket

    def check_snapshot(self) -> None:
        """Round trip, replay and the user's invariants on the current ticket."""
        ticket = self._ticket()
        wf = self.workflow
        if ticket.status not in {s.name for s in wf.statuses}:
            raise InvariantFailed("status is known", f"the ticket is in {ticket.status!r}")
        data = ticket.to_dict()
        try:
            text = json.dumps(data)
        except (TypeError, ValueError) as exc:
            raise InvariantFailed("to_dict round trip", f"to_dict() is not JSON: {exc}") from exc
        back = Ticket.from_dict(json.loads(text))
        if back != ticket or back.to_dict() != data:
            raise InvariantFailed(
                "to_dict round trip", f"from_dict(to_dict()) gave {back!r}, not {ticket!r}"
            )
        replayed = self._replay()
        if replayed.to_dict() != data:
            raise InvariantFailed(
                "replay gives the same ticket",
                f"replaying {len(self.log)} accepted event(s) (and advancing to "
                f"{self.synced.isoformat()} after an advance) gave {replayed.to_dict()}, "
                f"not {data}",
            )
        for check in self.user_invariants:
            try:
                check(wf, ticket)
            except Exception as exc:
                exc.add_note(
                    f"ticketflow.testing: user invariant {_name(check)} failed on the "
                    f"{_show(ticket)}"
                )
                raise


# the effects that record a change of their own (one version each)
_COUNTED = frozenset({"reminder", "sla_breach", *NOTICE_KINDS})


def _check_version(before: Ticket, out: Outcome, *, manual: bool) -> None:
    """The version strictly grows, by one per recorded change at least."""
    after = out.ticket
    changes = len(out.steps) + sum(e.kind in _COUNTED for e in out.effects)
    if after.version < before.version + changes or (manual and after.version <= before.version):
        raise InvariantFailed(
            "version grows",
            f"version went from {before.version} to {after.version} over "
            f"{len(out.steps)} step(s) and {changes - len(out.steps)} reminder(s)/breach(es)",
        )


def _check_times(before: Ticket, out: Outcome, at: datetime) -> None:
    """Time never goes back: updates, steps and effects fall between the last change and ``at``."""
    after = out.ticket
    low, high = _utc(before.updated_at), _utc(at)
    if _utc(after.updated_at) < low or _utc(after.updated_at) > high:
        raise InvariantFailed(
            "time never goes back",
            f"updated_at went from {before.updated_at.isoformat()} to "
            f"{after.updated_at.isoformat()} in a call at {at.isoformat()}",
        )
    if after.created_at != before.created_at or _utc(after.status_since) > _utc(after.updated_at):
        raise InvariantFailed(
            "time never goes back",
            f"created_at {after.created_at.isoformat()}, status_since "
            f"{after.status_since.isoformat()}, updated_at {after.updated_at.isoformat()}",
        )
    last = low
    stamps: list[tuple[object, datetime | None]] = [(s, s.at) for s in out.steps]
    stamps += [(e, e.at) for e in out.effects]
    for item, when in stamps:
        if when is None or not low <= _utc(when) <= high:
            raise InvariantFailed(
                "time never goes back",
                f"{item} is dated outside [{before.updated_at.isoformat()}, {at.isoformat()}]",
            )
    for step in out.steps:
        if _utc(step.at) < last:
            raise InvariantFailed("time never goes back", f"step {step} is out of order")
        last = _utc(step.at)


def _caught_up(wf: Workflow, ticket: Ticket, now: datetime) -> Outcome:
    """``advance(now)``, or what it did up to the engine's step limit."""
    try:
        return wf.advance(ticket, now=now)
    except StepLimitError as stop:
        if not isinstance(stop.outcome, Outcome):  # pragma: no cover - the engine always sets it
            raise
        return stop.outcome


def _settle(wf: Workflow, ticket: Ticket, now: datetime) -> Ticket:
    """``advance(now)``, resumed at every stop at the engine's step limit."""
    while True:
        try:
            return wf.advance(ticket, now=now).ticket
        except StepLimitError as stop:
            done = stop.outcome
            if not isinstance(done, Outcome):  # pragma: no cover - the engine always sets it
                raise
            ticket = done.ticket


def _check_invariants(invariants: object) -> tuple[Invariant, ...]:
    if isinstance(invariants, str | bytes | Mapping) or not isinstance(invariants, Iterable):
        raise KitArgumentError(
            "invariants",
            invariants,
            f"invariants={brief(invariants)} must be a sequence of callables",
        )
    out = tuple(islice(invariants, MAX_INVARIANTS + 1))
    if len(out) > MAX_INVARIANTS:
        raise KitArgumentError(
            "invariants", invariants, f"invariants holds more than {MAX_INVARIANTS} callables"
        )
    for inv in out:
        if not callable(inv):
            raise KitArgumentError(
                "invariants", inv, f"invariants holds {brief(inv)}, which is not callable"
            )
    return out


def workflow_state_machine(
    workflow: Workflow,
    invariants: Iterable[Invariant] = (),
    *,
    start: st.SearchStrategy[datetime] | None = None,
    attrs: st.SearchStrategy[Mapping[str, Any]] | None = None,
    data: st.SearchStrategy[Mapping[str, Any] | None] | None = None,
    max_gap: timedelta = timedelta(days=30),
) -> type[WorkflowMachine]:
    """A ``RuleBasedStateMachine`` that checks ``workflow`` with random tickets and events.

    Turn it into a test in one line::

        TestMyFlow = workflow_state_machine(flow).TestCase

    The machine explores as the world does: ``system`` acts only through
    timers, so an event a timer fires reaches the ticket only when time
    passes (``advance``, or the catch-up at the start of ``apply``), never
    sent directly by ``system``; and time often runs exactly to the ticket's
    next deadline, or to just before it, so timed statuses are explored.
    A run starts the ticket, or sometimes adopts it in a random status
    with a past ``since`` (and a deadline for that status's ``at=`` timer).

    Args:
        workflow: The workflow to check.
        invariants: Callables ``(workflow, ticket) -> None`` that raise when a
            ticket snapshot is wrong; run after every step (at most
            :data:`MAX_INVARIANTS`).
        start: Draws the start instant (default: any time in 2026, in
            awkward time zones too).
        attrs: Draws the ticket's attributes (default: the keys the SLAs'
            ``when`` clauses read, see :func:`~ticketflow.testing.attrs_for`).
        data: Draws event payloads (default: data for the keys the event's
            ``set_attrs`` name, see :func:`~ticketflow.testing.data_for`,
            with aware datetimes before or after the event for the
            attributes ``at=`` timers read; sometimes None, which such an
            event refuses; None for other events).
        max_gap: The longest pause between two steps (above zero, at most
            366 days).

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``), at once; or when a strategy
            given here draws a bad value (a naive or out-of-range start, attrs
            that are not a mapping, data that is not a mapping or None).
    """
    wf = check_workflow(workflow)
    checks = _check_invariants(invariants)
    given_start = check_strategy(start, "start")
    given_attrs = check_strategy(attrs, "attrs")
    given_data = check_strategy(data, "data")
    start_st = (
        _instants_of_2026()
        if given_start is None
        else given_start.map(lambda v: drawn_instant(v, "start"))
    )
    attrs_st = attrs_for(wf) if given_attrs is None else given_attrs.map(drawn_attrs)
    data_st: st.SearchStrategy[Any] | None = (
        None if given_data is None else given_data.map(drawn_data)
    )
    draws = _Draws(wf, data_st, max_gap)
    # a pause, or time running to the next deadline (or to a minute before it)
    moments: st.SearchStrategy[timedelta | str] = st.one_of(
        gaps(max_gap), st.sampled_from((_DUE, _JUST_BEFORE_DUE))
    )
    pairs = _sendable_pairs(wf)

    class Machine(WorkflowMachine):
        workflow = wf
        user_invariants = checks

        @initialize(at=start_st, attrs=attrs_st)
        def start(self, at: datetime, attrs: Mapping[str, Any]) -> None:
            self.do_start(at, attrs)

        @precondition(lambda self: self.adoptable())
        @rule(pick=st.data())
        def was_adopted(self, pick: st.DataObject) -> None:
            """Take over, instead, a ticket that has sat in some status since a past instant."""
            draws.adopt(self, pick)

        @rule(pair=st.sampled_from(pairs), when=moments, pick=st.data())
        def send(
            self,
            pair: tuple[str, str | None],
            when: timedelta | str,
            pick: st.DataObject,
        ) -> None:
            at = self._at(when)
            self.do_apply(
                pair[0], pair[1], at, pick.draw(draws.sent_data(pair[0], at), label="data")
            )

        @rule(when=moments, pick=st.data())
        def send_allowed(self, when: timedelta | str, pick: st.DataObject) -> None:
            draws.send_allowed(self, self._at(when), pick)

        @rule(when=moments)
        def wait(self, when: timedelta | str) -> None:
            self.do_advance(self._at(when))

        @rule(pair=st.sampled_from(pairs), back=st.integers(1, 600))
        def send_late(self, pair: tuple[str, str | None], back: int) -> None:
            at = _utc(self._ticket().updated_at) - timedelta(minutes=back)
            if at >= MIN_INSTANT:
                self.do_apply_late(pair[0], pair[1], at)

        @invariant()
        def snapshot_holds(self) -> None:
            if self.ticket is not None:
                self.check_snapshot()

    Machine.__name__ = Machine.__qualname__ = f"{_ident(wf.name)}Machine"
    return Machine


def _sendable_pairs(wf: Workflow) -> list[tuple[str, str | None]]:
    """Every (event, actor) pair, an unknown event too; but system never sends a timer's
    event directly."""
    roles = roles_of(wf)
    timed = timer_events(wf)
    names = [*wf.events(), "no_such_event"]
    return [(e, r) for e in names for r in roles if not (r == "system" and e in timed)]


class _Draws:
    """What the rules of one workflow's machine draw, and the rules that draw as they go."""

    def __init__(
        self, wf: Workflow, data_st: st.SearchStrategy[Any] | None, max_gap: timedelta
    ) -> None:
        self.wf = wf
        #: the user's data strategy (None: data for the keys the event sets)
        self.data_st = data_st
        self.max_gap = max_gap
        self.statuses = [s.name for s in wf.statuses]
        self.sets_attrs = {t.event for t in wf.transitions if t.set_attrs is not None}
        #: status -> the attribute its ``at=`` timer reads
        self.reads = {tm.status: tm.at for tm in wf.timers if tm.at is not None}
        terminal = {s.name for s in wf.statuses if s.terminal}
        #: (status, event) pairs that end the ticket
        self.ending = {
            (src.name, t.event)
            for t in wf.transitions
            if t.target in terminal
            for src in wf.statuses
            if src.name in t.source or ("*" in t.source and not src.terminal)
        }

    def data_of(self, event: str, at: datetime) -> st.SearchStrategy[Any]:
        if self.data_st is not None:
            return self.data_st
        return data_for(self.wf, event, at)

    def sent_data(self, event: str, at: datetime) -> st.SearchStrategy[Any]:
        """The data of an event sent at random: sometimes without the data it needs."""
        drawn = self.data_of(event, at)
        if self.data_st is None:
            drawn = st.one_of(drawn, st.none())
        return drawn

    def adopt(self, machine: WorkflowMachine, pick: st.DataObject) -> None:
        """Take over, instead, a ticket that has sat in some status since a past instant."""
        first = machine.log[0]
        at = max(first["at"], machine.now, key=_utc)
        status = pick.draw(st.sampled_from(self.statuses), label="adopted status")
        back = pick.draw(gaps(self.max_gap), label="time in that status")
        since = max(_utc(at) - back, MIN_INSTANT).astimezone(at.tzinfo)
        given = dict(first["data"])
        attr = self.reads.get(status)
        if attr is not None:
            given[attr] = pick.draw(deadlines_near(since), label=attr)
        machine.do_adopt(status, since, at, given)

    def send_allowed(self, machine: WorkflowMachine, at: datetime, pick: st.DataObject) -> None:
        """Send an event some role may send now, or let time pass when none may."""
        ticket = machine._ticket()
        allowed = machine._call(
            f"allowed(at={at.isoformat()}) for each role on the {_show(ticket)}",
            lambda: direct_pairs(self.wf, ticket, at),
        )
        # explore before ending: events that end the ticket are picked one time in four
        onward = [(e, r) for e, r in allowed if (ticket.status, e) not in self.ending]
        if onward and (len(onward) == len(allowed) or pick.draw(st.integers(0, 3)) > 0):
            allowed = onward
        if allowed:
            event, actor = pick.draw(st.sampled_from(allowed), label="event and actor")
            payload = None
            if event in self.sets_attrs:
                payload = pick.draw(self.data_of(event, at), label="data")
            machine.do_apply(event, actor, at, payload)
        else:
            machine.do_advance(at)


_DUE = "to the next deadline"
_JUST_BEFORE_DUE = "to a minute before the next deadline"
#: The most user invariants one machine takes.
MAX_INVARIANTS = 1000


def _instants_of_2026() -> st.SearchStrategy[datetime]:
    """Any minute of 2026, spread evenly over the hours of the day (working hours too).

    Drawn as a day and a minute of that day, so that every time of day is
    as likely as midnight; shrinks toward 2026-01-01 00:00 UTC.
    """
    zones = aware_datetimes(datetime(2026, 1, 1), datetime(2026, 1, 1)).map(lambda d: d.tzinfo)
    return st.builds(
        lambda day, minute, zone: (
            datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day, minutes=minute)
        ).astimezone(zone),
        st.integers(0, 364),
        st.sampled_from(range(0, 24 * 60, 5)),
        zones,
    )


def _ident(name: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in name).split()
    return "".join(w[:1].upper() + w[1:] for w in words) or "Workflow"
