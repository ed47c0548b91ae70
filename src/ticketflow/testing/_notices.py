"""The state machine's record of SLA warnings and escalations, and their invariants.

Theory of operation: notices are sent only while a ticket catches up (the
part of ``apply`` before the event, or ``advance``), so the catch-up of each
call is played again one due item at a time (``advance`` with
``max_steps=1``), which gives the ticket just before each notice. That
ticket says which cycle of the clock the notice belongs to (how many cycles
had finished) and whether the clock was counting. Within a cycle each
warning level is seen at most once, and escalations come as levels 1, 2,
... in order. The notices of the call must be those of the replay, in the
same order: batching never changes what is sent. A clock that disappears
(its attributes stopped matching) forgets its cycles: if it comes back it
starts afresh.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ticketflow import StepLimitError, Workflow
from ticketflow._ticket import Effect, Outcome, Ticket

__all__ = ["NOTICE_KINDS", "Notices"]

#: The effects this record follows.
NOTICE_KINDS = ("sla_warning", "sla_escalation")

#: A broken promise: (invariant, detail).
Failure = tuple[str, str]

# more single-item catch-up calls than this in one replay is a runaway
_MAX_REPLAY = 100_000


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _notices(effects: tuple[Effect, ...]) -> list[Effect]:
    return [e for e in effects if e.kind in NOTICE_KINDS]


class Notices:
    """Warnings and escalations seen so far, per clock and cycle."""

    def __init__(self) -> None:
        # clock name -> cycle number -> (warning levels seen, escalations seen)
        self.seen: dict[str, dict[int, tuple[frozenset[int], int]]] = {}

    def check(
        self, wf: Workflow, before: Ticket, out: Outcome, at: datetime, *, complete: bool
    ) -> Failure | None:
        """Record the notices of ``out`` (a call at ``at`` on ``before``) and check them.

        ``complete`` is False for an outcome cut short at the engine's step
        limit: its notices are then the first ones of the replay.
        """
        for name in list(self.seen):
            if out.ticket.sla_state(name) is None:
                del self.seen[name]  # dropped: if it comes back, it starts afresh
        got = _notices(out.effects)
        ticket, replayed = before, 0
        for _ in range(_MAX_REPLAY):
            if replayed >= len(got) and not complete:
                return None
            try:
                step, done = wf.advance(ticket, now=at, max_steps=1), True
            except StepLimitError as stop:
                if not isinstance(stop.outcome, Outcome):  # pragma: no cover - always set
                    raise
                step, done = stop.outcome, False
            for e in _notices(step.effects):
                if replayed >= len(got) or got[replayed] != e:
                    return (
                        "SLA notices do not depend on batching",
                        f"the call sent {got[replayed : replayed + 1] or 'nothing'} where "
                        f"catching up one item at a time sends {e}",
                    )
                replayed += 1
                failure = self._one(e, ticket)
                if failure is not None:
                    return failure
            if done:
                break
            ticket = step.ticket
        if replayed != len(got):
            return (
                "SLA notices do not depend on batching",
                f"the call sent {got[replayed:]}, which catching up one item at a time does not",
            )
        return None

    def _one(self, e: Effect, ticket: Ticket) -> Failure | None:
        """Check notice ``e``, sent by ``ticket`` (the snapshot just before it)."""
        data = e.data or {}
        level, at = data.get("level"), e.at
        mark = data.get("due_at" if e.kind == "sla_warning" else "breached_at")
        if not isinstance(level, int) or at is None or not isinstance(mark, datetime):
            return ("SLA notices carry their level", f"{e} lacks its level or instant")
        return _timing(e, level, at, mark) or self._count(e, level, at, ticket)

    def _count(self, e: Effect, level: int, at: datetime, ticket: Ticket) -> Failure | None:
        """Check that notice ``e`` fired while its clock counted, once in its cycle."""
        name, warning = str(e.name), e.kind == "sla_warning"
        st = ticket.sla_state(name)
        counting = st is not None and st.running_since is not None and not st.stopped
        if st is None or not counting or st.breached == warning:
            return (
                "SLA notices never fire while paused",
                f"{e.kind} {level} of {name!r} fired at {at.isoformat()}, when its clock was "
                f"{'absent' if st is None else st.state}",
            )
        cycles = self.seen.setdefault(name, {})
        cycle = len(st.cycles)
        warned, escalated = cycles.get(cycle, (frozenset(), 0))
        if warning:
            if level in warned:
                return (
                    "SLA notices fire once per cycle",
                    f"warning {level} of {name!r} fired twice in cycle {cycle + 1} "
                    f"(again at {at.isoformat()})",
                )
            warned |= {level}
        elif level != escalated + 1:
            return (
                "SLA escalations come in order, once per cycle",
                f"escalation {level} of {name!r} at {at.isoformat()} came after {escalated} "
                f"escalation(s) in cycle {cycle + 1}",
            )
        else:
            escalated = level
        cycles[cycle] = (warned, escalated)
        return None


def _timing(e: Effect, level: int, at: datetime, mark: datetime) -> Failure | None:
    """A warning comes before its due time, an escalation after its breach."""
    if e.kind == "sla_warning" and _utc(at) >= _utc(mark):
        return (
            "SLA warnings come before their breach",
            f"warning {level} of {e.name!r} at {at.isoformat()} is not before its due time "
            f"{mark.isoformat()}",
        )
    if e.kind == "sla_escalation" and _utc(at) <= _utc(mark):
        return (
            "SLA escalations come after the breach",
            f"escalation {level} of {e.name!r} at {at.isoformat()} is not after the breach "
            f"at {mark.isoformat()}",
        )
    return None
