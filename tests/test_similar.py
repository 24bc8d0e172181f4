"""The precedent finder: what ranks first, why, and the report a committee files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.search.finder import Description, query_record
from casebook.search.index import open_index
from tests.conftest import CASES, FIXTURES, SITE_CASES

DRAFTS = FIXTURES / "drafts"
HUAIAN = "2025-huaian-renfang-rongque"


@pytest.fixture(scope="module")
def corpus_with_planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped cases plus a planted near-duplicate of the village-loan draft."""
    folder = tmp_path_factory.mktemp("precedents") / "cases"
    shutil.copytree(CASES, folder)
    shutil.copytree(FIXTURES / "planted", folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def index(corpus_with_planted: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    found, _ = open_index(corpus_with_planted, tmp_path_factory.mktemp("cache"))
    return found


def _query(draft: str):  # type: ignore[no-untyped-def]
    return query_record(Description(draft=DRAFTS / draft))


def test_paraphrase_of_the_huaian_case_ranks_it_first_with_reasons(index) -> None:  # type: ignore[no-untyped-def]
    finding = index.precedents.similar(_query("huaian-paraphrase.yaml"), 10)
    top = finding.matches[0]
    assert top.record.id == HUAIAN
    assert top.score > finding.matches[1].score
    assert {"人防", "人防审批"} <= set(top.shared_terms)
    assert top.same_domain
    assert top.shared_rules == ["《江苏省实施〈中华人民共和国人民防空法〉办法》"]
    assert top.shared_distinctions == ["motive"]
    verdicts = {c.factor: c.verdict for c in top.looks}
    assert verdicts["motive"] == "相同"
    assert verdicts["duty"] == "查询未说明"


def test_planted_near_duplicate_ranks_first(index) -> None:  # type: ignore[no-untyped-def]
    finding = index.precedents.similar(_query("village-loan.yaml"), 5)
    assert finding.matches[0].record.id == "2024-planted-loan"
    planted, runner_up = finding.matches[0], finding.matches[1]
    assert planted.parts["text"] > 2 * runner_up.parts["text"]


def test_a_case_never_finds_itself(index) -> None:  # type: ignore[no-untyped-def]
    precedents = index.precedents
    for record in precedents.records:
        ids = [m.record.id for m in precedents.similar(record, 10).matches]
        assert record.id not in ids


def test_outcomes_of_the_top_k_and_the_nearest_that_ended_otherwise(index) -> None:  # type: ignore[no-untyped-def]
    finding = index.precedents.similar(_query("huaian-paraphrase.yaml"), 5)
    assert sum(n for _, n in finding.outcomes) == 5
    assert finding.majority == finding.outcomes[0][0]
    assert finding.nearest_different is not None
    assert finding.nearest_different.record.outcome != finding.majority
    # The nearest that ended otherwise, found independently over the whole ranking, not only the top k.
    everything = index.precedents.similar(_query("huaian-paraphrase.yaml"), len(index.precedents.records)).matches
    expected = next(m for m in everything if m.record.outcome != finding.majority)
    assert finding.nearest_different.record.id == expected.record.id
    assert finding.nearest_different.score == expected.score


def test_internal_precedents_only_when_asked(tmp_path: Path) -> None:
    index, _ = open_index(SITE_CASES, tmp_path)
    query = index.precedents.records[index.precedents.position["2025-site-renfang"]]
    public = [m.record.id for m in index.precedents.similar(query, 10).matches]
    everything = [m.record.id for m in index.precedents.similar(query, 10, include_internal=True).matches]
    assert "2018-site-internal" not in public
    assert "2018-site-internal" in everything
    assert "2023-site-withdrawn" not in everything  # a withdrawn case is no precedent


def test_cli_similar_from_free_text_and_factors(corpus_with_planted: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "similar", "--text", "村支书从村集体资金借款给承包户化解收割纠纷",
            "--factor", "motive=favourable", "--distinction", "motive", "--domain", "village_affairs",
            "-k", "3", "--json", "--cases", str(corpus_with_planted), "--cache", str(tmp_path),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["matches"]) == 3
    assert data["matches"][0]["id"] in {"2024-planted-loan", "2019-taizhou-taixing-jieju-mianze"}
    assert data["matches"][0]["components"]["looks"] == 1.0


def test_cli_rejects_a_broken_draft_with_file_line_field(tmp_path: Path) -> None:
    draft = DRAFTS / "broken-draft.yaml"
    result = CliRunner().invoke(main, ["similar", str(draft), "--cache", str(tmp_path)])
    assert result.exit_code == 1
    assert "tests/fixtures/drafts/broken-draft.yaml:2: domain:" in result.output
    assert "tests/fixtures/drafts/broken-draft.yaml:5: six_looks.motive.value:" in result.output


def test_cli_rejects_unknown_factor_values(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["similar", "--text", "x", "--factor", "motive=good", "--cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "motive=favourable" in result.output


def test_report_is_complete_and_reproducible(corpus_with_planted: Path, tmp_path: Path) -> None:
    draft = DRAFTS / "huaian-paraphrase.yaml"
    args = ["similar", str(draft), "--by", "裁定委员会办公室 王某", "--date", "2026-11-20",
            "--cases", str(corpus_with_planted), "--cache", str(tmp_path / "cache")]  # fmt: skip
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    assert CliRunner().invoke(main, [*args, "--report", str(first)]).exit_code == 0
    assert CliRunner().invoke(main, [*args, "--report", str(second)]).exit_code == 0
    report = first.read_text(encoding="utf-8")
    assert report == second.read_text(encoding="utf-8")
    for part in ("# 类案检索报告", "| 检索人 | 裁定委员会办公室 王某 |", "| 检索日期 | 2026-11-20 |", "内容哈希",
                 "## 一、检索条件", "某区干部为产业项目先行审查人防事项", "## 二、检索方法", "| 文本相似 | 0.40 |",
                 "## 三、结果概览", "参照 / 区别(委员会填写)", "## 四、逐案说明", f"`{HUAIAN}`", "要旨:",
                 "不代替容错免责裁定委员会的集体研究和决定"):  # fmt: skip
        assert part in report, part
    first_row = next(line for line in report.splitlines() if line.startswith("| 1 |"))
    assert HUAIAN in first_row
    assert first_row.endswith("| |")  # the committee's column, left blank


def test_report_refuses_to_overwrite_a_case(corpus_with_planted: Path, tmp_path: Path) -> None:
    target = corpus_with_planted / "2025" / f"{HUAIAN}.yaml"
    before = target.read_bytes()
    result = CliRunner().invoke(
        main,
        [
            "similar",
            "--text",
            "人防",
            "--report",
            str(target),
            "--cases",
            str(corpus_with_planted),
            "--cache",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert target.read_bytes() == before
