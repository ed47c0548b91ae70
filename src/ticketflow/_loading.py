"""Workflows as plain data: read from and written to dicts, TOML, JSON and YAML.

Theory of operation: a workflow file is the same tree of tables, lists,
strings, numbers and booleans in every format. :func:`from_dict` walks it
once, checking every key and type and naming the place of the first problem
(``transitions[3].guard``), and builds the ordinary value objects; the
:class:`~ticketflow.Workflow` they make then validates itself as usual.

Bounds come first. :func:`load` reads only a regular file of at most
``MAX_FILE_BYTES`` (opened without blocking, so a FIFO or a device is refused,
never waited on), and refuses a YAML or TOML file whose punctuation allows
more than ``MAX_DATA_NODES`` values before its pure-Python parser starts.
Whatever a parser returns, and whatever a caller hands to :func:`from_dict`,
is then copied once by :func:`_copy` into plain dicts and lists with a budget
of ``MAX_DATA_NODES`` values (a YAML alias counts each time it is reached),
``MAX_DEPTH`` levels, no cycles, finite numbers and valid Unicode, before
anything else reads it; so nothing aliased or self-referring survives into a
workflow, and :func:`to_dict` copies what it writes out the same way.

Code is never named by text that gets evaluated. A guard, a ``sub_status``
function or a calendar chosen per ticket is a *name* looked up once, at load
time, in a ``registry`` mapping that the caller builds in code. Business
calendars may also be written out in full under ``[calendars]``.

:func:`to_dict` is the inverse: it writes defaults as absent keys (never
None), durations as strings, callables by their registry name (or
``__name__``), and every :class:`~ticketflow.BusinessCalendar` it meets as a
named definition.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeAlias, cast

import attrs

from ._calendar import ALWAYS_OPEN, BusinessCalendar, weekdays
from ._checks import show
from ._definitions import CalendarSpec, Status, Timer, Transition
from ._durations import Duration, describe, parse_duration
from ._errors import CalendarError, DurationError, LoadError
from ._holidays import CountryHolidays, DateHolidays, RRuleHolidays, country_holidays, to_sources
from ._limits import MAX_DATA_NODES, MAX_DEPTH, MAX_FILE_BYTES
from ._sla import SLA, On, Trigger
from ._ticket import Effect


class Definitions(Protocol):
    """What :func:`to_dict` reads of a workflow."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def calendar(self) -> CalendarSpec | None: ...
    @property
    def statuses(self) -> tuple[Status, ...]: ...
    @property
    def transitions(self) -> tuple[Transition, ...]: ...
    @property
    def timers(self) -> tuple[Timer, ...]: ...
    @property
    def slas(self) -> tuple[SLA, ...]: ...


__all__ = [
    "Definitions",
    "Registry",
    "StandIn",
    "calendar_to_dict",
    "check_registry",
    "decode",
    "file_path",
    "kind_of",
    "parse_text",
    "read_bytes",
    "read_definitions",
    "to_dict",
    "to_toml",
    "write_bytes",
    "yaml_module",
]

#: Names -> guards, ``sub_status`` callables and calendars (a ``BusinessCalendar``
#: or a callable ``(attrs) -> BusinessCalendar``).
Registry: TypeAlias = Mapping[str, object]

#: Makes what stands for a name that no registry gives, from its kind ("guard",
#: "sub_status function", "set_attrs function" or "calendar") and the name: so a file
#: can be read without the code its names refer to.
StandIn: TypeAlias = Callable[[str, str], Callable[..., Any]]

#: The calendar name that is always known: ``ALWAYS_OPEN``.
ALWAYS_OPEN_NAME = "always_open"
_PAIR = 2  # a [start, end] pair


def _keys(cls: type, *, drop: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The keys a table for ``cls`` may hold: its constructor's arguments, adjusted.

    Fields the constructor does not take (``init=False``, such as what an SLA
    derives from its target) are never keys.
    """
    names = tuple(f.alias for f in attrs.fields(cls) if f.init and f.alias not in drop)
    return names + add


# The workflow's own arguments (the Workflow class sits above this module), and
# ``calendars``: the named calendar definitions that ``calendar`` keys refer to.
_TOP_KEYS: tuple[str, ...] = ("name", "description", "calendar", "calendars", "statuses")
_TOP_KEYS += ("transitions", "timers", "slas", "version")
_STATUS_KEYS = _keys(Status)
_TRANSITION_KEYS = _keys(Transition)
# An effect template never sets ``at``: the engine fills it in when it emits the effect.
_EFFECT_KEYS = _keys(Effect, drop=("at",))
_TIMER_KEYS = _keys(Timer)
_SLA_KEYS = _keys(SLA)
_ON_KEYS = _keys(On)
_CALENDAR_KEYS = ("timezone", "hours", "weekdays", "holidays", "overrides")
_HOLIDAY_KEYS = ("country", "subdiv", "market", "observed")
# Defaults are left out when writing and filled in when reading: the classes' own.
_DEFAULT_PAUSE = cast(frozenset[str], attrs.fields(SLA).pause_in.default)
_DEFAULT_CATEGORY = cast(str, attrs.fields(Status).category.default)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCALARS = (str, int, float, bool, type(None))
#: Integers with this many digits or more cannot be converted to text by Python.
_INT_DIGITS = 4300
_INT_LIMIT = 10**_INT_DIGITS


# --- bounded plain data -------------------------------------------------------------------


class _Bad:
    """A value a parser could not represent; :func:`_copy` reports it with its key."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Pairs(dict[str, Any]):
    """A JSON object as parsed, with the first key it repeats (if any)."""

    duplicate: str | None = None


class _Budget:
    """How many more values the current copy may take."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_DATA_NODES


def _copy(value: object, where: str, *, json_only: bool, budget: _Budget | None = None) -> Any:
    """Copy plain data into exact dicts, lists and scalars, within the bounds.

    Allowed: str, int, float (finite), bool, None, lists (or tuples) and
    mappings with string keys; dates too (values and keys) unless
    ``json_only``. At most ``MAX_DATA_NODES`` values, each visit of a shared
    object counted again, nested at most ``MAX_DEPTH`` deep, and no cycles.

    Raises:
        LoadError: naming the key of the first value out of bounds.
    """
    return _copy_in(value, where, 1, budget or _Budget(), set(), json_only)


def _copy_in(
    value: object, where: str, level: int, budget: _Budget, ancestors: set[int], json_only: bool
) -> Any:
    budget.left -= 1
    if budget.left < 0:
        _fail(
            where,
            f"more than {MAX_DATA_NODES:,} values (MAX_DATA_NODES; an alias counts "
            "each time it is used)",
        )
    if type(value) is str:
        return _text(value, where)
    if value is None or type(value) is bool:
        return value
    if isinstance(value, int | float | str | _Bad) or (
        isinstance(value, date) and not isinstance(value, datetime) and not json_only
    ):
        return _copy_scalar(value, where)
    if not isinstance(value, Mapping | list | tuple):
        wanted = "JSON values" if json_only else "plain data"
        _fail(
            where,
            f"{show(value)} ({type(value).__name__}) is not {wanted} "
            "(strings, numbers, booleans, lists and tables)",
        )
    if level > MAX_DEPTH:
        _fail(where, f"nested more than {MAX_DEPTH} levels deep (MAX_DEPTH)")
    if id(value) in ancestors:
        _fail(where, "contains itself (a cycle)")
    ancestors.add(id(value))
    try:
        if isinstance(value, Mapping):
            return _copy_mapping(value, where, level, budget, ancestors, json_only)
        return [
            _copy_in(item, f"{where}[{i}]", level + 1, budget, ancestors, json_only)
            for i, item in enumerate(value)
        ]
    finally:
        ancestors.discard(id(value))


def _copy_scalar(value: int | float | str | _Bad | date, where: str) -> Any:
    """A copy of a number, a string or a date (no datetime); the error of a ``_Bad``."""
    if isinstance(value, int):  # never a bool: _copy_in returns those itself
        if abs(value) >= _INT_LIMIT:
            _fail(where, f"{show(value)} has more than {_INT_DIGITS} digits")
        return int.__int__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            _fail(where, f"{value!r} is not a finite number")
        return float.__float__(value)
    if isinstance(value, str):
        return _text(str.__str__(value), where)
    if isinstance(value, _Bad):
        _fail(where, value.message)
    return date(value.year, value.month, value.day)


def _copy_mapping(
    value: Mapping[Any, Any],
    where: str,
    level: int,
    budget: _Budget,
    ancestors: set[int],
    json_only: bool,
) -> dict[Any, Any]:
    if isinstance(value, _Pairs) and value.duplicate is not None:
        _fail(where, f"duplicate key {show(value.duplicate)}")
    out: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(key, str):
            text = _text(str.__str__(key), where)
            out[text] = _copy_in(item, _join(where, text), level + 1, budget, ancestors, json_only)
        elif isinstance(key, date) and not isinstance(key, datetime) and not json_only:
            at = _join(where, key.isoformat())
            out[key] = _copy_in(item, at, level + 1, budget, ancestors, json_only)
        else:
            _fail(where, f"key {show(key)} is not a string")
    return out


def _text(value: str, where: str) -> str:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            _fail(where, f"{show(value)} is not valid Unicode (it holds a lone surrogate)")
    return value


# --- reading ------------------------------------------------------------------------------


def _fail(where: str | None, message: str) -> NoReturn:
    raise LoadError(message, key=where or None)


def _mapping(value: object, where: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        _fail(where, f"expected a table, got {kind_of(value)}")
    return value


def kind_of(value: object) -> str:
    """What ``value`` is, in a message's words: "a table", "a string ('x')"..."""
    names = {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}
    for cls, word in names.items():
        if isinstance(value, cls):
            return f"{word} ({show(value)})" if cls in (str, bool) else word
    return f"{type(value).__name__} {show(value)}"


def _table(value: object, where: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _fail(where, f"expected a table, got {kind_of(value)}")
    for key in value:
        if not isinstance(key, str):
            _fail(where, f"key {key!r} is not a string")
        if key not in allowed:
            _fail(_join(where, key), f"unknown key {key!r} (expected one of: {', '.join(allowed)})")
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _required(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        _fail(where, f"missing required key {key!r}")
    return table[key]


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        _fail(where, f"expected a string, got {kind_of(value)}")
    return value


def _opt_str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    return None if key not in table else _str(table[key], _join(where, key))


def _code(table: Mapping[str, Any], where: str) -> int | str | None:
    """A status's ``code``: an int or a string (Status checks its range)."""
    if "code" not in table:
        return None
    value = table["code"]
    if isinstance(value, bool) or not isinstance(value, int | str):
        _fail(_join(where, "code"), f"expected an integer or a string, got {kind_of(value)}")
    return value


def _bool(table: Mapping[str, Any], key: str, where: str, default: bool = False) -> bool:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, bool):
        _fail(_join(where, key), f"expected true or false, got {kind_of(value)}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        _fail(where, f"expected a list, got {kind_of(value)}")
    return list(value)


def _names(value: object, where: str) -> list[str]:
    """A string or a list of strings."""
    if isinstance(value, str):
        return [value]
    return [_str(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where))]


def _duration(value: object, where: str) -> Duration:
    if not isinstance(value, str):
        _fail(where, f"expected a duration string such as '4 days', got {kind_of(value)}")
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise LoadError(str(exc), key=where) from exc
    except (ValueError, OverflowError):  # a number too long for Python to read
        _fail(where, f"can't read the duration {show(value)}")


def _durations(value: object, where: str) -> list[Duration]:
    if isinstance(value, str):
        return [_duration(value, where)]
    return [_duration(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where))]


def _fractions(value: object, where: str) -> list[float]:
    out: list[float] = []
    for i, v in enumerate(_list(value, where)):
        if isinstance(v, bool) or not isinstance(v, int | float):
            _fail(f"{where}[{i}]", f"expected a fraction such as 0.75, got {kind_of(v)}")
        out.append(v)
    return out


def _registered(registry: Registry) -> str:
    return ", ".join(sorted(registry)) or "none"


def _callable(name: object, what: str, where: str, registry: Registry) -> Callable[..., Any]:
    text = _str(name, where)
    found = registry.get(text)
    if found is None:
        _fail(where, f"unknown {what} {text!r} (registered: {_registered(registry)})")
    if isinstance(found, BusinessCalendar) or not callable(found):
        _fail(where, f"{what} {text!r} is registered as {found!r}, which is not callable")
    return found


class _Reader:
    """Holds the registry, the calendars defined in the document and the stand-in maker."""

    def __init__(
        self,
        registry: Registry,
        calendars: dict[str, BusinessCalendar],
        stand_in: StandIn | None = None,
    ) -> None:
        self.registry = registry
        self.calendars = calendars
        self.stand_in = stand_in

    def named_callable(self, name: object, what: str, where: str) -> Callable[..., Any]:
        """The registered callable ``name``, or its stand-in when unregistered and there is one."""
        if self.stand_in is not None and isinstance(name, str) and name not in self.registry:
            return self.stand_in(what, name)
        return _callable(name, what, where, self.registry)

    def calendar(self, value: object, where: str) -> Any:
        name = _str(value, where)
        if name in self.calendars:
            return self.calendars[name]
        if name in self.registry:
            found = self.registry[name]
            if isinstance(found, BusinessCalendar) or callable(found):
                return found
            _fail(where, f"calendar {name!r} is registered as {found!r}, not a calendar")
        if name == ALWAYS_OPEN_NAME:
            return ALWAYS_OPEN
        if self.stand_in is not None:
            return self.stand_in("calendar", name)
        defined = ", ".join(sorted(self.calendars)) or "none"
        _fail(
            where,
            f"unknown calendar {name!r} (defined: {defined}; "
            f"registered: {_registered(self.registry)}; built in: {ALWAYS_OPEN_NAME})",
        )

    def status(self, value: object, where: str) -> Status:
        t = _table(value, where, _STATUS_KEYS)
        return Status(
            _str(_required(t, "name", where), _join(where, "name")),
            category=_str(t["category"], _join(where, "category"))
            if "category" in t
            else _DEFAULT_CATEGORY,
            initial=_bool(t, "initial", where),
            terminal=_bool(t, "terminal", where),
            label=_opt_str(t, "label", where),
            description=_opt_str(t, "description", where),
            code=_code(t, where),
        )

    def effect(self, value: object, where: str) -> Effect:
        if isinstance(value, str):
            return Effect(value)
        t = _table(value, where, _EFFECT_KEYS)
        data = t.get("data")
        if data is not None:
            if not isinstance(data, Mapping):
                _fail(_join(where, "data"), f"expected a table, got {kind_of(data)}")
            data = _copy(data, _join(where, "data"), json_only=True)
        return Effect(
            _str(_required(t, "kind", where), _join(where, "kind")),
            name=_opt_str(t, "name", where),
            data=data,
        )

    def transition(self, value: object, where: str) -> Transition:
        t = _table(value, where, _TRANSITION_KEYS)
        source_key = _join(where, "source")
        kw: dict[str, Any] = {
            "target": _opt_str(t, "target", where),
            "restarts_timers": _bool(t, "restarts_timers", where),
            "label": _opt_str(t, "label", where),
        }
        if "roles" in t:
            kw["roles"] = _names(t["roles"], _join(where, "roles"))
        if "guard" in t:
            kw["guard"] = self.named_callable(t["guard"], "guard", _join(where, "guard"))
        if "effects" in t:
            effects_key = _join(where, "effects")
            items = [t["effects"]] if isinstance(t["effects"], str) else t["effects"]
            kw["effects"] = [
                self.effect(e, f"{effects_key}[{i}]")
                for i, e in enumerate(_list(items, effects_key))
            ]
        if "sub_status" in t:
            sub, sub_key = t["sub_status"], _join(where, "sub_status")
            if isinstance(sub, str):
                kw["sub_status"] = sub
            else:
                sub_table = _table(sub, sub_key, ("function",))
                fn_key = _join(sub_key, "function")
                function = _required(sub_table, "function", sub_key)
                kw["sub_status"] = self.named_callable(function, "sub_status function", fn_key)
        if "set_attrs" in t:
            kw["set_attrs"] = self.set_attrs(t["set_attrs"], _join(where, "set_attrs"))
        return Transition(
            _str(_required(t, "event", where), _join(where, "event")),
            source=_names(_required(t, "source", where), source_key),
            **kw,
        )

    def set_attrs(self, value: object, where: str) -> object:
        """Attribute names (one string or a list), or ``{function = "name"}``."""
        if isinstance(value, Mapping):
            table = _table(value, where, ("function",))
            fn_key = _join(where, "function")
            function = _required(table, "function", where)
            return self.named_callable(function, "set_attrs function", fn_key)
        return _names(value, where)

    def timer(self, value: object, where: str) -> Timer:
        t = _table(value, where, _TIMER_KEYS)
        if "at" in t and "after" in t:
            _fail(where, "give exactly one of 'after' and 'at', not both")
        if "at" in t:
            when: dict[str, Any] = {"at": _str(t["at"], _join(where, "at"))}
        else:
            when = {"after": _duration(_required(t, "after", where), _join(where, "after"))}
        return Timer(
            _str(_required(t, "status", where), _join(where, "status")),
            **when,
            event=_str(_required(t, "event", where), _join(where, "event")),
            reminders=_durations(t.get("reminders", []), _join(where, "reminders")),
            remind_before=_durations(t.get("remind_before", []), _join(where, "remind_before")),
            calendar=self.calendar(t["calendar"], _join(where, "calendar"))
            if "calendar" in t
            else None,
        )

    def trigger(self, value: object, where: str) -> Trigger:
        """An event name, or ``{event = ..., roles = [...], guard = "name"}``."""
        if isinstance(value, str):
            return value
        t = _table(value, where, _ON_KEYS)
        roles = _names(t["roles"], _join(where, "roles")) if "roles" in t else None
        guard = (
            self.named_callable(t["guard"], "guard", _join(where, "guard"))
            if "guard" in t
            else None
        )
        return On(_str(_required(t, "event", where), _join(where, "event")), roles, guard)

    def triggers(self, value: object, where: str) -> list[Trigger]:
        """One trigger or a list of them."""
        if isinstance(value, str | Mapping):
            return [self.trigger(value, where)]
        return [self.trigger(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where))]

    def sla(self, value: object, where: str) -> SLA:
        t = _table(value, where, _SLA_KEYS)
        when = None
        if "when" in t:
            when_key = _join(where, "when")
            when = {}
            for key, wanted in _mapping(t["when"], when_key).items():
                if not isinstance(key, str):
                    _fail(when_key, f"key {show(key)} is not a string")
                values = wanted if isinstance(wanted, list | tuple) else [wanted]
                for v in values:
                    if not isinstance(v, _SCALARS):
                        _fail(_join(when_key, key), f"expected values, got {v!r}")
                when[key] = set(values)
        pause = _DEFAULT_PAUSE
        if "pause_in" in t:
            pause = frozenset(_names(t["pause_in"], _join(where, "pause_in")))
        return SLA(
            _str(_required(t, "name", where), _join(where, "name")),
            target=_duration(_required(t, "target", where), _join(where, "target")),
            when=when,
            calendar=self.calendar(t["calendar"], _join(where, "calendar"))
            if "calendar" in t
            else None,
            start_on=self.trigger(t["start_on"], _join(where, "start_on"))
            if "start_on" in t
            else None,
            stop_on=self.triggers(t.get("stop_on", []), _join(where, "stop_on")),
            restart_on=self.triggers(t.get("restart_on", []), _join(where, "restart_on")),
            pause_on=self.triggers(t.get("pause_on", []), _join(where, "pause_on")),
            resume_on=self.triggers(t.get("resume_on", []), _join(where, "resume_on")),
            pause_in=pause,
            warn_at=_fractions(t.get("warn_at", []), _join(where, "warn_at")),
            warn_before=_durations(t.get("warn_before", []), _join(where, "warn_before")),
            escalate_after=_durations(t.get("escalate_after", []), _join(where, "escalate_after")),
        )


def _date(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    _fail(where, f"expected a date 'YYYY-MM-DD', got {kind_of(value)}")


def _intervals(value: object, where: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, pair in enumerate(_list(value, where)):
        at = f"{where}[{i}]"
        items = _list(pair, at)
        if len(items) != _PAIR:
            _fail(at, f"expected a [start, end] pair, got {pair!r}")
        out.append((_str(items[0], f"{at}[0]"), _str(items[1], f"{at}[1]")))
    return out


def _holiday(value: object, where: str) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return _date(value, where) if _ISO_DATE.match(value) else value
    t = _table(value, where, _HOLIDAY_KEYS)
    observed = _bool(t, "observed", where, default=True)
    market = _opt_str(t, "market", where)
    country = _opt_str(t, "country", where)
    subdiv = _opt_str(t, "subdiv", where)
    try:
        if market is not None:
            return country_holidays(country or market, subdiv, market=market, observed=observed)
        if country is None:
            _fail(where, "a holiday table needs 'country' or 'market'")
        return country_holidays(country, subdiv, observed=observed)
    except CalendarError as exc:
        raise LoadError(str(exc), key=where) from exc


def _calendar(value: object, where: str) -> BusinessCalendar:
    t = _table(value, where, _CALENDAR_KEYS)
    hours: dict[str, Any] | None = None
    if "hours" in t and "weekdays" in t:
        _fail(where, "give either 'hours' or 'weekdays', not both")
    if "weekdays" in t:
        pair = _intervals([t["weekdays"]], _join(where, "weekdays"))[0]
        hours = dict(weekdays(*pair))
    elif "hours" in t:
        hours_key = _join(where, "hours")
        day_table = _mapping(t["hours"], hours_key)
        hours = {
            _str(day, hours_key): _intervals(v, _join(hours_key, str(day)))
            for day, v in day_table.items()
        }
    holidays_key = _join(where, "holidays")
    holidays = [
        _holiday(h, f"{holidays_key}[{i}]")
        for i, h in enumerate(_list(t.get("holidays", []), holidays_key))
    ]
    overrides: dict[date, list[tuple[str, str]]] = {}
    if "overrides" in t:
        over_key = _join(where, "overrides")
        for day, ivs in _mapping(t["overrides"], over_key).items():
            day_key = _join(over_key, str(day))
            overrides[_date(day, day_key)] = _intervals(ivs, day_key)
    timezone = _str(t.get("timezone", "UTC"), _join(where, "timezone"))
    for i, h in enumerate(holidays):
        if isinstance(h, str):
            try:
                to_sources([h])
            except CalendarError as exc:
                raise LoadError(str(exc), key=f"{holidays_key}[{i}]") from exc
    try:
        return BusinessCalendar(timezone, hours, holidays, overrides)
    except CalendarError as exc:
        raise LoadError(str(exc), key=where) from exc


def check_registry(registry: object) -> dict[str, object]:
    """The registry as a dict of names, or a LoadError naming what is wrong."""
    if registry is None:
        return {}
    if not isinstance(registry, Mapping):
        _fail(None, f"registry must be a mapping of names, got {show(registry)}")
    out = dict(registry)
    for name in out:
        if not isinstance(name, str):
            _fail(None, f"registry name {show(name)} is not a string")
    return out


def read_definitions(
    data: Mapping[str, Any],
    *,
    registry: Registry | None = None,
    stand_in: StandIn | None = None,
) -> dict[str, Any]:
    """A workflow's constructor arguments read from plain data (a workflow file's structure).

    Names of guards, ``sub_status`` functions and calendars are looked up in
    ``registry`` once, now; ``calendar`` names may also refer to the
    document's own ``calendars`` table or to ``"always_open"``. With
    ``stand_in``, a name found in none of those is what ``stand_in(kind, name)``
    makes, never an error. ``data`` is
    copied first, within ``MAX_DATA_NODES`` values and ``MAX_DEPTH`` levels,
    so nothing of it is kept or shared.

    Raises:
        LoadError: naming the unknown key, wrong type, bad duration or
            unregistered name, and where it is.
    """
    reg = check_registry(registry)
    top = _table(_copy(data, "", json_only=False), "", _TOP_KEYS)
    calendars: dict[str, BusinessCalendar] = {}
    if "calendars" in top:
        for name, definition in _mapping(top["calendars"], "calendars").items():
            where = f"calendars.{_str(name, 'calendars')}"
            if name in reg:
                _fail(where, f"calendar {name!r} is both defined here and registered")
            calendars[name] = _calendar(definition, where)
    reader = _Reader(reg, calendars, stand_in)

    def items(key: str, read: Callable[[object, str], Any]) -> list[Any]:
        return [read(v, f"{key}[{i}]") for i, v in enumerate(_list(top.get(key, []), key))]

    return {
        "name": _str(_required(top, "name", ""), "name"),
        "statuses": items("statuses", reader.status),
        "transitions": items("transitions", reader.transition),
        "timers": items("timers", reader.timer),
        "slas": items("slas", reader.sla),
        "calendar": reader.calendar(top["calendar"], "calendar") if "calendar" in top else None,
        "description": _opt_str(top, "description", ""),
        "version": _opt_str(top, "version", ""),
    }


# --- writing ------------------------------------------------------------------------------


class _Writer:
    """Names callables and calendars while a workflow is written out."""

    def __init__(self, registry: Registry) -> None:
        self.names: dict[int, str] = {}
        for name, value in registry.items():
            self.names.setdefault(id(value), name)
        self.taken = set(registry) | {ALWAYS_OPEN_NAME}
        self.calendars: dict[str, dict[str, Any]] = {}
        self.calendar_names: dict[int, str] = {}

    def callable_name(self, fn: object, what: str, where: str) -> str:
        if id(fn) in self.names:
            return self.names[id(fn)]
        name = getattr(fn, "__name__", None)
        if not isinstance(name, str) or not name.isidentifier():
            _fail(
                where,
                f"{what} {fn!r} has no usable name; put it in registry= under the name "
                "the file should use",
            )
        return name

    def calendar(self, cal: object, where: str) -> str:
        if id(cal) in self.names:
            return self.names[id(cal)]
        if cal is ALWAYS_OPEN:
            return ALWAYS_OPEN_NAME
        if not isinstance(cal, BusinessCalendar):
            return self.callable_name(cal, "calendar function", where)
        if id(cal) in self.calendar_names:
            return self.calendar_names[id(cal)]
        name, n = "calendar", 1
        while name in self.taken:
            n += 1
            name = f"calendar_{n}"
        self.taken.add(name)
        self.calendar_names[id(cal)] = name
        self.calendars[name] = calendar_to_dict(cal, f"calendars.{name}")
        return name


def _duration_text(d: Duration | timedelta, where: str) -> str:
    if isinstance(d, Duration):
        return str(d)
    if d % timedelta(minutes=1):
        _fail(where, f"duration {d!r} is not a whole number of minutes")
    return describe(d)


def calendar_to_dict(cal: BusinessCalendar, where: str = "calendar") -> dict[str, Any]:
    """A calendar's definition as plain data (timezone, hours, holidays, overrides).

    Raises:
        LoadError: when a holiday source is neither a country or market,
            explicit dates nor an RRULE string.
    """
    out: dict[str, Any] = {"timezone": cal.timezone}
    out["hours"] = {day: [list(iv) for iv in ivs] for day, ivs in cal.hours.items()}
    holidays: list[Any] = []
    for i, source in enumerate(cal.holidays):
        if isinstance(source, CountryHolidays):
            item: dict[str, Any] = {}
            if source.market is not None:
                item["market"] = source.market
                if source.country != source.market:
                    item["country"] = source.country
            else:
                item["country"] = source.country
                if source.subdiv is not None:
                    item["subdiv"] = source.subdiv
            if not source.observed:
                item["observed"] = False
            holidays.append(item)
        elif isinstance(source, DateHolidays):
            holidays.extend(d.isoformat() for d in source.all_dates)
        elif isinstance(source, RRuleHolidays):
            holidays.append(source.text)
        else:
            _fail(
                f"{where}.holidays[{i}]",
                f"holiday source {source!r} cannot be written as data "
                "(use country_holidays, dates or RRULE strings)",
            )
    if holidays:
        out["holidays"] = holidays
    if cal.overrides:
        out["overrides"] = {
            d.isoformat(): [list(iv) for iv in ivs] for d, ivs in cal.overrides.items()
        }
    return out


def _status_dict(s: Status) -> dict[str, Any]:
    out: dict[str, Any] = {"name": s.name}
    if s.category != _DEFAULT_CATEGORY:
        out["category"] = s.category
    if s.initial:
        out["initial"] = True
    if s.terminal:
        out["terminal"] = True
    if s.label is not None:
        out["label"] = s.label
    if s.description is not None:
        out["description"] = s.description
    if s.code is not None:
        out["code"] = s.code
    return out


def _transition_dict(t: Transition, where: str, w: _Writer) -> dict[str, Any]:
    out: dict[str, Any] = {"event": t.event}
    out["source"] = t.source[0] if len(t.source) == 1 else list(t.source)
    if t.target is not None:
        out["target"] = t.target
    if t.roles is not None:
        out["roles"] = sorted(t.roles)
    if t.guard is not None:
        out["guard"] = w.callable_name(t.guard, "guard", f"{where}.guard")
    if t.effects:
        out["effects"] = [_effect_dict(e) for e in t.effects]
    if isinstance(t.sub_status, str):
        out["sub_status"] = t.sub_status
    elif t.sub_status is not None:
        fn = w.callable_name(t.sub_status, "sub_status function", f"{where}.sub_status")
        out["sub_status"] = {"function": fn}
    if t.restarts_timers:
        out["restarts_timers"] = True
    if t.label is not None:
        out["label"] = t.label
    if callable(t.set_attrs):
        fn = w.callable_name(t.set_attrs, "set_attrs function", f"{where}.set_attrs")
        out["set_attrs"] = {"function": fn}
    elif t.set_attrs is not None:
        out["set_attrs"] = list(t.set_attrs)
    return out


def _effect_dict(e: Effect) -> str | dict[str, Any]:
    if e.name is None and e.data is None:
        return e.kind
    out: dict[str, Any] = {"kind": e.kind}
    if e.name is not None:
        out["name"] = e.name
    if e.data is not None:
        out["data"] = e.data  # copied with everything else, within the bounds
    return out


def _timer_dict(tm: Timer, where: str, w: _Writer) -> dict[str, Any]:
    out: dict[str, Any] = {"status": tm.status}
    if tm.after is not None:
        out["after"] = _duration_text(tm.after, f"{where}.after")
    else:
        out["at"] = tm.at
    out["event"] = tm.event
    for key in ("reminders", "remind_before"):
        values = getattr(tm, key)
        if values:
            out[key] = [_duration_text(d, f"{where}.{key}[{i}]") for i, d in enumerate(values)]
    if tm.calendar is not None:
        out["calendar"] = w.calendar(tm.calendar, f"{where}.calendar")
    return out


def _sorted_values(values: frozenset[Any]) -> list[Any]:
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _trigger_order(trigger: Trigger) -> tuple[str, int, list[str]]:
    """Plain names first, then each event's On triggers by their roles."""
    if isinstance(trigger, str):
        return (trigger, 0, [])
    return (trigger.event, 1, sorted(trigger.roles or ()))


def _trigger_out(trigger: Trigger, where: str, w: _Writer) -> str | dict[str, Any]:
    if isinstance(trigger, str):
        return trigger
    out: dict[str, Any] = {"event": trigger.event}
    if trigger.roles is not None:
        out["roles"] = sorted(trigger.roles)
    if trigger.guard is not None:
        out["guard"] = w.callable_name(trigger.guard, "guard", f"{where}.guard")
    return out


def _sla_dict(sla: SLA, where: str, w: _Writer) -> dict[str, Any]:
    out: dict[str, Any] = {"name": sla.name}
    out["target"] = _duration_text(sla.target, f"{where}.target")
    if sla.when is not None:
        out["when"] = {
            k: (next(iter(v)) if len(v) == 1 else _sorted_values(v)) for k, v in sla.when.items()
        }
    if sla.calendar is not None:
        out["calendar"] = w.calendar(sla.calendar, f"{where}.calendar")
    if sla.start_on is not None:
        out["start_on"] = _trigger_out(sla.start_on, f"{where}.start_on", w)
    for key in ("stop_on", "restart_on", "pause_on", "resume_on"):
        triggers = sorted(getattr(sla, key), key=_trigger_order)
        if triggers:
            out[key] = [_trigger_out(tr, f"{where}.{key}", w) for tr in triggers]
    if sla.pause_in != _DEFAULT_PAUSE:
        out["pause_in"] = sorted(sla.pause_in)
    if sla.warn_at:
        out["warn_at"] = list(sla.warn_at)
    for key in ("warn_before", "escalate_after"):
        values = getattr(sla, key)
        if values:
            out[key] = [_duration_text(d, f"{where}.{key}[{i}]") for i, d in enumerate(values)]
    return out


def to_dict(wf: Definitions, *, registry: Registry | None = None) -> dict[str, Any]:
    """The workflow as plain data that :func:`read_definitions` reads back.

    Guards, ``sub_status`` functions and calendar functions are written by
    the name they have in ``registry``, else by their ``__name__``; business
    calendars not in ``registry`` are written out under ``calendars``.

    Raises:
        LoadError: naming a callable without a usable name, a duration that
            is not whole minutes, a holiday source that is not data, or a
            value that is not JSON (effect ``data``, SLA ``when`` values).
    """
    w = _Writer(check_registry(registry))
    out: dict[str, Any] = {"name": wf.name}
    if wf.description is not None:
        out["description"] = wf.description
    calendar = None if wf.calendar is None else w.calendar(wf.calendar, "calendar")
    statuses = [_status_dict(s) for s in wf.statuses]
    transitions = [
        _transition_dict(t, f"transitions[{i}]", w) for i, t in enumerate(wf.transitions)
    ]
    timers = [_timer_dict(tm, f"timers[{i}]", w) for i, tm in enumerate(wf.timers)]
    slas = [_sla_dict(s, f"slas[{i}]", w) for i, s in enumerate(wf.slas)]
    if calendar is not None:
        out["calendar"] = calendar
    if w.calendars:
        out["calendars"] = w.calendars
    out["statuses"] = statuses
    out["transitions"] = transitions
    if timers:
        out["timers"] = timers
    if slas:
        out["slas"] = slas
    copied: dict[str, Any] = _copy(out, "", json_only=True)
    return copied


# --- files --------------------------------------------------------------------------------

_LINE = re.compile(r"line (\d+)")
_LONG_NUMBER = re.compile(f"[0-9_]{{{_INT_DIGITS + 1},}}")
_BOM = b"\xef\xbb\xbf"
_SUFFIXES = (".toml", ".json", ".yaml", ".yml")
#: Characters after which a value can start, per format: an upper bound on the values
#: a document holds, counted before its pure-Python parser runs (keys count twice in
#: YAML, where they are values too).
_STARTS = {
    ".toml": ("=", ",", "[", "."),
    ".yaml": (":", ":", ",", ",", "?", "?", "-", "[", "{"),
}
_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_path(path: object) -> Path:
    """``path`` as a Path with a known suffix, or a LoadError."""
    if not isinstance(path, str | os.PathLike):
        _fail(None, f"path must be a str or os.PathLike, got {show(path)}")
    try:
        text = os.fspath(path)
    except TypeError as exc:  # a PathLike whose __fspath__ returns something else
        _fail(None, f"path {show(path)} is not usable: {exc}")
    if not isinstance(text, str):
        _fail(None, f"path must be text, got {show(text)}")
    file = Path(text)
    if file.suffix.lower() not in _SUFFIXES:
        raise LoadError(
            f"unknown file type {file.suffix or '(none)'!r} (use .toml, .json, .yaml or .yml)",
            path=text,
        )
    return file


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    for test, words in _FILE_KINDS:
        if test(mode):
            return words
    return "not a regular file"


def read_bytes(file: Path) -> bytes:
    """The file's bytes: a regular file of at most ``MAX_FILE_BYTES``, read without blocking."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(file, flags)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise LoadError(f"can't read the file: {exc}", path=str(file)) from None
    try:
        info = os.fstat(fd)
        kind = _not_regular(info.st_mode)
        if kind is not None:
            raise LoadError(
                f"can't read the file: it is {kind}, not a regular file", path=str(file)
            )
        if info.st_size > MAX_FILE_BYTES:
            _too_big(file, info.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            _too_big(file, size)
        return b"".join(chunks)
    except OSError as exc:
        raise LoadError(f"can't read the file: {exc}", path=str(file)) from None
    finally:
        os.close(fd)


def _too_big(file: Path, size: int) -> NoReturn:
    more = "at least" if size == MAX_FILE_BYTES + 1 else "a size of"
    raise LoadError(
        f"the file is larger than {MAX_FILE_BYTES:,} bytes "
        f"(MAX_FILE_BYTES; it has {more} {size:,})",
        path=str(file),
    )


def decode(file: Path, raw: bytes) -> str:
    """The text of a UTF-8 file without a byte order mark, or a LoadError naming the line."""
    if raw.startswith(_BOM):
        raise LoadError(
            "the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without one",
            path=str(file),
            line=1,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadError(
            f"not valid UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start} ({exc.reason})",
            path=str(file),
            line=line,
        ) from None


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def parse_text(path: Path, text: str) -> Any:
    """The data of a file's text in the format its suffix names, within the bounds."""
    suffix = path.suffix.lower()
    suffix = ".yaml" if suffix == ".yml" else suffix
    marks = _STARTS.get(suffix)
    if marks is not None:
        estimate = 1 + sum(text.count(mark) for mark in marks)
        if estimate > MAX_DATA_NODES:
            raise LoadError(
                f"too many values to read: its punctuation allows up to {estimate:,}, more than "
                f"{MAX_DATA_NODES:,} (MAX_DATA_NODES)",
                path=str(path),
            )
    if suffix == ".toml":
        return _parse_toml(path, text)
    if suffix == ".json":
        return _parse_json(path, text)
    return _parse_yaml(path, text)


def _parse_toml(path: Path, text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        raise LoadError(f"not valid TOML: {exc}", path=str(path), line=line) from None
    except RecursionError:
        raise LoadError(_TOO_DEEP, path=str(path)) from None
    except ValueError as exc:  # an integer past Python's digit limit
        long = _LONG_NUMBER.search(text)
        line = _line_of(text, long.start()) if long else None
        raise LoadError(f"not valid TOML: {exc}", path=str(path), line=line) from None


_TOO_DEEP = f"nested too deeply to read (at most {MAX_DEPTH} levels, MAX_DEPTH)"


def _json_pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    table = _Pairs(pairs)
    if len(table) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                table.duplicate = key
                break
            seen.add(key)
    return table


def _json_int(text: str) -> int | _Bad:
    if len(text.lstrip("-")) > _INT_DIGITS:
        return _Bad(f"a number with {len(text):,} digits has more than {_INT_DIGITS}")
    return int(text)


def _json_constant(name: str) -> _Bad:
    return _Bad(f"{name} is not a JSON number")


def _parse_json(path: Path, text: str) -> Any:
    try:
        return json.loads(
            text,
            object_pairs_hook=_json_pairs,
            parse_int=_json_int,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as exc:
        raise LoadError(f"not valid JSON: {exc.msg}", path=str(path), line=exc.lineno) from None
    except RecursionError:
        raise LoadError(_TOO_DEEP, path=str(path)) from None


def _parse_yaml(path: Path, text: str) -> Any:
    yaml = yaml_module(path)
    try:
        return yaml.load(text, Loader=_yaml_loader(yaml))  # a safe loader: see _yaml_loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise LoadError(f"not valid YAML: {problem}", path=str(path), line=line) from None
    except RecursionError:
        raise LoadError(_TOO_DEEP, path=str(path)) from None


_YAML_LOADERS: dict[int, Any] = {}
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _yaml_loader(yaml: Any) -> Any:
    """A safe YAML loader (libyaml's when there is one) within the bounds.

    Beyond ``yaml.SafeLoader``: a duplicate key, a number longer than Python
    reads, a value its constructor refuses (a year 0 date) and merge keys
    (``<<``) that would go through more than ``MAX_DATA_NODES`` pairs are
    YAML errors with a line.
    """
    cached = _YAML_LOADERS.get(id(yaml))
    if cached is not None:
        return cached
    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    error = yaml.constructor.ConstructorError
    nodes = yaml.nodes

    class Loader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self._merges_left = MAX_DATA_NODES
            self._flattened: set[int] = set()

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError) as exc:
                raise error(None, None, f"can't read {node.tag}: {exc}", node.start_mark) from None

        def flatten_mapping(self, node: Any) -> None:
            if id(node) not in self._flattened:
                self._flattened.add(id(node))
                _check_yaml_keys(self, node, nodes, error)
            super().flatten_mapping(node)

    def construct_number(loader: Any, node: Any, parent: Any) -> Any:
        if len(node.value) > _INT_DIGITS:
            raise error(
                None,
                None,
                f"a number of {len(node.value):,} characters is too long",
                node.start_mark,
            )
        return parent(loader, node)

    for tag, parent in (
        ("tag:yaml.org,2002:int", yaml.constructor.SafeConstructor.construct_yaml_int),
        ("tag:yaml.org,2002:float", yaml.constructor.SafeConstructor.construct_yaml_float),
    ):
        Loader.add_constructor(
            tag, lambda loader, node, parent=parent: construct_number(loader, node, parent)
        )
    _YAML_LOADERS[id(yaml)] = Loader
    return Loader


def yaml_module(path: Path) -> Any:
    """The ``yaml`` module, or a LoadError saying which extra to install."""
    try:
        import yaml  # noqa: PLC0415 - pyyaml is an optional extra, imported only to read or write YAML
    except ImportError:  # pragma: no cover - the yaml extra is installed for tests
        raise LoadError(
            "reading or writing YAML needs pyyaml: pip install 'ticketflow[yaml]'", path=str(path)
        ) from None
    return yaml


def write_bytes(file: Path, raw: bytes) -> None:
    """Write ``raw`` over a regular file (made if missing), or a LoadError naming the path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(file, flags, 0o666)
    except (OSError, ValueError) as exc:
        kind = None
        with contextlib.suppress(OSError, ValueError):
            kind = _not_regular(os.stat(file).st_mode)
        reason = f"it is {kind}, not a regular file" if kind is not None else str(exc)
        raise LoadError(f"can't write the file: {reason}", path=str(file)) from None
    try:
        kind = _not_regular(os.fstat(fd).st_mode)
        if kind is not None:
            raise LoadError(
                f"can't write the file: it is {kind}, not a regular file", path=str(file)
            )
        os.ftruncate(fd, 0)
        view = memoryview(raw)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise LoadError(f"can't write the file: {exc}", path=str(file)) from None
    finally:
        os.close(fd)


# --- a TOML writer for this schema ------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


def _check_yaml_keys(loader: Any, node: Any, nodes: Any, error: Any) -> None:
    """Refuse a duplicate key in a YAML mapping node, and count the pairs its merges bring."""
    seen: set[tuple[str, str]] = set()
    for key, value in node.value:
        if key.tag == _MERGE_TAG:
            _count_yaml_merge(loader, key, value, nodes, error)
        elif isinstance(key, nodes.ScalarNode):
            if (key.tag, key.value) in seen:
                raise error(None, None, f"duplicate key {key.value!r}", key.start_mark)
            seen.add((key.tag, key.value))


def _count_yaml_merge(loader: Any, key: Any, value: Any, nodes: Any, error: Any) -> None:
    """Flatten the mappings a merge key (``<<``) names, within ``MAX_DATA_NODES`` pairs."""
    merged = value.value if isinstance(value, nodes.SequenceNode) else [value]
    for sub in merged:
        if isinstance(sub, nodes.MappingNode):
            loader.flatten_mapping(sub)
            loader._merges_left -= len(sub.value)
    if loader._merges_left < 0:
        raise error(
            None,
            None,
            f"merge keys (<<) go through more than {MAX_DATA_NODES:,} pairs (MAX_DATA_NODES)",
            key.start_mark,
        )


def _toml_str(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; TOML also bars DEL
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _toml_str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _toml_float(value)
    if isinstance(value, Mapping):
        inner = ", ".join(
            f"{_toml_key(str(k))} = {_toml_value(v, _join(where, str(k)))}"
            for k, v in value.items()
        )
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v, f"{where}[{i}]") for i, v in enumerate(value)) + "]"
    _fail(where, f"{value!r} cannot be written as TOML")


def _toml_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def to_toml(data: Mapping[str, Any]) -> str:
    """TOML text for plain workflow data: top-level tables and arrays of tables.

    Raises:
        LoadError: naming a value TOML cannot hold (None, for one).
    """
    head: list[str] = []
    tail: list[str] = []
    for key, value in data.items():
        k = _toml_key(key)
        values = value.values() if isinstance(value, Mapping) else ()
        if values and all(isinstance(v, Mapping) for v in values):
            for sub, table in value.items():
                tail.append(f"\n[{k}.{_toml_key(sub)}]")
                tail.extend(
                    f"{_toml_key(kk)} = {_toml_value(vv, f'{key}.{sub}.{kk}')}"
                    for kk, vv in table.items()
                )
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for i, table in enumerate(value):
                tail.append(f"\n[[{k}]]")
                tail.extend(
                    f"{_toml_key(kk)} = {_toml_value(vv, f'{key}[{i}].{kk}')}"
                    for kk, vv in table.items()
                )
        else:
            head.append(f"{k} = {_toml_value(value, key)}")
    return "\n".join(head + tail) + "\n"
