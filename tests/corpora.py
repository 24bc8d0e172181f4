"""The fixtures factory: every corpus the tests read, and the sites and indexes built from them.

datasette's tests/fixtures.py is the model: one module that makes the
fixture corpora and what is built from them, each expensive thing once per
session, each named for what it holds. tests/conftest.py hands the fixtures
to every test module.

Two kinds of corpus, two clocks:

* **Frozen fixture corpora** (folders under tests/fixtures/) hold every
  expectation about particular cases: rankings, counts, golden queries,
  parity between the command line and the pages. They change only when a
  test's need changes (or when the schema changes under them, as under
  cases/), and their dates are judged against the fixed day ``TODAY``, so
  that they never age.
* **The shipped corpus** (``cases/`` and ``collections/``) grows whenever an
  editor adds a case. Only tests/test_shipped.py asserts anything about it
  (test_draft.py only checks that a command wrote nothing into it), and only
  invariants (it validates against today's real date, it builds, nothing
  leaks, every case is findable, every collection prints), so that a valid
  case added today never fails a test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from casebook.schema import Case, load_corpus
from casebook.schema.clock import ENVIRONMENT_VARIABLE
from tests.site_helpers import ROOT, build

if TYPE_CHECKING:
    from casebook.search.index import CaseIndex

FIXTURES = ROOT / "tests" / "fixtures"

# The day the fixture corpora are judged against: the whole suite, the commands it
# runs in subprocesses included, sees it as today (tests/conftest.py sets it), except
# tests/test_shipped.py, which runs on the real clock. It is the newest issue date of
# the frozen real cases; it never needs to move.
TODAY = dt.date(2026, 12, 2)

# Five made-up cases, one collection: a current case of each kind of outcome the pages
# show differently, an internal one, a withdrawn one and one full of markup. Small, so
# that a site builds in seconds: what every page, print and leak test reads.
SITE_CASES = FIXTURES / "site" / "cases"
SITE_COLLECTIONS = FIXTURES / "site" / "collections"

# The 56 real cases and 5 collections as shipped on 2026-12-07, frozen. The expectations
# about real text live here: the Huai'an case ranks first for its paraphrase, the seven
# contrast cases, the outcome and facet counts, golden queries, and parity between the
# command line and the pages over a corpus of real size. A copy, so that an editor who
# adds or corrects a case in cases/ changes none of them.
REAL_CASES = FIXTURES / "real" / "cases"
REAL_COLLECTIONS = FIXTURES / "real" / "collections"

# One made-up near-duplicate of drafts/village-loan.yaml: added to the real cases, the
# precedent finder must rank it first.
PLANTED = FIXTURES / "planted"
# Single files: a valid case to break in one place, one broken file per kind of error,
# and draft cases (precedent queries).
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"
DRAFTS = FIXTURES / "drafts"

# The live corpus: read by tests/test_shipped.py only, on the real clock.
SHIPPED_CASES = ROOT / "cases"
SHIPPED_COLLECTIONS = ROOT / "collections"


@contextmanager
def real_clock() -> Iterator[None]:
    """Today is the machine's date inside this block, as for an editor's commands (the suite pins ``TODAY``)."""
    pinned = os.environ.pop(ENVIRONMENT_VARIABLE, None)
    try:
        yield
    finally:
        if pinned is not None:
            os.environ[ENVIRONMENT_VARIABLE] = pinned


def cases_of(folder: Path) -> list[Case]:
    """Every case under ``folder``, as validated."""
    return [c.case for c in load_corpus([folder]).cases]


# --- the site fixtures ----------------------------------------------------------------


@pytest.fixture(scope="session")
def fixture_cases() -> list[Case]:
    return cases_of(SITE_CASES)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site built once from the site fixtures."""
    tmp = tmp_path_factory.mktemp("public")
    build(tmp, SITE_CASES)
    return tmp / "site"


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The internal edition built once from the site fixtures."""
    tmp = tmp_path_factory.mktemp("internal")
    build(tmp, SITE_CASES, edition="internal")
    return tmp / "site"


# --- the frozen real cases ------------------------------------------------------------


@pytest.fixture(scope="session")
def real_cases() -> list[Case]:
    """The frozen real cases, valid on the fixed day."""
    corpus = load_corpus([REAL_CASES, REAL_COLLECTIONS], today=TODAY)
    assert not corpus.errors, [str(p) for p in corpus.errors][:5]
    return [c.case for c in corpus.cases]


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site built once from the frozen real cases (read only: copy it to change it)."""
    tmp = tmp_path_factory.mktemp("real-site")
    build(tmp, REAL_CASES)
    return tmp / "site"


@pytest.fixture(scope="session")
def real_index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache folder holding the command line's index of the frozen real cases (``--cache`` for commands)."""
    return tmp_path_factory.mktemp("real-index")


@pytest.fixture(scope="session")
def real_index(real_index_cache: Path) -> CaseIndex:
    """The command line's index (Whoosh and the finder's model) of the frozen real cases, built once."""
    from casebook.search.index import open_index

    index, _ = open_index(REAL_CASES, real_index_cache)
    return index


@pytest.fixture(scope="session")
def precedents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cases folder: the frozen real cases plus the planted near-duplicate (read only)."""
    folder = tmp_path_factory.mktemp("precedents") / "cases"
    shutil.copytree(REAL_CASES, folder)
    shutil.copytree(PLANTED, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def precedents_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache folder holding the index of ``precedents``: commands given it do not index again."""
    return tmp_path_factory.mktemp("precedents-index")


@pytest.fixture(scope="session")
def precedents_index(precedents: Path, precedents_cache: Path) -> CaseIndex:
    from casebook.search.index import open_index

    index, _ = open_index(precedents, precedents_cache)
    return index


# --- the shipped corpus (tests/test_shipped.py) --------------------------------------------


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site built once from cases/ and collections/ as they are today, on the real clock."""
    tmp = tmp_path_factory.mktemp("shipped-site")
    with real_clock():
        build(tmp, SHIPPED_CASES)
    return tmp / "site"


# Fixtures that build a site of real size (or a site and its printed casebooks) or print PDFs make
# every test that uses them slow: the fast loop (make check) runs what needs none of that.
SLOW_FIXTURES = frozenset({"shipped_site", "real_site", "public_outputs", "edited_outputs", "injected", "printed"})
