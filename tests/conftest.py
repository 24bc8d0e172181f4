"""Shared fixtures: the repository root, fixture folders and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from casebook.schema import Case, load_corpus
from casebook.schema.clock import ENVIRONMENT_VARIABLE
from tests.site_helpers import ROOT, build, chromium

FIXTURES = ROOT / "tests" / "fixtures"
CASES = ROOT / "cases"
SITE_CASES = FIXTURES / "site" / "cases"
SITE_COLLECTIONS = FIXTURES / "site" / "collections"
# Fixture dates are judged against this day so that tests do not age: the
# whole suite, the commands it runs in subprocesses included, sees it as today.
# It may not precede the newest issue date in cases/ (the shipped corpus must
# validate under it): move it forward when cases issued later are added.
TODAY = dt.date(2026, 12, 2)
os.environ[ENVIRONMENT_VARIABLE] = TODAY.isoformat()


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test from the repository root: messages show paths relative to it."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, one per test module."""
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def fixture_cases() -> list[Case]:
    return [c.case for c in load_corpus([SITE_CASES]).cases]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site built once from the fixture cases."""
    tmp = tmp_path_factory.mktemp("public")
    build(tmp, SITE_CASES)
    return tmp / "site"


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site built once from the shipped cases (read only: copy it to change it)."""
    tmp = tmp_path_factory.mktemp("shipped-site")
    build(tmp, CASES)
    return tmp / "site"


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("internal")
    build(tmp, SITE_CASES, edition="internal")
    return tmp / "site"


# Fixtures that build the shipped corpus (or more) make every test that uses them slow.
SLOW_FIXTURES = frozenset({"shipped_site", "public_outputs", "edited_outputs"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tiers from the fixtures a test uses, whatever brings them in, so they cannot drift."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if "browser" in used:
            item.add_marker(pytest.mark.browser)
        if used & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
