"""A workflow's default version: a stable hash of what changes its behaviour.

Theory of operation: the definition is written as plain data by the same
writer as ``Workflow.to_dict`` (so a field added to a definition later is
covered without a change here), then made canonical:

* labels, descriptions and the workflow's name are left out: they change
  no ticket's behaviour;
* each calendar reference is replaced by the calendar's definition (time
  zone, hours, holidays as data: a country and subdivision, dates, RRULE
  text; overrides), so generated or file-given calendar names do not count,
  and a timer or SLA that names the workflow's own calendar equals one that
  names none; holiday sources are sorted;
* callables count by name (a lambda by its qualified name);
* a definition field the writer leaves out (one files cannot express yet)
  is added from the definition when it is not at its default.

The result is dumped as JSON with sorted keys and hashed with SHA-256, so it
is the same in every process, Python version and dict order, and for a
workflow built in code or loaded from a TOML, JSON or YAML file. A
definition the writer cannot write as data (a duration of seconds, a
holiday source of the caller's own) is walked field by field instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any, cast

import attrs

from ._calendar import BusinessCalendar
from ._durations import Duration
from ._errors import LoadError
from ._loading import Definitions, calendar_to_dict, to_dict

__all__ = ["VERSION_LENGTH", "behaviour", "behaviour_version"]

#: Hex digits of the SHA-256 a default version keeps.
VERSION_LENGTH = 12
# keys that describe and never change behaviour
_WORDS = frozenset(("label", "description"))
_ALWAYS_OPEN = "always_open"
# the class of an attrs factory default (``attrs.Factory`` is typed as a function)
_FACTORY: type[Any] = type(attrs.Factory(list))


def behaviour_version(wf: Definitions) -> str:
    """The short hex hash of :func:`behaviour`: the version a workflow gets by default.

    >>> import ticketflow as tf
    >>> a = tf.Workflow(name="w", statuses=[tf.Status("new", initial=True, terminal=True)],
    ...                 transitions=[])
    >>> b = tf.Workflow(name="w", statuses=[tf.Status("new", initial=True, terminal=True,
    ...                 label="New!")], transitions=[])
    >>> behaviour_version(a) == behaviour_version(b)
    True
    """
    text = json.dumps(behaviour(wf), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:VERSION_LENGTH]


def behaviour(wf: Definitions) -> dict[str, Any]:
    """What changes the behaviour of ``wf``, as canonical plain data."""
    try:
        data = to_dict(wf, registry=_unnamed(wf))
    except LoadError:  # not writable as data: walk the definitions themselves
        return {key: _plain(getattr(wf, key)) for key in ("statuses", "transitions", "timers")} | {
            "slas": _plain(wf.slas),
            "calendar": _plain(wf.calendar) if wf.calendar is not None else _ALWAYS_OPEN,
        }
    _unwritten(wf, data)
    calendars: dict[str, Any] = data.pop("calendars", {})
    for key in ("name", *_WORDS):
        data.pop(key, None)
    default = _calendar(data.get("calendar", _ALWAYS_OPEN), calendars)
    data["calendar"] = default
    for key in ("statuses", "transitions"):
        data[key] = [_drop_words(item) for item in data.get(key, [])]
    for key in ("timers", "slas"):
        for item in data.get(key, []):
            if "calendar" in item:
                chosen = _calendar(item["calendar"], calendars)
                if chosen == default:
                    del item["calendar"]
                else:
                    item["calendar"] = chosen
    return data


def _unwritten(wf: Definitions, data: dict[str, Any]) -> None:
    """Add to ``data`` each definition field the writer left out that is not at its default.

    So a field that workflow files cannot express yet still counts.
    """
    for key in ("statuses", "transitions", "timers", "slas"):
        for definition, item in zip(getattr(wf, key), data.get(key, []), strict=True):
            for f in attrs.fields(type(definition)):
                if not f.init or f.alias in _WORDS or f.alias in item:
                    continue
                value = getattr(definition, f.name)
                default = f.default.factory() if isinstance(f.default, _FACTORY) else f.default
                if value != default:
                    item[f.alias] = _plain(value)


def _drop_words(item: Any) -> Any:
    if isinstance(item, dict):
        return {k: v for k, v in item.items() if k not in _WORDS}
    return item


def _calendar(ref: Any, calendars: Mapping[str, Any]) -> Any:
    """A calendar reference replaced by its definition (a callable's name stays a name)."""
    if isinstance(ref, str) and ref in calendars:
        found = dict(calendars[ref])
        if "holidays" in found:
            found["holidays"] = sorted(found["holidays"], key=_key)
        return found
    return ref


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


# --- callables without a usable name ---------------------------------------------------


def _unnamed(wf: Definitions) -> dict[str, object]:
    """A registry naming each callable of ``wf`` whose ``__name__`` is not an identifier."""
    names: dict[str, object] = {}
    seen: set[int] = set()
    for fn in _callables((wf.calendar, wf.statuses, wf.transitions, wf.timers, wf.slas)):
        name = getattr(fn, "__name__", None)
        if id(fn) in seen or (isinstance(name, str) and name.isidentifier()):
            continue
        seen.add(id(fn))
        base = getattr(fn, "__qualname__", None) or type(fn).__qualname__
        label, n = base, 1
        while label in names:
            n += 1
            label = f"{base}~{n}"
        names[label] = fn
    return names


def _callables(value: object) -> Iterator[object]:
    """Every callable inside ``value``, a definition or a collection of them, in order."""
    if value is None or isinstance(value, str | BusinessCalendar | Duration | timedelta | date):
        return
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _callables(item)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in sorted(value, key=repr) if isinstance(value, frozenset | set) else value:
            yield from _callables(item)
    elif callable(value) and not isinstance(value, type):
        yield value
    elif attrs.has(type(value)):
        for f in attrs.fields(cast(Any, type(value))):
            if f.init:
                yield from _callables(getattr(value, f.name))


# --- the fallback: a definition walked field by field -----------------------------------


def _plain(value: object) -> Any:  # noqa: PLR0911 - one return per kind of value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BusinessCalendar):
        return _plain_calendar(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted((_plain(v) for v in value), key=_key)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return _plain_object(value)


def _plain_object(value: object) -> Any:
    if attrs.has(type(value)) and not callable(value):
        return {
            f.alias: _plain(getattr(value, f.name))
            for f in attrs.fields(cast(Any, type(value)))
            if f.init and f.alias not in _WORDS
        }
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    return name if isinstance(name, str) else type(value).__qualname__


def _plain_calendar(cal: BusinessCalendar) -> Any:
    try:
        return _calendar("c", {"c": calendar_to_dict(cal)})
    except LoadError:  # a holiday source of the caller's own: known by its type only
        out = {"timezone": cal.timezone, "hours": _plain(dict(cal.hours))}
        out["holidays"] = sorted(type(h).__qualname__ for h in cal.holidays)
        out["overrides"] = {d.isoformat(): _plain(v) for d, v in cal.overrides.items()}
        return out
