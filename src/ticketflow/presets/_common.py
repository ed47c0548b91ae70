"""Helpers the presets share: preset names, and calendars built only from the public API."""

from __future__ import annotations

import ticketflow as tf

__all__ = ["EVERY_DAY", "around_the_clock", "canonical"]

#: Every weekday name, for calendars open seven days a week.
EVERY_DAY: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def around_the_clock(timezone: str) -> tf.BusinessCalendar:
    """A calendar open 24 hours a day, 7 days a week, in ``timezone``.

    Business time on it is real elapsed time; what ``timezone`` changes is the
    zone of computed instants and the dates ``tf.days(n)`` counts.

    Examples:
        >>> around_the_clock("UTC") is tf.ALWAYS_OPEN
        True
    """
    if timezone == "UTC":
        return tf.ALWAYS_OPEN
    return tf.BusinessCalendar(
        timezone=timezone, hours={day: [("00:00", "24:00")] for day in EVERY_DAY}
    )


def canonical(name: str) -> str:
    """A preset's name as the registry keys it: trimmed, lower case, ``-`` for ``_``.

    Examples:
        >>> canonical(" Help_Center ")
        'help-center'
    """
    return name.strip().lower().replace("_", "-")
