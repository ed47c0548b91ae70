"""The benchmark cases: ticketflow and its peers on the same inputs.

Every family builder returns a :class:`~benchmarks._harness.Family` whose
cases return their answers, so ``tests/test_benchmarks_smoke.py`` can run each
case once and compare ticketflow with the peer where their semantics agree.
A peer that is not installed is left out with a note, never an error.

The inputs are fixed: an office in America/New_York open Monday to Friday
09:00-17:00 with US public holidays (observed days included), and tickets
that start on Monday 2 March 2026.
"""

from __future__ import annotations

import gc
import json
import statistics
import time as _time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import ticketflow as tf

from ._harness import BASELINE, Case, Family

__all__ = [
    "ADVANCE_NOW",
    "ADVANCE_TARGET",
    "BUSINESS_DAYS_N",
    "BUSINESS_HOURS_N",
    "FAMILIES",
    "HOLIDAY_YEARS",
    "NY",
    "START",
    "SUPPORT_STATUSES",
    "WORKFLOW_SIZES",
    "DueAdvance",
    "MassAdvance",
    "apply_family",
    "apply_with_timers_family",
    "business_days_family",
    "business_hours_family",
    "due_advance",
    "due_tickets",
    "elapsed_family",
    "mass_advance",
    "mass_tickets",
    "office",
    "render_due_advance",
    "render_mass_advance",
    "scaling_family",
    "scaling_workflow",
    "support_workflow",
    "us_holidays",
]

NY = ZoneInfo("America/New_York")
#: Monday 2 March 2026, 10:30 in New York: a working day, inside working hours.
START = datetime(2026, 3, 2, 10, 30, tzinfo=NY)
START_UTC = START.astimezone(UTC)
#: Years whose holidays the peers get up front (ticketflow expands years lazily).
HOLIDAY_YEARS = range(2020, 2046)
BUSINESS_DAYS_N = (5, 250, 2500)
BUSINESS_HOURS_N = (4, 40, 400)
WORKFLOW_SIZES = (6, 60, 600)


def _skipped(family: Family, peer: str, error: ImportError) -> None:
    note = f"{peer} skipped: not installed ({error})."
    family.notes.append(note)
    print(f"note: {note}")


def office() -> tf.BusinessCalendar:
    """Monday to Friday 09:00-17:00 in New York, US public holidays closed."""
    return tf.BusinessCalendar(
        timezone="America/New_York",
        hours=tf.weekdays("09:00", "17:00"),
        holidays=tf.country_holidays("US"),
    )


def us_holidays() -> list[date]:
    """The dates ticketflow's ``country_holidays("US")`` closes, over HOLIDAY_YEARS."""
    source = tf.country_holidays("US")
    return sorted(d for y in HOLIDAY_YEARS for d in source.dates(y))


# --- family 1 and 2: one event applied to a ticket -------------------------------------------

#: The support workflow's six statuses, shared with the engine tests' ``support_flow``.
SUPPORT_STATUSES = (
    tf.Status("new", category="new", initial=True),
    tf.Status("assigned", category="open"),
    tf.Status("waiting", category="pending"),
    tf.Status("on_hold", category="on_hold"),
    tf.Status("resolved", category="solved"),
    tf.Status("closed", category="closed", terminal=True),
)
STATUS_NAMES = tuple(status.name for status in SUPPORT_STATUSES)


def not_blocked(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """Guard: a ticket may be resolved unless its attrs say it is blocked."""
    return not ticket.attrs.get("blocked", False)


def support_workflow(*, timed: bool = False) -> tf.Workflow:
    """Six statuses, roles and one guard; ``timed`` adds a business-day timer and an SLA."""
    cal = office() if timed else None
    return tf.Workflow(
        name="support-timed" if timed else "support",
        statuses=list(SUPPORT_STATUSES),
        transitions=[
            tf.Transition("assign", source="new", target="assigned", roles={"agent"}),
            tf.Transition("ask", source="assigned", target="waiting", roles={"agent"}),
            tf.Transition("hold", source="assigned", target="on_hold", roles={"agent"}),
            tf.Transition(
                "reply",
                source=["waiting", "on_hold", "resolved"],
                target="assigned",
                roles={"customer"},
            ),
            tf.Transition(
                "resolve",
                source=["assigned", "waiting", "on_hold"],
                target="resolved",
                roles={"agent", "system"},
                guard=not_blocked,
            ),
            tf.Transition("close", source="*", target="closed", roles={"agent", "system"}),
        ],
        timers=(
            [
                tf.Timer("resolved", after=tf.business_days(3), event="close"),
                tf.Timer("waiting", after=tf.business_days(2), event="resolve"),
            ]
            if timed
            else []
        ),
        slas=(
            [tf.SLA("next_response", target=tf.business_hours(8), stop_on={"close"})]
            if timed
            else []
        ),
        calendar=cal,
    )


def _assigned_ticket(wf: tf.Workflow) -> tf.Ticket:
    t = wf.start(at=START, id="T-1").ticket
    return wf.apply(t, "assign", at=START + timedelta(minutes=5), actor="agent").ticket


def _ticketflow_cycle(wf: tf.Workflow) -> Callable[[], object]:
    """resolve (guarded) then reply, from a stored ticket in ``assigned``: two events."""
    ticket = _assigned_ticket(wf)
    at = START + timedelta(hours=1)
    apply = wf.apply

    def cycle() -> object:
        out = apply(ticket, "resolve", at=at, actor="agent")
        return apply(out.ticket, "reply", at=at, actor="customer").ticket.status

    return cycle


_PT_TRANSITIONS = [
    {"trigger": "assign", "source": "new", "dest": "assigned"},
    {"trigger": "ask", "source": "assigned", "dest": "waiting"},
    {"trigger": "hold", "source": "assigned", "dest": "on_hold"},
    {"trigger": "reply", "source": ["waiting", "on_hold", "resolved"], "dest": "assigned"},
    {
        "trigger": "resolve",
        "source": ["assigned", "waiting", "on_hold"],
        "dest": "resolved",
        "conditions": "not_blocked",
    },
    {"trigger": "close", "source": list(STATUS_NAMES[:-1]), "dest": "closed"},
]


class _PtTicket:
    """A pytransitions model: the machine binds trigger methods onto it."""

    blocked = False

    def not_blocked(self) -> bool:
        return not self.blocked


def _transitions_cases(family: Family) -> None:
    try:
        from transitions import Machine
    except ImportError as e:
        _skipped(family, "transitions", e)
        return
    states = list(STATUS_NAMES)
    bound: Any = _PtTicket()
    Machine(
        model=bound,
        states=states,
        transitions=_PT_TRANSITIONS,
        initial="assigned",
        auto_transitions=False,
    )

    def bound_cycle() -> object:
        bound.trigger("resolve")
        bound.trigger("reply")
        return bound.state

    def request(stored: str, event: str) -> str:
        model: Any = _PtTicket()
        Machine(
            model=model,
            states=states,
            transitions=_PT_TRANSITIONS,
            initial=stored,
            auto_transitions=False,
        )
        model.trigger(event)
        return str(model.state)

    def per_request_cycle() -> object:
        return request(request("assigned", "resolve"), "reply")

    op = "apply one event"
    family.cases.append(Case(op, "transitions (bound model)", bound_cycle, ops=2))
    family.cases.append(Case(op, "transitions (Machine per request)", per_request_cycle, ops=2))


def _statemachine_cases(family: Family) -> None:
    try:
        from statemachine import State, StateMachine
    except ImportError as e:
        _skipped(family, "python-statemachine", e)
        return

    class SupportMachine(StateMachine):  # type: ignore[misc]
        new = State(initial=True)
        assigned = State()
        waiting = State()
        on_hold = State()
        resolved = State()
        closed = State(final=True)

        assign = new.to(assigned)
        ask = assigned.to(waiting)
        hold = assigned.to(on_hold)
        reply = waiting.to(assigned) | on_hold.to(assigned) | resolved.to(assigned)
        resolve = (
            assigned.to(resolved, cond="not_blocked")
            | waiting.to(resolved, cond="not_blocked")
            | on_hold.to(resolved, cond="not_blocked")
        )
        close = (
            new.to(closed)
            | assigned.to(closed)
            | waiting.to(closed)
            | on_hold.to(closed)
            | resolved.to(closed)
        )
        blocked = False

        def not_blocked(self) -> bool:
            return not self.blocked

    bound = SupportMachine(start_value="assigned")

    def bound_cycle() -> object:
        bound.send("resolve")
        bound.send("reply")
        return bound.current_state_value

    def request(stored: str, event: str) -> str:
        sm = SupportMachine(start_value=stored)
        sm.send(event)
        return str(sm.current_state_value)

    def per_request_cycle() -> object:
        return request(request("assigned", "resolve"), "reply")

    op = "apply one event"
    family.cases.append(Case(op, "python-statemachine (bound)", bound_cycle, ops=2))
    family.cases.append(
        Case(op, "python-statemachine (machine per request)", per_request_cycle, ops=2)
    )


def apply_family() -> Family:
    """Family 1: one event on a 6-status workflow with one guard."""
    family = Family(
        key="apply",
        title="1. One event applied to a ticket (6 statuses, one guard)",
        target="at most 2 µs per event, snapshot and Outcome included.",
        target_us=2.0,
        notes=[
            "Each call applies two events (a guarded `resolve`, then `reply`) and is counted "
            "as two operations. ticketflow returns a new immutable snapshot and an Outcome "
            "from a stored ticket and checks the actor's role; the peers mutate a model.",
            "'per request' builds the machine from the stored status for every event, as a "
            "stateless service does.",
        ],
    )
    family.cases.append(Case("apply one event", BASELINE, _ticketflow_cycle(support_workflow()), 2))
    _transitions_cases(family)
    _statemachine_cases(family)
    return family


def apply_with_timers_family() -> Family:
    """Family 2: the same with a business-day timer and an SLA (no peer does this)."""
    family = Family(
        key="apply_timed",
        title="2. The same, with a business-day timer and an SLA",
        target="at most 6 µs per event.",
        target_us=6.0,
        notes=[
            "`resolve` arms a 3-business-day timer and pauses an 8-business-hour SLA; "
            "`reply` drops the timer and resumes the SLA, recomputing its due time. Both "
            "count on the New York office calendar with US holidays. No peer computes these.",
        ],
    )
    family.cases.append(
        Case("apply one event", BASELINE, _ticketflow_cycle(support_workflow(timed=True)), 2)
    )
    return family


# --- family 3: add N business days ------------------------------------------------------------


def business_days_family() -> Family:
    """Family 3: add N business days with US holidays."""
    family = Family(
        key="business_days",
        title="3. Add N business days (US holidays)",
        target="at most 2.5 µs for every N: faster than numpy's scalar call.",
        target_us=2.5,
        notes=[
            "ticketflow returns an aware datetime keeping the time of day; its date part "
            "equals numpy.busday_offset(roll='forward') with the same holidays, and pandas "
            "CustomBusinessDay gives the same instant.",
            "workalendar's UnitedStates calendar has its own holiday list: it lacks "
            "Juneteenth and New Year's Day observed on the Friday before, so its answers "
            "for N=250 and N=2,500 differ by a day or more; the work done is comparable.",
        ],
    )
    cal = office()
    hols = us_holidays()
    durations = {n: tf.business_days(n) for n in BUSINESS_DAYS_N}
    add = cal.add
    np: Any
    try:
        import numpy as np
    except ImportError as e:
        np = None
        _skipped(family, "numpy", e)
    try:
        from workalendar.usa import UnitedStates

        wk: Any = UnitedStates()
    except ImportError as e:
        wk = None
        _skipped(family, "workalendar", e)
    try:
        import pandas as pd
    except ImportError as e:
        pd = None
        _skipped(family, "pandas", e)

    for n in BUSINESS_DAYS_N:
        op = f"N={n:,}"
        d = durations[n]
        family.cases.append(Case(op, BASELINE, lambda d=d: add(START, d)))
        if np is not None:
            bdc = np.busdaycalendar(weekmask="1111100", holidays=hols)
            day = np.datetime64(START.date(), "D")
            family.cases.append(
                Case(
                    op,
                    "numpy.busday_offset",
                    lambda n=n, bdc=bdc, day=day: np.busday_offset(
                        day, n, roll="forward", busdaycal=bdc
                    ),
                )
            )
        if wk is not None:
            family.cases.append(
                Case(
                    op,
                    "workalendar",
                    lambda n=n: wk.add_working_days(START.date(), n),
                )
            )
        if pd is not None:
            offset = pd.offsets.CustomBusinessDay(
                n=n, holidays=hols, weekmask="Mon Tue Wed Thu Fri"
            )
            ts = pd.Timestamp(START)
            family.cases.append(
                Case(op, "pandas CustomBusinessDay", lambda ts=ts, off=offset: ts + off)
            )
    return family


# --- family 4: add N business hours -----------------------------------------------------------


def _btd_rules(hols: list[date]) -> Any:
    import businesstimedelta
    import pytz

    tz = pytz.timezone("America/New_York")
    workday = businesstimedelta.WorkDayRule(
        start_time=time(9), end_time=time(17), working_days=[0, 1, 2, 3, 4], tz=tz
    )
    # a set, not the list: HolidayRule tests membership once per calendar day
    holidays = businesstimedelta.HolidayRule(frozenset(hols), tz=tz)
    return businesstimedelta.Rules([workday, holidays])


def business_hours_family() -> Family:
    """Family 4: add N business hours, Mon-Fri 9-17 America/New_York with holidays."""
    family = Family(
        key="business_hours",
        title="4. Add N business hours (Mon-Fri 09:00-17:00 America/New_York, US holidays)",
        target="at most 5 µs for every N.",
        target_us=5.0,
        notes=[
            "All three answer the same instant from Monday 10:30 (DST starts on 8 March, "
            "inside the N=40 and N=400 spans). pandas CustomBusinessHour moves a result that "
            "falls exactly on a closing time to the next opening; ticketflow and "
            "businesstimedelta return the closing time.",
        ],
    )
    cal = office()
    hols = us_holidays()
    add = cal.add
    try:
        import businesstimedelta

        rules: Any = _btd_rules(hols)
    except ImportError as e:
        rules = None
        _skipped(family, "businesstimedelta", e)
    try:
        import pandas as pd
    except ImportError as e:
        pd = None
        _skipped(family, "pandas", e)
    for n in BUSINESS_HOURS_N:
        op = f"N={n:,}"
        d = tf.business_hours(n)
        family.cases.append(Case(op, BASELINE, lambda d=d: add(START, d)))
        if rules is not None:
            delta = businesstimedelta.BusinessTimeDelta(rules, hours=n)
            family.cases.append(Case(op, "businesstimedelta", lambda delta=delta: START + delta))
        if pd is not None:
            offset = pd.offsets.CustomBusinessHour(
                n=n, start="09:00", end="17:00", holidays=hols, weekmask="Mon Tue Wed Thu Fri"
            )
            ts = pd.Timestamp(START)
            family.cases.append(
                Case(op, "pandas CustomBusinessHour", lambda ts=ts, off=offset: ts + off)
            )
    return family


# --- family 5: business time elapsed ----------------------------------------------------------

_OPEN = 9 * 3600
_CLOSE = 17 * 3600


def numpy_elapsed(a: datetime, b: datetime, bdc: Any) -> timedelta:
    """Working time in ``[a, b)`` with numpy.busday_count plus the two partial days.

    ``a`` and ``b`` are read as New York wall-clock times, Mon-Fri 09:00-17:00.
    """
    import numpy as np

    la, lb = a.astimezone(NY).replace(tzinfo=None), b.astimezone(NY).replace(tzinfo=None)
    da, db = la.date(), lb.date()
    sa = min(max(la.hour * 3600 + la.minute * 60 + la.second, _OPEN), _CLOSE)
    sb = min(max(lb.hour * 3600 + lb.minute * 60 + lb.second, _OPEN), _CLOSE)
    open_a = bool(np.is_busday(da, busdaycal=bdc))
    if da == db:
        return timedelta(seconds=sb - sa if open_a else 0)
    head = _CLOSE - sa if open_a else 0
    tail = sb - _OPEN if np.is_busday(db, busdaycal=bdc) else 0
    full = int(np.busday_count(da + timedelta(days=1), db, busdaycal=bdc))
    return timedelta(seconds=head + full * (_CLOSE - _OPEN) + tail)


def elapsed_family() -> Family:
    """Family 5: business time elapsed over 30 days."""
    family = Family(
        key="elapsed",
        title="5. Business time elapsed over 30 days",
        target="at most 6 µs.",
        target_us=6.0,
        notes=[
            "From Monday 2 March 2026 10:30 to Wednesday 1 April 10:30 New York time "
            "(across the DST change); all three answer 22 days and 0 hours of working time.",
        ],
    )
    cal = office()
    hols = us_holidays()
    end = START + timedelta(days=30)
    elapsed = cal.elapsed
    family.cases.append(Case("30 days", BASELINE, lambda: elapsed(START, end)))
    try:
        rules: Any = _btd_rules(hols)
        family.cases.append(
            Case("30 days", "businesstimedelta", lambda: rules.difference(START, end).timedelta)
        )
    except ImportError as e:
        _skipped(family, "businesstimedelta", e)
    try:
        import numpy as np

        bdc = np.busdaycalendar(weekmask="1111100", holidays=hols)
        family.cases.append(
            Case(
                "30 days",
                "numpy busday_count + partial days",
                lambda: numpy_elapsed(START, end, bdc),
            )
        )
    except ImportError as e:
        _skipped(family, "numpy", e)
    return family


# --- family 7: cost versus workflow size ------------------------------------------------------


def scaling_workflow(size: int) -> tf.Workflow:
    """``size`` statuses in a chain, each with its own forward and back events.

    ``s0`` is initial, ``closed`` terminal; every other status may be closed
    (``"*"``), so every status's table has a few entries, and the table has
    as many rows as statuses. The forward move out of each status is guarded.
    """
    names = [f"s{i}" for i in range(size - 1)]
    statuses = [tf.Status(names[0], category="new", initial=True)]
    statuses += [tf.Status(n, category="open") for n in names[1:]]
    statuses.append(tf.Status("closed", category="closed", terminal=True))
    transitions = []
    for i in range(len(names) - 1):
        transitions.append(
            tf.Transition(f"fwd_{i}", source=names[i], target=names[i + 1], guard=not_blocked)
        )
        transitions.append(tf.Transition(f"back_{i + 1}", source=names[i + 1], target=names[i]))
    transitions.append(tf.Transition("close", source="*", target="closed"))
    transitions.append(tf.Transition("comment", source="*", target=None))
    return tf.Workflow(name=f"chain-{size}", statuses=statuses, transitions=transitions)


def _scaling_cycle(size: int) -> Callable[[], object]:
    wf = scaling_workflow(size)
    middle = (size - 1) // 2
    t = wf.start(at=START).ticket
    for i in range(middle):
        t = wf.apply(t, f"fwd_{i}", at=START).ticket
    at = START + timedelta(hours=1)
    fwd, back = f"fwd_{middle}", f"back_{middle + 1}"
    apply = wf.apply

    def cycle() -> object:
        out = apply(t, fwd, at=at, actor="agent")
        return apply(out.ticket, back, at=at, actor="agent").ticket.status

    return cycle


def scaling_family() -> Family:
    """Family 7: apply cost on 6, 60 and 600-status workflows."""
    family = Family(
        key="scaling",
        title="7. Cost versus workflow size",
        target="flat: the 600-status workflow within 1.3x of the 6-status one.",
        baseline_operation="6 statuses",
        ratio_limit=1.3,
        notes=[
            "A chain of statuses with a guarded forward event and a back event each, plus "
            "`close` and `comment` from every status; each call moves forward then back "
            "from the middle status (two operations).",
        ],
    )
    for size in WORKFLOW_SIZES:
        family.cases.append(Case(f"{size} statuses", BASELINE, _scaling_cycle(size), 2))
    return family


# --- family 9: a per-ticket deadline ---------------------------------------------------------


def pending_workflow() -> tf.Workflow:
    """Waiting on the customer for two business days, or until a pending time the agent sets."""
    return tf.Workflow(
        name="pending",
        statuses=[
            tf.Status("open", category="open", initial=True),
            tf.Status("waiting", category="pending"),
            tf.Status("pending", category="pending"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        transitions=[
            tf.Transition("ask", source="open", target="waiting", roles={"agent"}),
            tf.Transition(
                "pend", source="open", target="pending", roles={"agent"}, set_attrs="pending_until"
            ),
            tf.Transition("reply", source=["waiting", "pending"], target="open"),
            tf.Transition("close", source="*", target="closed", roles={"agent", "system"}),
        ],
        timers=[
            tf.Timer("waiting", after=tf.business_days(2), event="close"),
            tf.Timer("pending", at="pending_until", event="close"),
        ],
        calendar=office(),
    )


def _pending_cycle(event: str, data: dict[str, Any] | None) -> Callable[[], object]:
    """``event`` into a timed status, then ``reply`` out of it: two events."""
    wf = pending_workflow()
    ticket = wf.start(at=START, id="T-1").ticket
    at = START + timedelta(hours=1)
    apply = wf.apply

    def cycle() -> object:
        out = apply(ticket, event, at=at, actor="agent", data=data)
        return apply(out.ticket, "reply", at=at, actor="customer").ticket.status

    return cycle


def pending_family() -> Family:
    """Family 9: an event that sets a pending time and arms an ``at=`` timer."""
    family = Family(
        key="pending",
        title="9. An event that sets a pending time and arms an at= timer",
        target="within 2x of a plain timed event.",
        baseline_operation="plain timed event",
        ratio_limit=2.0,
        notes=[
            "'plain timed event' enters a status whose timer fires after 2 business days; "
            "'set pending time' copies `pending_until` from the event's data and enters a "
            "status whose `at=` timer reads it. "
            "Each call enters the status and replies out of it (two operations).",
        ],
    )
    until = START + timedelta(days=9)
    family.cases.append(Case("plain timed event", BASELINE, _pending_cycle("ask", None), 2))
    family.cases.append(
        Case("set pending time", BASELINE, _pending_cycle("pend", {"pending_until": until}), 2)
    )
    return family


FAMILIES: tuple[Callable[[], Family], ...] = (
    apply_family,
    apply_with_timers_family,
    business_days_family,
    business_hours_family,
    elapsed_family,
    scaling_family,
    pending_family,
)


# --- family 6: many tickets advanced to a common now ------------------------------------------


def mass_tickets(wf: tf.Workflow, count: int) -> list[tf.Ticket]:
    """``count`` tickets in mixed statuses, created over 60 days from START.

    One in five of each: new, assigned, waiting (a 2-business-day timer),
    resolved (a 3-business-day timer) and closed; all carry the SLA clock.
    """
    return [
        _mixed_ticket(wf, i, START_UTC + timedelta(minutes=(i * 863) % (60 * 24 * 60)), 10, 30)
        for i in range(count)
    ]


def _mixed_ticket(wf: tf.Workflow, i: int, at: datetime, assign: int, then: int) -> tf.Ticket:
    """Ticket ``T-i`` started at ``at``, by ``i % 5``: new, or assigned ``assign`` minutes
    later and then, ``then`` minutes after ``at``, left there, asked, resolved or closed."""
    t = wf.start(at=at, id=f"T-{i}").ticket
    kind = i % 5
    if kind:
        t = wf.apply(t, "assign", at=at + timedelta(minutes=assign), actor="agent").ticket
    event = {2: "ask", 3: "resolve", 4: "close"}.get(kind)
    if event is not None:
        t = wf.apply(t, event, at=at + timedelta(minutes=then), actor="agent").ticket
    return t


@dataclass(frozen=True)
class MassAdvance:
    """What family 6 measured.

    Attributes:
        tickets: How many tickets.
        now: The common ``now`` they were advanced to.
        fired: Tickets that had something due (a timer, an SLA breach).
        seconds: Seconds per full pass, one per repeat.
        peak_bytes: tracemalloc's peak while building the tickets.
        retained_bytes: Memory still held by the tickets once built.
        json_bytes: Mean size of ``ticket.to_dict()`` as compact JSON.
    """

    tickets: int
    now: datetime
    fired: int
    seconds: tuple[float, ...]
    peak_bytes: int
    retained_bytes: int
    json_bytes: float


def mass_advance(count: int, repeats: int) -> MassAdvance:
    """Build ``count`` tickets under tracemalloc, then time advancing them all."""
    wf = support_workflow(timed=True)
    wf.start(at=START)  # load calendar years and compiled tables outside the measurement
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    tickets = mass_tickets(wf, count)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    now = START_UTC + timedelta(days=40)
    advance = wf.advance
    fired = sum(1 for t in tickets if advance(t, now=now).ticket is not t)
    sample = tickets[: min(count, 1000)]
    json_bytes = sum(len(json.dumps(t.to_dict(), separators=(",", ":"))) for t in sample) / len(
        sample
    )
    seconds = []
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = _time.process_time()
            for t in tickets:
                advance(t, now=now)
            seconds.append(_time.process_time() - t0)
        finally:
            gc.enable()
    return MassAdvance(
        tickets=count,
        now=now,
        fired=fired,
        seconds=tuple(seconds),
        peak_bytes=peak - before,
        retained_bytes=after - before,
        json_bytes=json_bytes,
    )


def render_mass_advance(m: MassAdvance) -> str:
    """Family 6 as a Markdown table."""
    med = statistics.median(m.seconds)
    spread = (max(m.seconds) - min(m.seconds)) / med * 100
    if len(m.seconds) >= 2:
        q1, _, q3 = statistics.quantiles(m.seconds, n=4, method="inclusive")
        iqr = (q3 - q1) / med * 100
    else:
        iqr = 0.0
    rows = [
        ("tickets", f"{m.tickets:,}"),
        ("tickets with something due at `now`", f"{m.fired:,}"),
        ("median CPU seconds per pass", f"{med:.3f} (IQR {iqr:.1f} %, min-max {spread:.1f} %)"),
        ("tickets per second", f"{m.tickets / med:,.0f}"),
        ("µs per ticket", f"{med / m.tickets * 1e6:.2f}"),
        ("peak memory while building, per ticket", f"{m.peak_bytes / m.tickets:,.0f} bytes"),
        ("memory held per ticket snapshot", f"{m.retained_bytes / m.tickets:,.0f} bytes"),
        ("compact JSON of `ticket.to_dict()`", f"{m.json_bytes:,.0f} bytes"),
    ]
    lines = [
        "### 6. Tickets advanced to a common `now`",
        "",
        "Target: report tickets per second and memory per ticket snapshot.",
        "",
        "| measure | value |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in rows),
        "",
        "* The timed six-status workflow of family 2; one in five tickets each new, assigned, "
        "waiting (2-business-day timer), resolved (3-business-day timer) and closed, created "
        f"over 60 days from {START:%Y-%m-%d}; `now` is {m.now:%Y-%m-%d %H:%M %Z}, so some "
        "timers and SLA breaches are due and others not.",
        "* Memory is measured with tracemalloc while the tickets are built (start plus up to "
        "two events each); 'held' is what the list of snapshots keeps once built.",
    ]
    return "\n".join(lines) + "\n"


# --- family 8: advance 100,000 stored tickets, one in ten with a timer due -------------------

#: Family 8's target, in tickets per second.
ADVANCE_TARGET = 400_000
#: Family 8's common ``now``: Friday 13 March 2026, 15:30 New York time.
ADVANCE_NOW = datetime(2026, 3, 13, 15, 30, tzinfo=NY)


def due_tickets(wf: tf.Workflow, count: int) -> list[tf.Ticket]:
    """``count`` tickets of the timed workflow; one in ten has its timer due at ADVANCE_NOW.

    Nine in ten were started on the day of ``now`` (between 09:00 and 15:00),
    in turn new, assigned, waiting (2-business-day timer), resolved
    (3-business-day timer) and closed, so neither their timers nor their SLA
    clocks are due. One in ten was resolved between 2 and 7 March, so its
    3-business-day ``close`` timer is due and fires.
    """
    out: list[tf.Ticket] = []
    apply = wf.apply
    today = ADVANCE_NOW.replace(hour=9, minute=0)
    for i in range(count):
        if i % 10 == 9:
            at = START + timedelta(minutes=(i * 7) % (5 * 24 * 60))  # Mon 2 - Sat 7 March
            t = wf.start(at=at, id=f"T-{i}").ticket
            t = apply(t, "assign", at=at + timedelta(minutes=10), actor="agent").ticket
            t = apply(t, "resolve", at=at + timedelta(minutes=30), actor="agent").ticket
        else:
            t = _mixed_ticket(wf, i, today + timedelta(minutes=(i * 7) % 360), 5, 10)
        out.append(t)
    return out


@dataclass(frozen=True)
class DueAdvance:
    """What family 8 measured.

    Attributes:
        tickets: How many tickets.
        fired: Tickets that had something due at ``now``.
        seconds: CPU seconds per full pass, one per repeat.
    """

    tickets: int
    fired: int
    seconds: tuple[float, ...]

    @property
    def per_second(self) -> float:
        """Tickets advanced per CPU second (median pass)."""
        return self.tickets / statistics.median(self.seconds)


def due_advance(count: int, repeats: int) -> DueAdvance:
    """Build ``count`` tickets with :func:`due_tickets`, then time advancing them all."""
    wf = support_workflow(timed=True)
    tickets = due_tickets(wf, count)
    advance = wf.advance
    now = ADVANCE_NOW
    fired = sum(1 for t in tickets if advance(t, now=now).ticket is not t)
    seconds = []
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = _time.process_time()
            for t in tickets:
                advance(t, now=now)
            seconds.append(_time.process_time() - t0)
        finally:
            gc.enable()
    return DueAdvance(tickets=count, fired=fired, seconds=tuple(seconds))


def render_due_advance(m: DueAdvance) -> str:
    """Family 8 as a Markdown table."""
    med = statistics.median(m.seconds)
    spread = (max(m.seconds) - min(m.seconds)) / med * 100
    if len(m.seconds) >= 2:
        q1, _, q3 = statistics.quantiles(m.seconds, n=4, method="inclusive")
        iqr = (q3 - q1) / med * 100
    else:
        iqr = 0.0
    rows = [
        ("tickets", f"{m.tickets:,}"),
        ("tickets with a timer due at `now`", f"{m.fired:,}"),
        ("median CPU seconds per pass", f"{med:.3f} (IQR {iqr:.1f} %, min-max {spread:.1f} %)"),
        ("tickets per second", f"{m.per_second:,.0f}"),
        ("µs per ticket", f"{med / m.tickets * 1e6:.2f}"),
    ]
    lines = [
        "### 8. Advance 100,000 stored tickets",
        "",
        f"Target: at least {ADVANCE_TARGET:,} tickets per second.",
        "",
        "| measure | value |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in rows),
        "",
        "* `wf.advance(ticket, now=...)` over every ticket of a list, as a scheduler sweeping "
        "stored tickets does; the tickets are the snapshots the engine returned.",
        "* The timed six-status workflow of family 2. Nine in ten tickets started on the day "
        f"of `now` ({ADVANCE_NOW:%A %Y-%m-%d %H:%M} New York time), in turn new, assigned, "
        "waiting, resolved and closed, so nothing of theirs is due; one in ten was resolved "
        "a week earlier and its 3-business-day `close` timer fires.",
    ]
    return "\n".join(lines) + "\n"
