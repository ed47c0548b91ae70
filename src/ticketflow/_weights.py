"""Weights of ranges of local dates: prefix sums over the week and exception tables.

Every calendar question reduces to sums of per-date *weights* over ranges of
dates, in two measures:

* the **days** measure (:data:`DAYS`) weighs a date 1 when it has any working
  interval;
* the **time** measure (:data:`TIME`) weighs a date by its working microseconds.

A week without holidays, overrides or DST changes repeats itself, so the sum
over any range of plain dates is arithmetic: ``F(o)``, the weight of all dates
before ordinal ``o``, is ``whole weeks * weekly weight + prefix of the week``
(:func:`week_weight`). The dates that differ from the weekly pattern are
*exceptions*: a sorted list of ordinals with the prefix sums of their weight
deltas (:class:`Exceptions`), over a contiguous range of years that grows
lazily. The weight of any date range is then ``F(b) - F(a)`` plus a difference
of two prefix sums found by bisection, and finding the date where a running
total reaches a target is a bisection over the exceptions followed by
arithmetic over whole weeks. Nothing loops over days, weeks or holidays.

:class:`Weights` holds one calendar's weekly prefix sums and exception tables;
the per-year weight deltas come from the calendar (they depend on its
holidays, overrides and zone).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import MAXYEAR, date, timedelta

import attrs

from ._durations import MAX_DURATION_YEARS, MAX_TIMEDELTA
from ._errors import CalendarError, DurationError
from ._holidays import FIRST_RULE_YEAR, LAST_RULE_YEAR
from ._limits import MAX_INSTANT, MIN_INSTANT, out_of_range

__all__ = [
    "DAYS",
    "FIRST_DATE",
    "LAST_DATE",
    "SPAN_DAYS",
    "TIME",
    "Exceptions",
    "Weights",
    "YearDeltas",
    "first_reaching",
    "last_reaching",
    "too_far",
    "week_weight",
]

#: (ordinal, weight delta) pairs of one year, for the days and the time measures.
YearDeltas = tuple[list[tuple[int, int]], list[tuple[int, int]]]

DAYS = 0  # index of the days measure
TIME = 1  # index of the working-time measure
_MAX_ORDINAL = date.max.toordinal()
_CLOSED_YEARS = 10  # a search that finds no working time for this long gives up
_DAY_US = 86_400_000_000
# Local dates a calendar answers for: the dates of every supported instant in any zone.
FIRST_DATE = MIN_INSTANT.date() - timedelta(days=1)
LAST_DATE = MAX_INSTANT.date()
# A business search (or elapsed) spans at most this many days of calendar time, so its
# cost stays bounded whatever the calendar (a few hundred milliseconds at worst).
SPAN_DAYS = MAX_TIMEDELTA.days
# Exception tables never grow past this many years: a far request replaces them.
_MAX_TABLE_YEARS = 3 * MAX_DURATION_YEARS


def week_weight(prefix: Sequence[int], o: int) -> int:
    """F(o): the weekly-pattern weight of every date before ordinal ``o``."""
    q, r = divmod(o - 1, 7)
    return q * prefix[7] + prefix[r]


def first_reaching(prefix: Sequence[int], lo: int, need: int) -> int:
    """Smallest ordinal ``e >= lo`` whose plain weights over ``[lo, e]`` reach ``need``."""
    target = week_weight(prefix, lo) + need
    q = (target - 1) // prefix[7]
    r = bisect_left(prefix, target - q * prefix[7])
    return 7 * q + r


def last_reaching(prefix: Sequence[int], hi: int, need: int) -> int:
    """Largest ordinal ``e < hi`` whose plain weights over ``[e, hi)`` reach ``need``."""
    target = week_weight(prefix, hi) - need
    q = target // prefix[7]
    r = bisect_right(prefix, target - q * prefix[7]) - 1
    return 7 * q + r + 1


@attrs.frozen
class Exceptions:
    """Dates that differ from the weekly pattern over loaded years ``[first, last]``.

    For each measure ``m``: the sorted ordinals ``xs[m]``, the prefix sums
    ``cum[m]`` of their weight deltas, and two monotone keys that turn every
    search into one C-level bisection: ``after[m][j]`` is the true weight of
    all dates up to and including ``xs[m][j]`` and ``before[m][j]`` the weight
    of all dates before it (both measured from ordinal 1, so they only ever
    appear in differences).
    """

    first: int
    last: int
    start: int
    end: int
    xs: tuple[tuple[int, ...], tuple[int, ...]]
    cum: tuple[tuple[int, ...], tuple[int, ...]]
    after: tuple[tuple[int, ...], tuple[int, ...]]
    before: tuple[tuple[int, ...], tuple[int, ...]]
    #: The weekly-pattern weight ``F(end)`` of each measure.
    f_end: tuple[int, int]


def too_far() -> DurationError:
    """The error for a search reaching further than SPAN_DAYS from its start."""
    return DurationError(
        f"result is more than {SPAN_DAYS} days (about {MAX_DURATION_YEARS} years) "
        "of calendar time from the start"
    )


class Weights:
    """One calendar's weekly prefix sums and its lazily loaded exception tables.

    ``prefix[m]`` is the weight of measure ``m`` of the first ``k`` weekdays
    (Monday first) for ``k`` in ``0..7``; ``year_deltas(year)`` gives the
    exceptions of one year; ``override_count`` bounds how many dates weigh more
    than their weekday (besides DST days).
    """

    __slots__ = ("_lock", "_override_count", "_year_deltas", "prefix", "table")

    def __init__(
        self,
        prefix: tuple[tuple[int, ...], tuple[int, ...]],
        year_deltas: Callable[[int], YearDeltas],
        override_count: int,
        lock: threading.RLock,
    ) -> None:
        self.prefix = prefix
        self._year_deltas = year_deltas
        self._override_count = override_count
        self._lock = lock
        #: The loaded exception tables, replaced (never changed) as they grow.
        self.table: Exceptions | None = None

    def load(self, first: int, last: int) -> Exceptions:
        """The exception tables, loaded over at least the years ``[first, last]``."""
        first, last = max(first, FIRST_RULE_YEAR), min(last, LAST_RULE_YEAR)
        last = max(first, last)
        table = self.table
        if table is not None and table.first <= first and last <= table.last:
            return table
        with self._lock:
            table = self.table
            if table is not None:
                lo, hi = min(first, table.first), max(last, table.last)
                if hi - lo <= _MAX_TABLE_YEARS:  # else a far request replaces the tables
                    first, last = lo, hi
            xs: tuple[list[int], list[int]] = ([], [])
            cum: tuple[list[int], list[int]] = ([0], [0])
            for year in range(first, last + 1):
                for m, pairs in enumerate(self._year_deltas(year)):
                    for ordinal, delta in pairs:
                        xs[m].append(ordinal)
                        cum[m].append(cum[m][-1] + delta)
            after = tuple(
                tuple(
                    week_weight(self.prefix[m], x + 1) + cum[m][j + 1] for j, x in enumerate(xs[m])
                )
                for m in (DAYS, TIME)
            )
            before = tuple(
                tuple(week_weight(self.prefix[m], x) + cum[m][j] for j, x in enumerate(xs[m]))
                for m in (DAYS, TIME)
            )
            end = _MAX_ORDINAL + 1 if last >= MAXYEAR else date(last + 1, 1, 1).toordinal()
            table = Exceptions(
                first,
                last,
                date(first, 1, 1).toordinal(),
                end,
                (tuple(xs[0]), tuple(xs[1])),
                (tuple(cum[0]), tuple(cum[1])),
                (after[0], after[1]),
                (before[0], before[1]),
                (week_weight(self.prefix[DAYS], end), week_weight(self.prefix[TIME], end)),
            )
            self.table = table
        return table

    def weight(self, m: int, a: int, b: int) -> int:
        """Total weight of measure ``m`` over the dates ``[a, b)``."""
        if b <= a:
            return 0
        table = self.table
        if table is None or not (table.start <= a and b <= table.end):
            table = self.load(date.fromordinal(a).year, date.fromordinal(b - 1).year)
        prefix = self.prefix[m]
        week = prefix[7]
        xs, cum = table.xs[m], table.cum[m]
        qa, ra = divmod(a - 1, 7)
        qb, rb = divmod(b - 1, 7)
        return (
            (qb - qa) * week
            + prefix[rb]
            - prefix[ra]
            + cum[bisect_left(xs, b)]
            - cum[bisect_left(xs, a)]
        )

    def slack(self, m: int, years: int) -> int:
        """An upper bound of the weight that exceptions can add over ``years`` years.

        Only overrides and DST days weigh more than their weekday; it lets an
        out-of-range result be refused without loading thousands of years.
        """
        if m == DAYS:
            return self._override_count
        return (self._override_count + 1) * _DAY_US + (years + 2) * 4 * 3600 * 1_000_000

    def forward(self, m: int, start: int, need: int) -> tuple[int, int]:
        """Smallest ordinal ``e >= start`` with weight of ``[start, e]`` reaching ``need``.

        Returns ``(e, weight of [start, e))``.
        """
        table = self.table
        if table is not None and table.start <= start < table.end:
            # The loaded tables usually hold the answer: one bisection for the
            # last exception before it, then arithmetic over whole weeks.
            prefix = self.prefix[m]
            week = prefix[7]
            xs, cum = table.xs[m], table.cum[m]
            q, r = divmod(start - 1, 7)
            f_start = q * week + prefix[r]
            i0 = bisect_left(xs, start)
            c0 = cum[i0]
            if table.f_end[m] - f_start + cum[-1] - c0 >= need:
                j = bisect_left(table.after[m], need + f_start + c0, i0)
                seg_lo = xs[j - 1] + 1 if j > i0 else start
                q, r = divmod(seg_lo - 1, 7)
                f_lo = q * week + prefix[r]
                got = f_lo - f_start + cum[j] - c0
                # The plain dates from seg_lo on reach the target, unless exception j
                # (the first that brings the total there) comes first.
                target = f_lo + need - got
                q = (target - 1) // week
                e = 7 * q + bisect_left(prefix, target - q * week)
                if j < len(xs) and e >= xs[j]:
                    e = xs[j]
                q, r = divmod(e - 1, 7)
                if e - start > SPAN_DAYS:
                    raise too_far()
                return e, q * week + prefix[r] - f_start + cum[j] - c0
        return self.forward_tables(m, start, need)

    def forward_tables(self, m: int, start: int, need: int) -> tuple[int, int]:
        """:meth:`forward`, loading (and growing) the exception tables as needed."""
        prefix = self.prefix[m]
        per_year = prefix[7] * 52
        if start > LAST_DATE.toordinal():
            raise out_of_range()
        span = min(need // per_year + 1, MAX_DURATION_YEARS + 1)
        # The result lies on or after the plain-week estimate less what exceptions can add.
        if first_reaching(prefix, start, max(1, need - self.slack(m, span))) > (start + SPAN_DAYS):
            raise too_far()
        table = self.table
        if table is None or not table.start <= start < table.end:
            table = None
        # The first year is only needed to load tables; a covering table skips it.
        y0 = date.fromordinal(start).year if table is None or span > 1 else table.first
        while True:
            if table is None:
                table = self.load(y0, y0 + span)
            xs, cum = table.xs[m], table.cum[m]
            end = table.end
            f_start = week_weight(prefix, start)
            i0 = bisect_left(xs, start)
            c0 = cum[i0]
            total = week_weight(prefix, end) - f_start + cum[-1] - c0
            if total >= need:
                break
            if table.last >= LAST_RULE_YEAR:
                raise out_of_range()
            y0 = date.fromordinal(start).year
            if table.last - y0 > MAX_DURATION_YEARS + 1:
                raise too_far()
            if table.last - y0 >= _CLOSED_YEARS:
                tail = date(table.last - _CLOSED_YEARS + 1, 1, 1).toordinal()
                self._check_open(m, max(tail, start), end, "after", max(tail, start))
            span = min(max(2 * span, (need - total) // per_year + 1), MAX_DURATION_YEARS + 2)
            table = None
        # First exception j >= i0 whose date brings the total to ``need``.
        j = bisect_left(table.after[m], need + f_start + c0, i0)
        seg_lo = xs[j - 1] + 1 if j > i0 else start
        seg_hi = xs[j] if j < len(xs) else end
        got = week_weight(prefix, seg_lo) - f_start + cum[j] - c0
        rest = need - got
        if week_weight(prefix, seg_hi) - week_weight(prefix, seg_lo) >= rest:
            e = first_reaching(prefix, seg_lo, rest)
        else:
            e = xs[j]
        before = week_weight(prefix, e) - f_start + cum[bisect_left(xs, e)] - c0
        if e - start > SPAN_DAYS:
            raise too_far()
        return e, before

    def backward(self, m: int, end: int, need: int) -> tuple[int, int]:
        """Largest ordinal ``e <= end`` with weight of ``[e, end]`` reaching ``need``.

        Returns ``(e, weight of (e, end])``.
        """
        table = self.table
        if table is not None and table.start <= end < table.end:
            prefix = self.prefix[m]
            week = prefix[7]
            xs, cum = table.xs[m], table.cum[m]
            stop = end + 1
            q, r = divmod(end, 7)
            f_stop = q * week + prefix[r]
            i1 = bisect_left(xs, stop)
            c1 = cum[i1]
            q, r = divmod(table.start - 1, 7)
            if f_stop - (q * week + prefix[r]) + c1 - cum[0] >= need:
                j = bisect_right(table.before[m], f_stop + c1 - need, 0, i1)
                seg_hi = xs[j] if j < i1 else stop
                q, r = divmod(seg_hi - 1, 7)
                f_hi = q * week + prefix[r]
                got = f_stop - f_hi + c1 - cum[j]
                target = f_hi - (need - got)
                q = target // week
                e = 7 * q + bisect_right(prefix, target - q * week)
                if j > 0 and e <= xs[j - 1]:
                    e = xs[j - 1]
                q, r = divmod(e, 7)
                if end - e > SPAN_DAYS:
                    raise too_far()
                return e, f_stop - (q * week + prefix[r]) + c1 - cum[j]
        return self.backward_tables(m, end, need)

    def backward_tables(self, m: int, end: int, need: int) -> tuple[int, int]:
        """:meth:`backward`, loading (and growing) the exception tables as needed."""
        prefix = self.prefix[m]
        per_year = prefix[7] * 52
        if end < FIRST_DATE.toordinal():
            raise out_of_range()
        stop = end + 1
        span = min(need // per_year + 1, MAX_DURATION_YEARS + 1)
        if last_reaching(prefix, stop, max(1, need - self.slack(m, span))) < end - SPAN_DAYS:
            raise too_far()
        table = self.table
        if table is None or not table.start <= end < table.end:
            table = None
        y1 = date.fromordinal(end).year if table is None or span > 1 else table.last
        while True:
            if table is None:
                table = self.load(y1 - span, y1)
            xs, cum = table.xs[m], table.cum[m]
            begin = table.start
            f_stop = week_weight(prefix, stop)
            i1 = bisect_left(xs, stop)
            c1 = cum[i1]
            total = f_stop - week_weight(prefix, begin) + c1 - cum[0]
            if total >= need:
                break
            if table.first <= FIRST_RULE_YEAR:
                raise out_of_range()
            y1 = date.fromordinal(end).year
            if y1 - table.first > MAX_DURATION_YEARS + 1:
                raise too_far()
            if y1 - table.first >= _CLOSED_YEARS:
                tail = date(table.first + _CLOSED_YEARS, 1, 1).toordinal()
                self._check_open(m, begin, min(tail, stop), "before", min(tail, stop))
            span = min(max(2 * span, (need - total) // per_year + 1), MAX_DURATION_YEARS + 2)
            table = None
        # First exception j < i1 from which the total to ``stop`` falls short of ``need``.
        j = bisect_right(table.before[m], f_stop + c1 - need, 0, i1)
        seg_hi = xs[j] if j < i1 else stop
        seg_lo = xs[j - 1] + 1 if j > 0 else begin
        got = f_stop - week_weight(prefix, seg_hi) + c1 - cum[j]
        rest = need - got
        if week_weight(prefix, seg_hi) - week_weight(prefix, seg_lo) >= rest:
            e = last_reaching(prefix, seg_hi, rest)
        else:
            e = xs[j - 1]
        after = f_stop - week_weight(prefix, e + 1) + c1 - cum[bisect_left(xs, e + 1)]
        if end - e > SPAN_DAYS:
            raise too_far()
        return e, after

    def _check_open(self, m: int, a: int, b: int, side: str, edge: int) -> None:
        """CalendarError when the last ten loaded years of a search, ``[a, b)``, weigh nothing.

        The message names the years ``side`` ("after" or "before") ordinal ``edge``.
        """
        if self.weight(m, a, b) == 0:
            raise CalendarError(
                f"no working time in the {_CLOSED_YEARS} years {side} "
                f"{date.fromordinal(edge).isoformat()}"
            )
