"""Diagrams generated from a workflow's compiled :class:`Tables`, so they never drift."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ._durations import describe
from ._tables import Tables

__all__ = ["to_dot", "to_mermaid"]


_LINE_BREAKS = frozenset("\u2028\u2029\x85")

# Mermaid text ends at a line break, and its lexers stop at "#" and ";": swap them for
# look-alikes, and a double quote (which ends a state's label) for a single one.
_MERMAID_TEXT = {
    **dict.fromkeys(range(32), " "),
    **dict.fromkeys(range(127, 160), " "),
    **{ord(c): " " for c in _LINE_BREAKS},
    ord('"'): "'",
    ord("#"): "\uff03",
    ord(";"): "\uff1b",
}
_MERMAID_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words Mermaid's state diagrams read as keywords, never used as a state's id.
_MERMAID_WORDS = frozenset(
    [
        "as",
        "class",
        "classdef",
        "click",
        "default",
        "direction",
        "end",
        "hide",
        "note",
        "state",
        "style",
    ]
)


def _mermaid_text(text: str) -> str:
    """``text`` on one line, without the characters that end Mermaid text."""
    return text.translate(_MERMAID_TEXT)


def _mermaid_ids(wf: Tables) -> dict[str, str]:
    """A Mermaid id per status: its name when that is a plain identifier, else ``state_<n>``."""
    names = [s.name for s in wf.statuses.values()]
    taken = set(names)
    ids: dict[str, str] = {}
    for i, name in enumerate(names):
        if _MERMAID_ID.fullmatch(name) and name.lower() not in _MERMAID_WORDS:
            ids[name] = name
            continue
        candidate = f"state_{i}"
        while candidate in taken:
            candidate += "_"
        taken.add(candidate)
        ids[name] = candidate
    return ids


class _Edge(NamedTuple):
    source: str
    target: str
    event: str
    roles: str  # " [agent, customer]" or ""
    delay: str  # " after 4 days" or ""
    system: bool  # only the system may send it


def _edges(wf: Tables) -> Iterator[_Edge]:
    """One edge per (source, event, target), ``"*"`` expanded, in definition order."""
    timed = {
        (tm.status, tm.event): f" after {describe(tm.after)}" if tm.after else f" at {tm.at}"
        for tm in wf.timers
    }
    open_statuses = [s.name for s in wf.statuses.values() if not s.terminal]
    seen: set[tuple[str, str, str]] = set()
    for t in wf.transitions:
        roles = f" [{', '.join(sorted(t.roles))}]" if t.roles else ""
        system = t.roles == frozenset({"system"})
        for src in t.source:
            for name in open_statuses if src == "*" else [src]:
                target = t.target or name
                key = (name, target, t.event)
                if key in seen:
                    continue
                seen.add(key)
                yield _Edge(name, target, t.event, roles, timed.get((name, t.event), ""), system)


def to_mermaid(wf: Tables) -> str:
    """A Mermaid ``stateDiagram-v2``: statuses with their labels, one edge per
    (source, event), timed events annotated with their delay, and terminal
    statuses leading to the end state.
    """
    ids = _mermaid_ids(wf)
    lines = ["stateDiagram-v2"]
    for s in wf.statuses.values():
        label = f"{s.title} ({s.category})"
        lines.append(f'    state "{_mermaid_text(label)}" as {ids[s.name]}')
    lines.append(f"    [*] --> {ids[wf.initial]}")
    texts: dict[tuple[str, str, str], str] = {}
    for e in _edges(wf):
        key = (e.event, e.roles, e.delay)
        text = texts.get(key)
        if text is None:
            text = texts[key] = _mermaid_text(f"{e.event}{e.roles}{e.delay}")
        lines.append(f"    {ids[e.source]} --> {ids[e.target]}: {text}")
    for end in sorted(s.name for s in wf.statuses.values() if s.terminal):
        lines.append(f"    {ids[end]} --> [*]")
    return "\n".join(lines) + "\n"


# Backslashes and quotes escaped; "\n" and "\r" as DOT's own escapes, and every other
# control character or line break as "\u" and four hex digits. A literal backslash is
# always doubled, so two different texts never give the same DOT string.
_DOT_TEXT = {
    **{c: f"\\u{c:04x}" for c in range(32)},
    **{c: f"\\u{c:04x}" for c in range(127, 160)},
    **{ord(c): f"\\u{ord(c):04x}" for c in _LINE_BREAKS},
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\\"): "\\\\",
    ord('"'): '\\"',
}


def _dot_str(text: str) -> str:
    """A DOT quoted string on one line: backslashes and quotes escaped, line breaks as escapes."""
    return f'"{text.translate(_DOT_TEXT)}"'


def to_dot(wf: Tables) -> str:
    """A Graphviz DOT digraph: statuses labelled with their title and category,
    the initial one entered from a start point, terminal ones drawn with a
    double border, one edge per (source, event, target) with its roles, timed
    edges annotated with their delay, and timed or system moves dashed.
    """
    names = {s.name for s in wf.statuses.values()}
    start = "__start__"
    while start in names:
        start += "_"
    lines = [
        f"digraph {_dot_str(wf.name)} {{",
        "    rankdir=LR;",
        "    node [shape=box, style=rounded];",
        f'    {_dot_str(start)} [shape=point, label=""];',
    ]
    for s in wf.statuses.values():
        attrs = "label=" + _dot_str(f"{s.title}\n({s.category})")
        if s.terminal:
            attrs += ", peripheries=2"
        lines.append(f"    {_dot_str(s.name)} [{attrs}];")
    lines.append(f"    {_dot_str(start)} -> {_dot_str(wf.initial)};")
    quoted = {name: _dot_str(name) for name in names}
    edge_attrs: dict[tuple[str, str, str, bool], str] = {}
    for e in _edges(wf):
        key = (e.event, e.roles, e.delay, e.system)
        found = edge_attrs.get(key)
        if found is None:
            found = f"label={_dot_str(e.event + e.roles + e.delay)}"
            if e.delay or e.system:
                found += ", style=dashed"
            edge_attrs[key] = found
        lines.append(f"    {quoted[e.source]} -> {quoted[e.target]} [{found}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
