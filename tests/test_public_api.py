"""The public API: explicit, sorted exports, each documented and typed."""

from __future__ import annotations

import inspect

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
        import subprocess
        import sys

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
        from importlib.metadata import version

        assert tf.__version__ == version("ticketflow")
