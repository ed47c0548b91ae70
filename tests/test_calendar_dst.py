"""Business time across DST changes, checked against a minute-by-minute oracle.

The oracle walks UTC minutes, reads each one's local wall clock and asks
whether it falls inside a working interval of its local date. Around every
offset change of 2025-2030 in six zones it must agree with the calendar on
``is_open``, ``next_open``, ``elapsed``, ``add`` and ``subtract``.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
]

# Schedules that straddle the change times: whole days, the small hours, split shifts.
SCHEDULES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "whole-days": {
        day: [("00:00", "24:00")] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    },
    "small-hours": {
        day: [("01:00", "03:30")] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    },
    "split": {
        day: [("00:00", "00:45"), ("01:30", "02:15"), ("02:30", "09:00"), ("22:00", "24:00")]
        for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    },
    "weekdays-night": {
        "fri": [("20:00", "24:00")],
        "sat": [("00:00", "03:00")],
        "sun": [("00:00", "02:30"), ("03:00", "05:00")],
        "mon": [("00:00", "01:00"), ("09:00", "17:00")],
    },
}

MINUTE = timedelta(minutes=1)


def utc(t: datetime) -> datetime:
    """The instant in UTC (aware datetimes in a DST fold never equal other zones' ones)."""
    return t.astimezone(UTC)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minutes(text: str) -> int:
    hh, mm = text.split(":")
    return int(hh) * 60 + int(mm)


def transitions(zone: str) -> list[datetime]:
    """UTC instants (to the minute) where the zone's offset changes in 2025-2030."""
    tz = ZoneInfo(zone)
    found = []
    t = datetime(2025, 1, 1, tzinfo=UTC)
    end = datetime(2031, 1, 1, tzinfo=UTC)
    step = timedelta(hours=1)
    prev = t.astimezone(tz).utcoffset()
    while t < end:
        nxt = t + step
        off = nxt.astimezone(tz).utcoffset()
        if off != prev:
            m = t
            while m.astimezone(tz).utcoffset() == prev:
                m += MINUTE
            found.append(m)
            prev = off
        t = nxt
    return found


class Oracle:
    """Working minutes of a window, read one UTC minute at a time."""

    def __init__(self, zone: str, schedule: dict[str, list[tuple[str, str]]], start: datetime):
        tz = ZoneInfo(zone)
        table = {
            WEEKDAYS.index(day): [(_minutes(s), _minutes(e)) for s, e in ivs]
            for day, ivs in schedule.items()
        }
        self.start = start
        self.working: list[bool] = []
        for k in range(3 * 24 * 60):
            local = (start + k * MINUTE).astimezone(tz)
            minute = local.hour * 60 + local.minute
            ivs = table.get(local.weekday(), [])
            self.working.append(any(s <= minute < e for s, e in ivs))
        self.prefix = [0]
        for w in self.working:
            self.prefix.append(self.prefix[-1] + w)

    def at(self, k: int) -> datetime:
        return self.start + k * MINUTE

    def elapsed(self, i: int, j: int) -> timedelta:
        return (self.prefix[j] - self.prefix[i]) * MINUTE

    def add(self, i: int, n: int) -> int | None:
        """Index x with exactly n working minutes in [i, x), the smallest such."""
        target = self.prefix[i] + n
        for x in range(i, len(self.prefix)):
            if self.prefix[x] == target:
                return x
        return None

    def subtract(self, i: int, n: int) -> int | None:
        """Index x with exactly n working minutes in [x, i), the largest such."""
        target = self.prefix[i] - n
        for x in range(i, -1, -1):
            if self.prefix[x] == target:
                return x
        return None


CASES = [(zone, name) for zone in ZONES for name in SCHEDULES]


def _windows(zone: str) -> list[datetime]:
    found = transitions(zone)
    if not found:  # no DST: a few ordinary dates, including a year end
        found = [datetime(2025, 12, 31, 20, tzinfo=UTC), datetime(2028, 2, 29, 3, tzinfo=UTC)]
    return [t.replace(second=0) - timedelta(hours=36) for t in found]


class TestAgainstOracle:
    """The calendar agrees with the minute-by-minute oracle around every DST change."""

    @pytest.mark.parametrize(("zone", "schedule"), CASES)
    def test_is_open_next_open_and_elapsed(self, zone: str, schedule: str) -> None:
        """is_open, next_open and elapsed match the oracle minute by minute."""
        cal = tf.BusinessCalendar(zone, SCHEDULES[schedule])
        for start in _windows(zone):
            oracle = Oracle(zone, SCHEDULES[schedule], start)
            size = len(oracle.working)
            for k in range(0, size - 24 * 60, 7):
                at = oracle.at(k)
                assert cal.is_open(at) == oracle.working[k], at
                nxt = next((i for i in range(k, size) if oracle.working[i]), None)
                if nxt is not None:
                    assert utc(cal.next_open(at)) == oracle.at(nxt), at
                assert cal.elapsed(oracle.at(0), at) == oracle.elapsed(0, k), at
                assert cal.elapsed(at, oracle.at(0)) == -oracle.elapsed(0, k), at

    @pytest.mark.parametrize(("zone", "schedule"), CASES)
    def test_add_and_subtract(self, zone: str, schedule: str) -> None:
        """add and subtract of business minutes land where the oracle says."""
        cal = tf.BusinessCalendar(zone, SCHEDULES[schedule])
        rng = random.Random(f"{zone}-{schedule}")
        for start in _windows(zone):
            oracle = Oracle(zone, SCHEDULES[schedule], start)
            size = len(oracle.working)
            for _ in range(60):
                i = rng.randrange(0, size)
                n = rng.randrange(1, 12 * 60)
                x = oracle.add(i, n)
                if x is not None:
                    got = cal.add(oracle.at(i), tf.business_minutes(n))
                    assert utc(got) == oracle.at(x), (oracle.at(i), n)
                    assert got.tzinfo is cal.tz
                y = oracle.subtract(i, n)
                if y is not None:
                    got = cal.subtract(oracle.at(i), tf.business_minutes(n))
                    assert utc(got) == oracle.at(y), (oracle.at(i), n)

    @pytest.mark.parametrize("zone", ZONES)
    def test_days_keeps_the_wall_clock(self, zone: str) -> None:
        """days(n) across each change ends at the same local time n dates later."""
        cal = tf.BusinessCalendar(zone, SCHEDULES["whole-days"])
        tz = ZoneInfo(zone)
        for start in _windows(zone):
            local = start.astimezone(tz).replace(hour=10, minute=0)
            got = cal.add(local, tf.days(4))
            assert got.date() == local.date() + timedelta(days=4)
            assert (got.hour, got.minute) == (10, 0)
            assert got.tzinfo is tz


class TestRealDstDays:
    """Named DST days in several zones."""

    def test_new_york_four_days_is_97_hours_in_autumn(self) -> None:
        """days(4) over the November change is 97 real hours."""
        cal = tf.BusinessCalendar("America/New_York", tf.weekdays("09:00", "17:00"))
        start = datetime(2026, 10, 30, 10, tzinfo=cal.tz)
        end = cal.add(start, tf.days(4))
        assert end == datetime(2026, 11, 3, 10, tzinfo=cal.tz)
        assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=97)

    def test_new_york_four_days_is_95_hours_in_spring(self) -> None:
        """days(4) over the March change is 95 real hours."""
        cal = tf.BusinessCalendar("America/New_York", tf.weekdays("09:00", "17:00"))
        start = datetime(2026, 3, 6, 10, tzinfo=cal.tz)
        end = cal.add(start, tf.days(4))
        assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=95)

    def test_days_into_a_gap_moves_forward(self) -> None:
        """A wall time that does not exist on the target date moves forward by the gap."""
        cal = tf.BusinessCalendar("America/New_York", tf.weekdays("09:00", "17:00"))
        start = datetime(2026, 3, 7, 2, 30, tzinfo=cal.tz)
        assert cal.add(start, tf.days(1)) == datetime(2026, 3, 8, 3, 30, tzinfo=cal.tz)

    def test_days_into_a_fold_takes_the_earlier_instant(self) -> None:
        """An ambiguous wall time on the target date is the first of its two instants."""
        cal = tf.BusinessCalendar("America/New_York", tf.weekdays("09:00", "17:00"))
        got = cal.add(datetime(2026, 10, 31, 1, 30, tzinfo=cal.tz), tf.days(1))
        assert got.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)

    def test_repeated_hour_counts_twice(self) -> None:
        """A whole-day schedule has 25 working hours on the autumn change in London."""
        cal = tf.BusinessCalendar("Europe/London", SCHEDULES["whole-days"])
        a = datetime(2026, 10, 25, tzinfo=cal.tz)
        b = datetime(2026, 10, 26, tzinfo=cal.tz)
        assert cal.elapsed(a, b) == timedelta(hours=25)

    def test_skipped_hour_counts_nothing(self) -> None:
        """A 01:00-03:00 shift on the spring change in London lasts one hour."""
        cal = tf.BusinessCalendar("Europe/London", {"sun": [("01:00", "03:00")]})
        a = datetime(2026, 3, 29, tzinfo=cal.tz)
        assert cal.elapsed(a, a + timedelta(days=1)) == timedelta(hours=1)
        assert cal.next_open(a) == datetime(2026, 3, 29, 2, tzinfo=cal.tz)

    def test_lord_howe_half_hour(self) -> None:
        """Lord Howe's spring change removes 30 minutes of a whole day."""
        cal = tf.BusinessCalendar("Australia/Lord_Howe", SCHEDULES["whole-days"])
        d = date(2026, 10, 4)
        a = datetime(d.year, d.month, d.day, tzinfo=cal.tz)
        b = datetime(2026, 10, 5, tzinfo=cal.tz)
        assert cal.elapsed(a, b) == timedelta(hours=23, minutes=30)

    def test_santiago_midnight_change(self) -> None:
        """Santiago skips local midnight on its spring change: that day has 23 hours."""
        cal = tf.BusinessCalendar("America/Santiago", SCHEDULES["whole-days"])
        a = datetime(2026, 9, 6, 1, tzinfo=cal.tz)
        day_before = datetime(2026, 9, 5, tzinfo=cal.tz)
        assert cal.elapsed(day_before, a) == timedelta(hours=24)
        assert cal.add(day_before, tf.business_hours(24)) == a

    def test_always_open_48_hours(self) -> None:
        """ALWAYS_OPEN counts business hours as real hours, in UTC."""
        t = datetime(2026, 3, 7, 12, tzinfo=UTC)
        assert tf.ALWAYS_OPEN.add(t, tf.business_hours(48)) == t + timedelta(hours=48)
        local = t.astimezone(ZoneInfo("America/New_York"))
        got = tf.ALWAYS_OPEN.add(local, tf.business_hours(48))
        assert got == t + timedelta(hours=48)
        assert got.utcoffset() == timedelta(0)
