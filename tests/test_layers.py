"""The packages' layering: imports run downward, and across packages only public names travel."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import casebook.search
from tests.site_helpers import ROOT

PACKAGES = {"schema": 0, "search": 1, "builder": 2}  # a package may import only packages at or below its level


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every ``from casebook.X import name`` and ``X.name`` on an imported casebook module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("casebook."):
            for alias in node.names:
                found.append((node.module or "", alias.name))
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            found.append((aliases[node.value.id], node.attr))
    return found


def _sources() -> list[tuple[str, Path]]:
    return [(package, path) for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def test_no_package_imports_a_private_name_of_another() -> None:
    crossing = [
        f"{path.relative_to(ROOT)}: {module}.{name}"
        for package, path in _sources()
        for module, name in _imports(path)
        if name.startswith("_") and not name.startswith("__") and module.split(".")[1] != package
    ]
    assert crossing == []


def test_imports_run_downward_from_builder_to_search_to_schema() -> None:
    upward = [
        f"{path.relative_to(ROOT)}: {module}"
        for package, path in _sources()
        for module, _ in _imports(path)
        if PACKAGES.get(module.split(".")[1], -1) > PACKAGES[package]
    ]
    assert upward == []


def test_the_search_package_exports_its_verbs_without_loading_whoosh() -> None:
    assert sorted(casebook.search._EXPORTS) == sorted(casebook.search.__all__)
    for name in casebook.search.__all__:
        assert getattr(casebook.search, name) is not None, name
    code = "import sys, casebook.search; print('whoosh' in sys.modules, 'jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
