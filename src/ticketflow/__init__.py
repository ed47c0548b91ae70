"""ticketflow: declarative ticket workflows on a pure engine.

A workflow (statuses, transitions, timers, SLAs, business calendars) feeds a
pure engine: a ticket snapshot, an event and a time go in; the next snapshot,
the effects to carry out and the next deadline come out.
"""

from importlib.metadata import PackageNotFoundError, version

from ._calendar import ALWAYS_OPEN, BusinessCalendar, HoursSpec, weekdays
from ._definitions import CalendarSpec, Category, Guard, SetAttrs, SubStatus
from ._durations import (
    MAX_DURATION_YEARS,
    MAX_TIMEDELTA,
    UNITS,
    Duration,
    Unit,
    business_days,
    business_hours,
    business_minutes,
    days,
    hours,
    minutes,
    parse_duration,
)
from ._errors import (
    ArgumentError,
    AttrsError,
    CalendarError,
    ConflictError,
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
    StorageError,
    TicketflowError,
    TicketNotFound,
    TransitionError,
    UnknownStatusError,
    UnknownWorkflowError,
    WorkflowError,
    WorkflowVersionError,
)
from ._files import dump, load
from ._holidays import CountryHolidays, HolidaySource, country_holidays
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
from ._loading import Registry
from ._migrate import DeadlineChange, MigrationPlan, SlaChange
from ._report import SlaReport, sla_report
from ._sla import SLA, On, SlaClock, SlaStateName, Trigger
from ._ticket import Context, Effect, Event, Outcome, SlaCycle, SlaState, Step, Ticket
from ._workflow import CATEGORIES, Late, Status, Timer, Transition, Workflow

try:
    __version__ = version("ticketflow")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    # calendars
    "ALWAYS_OPEN",
    "BusinessCalendar",
    "CalendarSpec",
    "CountryHolidays",
    "HolidaySource",
    "HoursSpec",
    "country_holidays",
    "weekdays",
    # durations
    "Duration",
    "UNITS",
    "Unit",
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
    "Category",
    "Context",
    "Effect",
    "Event",
    "Guard",
    "Outcome",
    "SlaClock",
    "SlaState",
    "SlaCycle",
    "SlaReport",
    "sla_report",
    "On",
    "Trigger",
    "SlaStateName",
    "Status",
    "Step",
    "SubStatus",
    "SetAttrs",
    "Late",
    "Ticket",
    "Timer",
    "Transition",
    "Workflow",
    # versions
    "DeadlineChange",
    "MigrationPlan",
    "SlaChange",
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
    "Registry",
    "dump",
    "load",
    # errors
    "ArgumentError",
    "AttrsError",
    "CalendarError",
    "ConflictError",
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
    "StorageError",
    "TicketNotFound",
    "TicketflowError",
    "TransitionError",
    "UnknownStatusError",
    "UnknownWorkflowError",
    "WorkflowError",
    "WorkflowVersionError",
    "__version__",
]
