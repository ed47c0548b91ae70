"""Graphviz DOT export, checked structurally (no graphviz needed)."""

from __future__ import annotations

import re

import pytest

import ticketflow as tf
import ticketflow.presets

QUOTED = r'"((?:[^"\\]|\\.)*)"'
NODE = re.compile(rf"^    {QUOTED} \[(.*)\];$")
EDGE = re.compile(rf"^    {QUOTED} -> {QUOTED}(?: \[(.*)\])?;$")


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def parse(dot: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Nodes (name -> attributes) and edges (source, target, attributes) of ``dot``."""
    lines = dot.splitlines()
    assert lines[0].startswith("digraph ")
    assert lines[0].endswith(" {")
    assert lines[-1] == "}"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in lines[1:-1]:
        if edge := EDGE.match(line):
            edges.append((unquote(edge[1]), unquote(edge[2]), edge[3] or ""))
        elif node := NODE.match(line):
            nodes[unquote(node[1])] = node[2]
        else:
            assert line in ("    rankdir=LR;", "    node [shape=box, style=rounded];"), line
    return nodes, edges


def label(attrs: str) -> str:
    found = re.search(rf"label={QUOTED}", attrs)
    assert found is not None
    return unquote(found[1])


class TestDot:
    @pytest.mark.parametrize("name", ticketflow.presets.names())
    def test_every_status_and_move_is_drawn(self, name: str) -> None:
        """Each status is a node and each (source, event, target) an edge, as in the tables."""
        wf = ticketflow.presets.get(name)
        nodes, edges = parse(wf.to_dot())
        assert set(nodes) == {s.name for s in wf.statuses} | {"__start__"}
        for s in wf.statuses:
            assert label(nodes[s.name]) == f"{s.title}\n({s.category})"
            assert ("peripheries=2" in nodes[s.name]) == s.terminal
        terminal = {s.name for s in wf.statuses if s.terminal}
        expected = set()
        for t in wf.transitions:
            for src in t.source:
                for name_ in (
                    [s.name for s in wf.statuses if s.name not in terminal] if src == "*" else [src]
                ):
                    expected.add((name_, t.target or name_, t.event))
        drawn = {(a, b, label(attrs).split(" ")[0]) for a, b, attrs in edges if a != "__start__"}
        assert drawn == expected
        assert ("__start__", wf.initial, "") in edges

    def test_timed_and_system_moves_are_dashed_and_show_their_delay(self) -> None:
        """A timer's edge names its delay and is dashed; a manual edge shows roles, solid."""
        wf = ticketflow.presets.get("case-portal")
        _, edges = parse(wf.to_dot())
        by_event = {(a, label(attrs).split(" ")[0]): attrs for a, _, attrs in edges if attrs}
        timed = by_event[("waiting_for_customer", "auto_resolve")]
        assert label(timed) == "auto_resolve [system] after 4 days"
        assert "style=dashed" in timed
        manual = by_event[("new", "assign")]
        assert label(manual) == "assign [agent]"
        assert "dashed" not in manual

    def test_quotes_and_backslashes_in_labels_are_escaped(self) -> None:
        """Labels and names with quotes, backslashes and newlines stay valid DOT strings."""
        wf = tf.Workflow(
            'say "hi"',
            statuses=[
                tf.Status("new", category="new", initial=True, label='The "new" one \\ here'),
                tf.Status('do"ne', category="closed", terminal=True, label="two\nlines"),
            ],
            transitions=[tf.Transition("finish", source="new", target='do"ne')],
        )
        dot = wf.to_dot()
        assert dot.splitlines()[0] == 'digraph "say \\"hi\\"" {'
        nodes, edges = parse(dot)
        assert label(nodes["new"]) == 'The "new" one \\ here\n(new)'
        assert label(nodes['do"ne']) == "two\nlines\n(closed)"
        assert ("new", 'do"ne', 'label="finish"') in edges

    def test_a_status_called_like_the_start_point_does_not_clash(self) -> None:
        """The start point gets a name no status has."""
        wf = tf.Workflow(
            "w",
            statuses=[
                tf.Status("__start__", initial=True),
                tf.Status("end", category="closed", terminal=True),
            ],
            transitions=[tf.Transition("go", source="__start__", target="end")],
        )
        nodes, edges = parse(wf.to_dot())
        assert "__start___" in nodes
        assert ("__start___", "__start__", "") in edges
