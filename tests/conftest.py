"""Shared fixtures: the repository root, fixture folders and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CASES = ROOT / "cases"
# Fixture dates are judged against this day so that tests do not age.
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test from the repository root: messages show paths relative to it."""
    monkeypatch.chdir(ROOT)
