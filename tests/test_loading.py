"""Workflows as plain data: from_dict, to_dict, load and dump."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ticketflow as tf
import ticketflow.presets
from tests.bounds import examples
from ticketflow._loading import to_toml
from ticketflow.testing import event_streams, workflows
from ticketflow.testing._strategies import vip_only

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "workflow.toml"

case_portal_module = importlib.import_module("ticketflow.presets.case_portal")
#: Every callable the presets use, by the name their files give it.
PRESETS_REGISTRY: dict[str, object] = {
    "waiting_for_entity": case_portal_module.waiting_for_entity,
    "first_reply_done": importlib.import_module("ticketflow.presets.zendesk_sla").first_reply_done,
}


def is_vip(ticket: tf.Ticket, context: tf.Context) -> bool:
    """The example file's guard."""
    return bool(ticket.attrs.get("vip"))


EXAMPLE_REGISTRY: dict[str, object] = {"is_vip": is_vip}


def minimal(**extra: Any) -> dict[str, Any]:
    """A small valid workflow as plain data, with ``extra`` top-level keys."""
    data: dict[str, Any] = {
        "name": "mini",
        "statuses": [
            {"name": "new", "category": "new", "initial": True},
            {"name": "done", "category": "closed", "terminal": True},
        ],
        "transitions": [{"event": "finish", "source": "new", "target": "done"}],
    }
    data.update(extra)
    return data


def load_error(data: dict[str, Any], registry: dict[str, object] | None = None) -> tf.LoadError:
    with pytest.raises(tf.LoadError) as info:
        tf.Workflow.from_dict(data, registry=registry)
    return info.value


def assert_same(a: tf.Workflow, b: tf.Workflow, registry: dict[str, object]) -> None:
    """Equal workflows whose calendars, descriptions and callables also match."""
    assert a == b
    assert a.description == b.description
    assert a.to_dict(registry=registry) == b.to_dict(registry=registry)
    for ta, tb in zip(a.transitions, b.transitions, strict=True):
        assert ta.guard is tb.guard
        assert ta.sub_status == tb.sub_status


class TestPresetRoundTrips:
    @pytest.mark.parametrize("name", ticketflow.presets.names())
    def test_from_dict_of_to_dict_equals_the_preset(self, name: str) -> None:
        """Each preset survives to_dict and from_dict, calendars and callables included."""
        wf = ticketflow.presets.get(name)
        again = tf.Workflow.from_dict(
            wf.to_dict(registry=PRESETS_REGISTRY), registry=PRESETS_REGISTRY
        )
        assert_same(wf, again, PRESETS_REGISTRY)

    @pytest.mark.parametrize("name", ticketflow.presets.names())
    @settings(
        max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(data=st.data())
    def test_the_loaded_preset_behaves_the_same(self, name: str, data: st.DataObject) -> None:
        """Replaying one event log on a preset and on its reloaded copy gives equal outcomes."""
        wf = ticketflow.presets.get(name)
        again = tf.Workflow.from_dict(
            json.loads(json.dumps(wf.to_dict(registry=PRESETS_REGISTRY))),
            registry=PRESETS_REGISTRY,
        )
        log = data.draw(event_streams(wf, valid_only=True, max_size=12))
        a, b = wf.replay(log), again.replay(log)
        assert a == b
        later = a.ticket.updated_at + timedelta(days=3)
        assert wf.sla(a.ticket, now=later) == again.sla(b.ticket, now=later)
        assert wf.advance(a.ticket, now=later) == again.advance(b.ticket, now=later)

    def test_the_preset_registry_names_the_sub_status_function(self) -> None:
        """The case portal writes its sub_status function by its registry name."""
        data = ticketflow.presets.get("case-portal").to_dict(registry=PRESETS_REGISTRY)
        subs = [t["sub_status"] for t in data["transitions"] if "sub_status" in t]
        assert subs == [{"function": "waiting_for_entity"}]

    @pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml", ".toml"])
    @pytest.mark.parametrize("name", ticketflow.presets.names())
    def test_files_round_trip(self, tmp_path: Path, name: str, suffix: str) -> None:
        """dump then load through a real file gives the same workflow back."""
        wf = ticketflow.presets.get(name)
        path = tmp_path / f"flow{suffix}"
        tf.dump(wf, path, registry=PRESETS_REGISTRY)
        assert_same(wf, tf.load(path, registry=PRESETS_REGISTRY), PRESETS_REGISTRY)


class TestToDict:
    def test_output_has_no_none_and_is_json_and_toml_safe(self) -> None:
        """Exported data holds no None, survives JSON and parses as the TOML written for it."""
        data = tf.load(EXAMPLE, registry=EXAMPLE_REGISTRY).to_dict(registry=EXAMPLE_REGISTRY)

        def walk(value: Any) -> None:
            assert value is not None
            for v in (
                value.values()
                if isinstance(value, dict)
                else value
                if isinstance(value, list)
                else ()
            ):
                walk(v)

        walk(data)
        assert json.loads(json.dumps(data)) == data
        assert tomllib.loads(to_toml(data)) == data

    def test_defaults_are_omitted(self) -> None:
        """A status, transition and SLA at their defaults write only their required keys."""
        wf = tf.Workflow(
            "w",
            statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
            transitions=[tf.Transition("go", source="a", target="b")],
            slas=[tf.SLA("s", target=tf.hours(1))],
        )
        assert wf.to_dict() == {
            "name": "w",
            "statuses": [{"name": "a", "initial": True}, {"name": "b", "terminal": True}],
            "transitions": [{"event": "go", "source": "a", "target": "b"}],
            "slas": [{"name": "s", "target": "1 hour"}],
        }

    def test_calendars_get_generated_names_or_their_registry_names(self) -> None:
        """Unregistered calendars become calendar, calendar_2; registered ones keep their name."""
        a = tf.BusinessCalendar("Europe/Madrid", tf.weekdays("09:00", "18:00"))
        b = tf.BusinessCalendar("UTC", tf.weekdays("08:00", "16:00"))
        c = tf.BusinessCalendar("Asia/Tokyo")
        wf = tf.Workflow(
            "w",
            statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
            transitions=[tf.Transition("go", source="a", target="b")],
            timers=[tf.Timer("a", after="2 business days", event="go", calendar=b)],
            slas=[tf.SLA("s", target="1 business hour", calendar=c)],
            calendar=a,
        )
        data = wf.to_dict(registry={"tokyo": c})
        assert data["calendar"] == "calendar"
        assert data["timers"][0]["calendar"] == "calendar_2"
        assert data["slas"][0]["calendar"] == "tokyo"
        assert set(data["calendars"]) == {"calendar", "calendar_2"}
        assert data["calendars"]["calendar"]["timezone"] == "Europe/Madrid"
        again = tf.Workflow.from_dict(data, registry={"tokyo": c})
        assert again.slas[0].calendar is c
        assert again.to_dict(registry={"tokyo": c}) == data

    def test_always_open_is_written_by_its_built_in_name(self) -> None:
        """ALWAYS_OPEN is written as always_open and read back as the same object."""
        wf = tf.Workflow.from_dict(minimal(calendar="always_open"))
        assert wf.calendar is tf.ALWAYS_OPEN
        assert wf.to_dict()["calendar"] == "always_open"

    def test_a_lambda_guard_cannot_be_named(self) -> None:
        """A lambda guard raises LoadError naming the transition."""
        wf = tf.Workflow.from_dict(minimal())
        flow = tf.Workflow(
            "w",
            statuses=wf.statuses,
            transitions=[
                tf.Transition("finish", source="new", target="done", guard=lambda t, c: True)
            ],
        )
        with pytest.raises(tf.LoadError, match=r"transitions\[0\]\.guard: guard <function") as info:
            flow.to_dict()
        assert info.value.key == "transitions[0].guard"
        name = flow.to_dict(registry={"always": flow.transitions[0].guard})["transitions"][0][
            "guard"
        ]
        assert name == "always"

    def test_a_holiday_source_that_is_not_data_raises(self) -> None:
        """A custom holiday source cannot be written and raises LoadError naming it."""

        class Closures:
            def dates(self, year: int) -> frozenset[date]:
                return frozenset()

        cal = tf.BusinessCalendar("UTC", holidays=[Closures()])
        wf = tf.Workflow("w", **_parts(), calendar=cal)
        with pytest.raises(tf.LoadError, match="cannot be written as data") as info:
            wf.to_dict()
        assert info.value.key == "calendars.calendar.holidays[0]"

    def test_a_timedelta_of_seconds_raises(self) -> None:
        """A timedelta that is not whole minutes cannot be written as a duration string."""
        wf = tf.Workflow("w", **_parts(), slas=[tf.SLA("s", target=timedelta(seconds=90))])
        with pytest.raises(tf.LoadError, match="whole number of minutes") as info:
            wf.to_dict()
        assert info.value.key == "slas[0].target"

    def test_a_timedelta_is_written_in_words(self) -> None:
        """timedelta(hours=48) is written as '48 hours'."""
        wf = tf.Workflow("w", **_parts(), slas=[tf.SLA("s", target=timedelta(hours=48))])
        assert wf.to_dict()["slas"][0]["target"] == "48 hours"

    def test_every_holiday_kind_is_written(self) -> None:
        """Countries, subdivisions, markets, dates and rules are written as data."""
        cal = tf.BusinessCalendar(
            "Europe/Madrid",
            holidays=[
                tf.country_holidays("ES", subdiv="MD"),
                tf.country_holidays("NYSE", financial=True),
                tf.country_holidays("US", observed=False),
                date(2026, 12, 24),
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
            ],
            overrides={date(2026, 12, 31): [], date(2026, 12, 5): [("10:00", "14:00")]},
        )
        data = tf.Workflow("w", **_parts(), calendar=cal).to_dict()["calendars"]["calendar"]
        assert data["holidays"] == [
            "2026-12-24",
            {"country": "ES", "subdiv": "MD"},
            {"market": "NYSE"},
            {"country": "US", "observed": False},
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
        ]
        assert data["overrides"] == {"2026-12-05": [["10:00", "14:00"]], "2026-12-31": []}
        again = tf.Workflow.from_dict(
            {"name": "w", **_plain_parts(), "calendar": "c", "calendars": {"c": data}}
        )
        assert again.calendar.holidays[3].observed is False  # type: ignore[union-attr]
        assert again.calendar.is_business_day(date(2026, 3, 4))  # type: ignore[union-attr]
        assert not again.calendar.is_business_day(date(2026, 3, 3))  # type: ignore[union-attr]


def _parts() -> dict[str, Any]:
    return {
        "statuses": [tf.Status("a", initial=True), tf.Status("b", terminal=True)],
        "transitions": [tf.Transition("go", source="a", target="b")],
    }


def _plain_parts() -> dict[str, Any]:
    return {
        "statuses": [{"name": "a", "initial": True}, {"name": "b", "terminal": True}],
        "transitions": [{"event": "go", "source": "a", "target": "b"}],
    }


class TestFromDict:
    def test_the_format_reads_every_key(self) -> None:
        """Every key of the format lands on the value objects."""
        data = minimal(
            description="d",
            calendar="office",
            calendars={
                "office": {
                    "timezone": "Europe/Madrid",
                    "weekdays": ["09:00", "17:00"],
                    "holidays": [{"country": "ES", "subdiv": "MD"}, {"market": "NYSE"}],
                    "overrides": {"2026-12-24": [["09:00", "13:00"]], "2026-12-31": []},
                }
            },
            statuses=[
                {"name": "new", "category": "new", "initial": True, "label": "New"},
                {"name": "waiting", "category": "pending", "description": "w"},
                {"name": "done", "category": "closed", "terminal": True},
            ],
            transitions=[
                {
                    "event": "ask",
                    "source": "new",
                    "target": "waiting",
                    "roles": ["agent"],
                    "sub_status": "vendor",
                },
                {
                    "event": "nudge",
                    "source": "*",
                    "roles": "agent",
                    "guard": "is_vip",
                    "effects": ["survey", {"kind": "notify", "name": "mail", "data": {"t": 1}}],
                    "restarts_timers": True,
                    "label": "Nudge",
                },
                {"event": "finish", "source": ["new", "waiting"], "target": "done"},
                {"event": "expire", "source": "waiting", "target": "done", "roles": ["system"]},
            ],
            timers=[
                {
                    "status": "waiting",
                    "after": "4 days",
                    "event": "expire",
                    "reminders": ["1 day", "2 days"],
                    "remind_before": ["1 day"],
                    "calendar": "always_open",
                }
            ],
            slas=[
                {
                    "name": "first",
                    "target": "15bm",
                    "when": {"plan": ["gold", "silver"], "region": "eu"},
                    "calendar": "office",
                    "start_on": "nudge",
                    "stop_on": ["finish"],
                    "restart_on": "nudge",
                    "pause_in": [],
                }
            ],
        )
        wf = tf.Workflow.from_dict(data, registry=EXAMPLE_REGISTRY)
        cal = wf.calendar
        assert isinstance(cal, tf.BusinessCalendar)
        assert cal.timezone == "Europe/Madrid"
        assert cal.hours["fri"] == (("09:00", "17:00"),)
        assert cal.overrides[date(2026, 12, 31)] == ()
        assert wf.description == "d"
        assert wf.status("new").label == "New"
        ask, nudge, finish, _ = wf.transitions
        assert ask.sub_status == "vendor"
        assert ask.roles == frozenset({"agent"})
        assert nudge.guard is is_vip
        assert nudge.target is None
        assert nudge.restarts_timers
        assert nudge.effects == (
            tf.Effect("survey"),
            tf.Effect("notify", name="mail", data={"t": 1}),
        )
        assert finish.source == ("new", "waiting")
        (timer,) = wf.timers
        assert timer.after == tf.days(4)
        assert timer.reminders == (tf.days(1), tf.days(2))
        assert timer.calendar is tf.ALWAYS_OPEN
        (sla,) = wf.slas
        assert sla.when == {"plan": frozenset({"gold", "silver"}), "region": frozenset({"eu"})}
        assert sla.calendar is cal
        assert sla.pause_in == frozenset()
        assert sla.target == tf.business_minutes(15)

    def test_a_registered_calendar_function_is_used(self) -> None:
        """A calendar name may resolve to a registered (attrs) -> calendar function."""

        def by_region(attrs: Any) -> tf.BusinessCalendar:
            return tf.ALWAYS_OPEN

        wf = tf.Workflow.from_dict(minimal(calendar="by_region"), registry={"by_region": by_region})
        assert wf.calendar is by_region
        assert wf.to_dict()["calendar"] == "by_region"

    def test_an_invalid_workflow_raises_workflow_error(self) -> None:
        """Data that reads cleanly but defines a bad workflow raises WorkflowError."""
        data = minimal()
        data["transitions"][0]["target"] = "nowhere"
        with pytest.raises(tf.WorkflowError, match="unknown target status 'nowhere'"):
            tf.Workflow.from_dict(data)


class TestKeysFollowTheClasses:
    @pytest.mark.parametrize(
        ("part", "cls"),
        [
            ("statuses", tf.Status),
            ("transitions", tf.Transition),
            ("timers", tf.Timer),
            ("slas", tf.SLA),
        ],
    )
    def test_each_constructor_argument_is_a_key_and_nothing_else(
        self, part: str, cls: type
    ) -> None:
        """A table accepts every argument its class takes and names them all when refusing one."""
        data: dict[str, Any] = {"name": "w", part: [{"bogus": 1}]}
        with pytest.raises(tf.LoadError) as info:
            tf.Workflow.from_dict(data)
        assert info.value.key == f"{part}[0].bogus"
        expected = [f.alias for f in attrs.fields(cls) if f.init]
        listed = info.value.detail.split("expected one of: ")[1].rstrip(")").split(", ")
        assert listed == expected

    def test_an_effect_template_has_no_at_key(self) -> None:
        """An effect in a file takes kind, name and data; the engine fills in ``at``."""
        data = {
            "name": "w",
            "statuses": [{"name": "a", "initial": True}],
            "transitions": [{"event": "e", "source": "a", "effects": [{"kind": "k", "at": 1}]}],
        }
        with pytest.raises(tf.LoadError, match="expected one of: kind, name, data") as info:
            tf.Workflow.from_dict(data)
        assert info.value.key == "transitions[0].effects[0].at"


class TestLoadErrors:
    @pytest.mark.parametrize(
        ("edit", "key", "words"),
        [
            (lambda d: d.update(nmae="x"), "nmae", "unknown key 'nmae'"),
            (
                lambda d: d["transitions"][0].update(gaurd="g"),
                "transitions[0].gaurd",
                "unknown key 'gaurd'",
            ),
            (
                lambda d: d["statuses"][1].update(colour="red"),
                "statuses[1].colour",
                "unknown key 'colour'",
            ),
            (lambda d: d["statuses"][0].update(initial="yes"), "statuses[0].initial", "'yes'"),
            (lambda d: d.update(statuses={"a": 1}), "statuses", "expected a list"),
            (lambda d: d["transitions"][0].update(roles=[1]), "transitions[0].roles[0]", "1"),
            (lambda d: d.pop("name"), None, "missing required key 'name'"),
            (
                lambda d: d["transitions"][0].pop("source"),
                "transitions[0]",
                "missing required key 'source'",
            ),
            (
                lambda d: d["transitions"][0].update(effects=[{"kind": "x", "extra": 1}]),
                "transitions[0].effects[0].extra",
                "'extra'",
            ),
            (
                lambda d: d["transitions"][0].update(sub_status=3),
                "transitions[0].sub_status",
                "expected a table",
            ),
            (lambda d: d.update(calendar="nope"), "calendar", "unknown calendar 'nope'"),
            (
                lambda d: d.update(
                    timers=[{"status": "new", "after": "4 dayz", "event": "finish"}]
                ),
                "timers[0].after",
                "'4 dayz'",
            ),
            (
                lambda d: d.update(timers=[{"status": "new", "after": 4, "event": "finish"}]),
                "timers[0].after",
                "4",
            ),
            (
                lambda d: d.update(
                    timers=[{"status": "new", "after": "1h", "event": "finish", "calendar": "x"}]
                ),
                "timers[0].calendar",
                "unknown calendar 'x'",
            ),
            (
                lambda d: d.update(slas=[{"name": "s", "target": "1h", "when": {"k": [[1]]}}]),
                "slas[0].when.k",
                "[1]",
            ),
            (
                lambda d: d.update(calendars={"c": {"timezone": "Mars/Base"}}),
                "calendars.c",
                "'Mars/Base'",
            ),
            (
                lambda d: d.update(calendars={"c": {"hours": {"mon": [["09:00", "25:00"]]}}}),
                "calendars.c",
                "'25:00'",
            ),
            (
                lambda d: d.update(calendars={"c": {"holidays": [{"country": "XX"}]}}),
                "calendars.c.holidays[0]",
                "'XX'",
            ),
            (
                lambda d: d.update(calendars={"c": {"holidays": ["RRULE:FREQ=SOMETIMES"]}}),
                "calendars.c.holidays[0]",
                "FREQ=SOMETIMES",
            ),
            (
                lambda d: d.update(calendars={"c": {"holidays": [{"subdiv": "MD"}]}}),
                "calendars.c.holidays[0]",
                "'country' or 'market'",
            ),
            (
                lambda d: d.update(calendars={"c": {"overrides": {"2026-13-01": []}}}),
                "calendars.c.overrides.2026-13-01",
                "'2026-13-01'",
            ),
            (
                lambda d: d.update(calendars={"c": {"weekdays": ["09:00"]}}),
                "calendars.c.weekdays[0]",
                "pair",
            ),
        ],
    )
    def test_bad_data_names_the_value_and_where_it_is(
        self, edit: Any, key: str | None, words: str
    ) -> None:
        """Each mistake raises LoadError whose key and message point at it."""
        data = minimal()
        edit(data)
        err = load_error(data)
        assert err.key == key
        assert words in str(err)
        if key is not None:
            assert str(err).startswith(f"{key}: ")
        assert isinstance(err, ValueError)
        assert isinstance(err, tf.TicketflowError)

    def test_an_unknown_guard_lists_the_registered_names(self) -> None:
        """An unregistered guard name raises naming it, its place and the registry."""
        data = minimal()
        data["transitions"][0]["guard"] = "is_vip"
        err = load_error(data, registry={"is_staff": is_vip, "office": tf.ALWAYS_OPEN})
        assert (
            str(err)
            == "transitions[0].guard: unknown guard 'is_vip' (registered: is_staff, office)"
        )
        assert "registered: none" in str(load_error(data))

    def test_a_guard_name_registered_as_a_calendar_is_rejected(self) -> None:
        """A registry entry that is not callable cannot serve as a guard."""
        data = minimal()
        data["transitions"][0]["guard"] = "office"
        err = load_error(data, registry={"office": tf.ALWAYS_OPEN})
        assert err.key == "transitions[0].guard"
        assert "not callable" in str(err)

    def test_an_unknown_sub_status_function_names_it(self) -> None:
        """An unregistered sub_status function raises naming it and where it is."""
        data = minimal()
        data["transitions"][0]["sub_status"] = {"function": "who"}
        err = load_error(data)
        assert err.key == "transitions[0].sub_status.function"
        assert "'who'" in str(err)

    def test_a_bad_duration_keeps_the_duration_error(self) -> None:
        """The DurationError behind a bad duration string is the LoadError's cause."""
        data = minimal(timers=[{"status": "new", "after": "soon", "event": "finish"}])
        err = load_error(data)
        assert isinstance(err.__cause__, tf.DurationError)

    def test_a_calendar_both_defined_and_registered_is_ambiguous(self) -> None:
        """A [calendars] name that is also registered raises instead of guessing."""
        err = load_error(minimal(calendars={"office": {}}), registry={"office": tf.ALWAYS_OPEN})
        assert err.key == "calendars.office"
        assert "both defined here and registered" in str(err)


class TestFiles:
    def test_unknown_extension(self, tmp_path: Path) -> None:
        """An unknown extension raises naming the file, reading or writing."""
        path = tmp_path / "flow.ini"
        path.write_text("name = 'x'")
        with pytest.raises(tf.LoadError, match=r"flow\.ini: unknown file type '\.ini'") as info:
            tf.load(path)
        assert info.value.path == str(path)
        with pytest.raises(tf.LoadError, match="unknown file type"):
            tf.dump(tf.Workflow.from_dict(minimal()), path)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file raises LoadError naming it."""
        path = tmp_path / "absent.toml"
        with pytest.raises(tf.LoadError, match=r"absent\.toml: can't read the file") as info:
            tf.load(path)
        assert info.value.path == str(path)

    @pytest.mark.parametrize(
        ("suffix", "text", "line"),
        [
            (".toml", 'name = "x"\nstatuses = [\n= 3\n', 3),
            (".json", '{\n  "name": "x",\n  oops\n}', 3),
            (".yaml", "name: x\nstatuses: [a,\n  - b\n", 3),
        ],
    )
    def test_parse_errors_name_the_file_and_line(
        self, tmp_path: Path, suffix: str, text: str, line: int
    ) -> None:
        """A syntax error raises LoadError with the file and the parser's line."""
        path = tmp_path / f"flow{suffix}"
        path.write_text(text)
        with pytest.raises(tf.LoadError) as info:
            tf.load(path)
        assert info.value.path == str(path)
        assert info.value.line == line
        assert str(info.value).startswith(f"{path}:{line}: not valid")

    def test_data_errors_name_the_file_and_key(self, tmp_path: Path) -> None:
        """A bad key inside a file raises naming both the file and the key."""
        path = tmp_path / "flow.json"
        data = minimal()
        data["transitions"][0]["guard"] = "is_vip"
        path.write_text(json.dumps(data))
        with pytest.raises(tf.LoadError) as info:
            tf.load(path)
        assert info.value.key == "transitions[0].guard"
        assert str(info.value).startswith(f"{path}: transitions[0].guard: unknown guard 'is_vip'")

    def test_a_top_level_list_is_rejected(self, tmp_path: Path) -> None:
        """A file whose top level is not a table raises naming the file."""
        path = tmp_path / "flow.yaml"
        path.write_text("- a\n- b\n")
        with pytest.raises(tf.LoadError, match="expected a table at the top"):
            tf.load(path)

    def test_yaml_without_pyyaml_names_the_extra(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without pyyaml, reading YAML raises LoadError naming ticketflow[yaml]."""
        path = tmp_path / "flow.yaml"
        path.write_text("name: x\n")
        monkeypatch.setitem(sys.modules, "yaml", None)
        with pytest.raises(tf.LoadError, match=r"ticketflow\[yaml\]"):
            tf.load(path)

    def test_toml_cannot_hold_none(self, tmp_path: Path) -> None:
        """Dumping a None (an SLA matching a missing attribute) to TOML raises naming it."""
        wf = tf.Workflow("w", **_parts(), slas=[tf.SLA("s", target="1h", when={"plan": None})])
        with pytest.raises(
            tf.LoadError, match=r"slas\[0\]\.when\.plan: None cannot be written as TOML"
        ):
            tf.dump(wf, tmp_path / "w.toml")
        tf.dump(wf, tmp_path / "w.json")
        assert tf.load(tmp_path / "w.json") == wf

    def test_yaml_dates_and_native_toml_dates_are_read(self, tmp_path: Path) -> None:
        """Unquoted dates (YAML keys, TOML values) read as dates."""
        path = tmp_path / "flow.yaml"
        data = {
            **minimal(calendar="c"),
            "calendars": {
                "c": {"overrides": {date(2026, 12, 24): []}, "holidays": [date(2026, 1, 2)]}
            },
        }
        path.write_text(yaml.safe_dump(data))
        cal = tf.load(path).calendar
        assert isinstance(cal, tf.BusinessCalendar)
        assert not cal.is_business_day(date(2026, 12, 24))
        assert not cal.is_business_day(date(2026, 1, 2))


class TestExampleFile:
    def test_the_example_loads_and_round_trips(self, tmp_path: Path) -> None:
        """examples/workflow.toml loads with its guard and survives dump and load as TOML."""
        wf = tf.load(EXAMPLE, registry=EXAMPLE_REGISTRY)
        assert wf.name == "billing"
        assert wf.transitions[2].guard is is_vip
        cal = wf.calendar
        assert isinstance(cal, tf.BusinessCalendar)
        assert cal.timezone == "America/New_York"
        assert not cal.is_business_day(date(2026, 12, 24))
        assert not cal.is_business_day(date(2026, 7, 3))  # Independence Day, observed
        assert cal.overrides[date(2026, 12, 31)] == (("09:00", "13:00"),)
        assert {s.when is not None for s in wf.slas} == {True, False}
        path = tmp_path / "again.toml"
        tf.dump(wf, path, registry=EXAMPLE_REGISTRY)
        assert_same(wf, tf.load(path, registry=EXAMPLE_REGISTRY), EXAMPLE_REGISTRY)


class TestDocs:
    def test_the_worked_example_prints_what_the_page_shows(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The worked example in docs/files.md prints the text block that follows it."""
        text = (ROOT / "docs" / "files.md").read_text(encoding="utf-8")
        match = re.search(
            r"## A worked example.*?```python\n(.*?)```.*?```text\n(.*?)```", text, flags=re.S
        )
        assert match is not None
        code, expected = match.groups()
        monkeypatch.chdir(ROOT)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "files.md", "exec"), {})
        assert buffer.getvalue() == expected


REGISTRY = {"vip_only": vip_only}


class TestGeneratedWorkflows:
    @settings(
        max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(wf=workflows())
    def test_round_trip_through_plain_data(self, wf: tf.Workflow) -> None:
        """Every generated workflow survives to_dict and from_dict."""
        assert_same(
            wf,
            tf.Workflow.from_dict(wf.to_dict(registry=REGISTRY), registry=REGISTRY),
            REGISTRY,  # type: ignore[arg-type]
        )

    @pytest.mark.slow
    @settings(
        max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(wf=workflows())
    def test_round_trip_through_json_yaml_and_toml_text(self, wf: tf.Workflow) -> None:
        """Exported data parses back unchanged from JSON, YAML and TOML text."""
        data = wf.to_dict(registry=REGISTRY)
        assert json.loads(json.dumps(data)) == data
        assert yaml.safe_load(yaml.safe_dump(data)) == data
        assert tomllib.loads(to_toml(data)) == data
        again = tf.Workflow.from_dict(json.loads(json.dumps(data)), registry=REGISTRY)
        assert_same(wf, again, REGISTRY)  # type: ignore[arg-type]
