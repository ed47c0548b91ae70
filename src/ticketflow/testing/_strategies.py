"""Hypothesis strategies for instants, durations, calendars, workflows and events.

Every strategy checks its arguments when it is called (a bad one raises
:class:`~ticketflow.testing.KitArgumentError`, a ``TicketflowError``
and a ``hypothesis.errors.InvalidArgument``, naming it), and shrinks toward the
simplest case: UTC, no holidays or overrides, Monday to Friday 09:00-17:00,
the smallest workflow, no gap between events, the shortest event stream.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "ticketflow.testing needs hypothesis; install the testing extra: "
        "pip install 'ticketflow[testing]'"
    ) from exc

from ticketflow import (
    CATEGORIES,
    MAX_INSTANT,
    MIN_INSTANT,
    SLA,
    UNITS,
    BusinessCalendar,
    Duration,
    Event,
    Status,
    Ticket,
    TicketflowError,
    Timer,
    Transition,
    Workflow,
    weekdays,
)
from ticketflow._limits import check_instant
from ticketflow.testing._errors import KitArgumentError as _KitArgumentError
from ticketflow.testing._errors import brief

__all__ = [
    "TIMEZONES",
    "LAST_INSTANT",
    "attrs_for",
    "aware_datetimes",
    "calendars",
    "check_strategy",
    "check_workflow",
    "direct_pairs",
    "drawn_attrs",
    "drawn_data",
    "drawn_instant",
    "data_for",
    "deadline_attrs",
    "deadlines_near",
    "from_data",
    "durations",
    "event_streams",
    "events",
    "gaps",
    "roles_of",
    "timer_events",
    "vip_only",
    "workflows",
]

#: Zones drawn by default, simplest first: UTC, then zones whose DST rules are
#: known to trip code up (southern hemisphere, changes at midnight, 30- and
#: 45-minute offsets, a 30-minute DST shift).
TIMEZONES: tuple[str, ...] = (
    "UTC",
    "America/New_York",
    "Europe/Madrid",
    "Europe/London",
    "Australia/Sydney",
    "America/Santiago",
    "America/Havana",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Tokyo",
)

_ROLES: tuple[str, ...] = ("agent", "customer", "system")
_EVENT_WORDS: tuple[str, ...] = ("next", "reply", "resolve", "close", "hold", "reopen")
#: Attributes that generated transitions set and SLAs select on, with their values.
_ATTR_VALUES: dict[str, tuple[str, ...]] = {
    "priority": ("low", "normal", "high", "urgent"),
    "tier": ("basic", "gold"),
}
#: Attributes that generated ``at=`` timers read their deadline from.
_DEADLINE_ATTRS: tuple[str, ...] = ("pending_until", "due")
_DEFAULT_MIN = datetime(2000, 1, 1)
_DEFAULT_MAX = datetime(2099, 12, 31, 23, 59)


# --- argument checks ------------------------------------------------------------------


class KitArgumentError(_KitArgumentError, InvalidArgument):
    """The public `KitArgumentError`, raised as hypothesis's ``InvalidArgument`` too."""


#: The naive readings that :func:`aware_datetimes` may be bounded by: a day inside
#: ``[MIN_INSTANT, MAX_INSTANT)`` on each side, so every zone's reading is supported.
_LOWEST_READING = datetime(MIN_INSTANT.year, 1, 2)
_HIGHEST_READING = datetime(MAX_INSTANT.year - 1, 12, 30, 23, 59, 59)
#: The largest ``max_gap``: a year, so a long run stays far inside the supported range.
_MAX_GAP = timedelta(days=366)
#: The most intervals a day can hold on the quarter-hour grid (97 cut points).
_MAX_INTERVALS = 48


def _check_naive(value: object, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise KitArgumentError(name, value, f"{name}={brief(value)} must be a datetime")
    if value.tzinfo is not None:
        raise KitArgumentError(
            name,
            value,
            f"{name}={brief(value)} must be naive: it bounds the local wall-clock reading, "
            "and the zone comes from timezones=",
        )
    if not _LOWEST_READING <= value <= _HIGHEST_READING:
        raise KitArgumentError(
            name,
            value,
            f"{name}={brief(value)} is outside the supported readings "
            f"[{_LOWEST_READING.isoformat()}, {_HIGHEST_READING.isoformat()}]",
        )
    return value


def _check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise KitArgumentError(name, value, f"{name}={brief(value)} must be an int")
    if low is not None and value < low:
        raise KitArgumentError(name, value, f"{name}={value!r} must be at least {low}")
    if high is not None and value > high:
        raise KitArgumentError(name, value, f"{name}={value!r} must be at most {high}")
    return value


def _check_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise KitArgumentError(name, value, f"{name}={brief(value)} must be a bool")
    return value


def _check_order(low: Any, high: Any, low_name: str, high_name: str) -> None:
    if low > high:
        raise KitArgumentError(
            low_name, low, f"{low_name}={low!r} is greater than {high_name}={high!r}"
        )


def check_workflow(value: object, name: str = "workflow") -> Workflow:
    if not isinstance(value, Workflow):
        raise KitArgumentError(name, value, f"{name}={brief(value)} must be a ticketflow.Workflow")
    return value


def check_strategy(value: object, name: str) -> st.SearchStrategy[Any] | None:
    if value is None:
        return None
    if not isinstance(value, st.SearchStrategy):
        raise KitArgumentError(
            name, value, f"{name}={brief(value)} must be a hypothesis strategy or None"
        )
    return value


def _check_gap(value: object, name: str = "max_gap") -> timedelta:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= _MAX_GAP:
        raise KitArgumentError(
            name,
            value,
            f"{name}={brief(value)} must be a timedelta above zero "
            f"and at most {_MAX_GAP.days} days",
        )
    return value


def drawn_instant(value: object, argument: str) -> datetime:
    """A value drawn from the user's ``start`` strategy, checked."""
    try:
        return check_instant(value, argument)
    except TicketflowError as exc:
        raise KitArgumentError(argument, value, f"the {argument} strategy drew {exc}") from None


def drawn_attrs(value: object, argument: str = "attrs") -> dict[str, Any]:
    """A value drawn from the user's ``attrs`` strategy, checked."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise KitArgumentError(
            argument,
            value,
            f"the {argument} strategy drew {brief(value)}, which is not a mapping with str keys",
        )
    return dict(value)


def drawn_data(value: object, argument: str = "data") -> Mapping[str, Any] | None:
    """A value drawn from the user's ``data`` strategy, checked."""
    if value is not None and not isinstance(value, Mapping):
        raise KitArgumentError(
            argument,
            value,
            f"the {argument} strategy drew {brief(value)}, which is not a mapping or None",
        )
    return value


def _zone(name: object, argument: str) -> ZoneInfo:
    if not isinstance(name, str):
        raise KitArgumentError(
            argument, name, f"{argument} must hold zone names, got {brief(name)}"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise KitArgumentError(
            argument, name, f"{argument} names unknown time zone {brief(name)}"
        ) from None


def _zone_names(timezones: object, argument: str = "timezones") -> st.SearchStrategy[str]:
    """A strategy of zone names from None, a strategy, or a sequence of names."""
    if timezones is None:
        return st.sampled_from(TIMEZONES)
    if isinstance(timezones, st.SearchStrategy):
        return timezones.map(lambda z: _zone_key(z, argument))
    if isinstance(timezones, str) or not isinstance(timezones, Sequence | set | frozenset):
        raise KitArgumentError(
            argument,
            timezones,
            f"{argument}={brief(timezones)} must be None, a strategy, or a sequence of zone names",
        )
    names = list(timezones)
    if not names:
        raise KitArgumentError(argument, timezones, f"{argument} must not be empty")
    for n in names:
        _zone(n, argument)
    if isinstance(timezones, set | frozenset):  # a set's order changes from run to run
        names.sort()
    return st.sampled_from(names)


def _zone_key(value: object, argument: str) -> str:
    if isinstance(value, str):
        _zone(value, argument)
        return value
    key = getattr(value, "key", None) if isinstance(value, ZoneInfo) else None
    if isinstance(key, str):
        return key
    if value is UTC:
        return "UTC"
    raise KitArgumentError(
        argument,
        value,
        f"the {argument} strategy drew {brief(value)}, which is not a zone name or ZoneInfo",
    )


# --- instants and durations -------------------------------------------------------------


def aware_datetimes(
    min_value: datetime = _DEFAULT_MIN,
    max_value: datetime = _DEFAULT_MAX,
    *,
    timezones: st.SearchStrategy[Any] | Sequence[str] | None = None,
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes that exist in their zone (no DST-gap readings).

    ``min_value`` and ``max_value`` are naive and bound the local reading
    (from 1900-01-02 to 2999-12-30 23:59:59, inside ticketflow's supported
    instants in every zone);
    ``timezones`` is a sequence of IANA names or a strategy of names or
    ``ZoneInfo`` objects (default: :data:`TIMEZONES`, a set of awkward zones).
    Shrinks toward UTC and 2000-01-01 00:00 (or the bound nearest it).

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``).
    """
    lo = _check_naive(min_value, "min_value")
    hi = _check_naive(max_value, "max_value")
    _check_order(lo, hi, "min_value", "max_value")
    zones = _zone_names(timezones).map(ZoneInfo)
    return st.datetimes(min_value=lo, max_value=hi, timezones=zones, allow_imaginary=False)


def durations(
    *,
    units: Sequence[str] = UNITS,
    min_amount: int = 1,
    max_amount: int = 100,
) -> st.SearchStrategy[Duration]:
    """:class:`~ticketflow.Duration` values in ``units`` (simplest first).

    Shrinks toward the first unit listed (minutes by default) and the
    amount nearest zero.

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``).
    """
    if isinstance(units, str) or not isinstance(units, Sequence) or not units:
        raise KitArgumentError(
            "units", units, f"units={brief(units)} must be a non-empty sequence of unit names"
        )
    unit_list = []
    for u in units:
        if not isinstance(u, str) or u not in UNITS:
            raise KitArgumentError(
                "units", u, f"units names unknown unit {brief(u)} (expected one of {UNITS})"
            )
        unit_list.append(u)  # a known unit from here on
    most = min(Duration.max_amount(u) for u in unit_list)  # every unit drawn must take it
    lo = _check_int(min_amount, "min_amount", -most, most)
    hi = _check_int(max_amount, "max_amount", -most, most)
    _check_order(lo, hi, "min_amount", "max_amount")
    return st.builds(Duration, st.integers(lo, hi), st.sampled_from(unit_list))


def gaps(max_gap: timedelta = timedelta(days=30)) -> st.SearchStrategy[timedelta]:
    """Pauses between events: none, round ones (a minute to a week), or any minute count.

    Long enough for timers to fire; shrinks toward no pause at all.

    Raises:
        KitArgumentError: when ``max_gap`` is not a timedelta above zero and at
            most 366 days.
    """
    _check_gap(max_gap)
    top = max(1, int(max_gap.total_seconds() // 60))
    round_ones = [
        timedelta(minutes=m)
        for m in (1, 15, 60, 8 * 60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60)
        if m <= top
    ]
    return st.one_of(
        st.just(timedelta(0)),
        st.sampled_from(round_ones or [timedelta(minutes=1)]),
        st.integers(1, top).map(lambda m: timedelta(minutes=m)),
    )


# --- calendars ----------------------------------------------------------------------------


def _hhmm(quarter: int) -> str:
    minutes = quarter * 15
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_hours(
    max_intervals: int, min_intervals: int = 0
) -> st.SearchStrategy[list[tuple[str, str]]]:
    @st.composite
    def build(draw: st.DrawFn) -> list[tuple[str, str]]:
        k = draw(st.integers(min_intervals, max_intervals))
        if k == 0:
            return []
        cuts = sorted(
            draw(st.lists(st.integers(0, 96), min_size=2 * k, max_size=2 * k, unique=True))
        )
        return [(_hhmm(cuts[2 * i]), _hhmm(cuts[2 * i + 1])) for i in range(k)]

    return build()


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def calendars(
    *,
    timezones: st.SearchStrategy[Any] | Sequence[str] | None = None,
    max_intervals: int = 2,
    holidays: bool = True,
    overrides: bool = True,
    min_date: date = date(2026, 1, 1),
    max_date: date = date(2027, 12, 31),
) -> st.SearchStrategy[BusinessCalendar]:
    """Valid business calendars: a zone, weekly hours, holidays and overrides.

    Weekly hours are either Monday to Friday 09:00-17:00 or up to
    ``max_intervals`` quarter-hour intervals per weekday (at least one in the
    week); holidays and overrides (special hours or closures) fall between
    ``min_date`` and ``max_date``. Shrinks toward UTC, 09:00-17:00 on
    weekdays, no holidays and no overrides.

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``).
    """
    zones = _zone_names(timezones)
    k = _check_int(max_intervals, "max_intervals", 1, _MAX_INTERVALS)
    _check_bool(holidays, "holidays")
    _check_bool(overrides, "overrides")
    for value, name in ((min_date, "min_date"), (max_date, "max_date")):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise KitArgumentError(name, value, f"{name}={brief(value)} must be a date")
        if not _LOWEST_READING.date() <= value <= _HIGHEST_READING.date():
            raise KitArgumentError(
                name,
                value,
                f"{name}={value!r} is outside the supported dates "
                f"[{_LOWEST_READING.date()}, {_HIGHEST_READING.date()}]",
            )
    _check_order(min_date, max_date, "min_date", "max_date")

    weekly = st.lists(_day_hours(k), min_size=7, max_size=7).filter(any)
    hours_st = st.one_of(
        st.just(weekdays("09:00", "17:00")),
        weekly.map(lambda days: {d: ivs for d, ivs in zip(_DAY_NAMES, days, strict=True) if ivs}),
    )
    dates = st.dates(min_date, max_date)
    holidays_st = st.lists(dates, max_size=8, unique=True) if holidays else st.just([])
    overrides_st = st.dictionaries(dates, _day_hours(k), max_size=4) if overrides else st.just({})
    return st.builds(
        lambda tz, hours, hol, ovr: BusinessCalendar(
            timezone=tz, hours=hours, holidays=sorted(hol), overrides=ovr
        ),
        zones,
        hours_st,
        holidays_st,
        overrides_st,
    )


def _any_calendar() -> st.SearchStrategy[BusinessCalendar]:
    return calendars()


def _drawn_calendar(value: object) -> BusinessCalendar | None:
    """A value drawn from the user's ``calendars`` strategy, checked."""
    if value is not None and not isinstance(value, BusinessCalendar):
        raise KitArgumentError(
            "calendars",
            value,
            f"the calendars strategy drew {brief(value)}, which is not a BusinessCalendar or None",
        )
    return value


# --- workflows ----------------------------------------------------------------------------


def vip_only(ticket: Ticket, ctx: Any) -> bool:
    """The guard of generated workflows: the ticket's ``vip`` attribute is true."""
    return bool(ticket.attrs.get("vip"))


_TIMER_AMOUNTS: dict[str, tuple[int, int]] = {
    "hours": (1, 72),
    "days": (1, 10),
    "business_hours": (1, 40),
    "business_days": (1, 10),
    "minutes": (30, 600),
    "business_minutes": (30, 600),
}


#: The smallest timer amount with room for a reminder a whole unit before its deadline.
_MIN_REMINDED_AMOUNT = 2


@st.composite
def _timer_durations(draw: st.DrawFn) -> tuple[Duration, list[Duration], list[Duration]]:
    unit = draw(st.sampled_from(list(_TIMER_AMOUNTS)))
    lo, hi = _TIMER_AMOUNTS[unit]
    amount = draw(st.integers(lo, hi))
    after = Duration(amount, unit)  # type: ignore[arg-type]
    if amount < _MIN_REMINDED_AMOUNT:
        return after, [], []
    offsets = st.integers(1, amount - 1).map(lambda n: Duration(n, unit))  # type: ignore[arg-type]
    reminders = draw(st.lists(offsets, max_size=2, unique=True))
    before = draw(st.lists(offsets, max_size=1))
    return after, reminders, before


def _sla_when() -> st.SearchStrategy[dict[str, Any] | None]:
    """None, or a ``when`` on one attribute that generated transitions set."""
    one_key = st.sampled_from(sorted(_ATTR_VALUES)).flatmap(
        lambda key: st.one_of(
            st.sampled_from(_ATTR_VALUES[key]),
            st.frozensets(st.sampled_from(_ATTR_VALUES[key]), min_size=1, max_size=2),
        ).map(lambda wanted: {key: wanted})
    )
    return st.one_of(st.none(), one_key)


def from_data(ticket: Ticket, ctx: Any) -> dict[str, Any]:
    """The callable ``set_attrs`` of generated workflows: the known attributes in the data.

    Copies ``priority``, ``tier``, ``pending_until`` and ``due`` when the
    event's data holds them, and nothing else.
    """
    data = ctx.data or {}
    return {k: data[k] for k in (*_ATTR_VALUES, *_DEADLINE_ATTRS) if k in data}


class _Builder:
    """Collects transitions while avoiding ambiguous unguarded pairs."""

    def __init__(self, statuses: list[Status], deadlines: Mapping[str, str] | None = None) -> None:
        self.statuses = statuses
        self.terminal = {s.name for s in statuses if s.terminal}
        self.transitions: list[Transition] = []
        self.fresh = 0
        #: status -> the attribute its ``at=`` timer reads: entering it sets that attribute
        self.deadlines = dict(deadlines or {})

    def expand(self, source: str | list[str]) -> list[str]:
        names = [source] if isinstance(source, str) else source
        out: list[str] = []
        for n in names:
            if n == "*":
                out.extend(s.name for s in self.statuses if s.name not in self.terminal)
            else:
                out.append(n)
        return out

    def clashes(self, event: str, source: str | list[str], roles: frozenset[str] | None) -> bool:
        mine = set(self.expand(source))
        for t in self.transitions:
            if (
                t.event != event
                or t.guard is not None
                or not mine & set(self.expand(list(t.source)))
            ):
                continue
            if roles is None or t.roles is None or roles & t.roles:
                return True
        return False

    def add(self, event: str, source: str | list[str], **kw: Any) -> str:
        roles = kw.get("roles")
        roles = None if roles is None else frozenset(roles)
        if kw.get("guard") is None and self.clashes(event, source, roles):
            self.fresh += 1
            event = f"{event}_{self.fresh}"
        needed = self.deadlines.get(kw.get("target") or "")
        if needed is not None:
            keys = kw.get("set_attrs")
            keys = () if keys is None or callable(keys) else tuple(keys)
            kw["set_attrs"] = keys if needed in keys else (*keys, needed)
        self.transitions.append(Transition(event, source=source, **kw))
        return event


def workflows(
    *,
    min_statuses: int = 2,
    max_statuses: int = 6,
    timers: bool = True,
    slas: bool = True,
    guards: bool = True,
    calendars: st.SearchStrategy[BusinessCalendar | None] | None = None,
    name: str = "generated",
    changes: bool = True,
) -> st.SearchStrategy[Workflow]:
    """Random valid workflows, with roles, guards, effects, timers, reminders and SLAs.

    Statuses are ``s0`` (initial) to ``s<n-1>``; every status is reachable
    and every non-terminal one has a way out. ``calendars`` draws the
    workflow's, the timers' and the SLAs' calendars (default: none, i.e.
    ``ALWAYS_OPEN``, or one from :func:`calendars`). The guard of generated
    transitions is :func:`vip_only`.

    With ``changes=True`` (the default) tickets also change during their
    life: transitions set attributes from the event's data (``set_attrs``
    naming ``priority``, ``tier``, ``pending_until`` or ``due``); a status
    may carry an ``at=`` timer whose deadline is the ``pending_until`` or
    ``due`` attribute (every transition
    that enters it sets that attribute, and an internal event may move it);
    a timer's transition may stay in its status (``target=None``) and fire
    once per arming; and an SLA may apply only ``when`` ``priority`` or
    ``tier`` has given values, with a fallback of the same name or none.
    :func:`data_for` draws the data those events need.

    Shrinks toward two statuses, one transition, no timers, no SLAs, no
    changing attributes and no calendar.

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``).
    """
    lo = _check_int(min_statuses, "min_statuses", 1)
    hi = _check_int(max_statuses, "max_statuses", 1)
    _check_order(lo, hi, "min_statuses", "max_statuses")
    for value, arg in (
        (timers, "timers"),
        (slas, "slas"),
        (guards, "guards"),
        (changes, "changes"),
    ):
        _check_bool(value, arg)
    given_cal = check_strategy(calendars, "calendars")
    cal_st = (
        st.one_of(st.none(), _any_calendar())
        if given_cal is None
        else given_cal.map(_drawn_calendar)
    )
    if not isinstance(name, str) or not name.strip():
        raise KitArgumentError("name", name, f"name={brief(name)} must be a non-empty string")

    plan = _WorkflowPlan(
        lo=lo,
        hi=hi,
        timers=timers,
        slas=slas,
        guards=guards,
        changes=changes,
        cal_st=cal_st,
        roles_st=st.one_of(st.none(), st.frozensets(st.sampled_from(_ROLES), min_size=1)),
    )

    @st.composite
    def build(draw: st.DrawFn) -> Workflow:
        statuses = _draw_statuses(draw, plan)
        live = [s.name for s in statuses if not s.terminal]
        # statuses whose timer takes its deadline from an attribute (never the initial one)
        deadlines = _draw_deadlines(draw, live) if changes and timers else {}
        b = _Builder(statuses, deadlines)
        _add_ways(draw, plan, b)
        _add_extras(draw, plan, b)
        _add_waiting_events(draw, b)
        timer_list = _draw_timers(draw, plan, b) if timers else []
        sla_list = _draw_slas(draw, plan, b) if slas else []
        return Workflow(
            name=name,
            statuses=statuses,
            transitions=b.transitions,
            timers=timer_list,
            slas=sla_list,
            calendar=draw(cal_st),
        )

    return build()


class _WorkflowPlan(NamedTuple):
    """The options of one :func:`workflows` strategy, checked."""

    lo: int
    hi: int
    timers: bool
    slas: bool
    guards: bool
    changes: bool
    cal_st: st.SearchStrategy[BusinessCalendar | None]
    roles_st: st.SearchStrategy[frozenset[str] | None]


def _draw_statuses(draw: st.DrawFn, plan: _WorkflowPlan) -> list[Status]:
    """``s0`` (initial) to ``s<n-1>``, each with a category, some terminal."""
    n = draw(st.integers(plan.lo, plan.hi), label="statuses")
    statuses = [
        Status("s0", category=draw(st.sampled_from(("new", *CATEGORIES[1:]))), initial=True)
    ]
    for i in range(1, n):
        terminal = draw(st.booleans())
        category = draw(
            st.sampled_from(("closed", *CATEGORIES[:-1]) if terminal else CATEGORIES[:-1])
        )
        statuses.append(Status(f"s{i}", category=category, terminal=terminal))
    return statuses


def _draw_deadlines(draw: st.DrawFn, live: list[str]) -> dict[str, str]:
    """Status -> the attribute its ``at=`` timer reads, for some live statuses but the first."""
    deadlines: dict[str, str] = {}
    for home in live[1:]:
        if draw(st.integers(0, 2), label="at= timer") == 1:
            deadlines[home] = draw(st.sampled_from(_DEADLINE_ATTRS))
    return deadlines


def _names(b: _Builder) -> tuple[list[str], list[str]]:
    """Every status name, and the names of the non-terminal ones."""
    return [s.name for s in b.statuses], [s.name for s in b.statuses if s.name not in b.terminal]


def _add_ways(draw: st.DrawFn, plan: _WorkflowPlan, b: _Builder) -> None:
    """A transition into every status but the first, and one out of every live status."""
    names, live = _names(b)
    words = st.sampled_from(_EVENT_WORDS)
    has_exit: set[str] = set()
    # a spanning tree from s0 makes every status reachable
    for i in range(1, len(names)):
        parents = [p for p in names[:i] if p in live]
        parent = draw(st.sampled_from(parents))
        b.add(draw(words), parent, target=names[i], roles=draw(plan.roles_st))
        has_exit.add(parent)
    # every non-terminal status needs a way out
    for name_ in live:
        others = [o for o in names if o != name_]
        if name_ not in has_exit and others:
            b.add(
                draw(words), name_, target=draw(st.sampled_from(others)), roles=draw(plan.roles_st)
            )


def _add_extras(draw: st.DrawFn, plan: _WorkflowPlan, b: _Builder) -> None:
    """Extra moves, internal events, guards and effects."""
    names, live = _names(b)
    words = st.sampled_from(_EVENT_WORDS)
    set_attrs_st: st.SearchStrategy[Any] = st.one_of(
        st.none(),
        st.lists(
            st.sampled_from((*_ATTR_VALUES, *_DEADLINE_ATTRS)),
            min_size=1,
            max_size=2,
            unique=True,
        ).map(tuple),
    )
    for _ in range(draw(st.integers(0, len(names)), label="extra transitions")):
        src: str | list[str] = draw(
            st.one_of(
                st.sampled_from(live),
                st.just("*"),
                st.lists(st.sampled_from(live), min_size=1, max_size=3, unique=True),
            )
        )
        target = draw(st.one_of(st.none(), st.sampled_from(names)))
        if target is not None and target in (src if isinstance(src, list) else [src]):
            target = None
        kw: dict[str, Any] = {"target": target, "roles": draw(plan.roles_st)}
        if plan.guards and draw(st.booleans()):
            kw["guard"] = vip_only
        kw["effects"] = draw(st.lists(st.sampled_from(("notify", "survey")), max_size=2))
        if plan.changes:
            kw["set_attrs"] = draw(set_attrs_st, label="set_attrs")
        b.add(draw(words), src, **kw)


def _add_waiting_events(draw: st.DrawFn, b: _Builder) -> None:
    """Events that keep the status: deadline moves and follow-ups to closed tickets."""
    # an agent moves the deadline of an at= timer while the ticket waits
    for home, key in b.deadlines.items():
        if draw(st.booleans()):
            b.add(f"move_{key}", home, target=None, roles={"agent"}, set_attrs=(key,))
    # a closed ticket that answers with a follow-up case
    for s in b.statuses:
        if s.terminal and draw(st.booleans()):
            b.add("reply", s.name, target=None, roles={"customer"}, effects=["follow_up"])


def _draw_timers(draw: st.DrawFn, plan: _WorkflowPlan, b: _Builder) -> list[Timer]:
    """A timer on some live statuses (always on those whose deadline is an attribute)."""
    _, live = _names(b)
    timer_list: list[Timer] = []
    for home in live:
        if b.deadlines.get(home) is None and not draw(st.booleans()):
            continue
        timer_list.append(_draw_timer(draw, plan, b, home))
    return timer_list


def _draw_timer(draw: st.DrawFn, plan: _WorkflowPlan, b: _Builder, home: str) -> Timer:
    """The timer of status ``home`` and the transition its event takes."""
    names, _ = _names(b)
    attr = b.deadlines.get(home)
    after, reminders, before = draw(_timer_durations())
    # a timer sends no data, so it never enters a status that needs some
    others = [o for o in names if o != home and o not in b.deadlines]
    target = draw(st.one_of(st.sampled_from(others), st.none())) if others else None
    # a timer that stays in its status fires again after each restart, or once
    # per arming (always once when its deadline is an attribute)
    restarts = target is None and attr is None and not (plan.changes and draw(st.booleans()))
    event = b.add(
        f"expire_{home}",
        home,
        target=target,
        roles=draw(st.sampled_from((None, frozenset({"system"})))),
        restarts_timers=restarts,
        effects=draw(st.lists(st.just("notify"), max_size=1)),
    )
    if attr is None:
        return Timer(
            home,
            after=after,
            event=event,
            reminders=reminders,
            remind_before=before,
            calendar=draw(plan.cal_st),
        )
    return Timer(
        home,
        at=attr,
        event=event,
        reminders=reminders[:1],
        remind_before=before,
        calendar=draw(plan.cal_st),
    )


def _draw_slas(draw: st.DrawFn, plan: _WorkflowPlan, b: _Builder) -> list[SLA]:
    """Up to two SLAs on the workflow's events; one with a ``when`` may have a fallback."""
    events = sorted({t.event for t in b.transitions})
    sla_list: list[SLA] = []
    for k in range(draw(st.integers(0, 2), label="SLAs")):
        unit = draw(st.sampled_from(("hours", "minutes", "business_hours", "business_minutes")))
        amount = draw(st.integers(1, 8 if unit.endswith("hours") else 480))
        shared: dict[str, Any] = {
            "start_on": draw(st.one_of(st.none(), st.sampled_from(events))),
            "stop_on": draw(st.frozensets(st.sampled_from(events), max_size=2)),
            "restart_on": draw(st.frozensets(st.sampled_from(events), max_size=2)),
            "pause_in": draw(
                st.one_of(
                    st.just(frozenset({"pending", "on_hold"})),
                    st.frozensets(st.sampled_from(CATEGORIES), max_size=3),
                )
            ),
        }
        when = draw(_sla_when()) if plan.changes else None
        if when is not None:
            # the policy for some attribute values, then maybe one for the others
            target = Duration(max(1, amount // 4), unit)  # type: ignore[arg-type]
            sla_list.append(
                SLA(
                    f"sla{k}",
                    target=target,
                    when=when,
                    calendar=draw(plan.cal_st),
                    **shared,
                    **draw(_notices(target)),
                )
            )
            if not draw(st.booleans()):
                continue
        target = Duration(amount, unit)  # type: ignore[arg-type]
        sla_list.append(
            SLA(
                f"sla{k}",
                target=target,
                calendar=draw(plan.cal_st),
                **shared,
                **draw(_notices(target)),
            )
        )
    return sla_list


@st.composite
def _notices(draw: st.DrawFn, target: Duration) -> dict[str, Any]:
    """Warnings and escalations for an SLA of ``target`` (none, once shrunk)."""
    out: dict[str, Any] = {}
    fractions = draw(st.lists(st.sampled_from((0.25, 0.5, 0.75, 0.9)), unique=True, max_size=2))
    if fractions:
        out["warn_at"] = fractions
    total = target.total_minutes
    same = "business_minutes" if target.is_business else "minutes"
    other = "minutes" if target.is_business else "business_minutes"
    before = draw(
        st.lists(
            st.one_of(
                st.builds(Duration, st.integers(1, max(1, total - 1)), st.just(same)),
                st.builds(Duration, st.integers(1, 120), st.just(other)),
            ),
            unique=True,
            max_size=2,
        )
    )
    before = [d for d in before if d.unit == other or d.amount < total]
    if before:
        out["warn_before"] = before
    after = draw(st.lists(st.integers(1, 600), unique=True, max_size=2))
    if after:
        out["escalate_after"] = [Duration(m, "minutes") for m in sorted(after)]
    return out


# --- events -------------------------------------------------------------------------------


def roles_of(workflow: Workflow) -> tuple[str | None, ...]:
    """Every role the workflow names, ``system``, and no actor at all (None)."""
    named: set[str] = {"system"}
    for t in workflow.transitions:
        named |= t.roles or set()
    return (*sorted(named), None)


def timer_events(workflow: Workflow) -> frozenset[str]:
    """The events the workflow's timers fire: ``system`` sends them only when time passes."""
    return frozenset(tm.event for tm in workflow.timers)


def direct_pairs(
    workflow: Workflow, ticket: Ticket, at: datetime | None = None
) -> list[tuple[str, str | None]]:
    """Every ``(event, actor)`` some role may send now, as the world sends them.

    ``system`` acts only through timers: a timer's event reaches the ticket
    when time passes (``advance``, or the catch-up at the start of ``apply``),
    never sent directly, so it is left out for that role.
    """
    timed = timer_events(workflow)
    return [
        (event, role)
        for role in roles_of(workflow)
        for event in workflow.allowed(ticket, actor=role, at=at)
        if not (role == "system" and event in timed)
    ]


def attrs_for(workflow: Workflow) -> st.SearchStrategy[dict[str, Any]]:
    """Ticket attributes that matter to ``workflow``: the keys its SLAs' ``when`` read.

    Each key takes one of the values an SLA asks for, or None; ``vip`` is a
    bool when a transition uses :func:`vip_only`. Shrinks toward None.
    """
    check_workflow(workflow)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for sla in workflow.slas:
        for key, wanted in (sla.when or {}).items():
            values = sorted(wanted, key=repr)
            fields[key] = st.sampled_from([None, *values])
    if any(t.guard is vip_only for t in workflow.transitions):
        fields["vip"] = st.booleans()
    for tm in workflow.timers:  # an initial status whose timer reads its deadline
        if tm.at is not None and tm.status == workflow.initial:
            fields[tm.at] = aware_datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31))
    return st.fixed_dictionaries(fields)


def deadline_attrs(workflow: Workflow) -> frozenset[str]:
    """The attributes the workflow's ``at=`` timers read their deadlines from."""
    return frozenset(tm.at for tm in workflow.timers if tm.at is not None)


#: How far from the event a drawn deadline falls: up to three days before, two weeks after.
_DEADLINE_BEFORE = 3 * 24 * 60
_DEADLINE_AFTER = 14 * 24 * 60


def deadlines_near(at: datetime) -> st.SearchStrategy[datetime | str]:
    """Deadlines for an ``at=`` timer: aware datetimes (or their ISO text) near ``at``.

    Mostly after ``at``, sometimes before it (the timer then falls due at
    once), sometimes any instant of 2026-2027; in any zone of :data:`TIMEZONES`.
    """
    base = _utc_of(at)
    low, high = MIN_INSTANT + timedelta(days=2), LAST_INSTANT - timedelta(days=2)
    zones = aware_datetimes(datetime(2026, 1, 1), datetime(2026, 1, 1)).map(lambda d: d.tzinfo)

    def near(minutes: int, zone: tzinfo | None) -> datetime:
        when = base + timedelta(minutes=minutes)
        if not low <= when <= high:
            return min(max(when, low), high)
        return when.astimezone(zone)

    relative = st.builds(
        near,
        st.one_of(st.integers(1, _DEADLINE_AFTER), st.integers(-_DEADLINE_BEFORE, 0)),
        zones,
    )
    anywhere = aware_datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31))
    instants = st.one_of(relative, anywhere)
    return st.one_of(instants, instants.map(lambda d: d.isoformat()))


def _utc_of(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _values_for(workflow: Workflow, key: str, at: datetime) -> st.SearchStrategy[Any]:
    """Values of attribute ``key`` as an event's data carries them."""
    if key in deadline_attrs(workflow):
        return deadlines_near(at)
    wanted: set[Any] = set(_ATTR_VALUES.get(key, ()))
    for sla in workflow.slas:
        value = (sla.when or {}).get(key)
        if value is not None:
            wanted |= set(value) if isinstance(value, set | frozenset) else {value}
    if key == "vip":
        wanted |= {True, False}
    if wanted:
        return st.sampled_from(sorted(wanted, key=repr))
    return st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.text(max_size=5))


def data_for(
    workflow: Workflow, event: str, at: datetime
) -> st.SearchStrategy[dict[str, Any] | None]:
    """Data for ``event`` sent at ``at``: a value for every key its ``set_attrs`` name.

    Keys that ``at=`` timers read get aware datetimes (or ISO text with an
    offset) near ``at``, before or after it; keys SLAs select on get the
    values their ``when`` asks for. For a callable ``set_attrs`` each known
    attribute may be there or not. None when no transition of that name sets
    attributes. Shrinks toward the first value of each key.
    """
    wf = check_workflow(workflow)
    keys: dict[str, None] = {}
    callable_set = False
    for t in wf.transitions:
        if t.event != event or t.set_attrs is None:
            continue
        if callable(t.set_attrs):
            callable_set = True
        else:
            keys.update(dict.fromkeys(t.set_attrs))
    if not keys and not callable_set:
        return st.none()
    optional: dict[str, st.SearchStrategy[Any]] = {}
    if callable_set:
        known = {*_ATTR_VALUES, *_DEADLINE_ATTRS, *deadline_attrs(wf)}
        for sla in wf.slas:
            known |= set(sla.when or {})
        optional = {k: _values_for(wf, k, at) for k in sorted(known) if k not in keys}
    return st.fixed_dictionaries({k: _values_for(wf, k, at) for k in keys}, optional=optional)


def _check_ticket(workflow: Workflow, ticket: object) -> Ticket:
    if not isinstance(ticket, Ticket):
        raise KitArgumentError(
            "ticket", ticket, f"ticket={brief(ticket)} must be a ticketflow.Ticket"
        )
    known = {s.name for s in workflow.statuses}
    if ticket.workflow != workflow.name or ticket.status not in known:
        raise KitArgumentError(
            "ticket",
            ticket,
            f"ticket={brief(ticket)} does not belong to workflow {workflow.name!r} "
            f"(workflow {ticket.workflow!r}, status {ticket.status!r})",
        )
    return ticket


#: The latest instant a strategy or the machine hands the engine.
LAST_INSTANT = MAX_INSTANT - timedelta(microseconds=1)


def _later(ticket: Ticket, gap: timedelta) -> datetime:
    """``gap`` after the ticket's last change, never past :data:`LAST_INSTANT`."""
    zone: tzinfo | None = ticket.updated_at.tzinfo
    base = ticket.updated_at.astimezone(UTC)
    at = base + gap if base < LAST_INSTANT - gap else LAST_INSTANT
    return at.astimezone(zone)


def events(
    workflow: Workflow,
    ticket: Ticket,
    *,
    max_gap: timedelta = timedelta(days=30),
    data: st.SearchStrategy[Mapping[str, Any] | None] | None = None,
) -> st.SearchStrategy[Event]:
    """The next event for ``ticket``: at or after its last change, valid or not.

    Half the draws are events some role may send now, the rest any event
    name (or an unknown one) from any role or none; ``data`` draws payloads
    (default: :func:`data_for` the event, None for an event that sets no
    attributes). Shrinks toward an allowed event with no pause.

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``).
    """
    wf = check_workflow(workflow)
    t = _check_ticket(wf, ticket)
    gap_st = gaps(max_gap)
    given_data = check_strategy(data, "data")
    data_st = st.none() if given_data is None else given_data.map(drawn_data)
    roles = roles_of(wf)
    valid = direct_pairs(wf, t)
    timed = timer_events(wf)
    names = [*wf.events(), "no_such_event"]
    any_pair = st.tuples(st.sampled_from(names), st.sampled_from(roles)).filter(
        lambda p: not (p[1] == "system" and p[0] in timed)
    )
    pair = st.one_of(st.sampled_from(valid), any_pair) if valid else any_pair

    @st.composite
    def build(draw: st.DrawFn) -> Event:
        name, actor = draw(pair)
        at = _later(t, draw(gap_st))
        payload = draw(data_for(wf, name, at) if given_data is None else data_st)
        return Event(name, at, actor, payload)

    return build()


def event_streams(
    workflow: Workflow,
    *,
    min_size: int = 0,
    max_size: int = 10,
    valid_only: bool = False,
    start: st.SearchStrategy[datetime] | None = None,
    attrs: st.SearchStrategy[Mapping[str, Any]] | None = None,
    max_gap: timedelta = timedelta(days=30),
) -> st.SearchStrategy[list[Event]]:
    """Event logs for one ticket: ``start`` (its data the attrs), then timestamped events.

    Events are drawn against the ticket as it evolves, so the log mixes
    accepted events with rejected ones (unknown names, wrong roles, refused
    guards) and pauses long enough for timers to fire; with
    ``valid_only=True`` every event is accepted, so ``workflow.replay`` folds
    the whole log. Events that set attributes carry data for them
    (:func:`data_for`). Shrinks toward the shortest log with no pauses.

    Raises:
        KitArgumentError: naming the bad argument (a ``TicketflowError`` and
            a hypothesis ``InvalidArgument``).
    """
    wf = check_workflow(workflow)
    lo = _check_int(min_size, "min_size", 0)
    hi = _check_int(max_size, "max_size", 0)
    _check_order(lo, hi, "min_size", "max_size")
    _check_bool(valid_only, "valid_only")
    given_start = check_strategy(start, "start")
    start_st = (
        aware_datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31))
        if given_start is None
        else given_start.map(lambda v: drawn_instant(v, "start"))
    )
    given_attrs = check_strategy(attrs, "attrs")
    attrs_st = attrs_for(wf) if given_attrs is None else given_attrs.map(drawn_attrs)
    gap_st = gaps(max_gap)

    @st.composite
    def build(draw: st.DrawFn) -> list[Event]:
        at = draw(start_st)
        first_attrs = dict(draw(attrs_st))
        try:
            ticket = wf.start(at=at, attrs=first_attrs).ticket
        except TicketflowError as exc:
            raise KitArgumentError(
                "attrs",
                first_attrs,
                f"the start and attrs strategies drew at={at.isoformat()}, "
                f"attrs={brief(first_attrs)}, which {wf.name!r} refuses: {exc}",
            ) from None
        out = [Event("start", at, None, first_attrs)]
        for _ in range(draw(st.integers(lo, hi), label="events")):
            if valid_only:
                when = _later(ticket, draw(gap_st))
                pairs = direct_pairs(wf, ticket, when)
                if not pairs:
                    break
                name, actor = draw(st.sampled_from(pairs))
                ev = Event(name, when, actor, draw(data_for(wf, name, when)))
            else:
                ev = draw(events(wf, ticket, max_gap=max_gap))
            try:
                ticket = wf.apply(ticket, ev.name, at=ev.at, actor=ev.actor, data=ev.data).ticket
            except TicketflowError:
                if valid_only:
                    break
            out.append(ev)
        return out

    return build()
