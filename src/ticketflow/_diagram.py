"""Diagrams generated from a workflow's own tables, so they never drift."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._durations import describe

if TYPE_CHECKING:
    from ._workflow import Workflow

__all__ = ["to_dot", "to_mermaid"]


def _quote(text: str) -> str:
    return text.replace('"', "'")


def to_mermaid(wf: Workflow) -> str:
    """A Mermaid ``stateDiagram-v2``: statuses with their labels, one edge per
    (source, event), timed events annotated with their delay, and terminal
    statuses leading to the end state.
    """
    timed: dict[tuple[str, str], str] = {}
    for tm in wf.timers:
        timed[(tm.status, tm.event)] = f" after {describe(tm.after)}"
    lines = ["stateDiagram-v2"]
    for s in wf.statuses:
        label = f"{s.title} ({s.category})"
        lines.append(f'    state "{_quote(label)}" as {s.name}')
    lines.append(f"    [*] --> {wf.initial}")
    terminal = {s.name for s in wf.statuses if s.terminal}
    seen: set[tuple[str, str, str]] = set()
    for t in wf.transitions:
        for src in t.source:
            sources = (
                [s.name for s in wf.statuses if s.name not in terminal] if src == "*" else [src]
            )
            for name in sources:
                target = t.target or name
                key = (name, target, t.event)
                if key in seen:
                    continue
                seen.add(key)
                roles = f" [{', '.join(sorted(t.roles))}]" if t.roles else ""
                delay = timed.get((name, t.event), "")
                lines.append(f"    {name} --> {target}: {t.event}{roles}{delay}")
    for end in sorted(terminal):
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
    timed: dict[tuple[str, str], str] = {}
    for tm in wf.timers:
        timed[(tm.status, tm.event)] = f" after {describe(tm.after)}"
    terminal = {s.name for s in wf.statuses if s.terminal}
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
    seen: set[tuple[str, str, str]] = set()
    for t in wf.transitions:
        for src in t.source:
            sources = (
                [s.name for s in wf.statuses if s.name not in terminal] if src == "*" else [src]
            )
            for name in sources:
                target = t.target or name
                key = (name, target, t.event)
                if key in seen:
                    continue
                seen.add(key)
                roles = f" [{', '.join(sorted(t.roles))}]" if t.roles else ""
                delay = timed.get((name, t.event), "")
                attrs = f"label={_dot_str(t.event + roles + delay)}"
                if delay or t.roles == frozenset({"system"}):
                    attrs += ", style=dashed"
                lines.append(f"    {_dot_str(name)} -> {_dot_str(target)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
