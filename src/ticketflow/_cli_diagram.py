"""``ticketflow diagram FILE``: a workflow's Mermaid or Graphviz DOT diagram on standard output."""

from __future__ import annotations

import argparse
from typing import Any

from ._cli_input import (
    add_file_command,
    add_registry_option,
    import_registry,
    read_failure,
    read_workflow,
    say,
)
from ._errors import LoadError, TicketflowError

__all__ = ["add_command"]

EXITS = """\
  0  the diagram was printed
  1  the file cannot be read, or its workflow is not valid
  2  usage error, or --registry cannot be imported"""


def add_command(commands: Any) -> None:
    """Add ``diagram`` to the ``ticketflow`` command."""
    parser = add_file_command(
        commands,
        "diagram",
        help="print a workflow's diagram (Mermaid or Graphviz DOT)",
        description=(
            "Print the state diagram of a workflow file (.toml, .json, .yaml, or "
            "preset:NAME), read without running its code: a Mermaid stateDiagram-v2 "
            "(the default) or a Graphviz DOT digraph."
        ),
        exits=EXITS,
    )
    parser.add_argument("file", metavar="FILE", help="a workflow file or preset:NAME")
    parser.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="the diagram's language (default: mermaid)",
    )
    add_registry_option(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        registry = import_registry(args.registry)
    except LoadError as exc:
        say(str(exc))
        return 2
    try:
        wf = read_workflow(args.file, registry)
    except TicketflowError as exc:
        say(read_failure(args.file, exc))
        return 1
    print(wf.to_dot() if args.format == "dot" else wf.to_mermaid(), end="")
    return 0
