"""Workflow versions: the behaviour hash, its record in snapshots, and the version check."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ticketflow as tf
from tests.bounds import examples
from ticketflow import presets
from ticketflow.presets.zendesk_sla import first_reply_done
from ticketflow.testing import calendars, workflows
from ticketflow.testing._strategies import from_data, vip_only

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "tickets_schema1.json"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def is_vip(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """Guard: the ticket's attrs say vip."""
    return bool(ticket.attrs.get("vip"))


def is_partner(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """Another guard, of the same behaviour but another name."""
    return bool(ticket.attrs.get("vip"))


def office(**changes: Any) -> tf.BusinessCalendar:
    """Madrid office hours with regional holidays, a date, a yearly closure and a half day."""
    spec: dict[str, Any] = {
        "timezone": "Europe/Madrid",
        "hours": tf.weekdays("09:00", "18:00"),
        "holidays": [
            tf.country_holidays("ES", subdiv="MD"),
            date(2026, 12, 24),
            "RRULE:FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=15",
        ],
        "overrides": {date(2026, 12, 31): [("09:00", "13:00")]},
    }
    spec.update(changes)
    return tf.BusinessCalendar(**spec)


def desk(**changes: Any) -> tf.Workflow:
    """A small desk workflow using every kind of definition a version covers."""
    spec: dict[str, Any] = {
        "name": "desk",
        "statuses": [
            tf.Status("new", category="new", initial=True),
            tf.Status("waiting", category="pending"),
            tf.Status("closed", category="closed", terminal=True),
        ],
        "transitions": [
            tf.Transition("ask", source="new", target="waiting", roles={"agent"}),
            tf.Transition("reply", source="waiting", target="new", roles={"customer"}),
            tf.Transition("auto_close", source="waiting", target="closed", roles={"system"}),
            tf.Transition("close", source="*", target="closed", roles={"agent"}, guard=is_vip),
        ],
        "timers": [
            tf.Timer(
                "waiting",
                after=tf.business_days(5),
                event="auto_close",
                reminders=[tf.business_days(2)],
            )
        ],
        "slas": [
            tf.SLA(
                "first_reply",
                target=tf.business_hours(4),
                when={"priority": {"high", "urgent"}, "tier": "gold"},
                stop_on={"ask"},
            )
        ],
        "calendar": office(),
    }
    spec.update(changes)
    return tf.Workflow(**spec)


DESK_TOML = """
name = "desk"
calendar = "madrid_office"

[calendars.madrid_office]
timezone = "Europe/Madrid"
weekdays = ["09:00", "18:00"]
holidays = [{ country = "ES", subdiv = "MD" }, "2026-12-24",
            "RRULE:FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=15"]
overrides = { "2026-12-31" = [["09:00", "13:00"]] }

[[statuses]]
name = "new"
category = "new"
initial = true

[[statuses]]
name = "waiting"
category = "pending"

[[statuses]]
name = "closed"
category = "closed"
terminal = true

[[transitions]]
event = "ask"
source = "new"
target = "waiting"
roles = ["agent"]

[[transitions]]
event = "reply"
source = "waiting"
target = "new"
roles = ["customer"]

[[transitions]]
event = "auto_close"
source = "waiting"
target = "closed"
roles = ["system"]

[[transitions]]
event = "close"
source = "*"
target = "closed"
roles = ["agent"]
guard = "is_vip"

[[timers]]
status = "waiting"
after = "5 business days"
event = "auto_close"
reminders = ["2 business days"]

[[slas]]
name = "first_reply"
target = "4 business hours"
when = { priority = ["high", "urgent"], tier = "gold" }
stop_on = ["ask"]
"""

# the same workflow with keys, holidays and set members in other orders, its calendar
# under another name and given again to the SLA, and labels and descriptions added
DESK_JSON = {
    "statuses": [
        {"initial": True, "category": "new", "name": "new", "label": "New"},
        {"name": "waiting", "category": "pending", "description": "Waiting on you"},
        {"terminal": True, "name": "closed", "category": "closed"},
    ],
    "calendars": {
        "hq": {
            "overrides": {"2026-12-31": [["09:00", "13:00"]]},
            "holidays": [
                "RRULE:FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=15",
                "2026-12-24",
                {"subdiv": "MD", "country": "ES"},
            ],
            "hours": {d: [["09:00", "18:00"]] for d in ("fri", "thu", "wed", "tue", "mon")},
            "timezone": "Europe/Madrid",
        }
    },
    "name": "desk",
    "description": "Our desk",
    "calendar": "hq",
    "transitions": [
        {"event": "ask", "source": ["new"], "target": "waiting", "roles": ["agent"]},
        {"event": "reply", "source": "waiting", "target": "new", "roles": ["customer"]},
        {"event": "auto_close", "source": "waiting", "target": "closed", "roles": ["system"]},
        {
            "guard": "is_vip",
            "roles": ["agent"],
            "target": "closed",
            "source": "*",
            "event": "close",
            "label": "Close",
        },
    ],
    "timers": [
        {
            "event": "auto_close",
            "status": "waiting",
            "after": "5 business days",
            "reminders": ["2 business days"],
        }
    ],
    "slas": [
        {
            "when": {"tier": "gold", "priority": ["urgent", "high"]},
            "target": "4 business hours",
            "name": "first_reply",
            "stop_on": ["ask"],
            "calendar": "hq",
        }
    ],
}

DESK_YAML = """
name: desk
description: The desk, in YAML
calendar: office
calendars:
  office:
    timezone: Europe/Madrid
    hours: {mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]],
            thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]]}
    holidays: ["2026-12-24", {country: ES, subdiv: MD},
               "RRULE:FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=15"]
    overrides: {"2026-12-31": [["09:00", "13:00"]]}
statuses:
  - {name: new, category: new, initial: true, label: Fresh}
  - {name: waiting, category: pending}
  - {name: closed, category: closed, terminal: true}
transitions:
  - {event: ask, source: new, target: waiting, roles: [agent]}
  - {event: reply, source: waiting, target: new, roles: [customer]}
  - {event: auto_close, source: waiting, target: closed, roles: [system]}
  - {event: close, source: "*", target: closed, roles: [agent], guard: is_vip}
timers:
  - {status: waiting, after: 5 business days, event: auto_close, reminders: [2 business days]}
slas:
  - name: first_reply
    target: 4 business hours
    when: {priority: [urgent, high], tier: gold}
    stop_on: [ask]
"""


class TestTheHash:
    def test_it_is_the_sha256_of_the_documented_canonical_form(self) -> None:
        """The default version is the first 12 hex digits of the SHA-256 of the canonical JSON.

        The expected text is written by hand from the rule in docs/migration.md: the
        definition as plain data, without name, labels and descriptions, the calendar
        inlined ("always_open" when none), keys sorted, no spaces.
        """
        wf = tf.Workflow(
            name="tiny",
            description="ignored",
            statuses=[
                tf.Status("new", category="new", initial=True, label="New"),
                tf.Status("done", category="closed", terminal=True),
            ],
            transitions=[tf.Transition("close", source="new", target="done", roles={"agent"})],
        )
        canonical = (
            '{"calendar":"always_open",'
            '"statuses":[{"category":"new","initial":true,"name":"new"},'
            '{"category":"closed","name":"done","terminal":true}],'
            '"transitions":[{"event":"close","roles":["agent"],"source":"new","target":"done"}]}'
        )
        assert wf.version == hashlib.sha256(canonical.encode()).hexdigest()[:12]

    def test_it_is_the_same_in_other_processes(self) -> None:
        """Other processes with other hash seeds compute the same versions for every preset."""
        here = {name: presets.get(name).version for name in presets.names()}
        code = (
            "import json; from ticketflow import presets; "
            "print(json.dumps({n: presets.get(n).version for n in presets.names()}))"
        )
        for seed in ("0", "12345"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            assert json.loads(out.stdout) == here

    def test_code_toml_json_and_yaml_give_one_version(self, tmp_path: Path) -> None:
        """The workflow built in code and the same one read from each format share the version."""
        registry = {"is_vip": is_vip}
        (tmp_path / "desk.toml").write_text(DESK_TOML, encoding="utf-8")
        (tmp_path / "desk.json").write_text(json.dumps(DESK_JSON), encoding="utf-8")
        (tmp_path / "desk.yaml").write_text(DESK_YAML, encoding="utf-8")
        expected = desk().version
        for name in ("desk.toml", "desk.json", "desk.yaml"):
            assert tf.load(tmp_path / name, registry=registry).version == expected, name

    def test_a_dumped_workflow_loads_with_its_version(self, tmp_path: Path) -> None:
        """dump then load keeps the version, for every preset without a sub_status function
        (zendesk-sla's SLA guard loads by its name)."""
        guards = {"first_reply_done": first_reply_done}
        for name in presets.names():
            wf = presets.get(name)
            try:
                tf.dump(wf, tmp_path / f"{name}.json")
            except tf.LoadError:  # a preset with callables needs a registry to load back
                continue
            if any(t.sub_status is not None and callable(t.sub_status) for t in wf.transitions):
                continue
            assert tf.load(tmp_path / f"{name}.json", registry=guards).version == wf.version

    def test_labels_and_descriptions_do_not_count(self) -> None:
        """Relabelled statuses, transitions and workflow keep the version."""
        base = desk()
        relabelled = desk(
            description="new words",
            statuses=[
                tf.Status("new", category="new", initial=True, label="Nuevo", description="x"),
                tf.Status("waiting", category="pending", label="Awaiting you"),
                tf.Status("closed", category="closed", terminal=True, description="done"),
            ],
            transitions=[attrs.evolve(t, label="Do it") for t in base.transitions],
        )
        assert relabelled.version == base.version

    def test_equal_calendars_built_apart_count_as_one(self) -> None:
        """A calendar built twice (country holidays included) hashes by its definition."""
        base = desk()
        again = desk(
            calendar=office(),
            slas=[attrs.evolve(base.slas[0], calendar=office())],
            timers=[attrs.evolve(base.timers[0], calendar=office())],
        )
        assert again.version == base.version

    @pytest.mark.parametrize(
        "change",
        [
            "category",
            "target",
            "roles",
            "guard",
            "timer",
            "reminder",
            "sla_target",
            "sla_when",
            "pause_in",
            "hours",
            "holiday",
            "subdivision",
            "override",
            "timezone",
            "sla_calendar",
            "sla_warning",
            "sla_escalation",
        ],
    )
    def test_each_change_of_behaviour_changes_it(self, change: str) -> None:
        """Statuses, transitions, guard names, timers, SLAs and calendars all count."""
        base = desk()
        t, tm, sla = base.transitions, base.timers[0], base.slas[0]
        other = {
            "category": lambda: desk(
                statuses=[
                    base.statuses[0],
                    tf.Status("waiting", category="on_hold"),
                    base.statuses[2],
                ]
            ),
            "target": lambda: desk(
                transitions=[*t[:1], attrs.evolve(t[1], target="waiting"), *t[2:]]
            ),
            "roles": lambda: desk(
                transitions=[attrs.evolve(t[0], roles={"agent", "lead"}), *t[1:]]
            ),
            "guard": lambda: desk(transitions=[*t[:3], attrs.evolve(t[3], guard=is_partner)]),
            "timer": lambda: desk(timers=[attrs.evolve(tm, after=tf.business_days(3))]),
            "reminder": lambda: desk(timers=[attrs.evolve(tm, reminders=[])]),
            "sla_target": lambda: desk(slas=[attrs.evolve(sla, target=tf.business_hours(8))]),
            "sla_when": lambda: desk(slas=[attrs.evolve(sla, when={"tier": "gold"})]),
            "pause_in": lambda: desk(slas=[attrs.evolve(sla, pause_in={"on_hold"})]),
            "hours": lambda: desk(calendar=office(hours=tf.weekdays("08:00", "18:00"))),
            "holiday": lambda: desk(
                calendar=office(holidays=[*office().holidays, date(2026, 12, 26)])
            ),
            "subdivision": lambda: desk(
                calendar=office(
                    holidays=[tf.country_holidays("ES", subdiv="CT"), *office().holidays[1:]]
                )
            ),
            "override": lambda: desk(calendar=office(overrides={})),
            "timezone": lambda: desk(calendar=office(timezone="Europe/Lisbon")),
            "sla_calendar": lambda: desk(slas=[attrs.evolve(sla, calendar=tf.ALWAYS_OPEN)]),
            "sla_warning": lambda: desk(slas=[attrs.evolve(sla, warn_at=(0.5,))]),
            "sla_escalation": lambda: desk(slas=[attrs.evolve(sla, escalate_after=(tf.hours(1),))]),
        }[change]()
        assert other.version != base.version

    def test_unnamed_callables_and_second_durations_still_get_a_stable_version(self) -> None:
        """A lambda guard and a 90-second timer (not writable as data) still hash, stably."""

        def build(seconds: int) -> tf.Workflow:
            return desk(
                transitions=[
                    *desk().transitions[:3],
                    tf.Transition("close", source="*", target="closed", guard=lambda t, c: True),
                ],
                timers=[tf.Timer("waiting", after=timedelta(seconds=seconds), event="auto_close")],
            )

        assert build(90).version == build(90).version
        assert build(90).version != build(91).version


@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml"])
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wf=workflows(calendars=st.one_of(st.none(), calendars())))
def test_any_generated_workflow_has_its_version_in_every_file_format(
    suffix: str, wf: tf.Workflow, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A generated workflow dumped to each format and loaded back keeps its version."""
    path = tmp_path_factory.mktemp("dump") / f"flow{suffix}"
    registry = {"vip_only": vip_only, "from_data": from_data}
    tf.dump(wf, path, registry=registry)
    assert tf.load(path, registry=registry).version == wf.version


class TestGivenVersions:
    def test_a_given_version_is_kept_and_written(self, tmp_path: Path) -> None:
        """Workflow(version=...) is wf.version, is written by to_dict and read back from a file."""
        wf = desk(version="2026-12")
        assert wf.version == "2026-12"
        assert wf.to_dict(registry={"is_vip": is_vip})["version"] == "2026-12"
        tf.dump(wf, tmp_path / "desk.toml", registry={"is_vip": is_vip})
        assert tf.load(tmp_path / "desk.toml", registry={"is_vip": is_vip}).version == "2026-12"
        assert "version" not in desk().to_dict(registry={"is_vip": is_vip})

    def test_evolving_a_workflow_recomputes_its_default_version(self) -> None:
        """attrs.evolve on a workflow without a given version hashes the new definition."""
        base = desk()
        shorter = attrs.evolve(base, timers=[attrs.evolve(base.timers[0], reminders=[])])
        assert shorter.version != base.version
        assert shorter.version == desk(timers=shorter.timers).version

    @pytest.mark.parametrize("bad", ["", 5, "x" * 101])
    def test_a_bad_version_is_a_workflow_error(self, bad: object) -> None:
        with pytest.raises(tf.WorkflowError, match="version"):
            desk(version=bad)


class TestSnapshots:
    def test_tickets_record_the_version(self) -> None:
        """start, apply and advance write wf.version into the snapshot and its dict."""
        wf = desk()
        t = wf.start(at=T0, attrs={"priority": "high", "tier": "gold"}).ticket
        assert t.workflow_version == wf.version
        t = wf.apply(t, "ask", at=T0 + timedelta(hours=1), actor="agent").ticket
        assert t.workflow_version == wf.version
        data = t.to_dict()
        assert data["schema"] == 2
        assert data["workflow_version"] == wf.version
        assert tf.Ticket.from_dict(data) == t

    def test_schema_1_snapshots_still_load_and_run(self) -> None:
        """The schema 1 fixture loads with no version; its workflow takes it, then records."""
        stored = json.loads(FIXTURE.read_text(encoding="utf-8"))["tickets"]
        assert {d["schema"] for d in stored} == {1}
        for data in stored:
            ticket = tf.Ticket.from_dict(data)
            assert ticket.workflow_version is None
            assert ticket.to_dict()["schema"] == 2
            assert ticket.to_dict()["workflow_version"] is None
            wf = presets.get(ticket.workflow)
            assert wf.next_deadline(ticket) == ticket.next_deadline
            out = wf.advance(ticket, now=datetime(2026, 4, 1, tzinfo=UTC))
            assert out.ticket.workflow_version == wf.version
            assert out.ticket.version > ticket.version

    def test_a_pickle_made_before_versions_restores_without_one(self) -> None:
        """Pickled state without workflow_version (an older pickle) restores it as None."""
        t = desk().start(at=T0).ticket
        state = t.__getstate__()
        del state["workflow_version"]
        old = tf.Ticket.__new__(tf.Ticket)
        old.__setstate__(state)
        assert old.workflow_version is None
        assert old == attrs.evolve(t, workflow_version=None)

    def test_a_schema_1_field_named_workflow_version_is_ignored(self) -> None:
        """Schema 1 had no workflow_version: a stray one in such a dict is not read."""
        data = json.loads(FIXTURE.read_text(encoding="utf-8"))["tickets"][0]
        data["workflow_version"] = "abc"
        assert tf.Ticket.from_dict(data).workflow_version is None

    @pytest.mark.parametrize("bad", [5, ["v"], True])
    def test_a_bad_recorded_version_is_a_snapshot_error(self, bad: object) -> None:
        wf = desk()
        data = wf.start(at=T0).ticket.to_dict()
        data["workflow_version"] = bad
        with pytest.raises(tf.SnapshotError, match="workflow_version"):
            tf.Ticket.from_dict(data)


class TestTheVersionCheck:
    def _ticket(self) -> tuple[tf.Workflow, tf.Workflow, tf.Ticket]:
        old = desk()
        new = desk(timers=[attrs.evolve(old.timers[0], after=tf.business_days(3))])
        t = old.start(at=T0, attrs={"priority": "high", "tier": "gold"}).ticket
        t = old.apply(t, "ask", at=T0 + timedelta(hours=1), actor="agent").ticket
        return old, new, t

    @pytest.mark.parametrize("call", ["apply", "advance", "sla", "next_deadline", "allowed"])
    def test_another_version_is_refused(self, call: str) -> None:
        """Each engine call refuses a ticket of another version, naming both and migrate."""
        old, new, t = self._ticket()
        later = T0 + timedelta(days=1)
        calls: dict[str, Callable[[], object]] = {
            "apply": lambda: new.apply(t, "reply", at=later, actor="customer"),
            "advance": lambda: new.advance(t, now=later),
            "sla": lambda: new.sla(t, now=later),
            "next_deadline": lambda: new.next_deadline(t),
            "allowed": lambda: new.allowed(t, actor="agent"),
        }
        before = t.to_dict()
        with pytest.raises(tf.WorkflowVersionError) as info:
            calls[call]()
        error = info.value
        assert isinstance(error, tf.SnapshotError)
        assert (error.ticket_version, error.workflow_version) == (old.version, new.version)
        assert old.version in str(error)
        assert new.version in str(error)
        assert "migrate" in str(error)
        assert t.to_dict() == before

    def test_another_workflow_is_still_a_plain_snapshot_error(self) -> None:
        """A ticket of another workflow name is refused for that, not for its version."""
        _, _, t = self._ticket()
        with pytest.raises(tf.SnapshotError, match="workflow 'desk' given") as info:
            desk(name="other").advance(t, now=T0 + timedelta(days=1))
        assert not isinstance(info.value, tf.WorkflowVersionError)

    def test_the_same_definition_built_again_takes_the_ticket(self) -> None:
        """A workflow rebuilt from the same definition (a new process) has the same version."""
        _, _, t = self._ticket()
        out = desk().apply(t, "reply", at=T0 + timedelta(days=1), actor="customer")
        assert out.ticket.status == "new"
