"""The code blocks of docs/django.md marked ``<!-- tested -->`` run and print what they say."""

import contextlib
import io
import re
from pathlib import Path

from django.test import TestCase

DOC = Path(__file__).resolve().parents[3] / "docs" / "django.md"
BLOCKS = re.findall(r"<!-- tested -->\n```python\n(.*?)```", DOC.read_text("utf-8"), flags=re.S)
MODEL = Path(__file__).resolve().parents[1] / "flow" / "models.py"


class TestDjangoDoc(TestCase):
    def test_there_are_tested_blocks(self) -> None:
        """The page has the two tested examples (status codes, a model of one's own)."""
        assert len(BLOCKS) == 2

    def test_each_block_prints_its_comments(self) -> None:
        """Each block's output is its `# ...` lines after the first print."""
        for code in BLOCKS:
            with self.subTest(code=code[:40]):
                lines = code.splitlines()
                first = next(i for i, line in enumerate(lines) if line.startswith("print"))
                expected = [x[2:] for x in lines[first:] if x.startswith("# ")]
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    exec(compile(code, str(DOC), "exec"), {})
                assert buffer.getvalue().splitlines() == expected

    def test_the_model_shown_is_the_example_s(self) -> None:
        """The Case class on the page is the one in flow/models.py."""
        text = DOC.read_text("utf-8")
        shown = re.search(r"(class Case\(TicketflowModel\):\n.*?)\n```", text, flags=re.S)
        assert shown is not None
        source = MODEL.read_text("utf-8")
        without_docstring = re.sub(r'\n    """.*?"""\n', "", source, flags=re.S)
        assert shown.group(1).strip() in without_docstring
