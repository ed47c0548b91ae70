"""The values a ticket store hands back: sweep and delivery reports, outbox items."""

from __future__ import annotations

from typing import Literal, TypeAlias

from attrs import frozen

from ticketflow._errors import SnapshotError
from ticketflow._ticket import Effect

__all__ = ["DeliveryResult", "OutboxItem", "OutboxState", "SweepResult"]

#: Where an outbox item stands: waiting (again), handed over, or set aside.
OutboxState: TypeAlias = Literal["pending", "delivered", "dead"]


@frozen
class SweepResult:
    """What one :meth:`TicketStore.sweep` did.

    Attributes:
        tickets: How many due tickets were advanced and written.
        fired: How many timers, reminders and SLA breaches fired in all (the
            versions the tickets gained).
        effects: How many effects went to the outbox.
        errors: One :class:`~ticketflow.SnapshotError` per due ticket whose
            stored snapshot could not be read (its ``ticket_id`` says which);
            later sweeps pass over those rows until they are repaired.
        full: The sweep claimed as many tickets as its ``limit``: more may be
            due, so sweep again at once.
    """

    tickets: int = 0
    fired: int = 0
    effects: int = 0
    errors: tuple[SnapshotError, ...] = ()
    full: bool = False


@frozen
class OutboxItem:
    """One effect in the outbox, as a delivery handler receives it.

    ``(ticket_id, version, sequence)`` identifies it for good: the same item
    offered twice (after a crash between the handler's success and the
    commit) carries the same key, so a handler can use it to do its work
    once.

    Attributes:
        ticket_id: The ticket whose change produced the effect.
        version: The ticket version written with the effect.
        sequence: Its position among the effects of that version, from 0.
        effect: The :class:`~ticketflow.Effect`.
        attempts: How many times a handler failed on it before.
        state: ``pending``, ``delivered`` or ``dead``.
        last_error: The last failure, as ``"ErrorType: message"``, or None.
    """

    ticket_id: str
    version: int
    sequence: int
    effect: Effect
    attempts: int = 0
    state: OutboxState = "pending"
    last_error: str | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        """The idempotency key ``(ticket_id, version, sequence)``."""
        return (self.ticket_id, self.version, self.sequence)


@frozen
class DeliveryResult:
    """What one :meth:`TicketStore.deliver` did.

    Attributes:
        delivered: Items the handler accepted (now marked delivered).
        failed: Items the handler raised on that stay pending for a later call.
        dead: Items the handler raised on for the ``max_attempts``-th time,
            now set aside as dead (listed by ``store.outbox("dead")``).
    """

    delivered: int = 0
    failed: int = 0
    dead: int = 0
