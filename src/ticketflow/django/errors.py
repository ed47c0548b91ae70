"""Errors of the Django app, all :class:`~ticketflow.TicketflowError` subclasses.

``ConflictError`` and ``TicketNotFound`` are the library's own (as ``ticketflow.sql``
raises them), so one ``except`` serves both stores.
"""

from __future__ import annotations

from ticketflow._errors import ConflictError, TicketflowError, TicketNotFound

__all__ = ["ConfigurationError", "ConflictError", "TicketNotFound"]


class ConfigurationError(TicketflowError, ValueError):
    """The ``TICKETFLOW`` setting or the project's time settings are wrong."""
