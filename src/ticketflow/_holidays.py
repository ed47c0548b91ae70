"""Holiday sources for business calendars.

A holiday source answers one question: which dates of a given year are
closed. Three kinds exist, and a calendar accepts any mix of them:

* :func:`country_holidays`: public holidays of a country or subdivision, or of
  a financial market, from the ``holidays`` package (observed days included);
* explicit ``date`` objects;
* ``dateutil.rrule`` strings for recurring closures. A rule without
  ``DTSTART`` is anchored at 1900-01-01, never at the clock, so the same rule
  gives the same dates on every machine and every day. Rules are checked when
  the calendar is built: at most daily, DTSTART in the years 1900-2999, at
  least one date in that range; DAILY and WEEKLY rules filter only by month
  and weekday. Each year is expanded on its own (see :class:`_Rule`), so any
  year in range costs about the same.

Sources expand years lazily and cache them; they are safe to share between
calendars and threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import MAXYEAR, date, datetime, timedelta
from itertools import islice
from math import gcd
from typing import Any, Protocol

import attrs
import holidays as _holidays_pkg
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule, rruleset, rrulestr

from ._checks import MAX_ITEMS, show
from ._errors import CalendarError

__all__ = [
    "CountryHolidays",
    "DateHolidays",
    "HolidaySource",
    "RRuleHolidays",
    "country_holidays",
    "to_sources",
]

# Where a rule without DTSTART starts counting (so COUNT and INTERVAL mean the
# same thing on every machine).
_RRULE_ANCHOR = datetime(1900, 1, 1)
#: Years a holiday rule may start in and is expanded for (calendars ask one year
#: either side of the supported instants).
FIRST_RULE_YEAR, LAST_RULE_YEAR = 1899, 3000
_MAX_RULE_CHARS = 2_000  # longest RRULE text accepted
_MAX_COUNT = 10_000  # largest COUNT accepted
_MAX_INTERVAL = 100_000  # largest INTERVAL accepted
# Expansions run close to (not past) this year, so a walk to year 9999 stays short.
_SHIFT_CEILING = 9_998


class HolidaySource(Protocol):
    """Anything that lists the closed dates of a year."""

    def dates(self, year: int) -> frozenset[date]:
        """The closed dates that fall in ``year``."""
        ...  # pragma: no cover


@attrs.frozen(eq=False, repr=False)
class CountryHolidays:
    """Public holidays of a country (or subdivision) or of a financial market.

    Built by :func:`country_holidays`; observed days (a Saturday holiday moved
    to Friday) are included when ``observed`` is true, including those that
    fall in the year before the holiday itself.

    Attributes:
        country: ISO 3166 country code, or the market code when ``market`` is set.
        subdiv: Subdivision code (``"MD"`` for Madrid), or None.
        market: Financial market code (``"NYSE"``, ``"XLON"``...), or None.
        observed: Whether observed days are closed too.
    """

    country: str
    subdiv: str | None = None
    market: str | None = None
    observed: bool = True
    _cache: dict[int, frozenset[date]] = attrs.field(factory=dict, init=False)
    _lock: threading.Lock = attrs.field(factory=threading.Lock, init=False)

    def _populate(self, year: int) -> frozenset[date]:
        """Every date the package lists when asked for ``year`` (cached)."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        if not 1 <= year <= MAXYEAR:
            return frozenset()
        if self.market is not None:
            table = _holidays_pkg.financial_holidays(
                self.market, years=year, observed=self.observed
            )
        else:
            table = _holidays_pkg.country_holidays(
                self.country, subdiv=self.subdiv, years=year, observed=self.observed
            )
        result = frozenset(table.keys())
        with self._lock:
            self._cache[year] = result
        return result

    def dates(self, year: int) -> frozenset[date]:
        """The closed dates that fall in ``year``.

        Examples:
            >>> date(2026, 7, 3) in country_holidays("US").dates(2026)
            True
        """
        found: set[date] = set()
        for y in (year - 1, year, year + 1):
            found.update(d for d in self._populate(y) if d.year == year)
        return frozenset(found)

    def __repr__(self) -> str:
        if self.market is not None:
            args = f"{self.country!r}, market={self.market!r}"
        else:
            args = repr(self.country)
            if self.subdiv is not None:
                args += f", subdiv={self.subdiv!r}"
        if not self.observed:
            args += ", observed=False"
        return f"country_holidays({args})"


def country_holidays(
    country: str,
    subdiv: str | None = None,
    *,
    financial: bool = False,
    market: str | None = None,
    observed: bool = True,
) -> CountryHolidays:
    """Public holidays of ``country`` (and ``subdiv``), or of a financial market.

    ``financial=True`` reads ``country`` as a market code (``"NYSE"``);
    ``market="XLON"`` names the market explicitly. Use the result as (part of)
    a calendar's ``holidays=``.

    Raises:
        CalendarError: naming an unknown country, subdivision or market.

    Examples:
        >>> country_holidays("ES", subdiv="MD")
        country_holidays('ES', subdiv='MD')
        >>> country_holidays("US", subdiv="XX")
        Traceback (most recent call last):
        ...
        ticketflow._errors.CalendarError: unknown subdivision 'XX' of country 'US' ...
    """
    if not isinstance(country, str) or not country:
        raise CalendarError(f"country must be a non-empty code string, got {country!r}")
    for name, value in (("subdiv", subdiv), ("market", market)):
        if value is not None and (not isinstance(value, str) or not value):
            raise CalendarError(f"{name} must be a non-empty code string or None, got {value!r}")
    if not isinstance(observed, bool) or not isinstance(financial, bool):
        raise CalendarError(
            f"observed and financial must be True or False, got {observed!r} and {financial!r}"
        )
    if financial and market is None:
        market = country
    if market is not None:
        if subdiv is not None:
            raise CalendarError(f"market {market!r} takes no subdivision (got {subdiv!r})")
        try:
            _holidays_pkg.financial_holidays(market, years=[])
        except NotImplementedError:
            raise CalendarError(
                f"unknown financial market {market!r} "
                f"(known: {', '.join(sorted(_holidays_pkg.list_supported_financial()))})"
            ) from None
        return CountryHolidays(country, None, market, observed)
    supported = _holidays_pkg.list_supported_countries()
    if country not in supported:
        raise CalendarError(f"unknown country {country!r} for holidays (use an ISO 3166 code)")
    if subdiv is not None:
        try:
            _holidays_pkg.country_holidays(country, subdiv=subdiv, years=[])
        except NotImplementedError:
            known = ", ".join(supported[country]) or "none"
            raise CalendarError(
                f"unknown subdivision {subdiv!r} of country {country!r} (known: {known})"
            ) from None
    return CountryHolidays(country, subdiv, None, observed)


class DateHolidays:
    """A fixed set of explicit dates."""

    __slots__ = ("_by_year", "_dates")

    def __init__(self, dates: Iterable[date]) -> None:
        self._dates = tuple(sorted(set(dates)))
        by_year: dict[int, set[date]] = {}
        for d in self._dates:
            by_year.setdefault(d.year, set()).add(d)
        self._by_year = {y: frozenset(s) for y, s in by_year.items()}

    @property
    def all_dates(self) -> tuple[date, ...]:
        """Every closed date, sorted."""
        return self._dates

    def dates(self, year: int) -> frozenset[date]:
        return self._by_year.get(year, frozenset())

    def __repr__(self) -> str:
        if len(self._dates) <= _REPR_DATES:
            return repr(list(self._dates))
        return f"<{len(self._dates)} dates>"


def _bad_rule(text: str, why: str) -> CalendarError:
    return CalendarError(f"bad holiday rule {text[:200]!r}: {why}")


# Per-period shifts are counted in these units (days for DAILY and WEEKLY).
_DAY_UNITS = (DAILY, WEEKLY)
_EVERY_MONTH_HAS = 28  # a monthly rule from a later day skips the months without it
_LEAP_DAY = (2, 29)
_REPR_DATES = 3  # a repr lists this many dates, or counts them


def _check_repeat(rule: rrule, text: str, freq: int) -> None:
    """Refuse a rule that repeats more often than daily."""
    if freq > DAILY:
        raise _bad_rule(text, "it repeats more often than daily (use FREQ=DAILY or longer)")
    for name in ("_byhour", "_byminute", "_bysecond"):
        if len(_field(rule, name) or ()) > 1:
            raise _bad_rule(
                text, f"several BY{name[3:].upper()} values repeat more often than daily"
            )


def _check_start(start: datetime, text: str) -> None:
    """Refuse a DTSTART with a time zone or outside the supported years."""
    if start.tzinfo is not None:
        raise _bad_rule(text, "DTSTART must be a local date-time without a time zone")
    if not FIRST_RULE_YEAR < start.year < LAST_RULE_YEAR:
        raise _bad_rule(
            text,
            f"DTSTART {start.date().isoformat()} is outside the supported range "
            f"(years {FIRST_RULE_YEAR + 1} to {LAST_RULE_YEAR - 1})",
        )


def _check_day_filters(rule: rrule, text: str, freq: int) -> None:
    """Refuse day-of-month or day-of-year filters on a daily or weekly rule."""
    if freq in _DAY_UNITS and (
        _field(rule, "_bymonthday")
        or _field(rule, "_bynmonthday")
        or _field(rule, "_byyearday")
        or _field(rule, "_byweekno")
        or _field(rule, "_byeaster")
        or _field(rule, "_bysetpos")
    ):
        raise _bad_rule(
            text,
            "FREQ=DAILY and FREQ=WEEKLY take only BYMONTH and BYDAY filters "
            "(use FREQ=YEARLY or FREQ=MONTHLY for days of the month or year)",
        )


def _whole_period(freq: int, interval: int, start: datetime) -> tuple[str, int]:
    """The unit and length of the whole periods that keep every occurrence (see _anchor)."""
    if freq == DAILY:
        return "days", interval
    if freq == WEEKLY:
        return "days", 7 * interval
    if freq == MONTHLY:
        cycle = 4800  # months in 400 years
        return "months", interval if start.day <= _EVERY_MONTH_HAS else _lcm(interval, cycle)
    cycle = 400
    leap_day = (start.month, start.day) == _LEAP_DAY
    return "years", _lcm(interval, cycle) if leap_day else interval


class _Rule:
    """One validated RRULE, expanded one requested year at a time.

    To expand year ``Y`` the rule is re-anchored at its last period start on
    or before 1 January ``Y`` (whole periods keep every occurrence), then moved
    on by whole 400-year cycles (dates and weekdays repeat) close to year 9999,
    so that dateutil, which walks period by period until a match past the
    window or year 9999, never walks far: any year costs about the same.
    """

    __slots__ = ("_counted", "_period", "_rule", "_unit", "_until")

    def __init__(self, rule: rrule, text: str) -> None:
        freq = _field(rule, "_freq")
        _check_repeat(rule, text, freq)
        start: datetime = _field(rule, "_dtstart")
        _check_start(start, text)
        _check_day_filters(rule, text, freq)
        count = _field(rule, "_count")
        if count is not None and count > _MAX_COUNT:
            raise _bad_rule(text, f"COUNT={count} is more than {_MAX_COUNT}")
        interval = _field(rule, "_interval")
        if not 1 <= interval <= _MAX_INTERVAL:
            raise _bad_rule(text, f"INTERVAL={interval} is not between 1 and {_MAX_INTERVAL}")
        until = _field(rule, "_until")
        self._until: date | None = None if until is None else until.date()
        # Whole periods that keep every occurrence: see _anchor.
        self._unit, self._period = _whole_period(freq, interval, start)
        self._rule = rule.replace(count=None, until=None)
        self._counted: dict[int, frozenset[date]] | None = None
        first = self._first_on_or_after(max(start.date(), date(FIRST_RULE_YEAR, 1, 1)))
        if (
            first is None
            or first.year > LAST_RULE_YEAR
            or (self._until is not None and first > self._until)
        ):
            raise _bad_rule(text, "it yields no date in the supported range (years 1900 to 2999)")
        if count is not None:
            counted: dict[int, set[date]] = {}
            left = count
            year = first.year
            while left > 0 and year <= LAST_RULE_YEAR:
                found = sorted(self._expand(year))[:left]
                if found:
                    counted[year] = set(found)
                    left -= len(found)
                year += 1
            self._counted = {y: frozenset(v) for y, v in counted.items()}

    def _anchored(self, year: int) -> tuple[rrule, int]:
        """The rule re-anchored for ``year`` and the whole 400-year cycles it was moved on by."""
        rule = self._rule
        start: datetime = _field(rule, "_dtstart")
        target = date(year, 1, 1)
        if self._unit == "days":
            n = max(0, (target - start.date()).days // self._period)
            anchor = start + timedelta(days=n * self._period)
            cycle_units = 146_097
        elif self._unit == "months":
            months = (year - start.year) * 12 - (start.month - 1)
            n = max(0, months // self._period)
            index = start.year * 12 + start.month - 1 + n * self._period
            anchor = start.replace(year=index // 12, month=index % 12 + 1)
            cycle_units = 4800
        else:
            n = max(0, (year - start.year) // self._period)
            anchor = start.replace(year=start.year + n * self._period)
            cycle_units = 400
        step = self._period // gcd(self._period, cycle_units)  # cycles per whole period
        # The anchor is on or after 1 January ``year`` only when the rule starts later.
        cycles = step * ((_SHIFT_CEILING - max(year, anchor.year)) // (400 * step))
        if cycles > 0:
            anchor = anchor.replace(year=anchor.year + 400 * cycles)
        return rule.replace(dtstart=anchor), cycles

    def _expand(self, year: int) -> set[date]:
        """The rule's dates in ``year`` (ignoring COUNT and UNTIL)."""
        rule, cycles = self._anchored(year)
        shift = 400 * cycles
        lo = datetime(year + shift, 1, 1)
        hi = datetime(year + shift + 1, 1, 1)
        return {
            occurrence.date().replace(year=occurrence.year - shift)
            for occurrence in rule.between(lo, hi, inc=True)
            if occurrence < hi
        }

    def _first_on_or_after(self, day: date) -> date | None:
        """The first occurrence on or after ``day`` (ignoring COUNT and UNTIL), or None."""
        rule, cycles = self._anchored(day.year)
        shift = 400 * cycles
        found = rule.after(datetime(day.year + shift, day.month, day.day), inc=True)
        if found is None or found.year - shift > LAST_RULE_YEAR:
            return None
        return found.date().replace(year=found.year - shift)

    def dates(self, year: int) -> frozenset[date]:
        if not FIRST_RULE_YEAR <= year <= LAST_RULE_YEAR:
            return frozenset()
        if self._counted is not None:
            return self._counted.get(year, frozenset())
        found = self._expand(year)
        if self._until is not None:
            until = self._until
            found = {d for d in found if d <= until}
        return frozenset(found)


def _field(rule: object, name: str) -> Any:
    """A dateutil rule's parsed field (dateutil keeps them private and untyped)."""
    return getattr(rule, name)


def _lcm(a: int, b: int) -> int:
    return a * b // gcd(a, b)


class RRuleHolidays:
    """Dates of a ``dateutil.rrule`` string (with RDATE, EXDATE, EXRULE), cached per year.

    Rules are checked when the calendar is built: see the module docstring.
    """

    __slots__ = ("_cache", "_excluded", "_exrules", "_extra", "_lock", "_rules", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        if len(text) > _MAX_RULE_CHARS:
            raise _bad_rule(text, f"the text is longer than {_MAX_RULE_CHARS} characters")
        try:
            parsed = rrulestr(text, dtstart=_RRULE_ANCHOR, forceset=True)
        except Exception as exc:  # dateutil raises many kinds on bad text
            raise _bad_rule(text, str(exc)[:200] or type(exc).__name__) from None
        assert isinstance(parsed, rruleset)
        if not _field(parsed, "_rrule"):
            raise _bad_rule(text, "it has no RRULE")
        self._rules = tuple(_Rule(r, text) for r in _field(parsed, "_rrule"))
        self._exrules = (
            tuple(_Rule(r, text) for r in _field(parsed, "_exrule"))
            if _field(parsed, "_exrule")
            else ()
        )
        for value in (*_field(parsed, "_rdate"), *_field(parsed, "_exdate")):
            if value.tzinfo is not None or not FIRST_RULE_YEAR <= value.year <= LAST_RULE_YEAR:
                raise _bad_rule(text, f"RDATE/EXDATE {value!s} is not a local date-time in range")
        self._extra = frozenset(d.date() for d in _field(parsed, "_rdate"))
        self._excluded = frozenset(d.date() for d in _field(parsed, "_exdate"))
        self._cache: dict[int, frozenset[date]] = {}
        self._lock = threading.Lock()

    def dates(self, year: int) -> frozenset[date]:
        found = self._cache.get(year)
        if found is not None:
            return found
        days: set[date] = set()
        for rule in self._rules:
            days.update(rule.dates(year))
        days.update(d for d in self._extra if d.year == year)
        for rule in self._exrules:
            days.difference_update(rule.dates(year))
        days.difference_update(self._excluded)
        result = frozenset(days)
        with self._lock:
            self._cache[year] = result
        return result

    def __repr__(self) -> str:
        return repr(self.text)


def to_sources(value: object) -> tuple[HolidaySource, ...]:
    """Normalise a calendar's ``holidays=`` argument into holiday sources.

    Accepts None, a source, a date, an RRULE string, or an iterable of those.
    """
    if value is None:
        return ()
    items: list[object]
    if isinstance(value, str | date | CountryHolidays) or hasattr(value, "dates"):
        items = [value]
    elif isinstance(value, Iterable):
        items = list(islice(value, MAX_ITEMS + 1))  # an endless iterator is never drained
        if len(items) > MAX_ITEMS:
            raise CalendarError(f"holidays hold more than {MAX_ITEMS} items")
    else:
        raise CalendarError(f"holidays must be dates, RRULE strings or sources, got {show(value)}")
    sources: list[HolidaySource] = []
    explicit: list[date] = []
    for item in items:
        if isinstance(item, datetime):
            raise CalendarError(f"holiday {item!r} is a datetime; give a date")
        if isinstance(item, date):
            explicit.append(item)
        elif isinstance(item, str):
            sources.append(RRuleHolidays(item))
        elif callable(getattr(item, "dates", None)):
            sources.append(item)  # type: ignore[arg-type]  # checked by duck typing above
        else:
            raise CalendarError(
                f"holiday {item!r} is not a date, an RRULE string or a holiday source"
            )
    if explicit:
        sources.insert(0, DateHolidays(explicit))
    return tuple(sources)
