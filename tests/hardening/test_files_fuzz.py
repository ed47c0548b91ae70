"""Fuzzing workflow files and plain-data definitions.

Mutated preset definitions go through ``Workflow.from_dict``, and random or
mutated bytes through ``tf.load`` in every format; each call must, within the
time bound, give a workflow or a ``TicketflowError``. A workflow that loads
must write out and read back the same.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

import ticketflow as tf
import ticketflow.presets
from tests.bounds import FUZZ, named_or_ok
from ticketflow._loading import to_toml

#: Every callable the presets use, by the name their data gives it.
REGISTRY: dict[str, object] = {
    "waiting_for_entity": importlib.import_module(
        "ticketflow.presets.case_portal"
    ).waiting_for_entity,
    "first_reply_done": importlib.import_module("ticketflow.presets.zendesk_sla").first_reply_done,
}

PRESETS = {
    name: ticketflow.presets.get(name).to_dict(registry=REGISTRY)
    for name in ticketflow.presets.names()
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
wrong_values = json_values | st.sampled_from(
    [object(), {1, 2}, b"x", 10**5000, float("nan"), "\ud800", (1, 2), {1: "x"}]
)


def _places(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) pair in ``value``."""
    out: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, item in list(items):
            out.append((node, key))
            if isinstance(item, dict | list):
                stack.append(item)
    return out


@st.composite
def mutated_presets(draw: st.DrawFn) -> dict[str, Any]:
    """A preset's plain data with a few keys deleted, replaced, duplicated or nested."""
    data = copy.deepcopy(PRESETS[draw(st.sampled_from(sorted(PRESETS)))])
    for _ in range(draw(st.integers(1, 4))):
        places = _places(data)
        container, key = draw(st.sampled_from(places))
        if key not in (container if isinstance(container, dict) else range(len(container))):
            continue
        action = draw(st.sampled_from(["delete", "replace", "duplicate", "nest", "wrong"]))
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(json_values)
        elif action == "wrong":
            container[key] = draw(wrong_values)
        elif action == "duplicate":
            value = container[key]
            if isinstance(container, list):
                container.append(copy.deepcopy(value))
            else:
                container[key] = [value, copy.deepcopy(value)]
        else:
            container[key] = draw(st.sampled_from([[container[key]], {"k": container[key]}]))
    return data


def _round_trips(wf: tf.Workflow) -> None:
    data = wf.to_dict(registry=REGISTRY)
    again = tf.Workflow.from_dict(data, registry=REGISTRY)
    assert again == wf
    assert again.to_dict(registry=REGISTRY) == data


class TestFromDictFuzz:
    @FUZZ
    @given(data=mutated_presets())
    def test_mutated_presets_load_or_raise_a_named_error(self, data: dict[str, Any]) -> None:
        """A mutated preset definition gives a workflow or a TicketflowError, in time."""
        got = named_or_ok(lambda: tf.Workflow.from_dict(data, registry=REGISTRY), "from_dict")
        if isinstance(got, tf.Workflow):
            named_or_ok(lambda: _round_trips(got), "round trip")

    @FUZZ
    @given(data=json_values | wrong_values, registry=st.none() | json_values)
    def test_anything_at_all(self, data: Any, registry: Any) -> None:
        """Arbitrary values as data and registry give a TicketflowError, in time."""
        got = named_or_ok(lambda: tf.Workflow.from_dict(data, registry=registry), "anything")
        assert isinstance(got, tf.TicketflowError | tf.Workflow)


def _texts(data: dict[str, Any]) -> dict[str, bytes]:
    """The preset data as the bytes of each file format."""
    out = {
        ".json": json.dumps(data, indent=1).encode(),
        ".yaml": yaml.safe_dump(data, sort_keys=False).encode(),
    }
    with contextlib.suppress(tf.LoadError):
        out[".toml"] = to_toml(data).encode()
    return out


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A preset written in one format, its bytes then cut, flipped, repeated or spliced."""
    name = draw(st.sampled_from(sorted(PRESETS)))
    texts = _texts(PRESETS[name])
    suffix = draw(st.sampled_from(sorted(texts)))
    raw = bytearray(texts[suffix])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(raw) - 1, 0)))
        action = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "cut", "splice"]))
        if action == "flip" and raw:
            raw[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del raw[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            raw[at:at] = draw(
                st.binary(max_size=12)
                | st.sampled_from(
                    [b"[", b"{", b"&a ", b"*a", b"<<: ", b"!!binary ", b"\xef\xbb\xbf", b"NaN"]
                )
            )
        elif action == "repeat":
            end = min(len(raw), at + draw(st.integers(1, 60)))
            raw[at:at] = raw[at:end] * draw(st.integers(2, 50))
        elif action == "cut":
            del raw[at:]
        else:
            raw[at:at] = draw(st.binary(max_size=30))
    return suffix, bytes(raw)


class TestLoadFuzz:
    @FUZZ
    @given(case=mutated_files())
    def test_mutated_files_load_or_raise_a_named_error(self, case: tuple[str, bytes]) -> None:
        """Mutated file bytes give a workflow or a TicketflowError, in time."""
        suffix, raw = case
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"flow{suffix}"
            path.write_bytes(raw)
            got = named_or_ok(lambda: tf.load(path, registry=REGISTRY), f"load {suffix}")
            if isinstance(got, tf.Workflow):
                named_or_ok(lambda: _round_trips(got), "round trip")
                out = Path(folder) / f"out{suffix}"
                written = named_or_ok(lambda: tf.dump(got, out, registry=REGISTRY), "dump")
                if written is None:
                    again = named_or_ok(lambda: tf.load(out, registry=REGISTRY), "reload")
                    assert again == got

    @FUZZ
    @given(suffix=st.sampled_from([".json", ".yaml", ".yml", ".toml"]), raw=st.binary(max_size=300))
    def test_random_bytes(self, suffix: str, raw: bytes) -> None:
        """Random bytes in any format give a TicketflowError (or a workflow), in time."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"flow{suffix}"
            path.write_bytes(raw)
            got = named_or_ok(lambda: tf.load(path), f"random {suffix}")
            assert isinstance(got, tf.TicketflowError | tf.Workflow)

    @FUZZ
    @given(
        suffix=st.sampled_from([".json", ".yaml", ".toml"]),
        text=st.text(alphabet="[]{}:,-&*!<>\"' \n\tanmet=.#0123456789", max_size=200),
    )
    def test_random_syntax(self, suffix: str, text: str) -> None:
        """Random punctuation-heavy text gives a TicketflowError (or a workflow), in time."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"flow{suffix}"
            path.write_text(text, encoding="utf-8")
            got = named_or_ok(lambda: tf.load(path), f"syntax {suffix}")
            assert isinstance(got, tf.TicketflowError | tf.Workflow)
