"""The ``ticketflow`` command: ``presets`` and ``demo``."""

from __future__ import annotations

import errno
import io
import subprocess
import sys

import pytest

from ticketflow import presets
from ticketflow.cli import main


class TestPresetsCommand:
    def test_lists_every_preset(self, capsys: pytest.CaptureFixture[str]) -> None:
        """'ticketflow presets' prints one line per preset, name first."""
        assert main(["presets"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert [line.split()[0] for line in lines] == list(presets.names())


class TestDemoTimeline:
    @pytest.mark.parametrize("name", presets.names())
    def test_is_what_the_demo_command_prints(
        self, name: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """presets.demo_timeline(name) gives the lines 'ticketflow demo NAME' prints."""
        assert main(["demo", name]) == 0
        assert presets.demo_timeline(name) == capsys.readouterr().out.splitlines()

    def test_takes_underscores_and_is_the_same_each_time(self) -> None:
        """A name with '_' plays the same preset, and a second call gives the same lines."""
        lines = presets.demo_timeline("help_center")
        assert lines == presets.demo_timeline("help-center")
        assert lines[0].startswith("help-center: ")

    def test_unknown_preset_raises(self) -> None:
        """An unknown name raises UnknownPresetError naming it and the known presets."""
        with pytest.raises(presets.UnknownPresetError) as caught:
            presets.demo_timeline("nope")
        assert caught.value.name == "nope"
        assert caught.value.known == presets.names()


class TestDemoCommand:
    def test_case_portal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The case-portal demo prints steps, effects and next deadlines across the DST change."""
        assert main(["demo", "case-portal"]) == 0
        out = capsys.readouterr().out
        for text in [
            "time",
            "next deadline",
            "Thu 22 Oct 2026 10:00 CEST  request_info",
            "Sun 25 Oct 2026 10:00 CET",
            "reminder auto_resolve",
            "Mon 26 Oct 2026 10:00 CET   auto_resolve     system    resolved",
            "waiting_for (Acme Payments)",
            "follow_up (new case)",
        ]:
            assert text in out

    def test_default_is_case_portal(self, capsys: pytest.CaptureFixture[str]) -> None:
        """'ticketflow demo' without a name plays case-portal."""
        assert main(["demo"]) == 0
        default = capsys.readouterr().out
        main(["demo", "case-portal"])
        assert default == capsys.readouterr().out
        assert default.startswith("case-portal:")

    def test_help_center_skips_the_holidays(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The help-center demo (named with '_') shows deadlines that skip 8 and 25 Dec."""
        assert main(["demo", "help_center"]) == 0
        out = capsys.readouterr().out
        assert "Wed 09 Dec 2026 12:30 CET auto_resolve" in out
        assert "Mon 28 Dec 2026 16:00 CET  auto_close      system    closed          survey" in out

    @pytest.mark.parametrize("name", presets.names())
    def test_every_demo_is_short(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        """Every preset has a demo of at most 40 lines."""
        assert main(["demo", name]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert 5 < len(lines) <= 40

    def test_unknown_preset(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown preset exits non-zero with a message naming it."""
        assert main(["demo", "nope"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "unknown preset 'nope'" in captured.err

    def test_no_command_prints_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without a command the usage is printed and the status is 2."""
        assert main([]) == 2
        assert "demo" in capsys.readouterr().out

    def test_python_dash_m(self) -> None:
        """'python -m ticketflow presets' runs the same command."""
        done = subprocess.run(
            [sys.executable, "-m", "ticketflow", "presets"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0
        assert "help-center" in done.stdout


class _Unwritable(io.StringIO):
    """A standard output whose every write fails as a full disk does."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


class _Gone(io.StringIO):
    """A standard output whose reader has gone away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


class TestOutputErrors:
    @pytest.mark.parametrize("args", [["presets"], ["demo"], ["--version"]], ids=" ".join)
    def test_unwritable_output_returns_1_with_one_line(
        self, args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """When stdout cannot be written, main returns 1 and says so in one line on stderr."""
        monkeypatch.setattr(sys, "stdout", _Unwritable())
        assert main(args) == 1
        assert capsys.readouterr().err == (
            "ticketflow: cannot write output: No space left on device\n"
        )

    def test_reader_gone_returns_0_quietly(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """When the reader goes away, main returns 0 and writes nothing to stderr."""
        monkeypatch.setattr(sys, "stdout", _Gone())
        assert main(["demo"]) == 0
        assert capsys.readouterr().err == ""
