"""The shipped corpus (cases/ and collections/), held to invariants only, on the real clock.

Editors add cases every week: a case made today by ``casebook new`` and
filled in must pass every test. So this module, the only one that reads the
shipped corpus, asserts what holds whatever the cases are: it validates
against today's real date, it is in canonical form, it builds, nothing a
publisher must not publish reaches the site, every case can be found, every
collection prints. Expectations about particular cases (rankings, counts,
golden queries) live on the frozen copy, tests/fixtures/real (tests/corpora.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.builder.finderdata import DATA_DIR as FINDER_DATA
from casebook.builder.siteindex import DATA_DIR as SEARCH_DATA
from casebook.schema import Case, load_corpus
from casebook.schema.authoring import canonical_text
from casebook.schema.clock import ENVIRONMENT_VARIABLE
from casebook.schema.jsonschema import COLLECTION_SCHEMA_FILE_NAME, SCHEMA_FILE_NAME, committed_schema_path
from casebook.schema.layout import layout_problem
from casebook.schema.loader import load_text
from casebook.search.index import open_index
from casebook.search.query import search
from tests.adversarial.test_content import note_fragments, plain_text
from tests.corpora import GOOD, ROOT, SHIPPED_CASES, SHIPPED_COLLECTIONS, cases_of, real_clock
from tests.test_print import pdf_text, plain, ruling_texts
from tests.test_site import soup
from tests.test_site_search import SiteIndex

HEADER = "# yaml-language-server: $schema="
CASE_FILES = sorted(SHIPPED_CASES.rglob("*.yaml"))
COLLECTION_FILES = sorted(SHIPPED_COLLECTIONS.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is the machine's date, as for an editor: a case issued today is valid."""
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)


@pytest.fixture(scope="module")
def shipped() -> list[Case]:
    with real_clock():
        return cases_of(SHIPPED_CASES)


# --- it validates, against today's real date, in canonical form ---------------------------


def test_shipped_cases_and_collections_validate_strictly() -> None:
    result = CliRunner().invoke(main, ["validate", "--strict"])  # cases/ and collections/
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个警告" in result.output


def test_shipped_cases_and_collections_hold_no_name_and_no_ruling_in_study_text() -> None:
    corpus = load_corpus([SHIPPED_CASES, SHIPPED_COLLECTIONS])
    flagged = [str(p) for p in corpus.problems if p.code in ("CB308", "CB309", "CB311")]
    assert flagged == []
    assert len(corpus.cases) >= 43
    assert len(corpus.collections) >= 5


def test_shipped_cases_are_in_canonical_form() -> None:
    result = CliRunner().invoke(main, ["fmt", "--check", "cases"])
    assert result.exit_code == 0, f"运行 casebook fmt 整理:\n{result.output}"


def test_the_shipped_cases_give_the_layout_reader_no_false_alarm() -> None:
    files = [*CASE_FILES, *COLLECTION_FILES, *GOOD.rglob("*.yaml")]
    assert files
    assert [f for f in files if layout_problem(f.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_canonical_form_keeps_every_case_equal(path: Path) -> None:
    [loaded] = load_corpus([path]).cases
    reloaded, problems = load_text(canonical_text(loaded.case), "x")
    assert problems == []
    assert Case.model_validate(reloaded.data) == loaded.case


@pytest.mark.parametrize("path", CASE_FILES + COLLECTION_FILES, ids=lambda p: p.name)
def test_every_case_and_collection_points_editors_at_its_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith(HEADER)
    target = (path.parent / first.removeprefix(HEADER)).resolve()
    expected = COLLECTION_SCHEMA_FILE_NAME if path.parent == SHIPPED_COLLECTIONS else SCHEMA_FILE_NAME
    assert (
        target == (ROOT / "schema" / expected).resolve()
        and target.read_bytes() == committed_schema_path(expected).read_bytes()
    )


# --- it builds, and nothing leaks ---------------------------------------------------------


def test_shipped_cases_build_in_strict_mode(shipped_site: Path) -> None:
    public = [c for c in load_corpus([SHIPPED_CASES]).public()]
    assert sum(1 for _ in shipped_site.rglob("*.html")) > len(public)
    for case in public:
        assert (shipped_site / "cases" / f"{case.id}.html").exists()
    # The words the site adds around the cases use Chinese punctuation (整理：, not 整理:).
    half_width = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,;(][\u4e00-\u9fff]")
    found = []
    for path in sorted(shipped_site.rglob("*.html")):
        article = soup(path).select_one("article")
        for content in article.select(".cb-section, table.cb-meta td, .cb-subtitle, .cb-intro, details, .cb-sources"):
            content.decompose()
        found += [f"{path.name}: {m.group()}" for m in half_width.finditer(article.get_text())]
    assert found == []


def _editors_texts() -> list[str]:
    """Every editors' note and declared-name reason in cases/: none may be published."""
    texts = []
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [data["editor_notes"]] if data.get("editor_notes") else []
        texts += [d["reason"] for d in data.get("published_names") or []]
    return texts


def test_the_public_site_holds_no_internal_case_and_no_editors_note(shipped_site: Path, shipped: list[Case]) -> None:
    internal = [c for c in shipped if not c.is_public]
    markers = sorted({m for c in internal for m in (c.id, c.title)})
    fragments = sorted({f for text in _editors_texts() for f in note_fragments(text)})
    files = [
        p for p in shipped_site.rglob("*") if p.suffix in {".html", ".js", ".json", ".csv", ".xml", ".txt", ".pdf"}
    ]
    assert any(p.suffix == ".pdf" for p in files) and any(p.name == "cases.csv" for p in files)
    hits = []
    for path in files:
        text = plain_text(path)
        hits += [(str(path.relative_to(shipped_site)), m) for m in [*markers, *fragments] if plain(m) in text]
    assert hits == []


# --- every case can be found ----------------------------------------------------------------


def test_every_public_case_is_found_by_its_title(shipped_site: Path, shipped: list[Case], tmp_path: Path) -> None:
    """On the 案例检索 page and with ``casebook search``; every current one is in the 类案查找 page's data too."""
    public = [c for c in shipped if c.is_public]
    files = {str(p.relative_to(shipped_site)): p.read_text("utf-8") for p in (shipped_site / SEARCH_DATA).rglob("*.js")}
    page = SiteIndex(files)
    assert sorted(page.ids) == sorted(c.id for c in public)
    cli, _ = open_index(SHIPPED_CASES, tmp_path)
    for case in public:  # among the cases holding the most words of the query, on the page and on the command line
        found = page.matched(case.title)
        assert found.get(case.id) == max(found.values()), case.id
        hits = {hit.id: hit.matched for hit in search(cli, case.title, limit=len(shipped)).hits}
        assert hits.get(case.id) == max(hits.values()), case.id
    current = [c for c in public if c.publication.status.state == "current"]
    assert len(list((shipped_site / FINDER_DATA / "d").glob("*.js"))) == len(current)


# --- every collection prints ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("collection", [p.stem for p in COLLECTION_FILES])
def test_every_shipped_collection_prints_both_editions(collection: str, tmp_path: Path) -> None:
    for edition in ("student", "teacher"):
        for fmt in ("html", "pdf"):
            target = tmp_path / f"{edition}.{fmt}"
            result = CliRunner().invoke(
                main, ["print", collection, "--edition", edition, "--format", fmt, "-o", str(target)]
            )
            assert result.exit_code == 0, result.output
            assert target.stat().st_size > 5000
    corpus = load_corpus([SHIPPED_CASES, SHIPPED_COLLECTIONS])
    chosen = next(c.collection for c in corpus.collections if c.collection.id == collection)
    cases = {c.case.id: c.case for c in corpus.cases}
    student = plain(pdf_text(tmp_path / "student.pdf"))
    leaked = [text for text in ruling_texts(chosen, cases) if plain(text) in student]
    assert leaked == []


# --- the property this module exists for ----------------------------------------------------

NEW_CASE = {  # an editor's answers to the scaffold of `casebook new` (the rest left as written)
    "title": "某镇干部为抢修灌溉渠先行动用应急资金案",
    "subtitle": "春灌前渠道垮塌，先行拨付应急资金组织抢修，事后补办审批手续",
    "  publisher": "某县纪委监委",
    "    - url": "https://example.org/cases/dangtian.html",
    "  alias": "钱某某",
    "  role": "township_cadre",
    "domain": "emergency_response",
    "facts": "春灌前夕，某镇一段主干灌溉渠因连日降雨垮塌，下游约两千亩农田面临断水。分管副镇长钱某某提请镇党委会议研究后，"
    "未等县级部门批复，先行从镇应急资金中拨付十八万元组织抢修，一周内恢复通水，事后补齐了审批材料。"
    "经调查，钱某某没有从中谋取私利，资金账目清楚。",
    "  result": "exempted",
    "  wording": "对钱某某予以容错免责",
    "key_point": "为保农时先行动用应急资金、事后补办手续且未谋私利的，可以容错。",
}


def _fill(scaffold: str, today: str) -> str:
    """The scaffold with the editor's answers: one ``key: ""`` line each, the published day, one keyword, a province."""
    answers = {f'\n{key}: ""\n': f"\n{key}: {value}\n" for key, value in NEW_CASE.items()}
    answers['\n  published: ""\n'] = f"\n  published: {today}\n"
    answers['\nkeywords:\n  - ""\n'] = "\nkeywords:\n  - 应急抢修\n"
    answers["\n  province: null\n"] = "\n  province: 安徽省\n"
    for blank, answer in answers.items():
        assert scaffold.count(blank) == 1, blank
        scaffold = scaffold.replace(blank, answer)
    return scaffold


@pytest.mark.slow
def test_a_case_added_today_keeps_the_tests_green(tmp_path: Path) -> None:
    """In a copy of the project, a case made today with ``casebook new`` and filled in passes every test that could see it.

    That is every test of this module and the whole fast tier (``make check``): the only
    tests that read cases/, and every command run without ``--cases``. The copy runs on
    the real clock, as an editor's machine does.
    """
    project = tmp_path / "project"
    outputs = {".git", ".venv", ".tools", "build", ".cache", "site", "site-internal", "print"}  # at the top only
    shutil.copytree(
        ROOT, project, ignore=lambda folder, names: [n for n in names if Path(folder) == ROOT and n in outputs]
    )
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_VARIABLE}
    today = dt.date.today()
    case_id = f"{today.year}-ceshi-dangtian-shoulu"
    casebook = str(Path(sys.executable).with_name("casebook"))

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)

    made = run(casebook, "new", case_id, "--year", str(today.year))
    assert made.returncode == 0, made.stderr
    path = project / "cases" / str(today.year) / f"{case_id}.yaml"
    path.write_text(_fill(path.read_text(encoding="utf-8"), today.isoformat()), encoding="utf-8")
    for step in (["fmt", "cases"], ["validate", "--strict"]):
        done = run(casebook, *step)
        assert done.returncode == 0, done.stdout + done.stderr
    assert f"issued: {today.isoformat()}" in path.read_text(encoding="utf-8")
    pytest_run = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    fast = run(*pytest_run, "--basetemp", str(tmp_path / "fast"), "-m", "not browser and not slow")
    assert fast.returncode == 0, fast.stdout[-5000:]
    shipped = run(*pytest_run, "--basetemp", str(tmp_path / "shipped"), "tests/test_shipped.py",
                  "-m", "slow and not browser", "-k", "not a_case_added_today")  # fmt: skip
    assert shipped.returncode == 0, shipped.stdout[-5000:]
