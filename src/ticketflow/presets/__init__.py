"""Ready-made workflows, one for each help-center article ticketflow ships with.

Each preset is a factory function taking keyword overrides (at least
``timezone=`` and ``calendar=``) and returning a :class:`ticketflow.Workflow`
built only from the public API, so each module doubles as an example of
defining a policy in code.

Examples:
    >>> from ticketflow import presets
    >>> presets.names()  # doctest: +NORMALIZE_WHITESPACE
    ('case-portal', 'client-portal', 'help-center', 'hosting-support',
     'pending-states', 'service-desk', 'zendesk-sla')
    >>> presets.get("help_center").name
    'help-center'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ticketflow as tf

from . import _demo
from ._common import canonical
from .case_portal import case_portal
from .client_portal import client_portal
from .help_center import help_center
from .hosting_support import hosting_support
from .pending_states import pending_states
from .service_desk import service_desk
from .zendesk_sla import zendesk_sla

__all__ = [
    "UnknownPresetError",
    "case_portal",
    "client_portal",
    "demo_timeline",
    "get",
    "help_center",
    "hosting_support",
    "names",
    "pending_states",
    "service_desk",
    "zendesk_sla",
]

_FACTORIES: dict[str, Callable[..., tf.Workflow]] = {
    "case-portal": case_portal,
    "client-portal": client_portal,
    "help-center": help_center,
    "hosting-support": hosting_support,
    "pending-states": pending_states,
    "service-desk": service_desk,
    "zendesk-sla": zendesk_sla,
}


class UnknownPresetError(tf.TicketflowError, LookupError):
    """No preset has this name.

    Attributes:
        name: The name asked for.
        known: The names of the presets there are.
    """

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown preset {name!r} (known: {', '.join(known)})")

    def __str__(self) -> str:
        # LookupError would otherwise show the message quoted, like a KeyError
        return str(self.args[0])


def names() -> tuple[str, ...]:
    """The presets' names, sorted (``"case-portal"``, ...)."""
    return tuple(sorted(_FACTORIES))


def get(name: str, **overrides: Any) -> tf.Workflow:
    """Build the preset called ``name`` (``-`` and ``_`` both accepted).

    Keyword ``overrides`` go to its factory (``timezone=``, ``calendar=``...).

    Raises:
        UnknownPresetError: naming ``name`` when no preset has it.

    Examples:
        >>> get("case_portal", timezone="Europe/Amsterdam").calendar.timezone
        'Europe/Amsterdam'
    """
    if not isinstance(name, str):
        raise UnknownPresetError(repr(name), names())
    factory = _FACTORIES.get(canonical(name))
    if factory is None:
        raise UnknownPresetError(name, names())
    return factory(**overrides)


def demo_timeline(name: str) -> list[str]:
    """The lines ``ticketflow demo NAME`` prints: a scripted life of preset ``name``.

    A header, then a table with a row for each event sent and each timer,
    reminder or SLA breach as it falls due, then any rejected event and the
    SLA clocks at the end. Every instant is written in the script, so the
    lines are the same on every run (``-`` and ``_`` both accepted).

    Raises:
        UnknownPresetError: naming ``name`` when no preset has it.

    Examples:
        >>> demo_timeline("help_center")[0].startswith("help-center: ")
        True
    """
    return _demo.play(name)
