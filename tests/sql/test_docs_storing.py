"""docs/storing-tickets.md: each python block, run in order in one namespace, prints the
text block that follows it.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "storing-tickets.md"


def test_every_example_prints_the_text_under_it() -> None:
    """The page's examples run on SQLite and print what the page says."""
    text = PAGE.read_text(encoding="utf-8")
    pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", text, flags=re.S)
    assert len(pairs) == text.count("```python") == 5
    namespace: dict[str, object] = {}
    for code, expected in pairs:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "storing-tickets.md", "exec"), namespace)
        assert buffer.getvalue() == expected, code
