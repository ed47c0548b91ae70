"""Business calendars: business days against numpy, business time properties,
real holidays, overrides and every error path."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import examples

COUNTRIES: dict[str, tuple[str, str | None, str]] = {
    "US": ("US", None, "America/New_York"),
    "ES": ("ES", "MD", "Europe/Madrid"),
    "GB": ("GB", None, "Europe/London"),
    "DE": ("DE", "BY", "Europe/Berlin"),
    "JP": ("JP", None, "Asia/Tokyo"),
    "AU": ("AU", "NSW", "Australia/Sydney"),
}
WEEKMASKS = {
    "mon-fri": "1111100",
    "sun-thu": "1111001",
    "mon-sat": "1111110",
    "tue-sat": "0111110",
}
YEARS = range(2014, 2040)


def _hours_for(mask: str) -> dict[str, list[tuple[str, str]]]:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return {names[i]: [("09:00", "17:00")] for i, bit in enumerate(mask) if bit == "1"}


_CALENDARS: dict[tuple[str, str], tf.BusinessCalendar] = {}
_HOLIDAYS: dict[str, list[date]] = {}


def calendar(country: str, mask: str) -> tf.BusinessCalendar:
    """A cached calendar, so holiday years are expanded once per run."""
    key = (country, mask)
    if key not in _CALENDARS:
        code, subdiv, zone = COUNTRIES[country]
        _CALENDARS[key] = tf.BusinessCalendar(
            zone, _hours_for(WEEKMASKS[mask]), holidays=tf.country_holidays(code, subdiv)
        )
    return _CALENDARS[key]


def holiday_list(country: str) -> list[date]:
    if country not in _HOLIDAYS:
        code, subdiv, _ = COUNTRIES[country]
        source = tf.country_holidays(code, subdiv)
        _HOLIDAYS[country] = sorted(d for y in YEARS for d in source.dates(y))
    return _HOLIDAYS[country]


def utc(t: datetime) -> datetime:
    """The instant in UTC (instants in a DST fold never equal other zones' ones)."""
    return t.astimezone(UTC)


starts = st.dates(date(2020, 1, 1), date(2030, 12, 31))
local_times = st.times(time(0, 0), time(23, 59)).map(lambda t: t.replace(second=0))


class TestBusinessDaysAgainstNumpy:
    """The date part of business days equals numpy.busday_offset."""

    @pytest.mark.slow
    @settings(max_examples=examples(1500), deadline=None)
    @given(
        country=st.sampled_from(sorted(COUNTRIES)),
        mask=st.sampled_from(sorted(WEEKMASKS)),
        start=starts,
        clock=local_times,
        n=st.integers(-800, 800),
    )
    def test_offset_matches_numpy(
        self, country: str, mask: str, start: date, clock: time, n: int
    ) -> None:
        """busday_offset with roll=forward (backward for negative n from a closed day)."""
        cal = calendar(country, mask)
        at = datetime.combine(start, clock, tzinfo=cal.tz)
        weekmask = WEEKMASKS[mask]
        holidays = holiday_list(country)
        working = bool(np.is_busday(start, weekmask=weekmask, holidays=holidays))
        roll = "backward" if n < 0 and not working else "forward"
        expected = np.busday_offset(start, n, roll=roll, weekmask=weekmask, holidays=holidays)  # type: ignore[call-overload]
        got = cal.add(at, tf.business_days(n))
        assert got.date() == expected.astype(date)
        assert cal.is_business_day(start) == working
        if working:
            assert (got.hour, got.minute) == (at.hour, at.minute) or got.fold or at.fold
        elif n >= 0:
            assert (got.hour, got.minute) == (9, 0)
        else:
            assert (got.hour, got.minute) == (17, 0)

    @pytest.mark.slow
    @settings(max_examples=examples(1000), deadline=None)
    @given(
        country=st.sampled_from(sorted(COUNTRIES)),
        mask=st.sampled_from(sorted(WEEKMASKS)),
        a=starts,
        b=starts,
    )
    def test_count_matches_numpy(self, country: str, mask: str, a: date, b: date) -> None:
        """Counting working days by whole-day elapsed time equals busday_count."""
        cal = calendar(country, mask)
        lo, hi = min(a, b), max(a, b)
        expected = int(
            np.busday_count(lo, hi, weekmask=WEEKMASKS[mask], holidays=holiday_list(country))
        )
        t0 = datetime.combine(lo, time(), tzinfo=cal.tz)
        t1 = datetime.combine(hi, time(), tzinfo=cal.tz)
        assert cal.elapsed(t0, t1) == timedelta(hours=8) * expected
        assert cal.elapsed(t1, t0) == -timedelta(hours=8) * expected

    @pytest.mark.parametrize("n", [0, 1, 5, 250, 2500, -1, -5, -250, -2500])
    def test_long_offsets(self, n: int) -> None:
        """Thousands of business days land on numpy's date, both ways."""
        cal = calendar("US", "mon-fri")
        start = date(2026, 7, 2)
        at = datetime.combine(start, time(10), tzinfo=cal.tz)
        expected = np.busday_offset(start, n, roll="forward", holidays=holiday_list("US"))
        assert cal.add(at, tf.business_days(n)).date() == expected.astype(date)


class TestBusinessDays:
    """Business days beyond numpy: time of day, overrides, closed starts."""

    def test_keeps_time_outside_hours(self) -> None:
        """A start at 20:00 on a working day stays at 20:00 (outside the hours)."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 6, 20, 0, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(1)) == datetime(2026, 3, 9, 20, 0, tzinfo=cal.tz)

    def test_closed_start_rolls_to_opening(self) -> None:
        """A Saturday start rolls to Monday's opening, then moves on."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 7, 15, 0, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(0)) == datetime(2026, 3, 9, 9, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(2)) == datetime(2026, 3, 11, 9, tzinfo=cal.tz)

    def test_closed_start_rolls_back_to_closing(self) -> None:
        """A Saturday start moving back rolls to Friday's closing first."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 7, 15, 0, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(-1)) == datetime(2026, 3, 5, 17, tzinfo=cal.tz)

    def test_opened_saturday_counts(self) -> None:
        """An override that opens a Saturday makes it a business day."""
        cal = tf.BusinessCalendar(
            "Europe/Madrid",
            tf.weekdays("09:00", "18:00"),
            overrides={date(2026, 3, 7): [("10:00", "14:00")]},
        )
        at = datetime(2026, 3, 6, 11, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(1)) == datetime(2026, 3, 7, 11, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(2)) == datetime(2026, 3, 9, 11, tzinfo=cal.tz)
        assert cal.is_business_day(date(2026, 3, 7))

    def test_closing_at_midnight(self) -> None:
        """A 24:00 closing kept as the time of day is the next date's midnight."""
        cal = tf.BusinessCalendar("UTC", {"fri": [("20:00", "24:00")]})
        at = datetime(2026, 3, 7, 15, tzinfo=UTC)
        # Saturday rolls back to Friday 6 March at 24:00, then one Friday further back.
        assert cal.add(at, tf.business_days(-1)) == datetime(2026, 2, 28, 0, tzinfo=UTC)

    def test_subtract_is_add_negative(self) -> None:
        """subtract(at, d) is add(at, -d)."""
        cal = calendar("ES", "mon-fri")
        at = datetime(2026, 12, 9, 10, tzinfo=cal.tz)
        assert cal.subtract(at, tf.business_days(3)) == cal.add(at, tf.business_days(-3))


class TestBusinessTime:
    """Business hours and minutes."""

    def test_end_at_closing_returns_closing(self) -> None:
        """A total that ends exactly at closing returns the closing time."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 6, 9, tzinfo=cal.tz)
        assert cal.add(at, tf.business_hours(8)) == datetime(2026, 3, 6, 17, tzinfo=cal.tz)

    def test_subtract_to_opening_returns_opening(self) -> None:
        """A subtraction that ends exactly at opening returns the opening."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 9, 17, tzinfo=cal.tz)
        assert cal.subtract(at, tf.business_hours(8)) == datetime(2026, 3, 9, 9, tzinfo=cal.tz)

    def test_start_outside_begins_at_opening(self) -> None:
        """A Saturday start counts from Monday's opening."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 7, 12, tzinfo=cal.tz)
        assert cal.add(at, tf.business_minutes(15)) == datetime(2026, 3, 9, 9, 15, tzinfo=cal.tz)

    def test_split_shift(self) -> None:
        """Time skips the lunch break."""
        cal = tf.BusinessCalendar(
            "Europe/Madrid",
            {"mon": [("09:00", "14:00"), ("15:00", "18:00")]},
        )
        at = datetime(2026, 3, 9, 13, tzinfo=cal.tz)
        assert cal.add(at, tf.business_hours(2)) == datetime(2026, 3, 9, 16, tzinfo=cal.tz)
        assert cal.elapsed(at, datetime(2026, 3, 9, 16, tzinfo=cal.tz)) == timedelta(hours=2)

    def test_long_durations(self) -> None:
        """20,000 business hours round-trip through elapsed."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 7, 2, 10, tzinfo=cal.tz)
        end = cal.add(at, tf.business_hours(20_000))
        assert cal.elapsed(at, end) == timedelta(hours=20_000)
        assert cal.subtract(end, tf.business_hours(20_000)) == at

    def test_zero_is_identity(self) -> None:
        """Adding zero business time returns the start (in the calendar's zone)."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 7, 12, tzinfo=UTC)
        got = cal.add(at, tf.business_minutes(0))
        assert got == at
        assert got.tzinfo is cal.tz

    def test_seconds_are_kept(self) -> None:
        """Sub-minute starts keep their seconds."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 6, 10, 0, 30, 5, tzinfo=cal.tz)
        assert cal.add(at, tf.business_minutes(1)) == at + timedelta(minutes=1)


_PROPERTY_CAL = tf.BusinessCalendar(
    "America/New_York",
    {
        "mon": [("09:00", "12:00"), ("13:00", "17:00")],
        "tue": [("00:00", "24:00")],
        "wed": [("01:00", "03:30")],
        "thu": [("09:00", "17:00")],
        "fri": [("09:00", "17:00")],
        "sat": [("10:00", "11:00")],
    },
    holidays=[tf.country_holidays("US"), "FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=1"],
    overrides={date(2026, 12, 24): [("09:00", "13:00")], date(2026, 3, 10): []},
)
instants = st.datetimes(
    datetime(2025, 1, 1), datetime(2030, 12, 31), timezones=st.just(ZoneInfo("America/New_York"))
).map(lambda t: t.replace(microsecond=0))
business_time = st.one_of(
    st.integers(0, 20_000).map(tf.business_minutes),
    st.integers(0, 3_000).map(tf.business_hours),
)


class TestProperties:
    """Laws that hold for every start and duration."""

    @settings(max_examples=examples(400), deadline=None)
    @given(at=instants, d=business_time)
    def test_elapsed_inverts_add(self, at: datetime, d: tf.Duration) -> None:
        """elapsed(a, add(a, d)) == d."""
        end = _PROPERTY_CAL.add(at, d)
        assert _PROPERTY_CAL.elapsed(at, end) == timedelta(minutes=d.total_minutes)

    @pytest.mark.slow
    @settings(max_examples=examples(400), deadline=None)
    @given(at=instants, d=business_time)
    def test_subtract_inverts_add_in_working_time(self, at: datetime, d: tf.Duration) -> None:
        """subtract(add(a, d), d) == a when a is open."""
        # an open instant drawn directly: filtering with assume() rejects most draws
        at = _PROPERTY_CAL.next_open(at)
        assert _PROPERTY_CAL.is_open(at)
        assert utc(_PROPERTY_CAL.subtract(_PROPERTY_CAL.add(at, d), d)) == utc(at)

    @settings(max_examples=examples(300), deadline=None)
    @given(at=instants, x=st.integers(0, 5000), y=st.integers(0, 5000))
    def test_add_is_monotone(self, at: datetime, x: int, y: int) -> None:
        """A longer duration never ends earlier."""
        lo, hi = min(x, y), max(x, y)
        a = _PROPERTY_CAL.add(at, tf.business_minutes(lo))
        b = _PROPERTY_CAL.add(at, tf.business_minutes(hi))
        assert utc(a) <= utc(b)

    @settings(max_examples=examples(300), deadline=None)
    @given(at=instants, n=st.integers(1, 5000))
    def test_result_is_open_or_a_closing(self, at: datetime, n: int) -> None:
        """A positive total ends in working time or exactly at a closing."""
        end = _PROPERTY_CAL.add(at, tf.business_minutes(n))
        just_before = end - timedelta(microseconds=1)
        assert _PROPERTY_CAL.is_open(end) or _PROPERTY_CAL.is_open(just_before)

    @settings(max_examples=examples(300), deadline=None)
    @given(a=instants, b=instants, c=instants)
    def test_elapsed_is_additive(self, a: datetime, b: datetime, c: datetime) -> None:
        """elapsed(a, b) + elapsed(b, c) == elapsed(a, c)."""
        cal = _PROPERTY_CAL
        assert cal.elapsed(a, b) + cal.elapsed(b, c) == cal.elapsed(a, c)

    @settings(max_examples=examples(300), deadline=None)
    @given(at=instants, n=st.integers(-600, 600))
    def test_business_days_round_trip_on_working_days(self, at: datetime, n: int) -> None:
        """Moving n business days and back returns the start date on a working day."""
        cal = _PROPERTY_CAL
        assume(cal.is_business_day(at.date()))
        there = cal.add(at, tf.business_days(n))
        assert cal.is_business_day(there.date())
        assert cal.add(there, tf.business_days(-n)).date() == at.date()

    @settings(max_examples=examples(200), deadline=None)
    @given(at=instants)
    def test_next_open_is_open(self, at: datetime) -> None:
        """next_open is open, not before at, and nothing is open in between."""
        cal = _PROPERTY_CAL
        nxt = cal.next_open(at)
        assert cal.is_open(nxt)
        assert utc(nxt) >= utc(at)
        assert cal.elapsed(at, nxt) == timedelta(0)


class TestRealDates:
    """Holidays of real countries."""

    def test_us_observed_independence_day(self) -> None:
        """2026-07-03 is the observed Independence Day."""
        cal = calendar("US", "mon-fri")
        assert not cal.is_business_day(date(2026, 7, 3))
        at = datetime(2026, 7, 2, 10, tzinfo=cal.tz)
        assert cal.add(at, tf.business_days(1)) == datetime(2026, 7, 6, 10, tzinfo=cal.tz)
        assert cal.add(at, tf.business_hours(8)) == datetime(2026, 7, 6, 10, tzinfo=cal.tz)

    def test_us_observed_new_year_falls_in_the_previous_year(self) -> None:
        """New Year 2028 falls on a Saturday, so Friday 2027-12-31 is closed."""
        assert not calendar("US", "mon-fri").is_business_day(date(2027, 12, 31))

    @pytest.mark.parametrize("day", [date(2026, 12, 8), date(2026, 12, 25), date(2027, 1, 6)])
    def test_spain_national_holidays(self, day: date) -> None:
        """Spain closes the Immaculate Conception, Christmas and Epiphany."""
        assert not calendar("ES", "mon-fri").is_business_day(day)

    def test_madrid_regional_holiday(self) -> None:
        """Madrid closes on 2 May (when it is a weekday)."""
        assert not calendar("ES", "mon-fri").is_business_day(date(2025, 5, 2))
        assert calendar("US", "mon-fri").is_business_day(date(2025, 5, 2))

    def test_half_day_on_christmas_eve(self) -> None:
        """An override makes 24 December a half day."""
        cal = tf.BusinessCalendar(
            "Europe/Madrid",
            tf.weekdays("09:00", "18:00"),
            holidays=tf.country_holidays("ES", subdiv="MD"),
            overrides={date(2026, 12, 24): [("09:00", "13:00")]},
        )
        eve = datetime(2026, 12, 24, 12, tzinfo=cal.tz)
        assert cal.add(eve, tf.business_hours(2)) == datetime(2026, 12, 28, 10, tzinfo=cal.tz)
        assert cal.elapsed(
            datetime(2026, 12, 24, tzinfo=cal.tz), datetime(2026, 12, 25, tzinfo=cal.tz)
        ) == timedelta(hours=4)
        assert not cal.is_open(datetime(2026, 12, 24, 14, tzinfo=cal.tz))

    def test_financial_market(self) -> None:
        """NYSE closes on Good Friday; the country calendar does not."""
        nyse = tf.BusinessCalendar(
            "America/New_York",
            tf.weekdays("09:30", "16:00"),
            tf.country_holidays("US", market="NYSE"),
        )
        assert not nyse.is_business_day(date(2026, 4, 3))
        assert calendar("US", "mon-fri").is_business_day(date(2026, 4, 3))
        same = tf.country_holidays("NYSE", financial=True)
        assert date(2026, 4, 3) in same.dates(2026)

    def test_observed_can_be_turned_off(self) -> None:
        """observed=False keeps only the holidays themselves."""
        assert date(2026, 7, 3) not in tf.country_holidays("US", observed=False).dates(2026)

    def test_explicit_dates_and_rules(self) -> None:
        """Explicit dates and RRULE strings close days; a rule without DTSTART is anchored."""
        cal = tf.BusinessCalendar(
            "UTC",
            tf.weekdays("09:00", "17:00"),
            holidays=[date(2026, 3, 9), "FREQ=YEARLY;BYMONTH=8;BYDAY=MO;BYSETPOS=1"],
        )
        assert not cal.is_business_day(date(2026, 3, 9))
        assert not cal.is_business_day(date(2026, 8, 3))
        assert cal.is_business_day(date(2026, 8, 10))

    def test_rule_counts_from_1900(self) -> None:
        """An INTERVAL rule without DTSTART counts from 1900-01-01, not from today."""
        cal = tf.BusinessCalendar(
            "UTC", tf.weekdays("09:00", "17:00"), holidays="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
        )
        # 1900-01-01 is a Monday; 2026-01-12 is 6576 weeks later (an even number).
        assert not cal.is_business_day(date(2026, 1, 12))
        assert cal.is_business_day(date(2026, 1, 5))

    def test_single_source_and_single_date(self) -> None:
        """holidays= takes a lone source or a lone date too."""
        one = tf.BusinessCalendar("UTC", holidays=date(2026, 3, 9))
        assert not one.is_business_day(date(2026, 3, 9))
        src = tf.BusinessCalendar("UTC", holidays=tf.country_holidays("GB"))
        assert not src.is_business_day(date(2026, 12, 25))


class TestCalendarObject:
    """Construction details, views and identity."""

    def test_attributes(self) -> None:
        """timezone, tz, hours and overrides read back normalised."""
        cal = tf.BusinessCalendar(
            "Europe/Madrid",
            {"Mon": [("09:00", "14:00"), ("14:00", "18:00")], "saturday": ("10:00", "12:00")},
            overrides={date(2026, 1, 2): []},
        )
        assert cal.timezone == "Europe/Madrid"
        assert cal.tz is ZoneInfo("Europe/Madrid")
        assert cal.hours == {"mon": (("09:00", "18:00"),), "sat": (("10:00", "12:00"),)}
        assert cal.overrides == {date(2026, 1, 2): ()}

    def test_default_hours(self) -> None:
        """Without hours= a calendar is open 09:00-17:00 Monday to Friday."""
        assert tf.BusinessCalendar("UTC").hours == dict.fromkeys(
            ("mon", "tue", "wed", "thu", "fri"), (("09:00", "17:00"),)
        )

    def test_time_objects(self) -> None:
        """datetime.time values work as interval ends."""
        cal = tf.BusinessCalendar("UTC", {"mon": [(time(9), time(17))]})
        assert cal.hours == {"mon": (("09:00", "17:00"),)}

    def test_frozen(self) -> None:
        """A calendar cannot be changed after it is built."""
        with pytest.raises(AttributeError):
            tf.ALWAYS_OPEN.timezone = "Europe/Paris"  # type: ignore[misc]

    def test_hashable_by_identity(self) -> None:
        """Calendars are dict keys; two equal definitions are two keys."""
        a = tf.BusinessCalendar("UTC")
        b = tf.BusinessCalendar("UTC")
        assert len({a: 1, b: 2, tf.ALWAYS_OPEN: 3}) == 3
        assert a == a  # noqa: PLR0124 - equality is reflexive for an identity-hashed calendar
        assert a != b

    def test_repr(self) -> None:
        """repr names the zone, the hours by weekday groups and the holidays."""
        cal = tf.BusinessCalendar(
            "Europe/Madrid",
            tf.weekdays("09:00", "18:00"),
            holidays=tf.country_holidays("ES", subdiv="MD"),
            overrides={date(2026, 12, 24): [("09:00", "13:00")]},
        )
        assert repr(cal) == (
            "BusinessCalendar('Europe/Madrid', 'mon-fri 09:00-18:00', "
            "holidays=[country_holidays('ES', subdiv='MD')], overrides=<1 dates>)"
        )
        assert repr(tf.ALWAYS_OPEN) == "BusinessCalendar('UTC', 'mon-sun 00:00-24:00')"

    def test_always_open(self) -> None:
        """ALWAYS_OPEN is UTC, always open, and business days are calendar days."""
        t = datetime(2026, 12, 25, 3, tzinfo=UTC)
        assert tf.ALWAYS_OPEN.tz is ZoneInfo("UTC")
        assert tf.ALWAYS_OPEN.is_open(t)
        assert tf.ALWAYS_OPEN.add(t, tf.business_days(7)) == t + timedelta(days=7)

    @pytest.mark.parametrize(
        ("duration", "expected"),
        [
            (timedelta(hours=48), datetime(2026, 3, 9, 13, tzinfo=ZoneInfo("America/New_York"))),
            (tf.hours(48), datetime(2026, 3, 9, 13, tzinfo=ZoneInfo("America/New_York"))),
            (tf.minutes(60), datetime(2026, 3, 7, 13, tzinfo=ZoneInfo("America/New_York"))),
            (tf.days(2), datetime(2026, 3, 9, 12, tzinfo=ZoneInfo("America/New_York"))),
        ],
    )
    def test_absolute_and_calendar_units(self, duration: object, expected: datetime) -> None:
        """timedelta, hours and minutes are real time; days keep the wall clock."""
        cal = calendar("US", "mon-fri")
        at = datetime(2026, 3, 7, 12, tzinfo=cal.tz)
        got = cal.add(at, duration)  # type: ignore[arg-type]
        assert got == expected
        assert got.tzinfo is cal.tz


class TestErrors:
    """Every CalendarError, DurationError and NaiveDatetimeError path."""

    def test_unknown_zone(self) -> None:
        """An unknown zone name raises CalendarError naming it."""
        with pytest.raises(tf.CalendarError, match="'Mars/Olympus'"):
            tf.BusinessCalendar("Mars/Olympus")

    def test_zone_must_be_a_string(self) -> None:
        """A non-string zone raises CalendarError."""
        with pytest.raises(tf.CalendarError, match="zone name"):
            tf.BusinessCalendar(ZoneInfo("UTC"))  # type: ignore[arg-type]

    def test_no_working_time(self) -> None:
        """A week without working time is refused at construction."""
        with pytest.raises(tf.CalendarError, match="no working time"):
            tf.BusinessCalendar("UTC", {})

    def test_overrides_do_not_count_as_weekly_time(self) -> None:
        """Overrides alone do not make a calendar valid."""
        with pytest.raises(tf.CalendarError, match="no working time"):
            tf.BusinessCalendar(
                "UTC", {"mon": []}, overrides={date(2026, 1, 5): [("09:00", "10:00")]}
            )

    @pytest.mark.parametrize(
        ("hours", "words"),
        [
            ({"mon": [("25:00", "26:00")]}, ["'mon'", "'25:00'"]),
            ({"tue": [("9am", "5pm")]}, ["'tue'", "'9am'"]),
            ({"wed": [("10:00", "09:00")]}, ["'wed'", "10:00"]),
            ({"thu": [("10:00", "10:00")]}, ["'thu'", "10:00"]),
            ({"fri": [("09:00", "12:00"), ("11:00", "13:00")]}, ["'fri'", "overlap"]),
            ({"sat": [("24:00", "24:00")]}, ["'sat'", "'24:00'"]),
            ({"sun": [("09:60", "10:00")]}, ["'sun'", "'09:60'"]),
            ({"mon": [("09:00",)]}, ["'mon'", "pair"]),
            ({"mon": "09:00-17:00"}, ["'mon'", "list"]),
            ({"mon": [("09:00", "17:00", "x")]}, ["'mon'", "pair"]),
            ({"mon": [(time(9, 0, 30), "17:00")]}, ["'mon'", "whole minute"]),
            ({"funday": [("09:00", "17:00")]}, ["'funday'"]),
            ({1: [("09:00", "17:00")]}, ["1"]),
            ({"mon": [("09:00", "17:00")], "monday": []}, ["'mon'", "twice"]),
        ],
    )
    def test_bad_hours(self, hours: dict[object, object], words: list[str]) -> None:
        """Malformed hours raise CalendarError naming the weekday and the value."""
        with pytest.raises(tf.CalendarError) as info:
            tf.BusinessCalendar("UTC", hours)  # type: ignore[arg-type]
        for word in words:
            assert word in str(info.value)

    def test_hours_must_be_a_mapping(self) -> None:
        """hours= that is not a mapping raises CalendarError."""
        with pytest.raises(tf.CalendarError, match="map weekday"):
            tf.BusinessCalendar("UTC", [("09:00", "17:00")])  # type: ignore[arg-type]

    def test_bad_override(self) -> None:
        """A malformed override names its date; a datetime key is refused."""
        with pytest.raises(tf.CalendarError, match="2026-12-24"):
            tf.BusinessCalendar("UTC", overrides={date(2026, 12, 24): [("13:00", "09:00")]})
        with pytest.raises(tf.CalendarError, match="must be a date"):
            tf.BusinessCalendar("UTC", overrides={datetime(2026, 12, 24): []})

    def test_unknown_country(self) -> None:
        """An unknown country raises CalendarError naming it."""
        with pytest.raises(tf.CalendarError, match="'XX'"):
            tf.country_holidays("XX")
        with pytest.raises(tf.CalendarError, match="country"):
            tf.country_holidays("")

    def test_unknown_subdivision(self) -> None:
        """An unknown subdivision raises CalendarError naming it and its country."""
        with pytest.raises(tf.CalendarError, match=r"'ZZ'.*'ES'"):
            tf.country_holidays("ES", subdiv="ZZ")

    def test_unknown_market(self) -> None:
        """An unknown market raises CalendarError naming it."""
        with pytest.raises(tf.CalendarError, match="'NOPE'"):
            tf.country_holidays("US", market="NOPE")
        with pytest.raises(tf.CalendarError, match="no subdivision"):
            tf.country_holidays("US", subdiv="CA", market="NYSE")

    @pytest.mark.parametrize("bad", [3.5, object(), [1], [datetime(2026, 1, 1)]])
    def test_bad_holidays(self, bad: object) -> None:
        """holidays= items that are not dates, rules or sources are refused."""
        with pytest.raises(tf.CalendarError, match="holiday"):
            tf.BusinessCalendar("UTC", holidays=bad)

    def test_bad_rule(self) -> None:
        """A malformed RRULE string raises CalendarError naming it."""
        with pytest.raises(tf.CalendarError, match="'FREQ=SOMETIMES'"):
            tf.BusinessCalendar("UTC", holidays="FREQ=SOMETIMES")

    def test_everything_closed_for_years(self) -> None:
        """A calendar whose holidays close every day gives up instead of looping."""
        cal = tf.BusinessCalendar("UTC", holidays="DTSTART:20260101T000000\nRRULE:FREQ=DAILY")
        at = datetime(2026, 3, 2, 10, tzinfo=UTC)
        with pytest.raises(tf.CalendarError, match="no working time in the 10 years"):
            cal.add(at, tf.business_days(1))
        with pytest.raises(tf.CalendarError, match="no working time"):
            cal.add(at, tf.business_hours(1))
        with pytest.raises(tf.CalendarError, match="no working time"):
            cal.next_open(at)
        ok = cal.add(at, tf.business_hours(-1))
        assert ok == datetime(2025, 12, 31, 16, tzinfo=UTC)

    def test_everything_closed_backwards(self) -> None:
        """Moving back through years of closures gives up too."""
        cal = tf.BusinessCalendar("UTC", holidays="FREQ=DAILY;UNTIL=20300101T000000")
        with pytest.raises(tf.CalendarError, match="no working time in the 10 years before"):
            cal.add(datetime(2026, 3, 2, tzinfo=UTC), tf.business_days(-1))

    @pytest.mark.parametrize(
        ("start", "duration"),
        [
            (datetime(2995, 3, 2, tzinfo=UTC), tf.business_days(3_000)),
            (datetime(1905, 3, 2, tzinfo=UTC), tf.business_days(-3_000)),
            (datetime(2995, 3, 2, tzinfo=UTC), tf.business_minutes(5 * 10**6)),
            (datetime(1905, 3, 2, tzinfo=UTC), tf.business_minutes(-5 * 10**6)),
            (datetime(2995, 3, 2, tzinfo=UTC), tf.days(3_000)),
            (datetime(2995, 3, 2, tzinfo=UTC), tf.minutes(5 * 10**6)),
            (datetime(2995, 3, 2, tzinfo=UTC), timedelta(days=3_000)),
        ],
    )
    def test_out_of_range(self, start: datetime, duration: object) -> None:
        """Results beyond the supported range raise DurationError, never OverflowError."""
        with pytest.raises(tf.DurationError, match="outside the supported"):
            tf.ALWAYS_OPEN.add(start, duration)  # type: ignore[arg-type]
        with pytest.raises(tf.DurationError, match="outside the supported"):
            calendar("US", "mon-fri").add(start, duration)  # type: ignore[arg-type]

    def test_near_the_end_of_time(self) -> None:
        """Working time near the ends of the range raises DurationError past them."""
        at = datetime(2999, 12, 30, tzinfo=UTC)
        with pytest.raises(tf.DurationError, match="outside the supported"):
            tf.ALWAYS_OPEN.add(at, tf.business_days(5))
        with pytest.raises(tf.DurationError, match="outside the supported"):
            tf.ALWAYS_OPEN.add(datetime(1900, 1, 2, tzinfo=UTC), tf.business_hours(-48))

    def test_bad_duration_type(self) -> None:
        """Something that is not a duration raises DurationError."""
        with pytest.raises(tf.DurationError, match="expected a Duration"):
            tf.ALWAYS_OPEN.add(datetime(2026, 1, 1, tzinfo=UTC), 5)  # type: ignore[arg-type]
        with pytest.raises(tf.DurationError, match="expected a Duration"):
            tf.ALWAYS_OPEN.subtract(datetime(2026, 1, 1, tzinfo=UTC), "5h")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "call",
        [
            lambda cal, t: cal.add(t, tf.hours(1)),
            lambda cal, t: cal.subtract(t, tf.business_days(1)),
            lambda cal, t: cal.is_open(t),
            lambda cal, t: cal.next_open(t),
            lambda cal, t: cal.elapsed(t, datetime(2026, 1, 1, tzinfo=UTC)),
            lambda cal, t: cal.elapsed(datetime(2026, 1, 1, tzinfo=UTC), t),
        ],
    )
    def test_naive_datetimes(self, call: object) -> None:
        """Every method refuses a naive datetime with NaiveDatetimeError."""
        with pytest.raises(tf.NaiveDatetimeError, match="naive"):
            call(tf.ALWAYS_OPEN, datetime(2026, 1, 1))  # type: ignore[operator]

    def test_not_a_datetime(self) -> None:
        """A date where an instant is needed raises InstantError."""
        with pytest.raises(tf.InstantError, match="must be a datetime"):
            tf.ALWAYS_OPEN.is_open(date(2026, 1, 1))  # type: ignore[arg-type]
