"""The documentation site: its pages, its navigation and its API reference."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from pathlib import Path

import ticketflow as tf

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_the_home_page_example_prints_its_comments() -> None:
    """docs/index.md: the example prints the `# ...` line under its print."""
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    assert expected
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "index.md", "exec"), {})
    assert buffer.getvalue().splitlines() == expected


def test_the_api_reference_documents_every_public_name() -> None:
    """Every name ``ticketflow`` exports, and the presets and testing packages, has its
    own ``::: ticketflow.NAME`` entry; any other entry is a public subpackage."""
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    entries = re.findall(r"^::: ticketflow\.(\w+)$", text, flags=re.M)
    assert len(entries) == len(set(entries))
    exported = set(tf.__all__) - {"__version__"}
    assert set(entries) >= exported | {"presets", "testing"}
    for extra in set(entries) - exported:
        assert not extra.startswith("_")
        assert importlib.util.find_spec(f"ticketflow.{extra}") is not None, extra


def test_every_page_is_in_the_navigation() -> None:
    """Each docs/*.md page is listed in mkdocs.yml's nav, and each listed page exists."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.split("\nnav:\n", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r":\s*(\S+\.md)\s*$", nav, flags=re.M)
    assert len(listed) == len(set(listed))
    assert set(listed) == {page.name for page in DOCS.glob("*.md")}
