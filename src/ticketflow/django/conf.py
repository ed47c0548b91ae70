"""The ``TICKETFLOW`` setting, read and checked: workflows, the change handler, adoption.

Each value is a dotted path (``"package.module.NAME"``) or the object itself.
Workflows are looked up by their ``name``, the one stored in every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from ticketflow._workflow import Workflow

from .errors import ConfigurationError

__all__ = ["adoption_source", "handler", "option", "workflow", "workflows"]

_KEYS = ("WORKFLOWS", "HANDLER", "ADOPT")


def option(key: str) -> Any:
    """The value of ``TICKETFLOW[key]`` (None when it is not set).

    Raises:
        ConfigurationError: ``TICKETFLOW`` is not a dict, or has a key this app does not read.
    """
    config = getattr(settings, "TICKETFLOW", {})
    if not isinstance(config, Mapping):
        raise ConfigurationError(f"settings.TICKETFLOW must be a dict, got {config!r}")
    unknown = sorted(set(config) - set(_KEYS))
    if unknown:
        raise ConfigurationError(
            f"settings.TICKETFLOW has unknown key(s) {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(_KEYS)})"
        )
    return config.get(key)


def _resolve(value: object, key: str) -> object:
    if not isinstance(value, str):
        return value
    try:
        return import_string(value)
    except ImportError as exc:
        raise ConfigurationError(f"TICKETFLOW[{key!r}]: cannot import {value!r}: {exc}") from None


def workflows() -> dict[str, Workflow]:
    """The configured workflows by name.

    Raises:
        ConfigurationError: a path cannot be imported, names no Workflow, or
            two workflows share a name.
    """
    listed = option("WORKFLOWS") or ()
    if isinstance(listed, str | Workflow) or not isinstance(listed, Iterable):
        raise ConfigurationError(f"TICKETFLOW['WORKFLOWS'] must be a list, got {listed!r}")
    found: dict[str, Workflow] = {}
    for item in listed:
        wf = _resolve(item, "WORKFLOWS")
        if not isinstance(wf, Workflow):
            raise ConfigurationError(f"TICKETFLOW['WORKFLOWS']: {item!r} is not a Workflow")
        if wf.name in found:
            raise ConfigurationError(f"TICKETFLOW['WORKFLOWS']: two workflows named {wf.name!r}")
        found[wf.name] = wf
    return found


def workflow(name: str) -> Workflow:
    """The configured workflow called ``name``.

    Raises:
        ConfigurationError: no configured workflow has that name.
    """
    found = workflows()
    if name not in found:
        known = ", ".join(map(repr, found)) or "none"
        raise ConfigurationError(
            f"no workflow named {name!r} in TICKETFLOW['WORKFLOWS'] (configured: {known})"
        )
    return found[name]


def _callable(key: str) -> Callable[..., Any] | None:
    value = option(key)
    if value is None:
        return None
    fn = _resolve(value, key)
    if not callable(fn):
        raise ConfigurationError(f"TICKETFLOW[{key!r}]: {value!r} is not callable")
    return fn


def handler() -> Callable[..., Any] | None:
    """The change handler, or None when none is configured."""
    return _callable("HANDLER")


def adoption_source() -> Callable[..., Any] | None:
    """The function that lists the rows to adopt, or None."""
    return _callable("ADOPT")
