"""The ``check``, ``diagram`` and ``simulate`` commands, run as ``ticketflow`` runs them."""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import ticketflow as tf
from ticketflow import presets
from ticketflow._cli_input import OpaqueCallable, OpaqueCallableError, read_workflow
from ticketflow.cli import main
from ticketflow.presets._demo import SCRIPTS
from ticketflow.testing import check_liveness

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "workflow.toml"

# Six problems: two initial statuses, a misspelt source and target, a timer whose event
# no transition takes, and so an unreachable 'closed' and a dead-end 'open'. The guard
# and the calendar are names no registry gives: never a problem for check.
BROKEN = """\
name = "billing"
calendar = "office"

[[statuses]]
name = "new"
initial = true

[[statuses]]
name = "open"
initial = true

[[statuses]]
name = "closed"
category = "closed"
terminal = true

[[transitions]]
event = "reply"
source = ["new", "opne"]
target = "open"
guard = "is_vip"

[[transitions]]
event = "close"
source = "*"
target = "clsoed"

[[timers]]
status = "open"
after = "3 days"
event = "expire"
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


@pytest.fixture
def registry_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module ``tf_cli_registry`` in the working folder giving the example's guard and
    the case-portal preset's sub_status function; a VIP ticket passes the guard."""
    (tmp_path / "tf_cli_registry.py").write_text(
        "from ticketflow.presets.case_portal import waiting_for_entity\n"
        "from ticketflow.presets.zendesk_sla import first_reply_done\n"
        "def is_vip(ticket, ctx):\n"
        "    return bool(ticket.attrs.get('vip'))\n"
        "REGISTRY = {'is_vip': is_vip, 'waiting_for_entity': waiting_for_entity,\n"
        "            'first_reply_done': first_reply_done}\n"
        "NOT_A_MAPPING = [1, 2]\n"
        "NUMBERED = {1: is_vip}\n"
        "BAD_GUARD = {'is_vip': 42}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    yield "tf_cli_registry"
    sys.modules.pop("tf_cli_registry", None)


class TestReadWorkflow:
    def test_unregistered_names_stand_for_opaque_callables(self) -> None:
        """The example's guard, unregistered, is an OpaqueCallable named 'is_vip' that
        fails only when called; tf.load refuses the same file without a registry."""
        wf = read_workflow(str(EXAMPLE))
        (guarded,) = [t for t in wf.transitions if t.guard is not None]
        assert guarded.guard == OpaqueCallable("guard", "is_vip")
        with pytest.raises(OpaqueCallableError, match="'is_vip'"):
            guarded.guard(None, None)
        with pytest.raises(tf.LoadError, match="unknown guard 'is_vip'"):
            tf.load(EXAMPLE)

    def test_a_reading_writes_back_the_names_it_read(self) -> None:
        """to_dict writes a stand-in by its name: the same data tf.load reads with a registry."""
        real = tf.load(EXAMPLE, registry={"is_vip": lambda ticket, ctx: True})
        assert read_workflow(str(EXAMPLE)).to_dict() == real.to_dict(
            registry={"is_vip": real.transitions[2].guard}
        )

    def test_registered_names_are_the_real_ones(self) -> None:
        def is_vip(ticket: tf.Ticket, ctx: tf.Context) -> bool:
            return True

        wf = read_workflow(str(EXAMPLE), {"is_vip": is_vip})
        assert [t.guard for t in wf.transitions if t.guard is not None] == [is_vip]

    def test_a_preset(self) -> None:
        """preset:NAME builds the preset ('_' or '-')."""
        assert read_workflow("preset:help_center") == presets.get("help-center")
        with pytest.raises(presets.UnknownPresetError, match="'nope'"):
            read_workflow("preset:nope")


class TestCheck:
    def test_lists_every_problem_of_a_broken_file(
        self, broken: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 1 and one line per problem: the same problems building the workflow in
        code reports, the guard and calendar names being none of them."""
        status, out, _ = run(capsys, "check", str(broken))
        assert status == 1
        with pytest.raises(tf.WorkflowError) as caught:
            read_workflow(str(broken))
        lines = out.splitlines()
        assert lines[0] == f"{broken}: workflow 'billing': 6 problems"
        assert lines[1:7] == [f"  - {p}" for p in caught.value.problems]
        assert any("unknown source status 'opne'" in line for line in lines)
        assert any("unknown target status 'clsoed'" in line for line in lines)
        assert not any("is_vip" in line or "office" in line for line in lines)
        assert lines[-1] == "6 problems in 1 file"

    def test_a_valid_file_is_followed_by_its_liveness(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 0 although the liveness report names stuck statuses: it is information."""
        status, out, err = run(capsys, "check", str(EXAMPLE))
        assert (status, err) == (0, "")
        report = check_liveness(read_workflow(str(EXAMPLE)))
        assert report.stuck  # 'new', 'open' and 'escalated' have no timed exit
        assert out == f"{EXAMPLE}: workflow 'billing': ok\n{report}\n"

    def test_every_file_is_checked_and_one_problem_fails_them_all(
        self, broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing file, a TOML syntax error and an unknown preset are a problem each,
        with the line where there is one; valid files are still reported."""
        bad = tmp_path / "bad.toml"
        bad.write_text('name = "x"\n[[statuses]\n', encoding="utf-8")
        status, out, _ = run(
            capsys,
            "check",
            "preset:help-center",
            str(tmp_path / "missing.yaml"),
            str(bad),
            "preset:nope",
            str(EXAMPLE),
        )
        assert status == 1
        assert out.startswith("preset:help-center: workflow 'help-center': ok\n")
        assert (
            f"{tmp_path / 'missing.yaml'}: no workflow: 1 problem\n  - can't read the file" in out
        )
        assert f"{bad}: no workflow: 1 problem\n  - line 2: not valid TOML" in out
        assert "preset:nope: no workflow: 1 problem\n  - unknown preset 'nope'" in out
        assert f"{EXAMPLE}: workflow 'billing': ok\n" in out
        assert out.endswith("3 problems in 3 files\n")

    @pytest.mark.parametrize("name", presets.names())
    def test_every_preset_is_valid(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, _ = run(capsys, "check", f"preset:{name}")
        assert status == 0
        assert out.startswith(f"preset:{name}: workflow '{presets.get(name).name}': ok\n")

    def test_json(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--json: problems with their place, and the liveness of a valid file, field by field."""
        status, out, _ = run(capsys, "check", "--json", str(broken), str(EXAMPLE))
        assert status == 1
        doc = json.loads(out)
        assert doc["ok"] is False
        bad, good = doc["files"]
        assert (bad["ok"], bad["problem_count"], bad["liveness"]) == (False, 6, None)
        assert bad["problems"][1] == {
            "message": "transition 'reply' has unknown source status 'opne'",
            "line": None,
            "key": None,
        }
        assert (good["ok"], good["problems"], good["workflow"]) == (True, [], "billing")
        report = check_liveness(read_workflow(str(EXAMPLE)))
        live = good["liveness"]
        assert live["stuck"] == list(report.stuck)
        waiting = next(s for s in live["statuses"] if s["status"] == "waiting")
        # waiting: auto_resolve after 4 days leads to resolved, whose close ends in closed
        assert (waiting["next"], waiting["last"], waiting["length"]) == ("resolved", "closed", 3)
        assert waiting["exits"][0]["event"] == "auto_resolve"
        assert waiting["exits"][0]["after"] == "4 days"

    def test_json_places_a_load_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A key of the wrong type is reported with its key path."""
        path = tmp_path / "w.json"
        path.write_text(json.dumps({"name": "w", "statuses": [{"name": 3}]}), encoding="utf-8")
        status, out, _ = run(capsys, "check", "--json", str(path))
        assert status == 1
        (problem,) = json.loads(out)["files"][0]["problems"]
        assert problem["key"] == "statuses[0].name"
        assert "expected a string" in problem["message"]

    def test_registry_gives_real_callables_and_is_checked(
        self, registry_module: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A registered name that is not callable is a problem; a good registry is none."""
        status, out, _ = run(
            capsys, "check", "--registry", f"{registry_module}:BAD_GUARD", str(EXAMPLE)
        )
        assert status == 1
        assert "transitions[2].guard: guard 'is_vip' is registered as 42" in out
        status, _, _ = run(
            capsys, "check", "--registry", f"{registry_module}:REGISTRY", str(EXAMPLE)
        )
        assert status == 0

    @pytest.mark.parametrize(
        ("target", "says"),
        [
            ("no_colon", "expected MODULE:ATTR"),
            (
                "tf_no_such_module_here:X",
                "can't import 'tf_no_such_module_here': ModuleNotFoundError",
            ),
            ("tf_cli_registry:MISSING", "has no 'MISSING'"),
            ("tf_cli_registry:NOT_A_MAPPING", "expected a mapping of names, got [1, 2]"),
            ("tf_cli_registry:NUMBERED", "registry name 1 is not a string"),
        ],
    )
    def test_a_bad_registry_is_a_usage_error(
        self, registry_module: str, target: str, says: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 2 and one line on standard error naming the --registry value, whichever
        command is given it."""
        for command in (["check"], ["diagram"], ["simulate"]):
            args = [*command, "--registry", target, str(EXAMPLE)]
            status, out, err = run(
                capsys, *args, *(["log.jsonl"] if command == ["simulate"] else [])
            )
            assert (status, out) == (2, "")
            assert err.count("\n") == 1
            assert err.startswith(f"ticketflow: --registry {target!r}: ")
            assert says in err

    def test_help_documents_the_exit_statuses(self, capsys: pytest.CaptureFixture[str]) -> None:
        for command in ("check", "diagram", "simulate"):
            status, out, _ = run(capsys, command, "--help")
            assert status == 0
            tail = out.split("exit status:\n", 1)[1]
            assert [line.split()[0] for line in tail.splitlines() if line[:3].strip()] == [
                "0",
                "1",
                "2",
            ]


class TestDiagram:
    def test_mermaid_and_dot_of_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The diagrams of the file as tf.load reads it with its guard."""
        wf = tf.load(EXAMPLE, registry={"is_vip": lambda ticket, ctx: True})
        assert run(capsys, "diagram", str(EXAMPLE)) == (0, wf.to_mermaid(), "")
        assert run(capsys, "diagram", str(EXAMPLE), "--format", "dot") == (0, wf.to_dot(), "")

    @pytest.mark.parametrize("name", presets.names())
    def test_a_preset(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert run(capsys, "diagram", f"preset:{name}") == (0, presets.get(name).to_mermaid(), "")

    def test_a_broken_file_is_one_line(
        self, broken: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 1, nothing on standard output, the first problem and a count on one line."""
        status, out, err = run(capsys, "diagram", str(broken))
        assert (status, out) == (1, "")
        assert err == (
            f"ticketflow: {broken}: invalid workflow: several initial statuses: new, open "
            f"(and 5 more; see ticketflow check {broken})\n"
        )

    @pytest.mark.parametrize(
        ("spec", "says"),
        [
            ("preset:nope", "preset:nope: unknown preset 'nope' (known: case-portal, "),
            ("notes.txt", "notes.txt: unknown file type '.txt'"),
        ],
    )
    def test_an_unknown_preset_or_file_type(
        self, spec: str, says: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, out, err = run(capsys, "diagram", spec)
        assert (status, out) == (1, "")
        assert err.startswith(f"ticketflow: {says}")
        assert err.count("\n") == 1

    def test_an_unknown_format_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, "diagram", str(EXAMPLE), "--format", "svg")
        assert status == 2
        assert "invalid choice: 'svg'" in err


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _script_log(name: str, path: Path) -> list[str]:
    """The demo script of preset ``name`` as an event log at ``path``; the arguments
    for the time the script lets pass after its last event (``--until``), if any."""
    script = SCRIPTS[name]
    lines: list[dict[str, Any]] = [
        {"name": "start", "at": script.start.isoformat(), "id": script.ticket_id}
    ]
    if script.attrs:
        lines[0]["data"] = dict(script.attrs)
    for act in script.acts:
        if act.event is not None:
            entry: dict[str, Any] = {
                "name": act.event,
                "at": act.at.isoformat(),
                "actor": act.actor,
            }
            if act.data is not None:
                entry["data"] = _jsonable(dict(act.data))
            lines.append(entry)
    path.write_text("".join(json.dumps(e) + "\n\n" for e in lines), encoding="utf-8")
    last = script.acts[-1]
    return ["--until", last.at.isoformat()] if last.event is None else []


class TestSimulate:
    @pytest.mark.parametrize("name", presets.names())
    def test_a_demo_script_as_a_log_gives_the_demo_timeline(
        self, name: str, tmp_path: Path, registry_module: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each preset, written to a file with its demo's settings and read back, plays
        its demo's script written as a log into the very table ``ticketflow demo`` prints."""
        script = SCRIPTS[name]
        flow = tmp_path / f"{name}.toml"
        tf.dump(presets.get(name, **script.overrides), flow)
        log = tmp_path / "log.jsonl"
        until = _script_log(name, log)
        status, out, err = run(
            capsys,
            "simulate",
            str(flow),
            str(log),
            *until,
            "--registry",
            f"{registry_module}:REGISTRY",
        )
        assert (status, err) == (0, "")
        lines = out.splitlines()
        assert lines[1] == f"Times in {script.zone}."
        demo = presets.demo_timeline(name)
        assert demo[2] == lines[2] == ""
        assert lines[3:] == demo[3:]

    def test_reaching_an_opaque_callable_is_a_clean_error(
        self, tmp_path: Path, registry_module: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without a registry, case-portal's file plays until the line whose event needs
        its sub_status function; it names the function and the line, and prints no table."""
        flow = tmp_path / "case.toml"
        tf.dump(presets.get("case-portal"), flow)
        log = tmp_path / "log.jsonl"
        _script_log("case-portal", log)
        status, out, err = run(capsys, "simulate", str(flow), str(log))
        assert (status, out) == (1, "")
        # the log's lines are start, assign, wait_for... each followed by a blank line
        assert err.startswith(f"ticketflow: {log}:5: OpaqueCallableError: the sub_status ")
        assert "'waiting_for_entity'" in err
        assert err.count("\n") == 1

    def test_a_start_that_needs_an_opaque_calendar_is_a_clean_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A timer on the initial status counted on a per-ticket calendar ('office', which
        no registry gives) needs the calendar as the ticket starts: line 1 is named."""
        flow = tmp_path / "w.yaml"
        flow.write_text(
            "name: w\n"
            "calendar: office\n"
            "statuses: [{name: open, initial: true}, {name: done, terminal: true}]\n"
            "transitions: [{event: expire, source: open, target: done}]\n"
            "timers: [{status: open, after: 2 days, event: expire}]\n",
            encoding="utf-8",
        )
        log = tmp_path / "log.jsonl"
        log.write_text('{"name": "start", "at": "2026-12-01T10:00:00Z"}\n', encoding="utf-8")
        status, out, err = run(capsys, "simulate", str(flow), str(log))
        assert (status, out) == (1, "")
        assert err == (
            f"ticketflow: {log}:1: the calendar 'office' is needed but no registry gives it "
            "(pass --registry MODULE:ATTR with a mapping that names it)\n"
        )

    def test_a_guard_from_the_registry_decides(
        self, tmp_path: Path, registry_module: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The example's escalate is refused for a ticket without 'vip' and taken with it."""
        log = tmp_path / "log.jsonl"
        for vip, expected in ((False, "new"), (True, "escalated")):
            log.write_text(
                json.dumps(
                    {"name": "start", "at": "2026-12-01T10:00:00-05:00", "data": {"vip": vip}}
                )
                + "\n"
                + json.dumps(
                    {"name": "escalate", "at": "2026-12-01T10:05:00-05:00", "actor": "agent"}
                )
                + "\n",
                encoding="utf-8",
            )
            status, out, _ = run(
                capsys,
                "simulate",
                str(EXAMPLE),
                str(log),
                "--registry",
                f"{registry_module}:REGISTRY",
            )
            assert status == 0
            (row,) = [line for line in out.splitlines() if "  escalate  " in line]
            cells = row.split()  # Tue 01 Dec 2026 10:05 EST, event, actor, status, effects...
            assert cells[8] == expected
            assert ("rejected" in cells) == (not vip)

    def test_json_ends_with_the_ticket_replay_gives(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--json: a row per step, times in the zone, and the final ticket equal to
        Workflow.replay of the same log (replay also fires what fell due before each event)."""
        log = tmp_path / "log.jsonl"
        _script_log("help-center", log)
        status, out, _ = run(capsys, "simulate", "preset:help-center", str(log), "--json")
        assert status == 0
        doc = json.loads(out)
        entries = [json.loads(line) for line in log.read_text().splitlines() if line]
        wf = presets.get("help-center")
        replayed = wf.replay(entries)
        assert tf.Ticket.from_dict(doc["ticket"]) == replayed.ticket
        assert [r["event"] for r in doc["rows"]] == [s.event for s in replayed.steps]
        assert doc["rows"][0]["at"] == "2026-12-01T10:00:00+01:00"  # 10:00 CET, as logged
        assert doc["rows"][1]["next_deadline"] == {
            # five working days after Tue 1 Dec 12:30, skipping Tue 8 Dec (Inmaculada)
            "at": "2026-12-09T12:30:00+01:00",
            "what": "auto_resolve",
        }

    @pytest.mark.parametrize(
        ("lines", "says"),
        [
            ([], "the log is empty"),
            (['{"name": "reply", "at": "2026-12-01T10:00:00Z"}'], ":1: a log begins with 'start'"),
            (
                ['{"name": "start", "at": "2026-12-01T10:00:00"}'],
                ":1: at='2026-12-01T10:00:00' has no UTC offset",
            ),
            (["[1, 2]"], ":1: expected a JSON object, got list"),
            (['{"name": "start"'], ":1: not valid JSON"),
            (['{"name": "start", "at": NaN}'], ":1: NaN is not a JSON number"),
            (['{"data": ' + "[" * 100_000 + "]" * 100_000 + "}"], ":1: nested too deeply"),
            (
                ['{"name": "start", "at": "2026-12-01T10:00:00Z"}', '{"name": "a", "name": "b"}'],
                ":2: duplicate key 'name'",
            ),
            (
                [
                    '{"name": "start", "at": "2026-12-01T10:00:00Z"}',
                    '{"name": "start", "at": "2026-12-01T11:00:00Z"}',
                ],
                ":2: 'start' may only come first",
            ),
            (
                ['{"name": "start", "at": "2026-12-01T10:00:00Z"}', '{"name": "reply", "at": "x"}'],
                ":2: at='x' is not an ISO datetime",
            ),
        ],
    )
    def test_a_bad_log_is_one_line_naming_its_line(
        self, lines: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        log = tmp_path / "log.jsonl"
        log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        status, out, err = run(capsys, "simulate", "preset:help-center", str(log))
        assert (status, out) == (1, "")
        assert err.startswith(f"ticketflow: {log}")
        assert says in err
        assert err.count("\n") == 1

    @pytest.mark.parametrize(
        ("option", "says"),
        [
            (["--zone", "Mars/Olympus"], "--zone 'Mars/Olympus': unknown time zone"),
            (["--until", "2026-12-31T10:00"], "--until '2026-12-31T10:00': give a UTC offset"),
            (["--until", "soon"], "--until 'soon': not an ISO 8601 date and time"),
        ],
    )
    def test_bad_options_are_usage_errors(
        self, option: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        log = tmp_path / "log.jsonl"
        log.write_text('{"name": "start", "at": "2026-12-01T10:00:00Z"}\n', encoding="utf-8")
        status, out, err = run(capsys, "simulate", "preset:help-center", str(log), *option)
        assert (status, out) == (2, "")
        assert err.startswith(f"ticketflow: {says}")
        assert err.count("\n") == 1

    def test_an_unreadable_log_or_workflow(
        self, broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, _, err = run(capsys, "simulate", "preset:help-center", str(tmp_path / "none.jsonl"))
        assert status == 1
        assert "none.jsonl: can't read the file" in err
        status, _, err = run(capsys, "simulate", str(broken), str(tmp_path / "none.jsonl"))
        assert status == 1
        assert err.startswith(f"ticketflow: {broken}: invalid workflow: ")


class TestCliDoc:
    def test_every_console_example_prints_what_the_page_shows(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """docs/cli.md: with its titled files written out, each ``$ ticketflow ...``
        prints (on standard output, then standard error) the lines under it."""
        text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
        files = re.findall(r'```\w+ title="([^"]+)"\n(.*?)```', text, flags=re.S)
        assert {name for name, _ in files} >= {"desk.toml", "broken.toml", "ticket.jsonl"}
        for name, body in files:
            (tmp_path / name).write_text(body, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        examples = re.findall(r"```console\n\$ ticketflow (.*?)\n(.*?)```", text, flags=re.S)
        assert len(examples) == text.count("```console") >= 5
        try:
            for command, expected in examples:
                main(shlex.split(command))
                out, err = capsys.readouterr()
                assert out + err == expected, command
        finally:
            sys.modules.pop("flows", None)
