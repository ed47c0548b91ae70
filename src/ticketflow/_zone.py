"""A time zone's arithmetic: UTC <-> local readings, offset changes, DST gaps and folds.

All instants are integer microseconds since 0001-01-01 00:00 UTC; local dates
are ordinals and local wall times microseconds after local midnight.

A :class:`Zone` finds the zone's offset changes (:class:`ZoneShift`) once per
year by sampling every six hours and bisecting to the second, and caches per
local date a :class:`ZoneDay`: the date's one UTC offset when no offset change
falls from two days before it to three after, else the changes nearby. An
instant given in the zone is read off its fields on such a date, and a result
on it is built from its fields; on the other dates the nearby changes decide (a
wall time before the later reading of a change takes the offset before it, so
ambiguous times take the earlier instant and skipped ones move forward by the
gap). Anything else goes through the general conversions (``tz.fromutc`` and
``datetime.replace``), also offered on their own as :func:`general_us`,
:func:`general_read`, :func:`general_instant` and :func:`general_localize`.
"""

from __future__ import annotations

import threading
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo

import attrs

from ._errors import DurationError, InstantError
from ._limits import MAX_INSTANT, MIN_INSTANT, check_instant, out_of_range

__all__ = [
    "DAY_US",
    "EPOCH",
    "MINUTE_US",
    "US",
    "Span",
    "Zone",
    "ZoneDay",
    "ZoneShift",
    "general_instant",
    "general_localize",
    "general_read",
    "general_us",
]

Span: TypeAlias = tuple[int, int]  # a half-open interval, e.g. of UTC microseconds

US = timedelta(microseconds=1)
MINUTE_US = 60_000_000
DAY_US = 86_400_000_000
EPOCH = datetime(1, 1, 1)
_MAX_ORDINAL = date.max.toordinal()
_SAMPLE_US = 6 * 3600 * 1_000_000  # offset changes are found by sampling this often
_UNIX_S = (datetime(1970, 1, 1) - EPOCH) // timedelta(seconds=1)
_DATE_CACHE_SIZE = 4096
_OFFSET_CACHE_SIZE = 4096
# Dates (and UTC instants) this far from the ends of the range convert without overflow.
_SAFE_LO_DAY, _SAFE_HI_DAY = 8, _MAX_ORDINAL - 8
_SAFE_LO_US, _SAFE_HI_US = 4 * DAY_US, (_MAX_ORDINAL - 4) * DAY_US
_OFFSET_US: dict[timedelta, int] = {}  # UTC offsets seen, in microseconds
# The supported instants [MIN_INSTANT, MAX_INSTANT) in microseconds.
_MIN_US = (MIN_INSTANT.replace(tzinfo=None) - EPOCH) // US
_MAX_US = (MAX_INSTANT.replace(tzinfo=None) - EPOCH) // US
# Offset changes found per (zone name, year), shared by every Zone of that name
# (zones are immutable); cleared when full.
_SHIFTS: dict[tuple[str, int], tuple[ZoneShift, ...]] = {}
_SHIFTS_SIZE = 200_000
_FIXED_ZONES = ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT")


@attrs.frozen(slots=True)
class ZoneShift:
    """A change of the zone's UTC offset (all in microseconds)."""

    at: int  #: the UTC instant of the change
    before: int  #: the offset before it
    after: int  #: the offset from it on


@attrs.frozen(slots=True)
class ZoneDay:
    """What the zone does on one local date (see :meth:`Zone.day`)."""

    #: The zone's one UTC offset over the date and the days around it, or None near
    #: an offset change or the ends of the range.
    offset: int | None
    year: int
    month: int
    day: int
    #: The offset changes from two days before the date to three after, or None at
    #: the ends of the range.
    near: tuple[ZoneShift, ...] | None


def bad_instant(at: object, argument: str) -> InstantError:
    """The error for an instant that is not a supported aware datetime."""
    check_instant(at, argument)  # raises the precise error
    return InstantError(f"{argument}={at!r} is not a supported instant", at, argument)


# --------------------------------------------------------------------------- general route


def general_us(at: datetime, argument: str) -> int:
    """UTC microseconds of a supported instant, through ``datetime.replace``."""
    if not isinstance(at, datetime):
        raise bad_instant(at, argument)
    try:
        offset = at.utcoffset()
    except Exception:  # a broken tzinfo: check_instant names it
        raise bad_instant(at, argument) from None
    if offset is None:
        raise bad_instant(at, argument)
    try:  # a subclass may carry more than microseconds
        u = (datetime.replace(at, tzinfo=None) - EPOCH) // US - offset // US
    except Exception:  # a hostile subclass
        raise bad_instant(at, argument) from None
    if not _MIN_US <= u < _MAX_US:
        raise bad_instant(at, argument)
    return u


def general_instant(tz: ZoneInfo, us: int) -> datetime:
    """The instant ``us`` in ``tz``, through ``tz.fromutc``."""
    try:
        return tz.fromutc((EPOCH + timedelta(microseconds=us)).replace(tzinfo=tz))
    except OverflowError:
        raise out_of_range() from None


def general_read(tz: ZoneInfo, at: datetime, argument: str) -> tuple[int, int, int]:
    """``(UTC microseconds, local ordinal, local wall-clock microseconds)`` of ``at``."""
    u = general_us(at, argument)
    local = general_instant(tz, u)
    wall = (local.hour * 3600 + local.minute * 60 + local.second) * 1_000_000 + local.microsecond
    return u, local.toordinal(), wall


def general_localize(tz: ZoneInfo, ordinal: int, micros: int) -> datetime:
    """The instant showing wall time ``micros`` after midnight of ``ordinal``, via ``fold=0``."""
    if not 1 <= ordinal <= _MAX_ORDINAL:
        raise out_of_range()
    try:
        naive = datetime.fromordinal(ordinal) + timedelta(microseconds=micros)
        offset = naive.replace(tzinfo=tz, fold=0).utcoffset()
        assert offset is not None
        return general_instant(tz, (naive - EPOCH) // US - offset // US)
    except OverflowError:
        raise out_of_range() from None


# --------------------------------------------------------------------------- the zone


class Zone:
    """One IANA zone's conversions, with the offset changes and date readings it caches."""

    __slots__ = ("_lock", "_shifts", "days", "fixed", "name", "tz")

    def __init__(self, name: str, tz: ZoneInfo, lock: threading.RLock) -> None:
        self.name = name
        self.tz = tz
        #: The zone's one offset when it never changes (UTC and its aliases), else None.
        self.fixed: int | None = 0 if name in _FIXED_ZONES else None
        self._lock = lock
        self._shifts: dict[int, tuple[ZoneShift, ...]] = {}
        #: The :class:`ZoneDay` of each local date read so far, by ordinal (filled by
        #: :meth:`day`; others only look).
        self.days: dict[int, ZoneDay] = {}

    # ------------------------------------------------------------------ instants

    def us(self, at: datetime, argument: str) -> int:
        """UTC microseconds of a supported instant; InstantError for anything else."""
        if type(at) is not datetime:
            return general_us(at, argument)
        try:
            offset = at.utcoffset()
        except Exception:  # a broken tzinfo: check_instant names it
            raise bad_instant(at, argument) from None
        if offset is None:
            raise bad_instant(at, argument)
        off = _OFFSET_US.get(offset)
        if off is None:
            off = offset // US
            if len(_OFFSET_US) < _OFFSET_CACHE_SIZE:
                _OFFSET_US[offset] = off
        u = (
            ((at.toordinal() - 1) * 86_400 + at.hour * 3600 + at.minute * 60 + at.second)
            * 1_000_000
            + at.microsecond
            - off
        )
        if not _MIN_US <= u < _MAX_US:
            raise bad_instant(at, argument)
        return u

    def read(self, at: datetime, argument: str) -> tuple[int, int, int]:
        """``(UTC microseconds, local ordinal, local wall-clock microseconds)`` of ``at``.

        An instant given in the zone on a date far from any offset change is
        read off its fields; anything else is converted.
        """
        if type(at) is datetime and at.tzinfo is self.tz:
            o = at.toordinal()
            zday = self.days.get(o)
            if zday is None:
                zday = self.day(o)
            off = zday.offset
            if off is not None:
                wall = (at.hour * 3600 + at.minute * 60 + at.second) * 1_000_000 + at.microsecond
                u = (o - 1) * DAY_US + wall - off
                if not _MIN_US <= u < _MAX_US:
                    raise bad_instant(at, argument)
                return u, o, wall
            near = zday.near
            if near is not None:
                # Near an offset change: ``at``'s own offset (fold included) gives the
                # instant, and the changes around give its local reading.
                u = self.us(at, argument)
                off = near[0].before
                for shift in near:
                    if u >= shift.at:
                        off = shift.after
                o, wall = divmod(u + off, DAY_US)
                return u, o + 1, wall
        u = self.us(at, argument)
        local = self.instant(u)
        wall = (
            local.hour * 3600 + local.minute * 60 + local.second
        ) * 1_000_000 + local.microsecond
        return u, local.toordinal(), wall

    def instant(self, us: int) -> datetime:
        """The instant ``us`` in the zone."""
        if _SAFE_LO_US <= us < _SAFE_HI_US:
            # ``fromtimestamp`` converts with ``tz.fromutc``, folds included;
            # offsets change on whole seconds, so the microseconds follow.
            sec, micro = divmod(us, 1_000_000)
            local = datetime.fromtimestamp(sec - _UNIX_S, self.tz)
            return local.replace(microsecond=micro) if micro else local
        return general_instant(self.tz, us)

    def day(self, ordinal: int) -> ZoneDay:
        """The :class:`ZoneDay` of a local date (cached)."""
        found = self.days.get(ordinal)
        if found is not None:
            return found
        if not 1 <= ordinal <= _MAX_ORDINAL:
            raise out_of_range()
        d = date.fromordinal(ordinal)
        offset: int | None = None
        near: tuple[ZoneShift, ...] | None = None
        if _SAFE_LO_DAY <= ordinal <= _SAFE_HI_DAY:
            near = self.near(ordinal)
            if not near:
                offset = self.offset_at((ordinal - 1) * DAY_US)
        result = ZoneDay(offset, d.year, d.month, d.day, near)
        cache = self.days
        with self._lock:
            if len(cache) >= _DATE_CACHE_SIZE:
                cache.clear()
            cache[ordinal] = result
        return result

    def localize(self, ordinal: int, micros: int) -> datetime:
        """The instant showing local wall time ``micros`` after midnight of ``ordinal``.

        A wall time that does not exist moves forward by the gap; an ambiguous
        one takes the earlier instant.
        """
        if 0 <= micros < DAY_US:
            zday = self.days.get(ordinal)
            if zday is None and 1 <= ordinal <= _MAX_ORDINAL:
                zday = self.day(ordinal)
            if zday is not None:
                near = zday.near
                if zday.offset is None and near is not None:
                    skipped = _skipped(near, (ordinal - 1) * DAY_US + micros)
                    if skipped is not None:
                        return self.instant(skipped)
                if zday.offset is not None or near is not None:
                    hour, rest = divmod(micros, 3_600_000_000)
                    minute, rest = divmod(rest, 60_000_000)
                    second, micro = divmod(rest, 1_000_000)
                    return datetime(
                        zday.year, zday.month, zday.day, hour, minute, second, micro, self.tz
                    )
        return general_localize(self.tz, ordinal, micros)

    # ------------------------------------------------------------------ offsets

    def offset_at(self, us: int) -> int:
        """UTC offset in microseconds at the UTC instant ``us``."""
        if self.fixed is not None:
            return self.fixed
        offset = self.instant(us).utcoffset()
        assert offset is not None
        return offset // US

    def shifts(self, year: int) -> tuple[ZoneShift, ...]:
        """The offset changes whose UTC instant falls in ``year`` (UTC), in order."""
        cache = self._shifts
        found = cache.get(year)
        if found is not None:
            return found
        shared = _SHIFTS.get((self.name, year))
        if shared is not None:
            with self._lock:
                cache[year] = shared
            return shared
        found = ()
        if self.fixed is None and MINYEAR < year < MAXYEAR:
            found = tuple(_find_shifts(self.tz, year))
        with self._lock:
            cache[year] = found
            if len(_SHIFTS) >= _SHIFTS_SIZE:
                _SHIFTS.clear()
            _SHIFTS[self.name, year] = found
        return found

    def shift_dates(self, year: int) -> set[date]:
        """The local dates of ``year`` from the day before to the day after an offset change."""
        found: set[date] = set()
        if self.fixed is not None:
            return found
        for y in (year - 1, year, year + 1):
            if MINYEAR <= y <= MAXYEAR:
                for change in self.shifts(y):
                    for shift in (-DAY_US, 0, DAY_US):
                        try:
                            local = self.instant(change.at + shift).date()
                        except DurationError:
                            continue
                        if local.year == year:
                            found.add(local)
        return found

    def near(self, ordinal: int) -> tuple[ZoneShift, ...]:
        """The offset changes less than two days before or three after a local date's midnight."""
        if self.fixed is not None:
            return ()
        near: list[ZoneShift] = []
        midnight = (ordinal - 1) * DAY_US
        lo_u, hi_u = midnight - 2 * DAY_US, midnight + 3 * DAY_US
        y0 = date.fromordinal(max(1, ordinal - 2)).year
        y1 = date.fromordinal(min(_MAX_ORDINAL, ordinal + 3)).year
        for y in range(y0, y1 + 1):
            near.extend(t for t in self.shifts(y) if lo_u <= t.at < hi_u)
        return tuple(near)

    def to_utc(self, ordinal: int, wall: tuple[Span, ...]) -> tuple[Span, ...]:
        """Wall-clock minute intervals of a local date as merged UTC microsecond intervals."""
        if not wall:
            return ()
        midnight = (ordinal - 1) * DAY_US
        near = self.near(ordinal)
        if not near:
            off = self.offset_at(midnight)
            return tuple(
                (midnight + s * MINUTE_US - off, midnight + e * MINUTE_US - off) for s, e in wall
            )
        lo_u, hi_u = midnight - 2 * DAY_US, midnight + 3 * DAY_US
        bounds = [lo_u - DAY_US] + [t.at for t in near] + [hi_u + DAY_US]
        offsets = [near[0].before] + [t.after for t in near]
        pieces: list[Span] = []
        for s, e in wall:
            ws, we = midnight + s * MINUTE_US, midnight + e * MINUTE_US
            for k, off in enumerate(offsets):
                lo = max(ws - off, bounds[k])
                hi = min(we - off, bounds[k + 1])
                if lo < hi:
                    pieces.append((lo, hi))
        return _merged(pieces)


def _skipped(near: tuple[ZoneShift, ...], local: int) -> int | None:
    """The instant of local reading ``local`` (as microseconds) if a gap skips it, else None.

    Offset changes are days apart: a wall time at or after the later of the two
    readings of a change is after it; earlier ones (the first of a repeated
    hour, a skipped hour) take the offset before, and a skipped one moves on by
    the gap.
    """
    off = near[0].before
    for shift in near:
        before, after = shift.before, shift.after
        if local >= shift.at + (before if before > after else after):
            off = after
        elif local >= shift.at + before and after > before:
            return local - off
        else:
            break
    return None


def _merged(pieces: list[Span]) -> tuple[Span, ...]:
    """Intervals sorted and merged where they touch or overlap."""
    pieces.sort()
    merged: list[Span] = []
    for lo, hi in pieces:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def _find_shifts(tz: ZoneInfo, year: int) -> list[ZoneShift]:
    """The offset changes of ``tz`` in UTC ``year``, by sampling and bisecting to the second.

    A change at second t means offset(t - 1s) != offset(t); sampling
    [start - 1s, stop - 1s] sees each t in [start, stop) once. Offsets are read
    with one C call per sample (this loop is the cost of loading a year).
    """
    reading = datetime.fromtimestamp
    step = _SAMPLE_US // 1_000_000
    s = (datetime(year, 1, 1) - EPOCH) // timedelta(seconds=1) - 1 - _UNIX_S
    last = (datetime(year + 1, 1, 1) - EPOCH) // timedelta(seconds=1) - 1 - _UNIX_S
    found: list[ZoneShift] = []
    off = reading(s, tz).utcoffset()
    while s < last:
        v = min(s + step, last)
        off_v = reading(v, tz).utcoffset()
        if off_v != off:
            lo, hi = s, v
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if reading(mid, tz).utcoffset() == off:
                    lo = mid
                else:
                    hi = mid
            after = reading(hi, tz).utcoffset()
            assert off is not None
            assert after is not None
            found.append(ZoneShift((hi + _UNIX_S) * 1_000_000, off // US, after // US))
            off = off_v
        s = v
    return found
