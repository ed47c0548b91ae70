"""The public API: explicit, sorted exports, each documented and typed."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import typing
from collections.abc import Callable
from importlib.metadata import version

import pytest

import ticketflow as tf
import ticketflow.presets
import ticketflow.testing

MODULES = [tf, ticketflow.presets, ticketflow.testing]
PUBLIC = [(m.__name__, name) for m in MODULES for name in m.__all__]


class TestExports:
    @pytest.mark.parametrize(("module", "name"), PUBLIC)
    def test_every_public_name_resolves_and_is_documented(self, module: str, name: str) -> None:
        """Each name in __all__ exists; classes and functions have a docstring."""
        obj = getattr(__import__(module, fromlist=[name]), name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert (obj.__doc__ or "").strip(), f"{module}.{name} has no docstring"

    @pytest.mark.parametrize(("module", "name"), PUBLIC)
    def test_public_functions_are_fully_annotated(self, module: str, name: str) -> None:
        """Every parameter and return of a public function carries a type hint."""
        obj = getattr(__import__(module, fromlist=[name]), name)
        if not inspect.isfunction(obj):
            return
        sig = inspect.signature(obj)
        missing = [p for p, v in sig.parameters.items() if v.annotation is inspect.Parameter.empty]
        assert not missing, f"{module}.{name} lacks hints for {missing}"
        assert sig.return_annotation is not inspect.Signature.empty

    @pytest.mark.parametrize("cls", [tf.Workflow, tf.BusinessCalendar, tf.Ticket, tf.Duration])
    def test_public_methods_are_documented(self, cls: type) -> None:
        """Public methods and properties of the main classes have docstrings."""
        for name, member in vars(cls).items():
            if name.startswith("_") or not (callable(member) or isinstance(member, property)):
                continue
            assert (getattr(member, "__doc__", None) or "").strip(), f"{cls.__name__}.{name}"

    def test_importing_ticketflow_does_not_import_hypothesis_or_numpy(self) -> None:
        """The runtime package pulls in neither the testing extra nor dev tools."""
        code = (
            "import sys, ticketflow, ticketflow.presets;"
            "print(sorted(m for m in ('hypothesis', 'numpy', 'yaml') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"

    def test_version_is_read_from_package_metadata(self) -> None:
        """__version__ comes from the installed distribution, not a second copy."""
        assert tf.__version__ == version("ticketflow")


# Type aliases that public signatures use; each is exported so users can annotate with it.
ALIASES = [
    "CalendarSpec",
    "Category",
    "Guard",
    "HoursSpec",
    "Registry",
    "SlaStateName",
    "SubStatus",
    "Unit",
]

# Names in annotations that come from the standard library, not from ticketflow.
STDLIB = set(dir(typing)) | {"date", "datetime", "timedelta", "tzinfo", "os", "PathLike"}
STDLIB |= {"str", "int", "float", "bool", "object", "bytes", "dict", "list", "tuple", "set"}
STDLIB |= {"frozenset", "type", "None", "collections", "abc", "Mapping", "Iterable"}

# The snapshot's agenda items: the engine builds them and Ticket.from_dict restores
# them; callers never construct them.
INTERNAL = {"Ticket.__init__": {"Due"}}


def _annotated_names(obj: Callable[..., object]) -> set[str]:
    """Every name written in the parameter and return annotations of ``obj``."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return set()
    hints = [p.annotation for p in sig.parameters.values()] + [sig.return_annotation]
    words: set[str] = set()
    for hint in hints:
        if hint is not inspect.Parameter.empty:
            words.update(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", str(hint)))
    return words


def _public_callables() -> list[tuple[str, Callable[..., object]]]:
    """The exported functions, and the public methods and constructors of exported classes."""
    found: list[tuple[str, Callable[..., object]]] = []
    for name in tf.__all__:
        obj = getattr(tf, name)
        if inspect.isfunction(obj):
            found.append((name, obj))
        elif inspect.isclass(obj):
            for member_name, member in vars(obj).items():
                if member_name.startswith("_") and member_name != "__init__":
                    continue
                func = member.__func__ if isinstance(member, classmethod | staticmethod) else member
                if inspect.isfunction(func):
                    found.append((f"{name}.{member_name}", func))
    return found


class TestTypeAliases:
    @pytest.mark.parametrize("name", ALIASES)
    def test_alias_is_exported(self, name: str) -> None:
        """Each type alias a public signature uses is importable from the package."""
        assert name in tf.__all__
        assert getattr(tf, name) is not None

    def test_vocabularies_are_derived_from_their_literals(self) -> None:
        """CATEGORIES and UNITS are the values of the Category and Unit literals, in order."""
        assert typing.get_args(tf.Category) == tf.CATEGORIES
        assert typing.get_args(tf.Unit) == tf.UNITS

    @pytest.mark.parametrize(("where", "obj"), _public_callables())
    def test_public_signatures_use_exported_types(
        self, where: str, obj: Callable[..., object]
    ) -> None:
        """A public signature names only exported ticketflow types and standard ones."""
        foreign = {
            word
            for word in _annotated_names(obj)
            if word[0].isupper() and word not in tf.__all__ and word not in STDLIB
        }
        foreign -= INTERNAL.get(where, set())
        assert not foreign, f"{where} uses {sorted(foreign)}"
