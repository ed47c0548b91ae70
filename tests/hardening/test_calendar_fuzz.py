"""Fuzz calendars, holidays and durations with hostile and extreme inputs.

Every call runs under :func:`tests.bounds.named_or_ok`: it returns, or raises
a ``TicketflowError`` with a message, within the time bound. Where it
returns, the calendar's identities still hold.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import FUZZ, named_or_ok
from ticketflow.testing import calendars

ZONES = [
    "UTC",
    "Europe/Madrid",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
]

#: Instants anywhere in and around the supported range, in hostile zones.
instants = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    ),
    st.datetimes(
        min_value=datetime(1899, 12, 25),
        max_value=datetime(1900, 1, 8),
        timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    ),
    st.datetimes(
        min_value=datetime(2999, 12, 25),
        max_value=datetime(3000, 1, 8),
        timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    ),
    st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2030, 12, 31),
        timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    ),
    st.datetimes(),  # naive
    st.sampled_from([None, 0, "2026-01-01", date(2026, 1, 1), 1.5]),
)

UNITS = ["minutes", "hours", "days", "business_minutes", "business_hours", "business_days"]

amounts = st.one_of(
    st.integers(-100, 100),
    st.integers(-(10**6), 10**6),
    st.integers(-(10**9), 10**9),
    st.sampled_from([36_600, -36_600, 878_400, 52_704_000, 10**5000]),
)

#: Durations built from hostile amounts (a refused amount stays a refusal: None).
raw_durations = st.one_of(
    st.tuples(amounts, st.sampled_from(UNITS)),
    st.timedeltas(),
    st.sampled_from([None, 5, "5h", 1.5]),
)

#: Hostile RRULE strings from a small grammar.
rules = st.builds(
    lambda parts, prefix: prefix + ";".join(parts),
    st.lists(
        st.one_of(
            st.sampled_from(
                ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "NEVER"]
            ).map("FREQ={}".format),
            st.integers(-2, 10**7).map("INTERVAL={}".format),
            st.integers(-2, 10**6).map("COUNT={}".format),
            st.integers(-60, 60).map("BYMONTHDAY={}".format),
            st.integers(-2, 14).map("BYMONTH={}".format),
            st.integers(-400, 400).map("BYYEARDAY={}".format),
            st.integers(-60, 60).map("BYWEEKNO={}".format),
            st.integers(-10, 10).map("BYSETPOS={}".format),
            st.integers(-5, 5).map("BYEASTER={}".format),
            st.sampled_from(["MO", "TU", "1MO", "-1FR", "5SU", "53MO", "XX"]).map(
                "BYDAY={}".format
            ),
            st.sampled_from(["0", "0,12", "25"]).map("BYHOUR={}".format),
            st.sampled_from(["19000101", "20261231T000000", "99991231", "00010101", "junk"]).map(
                "UNTIL={}".format
            ),
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(
        [
            "",
            "RRULE:",
            "DTSTART:20260105T000000\nRRULE:",
            "DTSTART:19000101T000000\nRRULE:",
            "DTSTART:29991231T000000\nRRULE:",
            "DTSTART:99990101T000000\nRRULE:",
            "DTSTART:20260105T000000Z\nRRULE:",
        ]
    ),
)

hours_specs = st.one_of(  # type: ignore[var-annotated]
    st.dictionaries(
        st.sampled_from(["mon", "tue", "sat", "Sunday", "funday", "", "MON"]),
        st.one_of(
            st.lists(
                st.tuples(
                    st.sampled_from(
                        ["00:00", "09:00", "12:30", "23:59", "24:00", "25:00", "9", ""]
                    ),
                    st.sampled_from(["00:00", "09:00", "12:30", "23:59", "24:00", "24:01", "x"]),
                ),
                max_size=3,
            ),
            st.sampled_from([None, "09:00", 9, ("09:00", "17:00")]),
        ),
        max_size=4,
    ),
    st.sampled_from([None, [], "mon-fri", 42]),
)

zone_names = st.one_of(
    st.sampled_from([*ZONES, "../../etc/passwd", "", "Mars/Base", "/etc/localtime", "UTC\x00"]),
    st.text(max_size=30),
)


def _duration(raw: Any) -> Any:
    """A Duration from ``(amount, unit)``, or the raw value; None when the amount is refused."""
    if isinstance(raw, tuple):
        made = named_or_ok(
            lambda: tf.Duration(*raw), f"Duration(<{raw[0].bit_length()} bits>, {raw[1]!r})"
        )
        return None if isinstance(made, tf.TicketflowError) else made
    return raw


def _label(cal: tf.BusinessCalendar, *args: object) -> str:
    return f"{cal!r:.120} {args!r:.200}"


class TestCalendarMethods:
    """Random calendars with random and extreme instants and durations on every method."""

    @FUZZ
    @given(
        calendars(timezones=ZONES, min_date=date(1990, 1, 1), max_date=date(2060, 12, 31)),
        instants,
        instants,
        raw_durations,
    )
    def test_every_method_is_ok_or_named(
        self, cal: tf.BusinessCalendar, a: Any, b: Any, raw: Any
    ) -> None:
        """Each method returns, or raises a TicketflowError, within the bound."""
        duration = _duration(raw)
        named_or_ok(lambda: cal.is_open(a), _label(cal, "is_open", a))
        named_or_ok(lambda: cal.next_open(a), _label(cal, "next_open", a))
        named_or_ok(lambda: cal.elapsed(a, b), _label(cal, "elapsed", a, b))
        named_or_ok(lambda: cal.is_business_day(a), _label(cal, "is_business_day", a))
        if duration is not None:
            named_or_ok(lambda: cal.add(a, duration), _label(cal, "add", a, duration))
            named_or_ok(lambda: cal.subtract(a, duration), _label(cal, "subtract", a, duration))
        if isinstance(raw, timedelta):
            named_or_ok(lambda: cal.add_working(a, raw), _label(cal, "add_working", a, raw))

    @FUZZ
    @given(
        calendars(timezones=ZONES, min_date=date(1990, 1, 1), max_date=date(2060, 12, 31)),
        st.datetimes(
            min_value=datetime(1901, 1, 1),
            max_value=datetime(2998, 12, 31),
            timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
        ),
        st.sampled_from(["business_minutes", "business_hours"]),
        st.one_of(st.integers(-5000, 5000), st.integers(-(10**6), 10**6)),
    )
    def test_elapsed_inverts_add(
        self, cal: tf.BusinessCalendar, a: datetime, unit: str, amount: int
    ) -> None:
        """Where add succeeds, elapsed(a, add(a, d)) == d for business minutes and hours."""
        if unit == "business_hours":
            amount = max(-878_400, min(878_400, amount))  # the longest business hours allowed
        d = tf.Duration(amount, unit)  # type: ignore[arg-type]
        end = named_or_ok(lambda: cal.add(a, d), _label(cal, "add", a, d))
        if isinstance(end, tf.TicketflowError):
            assert isinstance(end, tf.DurationError | tf.CalendarError), repr(end)
            return
        assert tf.MIN_INSTANT <= end < tf.MAX_INSTANT
        got = named_or_ok(lambda: cal.elapsed(a, end), _label(cal, "elapsed", a, end))
        if isinstance(got, tf.TicketflowError):  # more than the span bound apart
            assert isinstance(got, tf.DurationError), repr(got)
            return
        assert got == timedelta(minutes=d.total_minutes)

    @pytest.mark.slow
    @FUZZ
    @given(
        st.sampled_from(["Europe/Madrid", "Australia/Lord_Howe", "America/Santiago"]),
        st.datetimes(
            min_value=datetime(1900, 1, 2),
            max_value=datetime(2999, 12, 30),
            timezones=st.just(UTC),
        ),
        st.sampled_from(UNITS),
        st.sampled_from([36_600, -36_600, 878_400, -878_400, 52_704_000, 20_000, -20_000]),
    )
    def test_worst_durations_stay_bounded(
        self, zone: str, a: datetime, unit: str, amount: int
    ) -> None:
        """The longest durations allowed, in DST zones, holiday-heavy or open one hour, are fast."""
        limit = {"minutes": 52_704_000, "hours": 878_400, "days": 36_600}[
            unit.removeprefix("business_")
        ]
        amount = max(-limit, min(limit, amount))
        d = tf.Duration(amount, unit)  # type: ignore[arg-type]
        later = a + timedelta(days=36_000)
        busy = tf.BusinessCalendar(
            zone, tf.weekdays("09:00", "18:00"), holidays=tf.country_holidays("ES")
        )
        named_or_ok(lambda: busy.add(a, d), _label(busy, "add", a, d))
        named_or_ok(lambda: busy.elapsed(a, later), _label(busy, "elapsed", a))
        quiet = tf.BusinessCalendar(zone, {"wed": [("10:00", "11:00")]})
        named_or_ok(lambda: quiet.add(a, d), _label(quiet, "add", a, d))
        named_or_ok(lambda: quiet.elapsed(a, later), _label(quiet, "elapsed", a))


class TestDefinitions:
    """Random hostile calendar definitions, rules and duration strings."""

    @FUZZ
    @given(rules, st.sampled_from([1900, 1950, 2026, 2500, 2999]))
    def test_rules(self, rule: str, year: int) -> None:
        """A random RRULE is refused or answers for any year within the bound."""
        cal = named_or_ok(lambda: tf.BusinessCalendar("UTC", holidays=[rule]), rule)
        if isinstance(cal, tf.TicketflowError):
            assert isinstance(cal, tf.CalendarError), repr(cal)
            return
        for month in (1, 7, 12):
            named_or_ok(lambda: cal.is_business_day(date(year, month, 15)), f"{rule} {year}")  # noqa: B023
        at = datetime(year, 6, 1, tzinfo=UTC)
        named_or_ok(lambda: cal.add(at, tf.business_days(30)), f"{rule} add {year}")
        named_or_ok(lambda: cal.next_open(at), f"{rule} next_open {year}")

    @FUZZ
    @given(zone_names, hours_specs)
    def test_zones_and_hours(self, zone: str, hours: Any) -> None:
        """A random zone name and hours spec give a calendar or a CalendarError."""
        cal = named_or_ok(lambda: tf.BusinessCalendar(zone, hours), f"{zone!r} {hours!r}")
        if isinstance(cal, tf.TicketflowError):
            assert isinstance(cal, tf.CalendarError), repr(cal)
            return
        at = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        named_or_ok(lambda: cal.add(at, tf.business_hours(10)), f"{zone!r} add")

    @FUZZ
    @given(
        st.one_of(
            st.text(max_size=40),
            st.from_regex(r"\A[+-]?\d{1,6000} ?(m|h|d|bd|bh|bm|business days|weeks)\Z"),
            st.integers(),
            st.none(),
        )
    )
    def test_parse_duration(self, text: Any) -> None:
        """parse_duration returns a Duration or raises DurationError, whatever the text."""
        got = named_or_ok(lambda: tf.parse_duration(text), f"{text!r:.80}")
        if isinstance(got, tf.TicketflowError):
            assert isinstance(got, tf.DurationError), repr(got)
        else:
            assert tf.parse_duration(str(got)) == got

    @FUZZ
    @given(
        st.one_of(
            st.text(max_size=6), st.sampled_from(["US", "ES", "NYSE", "XX", ""]), st.integers()
        ),
        st.one_of(
            st.none(), st.text(max_size=4), st.sampled_from(["MD", "CA", "ZZ"]), st.integers()
        ),
    )
    def test_country_holidays(self, country: Any, subdiv: Any) -> None:
        """country_holidays gives a source or a CalendarError naming the country or subdivision."""
        got = named_or_ok(lambda: tf.country_holidays(country, subdiv), f"{country!r} {subdiv!r}")
        if isinstance(got, tf.TicketflowError):
            assert isinstance(got, tf.CalendarError), repr(got)
