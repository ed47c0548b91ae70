"""Working hours: the weekly ``hours`` mapping and per-date overrides, parsed.

A day's hours are a sorted tuple of ``(start, end)`` minutes from local
midnight, end exclusive, merged where they touch; overlapping or reversed
intervals are refused with the day named. Times are ``"HH:MM"`` strings or
whole-minute ``time`` values, ``"24:00"`` only as an end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import time
from itertools import islice
from typing import Any, TypeAlias

from ._errors import CalendarError

__all__ = [
    "WEEKDAY_NAMES",
    "HoursSpec",
    "Interval",
    "fmt_interval",
    "fmt_minutes",
    "parse_hours",
    "parse_intervals",
    "parse_time",
    "weekdays",
]

Interval: TypeAlias = tuple[int, int]  # minutes from local midnight, end exclusive
HoursSpec: TypeAlias = Mapping[str, Any]

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_KEYS: dict[str, int] = {}
for _i, _name in enumerate(WEEKDAY_NAMES):
    _WEEKDAY_KEYS[_name] = _i
for _i, _name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    _WEEKDAY_KEYS[_name] = _i

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_HOURS_PER_DAY = 24
_MINUTES_PER_HOUR = 60
_PAIR = 2  # a (start, end) pair


def parse_time(value: object, where: str, *, end: bool) -> int:
    """Minutes from midnight of ``"HH:MM"`` (``"24:00"`` only as an end) or a ``time``."""
    if isinstance(value, time):
        if value.tzinfo is not None or value.second or value.microsecond:
            raise CalendarError(f"{where}: time {value!r} must be a whole minute without tzinfo")
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        match = _TIME_RE.match(value.strip())
        if match is not None:
            hh, mm = int(match.group(1)), int(match.group(2))
            if (hh < _HOURS_PER_DAY and mm < _MINUTES_PER_HOUR) or (
                end and hh == _HOURS_PER_DAY and mm == 0
            ):
                return hh * 60 + mm
    raise CalendarError(f"{where}: bad time {value!r} (expected 'HH:MM' from '00:00' to '24:00')")


#: Intervals of one day: whole minutes that do not overlap, so at most one per minute.
_MAX_INTERVALS = 24 * 60


def parse_intervals(value: object, where: str) -> tuple[Interval, ...]:
    """Sorted, validated, merged intervals of one day."""
    if value is None:
        return ()
    if (
        isinstance(value, tuple | list)
        and len(value) == _PAIR
        and all(isinstance(v, str | time) for v in value)
    ):
        value = [value]  # a single ("09:00", "18:00") pair
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise CalendarError(f"{where}: expected a list of (start, end) pairs, got {value!r}")
    pairs = list(islice(value, _MAX_INTERVALS + 1))  # an endless iterator is never drained
    if len(pairs) > _MAX_INTERVALS:
        raise CalendarError(
            f"{where}: more than {_MAX_INTERVALS} intervals; a day holds at most "
            f"{_MAX_INTERVALS} that do not overlap"
        )
    parsed: list[Interval] = []
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != _PAIR:
            raise CalendarError(f"{where}: expected a (start, end) pair, got {pair!r}")
        start = parse_time(pair[0], where, end=False)
        stop = parse_time(pair[1], where, end=True)
        if stop <= start:
            raise CalendarError(f"{where}: interval {tuple(pair)!r} ends before or as it starts")
        parsed.append((start, stop))
    parsed.sort()
    merged: list[Interval] = []
    for start, stop in parsed:
        if merged and start < merged[-1][1]:
            raise CalendarError(
                f"{where}: intervals {fmt_interval(merged[-1])} and "
                f"{fmt_interval((start, stop))} overlap"
            )
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return tuple(merged)


def fmt_minutes(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def fmt_interval(iv: Interval) -> str:
    return f"{fmt_minutes(iv[0])}-{fmt_minutes(iv[1])}"


def parse_hours(hours: HoursSpec) -> tuple[tuple[Interval, ...], ...]:
    if not isinstance(hours, Mapping):
        raise CalendarError(f"hours must map weekday names to intervals, got {hours!r}")
    week: list[tuple[Interval, ...]] = [()] * 7
    seen: dict[int, str] = {}
    for key, value in hours.items():
        index = _WEEKDAY_KEYS.get(key.lower()) if isinstance(key, str) else None
        if index is None:
            raise CalendarError(
                f"unknown weekday {key!r} in hours (expected one of {', '.join(WEEKDAY_NAMES)})"
            )
        if index in seen:
            raise CalendarError(f"weekday {WEEKDAY_NAMES[index]!r} given twice in hours")
        seen[index] = key
        week[index] = parse_intervals(value, f"hours for {WEEKDAY_NAMES[index]!r}")
    return tuple(week)


def weekdays(start: str, end: str) -> dict[str, list[tuple[str, str]]]:
    """Working hours from ``start`` to ``end`` Monday to Friday (weekends closed).

    Raises:
        CalendarError: naming a bad time, or an interval that ends before it starts.

    Examples:
        >>> weekdays("09:00", "17:00")["fri"]
        [('09:00', '17:00')]
    """
    parse_intervals([(start, end)], "weekdays()")
    return {day: [(start, end)] for day in WEEKDAY_NAMES[:5]}
