"""Durations: absolute, calendar-day and business time.

Rules:

* ``timedelta``, :func:`minutes` and :func:`hours` are absolute elapsed time.
* :func:`days` counts calendar dates: the same local wall-clock time n dates
  later in a calendar's zone (so 95, 96 or 97 real hours across DST).
* :func:`business_days`, :func:`business_hours` and :func:`business_minutes`
  count only the working time of a :class:`~ticketflow.BusinessCalendar`.

A :class:`Duration` is a plain value (amount and unit); what it means in real
time is only known once a calendar applies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Literal, TypeAlias, get_args

import attrs

from ._checks import items, show
from ._errors import DurationError

__all__ = [
    "MAX_DURATION_YEARS",
    "MAX_TIMEDELTA",
    "UNITS",
    "Duration",
    "Unit",
    "business_days",
    "business_hours",
    "business_minutes",
    "check_timedelta",
    "compare_durations",
    "describe",
    "days",
    "hours",
    "minutes",
    "parse_duration",
    "to_duration",
]

Unit: TypeAlias = Literal[
    "minutes", "hours", "days", "business_minutes", "business_hours", "business_days"
]

#: The duration units, in the order of :data:`Unit` (derived from it).
UNITS: tuple[Unit, ...] = get_args(Unit)

#: Years of its own unit a duration may span at most (documented in docs/calendars.md).
MAX_DURATION_YEARS = 100
# Largest amount of each unit: about 100 years of it (366-day years).
_MAX_AMOUNTS: dict[Unit, int] = {
    "minutes": MAX_DURATION_YEARS * 366 * 24 * 60,
    "hours": MAX_DURATION_YEARS * 366 * 24,
    "days": MAX_DURATION_YEARS * 366,
    "business_minutes": MAX_DURATION_YEARS * 366 * 24 * 60,
    "business_hours": MAX_DURATION_YEARS * 366 * 24,
    "business_days": MAX_DURATION_YEARS * 366,
}
# ``_calendar`` still imports the helper under this name.
short_repr = show

#: The longest ``timedelta`` accepted as a duration: about 100 years.
MAX_TIMEDELTA = timedelta(days=MAX_DURATION_YEARS * 366)
# Longest text parse_duration reads (a 5,000-digit amount never reaches int()).
_MAX_TEXT = 100


def _check_amount(instance: Duration, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DurationError(f"duration amount must be an int, got {show(value)}")


def _unit_bound(unit: object) -> int:
    if not isinstance(unit, str) or unit not in UNITS:
        raise DurationError(f"unknown duration unit {show(unit)} (expected one of {UNITS})")
    return _MAX_AMOUNTS[unit]


def _check_unit(instance: Duration, attribute: attrs.Attribute[str], value: str) -> None:
    limit = _unit_bound(value)
    amount = instance.amount
    if not -limit <= amount <= limit:
        raise DurationError(
            f"duration {show(amount)} {value.replace('_', ' ')} is out of range "
            f"(at most {limit} either way, about {MAX_DURATION_YEARS} years)"
        )


def check_timedelta(value: timedelta) -> timedelta:
    """Return ``value`` if it is at most :data:`MAX_TIMEDELTA` either way.

    Raises:
        DurationError: naming the timedelta.
    """
    if not -MAX_TIMEDELTA <= value <= MAX_TIMEDELTA:
        raise DurationError(
            f"duration {value!r} is out of range (at most {MAX_DURATION_YEARS * 366} days "
            f"either way, about {MAX_DURATION_YEARS} years)"
        )
    return value


@attrs.frozen(repr=False)
class Duration:
    """An amount of time in one unit, applied by a calendar.

    Attributes:
        amount: Whole number of units; negative moves back in time.
        unit: One of ``minutes``, ``hours``, ``days``, ``business_minutes``,
            ``business_hours`` and ``business_days``.

    Examples:
        >>> business_days(5)
        business_days(5)
        >>> str(parse_duration("15bm"))
        '15 business minutes'
    """

    amount: int = attrs.field(validator=_check_amount)
    unit: Unit = attrs.field(validator=_check_unit)

    @property
    def is_business(self) -> bool:
        """True for business days, hours and minutes."""
        return self.unit.startswith("business_")

    @property
    def is_absolute(self) -> bool:
        """True for minutes and hours: elapsed real time."""
        return self.unit in ("minutes", "hours")

    @property
    def total_minutes(self) -> int:
        """The amount in minutes, for minute and hour units (business or absolute).

        Raises:
            DurationError: for day units, which have no fixed length.
        """
        if self.unit in ("minutes", "business_minutes"):
            return self.amount
        if self.unit in ("hours", "business_hours"):
            return self.amount * 60
        raise DurationError(f"{self} has no fixed length in minutes")

    def to_timedelta(self) -> timedelta:
        """The absolute length of a ``minutes``/``hours`` duration.

        Raises:
            DurationError: for calendar or business units.
        """
        if not self.is_absolute:
            raise DurationError(f"{self} is not an absolute duration")
        return timedelta(minutes=self.total_minutes)

    @staticmethod
    def max_amount(unit: Unit) -> int:
        """The largest amount of ``unit`` a duration holds, either way.

        Every unit spans about :data:`MAX_DURATION_YEARS` years of itself
        (366-day years), so a day unit is bounded far lower than a minute unit.

        Raises:
            DurationError: naming ``unit`` when it is not one of :data:`UNITS`.

        Examples:
            >>> Duration.max_amount("business_days")
            36600
            >>> Duration.max_amount("minutes") == MAX_DURATION_YEARS * 366 * 24 * 60
            True
        """
        return _unit_bound(unit)

    def __neg__(self) -> Duration:
        return Duration(-self.amount, self.unit)

    def __str__(self) -> str:
        words = self.unit.replace("_", " ")
        if abs(self.amount) == 1:
            words = words[:-1]
        return f"{self.amount} {words}"

    def __repr__(self) -> str:
        return f"{self.unit}({self.amount})"


def minutes(n: int) -> Duration:
    """``n`` minutes of absolute elapsed time."""
    return Duration(n, "minutes")


def hours(n: int) -> Duration:
    """``n`` hours of absolute elapsed time (48 hours is 48 real hours across DST)."""
    return Duration(n, "hours")


def days(n: int) -> Duration:
    """``n`` calendar days: the same local wall-clock time ``n`` dates later."""
    return Duration(n, "days")


def business_days(n: int) -> Duration:
    """``n`` working days of a business calendar, keeping the local time of day."""
    return Duration(n, "business_days")


def business_hours(n: int) -> Duration:
    """``n`` hours of a business calendar's working time."""
    return Duration(n, "business_hours")


def business_minutes(n: int) -> Duration:
    """``n`` minutes of a business calendar's working time."""
    return Duration(n, "business_minutes")


_UNIT_WORDS: dict[str, Unit] = {}
# How each unit may be written in a duration string.
_SPELLINGS: dict[Unit, tuple[str, ...]] = {
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "days": ("d", "day", "days", "calendar day", "calendar days"),
    "business_minutes": ("bm", "business minute", "business minutes", "working minutes"),
    "business_hours": ("bh", "business hour", "business hours", "working hours"),
    "business_days": ("bd", "business day", "business days", "working day", "working days"),
}
for _unit, _words in _SPELLINGS.items():
    for _word in _words:
        _UNIT_WORDS[_word] = _unit
_UNIT_WORDS["working minute"] = "business_minutes"
_UNIT_WORDS["working hour"] = "business_hours"

_DURATION_RE = re.compile(r"^\s*([+-]?\d+)\s*([a-z][a-z ]*?)\s*$")


def parse_duration(text: str) -> Duration:
    """Parse ``"5 business days"``, ``"48h"``, ``"15 business minutes"``, ``"3 days"``.

    Short forms: ``m``, ``h``, ``d``, ``bm``, ``bh``, ``bd``. Underscores count
    as spaces (``"5 business_days"``) and case does not matter.

    Raises:
        DurationError: naming the string when it is not a duration.

    Examples:
        >>> parse_duration("48h")
        hours(48)
    """
    if not isinstance(text, str):
        raise DurationError(f"expected a duration string, got {show(text)}")
    if len(text) > _MAX_TEXT:
        raise DurationError(
            f"can't parse duration {show(text)}: longer than {_MAX_TEXT} characters"
        )
    match = _DURATION_RE.match(text.lower().replace("_", " "))
    if match is None:
        raise DurationError(f"can't parse duration {text!r} (try '5 business days' or '48h')")
    amount_text, word = match.groups()
    word = " ".join(word.split())
    unit = _UNIT_WORDS.get(word)
    if unit is None:
        raise DurationError(f"unknown unit {word!r} in duration {text!r}")
    return Duration(int(amount_text), unit)


def to_duration(value: object) -> Duration | timedelta:
    """Accept a :class:`Duration`, ``timedelta`` or duration string.

    Raises:
        DurationError: for anything else.
    """
    if isinstance(value, Duration):
        return value
    if isinstance(value, timedelta):
        return check_timedelta(value)
    if isinstance(value, str):
        return parse_duration(value)
    raise DurationError(f"expected a duration, got {show(value)}")


def named_duration(what: str, value: object) -> Duration | timedelta:
    """``value`` as a duration, or a ``DurationError`` naming ``what``."""
    try:
        return to_duration(value)
    except DurationError as exc:
        raise DurationError(f"{what}: {exc}") from None


def named_durations(what: str, value: object) -> tuple[Duration | timedelta, ...]:
    """One duration or a list of them, each checked and named by ``what``."""
    if isinstance(value, Duration | timedelta | str) or not isinstance(value, Iterable):
        return (named_duration(what, value),)
    return tuple(named_duration(f"{what}[{i}]", v) for i, v in enumerate(items(value, what)))


def _comparable(d: Duration | timedelta) -> tuple[str, float]:
    if isinstance(d, timedelta):
        return ("absolute", d.total_seconds())
    if d.unit in ("minutes", "hours"):
        return ("absolute", d.total_minutes * 60.0)
    if d.unit in ("business_minutes", "business_hours"):
        return ("business_time", float(d.total_minutes))
    return (d.unit, float(d.amount))


def compare_durations(a: Duration | timedelta, b: Duration | timedelta) -> int | None:
    """-1, 0 or 1 when ``a`` and ``b`` compare whatever the calendar, else None.

    Absolute durations compare with each other, business minutes with business
    hours, and days or business days only with their own kind.

    Examples:
        >>> compare_durations(hours(1), minutes(90))
        -1
        >>> compare_durations(days(1), hours(24)) is None
        True
    """
    ka, va = _comparable(a)
    kb, vb = _comparable(b)
    if ka != kb:
        return None
    return (va > vb) - (va < vb)


def describe(d: Duration | timedelta) -> str:
    """Words for a duration: ``"48 hours"`` for ``timedelta(hours=48)``.

    Examples:
        >>> describe(timedelta(minutes=90))
        '90 minutes'
    """
    if isinstance(d, Duration):
        return str(d)
    seconds = d.total_seconds()
    if seconds % 3600 == 0:
        return str(hours(int(seconds // 3600)))
    if seconds % 60 == 0:
        return str(minutes(int(seconds // 60)))
    return str(d)


def is_positive(d: Duration | timedelta) -> bool:
    """True when ``d`` moves forward in time."""
    if isinstance(d, timedelta):
        return d > timedelta(0)
    return d.amount > 0
