"""Property-based testing of ticketflow workflows.

* Strategies: :func:`aware_datetimes`, :func:`durations`, :func:`calendars`,
  :func:`workflows`, :func:`events` and :func:`event_streams`.
* :func:`workflow_state_machine` builds a hypothesis ``RuleBasedStateMachine``
  that drives one ticket of a workflow through random events, roles and
  pauses, and checks the engine's promises plus your own invariants after
  every step: ``TestMyFlow = workflow_state_machine(flow).TestCase``.
* :func:`check_liveness` reports what timers do to a ticket nobody touches.
* :class:`KitArgumentError` is what every name here raises for a bad
  argument, at once: a ``TicketflowError`` and, with hypothesis installed, a
  ``hypothesis.errors.InvalidArgument``.

Everything but :func:`check_liveness` needs hypothesis, the ``testing``
extra (``pip install 'ticketflow[testing]'``). Hypothesis is imported only
when one of those names is first used, so ``import ticketflow.testing`` and
``check_liveness`` work without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._errors import KitArgumentError
from ._liveness import LivenessReport, StatusLiveness, TimedExit, check_liveness

if TYPE_CHECKING:
    from ._machine import Invariant, InvariantFailed, WorkflowMachine, workflow_state_machine
    from ._strategies import (
        aware_datetimes,
        calendars,
        durations,
        event_streams,
        events,
        workflows,
    )

__all__ = [
    # strategies
    "aware_datetimes",
    "calendars",
    "durations",
    "event_streams",
    "events",
    "workflows",
    # the state machine
    "Invariant",
    "InvariantFailed",
    "WorkflowMachine",
    "workflow_state_machine",
    # the error for bad arguments (no hypothesis needed)
    "KitArgumentError",
    # liveness (no hypothesis needed)
    "LivenessReport",
    "StatusLiveness",
    "TimedExit",
    "check_liveness",
]

# The modules that need hypothesis, in the order they are searched. The names
# of __all__ not bound above come from them, loaded when first used; the
# imports under TYPE_CHECKING show those names to type checkers.
_LAZY_MODULES = ("._strategies", "._machine")
_LAZY = frozenset(__all__).difference(globals())


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        import hypothesis  # noqa: F401, PLC0415 - hypothesis is optional: only the lazy names need it
    except ImportError:
        raise ImportError(
            f"ticketflow.testing.{name} needs hypothesis; install the testing extra: "
            "pip install 'ticketflow[testing]'"
        ) from None
    for module_name in _LAZY_MODULES:
        module = import_module(module_name, __name__)
        if name in module.__all__:
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AssertionError(f"{name!r} is in no module of {_LAZY_MODULES}")  # pragma: no cover


def __dir__() -> list[str]:
    return sorted(__all__)
