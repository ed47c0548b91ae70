"""Holiday sources for business calendars.

A holiday source answers one question: which dates of a given year are
closed. Three kinds exist, and a calendar accepts any mix of them:

* :func:`country_holidays`: public holidays of a country or subdivision, or of
  a financial market, from the ``holidays`` package (observed days included);
* explicit ``date`` objects;
* ``dateutil.rrule`` strings for recurring closures. A rule without
  ``DTSTART`` is anchored at 1900-01-01, never at the clock, so the same rule
  gives the same dates on every machine and every day.

Sources expand years lazily and cache them; they are safe to share between
calendars and threads.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Protocol

import attrs
import holidays as _holidays_pkg
from dateutil.rrule import rrule, rruleset, rrulestr

from ._errors import CalendarError

__all__ = ["CountryHolidays", "HolidaySource", "country_holidays", "to_sources"]

# Where a rule without DTSTART starts counting (so COUNT and INTERVAL mean the
# same thing on every machine).
_RRULE_ANCHOR = datetime(1900, 1, 1)


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
    _cache: dict[int, frozenset[date]] = attrs.field(factory=dict, alias="_cache")
    _lock: threading.Lock = attrs.field(factory=threading.Lock, alias="_lock")

    def _populate(self, year: int) -> frozenset[date]:
        """Every date the package lists when asked for ``year`` (cached)."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        if not 1 <= year <= 9999:
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

    >>> country_holidays("ES", subdiv="MD")
    country_holidays('ES', subdiv='MD')
    >>> country_holidays("US", subdiv="XX")
    Traceback (most recent call last):
    ...
    ticketflow._errors.CalendarError: unknown subdivision 'XX' of country 'US' ...
    """
    if not isinstance(country, str) or not country:
        raise CalendarError(f"country must be a non-empty code string, got {country!r}")
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


class _DateHolidays:
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
        return repr(list(self._dates)) if len(self._dates) <= 3 else f"<{len(self._dates)} dates>"


class _RRuleHolidays:
    """Dates of a ``dateutil.rrule`` string, expanded in order and cached."""

    __slots__ = ("_done", "_found", "_iter", "_lock", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            rule: rrule | rruleset = rrulestr(text, dtstart=_RRULE_ANCHOR)
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise CalendarError(f"bad holiday rule {text!r}: {exc}") from None
        self._iter: Iterator[datetime] = iter(rule)
        self._found: list[date] = []
        self._done = False
        self._lock = threading.Lock()

    def _expand_to(self, year: int) -> None:
        with self._lock:
            while not self._done and (not self._found or self._found[-1].year <= year):
                try:
                    occurrence = next(self._iter)
                except StopIteration:
                    self._done = True
                    break
                self._found.append(occurrence.date())

    def dates(self, year: int) -> frozenset[date]:
        self._expand_to(year)
        lo = bisect_left(self._found, date(year, 1, 1))
        hi = len(self._found) if year >= 9999 else bisect_left(self._found, date(year + 1, 1, 1))
        return frozenset(self._found[lo:hi])

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
        items = list(value)
    else:
        raise CalendarError(f"holidays must be dates, RRULE strings or sources, got {value!r}")
    sources: list[HolidaySource] = []
    explicit: list[date] = []
    for item in items:
        if isinstance(item, datetime):
            raise CalendarError(f"holiday {item!r} is a datetime; give a date")
        if isinstance(item, date):
            explicit.append(item)
        elif isinstance(item, str):
            sources.append(_RRuleHolidays(item))
        elif callable(getattr(item, "dates", None)):
            sources.append(item)  # type: ignore[arg-type]  # checked by duck typing above
        else:
            raise CalendarError(
                f"holiday {item!r} is not a date, an RRULE string or a holiday source"
            )
    if explicit:
        sources.insert(0, _DateHolidays(explicit))
    return tuple(sources)
