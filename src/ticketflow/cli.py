"""The ``ticketflow`` command: presets, demos, and tools for workflow files.

``ticketflow presets`` lists the preset workflows; ``ticketflow demo
[PRESET]`` plays a scripted ticket through one (``case-portal`` by default)
and prints every step, effect and next deadline. The demo never reads the
clock: every instant is written in its script. ``check``, ``diagram`` and
``simulate`` (one module each, listed in ``COMMANDS``) work on any workflow
file or ``preset:NAME``; each documents its own exit statuses in its
``--help``.

Exit status: 0 on success (and when the reader of the output goes away, as
with ``ticketflow demo | head``), 1 when the output cannot be written (a full
disk, ``> /dev/full``, a closed standard output), 2 for a usage error or an
unknown preset; ``check``, ``diagram`` and ``simulate`` also exit 1 for a
file with a problem (see their ``--help``). Every failure is one line on
standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ticketflow as tf

from . import _cli_check, _cli_diagram, _cli_diff, _cli_simulate, _cli_sweep, presets

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["main"]

DEFAULT_PRESET = "case-portal"

# Each further command lives in a module of its own that exposes
# ``add_command(commands)``: it adds its subparser and sets ``run`` (a
# function of the parsed arguments returning the exit status) as a default.
# ``commands`` is argparse's subparsers action (typed loosely: its parser
# class is this module's private one).
COMMANDS: tuple[Callable[[Any], None], ...] = (
    _cli_check.add_command,
    _cli_diagram.add_command,
    _cli_diff.add_command,
    _cli_simulate.add_command,
    _cli_sweep.add_command,
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a failed write of help or usage is an error, not silently dropped."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (file or sys.stderr).write(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ticketflow",
        description="Declarative ticket workflows on a pure engine.",
    )
    parser.add_argument("--version", action="version", version=f"ticketflow {tf.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    listing = commands.add_parser("presets", help="list the preset workflows")
    listing.set_defaults(run=lambda args: _presets())
    demo = commands.add_parser("demo", help="play a scripted ticket through a preset")
    demo.add_argument(
        "preset",
        nargs="?",
        default=DEFAULT_PRESET,
        help=f"the preset's name (default: {DEFAULT_PRESET}; '-' or '_' both work)",
    )
    demo.set_defaults(run=lambda args: _demo_command(args.preset))
    for add_command in COMMANDS:
        add_command(commands)
    return parser


def _presets() -> int:
    rows = [(name, presets.get(name).description or "") for name in presets.names()]
    width = max(len(name) for name, _ in rows)
    for name, description in rows:
        print(f"{name.ljust(width)}  {description}")
    return 0


def _demo_command(name: str) -> int:
    try:
        lines = presets.demo_timeline(name)
    except presets.UnknownPresetError as exc:
        print(f"ticketflow: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    return run(args)


def _silence_stdout() -> None:
    """Point standard output at the null device, so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):  # no real file behind sys.stdout
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ticketflow`` command with ``argv`` (``sys.argv[1:]`` by default).

    Returns the exit status: 0 on success (and when the reader goes away),
    1 when the output cannot be written (or, for ``check``, ``diagram`` and
    ``simulate``, when a file has a problem), 2 for a usage error or an
    unknown preset.
    """
    if sys.stdout is None:  # started with standard output closed (``ticketflow presets >&-``)
        _say("ticketflow: cannot write output: standard output is closed")
        return 1
    try:
        status = _run(argv)
        sys.stdout.flush()  # surface a write error here, not at interpreter exit
    except BrokenPipeError:  # the reader went away (``ticketflow demo | head``)
        _silence_stdout()
        return 0
    except (OSError, UnicodeEncodeError, ValueError) as exc:
        # a full disk, /dev/full, an encoding that cannot show the text, a closed file
        _silence_stdout()
        _say(f"ticketflow: cannot write output: {_reason(exc)}")
        return 1
    return status


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _say(line: str) -> None:
    """Write one line to standard error, if there is anywhere to write it."""
    try:
        if sys.stderr is not None:
            print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
