"""Regression table for workflow files and plain-data definitions.

Each case gives bad input to ``tf.load``, ``tf.dump``, ``Workflow.from_dict``
or ``Workflow.to_dict`` and asserts, within the time bound, the named error
and a fragment of its message (the key, path or value at fault).
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import ticketflow as tf
from tests.bounds import named_or_ok


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


def full() -> dict[str, Any]:
    """A valid workflow that uses every key of the format."""
    return minimal(
        description="d",
        calendar="office",
        calendars={
            "office": {
                "timezone": "Europe/Madrid",
                "hours": {"mon": [["09:00", "17:00"]]},
                "holidays": [{"country": "ES", "subdiv": "MD", "observed": True}, "2026-12-24"],
                "overrides": {"2026-12-31": [["09:00", "13:00"]]},
            }
        },
        statuses=[
            {"name": "new", "category": "new", "initial": True, "label": "New"},
            {"name": "waiting", "category": "pending", "description": "w", "terminal": False},
            {"name": "done", "category": "closed", "terminal": True},
        ],
        transitions=[
            {
                "event": "ask",
                "source": "new",
                "target": "waiting",
                "roles": ["agent"],
                "sub_status": "vendor",
                "label": "Ask",
                "restarts_timers": False,
            },
            {
                "event": "nudge",
                "source": ["waiting"],
                "guard": "g",
                "effects": [{"kind": "notify", "name": "mail", "data": {"t": 1}}],
            },
            {"event": "who", "source": "new", "sub_status": {"function": "g"}},
            {"event": "finish", "source": ["new", "waiting"], "target": "done"},
            {"event": "expire", "source": "waiting", "target": "done", "roles": ["system"]},
        ],
        timers=[
            {
                "status": "waiting",
                "after": "4 days",
                "event": "expire",
                "reminders": ["1 day"],
                "remind_before": ["1 day"],
                "calendar": "always_open",
            }
        ],
        slas=[
            {
                "name": "first",
                "target": "15bm",
                "when": {"plan": ["gold"]},
                "calendar": "office",
                "start_on": "ask",
                "stop_on": ["finish"],
                "restart_on": ["nudge"],
                "pause_in": ["pending"],
            }
        ],
    )


def guard(ticket: tf.Ticket, context: tf.Context) -> bool:
    """A registered guard and sub_status function for :func:`full`."""
    return True


REGISTRY: dict[str, object] = {"g": guard}


def expect(call: Callable[[], object], error: type[Exception], words: str, label: str) -> Exception:
    """Run ``call`` under the bound; it must raise ``error`` with ``words`` in its message."""
    got = named_or_ok(call, label)
    assert isinstance(got, error), f"{label}: expected {error.__name__}, got {type(got).__name__}"
    assert words in str(got), f"{label}: {words!r} not in {str(got)!r}"
    return got


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- 1. what is not a regular file, or too big -------------------------------------------


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.toml"
    os.mkfifo(path)
    return path


def _directory(tmp: Path) -> Path:
    path = tmp / "folder.json"
    path.mkdir()
    return path


def _dev_zero(tmp: Path) -> Path:
    path = tmp / "zero.yaml"
    path.symlink_to("/dev/zero")
    return path


def _socket(tmp: Path) -> Path:
    path = tmp / "s.json"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return path


def _big(suffix: str) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / f"big{suffix}"
        with path.open("wb") as f:
            f.write(b'"' + b"x" * tf.MAX_FILE_BYTES + b'"')
        return path

    return make


def _big_sparse(tmp: Path) -> Path:
    path = tmp / "sparse.json"
    with path.open("wb") as f:
        f.truncate(10 * 1024**3)
    return path


def _missing(tmp: Path) -> Path:
    return tmp / "absent.toml"


FILE_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("fifo", _fifo, "a named pipe (FIFO), not a regular file"),
    ("directory", _directory, "a directory, not a regular file"),
    ("dev-zero", _dev_zero, "a character device, not a regular file"),
    ("socket", _socket, "can't read the file"),
    ("big-json", _big(".json"), "larger than 4,194,304 bytes"),
    ("big-toml", _big(".toml"), "larger than 4,194,304 bytes"),
    ("big-yaml", _big(".yaml"), "larger than 4,194,304 bytes"),
    ("sparse-10-GiB", _big_sparse, "larger than 4,194,304 bytes"),
    ("missing", _missing, "can't read the file"),
]


class TestFileKinds:
    @pytest.mark.parametrize(("label", "make", "words"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
    def test_refused_at_once_naming_the_path(
        self, tmp_path: Path, label: str, make: Callable[[Path], Path], words: str
    ) -> None:
        """A FIFO, directory, device, socket, huge or missing file raises LoadError naming it."""
        path = make(tmp_path)
        err = expect(lambda: tf.load(path), tf.LoadError, words, label)
        assert isinstance(err, tf.LoadError)
        assert err.path == str(path)
        assert str(err).startswith(f"{path}: ")

    @pytest.mark.parametrize(
        ("path", "words"),
        [
            (123, "path must be a str or os.PathLike, got 123"),
            (None, "got None"),
            (b"flow.json", "got b'flow.json'"),
            ("flow.ini", "unknown file type '.ini'"),
            ("flow", "unknown file type '(none)'"),
            ("fl\x00ow.json", "can't read the file"),
        ],
    )
    def test_bad_paths(self, path: Any, words: str) -> None:
        """A path of the wrong type, suffix or characters raises LoadError saying so."""
        expect(lambda: tf.load(path), tf.LoadError, words, repr(path))

    def test_a_file_just_at_the_limit_is_read(self, tmp_path: Path) -> None:
        """A file of exactly MAX_FILE_BYTES is read (and then refused for what it holds)."""
        text = json.dumps(minimal(description="x"))
        pad = tf.MAX_FILE_BYTES - len(text)
        path = write(tmp_path, "edge.json", text[:-1] + " " * pad + "}")
        assert path.stat().st_size == tf.MAX_FILE_BYTES
        got = named_or_ok(lambda: tf.load(path), "edge")
        assert isinstance(got, tf.Workflow)

    def test_a_fifo_with_a_writer_is_still_refused(self, tmp_path: Path) -> None:
        """A FIFO is refused even while something writes to it, and load never waits."""
        path = _fifo(tmp_path)
        done = threading.Event()

        def writer() -> None:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                done.wait(2)
                return
            done.wait(2)
            os.close(fd)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            expect(lambda: tf.load(path), tf.LoadError, "FIFO", "fifo-writer")
        finally:
            done.set()
            thread.join()


# --- 2. bytes that are not UTF-8 text, and parser limits ---------------------------------

NUMBER = "1" * 5000
DEEP = 100_000

TEXT_CASES: list[tuple[str, str, bytes | str, str]] = [
    ("bom-json", ".json", b"\xef\xbb\xbf" + json.dumps(minimal()).encode(), "byte order mark"),
    ("bom-toml", ".toml", b'\xef\xbb\xbfname = "x"\n', "byte order mark"),
    ("bom-yaml", ".yaml", b"\xef\xbb\xbfname: x\n", "byte order mark"),
    ("utf16", ".json", json.dumps(minimal()).encode("utf-16"), "not valid UTF-8"),
    ("latin1", ".toml", b'name = "caf\xe9"\n', "not valid UTF-8: byte 0xe9"),
    ("bad-utf8-line", ".yaml", b"name: x\ndescription: \xff\n", ":2: not valid UTF-8"),
    ("overlong", ".json", b'{"name": "\xc0\xaf"}', "not valid UTF-8"),
    ("surrogate-bytes", ".json", b'{"name": "\xed\xa0\x80"}', "not valid UTF-8"),
    ("deep-json", ".json", "[" * DEEP + "]" * DEEP, "nested too deeply"),
    ("deep-json-objects", ".json", '{"a":' * DEEP + "1" + "}" * DEEP, "nested too deeply"),
    ("deep-toml", ".toml", "a = " + "[" * DEEP + "]" * DEEP, "nested too deeply"),
    ("deep-toml-inline", ".toml", "a = " + "{b=" * 5000 + "1" + "}" * 5000, "nested too deeply"),
    ("deep-yaml-flow", ".yaml", "a: " + "[" * 5000 + "]" * 5000, "not valid YAML"),
    ("deep-yaml-block", ".yaml", "a: " + "- " * 5000 + "x", "not valid YAML"),
    ("deep-json-33", ".json", '{"name": ' + "[" * 40 + "]" * 40 + "}", "MAX_DEPTH"),
    ("deep-yaml-33", ".yaml", "name: " + "[" * 40 + "]" * 40, "name" + "[0]" * 31),
    ("long-int-json", ".json", '{"name": ' + NUMBER + "}", "name: a number with 5,000 digits"),
    ("long-int-json-neg", ".json", '{"name": -' + NUMBER + "}", "more than 4300"),
    ("long-int-toml", ".toml", 'name = "x"\nlimit = ' + NUMBER, ":2: not valid TOML"),
    ("long-int-yaml", ".yaml", "name: x\nlimit: " + NUMBER, ":2: not valid YAML"),
    ("long-float-yaml", ".yaml", "name: " + NUMBER + ".5", "too long"),
    ("sexagesimal-yaml", ".yaml", "name: 1" + ":10" * 3000, "too long"),
    ("json-nan", ".json", '{"name": NaN}', "name: NaN is not a JSON number"),
    ("json-infinity", ".json", '{"name": -Infinity}', "-Infinity is not a JSON number"),
    ("json-1e400", ".json", '{"name": 1e400}', "name: inf is not a finite number"),
    (
        "json-nan-in-effect",
        ".json",
        json.dumps(minimal()).replace(
            '"target": "done"}', '"target": "done", "effects": [{"kind": "k", "data": {"x": NaN}}]}'
        ),
        "transitions[0].effects[0].data.x: NaN",
    ),
    ("toml-nan", ".toml", "name = nan", "name: nan is not a finite number"),
    ("toml-inf", ".toml", "name = -inf", "name: -inf is not a finite number"),
    ("yaml-nan", ".yaml", "name: .nan", "name: nan is not a finite number"),
    ("yaml-inf", ".yaml", "name: .inf", "name: inf is not a finite number"),
    ("json-dup", ".json", '{"name": "a", "name": "b"}', "duplicate key 'name'"),
    (
        "json-dup-nested",
        ".json",
        json.dumps(minimal()).replace('"initial": true', '"initial": true, "initial": false'),
        "statuses[0]: duplicate key 'initial'",
    ),
    ("yaml-dup", ".yaml", "name: a\nname: b\n", ":2: not valid YAML: duplicate key 'name'"),
    ("yaml-dup-flow", ".yaml", "name: x\nstatuses: [{name: a, name: b}]", "duplicate key"),
    ("yaml-dup-quoted", ".yaml", "name: a\n'name': b\n", "duplicate key 'name'"),
    ("toml-dup", ".toml", 'name = "a"\nname = "b"\n', "not valid TOML"),
    (
        "yaml-tag-python",
        ".yaml",
        "name: !!python/object/apply:os.system ['true']",
        "not valid YAML",
    ),
    ("yaml-tag-custom", ".yaml", "name: !secret x", "not valid YAML"),
    ("yaml-tag-binary", ".yaml", "name: !!binary aGVsbG8=", "name: b'hello' (bytes) is not plain"),
    ("yaml-tag-set", ".yaml", "name: !!set {a, b}", "(set) is not plain data"),
    ("yaml-timestamp", ".yaml", "name: 2026-01-01T10:00:00Z", "(datetime) is not plain data"),
    ("yaml-omap", ".yaml", "name: x\nstatuses: !!omap [a: 1]", "statuses[0]: expected a table"),
    ("yaml-year-0", ".yaml", "name: 0000-01-01", "not valid YAML: can't read"),
    ("yaml-bad-offset", ".yaml", "name: 2001-12-14t21:59:43.10+99:00", "not valid YAML"),
    ("yaml-int-key", ".yaml", "name: x\n1: y\n", "key 1 is not a string"),
    ("yaml-null-key", ".yaml", "name: x\n~: y\n", "key None is not a string"),
    ("yaml-bool-key", ".yaml", "name: x\ncalendars: {c: {hours: {on: []}}}", "key True"),
    ("yaml-list-key", ".yaml", "name: x\n? [a]\n: y\n", "not valid YAML"),
    ("yaml-two-docs", ".yaml", "name: a\n---\nname: b\n", "not valid YAML"),
    ("yaml-empty", ".yaml", "", "expected a table at the top, got NoneType None"),
    ("toml-datetime", ".toml", "name = 1979-05-27T07:32:00Z", "(datetime) is not plain data"),
    ("toml-time", ".toml", "name = 07:32:00", "(time) is not plain data"),
    ("json-top-list", ".json", "[1, 2]", "expected a table at the top, got a list"),
    ("json-top-string", ".json", '"x"', "expected a table at the top"),
    ("json-lone-surrogate", ".json", '{"name": "\\ud800"}', "name: '\\ud800' is not valid Unicode"),
    ("json-nul", ".json", "\x00", "not valid JSON"),
    ("yaml-nul", ".yaml", "name: \x00", "not valid YAML"),
    ("toml-nul", ".toml", 'name = "\x00"', "not valid TOML"),
    ("empty-json", ".json", "", "not valid JSON"),
    (
        "yaml-too-many-marks",
        ".yaml",
        "name: x\nd: [" + ",".join("1" * 110_000) + "]",
        "more than 200,000 (MAX_DATA_NODES)",
    ),
    (
        "toml-too-many-marks",
        ".toml",
        'name = "x"\nd = [' + ",".join("1" * 210_000) + "]",
        "more than 200,000 (MAX_DATA_NODES)",
    ),
    (
        "json-too-many-values",
        ".json",
        '{"name": "x", "d": [' + ",".join("1" * 210_000) + "]}",
        "d[199997]: more than 200,000 values",
    ),
]


class TestTextAndParsers:
    @pytest.mark.parametrize(
        ("label", "suffix", "content", "words"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES]
    )
    def test_refused_with_a_load_error(
        self, tmp_path: Path, label: str, suffix: str, content: bytes | str, words: str
    ) -> None:
        """Bad bytes, nesting, numbers, constants, tags, keys and duplicates raise LoadError."""
        path = write(tmp_path, f"flow{suffix}", content)
        err = expect(lambda: tf.load(path), tf.LoadError, words, label)
        assert isinstance(err, tf.LoadError)
        assert err.path == str(path)


# --- 3. aliases, merges and cycles --------------------------------------------------------


def _laughs(levels: int) -> str:
    lines = ["name: x", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def _laughs_in_effect(levels: int) -> str:
    anchors = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        anchors.append(f"  x{i}: &a{i} [{refs}]")
    return (
        "name: bomb\n"
        "statuses: [{name: new, category: new, initial: true},"
        " {name: done, category: closed, terminal: true}]\n"
        "transitions:\n"
        "- event: finish\n  source: new\n  target: done\n"
        "  effects:\n  - kind: boom\n    data:\n      "
        + anchors[0]
        + "\n"
        + "\n".join("    " + a for a in anchors[1:])
        + "\n"
    )


def _merge_bomb(keys: int, copies: int) -> str:
    mapping = ", ".join(f"k{i}: {i}" for i in range(keys))
    refs = ", ".join(["*base"] * copies)
    return f"name: x\nbase: &base {{{mapping}}}\nmerged: {{<<: [{refs}]}}\n"


ALIAS_CASES: list[tuple[str, str, str]] = [
    ("laughs-9", _laughs(9), "more than 200,000 values"),
    ("laughs-6-under-budget", _laughs(5), "a0: unknown key"),
    ("laughs-in-effect-data", _laughs_in_effect(9), "transitions[0].effects[0].data"),
    ("recursive-list", "name: x\nd: &a [1, *a]\n", "d[1]: contains itself (a cycle)"),
    ("recursive-map", "name: x\nd: &a {k: *a}\n", "d.k: contains itself"),
    ("recursive-top", "&top {name: x, self: *top}", "self: contains itself"),
    ("merge-bomb", _merge_bomb(500, 500), "merge keys (<<) go through more than 200,000"),
    (
        "merge-chain",
        "name: x\na: &a {k: 1}\nb: &b {<<: [*a, *a]}\nc: {<<: [*b, *b]}\n",
        "a: unknown key 'a'",
    ),
    ("merge-non-map", "name: x\nb: {<<: [1]}\n", "not valid YAML"),
    ("merge-self", "name: x\na: &a {<<: *a}\n", "a: unknown key"),
]


class TestAliases:
    @pytest.mark.parametrize(
        ("label", "text", "words"), ALIAS_CASES, ids=[c[0] for c in ALIAS_CASES]
    )
    def test_bounded_and_named(self, tmp_path: Path, label: str, text: str, words: str) -> None:
        """Alias bombs, cycles and merge bombs raise LoadError naming the key, within the bound."""
        path = write(tmp_path, "flow.yaml", text)
        expect(lambda: tf.load(path), tf.LoadError, words, label)

    def test_shared_effect_data_is_copied(self, tmp_path: Path) -> None:
        """Effect data loaded through an alias is a plain copy: nothing is shared."""
        text = _laughs_in_effect(2)
        wf = tf.load(write(tmp_path, "flow.yaml", text))
        data = wf.transitions[0].effects[0].data
        assert data is not None
        assert data["x1"][0] == data["x0"]
        assert data["x1"][0] is not data["x1"][1]
        assert data["x1"][0] is not data["x0"]


# --- 4. every wrong type at every key -----------------------------------------------------


def _paths(value: Any, where: str = "") -> list[tuple[str, tuple[Any, ...]]]:
    """Every (dotted key, access path) in ``value``."""
    out: list[tuple[str, tuple[Any, ...]]] = []

    def walk(v: Any, at: str, steps: tuple[Any, ...]) -> None:
        if steps:
            out.append((at, steps))
        if isinstance(v, dict):
            for k, item in v.items():
                walk(item, f"{at}.{k}" if at else k, (*steps, k))
        elif isinstance(v, list):
            for i, item in enumerate(v):
                walk(item, f"{at}[{i}]", (*steps, i))

    walk(value, where, ())
    return out


def _replaced(steps: tuple[Any, ...], new: Any) -> dict[str, Any]:
    data = full()
    target: Any = data
    for step in steps[:-1]:
        target = target[step]
    target[steps[-1]] = new
    return data


class _Thing:
    """An object that is not plain data."""

    def __repr__(self) -> str:
        return "<thing>"


WRONG: list[tuple[str, object]] = [
    ("int", 7),
    ("float", 2.5),
    ("bool", False),
    ("none", None),
    ("object", _Thing()),
    ("set", {"a"}),
    ("datetime", datetime(2026, 1, 1, tzinfo=UTC)),
]

#: Places where a value of another type is still valid data: effect data is free JSON;
#: a ``when`` value is any scalar.
FREE = ("transitions[1].effects[0].data.t", "slas[0].when.plan[0]")

TYPE_CASES = [
    (path, steps, label, value)
    for path, steps in _paths(full())
    for label, value in WRONG
    if not path.startswith(FREE)
    and not (label in ("int", "float", "bool", "none") and path.startswith(FREE[1][:-3]))
    and not (label == "bool" and path.endswith(("initial", "terminal", "timers", "observed")))
    and not (label == "none" and path.endswith(".data"))
]


class TestWrongTypes:
    @pytest.mark.parametrize(
        ("path", "steps", "label", "value"),
        TYPE_CASES,
        ids=[f"{c[0]}={c[2]}" for c in TYPE_CASES],
    )
    def test_every_key_names_itself(
        self, path: str, steps: tuple[Any, ...], label: str, value: object
    ) -> None:
        """A value of the wrong type anywhere raises LoadError whose key is that place."""
        data = _replaced(steps, value)
        err = named_or_ok(lambda: tf.Workflow.from_dict(data, registry=REGISTRY), path)
        assert isinstance(err, tf.LoadError), f"{path}={label}: got {type(err).__name__}"
        assert err.key is not None
        assert err.key == path or path.startswith(err.key), (path, str(err))


# --- 5. plain data from code --------------------------------------------------------------


def _cyclic() -> dict[str, Any]:
    data = minimal()
    data["transitions"].append(data["transitions"])
    return data


def _deep() -> dict[str, Any]:
    data: dict[str, Any] = {}
    node = data
    for _ in range(5000):
        node["k"] = {}
        node = node["k"]
    return minimal(description=data)


def _wide_dag() -> dict[str, Any]:
    row: list[Any] = [0] * 100
    for _ in range(5):
        row = [row] * 100
    return minimal(description=row)


def _effect_data(data: object) -> dict[str, Any]:
    out = minimal()
    out["transitions"][0]["effects"] = [{"kind": "k", "data": data}]
    return out


class _Weird(dict[str, Any]):
    """A dict subclass with a repr that fails."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


DATA_CASES: list[tuple[str, Callable[[], object], object, str]] = [
    ("cycle", _cyclic, None, "transitions[1][0]" if False else "contains itself"),
    ("deep", _deep, None, "MAX_DEPTH"),
    ("dag-bomb", _wide_dag, None, "more than 200,000 values"),
    ("top-list", lambda: [minimal()], None, "expected a table, got a list"),
    ("top-none", lambda: None, None, "expected a table"),
    ("top-string", lambda: "name", None, "expected a table"),
    ("top-int-key", lambda: {**minimal(), 1: "x"}, None, "key 1 is not a string"),  # type: ignore[misc]
    ("top-date-key", lambda: {**minimal(), date(2026, 1, 1): "x"}, None, "is not a string"),  # type: ignore[misc]
    ("bytes", lambda: minimal(name=b"x"), None, "name: b'x' (bytes) is not plain data"),
    ("big-int", lambda: minimal(name=10**5000), None, "more than 4300 digits"),
    ("nan", lambda: minimal(name=float("nan")), None, "name: nan is not a finite number"),
    ("surrogate", lambda: minimal(name="\udcff"), None, "not valid Unicode"),
    ("surrogate-key", lambda: {**minimal(), "\ud800": 1}, None, "not valid Unicode"),
    ("datetime", lambda: minimal(name=datetime(2026, 1, 1)), None, "(datetime) is not plain"),
    ("effect-date", lambda: _effect_data({"d": date(2026, 1, 1)}), None, "is not JSON values"),
    ("effect-list", lambda: _effect_data([1]), None, "data: expected a table, got a list"),
    ("effect-cycle", lambda: _effect_data(_cyclic()), None, "contains itself"),
    ("effect-tuple-key", lambda: _effect_data({(1, 2): 3}), None, "key (1, 2) is not a string"),
    ("bad-repr", lambda: minimal(name=_Weird()), None, "expected a string, got a table"),
    ("registry-list", minimal, ["g"], "registry must be a mapping of names, got ['g']"),
    ("registry-int-key", minimal, {1: guard}, "registry name 1 is not a string"),
    ("registry-str", minimal, "g", "registry must be a mapping"),
    (
        "guard-not-callable",
        lambda: {**minimal(), "transitions": [{"event": "f", "source": "new", "guard": "g"}]},
        {"g": 3},
        "not callable",
    ),
    (
        "long-duration",
        lambda: minimal(timers=[{"status": "new", "after": NUMBER + " days", "event": "finish"}]),
        None,
        "timers[0].after: can't parse duration",
    ),
    (
        "hours-date-key",
        lambda: minimal(calendars={"c": {"hours": {date(2026, 1, 1): []}}}),
        None,
        "calendars.c.hours: expected a string",
    ),
    (
        "calendars-date-key",
        lambda: minimal(calendars={date(2026, 1, 1): {}}),
        None,
        "calendars: expected a string",
    ),
    (
        "when-date-key",
        lambda: minimal(slas=[{"name": "s", "target": "1h", "when": {date(2026, 1, 1): 1}}]),
        None,
        "slas[0].when: key datetime.date",
    ),
    (
        "category-empty",
        lambda: minimal(
            statuses=[
                {"name": "new", "category": "", "initial": True},
                {"name": "done", "category": "closed", "terminal": True},
            ]
        ),
        None,
        "category",
    ),
]


class TestPlainData:
    @pytest.mark.parametrize(
        ("label", "make", "registry", "words"), DATA_CASES, ids=[c[0] for c in DATA_CASES]
    )
    def test_from_dict_refuses(
        self, label: str, make: Callable[[], object], registry: object, words: str
    ) -> None:
        """Cycles, depth, shared bombs, wrong types and bad registries raise a named error."""
        data = make()
        got = named_or_ok(lambda: tf.Workflow.from_dict(data, registry=registry), label)  # type: ignore[arg-type]
        assert isinstance(got, tf.LoadError | tf.WorkflowError), (
            f"{label}: got {type(got).__name__}"
        )
        assert words in str(got), f"{label}: {words!r} not in {str(got)!r}"

    def test_the_caller_data_is_not_kept(self) -> None:
        """from_dict copies effect data: changing the caller's dict later changes nothing."""
        data = _effect_data({"t": [1]})
        wf = tf.Workflow.from_dict(data)
        data["transitions"][0]["effects"][0]["data"]["t"].append(2)
        assert wf.transitions[0].effects[0].data == {"t": [1]}


# --- 6. writing ---------------------------------------------------------------------------


def _workflow(**extra: Any) -> tf.Workflow:
    return tf.Workflow(
        "w",
        statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
        transitions=[tf.Transition("go", source="a", target="b", **extra)],
    )


def _effect_wf(data: Any) -> tf.Workflow:
    return _workflow(effects=[tf.Effect("k", data=data)])


def _cycle_data() -> dict[str, Any]:
    data: dict[str, Any] = {}
    data["self"] = data
    return data


def _deep_data() -> dict[str, Any]:
    data: dict[str, Any] = {}
    node = data
    for _ in range(5000):
        node["k"] = {}
        node = node["k"]
    return data


TO_DICT_CASES: list[tuple[str, Callable[[], object], object, str]] = [
    ("not-a-workflow", lambda: "w", None, "expected a Workflow, got 'w'"),
    ("none", lambda: None, None, "expected a Workflow, got None"),
    ("registry-list", _workflow, [1], "registry must be a mapping"),
    ("registry-int-key", _workflow, {1: tf.ALWAYS_OPEN}, "registry name 1 is not a string"),
    ("effect-surrogate", lambda: _effect_wf({"x": "\ud800"}), None, "not valid Unicode"),
    ("lambda-guard", lambda: _workflow(guard=lambda t, c: True), None, "no usable name"),
]


# Effect data that is not JSON values is refused when the transition is built, before
# anything can try to write it.
EFFECT_BUILD_CASES = [
    ("effect-object", lambda: _effect_wf({"x": _Thing()})),
    ("effect-cycle", lambda: _effect_wf(_cycle_data())),
    ("effect-deep", lambda: _effect_wf(_deep_data())),
    ("effect-nan", lambda: _effect_wf({"x": float("inf")})),
    ("effect-datetime", lambda: _effect_wf({"x": datetime(2026, 1, 1, tzinfo=UTC)})),
    ("effect-date", lambda: _effect_wf({"x": date(2026, 1, 1)})),
    ("effect-int-key", lambda: _effect_wf({1: "x"})),
    ("effect-big-int", lambda: _effect_wf({"x": 10**5000})),
]


class TestWriting:
    @pytest.mark.parametrize(
        ("label", "make"), EFFECT_BUILD_CASES, ids=[c[0] for c in EFFECT_BUILD_CASES]
    )
    def test_unwritable_effect_data_is_refused_when_built(
        self, label: str, make: Callable[[], object]
    ) -> None:
        """Effect data that no file could hold raises WorkflowError naming the data."""
        with pytest.raises(tf.WorkflowError, match="data"):
            make()

    @pytest.mark.parametrize(
        ("label", "make", "registry", "words"), TO_DICT_CASES, ids=[c[0] for c in TO_DICT_CASES]
    )
    def test_to_dict_and_dump_refuse(
        self, tmp_path: Path, label: str, make: Callable[[], object], registry: object, words: str
    ) -> None:
        """What cannot be written raises LoadError naming it, and dump leaves no file."""
        wf = make()
        expect(
            lambda: tf.dump(wf, tmp_path / "out.json", registry=registry),  # type: ignore[arg-type]
            tf.LoadError,
            words,
            label,
        )  # type: ignore[arg-type, unused-ignore]
        assert not (tmp_path / "out.json").exists()
        if isinstance(wf, tf.Workflow):
            expect(lambda: wf.to_dict(registry=registry), tf.LoadError, words, label)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("label", "where", "words"),
        [
            ("missing-folder", "nowhere/out.json", "can't write the file"),
            ("directory", "folder.json", "it is a directory, not a regular file"),
            ("fifo", "pipe.yaml", "it is a named pipe (FIFO), not a regular file"),
            ("under-a-file", "file.txt/out.toml", "can't write the file"),
            ("proc", "/proc/self/out.json", "can't write the file"),
            ("unknown-suffix", "out.ini", "unknown file type '.ini'"),
            ("no-suffix", "out", "unknown file type '(none)'"),
            ("nul", "o\x00ut.json", "can't write the file"),
            ("dev-null", "null.json", "a character device"),
        ],
    )
    def test_dump_refuses_paths(self, tmp_path: Path, label: str, where: str, words: str) -> None:
        """A missing folder, directory, FIFO, device or read-only place raises a LoadError."""
        (tmp_path / "folder.json").mkdir()
        (tmp_path / "file.txt").write_text("x")
        os.mkfifo(tmp_path / "pipe.yaml")
        (tmp_path / "null.json").symlink_to("/dev/null")
        path = where if where.startswith("/") else str(tmp_path / where)
        err = expect(lambda: tf.dump(_workflow(), path), tf.LoadError, words, label)
        assert isinstance(err, tf.LoadError)
        assert err.path == path

    @pytest.mark.parametrize("path", [3, None, b"out.json"])
    def test_dump_refuses_path_types(self, path: object) -> None:
        """A path of the wrong type raises LoadError saying what it got."""
        expect(lambda: tf.dump(_workflow(), path), tf.LoadError, "path must be", repr(path))  # type: ignore[arg-type]

    def test_a_refused_dump_leaves_the_file_as_it_was(self, tmp_path: Path) -> None:
        """A dump that fails (a lambda guard) does not touch an existing file."""
        path = tmp_path / "out.json"
        path.write_text("before")
        expect(
            lambda: tf.dump(_workflow(guard=lambda t, c: True), path),
            tf.LoadError,
            "no usable name",
            "keep",
        )
        assert path.read_text() == "before"

    def test_toml_none_is_named(self, tmp_path: Path) -> None:
        """None (a `when` matching a missing attribute) cannot be written as TOML."""
        wf = tf.Workflow(
            "w",
            statuses=[tf.Status("a", initial=True), tf.Status("b", terminal=True)],
            transitions=[tf.Transition("go", source="a", target="b")],
            slas=[tf.SLA("s", target="1h", when={"plan": None})],
        )
        expect(lambda: tf.dump(wf, tmp_path / "w.toml"), tf.LoadError, "slas[0].when.plan", "n")
