"""Cost of business-calendar arithmetic, against numpy.busday_offset where comparable.

Run: ``.venv/bin/python benchmarks/bench_calendar.py``. Each figure is the
median of 7 repeats of a timeit loop, in microseconds per call, after one
warm-up call (holiday years are expanded once and cached).
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from datetime import date, datetime, timedelta

import ticketflow as tf

REPEATS = 7


def per_call_us(fn: Callable[[], object], number: int = 2000) -> float:
    """Median microseconds per call of ``fn`` over REPEATS timeit runs."""
    fn()
    runs = timeit.repeat(fn, number=number, repeat=REPEATS)
    return statistics.median(runs) / number * 1e6


def main() -> None:
    us_holidays = tf.country_holidays("US")
    cal = tf.BusinessCalendar(
        "America/New_York", tf.weekdays("09:00", "17:00"), holidays=us_holidays
    )
    start = datetime(2026, 7, 2, 10, 30, tzinfo=cal.tz)
    rows: list[tuple[str, float]] = []

    for n in (5, 250, 2500):
        d = tf.business_days(n)
        rows.append((f"add business_days({n})", per_call_us(lambda d=d: cal.add(start, d))))
    for n in (4, 40, 400, 20_000):
        d = tf.business_hours(n)
        rows.append((f"add business_hours({n})", per_call_us(lambda d=d: cal.add(start, d))))
    end = start + timedelta(days=30)
    rows.append(("elapsed over 30 days", per_call_us(lambda: cal.elapsed(start, end))))
    rows.append(("is_open", per_call_us(lambda: cal.is_open(start))))
    rows.append(("add days(4)", per_call_us(lambda: cal.add(start, tf.days(4)))))

    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dev extra
        np = None
    if np is not None:
        hols = sorted(d for y in range(2020, 2040) for d in us_holidays.dates(y))
        bdc = np.busdaycalendar(weekmask="1111100", holidays=hols)
        day = np.datetime64(date(2026, 7, 2))
        for n in (5, 250, 2500):
            rows.append(
                (
                    f"numpy.busday_offset({n}) with busdaycalendar",
                    per_call_us(lambda n=n: np.busday_offset(day, n, busdaycal=bdc)),
                )
            )
        other = np.datetime64(date(2026, 8, 1))
        rows.append(
            (
                "numpy.busday_count over 30 days",
                per_call_us(lambda: np.busday_count(day, other, busdaycal=bdc)),
            )
        )

    width = max(len(name) for name, _ in rows)
    print(f"{'operation':<{width}}  µs/call (median of {REPEATS})")
    for name, cost in rows:
        print(f"{name:<{width}}  {cost:8.2f}")


if __name__ == "__main__":
    main()
