"""The ``ticketflow`` command: list the presets and play their demos.

``ticketflow presets`` lists the preset workflows; ``ticketflow demo
[PRESET]`` plays a scripted ticket through one (``case-portal`` by default)
and prints every step, effect and next deadline. The demo never reads the
clock: every instant is written in its script.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import ticketflow as tf

from . import presets
from .presets import _demo

__all__ = ["main"]

DEFAULT_PRESET = "case-portal"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ticketflow",
        description="Declarative ticket workflows on a pure engine.",
    )
    parser.add_argument("--version", action="version", version=f"ticketflow {tf.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("presets", help="list the preset workflows")
    demo = commands.add_parser("demo", help="play a scripted ticket through a preset")
    demo.add_argument(
        "preset",
        nargs="?",
        default=DEFAULT_PRESET,
        help=f"the preset's name (default: {DEFAULT_PRESET}; '-' or '_' both work)",
    )
    return parser


def _presets() -> int:
    rows = [(name, presets.get(name).description or "") for name in presets.names()]
    width = max(len(name) for name, _ in rows)
    for name, description in rows:
        print(f"{name.ljust(width)}  {description}")
    return 0


def _demo_command(name: str) -> int:
    try:
        lines = _demo.play(name)
    except presets.UnknownPresetError as exc:
        print(f"ticketflow: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ticketflow`` command with ``argv`` (``sys.argv[1:]`` by default).

    Returns the exit status: 0 on success, 2 for a usage error or an unknown
    preset.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    try:
        if args.command == "presets":
            return _presets()
        if args.command == "demo":
            return _demo_command(args.preset)
    except BrokenPipeError:  # the reader went away (``ticketflow demo | head``)
        sys.stderr.close()
        return 0
    parser.print_help()
    return 2
