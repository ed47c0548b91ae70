"""What the file-reading commands share: a workflow named by a FILE or ``preset:NAME``.

Theory of operation: :func:`read_workflow` reads a workflow file without
running any code. Each guard, ``sub_status`` function, ``set_attrs``
function or per-ticket calendar that the file names and no registry gives
becomes an :class:`OpaqueCallable` of that name: the workflow is built and
checked as usual, and only calling one of them fails, with
:class:`OpaqueCallableError`. ``--registry MODULE:ATTR`` (read by
:func:`import_registry`) supplies the real callables; importing it is the one
place a command runs the caller's code. ``preset:NAME`` builds a preset,
whose callables are real.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from . import presets
from ._checks import show
from ._errors import LoadError, TicketflowError, WorkflowError
from ._files import read_file
from ._loading import Registry, check_registry
from ._workflow import Workflow

__all__ = [
    "PRESET_PREFIX",
    "OpaqueCallable",
    "OpaqueCallableError",
    "add_file_command",
    "add_registry_option",
    "import_registry",
    "read_failure",
    "read_workflow",
    "say",
]

#: What starts a preset's name where a FILE is taken: ``preset:help-center``.
PRESET_PREFIX = "preset:"

REGISTRY_HELP = (
    "MODULE:ATTR naming a mapping of guard, sub_status, set_attrs and calendar names "
    "to the real callables and calendars (importing MODULE runs its code); names it "
    "does not give stand for opaque callables"
)


class OpaqueCallableError(TicketflowError):
    """A callable that a workflow file names, and no registry gives, was called.

    Attributes:
        kind: "guard", "sub_status function", "set_attrs function" or "calendar".
        name: The name the file gives it.
    """

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(
            f"the {kind} {name!r} is needed but no registry gives it "
            "(pass --registry MODULE:ATTR with a mapping that names it)"
        )


@frozen
class OpaqueCallable:
    """Stands for the callable a file names when no registry gives it.

    Two stand-ins of the same kind and name are equal, so two readings of a
    file compare equal. Calling one raises :class:`OpaqueCallableError`.

    Attributes:
        kind: "guard", "sub_status function", "set_attrs function" or "calendar".
        name: The name the file gives it (also its ``__name__``, which is how
            it is written back).
    """

    kind: str
    name: str

    @property
    def __name__(self) -> str:  # the name a file is written with, as for a function
        return self.name

    def __call__(self, *args: object, **kwargs: object) -> Any:
        """Always raises.

        Raises:
            OpaqueCallableError: naming the kind and the name.
        """
        raise OpaqueCallableError(self.kind, self.name)


def read_workflow(spec: str, registry: Registry | None = None) -> Workflow:
    """The workflow ``spec`` names: a file (``.toml``, ``.json``, ``.yaml``) or ``preset:NAME``.

    A file is read without running code: a guard, ``sub_status``,
    ``set_attrs`` or calendar name that ``registry`` does not give becomes an
    :class:`OpaqueCallable` of that name. ``registry`` does not apply to a
    preset, whose callables are its own.

    Raises:
        LoadError: naming the file (and line or key) that cannot be read,
            parsed or understood.
        WorkflowError: listing every problem of the workflow read.
        UnknownPresetError: naming an unknown preset.
    """
    if spec.startswith(PRESET_PREFIX):
        return presets.get(spec.removeprefix(PRESET_PREFIX))
    return read_file(spec, registry=registry, stand_in=OpaqueCallable)


def read_failure(spec: str, exc: TicketflowError) -> str:
    """One line on why ``spec`` gave no workflow: the place and the first problem."""
    if isinstance(exc, LoadError):
        return str(exc) if exc.path is not None else f"{spec}: {exc}"
    if isinstance(exc, WorkflowError) and exc.problems:
        more = exc.total - 1
        tail = f" (and {more} more; see ticketflow check {spec})" if more > 0 else ""
        return f"{spec}: invalid workflow: {exc.problems[0]}{tail}"
    return f"{spec}: {exc}"


def say(line: str) -> None:
    """Write one error line, prefixed ``ticketflow:``, to standard error."""
    print(f"ticketflow: {line}", file=sys.stderr)


def add_file_command(
    commands: Any, name: str, help: str, description: str, exits: str
) -> argparse.ArgumentParser:
    """Add a command's parser, with its exit statuses at the end of its ``--help``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=textwrap.fill(description, width=78),
        epilog=f"exit status:\n{exits}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--registry MODULE:ATTR`` to a command's parser."""
    parser.add_argument("--registry", metavar="MODULE:ATTR", help=REGISTRY_HELP)


def import_registry(target: str | None) -> dict[str, object] | None:
    """The mapping ``MODULE:ATTR`` names (the module imported with the working folder on the path).

    Raises:
        LoadError: naming ``target`` when it is malformed, the module cannot be
            imported, the attribute is missing or it is not a mapping of names.
    """
    if target is None:
        return None
    module_name, colon, attribute = target.partition(":")
    if not colon or not module_name or not attribute:
        raise LoadError(f"--registry {target!r}: expected MODULE:ATTR (e.g. myapp.flows:REGISTRY)")
    module = _import(module_name, target)
    value: object = module
    for part in attribute.split("."):
        if not hasattr(value, part):
            raise LoadError(f"--registry {target!r}: module {module_name!r} has no {attribute!r}")
        value = getattr(value, part)
    if not isinstance(value, Mapping):
        raise LoadError(f"--registry {target!r}: expected a mapping of names, got {show(value)}")
    try:
        return check_registry(value)
    except LoadError as exc:
        raise LoadError(f"--registry {target!r}: {exc.detail}") from None


def _import(module_name: str, target: str) -> Any:
    """Import ``module_name`` with the working folder first on the path, as ``python -m`` does."""
    here = os.getcwd()
    added = here not in sys.path
    if added:
        sys.path.insert(0, here)
    try:
        return importlib.import_module(module_name)
    except Exception as exc:  # the caller's module may fail in any way while it runs
        reason = f"{type(exc).__name__}: {exc}"
        raise LoadError(f"--registry {target!r}: can't import {module_name!r}: {reason}") from None
    finally:
        if added:
            sys.path.remove(here)
