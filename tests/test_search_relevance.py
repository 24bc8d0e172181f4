"""Search relevance on the table of tests/quality/search_queries.yaml, over the frozen copy of the real cases.

The table was judged from the case pages by someone who did not write the
search; the figures below are what ``python -m tests.quality.search_relevance``
measured when the tiers of issue 22 landed (before them: first-page precision
0.53, first-page recall 0.87, recall 0.89, 0 of 4 queries that should list
nothing listed nothing). They hold the line against a change that makes search
worse; they were not tuned to pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.schema import load_corpus
from casebook.search.fields import text_fields
from casebook.search.index import CaseIndex
from casebook.search.present import search_text
from casebook.search.query import SearchResult, search
from tests.quality import search_relevance
from tests.quality.search_relevance import FROZEN_CASES, Measured, measure, summarise, table

# As measured on the frozen cases (55 queries), rounded down.
PRECISION, RECALL, RECALL_ALL = 0.64, 0.92, 0.94


@pytest.fixture(scope="module")
def frozen_index(real_index: CaseIndex) -> CaseIndex:
    """The command line's index of the frozen real cases (tests/corpora.py), built once a session."""
    return real_index


@pytest.fixture(scope="module")
def measured(real_index: CaseIndex, real_index_cache: Path) -> list[Measured]:
    return measure(FROZEN_CASES, table(), real_index_cache)  # the index is there already


def test_first_page_precision_and_recall_hold_what_was_measured(measured: list[Measured]) -> None:
    summary = summarise(measured)
    assert summary.queries >= 44
    assert summary.precision is not None and summary.precision >= PRECISION
    assert summary.recall is not None and summary.recall >= RECALL
    assert summary.recall_all is not None and summary.recall_all >= RECALL_ALL
    # What the table says should list nothing (an unknown word, characters found only inside aliases) lists nothing.
    assert summary.empty_expected and summary.empty_listed_nothing == summary.empty_expected


def test_a_typed_word_comes_first_whole_and_the_rest_is_marked(frozen_index: CaseIndex) -> None:
    """集体研究: the six cases holding it lead, unmarked; every other case is marked with its tier."""
    result = search(frozen_index, "集体研究", limit=100)
    holding = _cases_holding("集体研究")
    assert len(holding) == 6 and result.tiers[1] == 6
    assert {hit.id for hit in result.hits[:6]} == holding and all(hit.tier == 1 for hit in result.hits[:6])
    assert all(hit.tier > 1 for hit in result.hits[6:]) and len(result.hits) > 6
    assert "其中 6 个案例含全部检索词" in _text(result)


def test_an_unknown_word_matches_no_alias_and_is_said(frozen_index: CaseIndex) -> None:
    """防汛 道路: the alias 道某某 is no match for 道; the cases of 防汛 lead; 道路 is said to be nowhere."""
    result = search(frozen_index, "防汛 道路", limit=100)
    ids = [hit.id for hit in result.hits]
    assert "2019-xinjiang-zhucun-wugao-chengqing" not in ids  # its alias is 道某某
    assert set(ids[:2]) == {"2019-dongying-hekou-taifeng-mianyu", "2022-wuhan-caidian-bengzhan-xuanzhi"}
    assert "“道路”未收录为词语，已按“道”“路”相邻查找，没有案例含“道路”。" in _text(result)
    for alone in ("道", "刀", "靳"):  # characters that stand alone only inside an alias: nothing is found
        assert search(frozen_index, alone).total == 0, alone
    assert "2019-xinjiang-zhucun-wugao-chengqing" in {hit.id for hit in search(frozen_index, "道某某").hits}


def test_the_thesaurus_finds_the_other_words_of_a_ring_and_says_so(frozen_index: CaseIndex) -> None:
    for written, meant, case in (
        ("最低生活保障", "低保", "2017-yangzhou-jiangdu-dibao-tongqing"),
        ("人民防空", "人防", "2025-huaian-renfang-rongque"),
    ):
        result = search(frozen_index, written, limit=5)
        assert case in {hit.id for hit in result.hits if hit.tier == 1}, written
        assert f"按同义词一并查找：{written} ≈ " in _text(result) and meant in _text(result)


def _cases_holding(word: str) -> set[str]:
    return {c.case.id for c in load_corpus([FROZEN_CASES]).cases if word in "".join(text_fields(c.case).values())}


def _text(result: SearchResult) -> str:
    return search_text(result)


def test_the_relevance_script_prints_its_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real_index: CaseIndex, real_index_cache: Path
) -> None:
    rows = [r for r in table() if r["id"] in ("sq01", "sq46")]
    (tmp_path / "table.yaml").write_text(
        "rows:\n"
        + "".join(
            f"  - {{id: {r['id']}, query: {r['query']}, kind: {r['kind']}, relevant: {r['relevant']}}}\n" for r in rows
        ),
        encoding="utf-8",
    )
    args = ["--table", str(tmp_path / "table.yaml"), "--rows", "--cache", str(real_index_cache)]
    assert search_relevance.main(args) == 0
    out = capsys.readouterr().out
    assert "sq01" in out and "首页精确率" in out and "全部" in out
