"""JSON for what a store writes beside snapshots: effects and event data.

Snapshots use :meth:`Ticket.to_dict`. Effects and event payloads may hold
datetimes (written as ``{"$datetime": ...}``, as in snapshots) and, in a
``follow_up`` effect, the new ticket (written as ``{"$ticket": <to_dict>}``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ticketflow._errors import ArgumentError, SnapshotError
from ticketflow._ticket import DATETIME_KEY, Effect, Ticket, _dt_in, _dt_out

__all__ = [
    "TICKET_KEY",
    "decode_data",
    "decode_effect",
    "encode_data",
    "encode_effect",
    "read_json",
]

#: The key that marks a ticket inside effect data.
TICKET_KEY = "$ticket"


def encode_data(value: Any, where: str = "data") -> Any:
    """JSON-safe data: datetimes and tickets marked, tuples as lists.

    Raises:
        ArgumentError: naming the path of a value JSON cannot hold.
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ArgumentError(f"{where}: {value!r} is not a finite number", where, value)
        return value
    if isinstance(value, datetime):
        return {DATETIME_KEY: _dt_out(value)}
    if isinstance(value, Ticket):
        return {TICKET_KEY: value.to_dict()}
    if isinstance(value, Mapping):
        return {str(k): encode_data(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_data(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise ArgumentError(
        f"{where}: {type(value).__name__} value {value!r:.80} cannot be stored as JSON",
        where,
        value,
    )


def decode_data(value: Any, where: str = "data") -> Any:
    """Reverse :func:`encode_data`.

    Raises:
        SnapshotError: a marked datetime or ticket is malformed.
    """
    if isinstance(value, Mapping):
        if len(value) == 1 and DATETIME_KEY in value:
            return _dt_in(value[DATETIME_KEY], where)
        if len(value) == 1 and TICKET_KEY in value:
            return Ticket.from_dict(value[TICKET_KEY])
        return {k: decode_data(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [decode_data(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def encode_effect(effect: Effect) -> dict[str, Any]:
    """An effect as JSON data."""
    return {
        "kind": effect.kind,
        "name": effect.name,
        "at": None if effect.at is None else _dt_out(effect.at),
        "data": encode_data(effect.data),
    }


def decode_effect(raw: Any) -> Effect:
    """Reverse :func:`encode_effect`.

    Raises:
        SnapshotError: the stored effect is malformed.
    """
    data = read_json(raw)
    if not isinstance(data, Mapping) or not isinstance(data.get("kind"), str):
        raise SnapshotError(f"not a stored effect: {data!r:.80}", "effect")
    at = data.get("at")
    payload = decode_data(data.get("data"))
    if payload is not None and not isinstance(payload, Mapping):
        raise SnapshotError(f"effect data is not an object: {payload!r:.80}", "effect.data")
    name = data.get("name")
    return Effect(
        data["kind"],
        name if isinstance(name, str) else None,
        None if at is None else _dt_in(at, "effect.at"),
        payload,
    )


def read_json(raw: Any) -> Any:
    """A stored JSON value: parsed already (JSONB), or text to parse (SQLite).

    Raises:
        SnapshotError: the text is not JSON.
    """
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise SnapshotError(f"not JSON ({exc})") from None
