"""The error the testing kit raises for a bad argument.

:class:`KitArgumentError` is a :class:`~ticketflow.TicketflowError`, so
``except TicketflowError`` sees every bad input. This module imports no
hypothesis, so :func:`~ticketflow.testing.check_liveness` works without it.
"""

from __future__ import annotations

from ticketflow import TicketflowError

__all__ = ["KitArgumentError", "brief"]


def brief(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut short, and never failing (a user object may raise)."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class KitArgumentError(TicketflowError):
    """A ``ticketflow.testing`` function was given a bad argument, or a strategy drew one.

    Raised at once, when the strategy, machine or report is built (or when a
    strategy you passed in draws a bad value), with a message naming the
    argument and the value. The strategies and the state machine raise it as
    a ``hypothesis.errors.InvalidArgument`` too, as hypothesis strategies do;
    :func:`~ticketflow.testing.check_liveness` needs no hypothesis and raises
    it alone. It subclasses no builtin: a bad argument may be of the wrong
    type or have the wrong value.

    Attributes:
        argument: The name of the bad argument.
        value: The bad value.
    """

    def __init__(self, argument: str, value: object, message: str) -> None:
        self.argument = argument
        self.value = value
        super().__init__(message)
