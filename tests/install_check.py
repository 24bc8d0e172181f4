"""Stop the tests at once, with the fix, when a module was added since the editable install was linked.

The development install is a tree of links to the source files (strict
editable mode): a new module is not importable until ``make setup`` links it,
and the import error it would cause names neither the cause nor the fix.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("schema", "builder", "search")


def unlinked_modules() -> list[str]:
    """Source modules under schema/, builder/ and search/ that the installed ``casebook.*`` lacks."""
    missing: list[str] = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(f"casebook.{name}")  # imports no casebook package
        locations = list(spec.submodule_search_locations or []) if spec else []
        source = ROOT / name
        if not locations or Path(locations[0]).resolve() == source.resolve():
            continue
        installed = Path(locations[0])
        missing += [
            str(p.relative_to(ROOT))
            for p in sorted(source.rglob("*.py"))
            if "__pycache__" not in p.parts and not (installed / p.relative_to(source)).exists()
        ]
    return missing


def stop_if_modules_are_unlinked() -> None:
    missing = unlinked_modules()
    if missing:
        pytest.exit(f"这些模块尚未链接进安装：{'、'.join(missing)}；运行 make setup（或 make check）后再测。", 2)
