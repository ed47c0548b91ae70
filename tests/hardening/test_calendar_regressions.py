"""Regression table: hostile and careless inputs to calendars, holidays and durations.

Each case names the call, the error class it must raise and a fragment of the
message (the bad value or part). Every call runs under the time bound of
:mod:`tests.bounds`, so a hang fails as clearly as a raw exception.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import ticketflow as tf
from tests.bounds import within

MADRID = ZoneInfo("Europe/Madrid")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
SANTIAGO = ZoneInfo("America/Santiago")
AT = datetime(2026, 3, 2, 10, tzinfo=UTC)


class _BrokenZone(tzinfo):
    """A tzinfo whose every answer fails."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("broken zone")

    def dst(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("broken zone")

    def tzname(self, dt: datetime | None) -> str:
        return "broken"


class _JunkZone(tzinfo):
    """A tzinfo whose offset is not a timedelta."""

    def utcoffset(self, dt: datetime | None) -> Any:
        return "soon"

    def dst(self, dt: datetime | None) -> Any:
        return None


def _madrid() -> tf.BusinessCalendar:
    return tf.BusinessCalendar(
        "Europe/Madrid",
        tf.weekdays("09:00", "18:00"),
        holidays=tf.country_holidays("ES", subdiv="MD"),
    )


def _lord_howe() -> tf.BusinessCalendar:
    return tf.BusinessCalendar("Australia/Lord_Howe", {"mon": [("09:00", "10:00")]})


def _santiago() -> tf.BusinessCalendar:
    return tf.BusinessCalendar("America/Santiago", tf.weekdays("00:00", "24:00"))


# Built once: the instant cases share them (calendars are immutable values).
CALENDARS: dict[str, Callable[[], tf.BusinessCalendar]] = {
    "always": lambda: tf.ALWAYS_OPEN,
    "madrid": cache(_madrid),
    "lord_howe": cache(_lord_howe),
    "santiago": cache(_santiago),
}

# (label, instant, message fragment, error class)
BAD_INSTANTS: list[tuple[str, object, str, type[tf.TicketflowError]]] = [
    ("naive", datetime(2026, 3, 2, 10), "naive", tf.NaiveDatetimeError),
    ("a date", date(2026, 3, 2), "must be a datetime", tf.InstantError),
    ("a string", "2026-03-02T10:00Z", "must be a datetime", tf.InstantError),
    ("an int", 1_772_445_600, "must be a datetime", tf.InstantError),
    ("None", None, "must be a datetime", tf.InstantError),
    (
        "year 9999",
        datetime(9999, 12, 31, tzinfo=UTC),
        "outside the supported range",
        tf.InstantError,
    ),
    ("year 1", datetime(1, 1, 1, tzinfo=UTC), "outside the supported range", tf.InstantError),
    ("year 3000", datetime(3000, 1, 1, tzinfo=UTC), "outside the supported range", tf.InstantError),
    (
        "just before 1900 UTC",
        datetime(1900, 1, 1, 5, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
        "outside the supported range",
        tf.InstantError,
    ),
    (
        "year 9999 in Lord Howe",
        datetime(9999, 6, 1, tzinfo=LORD_HOWE),
        "outside the supported range",
        tf.InstantError,
    ),
    (
        "year 1 in Santiago",
        datetime(1, 6, 1, tzinfo=SANTIAGO),
        "outside the supported range",
        tf.InstantError,
    ),
    (
        "broken tzinfo",
        datetime(2026, 3, 2, tzinfo=_BrokenZone()),
        "tzinfo that fails",
        tf.InstantError,
    ),
    ("junk tzinfo", datetime(2026, 3, 2, tzinfo=_JunkZone()), "tzinfo that fails", tf.InstantError),  # type: ignore[abstract]
]

METHODS: dict[str, Callable[[tf.BusinessCalendar, Any], object]] = {
    "add": lambda cal, t: cal.add(t, tf.business_hours(1)),
    "add days": lambda cal, t: cal.add(t, tf.business_days(1)),
    "add calendar days": lambda cal, t: cal.add(t, tf.days(1)),
    "add timedelta": lambda cal, t: cal.add(t, timedelta(hours=1)),
    "subtract": lambda cal, t: cal.subtract(t, tf.business_days(1)),
    "add_working": lambda cal, t: cal.add_working(t, timedelta(minutes=5)),
    "elapsed a": lambda cal, t: cal.elapsed(t, AT),
    "elapsed b": lambda cal, t: cal.elapsed(AT, t),
    "is_open": lambda cal, t: cal.is_open(t),
    "next_open": lambda cal, t: cal.next_open(t),
}

BAD_DURATIONS: list[tuple[str, Callable[[], object], str]] = [
    ("float amount", lambda: tf.Duration(1.5, "hours"), "must be an int"),  # type: ignore[arg-type]
    ("bool amount", lambda: tf.hours(True), "must be an int"),
    ("str amount", lambda: tf.business_days("5"), "must be an int"),  # type: ignore[arg-type]
    ("None amount", lambda: tf.minutes(None), "must be an int"),  # type: ignore[arg-type]
    ("huge int", lambda: tf.business_days(10**5000), "digits"),
    ("huge negative int", lambda: tf.days(-(10**5000)), "digits"),
    ("minutes past 100 years", lambda: tf.minutes(10**9), "out of range"),
    ("hours past 100 years", lambda: tf.hours(878_401), "878401 hours"),
    ("days past 100 years", lambda: tf.days(36_601), "36601 days"),
    ("business days past 100 years", lambda: tf.business_days(-36_601), "-36601 business days"),
    ("business hours past", lambda: tf.business_hours(10**7), "business hours"),
    ("business minutes past", lambda: tf.business_minutes(10**12), "business minutes"),
    ("unknown unit", lambda: tf.Duration(1, "weeks"), "'weeks'"),  # type: ignore[arg-type]
    ("unit not a str", lambda: tf.Duration(1, 7), "7"),  # type: ignore[arg-type]
    ("unit None", lambda: tf.Duration(1, None), "None"),  # type: ignore[arg-type]
    ("parse empty", lambda: tf.parse_duration(""), "''"),
    ("parse junk", lambda: tf.parse_duration("soon"), "'soon'"),
    ("parse no unit", lambda: tf.parse_duration("5"), "'5'"),
    ("parse unknown unit", lambda: tf.parse_duration("5 fortnights"), "fortnights"),
    ("parse float", lambda: tf.parse_duration("1.5h"), "'1.5h'"),
    ("parse 5000 digits", lambda: tf.parse_duration("9" * 5000 + " days"), "longer than"),
    ("parse 4000 digits", lambda: tf.parse_duration("9" * 99 + "d"), "out of range"),
    ("parse too long", lambda: tf.parse_duration("5 " + "business " * 40 + "days"), "longer than"),
    ("parse not a str", lambda: tf.parse_duration(48), "48"),  # type: ignore[arg-type]
    ("parse bytes", lambda: tf.parse_duration(b"48h"), "b'48h'"),  # type: ignore[arg-type]
    ("parse None", lambda: tf.parse_duration(None), "None"),  # type: ignore[arg-type]
    ("parse past bound", lambda: tf.parse_duration("40000 business days"), "out of range"),
    ("add int", lambda: tf.ALWAYS_OPEN.add(AT, 5), "expected a Duration"),  # type: ignore[arg-type]
    ("add str", lambda: tf.ALWAYS_OPEN.add(AT, "5h"), "'5h'"),  # type: ignore[arg-type]
    ("add None", lambda: tf.ALWAYS_OPEN.add(AT, None), "None"),  # type: ignore[arg-type]
    ("add huge int", lambda: tf.ALWAYS_OPEN.add(AT, 10**5000), "digits"),  # type: ignore[arg-type]
    ("subtract float", lambda: tf.ALWAYS_OPEN.subtract(AT, 1.5), "1.5"),  # type: ignore[arg-type]
    (
        "add_working a Duration",
        lambda: tf.ALWAYS_OPEN.add_working(AT, tf.hours(1)),  # type: ignore[arg-type]
        "expected a timedelta",
    ),
    ("timedelta.max", lambda: tf.ALWAYS_OPEN.add(AT, timedelta.max), "out of range"),
    ("timedelta.min", lambda: tf.ALWAYS_OPEN.subtract(AT, timedelta.min), "out of range"),
    ("timedelta 200 years", lambda: tf.ALWAYS_OPEN.add(AT, timedelta(days=73_000)), "out of range"),
    (
        "add_working timedelta.max",
        lambda: tf.ALWAYS_OPEN.add_working(AT, timedelta.max),
        "out of range",
    ),
    (
        "result past 3000",
        lambda: tf.ALWAYS_OPEN.add(datetime(2999, 6, 1, tzinfo=UTC), tf.days(365)),
        "outside the supported range",
    ),
    (
        "result before 1900",
        lambda: tf.ALWAYS_OPEN.add(datetime(1900, 6, 1, tzinfo=UTC), tf.hours(-8760)),
        "outside the supported range",
    ),
    (
        "business days past 3000 in Madrid",
        lambda: _madrid().add(datetime(2990, 6, 1, tzinfo=MADRID), tf.business_days(5_000)),
        "outside the supported range",
    ),
    (
        "business hours before 1900 in Lord Howe",
        lambda: _lord_howe().add(datetime(1901, 6, 1, tzinfo=LORD_HOWE), tf.business_hours(-500)),
        "outside the supported range",
    ),
    (
        "business minutes past 3000 in Santiago",
        lambda: _santiago().add(
            datetime(2999, 12, 30, tzinfo=SANTIAGO), tf.business_minutes(10_000)
        ),
        "outside the supported range",
    ),
    (
        "a million business days in Madrid",
        lambda: _madrid().add(AT, tf.business_days(1_000_000)),
        "out of range",
    ),
    (
        "100 years of business days span 140 years",
        lambda: _madrid().add(AT, tf.business_days(36_600)),
        "more than 36600 days",
    ),
    (
        "100 years of business hours in a one-hour week",
        lambda: _lord_howe().add(AT, tf.business_hours(878_400)),
        "more than 36600 days",
    ),
    (
        "years of business hours back in Lord Howe",
        lambda: _lord_howe().subtract(AT, tf.business_hours(6_000)),
        "more than 36600 days",
    ),
    (
        "add_working 10 years in a one-hour week",
        lambda: _lord_howe().add_working(AT, timedelta(days=3650)),
        "more than 36600 days",
    ),
    (
        "elapsed over 1000 years",
        lambda: _madrid().elapsed(
            datetime(1900, 6, 1, tzinfo=UTC), datetime(2999, 6, 1, tzinfo=UTC)
        ),
        "apart",
    ),
    (
        "elapsed backwards over 200 years",
        lambda: _lord_howe().elapsed(
            datetime(2999, 6, 1, tzinfo=UTC), datetime(2799, 6, 1, tzinfo=UTC)
        ),
        "apart",
    ),
]

BAD_DEFINITIONS: list[tuple[str, Callable[[], object], str]] = [
    # zones
    ("zone not a str", lambda: tf.BusinessCalendar(5), "5"),  # type: ignore[arg-type]
    ("zone None", lambda: tf.BusinessCalendar(None), "None"),  # type: ignore[arg-type]
    ("unknown zone", lambda: tf.BusinessCalendar("Mars/Olympus"), "'Mars/Olympus'"),
    ("path zone", lambda: tf.BusinessCalendar("../../etc/passwd"), "'../../etc/passwd'"),
    ("absolute path zone", lambda: tf.BusinessCalendar("/etc/passwd"), "'/etc/passwd'"),
    ("empty zone", lambda: tf.BusinessCalendar(""), "''"),
    ("NUL in zone", lambda: tf.BusinessCalendar("Europe/Madrid\x00"), "Madrid"),
    ("very long zone", lambda: tf.BusinessCalendar("A" * 5000), "AAAA"),
    ("zone a ZoneInfo", lambda: tf.BusinessCalendar(MADRID), "zone name"),  # type: ignore[arg-type]
    # hours
    ("hours a list", lambda: tf.BusinessCalendar("UTC", [("09:00", "17:00")]), "hours must map"),  # type: ignore[arg-type]
    ("hours a str", lambda: tf.BusinessCalendar("UTC", "09:00-17:00"), "hours must map"),  # type: ignore[arg-type]
    (
        "unknown weekday",
        lambda: tf.BusinessCalendar("UTC", {"funday": ("09:00", "17:00")}),
        "'funday'",
    ),
    ("weekday an int", lambda: tf.BusinessCalendar("UTC", {0: ("09:00", "17:00")}), "weekday 0"),  # type: ignore[dict-item]
    ("weekday twice", lambda: tf.BusinessCalendar("UTC", {"mon": [], "Monday": []}), "given twice"),
    ("25:00", lambda: tf.BusinessCalendar("UTC", {"mon": ("09:00", "25:00")}), "'25:00'"),
    ("24:30", lambda: tf.BusinessCalendar("UTC", {"mon": ("09:00", "24:30")}), "'24:30'"),
    ("24:00 start", lambda: tf.BusinessCalendar("UTC", {"mon": ("24:00", "24:00")}), "'24:00'"),
    ("minutes 60", lambda: tf.BusinessCalendar("UTC", {"mon": ("09:60", "10:00")}), "'09:60'"),
    ("negative", lambda: tf.BusinessCalendar("UTC", {"mon": ("-1:00", "10:00")}), "'-1:00'"),
    ("int time", lambda: tf.BusinessCalendar("UTC", {"mon": [(9, 17)]}), "bad time 9"),
    ("float time", lambda: tf.BusinessCalendar("UTC", {"mon": [(9.5, 17.0)]}), "9.5"),
    ("None time", lambda: tf.BusinessCalendar("UTC", {"mon": [(None, "17:00")]}), "None"),
    ("seconds", lambda: tf.BusinessCalendar("UTC", {"mon": ("09:00:00", "17:00")}), "'09:00:00'"),
    ("dot time", lambda: tf.BusinessCalendar("UTC", {"mon": ("9.00", "17.00")}), "'9.00'"),
    ("end before start", lambda: tf.BusinessCalendar("UTC", {"mon": ("17:00", "09:00")}), "'mon'"),
    ("empty interval", lambda: tf.BusinessCalendar("UTC", {"tue": ("09:00", "09:00")}), "'tue'"),
    (
        "overlap",
        lambda: tf.BusinessCalendar("UTC", {"wed": [("09:00", "13:00"), ("12:00", "18:00")]}),
        "overlap",
    ),
    ("triple", lambda: tf.BusinessCalendar("UTC", {"mon": [("09:00", "12:00", "13:00")]}), "pair"),
    ("interval a str", lambda: tf.BusinessCalendar("UTC", {"mon": "09:00"}), "'09:00'"),
    ("interval an int", lambda: tf.BusinessCalendar("UTC", {"mon": 9}), "9"),
    (
        "time with seconds",
        lambda: tf.BusinessCalendar("UTC", {"mon": [(time(9, 0, 1), time(17))]}),
        "whole minute",
    ),
    (
        "aware time",
        lambda: tf.BusinessCalendar("UTC", {"mon": [(time(9, tzinfo=UTC), time(17))]}),
        "without tzinfo",
    ),
    ("no working time", lambda: tf.BusinessCalendar("UTC", {}), "no working time"),
    ("all closed", lambda: tf.BusinessCalendar("UTC", {"mon": [], "sun": None}), "no working time"),
    ("weekdays bad start", lambda: tf.BusinessCalendar("UTC", tf.weekdays("9am", "5pm")), "'9am'"),
    ("weekdays int", lambda: tf.BusinessCalendar("UTC", tf.weekdays(9, 17)), "9"),  # type: ignore[arg-type]
    ("weekdays reversed", lambda: tf.weekdays("17:00", "09:00"), "weekdays()"),
    ("weekdays None", lambda: tf.weekdays(None, "17:00"), "None"),  # type: ignore[arg-type]
    ("weekdays 24:00 start", lambda: tf.weekdays("24:00", "24:00"), "'24:00'"),
    # overrides
    (
        "override key a str",
        lambda: tf.BusinessCalendar("UTC", overrides={"2026-12-24": []}),  # type: ignore[dict-item]
        "'2026-12-24'",
    ),  # type: ignore[dict-item, unused-ignore]
    (
        "override key an int",
        lambda: tf.BusinessCalendar("UTC", overrides={20261224: []}),  # type: ignore[dict-item]
        "20261224",
    ),  # type: ignore[dict-item, unused-ignore]
    (
        "override key a datetime",
        lambda: tf.BusinessCalendar("UTC", overrides={datetime(2026, 12, 24): []}),
        "must be a date",
    ),
    (
        "overrides a list",
        lambda: tf.BusinessCalendar("UTC", overrides=[date(2026, 1, 1)]),  # type: ignore[arg-type]
        "overrides must map",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        "overrides a str",
        lambda: tf.BusinessCalendar("UTC", overrides="2026-12-24"),  # type: ignore[arg-type]
        "overrides must map",
    ),  # type: ignore[arg-type, unused-ignore]
    (
        "override bad hours",
        lambda: tf.BusinessCalendar("UTC", overrides={date(2026, 12, 24): [("09:00", "31:00")]}),
        "override for 2026-12-24",
    ),
    # endless iterators are never drained
    (
        "holidays an endless iterator",
        lambda: tf.BusinessCalendar("UTC", holidays=itertools.repeat(date(2026, 12, 25))),
        "holidays hold more than",
    ),
    (
        "hours an endless iterator",
        lambda: tf.BusinessCalendar("UTC", hours={"mon": itertools.repeat(("09:00", "10:00"))}),
        "more than 1440 intervals",
    ),
    (
        "override hours an endless iterator",
        lambda: tf.BusinessCalendar(
            "UTC", overrides={date(2026, 12, 24): itertools.cycle([("09:00", "10:00")])}
        ),
        "more than 1440 intervals",
    ),
    # holidays of wrong types
    ("holiday a float", lambda: tf.BusinessCalendar("UTC", holidays=3.5), "3.5"),
    ("holiday an int", lambda: tf.BusinessCalendar("UTC", holidays=[20261225]), "20261225"),
    ("holiday None item", lambda: tf.BusinessCalendar("UTC", holidays=[None]), "None"),
    (
        "holiday bytes",
        lambda: tf.BusinessCalendar("UTC", holidays=[b"FREQ=DAILY"]),
        "b'FREQ=DAILY'",
    ),
    (
        "holiday a datetime",
        lambda: tf.BusinessCalendar("UTC", holidays=[datetime(2026, 12, 25)]),
        "is a datetime",
    ),
    ("holiday bool", lambda: tf.BusinessCalendar("UTC", holidays=True), "True"),
    # countries
    ("unknown country", lambda: tf.country_holidays("XX"), "'XX'"),
    ("country lower case", lambda: tf.country_holidays("es"), "'es'"),
    ("country empty", lambda: tf.country_holidays(""), "''"),
    ("country an int", lambda: tf.country_holidays(34), "34"),  # type: ignore[arg-type]
    ("country None", lambda: tf.country_holidays(None), "None"),  # type: ignore[arg-type]
    ("unknown subdivision", lambda: tf.country_holidays("ES", subdiv="ZZ"), "'ZZ'"),
    ("subdivision an int", lambda: tf.country_holidays("US", subdiv=5), "5"),  # type: ignore[arg-type]
    ("unknown market", lambda: tf.country_holidays("XNOPE", financial=True), "'XNOPE'"),
    (
        "market with subdivision",
        lambda: tf.country_holidays("US", subdiv="NY", market="NYSE"),
        "'NY'",
    ),
    ("market an int", lambda: tf.country_holidays("US", market=5), "5"),  # type: ignore[arg-type]
    ("observed a str", lambda: tf.country_holidays("US", observed="no"), "'no'"),  # type: ignore[arg-type]
    # is_business_day
    ("business day a str", lambda: tf.ALWAYS_OPEN.is_business_day("2026-12-25"), "'2026-12-25'"),  # type: ignore[arg-type]
    ("business day None", lambda: tf.ALWAYS_OPEN.is_business_day(None), "None"),  # type: ignore[arg-type]
    ("business day an int", lambda: tf.ALWAYS_OPEN.is_business_day(20261225), "20261225"),  # type: ignore[arg-type]
    ("business day year 1", lambda: _madrid().is_business_day(date(1, 1, 1)), "0001-01-01"),
    ("business day year 9999", lambda: _madrid().is_business_day(date(9999, 12, 31)), "9999-12-31"),
]

BAD_RULES: list[tuple[str, str]] = [
    ("FREQ=MINUTELY", "more often than daily"),
    ("FREQ=SECONDLY", "more often than daily"),
    ("FREQ=HOURLY;INTERVAL=24", "more often than daily"),
    ("RRULE:FREQ=MINUTELY;COUNT=5", "more often than daily"),
    ("FREQ=DAILY;BYHOUR=1,2", "BYHOUR"),
    ("FREQ=YEARLY;BYMINUTE=0,30", "BYMINUTE"),
    ("FREQ=WEEKLY;BYSECOND=1,2,3", "BYSECOND"),
    ("FREQ=SOMETIMES", "'FREQ=SOMETIMES'"),
    ("", "''"),
    ("not a rule", "'not a rule'"),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
    ("FREQ=DAILY;INTERVAL=-1", "FREQ=DAILY;INTERVAL=-1"),
    ("FREQ=DAILY;INTERVAL=1000000", "INTERVAL=1000000"),
    ("FREQ=DAILY;COUNT=1000000", "COUNT=1000000"),
    ("FREQ=DAILY;COUNT=" + "9" * 5000, "FREQ=DAILY;COUNT=999"),
    ("FREQ=DAILY;UNTIL=99999999", "FREQ=DAILY;UNTIL=99999999"),
    ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "yields no date"),
    ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "yields no date"),
    ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=7", "yields no date"),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "yields no date"),
    ("FREQ=DAILY;UNTIL=18991231T000000", "yields no date"),
    ("DTSTART:30500101T000000\nRRULE:FREQ=YEARLY", "DTSTART 3050-01-01"),
    ("DTSTART:99990101T000000\nRRULE:FREQ=DAILY", "DTSTART 9999-01-01"),
    ("DTSTART:00010101T000000\nRRULE:FREQ=DAILY", "DTSTART 0001-01-01"),
    ("DTSTART:18000101T000000\nRRULE:FREQ=WEEKLY", "outside the supported range"),
    ("DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY", "without a time zone"),
    ("DTSTART;TZID=Europe/Madrid:20260101T000000\nRRULE:FREQ=DAILY", "without a time zone"),
    ("FREQ=DAILY;BYMONTHDAY=24", "only BYMONTH and BYDAY"),
    ("FREQ=WEEKLY;BYYEARDAY=100", "only BYMONTH and BYDAY"),
    ("FREQ=DAILY;BYSETPOS=2", "only BYMONTH and BYDAY"),
    ("FREQ=WEEKLY;BYWEEKNO=20", "only BYMONTH and BYDAY"),
    ("FREQ=DAILY;BYEASTER=0", "only BYMONTH and BYDAY"),
    ("FREQ=DAILY;" + "BYMONTH=1;" * 300, "longer than 2000"),
    ("RDATE:20260101T000000", "no RRULE"),
    ("FREQ=YEARLY\nRDATE:99990101T000000", "RDATE/EXDATE"),
    ("FREQ=YEARLY\nEXDATE:00020101T000000", "RDATE/EXDATE"),
    ("FREQ=YEARLY\nEXRULE:FREQ=MINUTELY", "more often than daily"),
    ("FREQ=YEARLY;BYWEEKNO=60", "BYWEEKNO=60"),
]


def _message_of(call: Callable[[], object], label: str) -> tf.TicketflowError:
    with within(label=label):
        try:
            call()
        except tf.TicketflowError as exc:
            return exc
    raise AssertionError(f"{label}: no error raised")


class TestBadInstants:
    """Every calendar method refuses instants that are not supported aware datetimes."""

    @pytest.mark.parametrize("calendar", sorted(CALENDARS))
    @pytest.mark.parametrize("method", sorted(METHODS))
    @pytest.mark.parametrize(
        ("value", "fragment", "error"),
        [case[1:] for case in BAD_INSTANTS],
        ids=[case[0] for case in BAD_INSTANTS],
    )
    def test_refused(
        self,
        calendar: str,
        method: str,
        value: object,
        fragment: str,
        error: type[tf.TicketflowError],
    ) -> None:
        """The call raises the named instant error quoting the bad part, within the bound."""
        cal = CALENDARS[calendar]()
        exc = _message_of(lambda: METHODS[method](cal, value), f"{calendar}.{method}({value!r})")
        assert isinstance(exc, error), repr(exc)
        assert fragment in str(exc)

    @pytest.mark.parametrize("argument", ["a", "b"])
    def test_elapsed_names_the_argument(self, argument: str) -> None:
        """elapsed names which of its two arguments is bad."""
        args = {"a": AT, "b": AT, argument: datetime(2026, 3, 2)}
        with pytest.raises(tf.NaiveDatetimeError, match=f"^{argument}="):
            tf.ALWAYS_OPEN.elapsed(args["a"], args["b"])

    def test_edges_of_the_range_are_accepted(self) -> None:
        """The first supported instant and the last microsecond before the end both work."""
        first = datetime(1900, 1, 1, tzinfo=UTC)
        last = datetime(2999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
        assert tf.ALWAYS_OPEN.is_open(first)
        assert tf.ALWAYS_OPEN.is_open(last)
        assert tf.ALWAYS_OPEN.add(first, tf.days(1)) == datetime(1900, 1, 2, tzinfo=UTC)


class TestBadDurations:
    """Durations of the wrong type, or too long, or leaving the range, raise DurationError."""

    @pytest.mark.parametrize(
        ("call", "fragment"),
        [case[1:] for case in BAD_DURATIONS],
        ids=[case[0] for case in BAD_DURATIONS],
    )
    def test_refused(self, call: Callable[[], object], fragment: str) -> None:
        """The call raises DurationError naming the duration, within the bound."""
        exc = _message_of(call, fragment)
        assert isinstance(exc, tf.DurationError), repr(exc)
        assert fragment in str(exc), str(exc)


class TestBadDefinitions:
    """Calendar definitions, countries and dates that make no sense raise CalendarError."""

    @pytest.mark.parametrize(
        ("call", "fragment"),
        [case[1:] for case in BAD_DEFINITIONS],
        ids=[case[0] for case in BAD_DEFINITIONS],
    )
    def test_refused(self, call: Callable[[], object], fragment: str) -> None:
        """The call raises CalendarError quoting the bad part, within the bound."""
        exc = _message_of(call, fragment)
        assert isinstance(exc, tf.CalendarError), repr(exc)
        assert fragment in str(exc), str(exc)


class TestBadRules:
    """RRULE holidays that cannot be holiday rules are refused when the calendar is built."""

    @pytest.mark.parametrize(("rule", "fragment"), BAD_RULES, ids=[r[:40] for r, _ in BAD_RULES])
    def test_refused(self, rule: str, fragment: str) -> None:
        """Building the calendar raises CalendarError naming the rule and what is wrong."""
        exc = _message_of(lambda: tf.BusinessCalendar("UTC", holidays=[rule]), rule[:40])
        assert isinstance(exc, tf.CalendarError), repr(exc)
        assert "bad holiday rule" in str(exc)
        assert fragment in str(exc), str(exc)

    @pytest.mark.parametrize(
        "rule",
        [
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            "FREQ=DAILY;BYMONTH=8",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
            "FREQ=YEARLY;BYEASTER=-2",
            "DTSTART:29990101T000000\nRRULE:FREQ=DAILY;COUNT=3",
            "DTSTART:20260105T000000\nRRULE:FREQ=YEARLY",
            "FREQ=YEARLY;UNTIL=99991231",
        ],
    )
    @pytest.mark.parametrize("year", [1900, 2026, 2999])
    def test_any_year_is_cheap(self, rule: str, year: int) -> None:
        """A valid rule answers for any year in range within the bound, even first used late."""
        cal = tf.BusinessCalendar("UTC", tf.weekdays("09:00", "17:00"), holidays=[rule])
        with within(label=f"{rule} in {year}"):
            for month in (1, 6, 12):
                cal.is_business_day(date(year, month, 28))


def test_case_count() -> None:
    """The table holds well over a hundred cases."""
    total = len(BAD_INSTANTS) * len(METHODS) * len(CALENDARS)
    total += len(BAD_DURATIONS) + len(BAD_DEFINITIONS) + len(BAD_RULES)
    assert total > 100
    assert re.fullmatch(r"\d+", str(total))
