"""Errors of the Django app, all :class:`~ticketflow.TicketflowError` subclasses."""

from __future__ import annotations

from ticketflow._errors import TicketflowError

__all__ = ["ConfigurationError", "ConflictError", "TicketNotFound"]


class ConfigurationError(TicketflowError, ValueError):
    """The ``TICKETFLOW`` setting or the project's time settings are wrong."""


class TicketNotFound(TicketflowError, LookupError):
    """No row holds a ticket with this id.

    Attributes:
        ticket_id: The id looked up.
    """

    def __init__(self, ticket_id: str) -> None:
        self.ticket_id = ticket_id
        super().__init__(f"no ticket with id {ticket_id!r}")


class ConflictError(TicketflowError, RuntimeError):
    """A row changed between reading and writing, or had another version than expected.

    Attributes:
        ticket_id: The ticket's id.
        expected: The version the write expected.
        found: The version the row holds.
    """

    def __init__(self, ticket_id: str, expected: int, found: int | None) -> None:
        self.ticket_id = ticket_id
        self.expected = expected
        self.found = found
        super().__init__(
            f"ticket {ticket_id!r} is at version {found}, not {expected}: it changed meanwhile"
        )
