"""Outcomes told as what the sources say, and the coverage table for publishers.

A contrast case (a sanction reported with no 容错 ruling) must read as such on
its page, in statistics and in the teacher's casebook; pre-filing and retrial
cases must not read as rulings; the coverage table must count every
distinction × side × outcome and name the empty cells.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from casebook.builder.charts import outcome_colour
from casebook.builder.cli import main
from casebook.builder.printing import render_casebook
from casebook.builder.render import coverage_text, render_case
from casebook.builder.stats import GAP_GROUPS, coverage
from casebook.schema import Case, load_corpus
from casebook.schema import vocabulary as vocab
from casebook.schema.models import DistinctionFinding
from tests.corpora import FIXTURES, REAL_CASES, REAL_COLLECTIONS, SITE_CASES

# The seven casefacts notes whose sources report a sanction and never mention 容错.
CONTRAST_CASES = {
    "2018-jingzhou-shashi-chufen-chongyong",  # note 054
    "2017-yangzhou-jiangdu-dibao-tongqing",  # 078
    "2023-jinhua-wucheng-liangting-peibiao",  # 080
    "2016-jinhua-jindong-shuifei-chujie",  # 081
    "2019-dazhou-quxian-jianguan-chufen",  # 085
    "2021-changde-shimen-jiuzhujin-shouhui",  # 087
    "2017-quzhou-jiangshan-xiaojinku",  # 088
}


def _gap_columns() -> list[str]:
    return [o for o in vocab.ids("outcomes") if vocab.outcome_group(o) in GAP_GROUPS]


def _variant(base: Case, n: int, outcome: str, *findings: tuple[str, str]) -> Case:
    distinctions = [DistinctionFinding(distinction=d, side=s, source="implied", reasoning="测试") for d, s in findings]
    update = {"id": f"2024-variant-{n}", "distinctions": distinctions}
    return base.model_copy(update={**update, "outcome": base.outcome.model_copy(update={"result": outcome})})


@pytest.fixture(scope="module")
def variants() -> list[Case]:
    base = next(c.case for c in load_corpus([FIXTURES / "good"]).cases)
    return [
        _variant(base, 1, "exempted", ("motive", "tolerated"), ("experience", "tolerated")),
        _variant(base, 2, "sanctioned", ("motive", "not_tolerated")),
        _variant(base, 3, "cleared"),
        _variant(base, 4, "pre_filed", ("exploration", "tolerated")),
    ]


# --- the coverage table ----------------------------------------------------------


def test_coverage_counts_every_combination_and_names_only_real_gaps(variants: list[Case]) -> None:
    table = coverage(variants)
    assert table.rows == [(d, s) for d in vocab.ids("distinctions") for s in ("tolerated", "not_tolerated")]
    assert table.columns == vocab.ids("outcomes")
    assert table.cases == 4
    # a case that turns on two distinctions counts in both rows
    assert table.count("motive", "tolerated", "exempted") == 1
    assert table.count("experience", "tolerated", "exempted") == 1
    assert table.count("motive", "not_tolerated", "sanctioned") == 1
    assert table.count("exploration", "tolerated", "pre_filed") == 1
    assert table.without_distinction == {"cleared": 1}
    gaps = table.gaps()
    assert ("exploration", "not_tolerated", "accountable") in gaps
    assert ("motive", "tolerated", "exempted") not in gaps
    # name-clearings and pre-filings answer no distinction: no gap in their columns
    assert not [g for g in gaps if vocab.outcome_group(g[2]) not in GAP_GROUPS]
    assert len(gaps) == len(table.rows) * len(_gap_columns()) - 3


def test_coverage_text_names_the_missing_kinds_in_words(variants: list[Case]) -> None:
    text = coverage_text(coverage(variants))
    row = f"{vocab.short_label('distinctions', 'exploration')} · {vocab.label('distinction_sides', 'not_tolerated')}"
    missing = "、".join(vocab.label("outcomes", o) for o in _gap_columns())
    assert f"- {row}：尚无 {missing} 的案例" in text
    filled = f"{vocab.short_label('distinctions', 'motive')} · {vocab.label('distinction_sides', 'tolerated')}"
    line = next(line for line in text.splitlines() if line.startswith(f"- {filled}"))
    assert vocab.label("outcomes", "exempted") not in line.split("尚无")[1]


def test_cli_coverage_json_equals_a_count_of_the_real_corpus(real_cases: list[Case]) -> None:
    result = CliRunner().invoke(main, ["coverage", "--json", "--cases", str(REAL_CASES)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    counted = [c for c in real_cases if c.is_public and c.publication.status.state == "current"]
    cells = Counter((d.distinction, d.side, c.outcome.result) for c in counted for d in c.distinctions)
    assert data["cases"] == len(counted)
    for row in data["rows"]:
        key = (row["distinction"], row["side"])
        assert row["counts"] == {o: cells[(*key, o)] for o in vocab.ids("outcomes")}
        assert row["gaps"] == [o for o in _gap_columns() if not cells[(*key, o)]]
    none = Counter(c.outcome.result for c in counted if not c.distinctions)
    assert data["without_distinction"]["counts"] == {o: none[o] for o in vocab.ids("outcomes")}
    assert len(data["gaps"]) == sum(len(row["gaps"]) for row in data["rows"])


def test_cli_coverage_text_leaves_out_internal_and_withdrawn_cases() -> None:
    def without_distinction(*extra: str) -> dict[str, int]:
        result = CliRunner().invoke(main, ["coverage", "--json", "--cases", str(SITE_CASES), *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["without_distinction"]["counts"]

    assert without_distinction()["accountable"] == 0  # the internal fixture case
    assert without_distinction("--include-internal")["accountable"] == 1
    text = CliRunner().invoke(main, ["coverage", "--cases", str(SITE_CASES)]).output
    assert "尚未收录的类型" in text
    assert f"{vocab.short_label('outcomes', 'mitigated')} 1" not in text  # the withdrawn case


def test_statistics_page_shows_the_coverage_table_and_its_gaps(site: Path, fixture_cases: list[Case]) -> None:
    page = BeautifulSoup((site / "stats.html").read_text(encoding="utf-8"), "html.parser")
    table = page.select_one("table.cb-coverage")
    head = [th.get_text() for th in table.thead.find_all("th")]
    assert head[1:-1] == [vocab.short_label("outcomes", o) for o in vocab.ids("outcomes")]
    shown = [c for c in fixture_cases if c.is_public and c.publication.status.state == "current"]
    cells = Counter((d.distinction, d.side, c.outcome.result) for c in shown for d in c.distinctions)
    rows = table.tbody.select("tr[data-distinction]")
    assert len(rows) == 6
    for row in rows:
        key = (row["data-distinction"], row["data-side"])
        values = [int(td.get_text()) for td in row.find_all("td")]
        assert values[:-1] == [cells[(*key, o)] for o in vocab.ids("outcomes")]
        gaps = [
            vocab.ids("outcomes")[i] for i, td in enumerate(row.find_all("td")[:-1]) if "cb-gap" in td.get("class", [])
        ]
        assert gaps == [o for o in _gap_columns() if not cells[(*key, o)]]
    listed = [li.get_text() for li in page.select("ul.cb-gaps li")]
    assert len(listed) == 6  # two fixture cases cannot fill a row
    assert any(line.startswith("无意过失 / 谋取私利 · 可容错一侧：尚无 从轻处理") for line in listed)
    groups = Counter(vocab.outcome_group(c.outcome.result) for c in shown)
    summary = page.find(id="outcome").find_next(string=re.compile("按结果类别"))
    for group_id in vocab.ids("outcome_groups"):
        assert f"{vocab.label('outcome_groups', group_id)} {groups[group_id]} 个" in summary


# --- outcomes as the sources tell them ------------------------------------------


def _page(case: Case) -> BeautifulSoup:
    return BeautifulSoup(render_case(case), "html.parser")


def _outcome_section(page: BeautifulSoup) -> str:
    return page.find(string=re.compile(r"^\s*## 处理结果")).find_next("div").get_text()


def test_the_seven_contrast_cases_read_no_tolerance_ruling_reported(real_cases: list[Case]) -> None:
    sanctioned = {c.id for c in real_cases if c.outcome.result == "sanctioned"}
    assert sanctioned == CONTRAST_CASES
    for case in real_cases:
        if case.id not in CONTRAST_CASES:
            continue
        page = _page(case)
        meta = {
            tr.th.get_text().rstrip("\uff1a"): tr.td.get_text().rstrip("\uff1b")
            for tr in page.select("table.cb-meta tr")
        }
        assert meta["处理结果"] == "问责处理（未见容错认定）", case.id
        outcome = _outcome_section(page)
        assert "没有提到容错" in outcome and "不等于作出过不予容错的认定" in outcome, case.id
        assert "不予容错" not in case.outcome.wording, case.id


def test_no_case_claims_a_refusal_the_source_does_not_report(real_cases: list[Case]) -> None:
    # 不予容错 is a ruling: a case may carry it only when its wording reports that ruling.
    for case in real_cases:
        if case.outcome.result == "accountable":
            assert "不予容错" in case.outcome.wording, case.id


def test_pre_filing_cases_read_as_pre_filing_and_not_as_rulings(real_cases: list[Case]) -> None:
    pre_filed = [c for c in real_cases if c.outcome.result == "pre_filed"]
    assert len(pre_filed) >= 3
    for case in pre_filed:
        steps = [s.step for s in case.procedure]
        assert "pre_filing" in steps and "determination" not in steps, case.id
        outcome = _outcome_section(_page(case))
        assert "已事前报备（未见后续认定）" in outcome and "报备不等于免责" in outcome, case.id
        assert vocab.outcome_group(case.outcome.result) == "unknown"


def test_the_retrial_case_reads_as_a_withdrawn_prosecution(real_cases: list[Case]) -> None:
    (case,) = [c for c in real_cases if c.outcome.result == "prosecution_withdrawn"]
    assert "撤回起诉" in case.outcome.wording
    outcome = _outcome_section(_page(case))
    assert "再审后撤回起诉" in outcome and "不是容错认定" in outcome
    assert vocab.outcome_group("prosecution_withdrawn") not in ("tolerated", "cleared")


def test_each_outcome_keeps_one_colour_and_groups_keep_their_hue() -> None:
    colours = {o: outcome_colour(o) for o in vocab.ids("outcomes")}
    assert len(set(colours.values())) == len(colours)
    assert outcome_colour("accountable").startswith("#b2") and outcome_colour("exempted").startswith("#1b")


# --- the collection 好心办错事 ------------------------------------------------------


@pytest.fixture(scope="module")
def haoxin() -> tuple[object, dict[str, Case]]:
    corpus = load_corpus([REAL_CASES, REAL_COLLECTIONS])
    collection = next(c.collection for c in corpus.collections if c.collection.id == "haoxin-bancuoshi")
    return collection, {c.case.id: c.case for c in corpus.cases}


def test_haoxin_pairs_tolerated_and_sanctioned_cases(haoxin) -> None:  # type: ignore[no-untyped-def]
    collection, cases = haoxin
    groups = [vocab.outcome_group(cases[e.case].outcome.result) for e in collection.cases]
    assert groups.count("tolerated") >= 4 and groups.count("accountable") >= 5
    assert CONTRAST_CASES - {"2018-jingzhou-shashi-chufen-chongyong"} <= {e.case for e in collection.cases}
    for entry in collection.cases:
        asked = " ".join([*entry.questions, *cases[entry.case].questions])
        assert entry.teaching_notes and entry.prompt, entry.case
        assert asked, entry.case


def test_haoxin_teacher_edition_tells_sanctions_from_refusals(haoxin) -> None:  # type: ignore[no-untyped-def]
    collection, cases = haoxin

    def text(edition: str) -> str:
        html = render_casebook(collection, cases, edition, dt.date(2026, 12, 2))
        return BeautifulSoup(html, "html.parser").get_text()

    teacher, student = text("teacher"), text("student")
    sanctioned = sum(1 for e in collection.cases if cases[e.case].outcome.result == "sanctioned")
    assert teacher.count("问责处理（未见容错认定）") >= sanctioned
    assert teacher.count("不等于作出过不予容错的认定") == sanctioned
    assert "未见容错认定" not in student and "结果类别" not in student


def test_editor_notes_of_the_new_cases_reach_no_public_artifact(real_cases: list[Case]) -> None:
    from casebook.builder.exports import cases_csv, cases_json

    noted = [c for c in real_cases if c.editor_notes]
    assert len(noted) >= 13
    data = json.loads(cases_json(noted, lambda c: f"cases/{c.id}.html"))
    assert all("editor_notes" not in record for record in data["cases"])
    csv_text = cases_csv(noted, lambda c: f"cases/{c.id}.html")
    for case in noted:
        note = case.editor_notes or ""
        page = _page(case).get_text()
        for text in (page, csv_text, json.dumps(data, ensure_ascii=False)):
            assert note not in text, case.id
