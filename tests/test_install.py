"""The install: one import namespace and a distribution name of our own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from casebook.schema import release
from tests.corpora import SITE_CASES
from tests.site_helpers import ROOT

CASEBOOK = str(Path(sys.executable).with_name("casebook"))


@pytest.mark.slow
def test_generic_top_level_names_stay_free_for_other_packages(tmp_path: Path) -> None:
    # Stand-ins for PyPI's schema (a validation library) and any other package
    # called builder or search, first on the path, as an installed one would be.
    for name in ("schema", "builder", "search"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(f"WHO = 'pypi-{name}'\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [CASEBOOK, "validate", "--strict", str(SITE_CASES)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "0 个错误" in result.stderr
    probe = "import schema, casebook.schema; print(schema.WHO, casebook.schema.Case.__module__)"
    shown = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert shown.stdout.split() == ["pypi-schema", "casebook.schema.models"], shown.stderr


def test_the_version_is_our_distributions() -> None:
    result = subprocess.run([CASEBOOK, "--version"], capture_output=True, text=True)
    assert result.stdout.strip() == f"casebook {release.version()}"
    assert release.DISTRIBUTION == "rongcuo-casebook"
    assert release.version() != "未安装"


def test_the_environment_holds_exactly_the_locked_versions() -> None:
    locked = {
        package["name"]: package["version"]
        for package in tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))["package"]
        if "version" in package
    }
    installed = {
        canonical(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonical(dist.metadata["Name"]) in locked
    }
    # Every runtime and development dependency is installed, at the locked version.
    for name in ("pydantic", "pyyaml", "jieba", "whoosh-reloaded", "mkdocs", "mkdocs-material", "ruff", "mypy"):
        assert name in installed, name
    assert {name: version for name, version in installed.items() if version != locked[name]} == {}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
