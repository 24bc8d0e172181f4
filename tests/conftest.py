"""Shared fixtures: the corpora and sites of tests/corpora.py, a fixed 'today', the tiers, one chromium a module."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from casebook.schema.clock import ENVIRONMENT_VARIABLE
from tests.corpora import (  # noqa: F401 - the fixtures of the factory, for every test module
    FIXTURES,
    SITE_CASES,
    SITE_COLLECTIONS,
    SLOW_FIXTURES,
    TODAY,
    fixture_cases,
    internal_site,
    precedents,
    precedents_cache,
    precedents_index,
    real_cases,
    real_index,
    real_index_cache,
    real_site,
    shipped_site,
    site,
)
from tests.site_helpers import ROOT, chromium

# Fixture dates are judged against TODAY so that tests do not age: the whole suite,
# the commands it runs in subprocesses included, sees it as today. tests/test_shipped.py
# alone puts the real clock back, for the shipped corpus.
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tiers from the fixtures a test uses, whatever brings them in, so they cannot drift."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if "browser" in used:
            item.add_marker(pytest.mark.browser)
        if used & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
