"""What happens to a ticket that nobody touches: timed exits and resting statuses.

Theory of operation: only timers move a ticket without a person acting, and a
timer fires an ordinary event as the ``system`` role. So for every status we
look up, in the workflow's own transition table, what each armed timer's event
does when ``system`` sends it there: which status it leads to, whether a guard
may refuse it, whether it only restarts the status's timers. A status is a
*resting* status (a ticket can sit in it forever) when no timer leaves it for
sure: it has no timer, or every timed exit is guarded, or its timers only act
in place. Following the first certain timed exit from each status gives the
path a ticket takes if nobody acts, which ends in a resting status or loops.

This module needs nothing beyond ticketflow itself (no hypothesis).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from attrs import field, frozen

from ticketflow import BusinessCalendar, Duration, Status, Timer, Transition, Workflow
from ticketflow._durations import describe
from ticketflow.testing._errors import KitArgumentError, brief

__all__ = ["LivenessReport", "StatusLiveness", "TimedExit", "check_liveness"]

#: How many status names the error for an unknown status lists before "...".
_LISTED_STATUSES = 20


@frozen
class TimedExit:
    """What one timer does to a ticket left alone in a status.

    Attributes:
        event: The event the timer sends (as ``system``).
        after: How long after entering the status it fires (None for a
            timer whose deadline the ticket carries).
        target: The status it leads to; None when the event keeps the status.
        guarded: Only guarded transitions take it, so it may be refused
            (then the timer is spent and the ticket stays until someone
            acts).
        restarts: The event keeps the status but restarts its timers, so it
            fires again and again.
        calendar: ``"workflow"`` (the workflow's calendar, ``ALWAYS_OPEN``
            when it names none), ``"timer"`` (the timer's own) or
            ``"per ticket"`` (a callable choosing one from the attributes).
        reminders: How many reminders it declares.
        at: The attribute holding its deadline, for a timer declared with
            ``at=`` (then ``after`` is None).
    """

    event: str
    after: Duration | timedelta | None
    target: str | None
    guarded: bool
    restarts: bool
    calendar: str
    reminders: int
    at: str | None = None

    @property
    def leaves(self) -> bool:
        """True when firing certainly moves the ticket to another status."""
        return self.target is not None and not self.guarded

    def __str__(self) -> str:
        where = self.target if self.target is not None else "(stays)"
        extra = []
        if self.guarded:
            extra.append("if its guard allows")
        if self.restarts:
            extra.append("restarting its timers")
        if self.calendar != "workflow":
            extra.append(f"{self.calendar} calendar")
        tail = f" [{', '.join(extra)}]" if extra else ""
        when = f"at {self.at}" if self.after is None else f"after {describe(self.after)}"
        return f"{when}: {self.event} -> {where}{tail}"


@frozen
class StatusLiveness:
    """What happens to a ticket left alone in one status.

    Attributes:
        status: The status.
        category: Its category.
        terminal: The status is terminal (resting there is by design).
        exits: Its timers, in definition order.
        rests: A ticket can sit here forever if nobody acts.
        loops: The path comes back to a status it already passed (timers
            move the ticket round for ever).
        last: The path's last status: where the ticket rests, or, when it
            loops, the status it comes back to.
        length: How many statuses the path names.
    """

    status: str
    category: str
    terminal: bool
    exits: tuple[TimedExit, ...]
    rests: bool
    loops: bool
    last: str
    length: int
    # the first certain timed exit of every status, shared by the whole report
    _successor: Mapping[str, str | None] = field(
        alias="successor", eq=False, repr=False, factory=dict
    )

    @property
    def path(self) -> tuple[str, ...]:
        """The statuses a ticket left alone passes through from here, this one first.

        It follows the first certain timed exit of each status, and stops at a
        resting status or at the first status it comes back to. Built when
        asked for, so a report costs memory in proportion to the workflow, not
        to the sum of every path's length.
        """
        path = [self.status]
        seen = {self.status}
        nxt = self._successor.get(self.status)
        while nxt is not None:
            path.append(nxt)
            if nxt in seen:
                break
            seen.add(nxt)
            nxt = self._successor.get(nxt)
        return tuple(path)

    @property
    def ends_in(self) -> str | None:
        """Where a ticket left alone here comes to rest, or None when it loops."""
        return None if self.loops else self.last

    def describe_path(self, most: int = 8) -> str:
        """The path as ``a -> b -> c``, its middle elided past ``most`` statuses."""
        if self.length <= most:
            return " -> ".join(self.path)
        head: list[str] = []
        nxt: str | None = self.status
        while nxt is not None and len(head) < most - 1:
            head.append(nxt)
            nxt = self._successor.get(nxt)
        skipped = self.length - len(head) - 1
        return f"{' -> '.join(head)} -> ... ({skipped} more) -> {self.last}"


@frozen
class LivenessReport:
    """For every status: where timers take an idle ticket, and where it rests.

    Attributes:
        workflow: The workflow's name.
        statuses: One entry per status, in definition order.
    """

    workflow: str
    statuses: tuple[StatusLiveness, ...]

    def status(self, name: str) -> StatusLiveness:
        """The entry for status ``name``.

        Raises:
            KitArgumentError: naming ``name`` when the workflow has no such status.
        """
        for entry in self.statuses:
            if entry.status == name:
                return entry
        known = ", ".join(s.status for s in self.statuses[:_LISTED_STATUSES])
        more = ", ..." if len(self.statuses) > _LISTED_STATUSES else ""
        raise KitArgumentError(
            "name",
            name,
            f"workflow {self.workflow!r} has no status {name!r} (it has: {known}{more})",
        )

    @property
    def resting(self) -> tuple[str, ...]:
        """Every status a ticket can sit in forever if nobody acts (terminal ones too)."""
        return tuple(s.status for s in self.statuses if s.rests)

    @property
    def stuck(self) -> tuple[str, ...]:
        """Non-terminal statuses a ticket can sit in forever: where work may be forgotten."""
        return tuple(s.status for s in self.statuses if s.rests and not s.terminal)

    @property
    def loops(self) -> tuple[str, ...]:
        """Statuses from which timers alone move an idle ticket round in a cycle."""
        return tuple(s.status for s in self.statuses if s.loops)

    def __str__(self) -> str:
        lines = [f"liveness of workflow {self.workflow!r}:"]
        for s in self.statuses:
            kind = "terminal" if s.terminal else s.category
            if s.rests:
                fate = "rests here forever if nobody acts"
            elif s.loops:
                fate = "timers move it round for ever: " + s.describe_path()
            else:
                fate = "left alone it ends in " + s.describe_path()
            lines.append(f"  {s.status} ({kind}): {fate}")
            lines.extend(f"    {e}" for e in s.exits)
        lines.append(f"  can sit forever in: {', '.join(self.resting) or '(none)'}")
        if self.stuck:
            lines.append(
                f"  non-terminal statuses with no certain timed exit: {', '.join(self.stuck)}"
            )
        return "\n".join(lines)


def _calendar_kind(wf: Workflow, timer: Timer) -> str:
    if timer.calendar is None:
        return "workflow"
    if not isinstance(timer.calendar, BusinessCalendar):
        return "per ticket"
    return "timer"


def _exit(
    wf: Workflow, status: Status, timer: Timer, by_event: dict[str, list[Transition]]
) -> TimedExit:
    cands: list[Transition] = [
        t
        for t in by_event.get(timer.event, ())
        if (status.name in t.source or ("*" in t.source and not status.terminal))
        and t.permits("system")
    ]
    # the engine tries guarded candidates first, then the unguarded fallback
    unguarded = next((t for t in cands if t.guard is None), None)
    chosen = unguarded if unguarded is not None else (cands[0] if cands else None)
    target = None if chosen is None else chosen.target
    if target == status.name:
        target = None
    guarded = unguarded is None
    return TimedExit(
        event=timer.event,
        after=timer.after,
        target=target,
        guarded=guarded,
        restarts=chosen is not None and chosen.target is None and chosen.restarts_timers,
        calendar=_calendar_kind(wf, timer),
        reminders=len(timer.reminders) + len(timer.remind_before),
        at=timer.at,
    )


def check_liveness(workflow: Workflow) -> LivenessReport:
    """Report, for every status, what timers do to a ticket nobody touches.

    Each status lists its timers (event, delay, where it leads), whether a
    ticket can sit in it forever, and the path an idle ticket follows from
    it. ``report.stuck`` names the non-terminal statuses with no certain
    timed exit, where a forgotten ticket waits for ever. The cost grows with
    the size of the workflow's tables (and the paths' total length), not
    with the product of statuses, transitions and timers.

    Raises:
        KitArgumentError: when ``workflow`` is not a :class:`~ticketflow.Workflow`.

    Examples:
        >>> import ticketflow as tf
        >>> wf = tf.Workflow(
        ...     name="w",
        ...     statuses=[tf.Status("open", initial=True),
        ...               tf.Status("done", category="closed", terminal=True)],
        ...     transitions=[tf.Transition("expire", source="open", target="done")],
        ...     timers=[tf.Timer("open", after=tf.days(3), event="expire")],
        ... )
        >>> check_liveness(wf).status("open").path
        ('open', 'done')
    """
    if not isinstance(workflow, Workflow):
        raise KitArgumentError(
            "workflow", workflow, f"workflow={brief(workflow)} must be a ticketflow.Workflow"
        )
    # one pass over the table: transitions by event, timers by status
    by_event: dict[str, list[Transition]] = {}
    for t in workflow.transitions:
        by_event.setdefault(t.event, []).append(t)
    timers: dict[str, list[Timer]] = {}
    for tm in workflow.timers:
        timers.setdefault(tm.status, []).append(tm)
    exits: dict[str, tuple[TimedExit, ...]] = {
        s.name: tuple(_exit(workflow, s, tm, by_event) for tm in timers.get(s.name, ()))
        for s in workflow.statuses
    }
    first_exit: dict[str, str | None] = {
        name: next((e.target for e in found if e.leaves), None) for name, found in exits.items()
    }
    ends = _ends(first_exit)
    entries = [
        StatusLiveness(
            status=s.name,
            category=s.category,
            terminal=s.terminal,
            exits=exits[s.name],
            rests=first_exit[s.name] is None,
            loops=ends[s.name][2],
            last=ends[s.name][0],
            length=ends[s.name][1],
            successor=first_exit,
        )
        for s in workflow.statuses
    ]
    return LivenessReport(workflow.name, tuple(entries))


def _ends(successor: Mapping[str, str | None]) -> dict[str, tuple[str, int, bool]]:
    """``(last, length, loops)`` of every status's path, in one pass over the statuses.

    Each status has at most one successor, so the paths form chains that end
    at a resting status or run into a cycle; every status is walked once.
    """
    done: dict[str, tuple[str, int, bool]] = {}
    for origin in successor:
        stack: list[str] = []
        on_stack: dict[str, int] = {}
        node: str | None = origin
        while node is not None and node not in done and node not in on_stack:
            on_stack[node] = len(stack)
            stack.append(node)
            node = successor.get(node)
        if node is None:  # the chain ends at a resting status: the top of the stack
            rest = stack[-1]
            done[rest] = (rest, 1, False)
            stack.pop()
            below = done[rest]
        elif node in on_stack:  # the chain runs into a cycle: its members come back to themselves
            start = on_stack[node]
            cycle = len(stack) - start
            for member in stack[start:]:
                done[member] = (member, cycle + 1, True)
            del stack[start:]
            below = (node, cycle + 1, True)
            # a status before the cycle ends at the cycle's entry, one step further each
            for offset, name in enumerate(reversed(stack), start=1):
                done[name] = (node, offset + cycle + 1, True)
            continue
        else:
            below = done[node]
        for name in reversed(stack):
            below = (below[0], below[1] + 1, below[2])
            done[name] = below
    return done
