"""Checks shared by the definition classes (statuses, transitions, timers, SLAs).

Rules: a definition part checks the types of its own fields when it is
built, and the workflow checks what the parts mean together. Every check
raises or collects a :class:`~ticketflow.WorkflowError` whose words name the
field and show the bad value, shortened so that a hostile value never makes
a huge message. Nothing here calls a user's callable.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any

from ._errors import WorkflowError
from ._limits import MAX_DATA_NODES, MAX_DEPTH, MAX_PROBLEMS

__all__ = ["MAX_ITEMS", "Problems", "copy_json", "items", "json_problem", "show"]

#: Most items a definition list (statuses, transitions, roles, reminders...) may hold.
MAX_ITEMS = MAX_DATA_NODES

# Python refuses to turn an int of more than 4300 digits into text; stay below that.
_MAX_INT_BITS = 14_000

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlong = 40
_REPR.maxlevel = 3
for _limit in ("maxlist", "maxtuple", "maxset", "maxfrozenset", "maxdict", "maxdeque"):
    setattr(_REPR, _limit, 6)


def show(value: object) -> str:
    """A short repr of ``value`` for a message (long strings and containers cut).

    Examples:
        >>> show("x" * 200)[:12], len(show("x" * 200)) < 100
        ("'xxxxxxxxxxx", True)
    """
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        # too long for Python to write out as text
        return f"<int of about {value.bit_length() * 0.30103:,.0f} digits>"
    try:
        return _REPR.repr(value)
    except Exception:  # a repr that fails (a huge int, a broken __repr__)
        return f"<{type(value).__name__} object>"


def fail(problem: str) -> WorkflowError:
    """A ``WorkflowError`` with the one problem found building a definition part."""
    return WorkflowError([problem])


def items(value: object, what: str) -> tuple[Any, ...]:
    """The items of a list given for ``what``, at most :data:`MAX_ITEMS` of them.

    Raises:
        WorkflowError: for a string, mapping or non-iterable, an iterator that
            raises, or one longer than :data:`MAX_ITEMS`.
    """
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise fail(f"{what} must be a list, got {show(value)}")
    try:
        got = tuple(islice(value, MAX_ITEMS + 1))
    except Exception as exc:
        raise fail(f"{what}: reading {show(value)} raised {type(exc).__name__}: {exc}") from exc
    if len(got) > MAX_ITEMS:
        raise fail(f"{what} holds more than {MAX_ITEMS} items")
    return got


class Problems:
    """Collects problems, keeping the first :data:`MAX_PROBLEMS` and counting the rest."""

    def __init__(self) -> None:
        self.listed: list[str] = []
        self.total = 0

    def add(self, problem: str) -> None:
        """Record one problem."""
        self.total += 1
        if len(self.listed) < MAX_PROBLEMS:
            self.listed.append(problem)

    def __bool__(self) -> bool:
        return self.total > 0

    def error(self, name: object = None) -> WorkflowError:
        """One ``WorkflowError`` with the listed problems and a count of the rest."""
        listed = list(self.listed)
        more = self.total - len(listed)
        if more:
            listed.append(f"... and {more} more problem(s)")
        return WorkflowError(listed, name if isinstance(name, str) else None, total=self.total)


def json_problem(value: object, where: str) -> str | None:
    """What keeps ``value`` from being a JSON value, or None when it is one.

    JSON values are str, int (of at most about 4,200 digits), finite float, bool,
    None, lists (or tuples) and
    string-keyed mappings of them, nested at most :data:`MAX_DEPTH` deep and
    :data:`MAX_DATA_NODES` values in all.
    """
    stack: list[tuple[object, str, int]] = [(value, where, 0)]
    nodes = 0
    while stack:
        v, path, depth = stack.pop()
        nodes += 1
        if nodes > MAX_DATA_NODES:
            return f"{where} holds more than {MAX_DATA_NODES} values"
        if v is None or isinstance(v, str | bool):
            continue
        if isinstance(v, int | float) or not isinstance(v, Mapping | list | tuple):
            problem = _scalar_problem(v, path)
            if problem is not None:
                return problem
            continue
        if depth >= MAX_DEPTH:
            return f"{path} nests deeper than {MAX_DEPTH} levels"
        if isinstance(v, Mapping):
            problem = _push_items(v, path, depth, stack)
            if problem is not None:
                return problem
        else:
            stack.extend((x, f"{path}[{i}]", depth + 1) for i, x in enumerate(v))
    return None


def _scalar_problem(v: object, path: str) -> str | None:
    """What keeps a number, or a value that holds no others, from being JSON."""
    if isinstance(v, int):
        if v.bit_length() > _MAX_INT_BITS:
            return f"{path} is an integer too large to write as JSON text"
        return None
    if isinstance(v, float):
        if not math.isfinite(v):
            return f"{path} is {show(v)}, not a finite number"
        return None
    return (
        f"{path} is {show(v)}, not a JSON value (str, int, float, bool, None, "
        "list or string-keyed mapping)"
    )


def _push_items(
    v: Mapping[Any, Any], path: str, depth: int, stack: list[tuple[object, str, int]]
) -> str | None:
    """Queue a mapping's values; the problem of its first key that is not a string."""
    for key, x in v.items():
        if not isinstance(key, str):
            return f"{path} has key {show(key)}, not a string"
        stack.append((x, f"{path}[{show(key)}]", depth + 1))
    return None


def copy_json(value: Any) -> Any:
    """A copy of a checked JSON value, so later changes to the original do not leak in."""
    if isinstance(value, Mapping):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(copy_json(v) for v in value)
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
