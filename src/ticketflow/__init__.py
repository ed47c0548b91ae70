"""ticketflow: declarative ticket workflows on a pure engine.

A workflow (statuses, transitions, timers, SLAs, business calendars) feeds a
pure engine: a ticket snapshot, an event and a time go in; the next snapshot,
the effects to carry out and the next deadline come out.
"""

from importlib.metadata import PackageNotFoundError, version

from ._calendar import ALWAYS_OPEN, BusinessCalendar, weekdays
from ._durations import (
    MAX_DURATION_YEARS,
    MAX_TIMEDELTA,
    UNITS,
    Duration,
    business_days,
    business_hours,
    business_minutes,
    days,
    hours,
    minutes,
    parse_duration,
)
from ._errors import (
    AttrsError,
    CalendarError,
    DurationError,
    EventDataError,
    EventLogError,
    GuardRejected,
    InstantError,
    LoadError,
    NaiveDatetimeError,
    NotPermitted,
    OutOfOrderError,
    SnapshotError,
    StepLimitError,
    TicketflowError,
    TransitionError,
    WorkflowError,
)
from ._files import dump, load
from ._holidays import CountryHolidays, country_holidays
from ._limits import (
    MAX_AGENDA,
    MAX_DATA_NODES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INSTANT,
    MAX_PROBLEMS,
    MAX_STEPS,
    MIN_INSTANT,
)
from ._sla import SLA, SlaClock
from ._ticket import Context, Effect, Event, Outcome, Step, Ticket
from ._workflow import CATEGORIES, Status, Timer, Transition, Workflow

try:
    __version__ = version("ticketflow")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    # calendars
    "ALWAYS_OPEN",
    "BusinessCalendar",
    "CountryHolidays",
    "country_holidays",
    "weekdays",
    # durations
    "Duration",
    "UNITS",
    "business_days",
    "business_hours",
    "business_minutes",
    "days",
    "hours",
    "minutes",
    "parse_duration",
    # workflows and the engine
    "CATEGORIES",
    "SLA",
    "Context",
    "Effect",
    "Event",
    "Outcome",
    "SlaClock",
    "Status",
    "Step",
    "Ticket",
    "Timer",
    "Transition",
    "Workflow",
    # bounds
    "MAX_AGENDA",
    "MAX_DATA_NODES",
    "MAX_DEPTH",
    "MAX_DURATION_YEARS",
    "MAX_FILE_BYTES",
    "MAX_INSTANT",
    "MAX_PROBLEMS",
    "MAX_STEPS",
    "MAX_TIMEDELTA",
    "MIN_INSTANT",
    # files
    "dump",
    "load",
    # errors
    "AttrsError",
    "CalendarError",
    "DurationError",
    "EventDataError",
    "EventLogError",
    "GuardRejected",
    "InstantError",
    "LoadError",
    "NaiveDatetimeError",
    "NotPermitted",
    "OutOfOrderError",
    "SnapshotError",
    "StepLimitError",
    "TicketflowError",
    "TransitionError",
    "WorkflowError",
    "__version__",
]
