"""``ticketflow diff OLD NEW``: exact output on two small files, exit statuses, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import ticketflow as tf
from ticketflow import presets
from ticketflow.cli import main

OLD = """
name = "desk"
calendar = "office"

[calendars.office]
timezone = "Europe/Madrid"
weekdays = ["09:00", "18:00"]

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
guard = "is_customer"

[[transitions]]
event = "auto_close"
source = "waiting"
target = "closed"
roles = ["system"]

[[timers]]
status = "waiting"
after = "5 business days"
event = "auto_close"

[[slas]]
name = "first_reply"
target = "4 business hours"
stop_on = ["ask"]
"""

# "waiting" renamed, an on-hold status added, the guard renamed, the timer shortened and
# given a reminder, the SLA target doubled, a closure day and a half day added
NEW: dict[str, Any] = {
    "name": "desk",
    "calendar": "office",
    "calendars": {
        "office": {
            "timezone": "Europe/Madrid",
            "weekdays": ["09:00", "18:00"],
            "holidays": ["2026-03-19"],
            "overrides": {"2026-12-24": [["09:00", "13:00"]]},
        }
    },
    "statuses": [
        {"name": "new", "category": "new", "initial": True},
        {"name": "pending_customer", "category": "pending", "label": "Waiting for you"},
        {"name": "closed", "category": "closed", "terminal": True},
        {"name": "on_hold", "category": "on_hold"},
    ],
    "transitions": [
        {"event": "ask", "source": "new", "target": "pending_customer", "roles": ["agent"]},
        {
            "event": "reply",
            "source": "pending_customer",
            "target": "new",
            "roles": ["customer"],
            "guard": "is_requester",
        },
        {
            "event": "auto_close",
            "source": "pending_customer",
            "target": "closed",
            "roles": ["system"],
        },
        {"event": "hold", "source": "new", "target": "on_hold", "roles": ["agent"]},
        {"event": "resume", "source": "on_hold", "target": "new", "roles": ["agent"]},
    ],
    "timers": [
        {
            "status": "pending_customer",
            "after": "3 business days",
            "event": "auto_close",
            "reminders": ["1 business day"],
        }
    ],
    "slas": [{"name": "first_reply", "target": "8 business hours", "stop_on": ["ask"]}],
}


def is_customer(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """The guard OLD names."""
    return ctx.actor == "customer"


def is_requester(ticket: tf.Ticket, ctx: tf.Context) -> bool:
    """The guard NEW names."""
    return ctx.actor == "customer"


REGISTRY = {"is_customer": is_customer, "is_requester": is_requester}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """old.toml and new.json in the current directory."""
    (tmp_path / "old.toml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(NEW), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "old.toml", "new.json"


class TestDiff:
    def test_the_exact_report_of_two_small_files(
        self, files: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every difference on its own line, the rename mapped, and the migrate verdict."""
        old_v = tf.load("old.toml", registry=REGISTRY).version
        new_v = tf.load("new.json", registry=REGISTRY).version
        status = main(
            ["diff", *files, "--map", "waiting=pending_customer", "--today", "2026-03-01"]
        )
        assert status == 1
        assert capsys.readouterr().out.splitlines() == [
            "old.toml -> new.json",
            "status waiting: renamed pending_customer (--map)",
            "status on_hold: added (on_hold)",
            'transition reply from pending_customer: guard: "is_customer" -> "is_requester"',
            "transition hold from new: added (-> on_hold)",
            "transition resume from on_hold: added (-> new)",
            'timer auto_close in pending_customer: after: "5 business days" -> "3 business days"',
            'timer auto_close in pending_customer: reminders: (none) -> ["1 business day"]',
            'sla first_reply: target: "4 business hours" -> "8 business hours"',
            'calendar: overrides: (none) -> {"2026-12-24": [["09:00", "13:00"]]}',
            'calendar: holidays: added "2026-03-19"',
            # Thursday 19 March is the one working day closed; 24 December stays a working day
            "calendar: days closed in the 12 months from 2026-03-01: 2026-03-19",
            f"stored tickets: need migrate (version {old_v} -> {new_v})",
        ]

    def test_without_the_map_a_rename_is_a_removal_and_an_addition(
        self, files: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["diff", *files, "--today", "2026-03-01"]) == 1
        out = capsys.readouterr().out.splitlines()
        assert "status waiting: removed (pending)" in out
        assert "status pending_customer: added (pending)" in out
        assert "  tickets in status waiting need --map / status_map to migrate" in out

    def test_the_same_behaviour_exits_0(
        self, files: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file and itself (and a preset and its dump) behave the same: exit 0."""
        version = tf.load(files[0], registry=REGISTRY).version
        assert main(["diff", files[0], files[0]]) == 0
        assert capsys.readouterr().out.splitlines()[1:] == [
            "no behavioural differences",
            f"stored tickets: no migrate needed (version {version})",
        ]
        tf.dump(presets.get("help-center"), "hc.yaml")
        assert main(["diff", "preset:help-center", "hc.yaml"]) == 0

    def test_a_registry_gives_the_real_callables_and_changes_nothing_here(
        self, files: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --registry the guards are opaque names; with it, the report is the same."""
        argv = ["diff", *files, "--map", "waiting=pending_customer", "--today", "2026-03-01"]
        assert main(argv) == 1
        opaque = capsys.readouterr().out
        assert main([*argv, "--registry", "tests.test_cli_diff:REGISTRY"]) == 1
        assert capsys.readouterr().out == opaque

    @pytest.mark.parametrize(
        ("argv", "fragment"),
        [
            (["diff", "old.toml", "missing.toml"], "missing.toml"),
            (["diff", "old.toml", "preset:nope"], "nope"),
            (["diff", "old.toml", "new.json", "--map", "waiting"], "OLD=NEW"),
            (["diff", "old.toml", "new.json", "--today", "soon"], "soon"),
            (["diff", "old.toml", "new.json", "--registry", "nomodule_here:X"], "nomodule_here"),
            (["diff", "old.toml"], "NEW"),
            (["diff", "old.toml", "new.json", "--map", "wating=pending_customer"], "'wating'"),
            (["diff", "old.toml", "new.json", "--map", "waiting=pending"], "'pending'"),
        ],
    )
    def test_usage_errors_and_unreadable_files_exit_2(
        self,
        files: tuple[str, str],
        capsys: pytest.CaptureFixture[str],
        argv: list[str],
        fragment: str,
    ) -> None:
        """One line on standard error naming the problem, nothing on standard output."""
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert fragment in captured.err
        assert "Traceback" not in captured.err

    def test_a_broken_or_invalid_file_exits_2(
        self, files: tuple[str, str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Truncated JSON, and a workflow without an initial status, each name the file."""
        Path("broken.json").write_text(json.dumps(NEW)[:-1], encoding="utf-8")
        assert main(["diff", "old.toml", "broken.json"]) == 2
        assert "broken.json" in capsys.readouterr().err
        statuses: list[dict[str, Any]] = NEW["statuses"]
        statuses = [{**s, "initial": False} for s in statuses]
        Path("invalid.json").write_text(json.dumps({**NEW, "statuses": statuses}), encoding="utf-8")
        assert main(["diff", "old.toml", "invalid.json"]) == 2
        assert "invalid.json: invalid workflow" in capsys.readouterr().err
