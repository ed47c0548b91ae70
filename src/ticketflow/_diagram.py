"""Diagrams generated from a workflow's own tables, so they never drift."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from attrs import frozen

from ._durations import describe

if TYPE_CHECKING:
    from ._workflow import Workflow

__all__ = ["to_dot", "to_mermaid"]


def _quote(text: str) -> str:
    return text.replace('"', "'")


@frozen
class _Edge:
    source: str
    target: str
    event: str
    roles: str  # " [agent, customer]" or ""
    delay: str  # " after 4 days" or ""
    system: bool  # only the system may send it


def _edges(wf: Workflow) -> Iterator[_Edge]:
    """One edge per (source, event, target), ``"*"`` expanded, in definition order."""
    timed = {(tm.status, tm.event): f" after {describe(tm.after)}" for tm in wf.timers}
    open_statuses = [s.name for s in wf.statuses if not s.terminal]
    seen: set[tuple[str, str, str]] = set()
    for t in wf.transitions:
        for src in t.source:
            for name in open_statuses if src == "*" else [src]:
                target = t.target or name
                key = (name, target, t.event)
                if key in seen:
                    continue
                seen.add(key)
                yield _Edge(
                    name,
                    target,
                    t.event,
                    f" [{', '.join(sorted(t.roles))}]" if t.roles else "",
                    timed.get((name, t.event), ""),
                    t.roles == frozenset({"system"}),
                )


def to_mermaid(wf: Workflow) -> str:
    """A Mermaid ``stateDiagram-v2``: statuses with their labels, one edge per
    (source, event), timed events annotated with their delay, and terminal
    statuses leading to the end state.
    """
    lines = ["stateDiagram-v2"]
    for s in wf.statuses:
        label = f"{s.title} ({s.category})"
        lines.append(f'    state "{_quote(label)}" as {s.name}')
    lines.append(f"    [*] --> {wf.initial}")
    for e in _edges(wf):
        lines.append(f"    {e.source} --> {e.target}: {e.event}{e.roles}{e.delay}")
    for end in sorted(s.name for s in wf.statuses if s.terminal):
        lines.append(f"    {end} --> [*]")
    return "\n".join(lines) + "\n"


def _dot_str(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines as ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(wf: Workflow) -> str:
    """A Graphviz DOT digraph: statuses labelled with their title and category,
    the initial one entered from a start point, terminal ones drawn with a
    double border, one edge per (source, event, target) with its roles, timed
    edges annotated with their delay, and timed or system moves dashed.
    """
    start = "__start__"
    while any(s.name == start for s in wf.statuses):
        start += "_"
    lines = [
        f"digraph {_dot_str(wf.name)} {{",
        "    rankdir=LR;",
        "    node [shape=box, style=rounded];",
        f'    {_dot_str(start)} [shape=point, label=""];',
    ]
    for s in wf.statuses:
        attrs = "label=" + _dot_str(f"{s.title}\n({s.category})")
        if s.terminal:
            attrs += ", peripheries=2"
        lines.append(f"    {_dot_str(s.name)} [{attrs}];")
    lines.append(f"    {_dot_str(start)} -> {_dot_str(wf.initial)};")
    for e in _edges(wf):
        attrs = f"label={_dot_str(e.event + e.roles + e.delay)}"
        if e.delay or e.system:
            attrs += ", style=dashed"
        lines.append(f"    {_dot_str(e.source)} -> {_dot_str(e.target)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
