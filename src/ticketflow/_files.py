"""Workflow files: :func:`load` and :func:`dump`, on top of the :class:`Workflow` facade.

Reading and writing the plain data lives in ``_loading.py``; this module
only adds the file around it and names the file in every error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from ._errors import LoadError
from ._loading import (
    Registry,
    _decode,
    _fail,
    _file_path,
    _kind,
    _parse,
    _read_bytes,
    _registry,
    _show,
    _write_bytes,
    _yaml,
    to_toml,
)
from ._workflow import Workflow

__all__ = ["dump", "load"]


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
    file = _file_path(path)
    reg = _registry(registry)
    data = _parse(file, _decode(file, _read_bytes(file)))
    if not isinstance(data, Mapping):
        raise LoadError(f"expected a table at the top, got {_kind(data)}", path=str(file))
    try:
        return Workflow.from_dict(data, registry=reg)
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
    file = _file_path(path)
    try:
        if not isinstance(wf, Workflow):
            _fail(None, f"expected a Workflow, got {_show(wf)}")
        data = wf.to_dict(registry=registry)
        suffix = file.suffix.lower()
        if suffix == ".json":
            text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        elif suffix == ".toml":
            text = to_toml(data)
        else:
            text = _yaml(file).safe_dump(data, sort_keys=False, allow_unicode=True)
    except LoadError as exc:
        raise LoadError(exc.detail, key=exc.key, path=str(file)) from exc
    _write_bytes(file, text.encode("utf-8"))
