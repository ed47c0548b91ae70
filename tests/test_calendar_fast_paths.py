"""The calendar's shortcuts against the general conversions they stand in for.

``BusinessCalendar`` reads an instant given in its own zone off its fields,
converts local dates with cached per-date offsets, builds results directly and
searches the loaded exception tables without growing them: its fast route.
``reference_calendar`` builds the same calendar on the reference route, with
every one of those shortcuts replaced by the general one: each conversion
through ``tz.fromutc`` and ``datetime.replace``, each search through the
table-growing code. Both must give the same answer (same instant, same fields,
same fold) or the same error, on DST days, in gaps and folds, and with the
caches cold or warm.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import examples
from ticketflow._calendar import BusinessCalendar, reference_calendar
from ticketflow._hours import WEEKDAY_NAMES
from ticketflow._routes import FastRoute, ReferenceRoute

ZONES = [
    "America/New_York",
    "Europe/London",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Santiago",
    "America/Havana",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Asia/Gaza",
    "Africa/Casablanca",
    "Antarctica/Troll",
    "Pacific/Apia",
    "Etc/GMT-14",
    "UTC",
]


def test_the_two_calendars_take_different_routes() -> None:
    assert type(BusinessCalendar("Europe/Madrid")._route) is FastRoute
    assert type(reference_calendar("Europe/Madrid")._route) is ReferenceRoute


def same(x: object, y: object) -> bool:
    if isinstance(x, BaseException) or isinstance(y, BaseException):
        return type(x) is type(y) and str(x) == str(y)
    if isinstance(x, datetime) and isinstance(y, datetime):
        return (
            x.tzinfo is y.tzinfo
            and x.replace(tzinfo=None) == y.replace(tzinfo=None)
            and x.fold == y.fold
            and x.utcoffset() == y.utcoffset()
        )
    return type(x) is type(y) and x == y


def outcome(f: object, *args: object) -> object:
    try:
        return f(*args)  # type: ignore[operator]
    except Exception as exc:  # errors are compared too
        return exc


def _hhmm(quarter: int) -> str:
    return f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, list[tuple[str, str]]]:
    hours: dict[str, list[tuple[str, str]]] = {}
    for day in WEEKDAY_NAMES:
        cuts = sorted(set(draw(st.lists(st.integers(0, 96), max_size=4))))
        pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
        if pairs:
            hours[day] = [(_hhmm(a), _hhmm(b)) for a, b in pairs]
    return hours or {"wed": [("01:00", "03:30")]}


@st.composite
def calendars(draw: st.DrawFn) -> tuple[BusinessCalendar, BusinessCalendar]:
    zone = draw(st.sampled_from(ZONES))
    hours = draw(st.one_of(st.just(tf.weekdays("09:00", "17:00")), schedules()))
    days = st.dates(date(2024, 1, 1), date(2027, 12, 31))
    holidays = draw(st.lists(days, max_size=6))
    intervals = st.sampled_from(
        [[], [("10:00", "12:00")], [("00:00", "24:00")], [("01:30", "02:45")]]
    )
    overrides = draw(st.dictionaries(days, intervals, max_size=3))
    return (
        BusinessCalendar(zone, hours, holidays=holidays, overrides=overrides),
        reference_calendar(zone, hours, holidays=holidays, overrides=overrides),
    )


def _changes(zone: ZoneInfo) -> list[datetime]:
    """UTC instants of the offset changes of 2024-2027 (hour by hour, then minute by minute)."""
    found: list[datetime] = []
    t = datetime(2024, 1, 1, tzinfo=UTC)
    while t.year < 2028:
        u = t + timedelta(hours=1)
        if t.astimezone(zone).utcoffset() != u.astimezone(zone).utcoffset():
            m = t
            while m.astimezone(zone).utcoffset() == t.astimezone(zone).utcoffset():
                m += timedelta(minutes=1)
            found.append(m)
        t = u
    return found


_CHANGES: dict[str, list[datetime]] = {}


@st.composite
def instants(draw: st.DrawFn, zone: ZoneInfo) -> datetime:
    changes = _CHANGES.get(zone.key)
    if changes is None:
        changes = _CHANGES[zone.key] = _changes(zone)
    near_a_change = draw(st.booleans())
    if changes and near_a_change:
        base = draw(st.sampled_from(changes))
    else:
        base = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 4 * 365)))
    at = base + timedelta(
        minutes=draw(st.sampled_from([0, 1, 15, 30, 60, 90, 600, 1440, 2880, 4320])),
        microseconds=draw(st.sampled_from([0, 0, 1, 999_999])),
    ) * draw(st.sampled_from([1, -1]))
    how = draw(st.sampled_from(["zone", "zone", "wall", "utc", "fixed", "copy"]))
    if how == "zone":
        return at.astimezone(zone)
    if how == "wall":  # a raw reading, maybe skipped or repeated
        wall = at.astimezone(zone) + timedelta(minutes=draw(st.sampled_from([-60, -30, 30, 60])))
        return wall.replace(fold=draw(st.sampled_from([0, 1])))
    if how == "utc":
        return at
    if how == "fixed":
        return at.astimezone(timezone(timedelta(hours=draw(st.integers(-12, 14)))))
    return at.astimezone(ZoneInfo.no_cache(zone.key))


durations = st.one_of(
    st.builds(
        tf.Duration,
        st.integers(-400, 400),
        st.sampled_from(
            ["business_days", "business_hours", "business_minutes", "days", "minutes", "hours"]
        ),
    ),
    st.builds(tf.Duration, st.integers(-1500, 1500), st.just("business_days")),
    st.timedeltas(timedelta(days=-400), timedelta(days=400)),
)


@pytest.mark.slow
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), calendars())
def test_fast_paths_agree_with_the_general_route(
    data: st.DataObject, pair: tuple[BusinessCalendar, BusinessCalendar]
) -> None:
    fast, slow = pair
    for _ in range(3):
        a = data.draw(instants(fast.tz))
        b = data.draw(instants(fast.tz))
        d = data.draw(durations)
        w = data.draw(st.timedeltas(timedelta(days=-30), timedelta(days=30)))
        for _ in range(2):  # cold caches, then warm ones
            for name, args in (
                ("add", (a, d)),
                ("subtract", (a, d)),
                ("add_working", (a, w)),
                ("elapsed", (a, b)),
                ("is_open", (a,)),
                ("next_open", (a,)),
            ):
                got = outcome(getattr(fast, name), *args)
                want = outcome(getattr(slow, name), *args)
                assert same(got, want), (name, args, got, want)


WHOLE_WEEK = {day: [("00:00", "24:00")] for day in WEEKDAY_NAMES}


@pytest.mark.slow
def test_wall_times_at_the_edges_of_every_change() -> None:
    """Days and business days landing on both readings of each change, to the microsecond."""
    steps = [timedelta(0), timedelta(microseconds=1), timedelta(minutes=30), timedelta(hours=1)]
    for zone_name in ZONES:
        fast = BusinessCalendar(zone_name, WHOLE_WEEK)
        slow = reference_calendar(zone_name, WHOLE_WEEK)
        zone = fast.tz
        for change in _CHANGES.setdefault(zone_name, _changes(zone))[:4]:
            readings = {
                (change + side).astimezone(zone).replace(tzinfo=None) - side
                for side in (timedelta(seconds=-1), timedelta(0))
            }
            for reading in readings:
                for step in steps:
                    for wall in (reading - step, reading + step):
                        for k in (1, 2, 7):
                            at = (wall - timedelta(days=k)).replace(tzinfo=zone)
                            for d in (tf.days(k), tf.business_days(k), tf.business_days(-k)):
                                for _ in range(2):
                                    got, want = outcome(fast.add, at, d), outcome(slow.add, at, d)
                                    assert same(got, want), (zone_name, at, d, got, want)


@pytest.mark.slow
def test_instants_at_the_edges_of_every_change() -> None:
    """Instants given in the zone at and around each change are read as the general route does."""
    steps = [timedelta(0), timedelta(microseconds=1), timedelta(minutes=30), timedelta(hours=1)]
    schedule = {
        day: [("00:00", "00:45"), ("01:30", "02:15"), ("02:30", "09:00"), ("22:00", "24:00")]
        for day in WEEKDAY_NAMES
    }
    for zone_name in ZONES:
        for hours in (WHOLE_WEEK, schedule):
            fast = BusinessCalendar(zone_name, hours)
            slow = reference_calendar(zone_name, hours)
            zone = fast.tz
            for change in _CHANGES.setdefault(zone_name, _changes(zone))[:4]:
                for step in steps:
                    for instant in (change - step, change + step):
                        at = instant.astimezone(zone)
                        for name, args in (
                            ("add", (at, tf.days(1))),
                            ("add", (at, tf.business_days(1))),
                            ("add", (at, tf.business_minutes(30))),
                            ("add", (at, tf.business_minutes(-30))),
                            ("elapsed", (at, at + timedelta(days=1))),
                            ("is_open", (at,)),
                            ("next_open", (at,)),
                        ):
                            for _ in range(2):
                                got = outcome(getattr(fast, name), *args)
                                want = outcome(getattr(slow, name), *args)
                                assert same(got, want), (zone_name, name, args, got, want)
