"""Reading instants given on the command line."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

__all__ = ["instant"]


def instant(text: str | None, option: str) -> datetime:
    """``text`` (ISO 8601 with an offset) as an aware datetime, or now when it is None.

    Raises:
        CommandError: naming the option, for text that is not such an instant.
    """
    if text is None:
        now: datetime = timezone.now()
        return now
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not an ISO 8601 date and time") from None
    if value.tzinfo is None:
        raise CommandError(f"{option} {text!r} has no UTC offset (e.g. 2026-12-09T10:00+01:00)")
    return value
