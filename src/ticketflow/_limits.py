"""The documented bounds that keep every public call finite.

Each bound is public (re-exported from ``ticketflow``) and checked where the
value enters, so a hostile or careless input costs one named error, never a
hang or unbounded memory:

* Instants: from :data:`MIN_INSTANT` up to (not including) :data:`MAX_INSTANT`.
* One engine call fires at most ``max_steps`` due items (default
  :data:`MAX_STEPS`); reaching it raises :class:`~ticketflow.StepLimitError`
  carrying what was done.
* A stored snapshot lists at most :data:`MAX_AGENDA` agenda items and SLA
  clocks.
* Workflow files are regular files of at most :data:`MAX_FILE_BYTES`; loaded
  data holds at most :data:`MAX_DATA_NODES` values nested at most
  :data:`MAX_DEPTH` deep.
* A :class:`~ticketflow.WorkflowError` lists at most :data:`MAX_PROBLEMS`
  problems, then a count of the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ._errors import DurationError, InstantError, NaiveDatetimeError

__all__ = [
    "MAX_AGENDA",
    "MAX_DATA_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INSTANT",
    "MAX_PROBLEMS",
    "MAX_STEPS",
    "MIN_INSTANT",
    "check_instant",
    "out_of_range",
]

#: The earliest supported instant.
MIN_INSTANT = datetime(1900, 1, 1, tzinfo=UTC)
#: The first instant past the supported range.
MAX_INSTANT = datetime(3000, 1, 1, tzinfo=UTC)
#: Due items (timers, reminders, SLA breaches) one engine call fires at most.
MAX_STEPS = 10_000
#: Most agenda items, and most SLA clocks, a stored snapshot may hold (a workflow arms
#: a handful per status; a longer list can only be a damaged or hostile row).
MAX_AGENDA = 10_000
#: Largest workflow file :func:`~ticketflow.load` reads.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Most values (scalars, lists and mappings, aliases counted again) in loaded data.
MAX_DATA_NODES = 200_000
#: Deepest nesting of lists and mappings in loaded data or ticket attributes.
MAX_DEPTH = 32
#: Most problems a :class:`~ticketflow.WorkflowError` lists one by one.
MAX_PROBLEMS = 100


def check_instant(value: object, argument: str = "at") -> datetime:
    """Return ``value`` if it is an aware datetime in the supported range.

    Raises:
        NaiveDatetimeError: for a naive datetime.
        InstantError: for anything that is not a datetime, or an instant
            outside ``[MIN_INSTANT, MAX_INSTANT)``.
    """
    if not isinstance(value, datetime):
        raise InstantError(f"{argument} must be a datetime, got {value!r}", value, argument)
    if value.tzinfo is None:
        raise NaiveDatetimeError(value, argument)
    try:
        offset = value.utcoffset()
    except Exception as exc:  # a broken tzinfo (raising, or returning junk)
        raise InstantError(
            f"{argument}={value!r} has a tzinfo that fails: {exc}", value, argument
        ) from None
    if offset is None:
        raise NaiveDatetimeError(value, argument)
    if value.year <= MIN_INSTANT.year or value.year >= MAX_INSTANT.year - 1:
        try:
            utc = value.astimezone(UTC)
        except (OverflowError, ValueError):
            utc = None
        if utc is None or not MIN_INSTANT <= utc < MAX_INSTANT:
            raise InstantError(
                f"{argument}={value.isoformat()} is outside the supported range "
                f"[{MIN_INSTANT.isoformat()}, {MAX_INSTANT.isoformat()})",
                value,
                argument,
            )
    return value


def out_of_range(what: object = None) -> DurationError:
    """The error for a result outside ``[MIN_INSTANT, MAX_INSTANT)``, naming ``what`` if given."""
    return DurationError(
        f"result is outside the supported range [{MIN_INSTANT.isoformat()}, "
        f"{MAX_INSTANT.isoformat()})" + (f" ({what})" if what is not None else "")
    )
