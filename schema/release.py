"""Which casebook this is: the distribution name and its installed version.

The name ``casebook`` belongs to an unrelated project on the package index,
so ours is distributed as ``rongcuo-casebook``; every version lookup goes
through :func:`version` so that no caller asks for the wrong one.
"""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "rongcuo-casebook"


def version() -> str:
    """The installed version of casebook, or ``未安装`` when run from a bare checkout."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "未安装"
