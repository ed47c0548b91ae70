"""A griffe extension for the API reference: Sphinx roles in docstrings become Markdown.

The docstrings name other objects as Sphinx does (``:func:`~ticketflow.load```,
``:class:`Workflow```); mkdocstrings reads Markdown. A role naming a public
object (``ticketflow.NAME`` for an exported NAME, or a member of one) becomes a
link to its entry; any other role becomes inline code. ``~`` shows only the
last part of the name, as in Sphinx.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

import ticketflow
import ticketflow.presets
import ticketflow.testing

#: Beside ``ticketflow.__all__``, the packages the reference documents.
_PACKAGES = ("presets", "testing")

_ROLE = re.compile(r":(?:func|class|meth|data|attr|mod|exc|obj):`(~?)([\w.]+)(?:\(\))?`")


_TOP = {(ticketflow, name) for name in _PACKAGES}


def _documented(target: str) -> bool:
    """Whether ``target`` has an entry: a public name reached from ``ticketflow``."""
    head, *rest = target.split(".")
    value: object = ticketflow
    if head != "ticketflow" or not rest:
        return False
    for part in rest:
        if part.startswith("_"):
            return False
        public = getattr(value, "__all__", None)
        if public is not None and part not in public and (value, part) not in _TOP:
            return False
        try:
            value = getattr(value, part)
        except AttributeError:
            return False
    return True


def _markdown(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    shown = target.rsplit(".", 1)[-1] if short else target
    return f"[`{shown}`][{target}]" if _documented(target) else f"`{shown}`"


class SphinxRoles(griffe.Extension):
    """Rewrites the Sphinx roles of every docstring as Markdown links or code."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_markdown, obj.docstring.value)
