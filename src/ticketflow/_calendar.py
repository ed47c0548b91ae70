"""Business calendars: working hours, holidays, overrides and DST, to the minute.

Theory of operation
-------------------

Working time is the set of instants whose local wall-clock reading falls inside
a working interval of its local date. Every local date therefore owns an exact
amount of working time (a repeated DST hour inside working hours counts twice,
a skipped hour not at all), and every question reduces to sums of per-date
*weights* over ranges of dates:

* the **days** measure weighs a date 1 when it has any working interval;
* the **time** measure weighs a date by its working microseconds.

A week without holidays, overrides or DST changes repeats itself, so sums over
plain dates are arithmetic; the dates that differ (holidays, overrides, and the
dates around DST transitions) are *exceptions*, kept in tables that grow by
whole years. :mod:`._weights` holds those prefix sums and tables and answers
the weight of a date range, and where a running total reaches a target, by
bisection: nothing loops over days, weeks or holidays, so adding 2,500 business
days costs what adding 5 does. This module supplies the per-year exceptions
(from the holidays, the overrides and the zone) and each date's working
intervals.

:mod:`._zone` holds the zone arithmetic: UTC offset changes, conversions
between UTC and local readings cached per local date, and a date's working
intervals converted to UTC by splitting at offset changes (so DST gaps and
folds are exact).

A calendar converts and searches through a route (:mod:`._routes`): the fast
one takes the zone's and the loaded tables' shortcuts; the reference one
(:func:`reference_calendar`) takes the general conversions and the
table-growing searches, and gives the same answers.

All arithmetic is in integer microseconds since 0001-01-01 00:00 UTC.

Bounds: instants given are checked against ``[MIN_INSTANT, MAX_INSTANT)`` with two
integer comparisons on their UTC microseconds (``InstantError``); results are
checked only when their year is at an end of the range (``DurationError``). A
business search or ``elapsed`` spans at most ``SPAN_DAYS`` (about 100 years) of
calendar time, refused up front from the plain-week estimate where it can be, so
no call loads more than about a hundred years of exception tables.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ._durations import MAX_DURATION_YEARS, Duration, check_timedelta, short_repr
from ._errors import CalendarError, DurationError
from ._holidays import HolidaySource, to_sources
from ._hours import (
    WEEKDAY_NAMES,
    HoursSpec,
    Interval,
    fmt_interval,
    fmt_minutes,
    parse_hours,
    parse_intervals,
    weekdays,
)
from ._limits import MAX_INSTANT, MIN_INSTANT, out_of_range
from ._routes import DayIntervals, FastRoute, ReferenceRoute, Route
from ._weights import DAYS, FIRST_DATE, LAST_DATE, SPAN_DAYS, TIME, Weights, YearDeltas
from ._zone import DAY_US, EPOCH, MINUTE_US, US, Zone

__all__ = ["ALWAYS_OPEN", "BusinessCalendar", "HoursSpec", "weekdays"]


_MAX_ORDINAL = date.max.toordinal()
_INTERVAL_CACHE_SIZE = 4096
# The supported instants [MIN_INSTANT, MAX_INSTANT) in microseconds: inputs outside raise
# InstantError, results outside DurationError.
_MIN_US = (MIN_INSTANT.replace(tzinfo=None) - EPOCH) // US
_MAX_US = (MAX_INSTANT.replace(tzinfo=None) - EPOCH) // US
# Years strictly between these hold only instants inside the supported range, whatever the
# zone; a result in another year is checked exactly.
_SAFE_YEARS = (MIN_INSTANT.year, MAX_INSTANT.year - 1)
_SPAN_US = SPAN_DAYS * DAY_US


class _Cache:
    """Mutable, lock-guarded lazy state of one calendar (never visible outside)."""

    __slots__ = ("days", "holiday_years", "lock", "year_deltas")

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.year_deltas: dict[int, YearDeltas] = {}
        self.days: dict[int, DayIntervals] = {}
        self.holiday_years: dict[int, frozenset[date]] = {}


def _named(exc: Exception, at: datetime, duration: object) -> DurationError:
    """A DurationError naming the start and the duration of a failed addition."""
    what = duration if isinstance(duration, Duration) else short_repr(duration)
    detail = str(exc) if isinstance(exc, DurationError) else "outside the supported range"
    return DurationError(f"{at.isoformat()} + {what}: {detail}")


# --------------------------------------------------------------------------- the calendar


@attrs.frozen(eq=False, init=False, repr=False)
class BusinessCalendar:
    """Working hours in a time zone, minus holidays, with per-date overrides.

    Attributes:
        timezone: The IANA zone name, e.g. ``"Europe/Madrid"``.
        tz: The ``ZoneInfo`` of ``timezone``; every computed instant is in it.
        hours: Weekday name -> tuple of ``("HH:MM", "HH:MM")`` intervals
            (closed days absent).
        holidays: The holiday sources (see :func:`~ticketflow.country_holidays`).
        overrides: Date -> intervals replacing that date's hours (``()`` closes it).

    Calendars compare and hash by identity, so they work as dict keys.

    Examples:
        >>> from datetime import datetime
        >>> from ticketflow import business_hours
        >>> cal = BusinessCalendar("UTC", weekdays("09:00", "17:00"))
        >>> cal.add(datetime(2026, 3, 6, 16, 0, tzinfo=cal.tz), business_hours(2))
        datetime.datetime(2026, 3, 9, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
    """

    timezone: str
    tz: ZoneInfo
    _week: tuple[tuple[Interval, ...], ...]
    _overrides: Mapping[date, tuple[Interval, ...]]
    holidays: tuple[HolidaySource, ...]
    _zone: Zone
    _weights: Weights
    _route: Route
    _cache: _Cache

    def __init__(
        self,
        timezone: str = "UTC",
        hours: HoursSpec | None = None,
        holidays: object = None,
        overrides: Mapping[date, Any] | None = None,
    ) -> None:
        if not isinstance(timezone, str):
            raise CalendarError(f"timezone must be a zone name string, got {timezone!r}")
        try:
            tz = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise CalendarError(f"unknown time zone {timezone!r}") from None
        week = parse_hours(weekdays("09:00", "17:00") if hours is None else hours)
        if not any(week):
            raise CalendarError("the calendar has no working time in a whole week")
        parsed_overrides: dict[date, tuple[Interval, ...]] = {}
        if overrides is not None and not isinstance(overrides, Mapping):
            raise CalendarError(f"overrides must map dates to intervals, got {overrides!r}")
        for day, value in (overrides or {}).items():
            if isinstance(day, datetime) or not isinstance(day, date):
                raise CalendarError(f"override key {day!r} must be a date")
            parsed_overrides[day] = parse_intervals(value, f"override for {day.isoformat()}")
        day_prefix = [0]
        time_prefix = [0]
        for intervals in week:
            day_prefix.append(day_prefix[-1] + (1 if intervals else 0))
            time_prefix.append(time_prefix[-1] + sum(e - s for s, e in intervals) * MINUTE_US)
        cache = _Cache()
        zone = Zone(timezone, tz, cache.lock)
        weights = Weights(
            (tuple(day_prefix), tuple(time_prefix)),
            self._year_deltas,
            len(parsed_overrides),
            cache.lock,
        )
        self.__attrs_init__(
            timezone,
            tz,
            week,
            MappingProxyType(parsed_overrides),
            to_sources(holidays),
            zone,
            weights,
            FastRoute(zone, weights, cache.days),
            cache,
        )

    # ------------------------------------------------------------------ public views

    @property
    def hours(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """The weekly hours as ``{"mon": (("09:00", "18:00"),), ...}`` (closed days absent)."""
        return {
            WEEKDAY_NAMES[i]: tuple((fmt_minutes(s), fmt_minutes(e)) for s, e in ivs)
            for i, ivs in enumerate(self._week)
            if ivs
        }

    @property
    def overrides(self) -> Mapping[date, tuple[tuple[str, str], ...]]:
        """Per-date hours that replace the weekly ones (``()`` closes the date)."""
        return MappingProxyType(
            {
                d: tuple((fmt_minutes(s), fmt_minutes(e)) for s, e in ivs)
                for d, ivs in sorted(self._overrides.items())
            }
        )

    def __repr__(self) -> str:
        groups: list[str] = []
        i = 0
        days = len(self._week)
        while i < days:
            j = i
            while j + 1 < days and self._week[j + 1] == self._week[i]:
                j += 1
            if self._week[i]:
                days_text = WEEKDAY_NAMES[i] if i == j else f"{WEEKDAY_NAMES[i]}-{WEEKDAY_NAMES[j]}"
                groups.append(f"{days_text} {','.join(map(fmt_interval, self._week[i]))}")
            i = j + 1
        text = f"BusinessCalendar({self.timezone!r}, {'; '.join(groups)!r}"
        if self.holidays:
            text += f", holidays={list(self.holidays)!r}"
        if self._overrides:
            text += f", overrides=<{len(self._overrides)} dates>"
        return text + ")"

    # ------------------------------------------------------------------ one date

    def _wall(self, d: date) -> tuple[Interval, ...]:
        """The working intervals of local date ``d`` after holidays and overrides."""
        override = self._overrides.get(d)
        if override is not None:
            return override
        if self.holidays and d in self._holidays_in(d.year):
            return ()
        return self._week[d.weekday()]

    def _holidays_in(self, year: int) -> frozenset[date]:
        found = self._cache.holiday_years.get(year)
        if found is None:
            found = frozenset().union(*(src.dates(year) for src in self.holidays))
            with self._cache.lock:
                self._cache.holiday_years[year] = found
        return found

    def _day(self, ordinal: int) -> DayIntervals:
        """A local date's working intervals: as wall-clock minutes, and in UTC microseconds."""
        cache = self._cache.days
        found = cache.get(ordinal)
        if found is not None:
            return found
        if not 1 <= ordinal <= _MAX_ORDINAL:
            raise out_of_range()
        wall = self._wall(date.fromordinal(ordinal))
        result = (wall, self._zone.to_utc(ordinal, wall))
        with self._cache.lock:
            if len(cache) >= _INTERVAL_CACHE_SIZE:
                cache.clear()
            cache[ordinal] = result
        return result

    # ------------------------------------------------------------------ exceptions

    def _year_deltas(self, year: int) -> YearDeltas:
        """(ordinal, delta) pairs of ``year`` for the days and time measures."""
        found = self._cache.year_deltas.get(year)
        if found is not None:
            return found
        candidates: set[date] = set()
        for src in self.holidays:
            candidates.update(src.dates(year))
        candidates.update(d for d in self._overrides if d.year == year)
        candidates.update(self._zone.shift_dates(year))
        days: list[tuple[int, int]] = []
        times: list[tuple[int, int]] = []
        week_time = self._weights.prefix[TIME]
        for d in sorted(candidates):
            ordinal = d.toordinal()
            weekday = d.weekday()
            wall = self._wall(d)
            day_delta = (1 if wall else 0) - (1 if self._week[weekday] else 0)
            length = sum(e - s for s, e in self._zone.to_utc(ordinal, wall))
            time_delta = length - (week_time[weekday + 1] - week_time[weekday])
            if day_delta:
                days.append((ordinal, day_delta))
            if time_delta:
                times.append((ordinal, time_delta))
        result = (days, times)
        with self._cache.lock:
            self._cache.year_deltas[year] = result
        return result

    # ------------------------------------------------------------------ public API

    def is_business_day(self, d: date) -> bool:
        """True when local date ``d`` has any working interval (after holidays/overrides).

        Examples:
            >>> ALWAYS_OPEN.is_business_day(date(2026, 12, 25))
            True
        """
        if isinstance(d, datetime):
            d = d.date()
        if not isinstance(d, date):
            raise CalendarError(f"is_business_day() needs a date, got {d!r}")
        if not FIRST_DATE <= d <= LAST_DATE:
            raise CalendarError(
                f"date {d.isoformat()} is outside the supported range "
                f"[{FIRST_DATE.isoformat()}, {LAST_DATE.isoformat()}]"
            )
        return bool(self._wall(d))

    def is_open(self, at: datetime) -> bool:
        """True when ``at`` is working time: its local reading is inside a working interval."""
        _, ordinal, wall = self._route.read(at, "at")
        minute = wall // MINUTE_US
        return any(s <= minute < e for s, e in self._day(ordinal)[0])

    def next_open(self, at: datetime) -> datetime:
        """``at`` itself when open, else the next opening (in the calendar's zone)."""
        u, ordinal, _ = self._route.read(at, "at")
        for s, e in self._day(ordinal)[1]:
            if u < e:
                return self._result(self._route.instant(max(s, u)), at, "the next opening")
        try:
            e_ord, _ = self._route.forward(TIME, ordinal + 1, 1)
            found = self._route.instant(self._day(e_ord)[1][0][0])
        except (DurationError, OverflowError) as exc:
            raise CalendarError(f"no opening after {at.isoformat()}: {exc}") from None
        return self._result(found, at, "the next opening")

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Working time in ``[a, b)``; negative when ``b`` is before ``a``."""
        tz = self.tz
        if type(a) is datetime and type(b) is datetime and a.tzinfo is tz and b.tzinfo is tz:
            ua, da, _ = self._route.read(a, "a")
            ub, db, _ = self._route.read(b, "b")
        else:
            ua, ub = self._route.us(a, "a"), self._route.us(b, "b")
            if ub < ua:
                db, da = self._route.instant(ub).toordinal(), self._route.instant(ua).toordinal()
            else:
                da, db = self._route.instant(ua).toordinal(), self._route.instant(ub).toordinal()
        if not -_SPAN_US <= ub - ua <= _SPAN_US:
            raise DurationError(
                f"elapsed({a.isoformat()}, {b.isoformat()}): the instants are more than "
                f"{SPAN_DAYS} days (about {MAX_DURATION_YEARS} years) apart"
            )
        if ub < ua:
            return timedelta(microseconds=-self._elapsed_us(ub, db, ua, da))
        return timedelta(microseconds=self._elapsed_us(ua, da, ub, db))

    def _elapsed_us(self, ua: int, da: int, ub: int, db: int) -> int:
        """Working time in ``[ua, ub)`` with ``da``, ``db`` their local ordinals."""
        days = self._cache.days
        day = days.get(da) or self._day(da)
        if da == db:
            return sum(max(0, min(e, ub) - max(s, ua)) for s, e in day[1])
        head = 0
        for s, e in day[1]:
            if e > ua:
                head += e - (s if s > ua else ua)
        tail = 0
        for s, e in (days.get(db) or self._day(db))[1]:
            if s < ub:
                tail += (e if e < ub else ub) - s
        return head + self._weights.weight(TIME, da + 1, db) + tail

    def add(self, at: datetime, duration: Duration | timedelta) -> datetime:
        """``at`` moved on by ``duration`` (any unit; negative moves back).

        Examples:
            >>> from datetime import datetime
            >>> from ticketflow import days
            >>> ny = BusinessCalendar("America/New_York", weekdays("09:00", "17:00"))
            >>> ny.add(datetime(2026, 3, 7, 10, 0, tzinfo=ny.tz), days(1))  # 23 real hours
            datetime.datetime(2026, 3, 8, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
        """
        try:
            result = self._add(at, duration)
        except (DurationError, OverflowError) as exc:
            raise _named(exc, at, duration) from None
        if not _SAFE_YEARS[0] < result.year < _SAFE_YEARS[1]:
            return self._result(result, at, duration)
        return result

    def _add(self, at: datetime, duration: Duration | timedelta) -> datetime:
        """:meth:`add` before the result's range check."""
        if isinstance(duration, Duration):
            unit = duration.unit
            if unit == "business_days":
                if type(at) is datetime and at.tzinfo is self.tz:
                    found = self._route.add_days_plain(at, duration.amount)
                    if found is not None:
                        return found
                _, ordinal, wall = self._route.read(at, "at")
                return self._add_days(ordinal, wall, duration.amount)
            if unit == "days":
                _, ordinal, wall = self._route.read(at, "at")
                return self._route.localize(ordinal + duration.amount, wall)
            if unit in {"minutes", "hours"}:
                return self._route.instant(
                    self._route.us(at, "at") + duration.total_minutes * MINUTE_US
                )
            u, ordinal, _ = self._route.read(at, "at")
            return self._add_time(u, ordinal, duration.total_minutes * MINUTE_US)
        u = self._route.us(at, "at")
        if not isinstance(duration, timedelta):
            raise DurationError(f"expected a Duration or timedelta, got {short_repr(duration)}")
        return self._route.instant(u + check_timedelta(duration) // US)

    def _result(self, result: datetime, at: datetime, what: object) -> datetime:
        """``result`` if it is a supported instant, else DurationError naming ``what``."""
        u = (datetime.replace(result, tzinfo=None) - EPOCH) // US
        offset = result.utcoffset()
        assert offset is not None
        if not _MIN_US <= u - offset // US < _MAX_US:
            raise DurationError(
                f"{at.isoformat()} + {what}: result {result.isoformat()} is outside the "
                f"supported range [{MIN_INSTANT.isoformat()}, {MAX_INSTANT.isoformat()})"
            )
        return result

    def add_working(self, at: datetime, working: timedelta) -> datetime:
        """``at`` moved on by ``working`` of working time given as a ``timedelta``.

        The same as ``add(at, business_minutes(n))`` for whole minutes, but
        exact to the microsecond (SLA clocks resume with whatever is left).

        Examples:
            >>> from datetime import datetime
            >>> cal = BusinessCalendar("UTC", weekdays("09:00", "17:00"))
            >>> friday = datetime(2026, 3, 6, 16, 59, 30, tzinfo=cal.tz)
            >>> cal.add_working(friday, timedelta(seconds=45))
            datetime.datetime(2026, 3, 9, 9, 0, 15, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        """
        if not isinstance(working, timedelta):
            raise DurationError(f"expected a timedelta of working time, got {short_repr(working)}")
        u, ordinal, _ = self._route.read(at, "at")
        try:
            result = self._add_time(u, ordinal, check_timedelta(working) // US)
        except (DurationError, OverflowError) as exc:
            raise _named(exc, at, working) from None
        if not _SAFE_YEARS[0] < result.year < _SAFE_YEARS[1]:
            return self._result(result, at, working)
        return result

    def subtract(self, at: datetime, duration: Duration | timedelta) -> datetime:
        """``at`` moved back by ``duration``: the same as ``add(at, -duration)``."""
        if not isinstance(duration, Duration | timedelta):
            raise DurationError(f"expected a Duration or timedelta, got {short_repr(duration)}")
        if isinstance(duration, timedelta):
            check_timedelta(duration)
        return self.add(at, -duration)

    def _add_days(self, ordinal: int, wall: int, n: int) -> datetime:
        """``n`` working days on from local wall time ``wall`` of date ``ordinal``."""
        working = bool((self._cache.days.get(ordinal) or self._day(ordinal))[0])
        if n >= 0:
            e, _ = self._route.forward(DAYS, ordinal, n + 1)
            if not working:
                first, _ = self._route.forward(DAYS, ordinal, 1)
                wall = self._day(first)[0][0][0] * MINUTE_US
        else:
            e, _ = self._route.backward(DAYS, ordinal, 1 - n)
            if not working:
                last, _ = self._route.backward(DAYS, ordinal, 1)
                wall = self._day(last)[0][-1][1] * MINUTE_US
        return self._route.localize(e, wall)

    def _add_time(self, u: int, ordinal: int, amount: int) -> datetime:  # noqa: C901, PLR0912 - hot: one walk over days, no call per day
        """``amount`` of working time on from ``u`` (local date ``ordinal``)."""
        if amount == 0:
            return self._route.instant(u)
        days = self._cache.days
        if amount > 0:
            for s, e in (days.get(ordinal) or self._day(ordinal))[1]:
                if e <= u:
                    continue
                begin = max(s, u)
                if amount <= e - begin:
                    return self._route.instant(begin + amount)
                amount -= e - begin
            e_ord, before = self._route.forward(TIME, ordinal + 1, amount)
            rest = amount - before
            for s, e in (days.get(e_ord) or self._day(e_ord))[1]:
                if rest <= e - s:
                    return self._route.instant(s + rest)
                rest -= e - s
        else:
            amount = -amount
            for s, e in reversed((days.get(ordinal) or self._day(ordinal))[1]):
                if s >= u:
                    continue
                finish = min(e, u)
                if amount <= finish - s:
                    return self._route.instant(finish - amount)
                amount -= finish - s
            e_ord, after = self._route.backward(TIME, ordinal - 1, amount)
            rest = amount - after
            for s, e in reversed((days.get(e_ord) or self._day(e_ord))[1]):
                if rest <= e - s:
                    return self._route.instant(e - rest)
                rest -= e - s
        raise AssertionError("working time tables are inconsistent")  # pragma: no cover


def reference_calendar(
    timezone: str = "UTC",
    hours: HoursSpec | None = None,
    holidays: object = None,
    overrides: Mapping[date, Any] | None = None,
) -> BusinessCalendar:
    """``BusinessCalendar(timezone, hours, holidays, overrides)`` on the reference route.

    It answers every question as the calendar does, by the general conversions
    and searches only (see :class:`~ticketflow._routes.ReferenceRoute`): the
    yardstick the fast route is tested against.
    """
    calendar = BusinessCalendar(timezone, hours, holidays, overrides)
    route = ReferenceRoute(calendar._zone, calendar._weights)
    object.__setattr__(calendar, "_route", route)  # a fresh calendar: nothing cached yet
    return calendar


ALWAYS_OPEN = BusinessCalendar("UTC", {day: [("00:00", "24:00")] for day in WEEKDAY_NAMES})
"""Open 24 hours a day, 7 days a week, in UTC, with no holidays."""
