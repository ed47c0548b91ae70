"""ticketflow.sql's public names: documented, and the store's errors exported from ticketflow."""

from __future__ import annotations

import inspect

import pytest

import ticketflow as tf
import ticketflow.sql


@pytest.mark.parametrize("name", ticketflow.sql.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    """Each class and function of ticketflow.sql, and each public method, has a docstring."""
    obj = getattr(ticketflow.sql, name)
    if inspect.isclass(obj):
        assert (obj.__doc__ or "").strip(), name
        for member, value in vars(obj).items():
            if not member.startswith("_") and inspect.isfunction(value):
                assert (value.__doc__ or "").strip(), f"{name}.{member}"


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (tf.ConflictError, (tf.TicketflowError, RuntimeError)),
        (tf.TicketNotFound, (tf.TicketflowError, LookupError)),
        (tf.UnknownWorkflowError, (tf.TicketflowError, LookupError)),
        (tf.StorageError, (tf.TicketflowError, RuntimeError)),
    ],
)
def test_store_errors_derive_from_ticketflow_error_and_a_builtin(
    error: type[Exception], bases: tuple[type[Exception], ...]
) -> None:
    """Each store error is a TicketflowError and the builtin closest to it."""
    assert issubclass(error, bases)
    assert error.__name__ in tf.__all__


def test_snapshot_error_names_the_stored_ticket() -> None:
    """A SnapshotError built with a ticket id says which ticket, and keeps it."""
    exc = tf.SnapshotError("missing", "status", ticket_id="T-9")
    assert (str(exc), exc.ticket_id, exc.field) == (
        "ticket 'T-9': status: missing",
        "T-9",
        "status",
    )
    assert tf.SnapshotError("missing", "status").ticket_id is None
