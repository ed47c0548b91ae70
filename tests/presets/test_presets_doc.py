"""docs/presets.md shows each preset's diagram as generated, so it never drifts."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from ticketflow import presets

DOCS = Path(__file__).resolve().parents[2] / "docs"


class TestPresetsDoc:
    def test_doc_is_what_the_generator_writes(self) -> None:
        """docs/presets.md equals the output of docs/gen_presets.py (run it after a change)."""
        render = runpy.run_path(str(DOCS / "gen_presets.py"))["render"]
        assert (DOCS / "presets.md").read_text(encoding="utf-8") == render()

    def test_each_diagram_is_the_workflows_mermaid(self) -> None:
        """The doc holds one Mermaid block per preset, equal to ``wf.to_mermaid()``, in name
        order.
        """
        text = (DOCS / "presets.md").read_text(encoding="utf-8")
        blocks = re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)
        assert blocks == [presets.get(name).to_mermaid() for name in presets.names()]

    def test_every_preset_has_a_rules_table(self) -> None:
        """Every preset's section sets the article's words beside the preset's rules."""
        rules = runpy.run_path(str(DOCS / "gen_presets.py"))["RULES"]
        assert sorted(rules) == list(presets.names())
        assert all(len(rows) >= 5 for rows in rules.values())
