"""Run the engine on a locked row and write it back: the one place rows change.

Theory of operation: every call is one database transaction. The row is read
with ``select_for_update`` (skipping rows another sweeper holds, where the
database can), the pure engine computes the next snapshot, and the row is
written only if its ``version`` is still the one read (:class:`ConflictError`
otherwise). The configured handler (``TICKETFLOW["HANDLER"]``) then gets a
:class:`Change` in the same transaction: what it writes commits with the
snapshot or not at all, and an exception in it rolls both back.

Every snapshot that is about to change is read by :func:`_snapshot`, which
migrates lazily: a ticket recorded under another version of its workflow
(and not before versions: a snapshot without one counts as current) is
carried over with ``wf.migrate`` in the call's transaction, ``apply`` at the
event's instant, ``advance`` and the sweep at ``now``, :func:`get` at its
``at`` or else at the ticket's last change; never before that change. The
migration and what follows are one write and one :class:`Change`, whose
outcome's first step is then ``migrate``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from attrs import frozen
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models.signals import post_save

from ticketflow._errors import NaiveDatetimeError
from ticketflow._ticket import Outcome, Ticket, make_outcome
from ticketflow._workflow import Workflow

from . import conf
from .errors import ConflictError, TicketNotFound
from .models import TicketflowModel, TicketState, columns

__all__ = [
    "Change",
    "SweepResult",
    "adopt",
    "advance",
    "apply",
    "get",
    "start",
    "start_on_create",
    "sweep",
]

Model = type[TicketflowModel]


@frozen
class Change:
    """One write of a ticket, handed to the configured handler inside its transaction.

    Attributes:
        ticket_id: The ticket's id.
        model: The model whose row was written.
        workflow: The ticket's workflow.
        before: The snapshot before (None for a ticket started or adopted).
        outcome: What the engine returned: ``outcome.ticket`` is stored,
            ``outcome.steps`` and ``outcome.effects`` are what happened.
    """

    ticket_id: str
    model: Model
    workflow: Workflow
    before: Ticket | None
    outcome: Outcome

    @property
    def after(self) -> Ticket:
        """The snapshot written."""
        return self.outcome.ticket

    @property
    def status_changed(self) -> bool:
        """Whether the ticket's status is another one now."""
        return self.before is None or self.before.status != self.after.status

    def sync_code(self, instance: Any, field: str = "status") -> int | str | None:
        """Set ``instance.<field>`` to the code of the status written (``tf.Status(code=...)``).

        The project's own status column (django-helpdesk's ``Ticket.status``)
        follows the workflow: the field is saved, alone, only when it differs.
        Returns the code.
        """
        code = self.workflow.status(self.after.status).code
        if getattr(instance, field) != code:
            setattr(instance, field, code)
            instance.save(update_fields=[field])
        return code


@frozen
class SweepResult:
    """What one :func:`sweep` did.

    Attributes:
        advanced: How many tickets were advanced and written.
        fired: How many steps and effects those writes recorded in all.
        failed: ``(ticket_id, error)`` for each ticket left as it was
            because the engine or the handler raised; offered again next time.
    """

    advanced: int
    fired: int
    failed: tuple[tuple[str, str], ...] = ()


def _aware(value: datetime, argument: str) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise NaiveDatetimeError(value, argument)
    return value


def _db(model: Model) -> str:
    return router.db_for_write(model) or "default"


def _locked(model: Model, ticket_id: str, db: str) -> TicketflowModel:
    query = model._default_manager.using(db).select_for_update()
    row: TicketflowModel | None = query.filter(ticket_id=ticket_id).first()
    if row is None:
        raise TicketNotFound(ticket_id)
    return row


def _current(wf: Workflow, ticket: Ticket) -> bool:
    """Whether ``wf`` takes the ticket as it is (a snapshot without a version counts)."""
    return ticket.workflow_version is None or ticket.workflow_version == wf.version


def _snapshot(row: TicketflowModel, wf: Workflow, at: datetime) -> Outcome | None:
    """The row's ticket carried over to ``wf`` at ``at`` (never before its last change), or
    None when ``wf`` takes it as it is."""
    ticket = row.ticket
    if _current(wf, ticket):
        return None
    return wf.migrate(ticket, at=max(_aware(at, "at"), ticket.updated_at))


def _then(moved: Outcome | None, outcome: Outcome) -> Outcome:
    """``outcome`` preceded by the migration ``moved`` (its steps and effects first)."""
    if moved is None:
        return outcome
    return make_outcome(
        outcome.ticket, moved.steps + outcome.steps, moved.effects + outcome.effects
    )


def _notify(change: Change) -> None:
    handler = conf.handler()
    if handler is not None:
        handler(change)


def _write(
    model: Model, db: str, row: TicketflowModel, wf: Workflow, before: Ticket, outcome: Outcome
) -> None:
    written = (
        model._default_manager.using(db)
        .filter(pk=row.pk, version=row.version)
        .update(**columns(wf, outcome.ticket))
    )
    if written != 1:
        found = model._default_manager.using(db).filter(pk=row.pk).values_list("version")
        raise ConflictError(row.ticket_id, row.version, next(iter(found), (None,))[0])
    _notify(Change(row.ticket_id, model, wf, before, outcome))


def _create(
    model: Model,
    wf: Workflow,
    ticket_id: str,
    outcome: Outcome,
    fields: Mapping[str, Any] | None,
) -> None:
    db = _db(model)
    manager = model._default_manager.using(db)
    values = {**(fields or {}), "ticket_id": ticket_id, **columns(wf, outcome.ticket)}
    with transaction.atomic(using=db):
        try:
            with transaction.atomic(using=db):
                manager.create(**values)
        except IntegrityError:
            found = next(iter(manager.filter(ticket_id=ticket_id).values_list("version")), None)
            if found is None:  # another constraint of the project's own model
                raise
            raise ConflictError(
                ticket_id, None, found[0], f"a ticket with id {ticket_id!r} exists already"
            ) from None
        _notify(Change(ticket_id, model, wf, None, outcome))


def get(ticket_id: str, *, at: datetime | None = None, model: Model = TicketState) -> Ticket:
    """The stored ticket, carried over to the configured workflow if it changed.

    A ticket recorded under another version of its workflow is migrated and
    written back (the handler gets the :class:`Change`): at ``at`` when given,
    else at the ticket's last change (``updated_at``), so that ``get``
    migrates the same way whenever it runs. Pass the current time to migrate
    as the sweep would (reminders before ``at`` are dropped, not sent late).

    Raises:
        TicketNotFound: no row holds ``ticket_id``.
        NaiveDatetimeError: ``at`` is naive.
        SnapshotError: the ticket cannot be carried over (a status the
            workflow lacks); nothing is written.
    """
    if at is not None:
        _aware(at, "at")
    db = _db(model)
    row: TicketflowModel | None = (
        model._default_manager.using(db).filter(ticket_id=ticket_id).first()
    )
    if row is None:
        raise TicketNotFound(ticket_id)
    wf = conf.workflow(row.workflow)
    if _current(wf, row.ticket):
        return row.ticket
    with transaction.atomic(using=db):
        row = _locked(model, ticket_id, db)
        before = row.ticket
        moved = _snapshot(row, wf, before.updated_at if at is None else at)
        if moved is None:  # another call migrated it meanwhile
            return before
        _write(model, db, row, wf, before, moved)
    return moved.ticket


def start(
    workflow: str | Workflow,
    ticket_id: str,
    *,
    at: datetime,
    attrs: Mapping[str, Any] | None = None,
    fields: Mapping[str, Any] | None = None,
    model: Model = TicketState,
) -> Outcome:
    """Start a ticket of ``workflow`` (a name in ``TICKETFLOW["WORKFLOWS"]`` or the object).

    ``fields`` are values for the new row's own columns (a model of the project's).

    Raises:
        ConflictError: a row already holds ``ticket_id``.
        NaiveDatetimeError: ``at`` is naive.
    """
    wf = workflow if isinstance(workflow, Workflow) else conf.workflow(workflow)
    _aware(at, "at")
    outcome = wf.start(at=at, id=ticket_id, attrs=attrs)
    _create(model, wf, ticket_id, outcome, fields)
    return outcome


def start_on_create(
    sender: type[models.Model], workflow: Workflow, *, at: str, model: Model = TicketState
) -> None:
    """Start a ticket of ``workflow`` for each row of ``sender`` created from now on.

    The ticket's id is the row's primary key (as a string), its start the
    row's ``at`` field (an aware datetime); it is stored in ``model`` in the
    transaction that saves the row (``post_save``). Rows that fixtures load
    (``raw``) and rows saved again are left alone. Connecting twice connects once.
    """

    def started(instance: models.Model, created: bool, raw: bool = False, **_: Any) -> None:
        if created and not raw:
            start(workflow, str(instance.pk), at=getattr(instance, at), model=model)

    label = f"{sender._meta.label}:{workflow.name}:{model._meta.label}"
    post_save.connect(started, sender=sender, weak=False, dispatch_uid=f"ticketflow.start:{label}")


def adopt(  # noqa: PLR0913 (Workflow.adopt's arguments and the row's)
    workflow: str | Workflow,
    ticket_id: str,
    status: str,
    *,
    since: datetime,
    at: datetime,
    attrs: Mapping[str, Any] | None = None,
    created_at: datetime | None = None,
    fields: Mapping[str, Any] | None = None,
    model: Model = TicketState,
) -> Outcome:
    """Take over a ticket that has been in ``status`` since ``since`` (``Workflow.adopt``).

    Raises:
        ConflictError: a row already holds ``ticket_id``.
        NaiveDatetimeError: ``since``, ``at`` or ``created_at`` is naive.
    """
    wf = workflow if isinstance(workflow, Workflow) else conf.workflow(workflow)
    _aware(since, "since")
    _aware(at, "at")
    if created_at is not None:
        _aware(created_at, "created_at")
    outcome = wf.adopt(status, since=since, at=at, id=ticket_id, attrs=attrs, created_at=created_at)
    _create(model, wf, ticket_id, outcome, fields)
    return outcome


def apply(
    ticket_id: str,
    event: str,
    *,
    at: datetime,
    actor: str | None = None,
    data: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
    late: Literal["reject", "clamp"] = "clamp",
    model: Model = TicketState,
) -> Outcome:
    """Apply ``event`` to the stored ticket (what fell due before ``at`` fires first).

    Events stamped before the ticket's last change are applied at that
    change (``late="clamp"``), as a store must: commits arrive out of order.

    Raises:
        TicketNotFound: no row holds ``ticket_id``.
        ConflictError: ``expected_version`` is given and the row holds another.
        TransitionError: the engine refused the event; nothing is written.
        NaiveDatetimeError: ``at`` is naive.
    """
    _aware(at, "at")
    db = _db(model)
    with transaction.atomic(using=db):
        row = _locked(model, ticket_id, db)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(ticket_id, expected_version, row.version)
        wf = conf.workflow(row.workflow)
        before = row.ticket
        moved = _snapshot(row, wf, at)
        current = before if moved is None else moved.ticket
        outcome = _then(moved, wf.apply(current, event, at=at, actor=actor, data=data, late=late))
        _write(model, db, row, wf, before, outcome)
    return outcome


def advance(ticket_id: str, *, now: datetime, model: Model = TicketState) -> Outcome:
    """Fire what fell due for the stored ticket up to ``now``, and write it.

    Raises:
        TicketNotFound: no row holds ``ticket_id``.
        NaiveDatetimeError: ``now`` is naive.
    """
    _aware(now, "now")
    db = _db(model)
    with transaction.atomic(using=db):
        row = _locked(model, ticket_id, db)
        wf = conf.workflow(row.workflow)
        before = row.ticket
        outcome = _advanced(row, wf, now)
        if outcome.ticket.version != before.version:
            _write(model, db, row, wf, before, outcome)
    return outcome


def _advanced(row: TicketflowModel, wf: Workflow, now: datetime) -> Outcome:
    """The row's ticket migrated at ``now`` if need be, then advanced to ``now``."""
    moved = _snapshot(row, wf, now)
    return _then(moved, wf.advance(row.ticket if moved is None else moved.ticket, now=now))


def _sweep_one(model: Model, db: str, ticket_id: str, now: datetime) -> int:
    """Advance one due ticket; 0 when another sweeper took it meanwhile."""
    skip = connections[db].features.has_select_for_update_skip_locked
    with transaction.atomic(using=db):
        row: TicketflowModel | None = (
            model._default_manager.using(db)
            .select_for_update(skip_locked=skip)
            .filter(ticket_id=ticket_id, next_deadline__lte=now)
            .first()
        )
        if row is None:
            return 0
        wf = conf.workflow(row.workflow)
        before = row.ticket
        outcome = _advanced(row, wf, now)
        _write(model, db, row, wf, before, outcome)
        return outcome.ticket.version - before.version


def _due(model: Model, db: str, now: datetime, limit: int) -> Iterable[str]:
    query = model._default_manager.using(db).filter(next_deadline__lte=now)
    return list(query.order_by("next_deadline").values_list("ticket_id", flat=True)[:limit])


def sweep(*, now: datetime, limit: int = 500, model: Model = TicketState) -> SweepResult:
    """Advance up to ``limit`` tickets whose next deadline is at or before ``now``, earliest first.

    Each ticket is its own transaction: a row that another sweeper advanced
    meanwhile is skipped (its deadline moved on), one that fails is left as
    it was and listed in ``failed``. Any number of sweepers may run at once.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
    """
    _aware(now, "now")
    db = _db(model)
    advanced = fired = 0
    failed: list[tuple[str, str]] = []
    for ticket_id in _due(model, db, now, limit):
        try:
            count = _sweep_one(model, db, ticket_id, now)
        except Exception as exc:  # the handler is the project's code: note it, sweep on
            failed.append((ticket_id, f"{type(exc).__name__}: {exc}"))
            continue
        advanced += count > 0
        fired += count
    return SweepResult(advanced, fired, tuple(failed))
