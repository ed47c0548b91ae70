"""Workflow files: :func:`load` and :func:`dump`, on top of the :class:`Workflow` facade.

Reading and writing the plain data lives in ``_loading.py``; this module
only adds the file around it and names the file in every error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from ._checks import show
from ._errors import LoadError
from ._loading import (
    Registry,
    StandIn,
    check_registry,
    decode,
    file_path,
    kind_of,
    parse_text,
    read_bytes,
    read_definitions,
    to_toml,
    write_bytes,
    yaml_module,
)
from ._workflow import Workflow

__all__ = ["dump", "load", "read_file"]


def load(path: str | os.PathLike[str], *, registry: Registry | None = None) -> Workflow:
    """Read a workflow from a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file.

    Only a regular file of at most ``MAX_FILE_BYTES`` is read (a FIFO, a
    device or a directory is refused at once, never waited on); what it
    holds must stay within ``MAX_DATA_NODES`` values and ``MAX_DEPTH``
    levels.

    Raises:
        LoadError: naming the file (and line, or key) when it cannot be read,
            parsed or understood.
        WorkflowError: when the workflow read is not valid.
    """
    return read_file(path, registry=registry)


def read_file(
    path: str | os.PathLike[str],
    *,
    registry: Registry | None = None,
    stand_in: StandIn | None = None,
) -> Workflow:
    """:func:`load`, where ``stand_in(kind, name)`` stands for each name no registry gives.

    Raises:
        LoadError: as :func:`load` does.
        WorkflowError: when the workflow read is not valid.
    """
    file = file_path(path)
    reg = check_registry(registry)
    data = parse_text(file, decode(file, read_bytes(file)))
    if not isinstance(data, Mapping):
        raise LoadError(f"expected a table at the top, got {kind_of(data)}", path=str(file))
    try:
        return Workflow(**read_definitions(data, registry=reg, stand_in=stand_in))
    except LoadError as exc:
        raise LoadError(exc.detail, key=exc.key, path=str(file)) from exc


def dump(wf: Workflow, path: str | os.PathLike[str], *, registry: Registry | None = None) -> None:
    """Write ``wf`` to a ``.toml``, ``.json`` or ``.yaml``/``.yml`` file (UTF-8).

    The text is made in full before the file is touched; an existing path
    that is not a regular file (a directory, a FIFO, a device) is refused
    and left as it was.

    Raises:
        LoadError: naming the file for an unknown extension, a folder that
            does not exist, a path that cannot be written, or what
            :meth:`Workflow.to_dict` cannot write.
    """
    file = file_path(path)
    try:
        if not isinstance(wf, Workflow):
            raise LoadError(f"expected a Workflow, got {show(wf)}")
        data = wf.to_dict(registry=registry)
        suffix = file.suffix.lower()
        if suffix == ".json":
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        elif suffix == ".toml":
            text = to_toml(data)
        else:
            text = yaml_module(file).safe_dump(data, sort_keys=False, allow_unicode=True)
    except LoadError as exc:
        raise LoadError(exc.detail, key=exc.key, path=str(file)) from exc
    write_bytes(file, text.encode("utf-8"))
