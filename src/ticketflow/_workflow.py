"""The :class:`Workflow` facade: validate, compile, delegate.

Theory of operation: a :class:`Workflow` is written as data (statuses,
transitions, timers, SLAs, a calendar; the classes live in
``_definitions.py``). At construction it is checked once by ``_validate.py``,
every problem is collected into one :class:`~ticketflow.WorkflowError`, and
the definition is compiled by ``_tables.py`` into one frozen ``Tables`` value.
Every engine method hands that value to ``_engine.py``; diagrams are drawn
by ``_diagram.py`` and plain data read and written by ``_loading.py``; ``_files.py``
(``load`` and ``dump``) sits on top of this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, TypeAlias

from attrs import field, frozen

from . import _diagram, _engine, _loading, _migrate
from ._checks import Problems, items, show
from ._definitions import (
    CATEGORIES,
    CalendarSpec,
    Category,
    Guard,
    Status,
    Timer,
    Transition,
)
from ._errors import ArgumentError, UnknownStatusError, WorkflowError
from ._limits import MAX_STEPS
from ._loading import Registry
from ._migrate import MigrationPlan
from ._sla import SLA, SlaClock
from ._tables import Tables, compile_tables
from ._ticket import Event, Outcome, Ticket
from ._validate import listing, validate
from ._version import behaviour_version

#: What :meth:`Workflow.apply` does with an event stamped before the ticket's
#: ``updated_at``: refuse it, or apply it at ``updated_at``.
Late: TypeAlias = Literal["reject", "clamp"]
_REJECT: Late = "reject"
_LATE: frozenset[str] = frozenset(("reject", "clamp"))
_VERSION_MAX = 100  # the longest version a workflow takes

__all__ = [
    "CATEGORIES",
    "Category",
    "Guard",
    "Late",
    "Status",
    "Timer",
    "Transition",
    "Workflow",
]


def _steps(max_steps: object) -> int:
    """``max_steps`` when it is an int from 1 to ``MAX_STEPS``.

    Raises:
        ArgumentError: naming the bad value (a bool is not a count).
    """
    if (
        isinstance(max_steps, int)
        and not isinstance(max_steps, bool)
        and 1 <= max_steps <= MAX_STEPS
    ):
        return max_steps
    raise ArgumentError(
        f"max_steps must be an int from 1 to MAX_STEPS ({MAX_STEPS:,}), got {show(max_steps)}",
        "max_steps",
        max_steps,
    )


def _statuses(value: Iterable[Status]) -> tuple[Status, ...]:
    return items(value, "workflow statuses")


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return items(value, "workflow transitions")


def _timers(value: Iterable[Timer]) -> tuple[Timer, ...]:
    return items(value, "workflow timers")


def _slas(value: Iterable[SLA]) -> tuple[SLA, ...]:
    return items(value, "workflow slas")


@frozen
class Workflow:
    """A declarative ticket workflow, validated and compiled once.

    Attributes:
        name: The workflow's name (stored in its tickets).
        statuses: Every status.
        transitions: Every transition, timed ones included.
        timers: Timers that send events after a while in a status.
        slas: Service-level targets.
        calendar: The calendar for timers and SLAs that name none (or a
            callable choosing one from the ticket's attributes);
            ``ALWAYS_OPEN`` by default.
        description: What the workflow is for.
        version: What identifies this definition's behaviour in its tickets
            (``Ticket.workflow_version``): the ``version=`` given, else a
            stable short hash of everything that changes behaviour (not of
            labels or descriptions). Tickets of another version are refused
            with :class:`WorkflowVersionError` until :meth:`migrate` carries
            them over.

    Raises:
        WorkflowError: listing every problem found.
    """

    name: str
    statuses: tuple[Status, ...] = field(converter=_statuses)
    transitions: tuple[Transition, ...] = field(converter=_transitions)
    timers: tuple[Timer, ...] = field(default=(), converter=_timers)
    slas: tuple[SLA, ...] = field(default=(), converter=_slas)
    calendar: CalendarSpec | None = field(default=None, eq=False)
    description: str | None = field(default=None, eq=False)
    _version: str | None = field(default=None, eq=False, alias="version")
    _tables: Tables = field(init=False, repr=False, eq=False)
    _codes: Mapping[tuple[type, int | str], Status] = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = validate(
            self.name,
            self.description,
            self.statuses,
            self.transitions,
            self.timers,
            self.slas,
            self.calendar,
        )
        if problems:
            raise problems.error(self.name)
        version = self._version
        if version is None:
            version = behaviour_version(self)
        elif not isinstance(version, str) or not 0 < len(version) <= _VERSION_MAX:
            raise WorkflowError(
                [
                    f"version must be a non-empty string of at most {_VERSION_MAX} characters, "
                    f"got {show(version)}"
                ],
                self.name,
            )
        object.__setattr__(
            self,
            "_tables",
            compile_tables(
                self.name,
                self.statuses,
                self.transitions,
                self.timers,
                self.slas,
                self.calendar,
                version,
            ),
        )
        codes = {(type(s.code), s.code): s for s in self.statuses if s.code is not None}
        object.__setattr__(self, "_codes", codes)

    # --- reading the definition -----------------------------------------------------------

    @property
    def version(self) -> str:
        """The version tickets record (``Ticket.workflow_version``): given, or a behaviour hash."""
        return self._tables.version

    @property
    def initial(self) -> str:
        """The initial status's name."""
        return self._tables.initial

    def status(self, name: str) -> Status:
        """The :class:`Status` called ``name``.

        Raises:
            UnknownStatusError: naming the status (or a name that is not a
                string) and listing the first known ones.
        """
        found = self._tables.statuses.get(name) if isinstance(name, str) else None
        if found is None:
            known = tuple(self._tables.statuses)
            raise UnknownStatusError(
                f"unknown status {show(name)} (known: {listing(known)})", name, known
            )
        return found

    def status_by_code(self, code: int | str) -> Status:
        """The :class:`Status` whose ``code`` is ``code`` (``1`` and ``"1"`` differ).

        Raises:
            UnknownStatusError: naming the code and listing the known codes.
        """
        found = self._codes.get((type(code), code)) if isinstance(code, int | str) else None
        if found is None:
            known = tuple(s.name for s in self._codes.values())
            codes = listing(show(s.code) for s in self._codes.values()) or "none"
            raise UnknownStatusError(
                f"no status has code {show(code)} (codes: {codes})", code, known
            )
        return found

    def category(self, status: str) -> str:
        """The category of ``status``.

        Raises:
            UnknownStatusError: naming an unknown status.
        """
        return self.status(status).category

    def statuses_in(self, *categories: str) -> tuple[str, ...]:
        """Names of the statuses in any of ``categories`` (a portal's list filter).

        Raises:
            WorkflowError: naming each unknown category.
        """
        problems = Problems()
        for c in categories:
            if not isinstance(c, str) or c not in CATEGORIES:
                problems.add(
                    f"unknown category {show(c)} (expected one of {', '.join(CATEGORIES)})"
                )
        if problems:
            raise problems.error(self.name)
        return tuple(s.name for s in self.statuses if s.category in categories)

    def events(self) -> tuple[str, ...]:
        """Every event name the workflow knows, sorted."""
        return tuple(sorted({t.event for t in self.transitions}))

    def to_mermaid(self) -> str:
        """A Mermaid ``stateDiagram-v2`` of the statuses and transitions."""
        return _diagram.to_mermaid(self._tables)

    def to_dot(self) -> str:
        """A Graphviz DOT digraph of the statuses and transitions."""
        return _diagram.to_dot(self._tables)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, registry: Registry | None = None) -> Workflow:
        """Build a workflow from plain data, as read from a workflow file.

        Guard, ``sub_status`` and calendar names are looked up in
        ``registry`` once, now; nothing is evaluated.

        Raises:
            LoadError: naming the bad key, type, duration or name and where it is.
            WorkflowError: when the workflow read is not valid.
        """
        return Workflow(**_loading.read_definitions(data, registry=registry))

    def to_dict(self, *, registry: Registry | None = None) -> dict[str, Any]:
        """The workflow as plain data (JSON- and TOML-safe) that :meth:`from_dict` reads back.

        Callables are written by their name in ``registry``, else by ``__name__``;
        a ``version`` given to the workflow is written too (a default one is not:
        it is computed again from the definition when the data is read).

        Raises:
            LoadError: naming a callable or holiday source that cannot be written.
        """
        data = _loading.to_dict(self, registry=registry)
        if self._version is not None:
            data["version"] = self._version
        return data

    # --- the engine -------------------------------------------------------------------------

    def start(
        self,
        *,
        at: datetime,
        id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Create a ticket in the initial status at ``at``.

        Raises:
            InstantError: ``at`` is not an aware datetime in the supported range
                (:class:`NaiveDatetimeError` when it is naive).
            SnapshotError: ``id`` is not a string or None.
            AttrsError: ``attrs`` is not a mapping of JSON values and aware
                datetimes (the message names the key path).
        """
        return _engine.start(self._tables, at, id, attrs)

    def apply(
        self,
        ticket: Ticket,
        event: str,
        *,
        at: datetime,
        actor: str | None = None,
        data: Mapping[str, Any] | None = None,
        max_steps: int = MAX_STEPS,
        late: Late = "reject",
    ) -> Outcome:
        """Fire whatever fell due up to ``at`` (at most ``max_steps`` items), then apply ``event``.

        An event stamped before the ticket's ``updated_at`` is refused with
        :class:`OutOfOrderError` under ``late="reject"`` (the default); under
        ``late="clamp"`` it is applied at ``updated_at`` instead, and its step
        keeps the stamped time as ``requested_at`` (stores use ``clamp``: a
        reply written at 13:59 that commits after the 14:00 auto-close was
        recorded).

        Raises:
            TransitionError: no such move from the status (``.allowed`` lists
                what is), or ``event``/``actor`` is not a string.
            NotPermitted: the actor's role may not send it.
            GuardRejected: the guard said no.
            EventDataError: ``data`` is not a mapping or None.
            EventDataError: ``data`` lacks a key that ``set_attrs`` copies, or
                the status entered has an ``at=`` timer and the ticket has no
                usable deadline in that attribute.
            AttrsError: a value ``set_attrs`` sets is not a JSON value or an
                aware datetime.
            OutOfOrderError: ``at`` is before the ticket's last change (and
                ``late`` is ``"reject"``).
            InstantError: ``at`` is not an aware datetime in the supported range
                (:class:`NaiveDatetimeError` when it is naive).
            SnapshotError: ``ticket`` is not a Ticket this workflow could have
                produced (another workflow's, an impossible agenda...).
            StepLimitError: more than ``max_steps`` items fell due; the event
                was not applied and ``.outcome`` holds what was fired.
            ArgumentError: ``max_steps`` is not an int from 1 to ``MAX_STEPS``,
                or ``late`` is not ``"reject"`` or ``"clamp"``.
        """
        if late is not _REJECT and late not in _LATE:
            raise ArgumentError(f"late must be 'reject' or 'clamp', got {show(late)}", "late", late)
        if max_steps is not MAX_STEPS:
            max_steps = _steps(max_steps)
        return _engine.apply(self._tables, ticket, event, at, actor, data, max_steps, late)

    def adopt(
        self,
        status: str,
        *,
        since: datetime,
        at: datetime,
        id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
        created_at: datetime | None = None,
        slas: Mapping[str, timedelta | Literal["met", "breached"]] | None = None,
    ) -> Outcome:
        """Take over a ticket that has been in ``status`` (any status) since ``since``.

        The ticket's ``updated_at`` is ``at`` and its version 1; ``created_at``
        defaults to ``since``. Timers are armed from ``since``: one already
        due falls due at ``at`` and fires once (the next ``advance``);
        reminders that fell before ``at`` are dropped, never sent late. SLA
        clocks start only for the names in ``slas``: an elapsed ``timedelta``
        (the clock runs on from ``at`` with that much counted), ``"met"`` or
        ``"breached"``.

        Raises:
            UnknownStatusError: ``status`` is not one of the workflow's.
            InstantError: ``since``, ``at`` or ``created_at`` is not an aware
                datetime in the supported range.
            OutOfOrderError: ``created_at <= since <= at`` does not hold.
            ArgumentError: ``slas`` names an SLA that does not apply to the
                ticket, or gives it a value it does not take.
            EventDataError: ``status`` has an ``at=`` timer and ``attrs`` no
                usable deadline for it.
            AttrsError: ``attrs`` is not a mapping of JSON values and aware
                datetimes.
            SnapshotError: ``id`` is not a string or None.
        """
        self.status(status)
        return _engine.adopt(self._tables, status, since, at, id, attrs, created_at, slas)

    def advance(self, ticket: Ticket, *, now: datetime, max_steps: int = MAX_STEPS) -> Outcome:
        """Fire every timer, reminder and SLA breach due at or before ``now``.

        Raises:
            StepLimitError: more than ``max_steps`` items fell due; store
                ``.outcome.ticket`` and call again to go on.
            SnapshotError: ``ticket`` is not a Ticket this workflow could have produced.
            InstantError: ``now`` is not an aware datetime in the supported range.
            ArgumentError: ``max_steps`` is not an int from 1 to ``MAX_STEPS``.
        """
        return _engine.advance(self._tables, ticket, now, _steps(max_steps))

    def allowed(
        self,
        ticket: Ticket,
        *,
        actor: str | None = None,
        at: datetime | None = None,
        max_steps: int = MAX_STEPS,
    ) -> tuple[str, ...]:
        """The events ``actor`` may send now (guards asked with ``data=None``), sorted.

        With ``at``, what fell due by then is fired first (at most ``max_steps`` items).

        Raises:
            ArgumentError: ``max_steps`` is not an int from 1 to ``MAX_STEPS``.
        """
        return _engine.allowed(self._tables, ticket, actor, at, _steps(max_steps))

    def next_deadline(self, ticket: Ticket) -> datetime | None:
        """The earliest pending timer, reminder or SLA breach, or None.

        Raises:
            SnapshotError: ``ticket`` is not a Ticket this workflow could have produced.
        """
        return _engine.next_deadline(self._tables, ticket)

    def sla(
        self, ticket: Ticket, *, now: datetime, max_steps: int = MAX_STEPS
    ) -> tuple[SlaClock, ...]:
        """The ticket's SLA clocks as of ``now`` (after firing what fell due).

        Raises:
            ArgumentError: ``max_steps`` is not an int from 1 to ``MAX_STEPS``.
        """
        return _engine.sla_clocks(self._tables, ticket, now, _steps(max_steps))

    def replay(
        self, events: Iterable[Event | Mapping[str, Any]], *, max_steps: int = MAX_STEPS
    ) -> Outcome:
        """Fold an event log whose first entry is ``start`` (its data = attrs).

        Returns the final ticket with every step and effect along the way;
        equal to calling :meth:`start` and :meth:`apply` one by one.

        Raises:
            EventLogError: naming the position of a malformed entry (not an
                Event or mapping, a bad name, ``at`` not an ISO datetime with an
                offset, ``data`` not a mapping, bad start attributes).
            ArgumentError: ``max_steps`` is not an int from 1 to ``MAX_STEPS``.
        """
        return _engine.replay(self._tables, events, _steps(max_steps))

    # --- versions -----------------------------------------------------------------------------

    def migrate(
        self, ticket: Ticket, *, at: datetime, status_map: Mapping[str, str] | None = None
    ) -> Outcome:
        """Carry ``ticket`` over to this definition at ``at`` (any earlier version of it).

        The status is kept by name, or mapped by ``status_map`` (old name ->
        new name). Timers are re-armed from when the status's timers were
        last armed (``ticket.timers_since``) with this definition's durations
        and calendars; reminders that fall before ``at`` are dropped, never
        sent late; timers and SLA breaches now at or before ``at`` fall due
        at ``at`` (the next :meth:`advance` fires each once). SLA clocks are
        matched by name and keep their elapsed time and cycles under the new
        targets and calendars. Attributes, id and creation time are kept;
        the migration is one change: ``version`` + 1, ``updated_at`` = ``at``,
        and the ticket records this workflow's version.

        Raises:
            SnapshotError: the ticket is of another workflow, malformed, or in
                a status this definition lacks and ``status_map`` does not map.
            ArgumentError: ``status_map`` is not a mapping of names, or maps
                to a status this definition lacks.
            OutOfOrderError: ``at`` is before the ticket's last change.
            InstantError: ``at`` is not an aware datetime in the supported range.
            EventDataError: the status now has an ``at=`` timer and the
                ticket no usable deadline in its attribute.
        """
        return _migrate.migrate(self._tables, ticket, at, status_map)

    def migration_plan(
        self,
        ticket: Ticket,
        *,
        at: datetime,
        status_map: Mapping[str, str] | None = None,
        old: Workflow | None = None,
    ) -> MigrationPlan:
        """What :meth:`migrate` would change, without changing anything.

        ``old``, the workflow the ticket follows now, lets the plan name the
        old SLA targets (a snapshot keeps due times, not targets).

        Raises:
            SnapshotError: as for :meth:`migrate`.
            ArgumentError: as for :meth:`migrate`.
            OutOfOrderError: as for :meth:`migrate`.
            InstantError: as for :meth:`migrate`.
            EventDataError: as for :meth:`migrate`.
        """
        before = None if old is None else old._tables
        return _migrate.plan(self._tables, ticket, at, status_map, before)
