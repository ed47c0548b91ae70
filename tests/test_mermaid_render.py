"""Every diagram the library draws renders: Mermaid in headless Chromium, DOT with Graphviz.

The Mermaid diagrams (each preset's, generated workflows', and one with the
names and labels Mermaid's lexers trip on) are rendered in one page by the
``mermaid`` package from the npm registry (``tools/mermaid``, installed with
``make mermaid``), in Debian's ``chromium`` started once. A diagram that does
not parse fails the test with Mermaid's own message; a deliberately broken one
rides in the same batch to show that a failure is seen. DOT output goes
through Graphviz's ``dot``. Under ``CI=true`` none of this is ever skipped: a
missing browser, renderer or ``dot`` fails.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import ticketflow as tf
from tests.bounds import examples
from ticketflow import presets
from ticketflow.testing import workflows

ROOT = Path(__file__).resolve().parent.parent
MERMAID_JS = ROOT / "tools" / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
    # the page's promises run on virtual time, so the DOM is dumped once they settle
    "--virtual-time-budget=600000",
)
#: A diagram Mermaid must refuse: an arrow with no target.
BROKEN = "stateDiagram-v2\n    a --> : no target\n"
GENERATED = examples(40)


def need(tool: str | None, what: str) -> str:
    """``tool``, or a skip (a failure under CI, where everything must run)."""
    if tool is None:
        message = f"{what} is not installed (make mermaid installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return tool


def hostile() -> tf.Workflow:
    """Names that are Mermaid keywords or not identifiers; labels and events with the
    characters that end Mermaid text (quotes, '#', ';', a line break)."""
    return tf.Workflow(
        name='odd "one"',
        statuses=[
            tf.Status("end", initial=True, label='Say "hi" #1; ok'),
            tf.Status("has space", label="two\nlines"),
            tf.Status("state", category="closed", terminal=True),
            tf.Status("ünï-code"),
        ],
        transitions=[
            tf.Transition("go;now #x", source="end", target="has space", roles=["agent"]),
            tf.Transition("-->", source="*", target="state"),
            tf.Transition("back", source="has space", target="ünï-code"),
            tf.Transition("x", source="ünï-code", target="end"),
        ],
    )


def generated() -> list[tf.Workflow]:
    """``GENERATED`` workflows from ``ticketflow.testing.workflows()``, the same on every run."""
    found: list[tf.Workflow] = []

    @settings(
        max_examples=GENERATED,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(workflows(max_statuses=8))
    def collect(wf: tf.Workflow) -> None:
        found.append(wf)

    collect()
    return found


@pytest.fixture(scope="module")
def drawn() -> dict[str, tf.Workflow]:
    flows = {f"preset {name}": presets.get(name) for name in presets.names()}
    flows["hostile names"] = hostile()
    flows.update({f"generated {i}": wf for i, wf in enumerate(generated())})
    return flows


def render_mermaid(diagrams: list[str], folder: Path) -> list[dict[str, Any]]:
    """Mermaid's verdict on each diagram, rendered in order in one headless Chromium page."""
    chromium = need(shutil.which("chromium"), "Debian's chromium")
    need(str(MERMAID_JS) if MERMAID_JS.exists() else None, "the npm mermaid package")
    data = json.dumps(diagrams).replace("</", "<\\/")
    page = folder / "render.html"
    page.write_text(
        f"""<!doctype html><html><head><meta charset="utf-8">
<script src="{MERMAID_JS.as_uri()}"></script></head>
<body><pre id="out">NOT RUN</pre>
<script>
const diagrams = {data};
(async () => {{
  const results = [];
  try {{
    mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
    for (let i = 0; i < diagrams.length; i++) {{
      try {{
        const drawn = await mermaid.render("d" + i, diagrams[i]);
        results.push({{ok: drawn.svg.includes("<svg"), error: null}});
      }} catch (e) {{
        results.push({{ok: false, error: String((e && e.message) || e)}});
      }}
    }}
  }} catch (e) {{
    results.push({{ok: false, error: "mermaid did not start: " + e}});
  }}
  const text = JSON.stringify(results);
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  document.getElementById("out").textContent = "RESULT:" + btoa(binary) + ":END";
}})();
</script></body></html>""",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = re.search(r"RESULT:([A-Za-z0-9+/=]*):END", done.stdout)
    assert found is not None, (
        f"the page did not finish (exit {done.returncode}): {done.stderr[-2000:]}"
    )
    results: list[dict[str, Any]] = json.loads(base64.b64decode(found[1]).decode("utf-8"))
    assert len(results) == len(diagrams), results[-1:]
    return results


def test_every_mermaid_diagram_renders(drawn: dict[str, tf.Workflow], tmp_path: Path) -> None:
    """Each preset's, the hostile workflow's and every generated workflow's Mermaid
    diagram renders; the deliberately broken one in the same batch is refused."""
    names = [*drawn, "deliberately broken"]
    diagrams = [wf.to_mermaid() for wf in drawn.values()] + [BROKEN]
    results = render_mermaid(diagrams, tmp_path)
    verdicts = dict(zip(names, results, strict=True))
    broken = verdicts.pop("deliberately broken")
    assert broken["ok"] is False
    assert "Parse error on line 2" in broken["error"]
    failed = {name: r["error"] for name, r in verdicts.items() if not r["ok"]}
    assert failed == {}, "\n".join(f"{n}: {e}\n{drawn[n].to_mermaid()}" for n, e in failed.items())
    assert len(verdicts) == len(presets.names()) + 1 + GENERATED


def run_dot(source: str) -> subprocess.CompletedProcess[str]:
    dot = need(shutil.which("dot"), "Graphviz's dot")
    return subprocess.run(
        [dot, "-Tplain"], input=source, capture_output=True, text=True, timeout=60, check=False
    )


def test_every_dot_diagram_is_read_by_graphviz(drawn: dict[str, tf.Workflow]) -> None:
    """dot lays out each DOT diagram without a word on standard error, with one node per
    status plus the start point, and one edge per line the diagram draws."""
    for name, wf in drawn.items():
        source = wf.to_dot()
        done = run_dot(source)
        assert (done.returncode, done.stderr) == (0, ""), f"{name}:\n{source}"
        kinds = [line.split(" ", 1)[0] for line in done.stdout.splitlines()]
        assert kinds.count("node") == len(wf.statuses) + 1, name
        assert kinds.count("edge") == source.count(" -> "), name


def test_dot_reports_a_broken_diagram() -> None:
    """The check above can fail: dot refuses a digraph with an edge to nowhere."""
    done = run_dot('digraph "x" {\n    "a" -> ;\n}\n')
    assert done.returncode != 0
    assert "syntax error" in done.stderr
