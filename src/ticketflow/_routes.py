"""The two routes a business calendar answers by: one interface, fast or reference.

A :class:`Route` converts instants (UTC microseconds <-> aware datetimes and
local readings) and searches the weight tables. :class:`FastRoute` takes every
shortcut: an instant given in the calendar's zone is read off its fields,
local dates convert with cached per-date offsets, results are built directly,
searches answer from the loaded exception tables without growing them, and
adding business days from a plain working date keeps the time of day without
converting. :class:`ReferenceRoute` takes the general route everywhere: each
conversion through ``tz.fromutc`` and ``datetime.replace``, each search
through the table-growing code, no shortcut for business days. Both give the
same answers; calendars use the fast route, and the reference one exists to be
compared against it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from ._hours import Interval
from ._limits import MAX_INSTANT, MIN_INSTANT
from ._weights import DAYS, Weights
from ._zone import Zone, general_instant, general_localize, general_read, general_us

__all__ = ["DayIntervals", "FastRoute", "ReferenceRoute", "Route"]

#: A local date's working intervals: as wall-clock minutes, and in UTC microseconds.
DayIntervals = tuple[tuple[Interval, ...], tuple[Interval, ...]]

# Local dates strictly between these are the dates of supported instants only.
_SAFE_ORDINALS = (MIN_INSTANT.toordinal() + 1, MAX_INSTANT.toordinal() - 1)


class Route(Protocol):
    """How a calendar converts instants and searches its weight tables."""

    def us(self, at: datetime, argument: str, /) -> int:
        """UTC microseconds of a supported instant; InstantError for anything else."""
        ...

    def read(self, at: datetime, argument: str, /) -> tuple[int, int, int]:
        """``(UTC microseconds, local ordinal, local wall-clock microseconds)`` of ``at``."""
        ...

    def instant(self, us: int, /) -> datetime:
        """The instant ``us`` in the calendar's zone."""
        ...

    def localize(self, ordinal: int, micros: int, /) -> datetime:
        """The instant showing wall time ``micros`` after midnight of local date ``ordinal``.

        A wall time that does not exist moves forward by the gap; an ambiguous
        one takes the earlier instant.
        """
        ...

    def forward(self, m: int, start: int, need: int, /) -> tuple[int, int]:
        """Smallest ordinal ``e >= start`` with weight of ``[start, e]`` reaching ``need``.

        Returns ``(e, weight of [start, e))``.
        """
        ...

    def backward(self, m: int, end: int, need: int, /) -> tuple[int, int]:
        """Largest ordinal ``e <= end`` with weight of ``[e, end]`` reaching ``need``.

        Returns ``(e, weight of (e, end])``.
        """
        ...

    def add_days_plain(self, at: datetime, n: int, /) -> datetime | None:
        """``n`` business days on from ``at`` (in the zone) by a shortcut, or None.

        None means the shortcut does not apply and the caller takes the
        general route.
        """
        ...


class FastRoute:
    """The route through the caches: the zone's and the loaded tables' shortcuts."""

    __slots__ = (
        "_days",
        "_weights",
        "_zone",
        "backward",
        "forward",
        "instant",
        "localize",
        "read",
        "us",
    )

    us: Callable[[datetime, str], int]
    read: Callable[[datetime, str], tuple[int, int, int]]
    instant: Callable[[int], datetime]
    localize: Callable[[int, int], datetime]
    forward: Callable[[int, int, int], tuple[int, int]]
    backward: Callable[[int, int, int], tuple[int, int]]

    def __init__(self, zone: Zone, weights: Weights, days: dict[int, DayIntervals]) -> None:
        self._zone = zone
        self._weights = weights
        self._days = days  # the calendar's cache of DayIntervals by ordinal
        # The zone's and the tables' methods, bound once: no call through this route
        # costs more than a call to them.
        self.us = zone.us
        self.read = zone.read
        self.instant = zone.instant
        self.localize = zone.localize
        self.forward = weights.forward
        self.backward = weights.backward

    def add_days_plain(self, at: datetime, n: int) -> datetime | None:
        """``n`` working days on from a working date far from offset changes, or None.

        The common case (the start date is a cached working date away from
        offset changes, and the tables cover it) is read off the caches,
        keeping ``at``'s time of day.
        """
        ordinal = at.toordinal()
        if not _SAFE_ORDINALS[0] < ordinal < _SAFE_ORDINALS[1]:
            return None  # near the ends of the range: reading ``at`` checks the instant
        zone = self._zone
        zday = zone.days.get(ordinal)
        day = self._days.get(ordinal)
        table = self._weights.table
        if (
            zday is None
            or zday.offset is None
            or day is None
            or not day[0]
            or table is None
            or not table.start <= ordinal < table.end
        ):
            return None
        if n >= 0:
            e, _ = self._weights.forward(DAYS, ordinal, n + 1)
        else:
            e, _ = self._weights.backward(DAYS, ordinal, 1 - n)
        zend = zone.days.get(e)
        if zend is None or zend.offset is None:
            wall = (at.hour * 3600 + at.minute * 60 + at.second) * 1_000_000 + at.microsecond
            return zone.localize(e, wall)
        return datetime(
            zend.year, zend.month, zend.day, at.hour, at.minute, at.second, at.microsecond, zone.tz
        )


class ReferenceRoute:
    """The general route: plain conversions, table-growing searches, no shortcuts."""

    __slots__ = ("_weights", "_zone")

    def __init__(self, zone: Zone, weights: Weights) -> None:
        self._zone = zone
        self._weights = weights

    def us(self, at: datetime, argument: str) -> int:
        return general_us(at, argument)

    def read(self, at: datetime, argument: str) -> tuple[int, int, int]:
        return general_read(self._zone.tz, at, argument)

    def instant(self, us: int) -> datetime:
        return general_instant(self._zone.tz, us)

    def localize(self, ordinal: int, micros: int) -> datetime:
        return general_localize(self._zone.tz, ordinal, micros)

    def forward(self, m: int, start: int, need: int) -> tuple[int, int]:
        return self._weights.forward_tables(m, start, need)

    def backward(self, m: int, end: int, need: int) -> tuple[int, int]:
        return self._weights.backward_tables(m, end, need)

    def add_days_plain(self, at: datetime, n: int) -> datetime | None:
        return None
