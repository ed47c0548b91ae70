"""The exception hierarchy.

Every error ticketflow raises derives from :class:`TicketflowError` and, where
one fits, from the closest builtin too, so ``except ValueError`` keeps working.
Each error carries its data as attributes and builds its message up front.

The families are kept apart: a definition that is wrong (:class:`WorkflowError`,
:class:`LoadError`), an event the ticket refuses (:class:`TransitionError` and
its subclasses), an argument a method does not take (:class:`ArgumentError`,
:class:`InstantError`, :class:`DurationError`...), and a name looked up that
the workflow does not define (:class:`UnknownStatusError`, a ``LookupError``,
so ``except LookupError`` catches it as it would a missing key).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
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
]


class TicketflowError(Exception):
    """Root of every error raised by ticketflow."""


class InstantError(TicketflowError, ValueError):
    """An instant is not a datetime, or lies outside the supported range.

    Supported instants run from ``ticketflow.MIN_INSTANT`` (1900-01-01 UTC)
    up to, not including, ``ticketflow.MAX_INSTANT`` (3000-01-01 UTC).

    Attributes:
        value: The bad value.
        argument: The name of the argument it was given as.
    """

    def __init__(self, message: str, value: object = None, argument: str = "at") -> None:
        self.value = value
        self.argument = argument
        super().__init__(message)


class NaiveDatetimeError(InstantError):
    """A datetime without a time zone was given where an instant is needed.

    Attributes:
        value: The naive datetime.
        argument: The name of the argument it was given as.
    """

    def __init__(self, value: object, argument: str = "at") -> None:
        super().__init__(
            f"{argument}={value!r} is a naive datetime; pass a timezone-aware one "
            "(e.g. datetime(..., tzinfo=ZoneInfo('UTC')))",
            value,
            argument,
        )


class ArgumentError(TicketflowError, ValueError):
    """An argument of a public method has a value it does not take.

    For example a ``max_steps`` that is not an int from 1 to ``MAX_STEPS``.

    Attributes:
        argument: The name of the argument.
        value: The bad value.
    """

    def __init__(self, message: str, argument: str, value: object = None) -> None:
        self.argument = argument
        self.value = value
        super().__init__(message)


class UnknownStatusError(TicketflowError, LookupError):
    """A status name was looked up that the workflow does not define.

    Attributes:
        status: The name looked up (whatever was given).
        known: The workflow's status names, in the order they are defined.
    """

    def __init__(self, message: str, status: object, known: Iterable[str]) -> None:
        self.status = status
        self.known: tuple[str, ...] = tuple(known)
        super().__init__(message)


class DurationError(TicketflowError, ValueError):
    """A duration is malformed, not positive where it must be, or out of range."""


class CalendarError(TicketflowError, ValueError):
    """A business calendar definition or lookup is invalid."""


class WorkflowError(TicketflowError, ValueError):
    """A workflow definition is invalid.

    Attributes:
        problems: Every problem found, each a sentence naming the status,
            event or timer at fault (at most ``MAX_PROBLEMS``, then one entry
            counting the rest).
        total: How many problems were found in all.
    """

    def __init__(
        self, problems: Iterable[str], name: str | None = None, *, total: int | None = None
    ) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.name = name
        self.total = len(self.problems) if total is None else total
        head = f"workflow {name!r} is invalid" if name else "workflow is invalid"
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head} ({self.total} problem(s)):\n{lines}")


class LoadError(TicketflowError, ValueError):
    """A workflow file or plain-data definition cannot be read or written.

    Attributes:
        key: Where in the data the problem is (``"transitions[3].guard"``),
            or None when the whole document is to blame.
        path: The file being read or written, or None for plain data.
        line: The line the parser reported, or None.
        detail: The message without its location.
    """

    def __init__(
        self,
        message: str,
        key: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        self.key = key
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        if key is not None:
            where += f"{key}: "
        super().__init__(where + message)


class TransitionError(TicketflowError):
    """An event cannot be applied to a ticket in its current status.

    Attributes:
        status: The ticket's status.
        event: The event that was sent.
        allowed: The events that the status accepts (sorted).
    """

    def __init__(
        self,
        status: str,
        event: str,
        allowed: Sequence[str] = (),
        message: str | None = None,
    ) -> None:
        self.status = status
        self.event = event
        self.allowed: tuple[str, ...] = tuple(allowed)
        if message is None:
            accepts = ", ".join(self.allowed) if self.allowed else "nothing"
            message = f"can't handle event {event!r} in status {status!r} (it accepts: {accepts})"
        super().__init__(message)


class NotPermitted(TransitionError):
    """The actor's role may not send this event.

    Attributes:
        actor: The role that sent the event.
        roles: The roles that may send it.
    """

    def __init__(
        self,
        status: str,
        event: str,
        actor: str | None,
        roles: Iterable[str],
        allowed: Sequence[str] = (),
    ) -> None:
        self.actor = actor
        self.roles: tuple[str, ...] = tuple(sorted(roles))
        super().__init__(
            status,
            event,
            allowed,
            f"actor {actor!r} may not send {event!r} in status {status!r} "
            f"(allowed roles: {', '.join(self.roles)})",
        )


class GuardRejected(TransitionError):
    """Every transition for the event had a guard, and none accepted.

    Attributes:
        guards: The names of the guards that rejected.
    """

    def __init__(
        self,
        status: str,
        event: str,
        guards: Iterable[str],
        allowed: Sequence[str] = (),
    ) -> None:
        self.guards: tuple[str, ...] = tuple(guards)
        super().__init__(
            status,
            event,
            allowed,
            f"event {event!r} in status {status!r} rejected by guard(s): {', '.join(self.guards)}",
        )


class AttrsError(TicketflowError, TypeError):
    """A ticket attribute is not a JSON value or an aware datetime.

    Attribute values are str, int, float (finite), bool, None, lists and
    string-keyed mappings of them, or timezone-aware datetimes; they are
    checked when they enter a ticket, so a snapshot always serialises.

    Attributes:
        key: Where the bad value is (``"tags[2]"``, ``"customer.name"``).
        value: The bad value.
    """

    def __init__(self, message: str, key: str | None = None, value: object = None) -> None:
        self.key = key
        self.value = value
        super().__init__(f"attrs[{key!r}]: {message}" if key is not None else message)


class EventDataError(TransitionError):
    """An event's ``data`` is not a mapping, or lacks what a transition needs.

    Attributes:
        key: The missing or bad key, or None when ``data`` itself is to blame.
    """

    def __init__(self, status: str, event: str, message: str, key: str | None = None) -> None:
        self.key = key
        super().__init__(status, event, (), f"event {event!r} in status {status!r}: {message}")


class StepLimitError(TicketflowError, RuntimeError):
    """One call would fire more timers, reminders and breaches than ``max_steps``.

    Nothing is lost: ``outcome`` holds what was done up to the limit (a
    consistent snapshot whose agenda still lists what is left). Store
    ``outcome.ticket`` and call :meth:`~ticketflow.Workflow.advance` again to
    go on; the event of an ``apply`` that stopped here was not applied.

    Attributes:
        outcome: The :class:`~ticketflow.Outcome` up to the limit.
        max_steps: The limit that was reached.
    """

    def __init__(self, outcome: object, max_steps: int) -> None:
        self.outcome = outcome
        self.max_steps = max_steps
        super().__init__(
            f"stopped after firing {max_steps} due item(s) in one call (max_steps={max_steps}); "
            "store .outcome.ticket and call advance() again to go on"
        )


class OutOfOrderError(TicketflowError, ValueError):
    """An event's time is earlier than the ticket's last recorded change.

    Attributes:
        at: The time given.
        last: The ticket's ``updated_at``.
    """

    def __init__(self, at: object, last: object) -> None:
        self.at = at
        self.last = last
        super().__init__(f"at={at!s} is earlier than the ticket's last change at {last!s}")


class SnapshotError(TicketflowError, ValueError):
    """A stored ticket snapshot is malformed or from a newer schema.

    Attributes:
        field: The offending field, when one is to blame.
        ticket_id: The id of the stored ticket, when a store read it.
    """

    def __init__(
        self, message: str, field: str | None = None, *, ticket_id: str | None = None
    ) -> None:
        self.field = field
        self.ticket_id = ticket_id
        text = f"{field}: {message}" if field else message
        super().__init__(f"ticket {ticket_id!r}: {text}" if ticket_id is not None else text)


class WorkflowVersionError(SnapshotError):
    """A ticket was recorded under another version of its workflow.

    Call ``wf.migrate(ticket, at=...)`` to carry it over to this version.

    Attributes:
        ticket_version: The version the ticket records.
        workflow_version: The version of the workflow it was given to.
        workflow: The workflow's name.
    """

    def __init__(self, ticket_version: str, workflow_version: str, workflow: str) -> None:
        self.ticket_version = ticket_version
        self.workflow_version = workflow_version
        self.workflow = workflow
        super().__init__(
            f"ticket of workflow {workflow!r} version {ticket_version!r} given to version "
            f"{workflow_version!r}; carry it over with wf.migrate(ticket, at=...)",
            "workflow_version",
        )


class EventLogError(TicketflowError, ValueError):
    """An event log given to ``Workflow.replay`` is malformed.

    Attributes:
        position: The index of the offending entry.
    """

    def __init__(self, message: str, position: int) -> None:
        self.position = position
        super().__init__(f"event {position}: {message}")


class TicketNotFound(TicketflowError, LookupError):
    """A store holds no ticket with this id.

    Attributes:
        ticket_id: The id looked up.
    """

    def __init__(self, ticket_id: object) -> None:
        self.ticket_id = ticket_id
        super().__init__(f"no ticket with id {ticket_id!r}")


class UnknownWorkflowError(TicketflowError, LookupError):
    """A store was asked for a workflow it was not given.

    Attributes:
        name: The workflow name looked up.
        known: The names of the store's workflows, sorted.
    """

    def __init__(self, name: object, known: Iterable[str]) -> None:
        self.name = name
        self.known: tuple[str, ...] = tuple(sorted(known))
        names = ", ".join(self.known) if self.known else "none"
        super().__init__(f"unknown workflow {name!r} (the store has: {names})")


class ConflictError(TicketflowError, RuntimeError):
    """A version-checked write found another version than the one expected.

    The ticket was changed by someone else since it was read (or since the
    caller read the ``expected`` version), or a ticket with the id exists
    already; nothing was written. Read the ticket again and retry.

    Attributes:
        ticket_id: The ticket's id.
        expected: The version the write expected (None when starting a ticket).
        actual: The version stored, or None when unknown.
    """

    def __init__(
        self, ticket_id: str, expected: int | None, actual: int | None, message: str | None = None
    ) -> None:
        self.ticket_id = ticket_id
        self.expected = expected
        self.actual = actual
        if message is None:
            message = (
                f"ticket {ticket_id!r} is at version {actual}, not {expected}"
                if actual is not None
                else f"ticket {ticket_id!r} changed since version {expected} was read"
            )
        super().__init__(message)


class StorageError(TicketflowError, RuntimeError):
    """The database failed: unreachable, restarted, out of space, refusing a statement.

    Nothing of the failed call was written (its transaction rolled back);
    the call can be retried once the database is back. The database
    driver's exception is chained as ``__cause__``.

    Attributes:
        operation: The store call that failed (``"sweep"``, ``"apply"``...).
    """

    def __init__(self, operation: str, detail: str) -> None:
        self.operation = operation
        super().__init__(f"{operation}: database error: {detail}")
