"""Workflows as plain data: read from and written to dicts, TOML, JSON and YAML.

Theory of operation: a workflow file is the same tree of tables, lists,
strings, numbers and booleans in every format. :func:`from_dict` walks it
once, checking every key and type and naming the place of the first problem
(``transitions[3].guard``), and builds the ordinary value objects; the
:class:`~ticketflow.Workflow` they make then validates itself as usual.

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

import json
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from ._calendar import ALWAYS_OPEN, BusinessCalendar, weekdays
from ._durations import Duration, describe, parse_duration
from ._errors import CalendarError, DurationError, LoadError, WorkflowError
from ._holidays import (
    CountryHolidays,
    _DateHolidays,
    _RRuleHolidays,
    country_holidays,
    to_sources,
)
from ._sla import SLA
from ._ticket import Effect
from ._workflow import Status, Timer, Transition

if TYPE_CHECKING:
    import os

    from ._workflow import Workflow

__all__ = ["Registry", "dump", "from_dict", "load", "to_dict"]

#: Names -> guards, ``sub_status`` callables and calendars (a ``BusinessCalendar``
#: or a callable ``(attrs) -> BusinessCalendar``).
Registry: TypeAlias = Mapping[str, object]

#: The calendar name that is always known: ``ALWAYS_OPEN``.
ALWAYS_OPEN_NAME = "always_open"

_TOP_KEYS: tuple[str, ...] = ("name", "description", "calendar", "calendars", "statuses")
_TOP_KEYS += ("transitions", "timers", "slas")
_STATUS_KEYS = ("name", "category", "initial", "terminal", "label", "description")
_TRANSITION_KEYS: tuple[str, ...] = ("event", "source", "target", "roles", "guard", "effects")
_TRANSITION_KEYS += ("sub_status", "restarts_timers", "label")
_EFFECT_KEYS = ("kind", "name", "data")
_TIMER_KEYS = ("status", "after", "event", "reminders", "remind_before", "calendar")
_SLA_KEYS: tuple[str, ...] = ("name", "target", "when", "calendar", "start_on", "stop_on")
_SLA_KEYS += ("restart_on", "pause_in")
_CALENDAR_KEYS = ("timezone", "hours", "weekdays", "holidays", "overrides")
_HOLIDAY_KEYS = ("country", "subdiv", "market", "observed")
_DEFAULT_PAUSE = frozenset({"pending", "on_hold"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCALARS = (str, int, float, bool, type(None))


# --- reading ------------------------------------------------------------------------------


def _fail(where: str | None, message: str) -> NoReturn:
    raise LoadError(message, key=where or None)


def _mapping(value: object, where: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        _fail(where, f"expected a table, got {_kind(value)}")
    return value


def _kind(value: object) -> str:
    names = {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}
    for cls, word in names.items():
        if isinstance(value, cls):
            return f"{word} ({value!r})" if cls in (str, bool) else word
    return f"{type(value).__name__} {value!r}"


def _table(value: object, where: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _fail(where, f"expected a table, got {_kind(value)}")
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
        _fail(where, f"expected a string, got {_kind(value)}")
    return value


def _opt_str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    return None if key not in table else _str(table[key], _join(where, key))


def _bool(table: Mapping[str, Any], key: str, where: str, default: bool = False) -> bool:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, bool):
        _fail(_join(where, key), f"expected true or false, got {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        _fail(where, f"expected a list, got {_kind(value)}")
    return list(value)


def _names(value: object, where: str) -> list[str]:
    """A string or a list of strings."""
    if isinstance(value, str):
        return [value]
    return [_str(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where))]


def _duration(value: object, where: str) -> Duration:
    if not isinstance(value, str):
        _fail(where, f"expected a duration string such as '4 days', got {_kind(value)}")
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise LoadError(str(exc), key=where) from exc


def _durations(value: object, where: str) -> list[Duration]:
    if isinstance(value, str):
        return [_duration(value, where)]
    return [_duration(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where))]


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
    """Holds the registry and the calendars defined in the document."""

    def __init__(self, registry: Registry, calendars: dict[str, BusinessCalendar]) -> None:
        self.registry = registry
        self.calendars = calendars

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
            category=_opt_str(t, "category", where) or "open",
            initial=_bool(t, "initial", where),
            terminal=_bool(t, "terminal", where),
            label=_opt_str(t, "label", where),
            description=_opt_str(t, "description", where),
        )

    def effect(self, value: object, where: str) -> Effect:
        if isinstance(value, str):
            return Effect(value)
        t = _table(value, where, _EFFECT_KEYS)
        data = t.get("data")
        if data is not None and not isinstance(data, Mapping):
            _fail(_join(where, "data"), f"expected a table, got {_kind(data)}")
        return Effect(
            _str(_required(t, "kind", where), _join(where, "kind")),
            name=_opt_str(t, "name", where),
            data=None if data is None else dict(data),
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
            kw["guard"] = _callable(t["guard"], "guard", _join(where, "guard"), self.registry)
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
                kw["sub_status"] = _callable(function, "sub_status function", fn_key, self.registry)
        return Transition(
            _str(_required(t, "event", where), _join(where, "event")),
            source=_names(_required(t, "source", where), source_key),
            **kw,
        )

    def timer(self, value: object, where: str) -> Timer:
        t = _table(value, where, _TIMER_KEYS)
        return Timer(
            _str(_required(t, "status", where), _join(where, "status")),
            after=_duration(_required(t, "after", where), _join(where, "after")),
            event=_str(_required(t, "event", where), _join(where, "event")),
            reminders=_durations(t.get("reminders", []), _join(where, "reminders")),
            remind_before=_durations(t.get("remind_before", []), _join(where, "remind_before")),
            calendar=self.calendar(t["calendar"], _join(where, "calendar"))
            if "calendar" in t
            else None,
        )

    def sla(self, value: object, where: str) -> SLA:
        t = _table(value, where, _SLA_KEYS)
        when = None
        if "when" in t:
            when_key = _join(where, "when")
            when = {}
            for key, wanted in _mapping(t["when"], when_key).items():
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
            start_on=_opt_str(t, "start_on", where),
            stop_on=_names(t.get("stop_on", []), _join(where, "stop_on")),
            restart_on=_names(t.get("restart_on", []), _join(where, "restart_on")),
            pause_in=pause,
        )


def _date(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    _fail(where, f"expected a date 'YYYY-MM-DD', got {_kind(value)}")


def _intervals(value: object, where: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, pair in enumerate(_list(value, where)):
        at = f"{where}[{i}]"
        items = _list(pair, at)
        if len(items) != 2:
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
        hours = {day: _intervals(v, _join(hours_key, str(day))) for day, v in day_table.items()}
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


def from_dict(data: Mapping[str, Any], *, registry: Registry | None = None) -> Workflow:
    """Build a workflow from plain data (the structure of a workflow file).

    Names of guards, ``sub_status`` functions and calendars are looked up in
    ``registry`` once, now; ``calendar`` names may also refer to the
    document's own ``calendars`` table or to ``"always_open"``.

    Raises:
        LoadError: naming the unknown key, wrong type, bad duration or
            unregistered name, and where it is.
        WorkflowError: when the workflow read is not valid.
    """
    from ._workflow import Workflow

    reg: Registry = {} if registry is None else registry
    if not isinstance(reg, Mapping):
        _fail(None, f"registry must be a mapping of names, got {reg!r}")
    top = _table(data, "", _TOP_KEYS)
    calendars: dict[str, BusinessCalendar] = {}
    if "calendars" in top:
        for name, definition in _mapping(top["calendars"], "calendars").items():
            where = f"calendars.{name}"
            if name in reg:
                _fail(where, f"calendar {name!r} is both defined here and registered")
            calendars[name] = _calendar(definition, where)
    reader = _Reader(reg, calendars)

    def items(key: str, read: Callable[[object, str], Any]) -> list[Any]:
        return [read(v, f"{key}[{i}]") for i, v in enumerate(_list(top.get(key, []), key))]

    return Workflow(
        name=_str(_required(top, "name", ""), "name"),
        statuses=items("statuses", reader.status),
        transitions=items("transitions", reader.transition),
        timers=items("timers", reader.timer),
        slas=items("slas", reader.sla),
        calendar=reader.calendar(top["calendar"], "calendar") if "calendar" in top else None,
        description=_opt_str(top, "description", ""),
    )


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


def _plain(value: Any) -> Any:
    """Mappings as dicts and tuples as lists, recursively."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


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
        elif isinstance(source, _DateHolidays):
            holidays.extend(d.isoformat() for d in source.all_dates)
        elif isinstance(source, _RRuleHolidays):
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
    if s.category != "open":
        out["category"] = s.category
    if s.initial:
        out["initial"] = True
    if s.terminal:
        out["terminal"] = True
    if s.label is not None:
        out["label"] = s.label
    if s.description is not None:
        out["description"] = s.description
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
    return out


def _effect_dict(e: Effect) -> str | dict[str, Any]:
    if e.name is None and e.data is None:
        return e.kind
    out: dict[str, Any] = {"kind": e.kind}
    if e.name is not None:
        out["name"] = e.name
    if e.data is not None:
        out["data"] = _plain(e.data)
    return out


def _timer_dict(tm: Timer, where: str, w: _Writer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "status": tm.status,
        "after": _duration_text(tm.after, f"{where}.after"),
        "event": tm.event,
    }
    for key in ("reminders", "remind_before"):
        values = getattr(tm, key)
        if values:
            out[key] = [_duration_text(d, f"{where}.{key}[{i}]") for i, d in enumerate(values)]
    if tm.calendar is not None:
        out["calendar"] = w.calendar(tm.calendar, f"{where}.calendar")
    return out


def _sorted_values(values: frozenset[Any]) -> list[Any]:
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))


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
        out["start_on"] = sla.start_on
    if sla.stop_on:
        out["stop_on"] = sorted(sla.stop_on)
    if sla.restart_on:
        out["restart_on"] = sorted(sla.restart_on)
    if sla.pause_in != _DEFAULT_PAUSE:
        out["pause_in"] = sorted(sla.pause_in)
    return out


def to_dict(wf: Workflow, *, registry: Registry | None = None) -> dict[str, Any]:
    """The workflow as plain data that :func:`from_dict` reads back.

    Guards, ``sub_status`` functions and calendar functions are written by
    the name they have in ``registry``, else by their ``__name__``; business
    calendars not in ``registry`` are written out under ``calendars``.

    Raises:
        LoadError: naming a callable without a usable name, a duration that
            is not whole minutes, or a holiday source that is not data.
    """
    w = _Writer({} if registry is None else registry)
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
    return out


# --- files --------------------------------------------------------------------------------

_LINE = re.compile(r"line (\d+)")


def _parse(path: Path, text: str) -> Any:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = _LINE.search(str(exc))
            line = int(found.group(1)) if found else None
            raise LoadError(f"not valid TOML: {exc}", path=str(path), line=line) from None
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoadError(f"not valid JSON: {exc.msg}", path=str(path), line=exc.lineno) from None
    yaml = _yaml(path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise LoadError(f"not valid YAML: {problem}", path=str(path), line=line) from None


def _yaml(path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - the yaml extra is installed for tests
        raise LoadError(
            "reading or writing YAML needs pyyaml: pip install 'ticketflow[yaml]'", path=str(path)
        ) from None
    return yaml


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() not in (".toml", ".json", ".yaml", ".yml"):
        raise LoadError(
            f"unknown file type {path.suffix or '(none)'!r} (use .toml, .json, .yaml or .yml)",
            path=str(path),
        )


def load(path: str | os.PathLike[str], *, registry: Registry | None = None) -> Workflow:
    """Read a workflow from a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file.

    Raises:
        LoadError: naming the file (and line, or key) when it cannot be read,
            parsed or understood.
        WorkflowError: when the workflow read is not valid.
    """
    file = Path(path)
    _check_suffix(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadError(f"can't read the file: {exc}", path=str(file)) from None
    data = _parse(file, text)
    if not isinstance(data, Mapping):
        raise LoadError(f"expected a table at the top, got {_kind(data)}", path=str(file))
    try:
        return from_dict(data, registry=registry)
    except LoadError as exc:
        raise LoadError(exc.detail, key=exc.key, path=str(file)) from exc
    except WorkflowError:
        raise


def dump(wf: Workflow, path: str | os.PathLike[str], *, registry: Registry | None = None) -> None:
    """Write ``wf`` to a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file (UTF-8).

    Raises:
        LoadError: naming the file for an unknown extension, or what
            :func:`to_dict` cannot write.
    """
    file = Path(path)
    _check_suffix(file)
    try:
        data = to_dict(wf, registry=registry)
        suffix = file.suffix.lower()
        if suffix == ".json":
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        elif suffix == ".toml":
            text = to_toml(data)
        else:
            text = _yaml(file).safe_dump(data, sort_keys=False, allow_unicode=True)
    except LoadError as exc:
        raise LoadError(exc.detail, key=exc.key, path=str(file)) from exc
    file.write_text(text, encoding="utf-8")


# --- a TOML writer for this schema ------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_str(key)


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
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, Mapping):
        inner = ", ".join(
            f"{_toml_key(str(k))} = {_toml_value(v, _join(where, str(k)))}"
            for k, v in value.items()
        )
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v, f"{where}[{i}]") for i, v in enumerate(value)) + "]"
    _fail(where, f"{value!r} cannot be written as TOML")


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
