"""The one way casebook writes a file that others may read at the same time: its JSON caches above all.

Caches live in ``.cache/`` and may be read and written by several processes
at once (two builds, ``casebook index`` beside ``casebook serve``). A writer
therefore writes a temporary file with a unique name beside the target,
flushes it to disk and renames it over the target in one step: a reader sees
the old file or the new one, never half of one, and two writers never share
a temporary file. A missing or unreadable cache is simply absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def read_json(path: Path) -> Any | None:
    """The JSON value stored in ``path``; ``None`` if the file is missing, unreadable or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Store ``data`` as compact UTF-8 JSON in ``path``, atomically (see the module docstring)."""
    write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def write_atomically(path: Path, payload: bytes, mode: int | None = None) -> None:
    """Store ``payload`` in ``path`` through a uniquely named, flushed temporary file renamed over it.

    ``mode`` (permission bits) is given to the new file; otherwise it has the temporary file's (0600).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(payload)
            if mode is not None:
                os.fchmod(file.fileno(), mode)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
