"""The precedent finder: what ranks first, why, and the report a committee files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.search import explain
from casebook.search.finder import Description, read_query
from casebook.search.index import open_index
from casebook.search.similar import WEAK_SCORE, WEIGHTS, whole_terms
from tests.corpora import DRAFTS, SITE_CASES
from tests.finder_golden import ISSUE_DESCRIPTIONS

HUAIAN = "2025-huaian-renfang-rongque"


# Rankings are asserted on the frozen real cases (tests/corpora.py): adding a real case never breaks them.
@pytest.fixture(scope="module")
def index(precedents_index):  # type: ignore[no-untyped-def]
    """The command line's index of the frozen real cases plus a planted near-duplicate of the village-loan draft."""
    return precedents_index


def _query(index, draft: str | None = None, text: str | None = None):  # type: ignore[no-untyped-def]
    description = Description(draft=DRAFTS / draft if draft else None, text=text)
    return read_query(description).against(index.precedents)


KICKBACK = (
    "某县住建局干部在工程招标中把项目拆分成多个小标段规避公开招标，指定关系人承接，收受承包商回扣30万元。事后隐瞒不报。"
)


def test_paraphrase_of_the_huaian_case_ranks_it_first_with_reasons(index) -> None:  # type: ignore[no-untyped-def]
    finding = index.precedents.similar(_query(index, "huaian-paraphrase.yaml"), 10)
    top = finding.matches[0]
    assert top.record.id == HUAIAN
    assert top.score > finding.matches[1].score
    assert "人防" in top.shared_terms
    assert top.same_domain
    assert top.shared_rules == ["《江苏省实施〈中华人民共和国人民防空法〉办法》"]
    assert top.shared_distinctions == ["motive"]
    verdicts = {c.factor: c.verdict for c in top.looks}
    assert verdicts["motive"] == "相同"
    assert verdicts["duty"] == "查询未说明"


def test_planted_near_duplicate_ranks_first(index) -> None:  # type: ignore[no-untyped-def]
    finding = index.precedents.similar(_query(index, "village-loan.yaml"), 5)
    assert finding.matches[0].record.id == "2024-planted-loan"
    planted, runner_up = finding.matches[0], finding.matches[1]
    assert planted.parts["text"] > 2 * runner_up.parts["text"]


def test_a_case_never_finds_itself(index) -> None:  # type: ignore[no-untyped-def]
    precedents = index.precedents
    for record in precedents.records:
        ids = [m.record.id for m in precedents.similar(record, 10).matches]
        assert record.id not in ids


def test_outcome_groups_of_the_top_k_with_their_strength(index) -> None:  # type: ignore[no-untyped-def]
    from casebook.schema.vocabulary import outcome_group

    finding = index.precedents.similar(_query(index, "huaian-paraphrase.yaml"), 5)
    assert sum(g.count for g in finding.distribution) == len(finding.matches) == 5
    assert abs(sum(g.weighted for g in finding.distribution) - 1) < 1e-9
    assert finding.vote == "tolerated"
    for share in finding.distribution:
        members = [m.score for m in finding.matches if outcome_group(m.record.outcome) == share.group]
        assert share.scores == (max(members), min(members))
    assert finding.nearest_different is not None
    assert outcome_group(finding.nearest_different.record.outcome) not in ("tolerated", "unknown")
    # The nearest that ended otherwise, found independently over the whole ranking, not only the top k.
    query = _query(index, "huaian-paraphrase.yaml")
    everything = index.precedents.similar(query, len(index.precedents.records)).matches
    expected = next(m for m in everything if outcome_group(m.record.outcome) not in ("tolerated", "unknown"))
    assert finding.nearest_different.record.id == expected.record.id
    assert finding.nearest_different.score == expected.score


def test_a_precedent_on_the_opposite_side_disagrees_and_says_so(index) -> None:  # type: ignore[no-untyped-def]
    precedents = index.precedents
    tolerated = _query(index, "village-loan.yaml")
    opposite = read_query(
        Description(draft=DRAFTS / "village-loan.yaml", distinctions=("motive=not_tolerated",))
    ).against(precedents)
    same = {m.record.id: m for m in precedents.similar(tolerated, 40).matches}
    other = {m.record.id: m for m in precedents.similar(opposite, 40).matches}
    loan = "2019-taizhou-taixing-jieju-mianze"
    assert same[loan].parts["distinctions"] > 0  # the same side: evidence for
    assert [c.verdict for c in same[loan].sides] == ["同侧"]
    assert (
        other[loan].parts["distinctions"] <= -WEIGHTS.opposite_side + 1e-9
    )  # the opposite side: strong evidence against
    assert [c.verdict for c in other[loan].sides] == ["相反"]
    assert other[loan].score < same[loan].score


def test_a_private_gain_description_finds_the_accountable_precedent(precedents: Path, precedents_cache: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "similar",
            "--text",
            KICKBACK,
            "-k",
            "5",
            "--json",
            "--cases",
            str(precedents),
            "--cache",
            str(precedents_cache),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # What cannot be tolerated comes first in the JSON, named with what it was read from and its sources.
    assert next(iter(data)) == "exclusions"
    excluded = {c["label"]: c for c in data["exclusions"]}
    assert "收受财物" in excluded and "回扣" in excluded["收受财物"]["phrases"]
    assert all(s["url"].startswith("http") and s["rule"].startswith("《") for s in excluded["收受财物"]["sources"])
    read = {row["facet"]: row for row in data["query"]["read_from_text"]}
    assert read["kind"]["value"] == "有待认定的失误"
    assert "回扣" in read["kind"]["phrases"]  # every facet read from the text names its words
    assert read["distinction.motive"]["value"] == "不可容错一侧"
    assert "回扣" in read["distinction.motive"]["phrases"]
    assert read["looks.procedure"]["value"] == "不利"
    assert all(row["source"] == "text" for row in read.values())
    groups = [m["outcome_group"] for m in data["matches"][:3]]
    assert groups == ["accountable"] * 3
    assert "较为一致" not in data["strength"] or "追责问责" in data["strength"]
    for match in data["matches"]:  # a tolerated precedent never agrees on the side of the motive
        motive = [side["verdict"] for side in match["sides"] if side["distinction"] == "motive"]
        if match["outcome_group"] == "tolerated":
            assert motive in (["相反"], ["仅本案涉及"]), match["id"]


def test_honest_words_when_no_precedent_sits_on_the_described_side(tmp_path: Path) -> None:
    # The site fixtures hold no accountable case: a private-gain description must hear that.
    result = CliRunner().invoke(
        main, ["similar", "--text", KICKBACK, "--cases", str(SITE_CASES), "--cache", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "从描述中读出的要素" in result.output
    assert "不可容错一侧" in result.output
    assert "本库中没有落在这一侧的先例" in result.output
    data = json.loads(
        CliRunner()
        .invoke(main, ["similar", "--text", KICKBACK, "--json", "--cases", str(SITE_CASES), "--cache", str(tmp_path)])
        .output
    )
    assert data["side"] == {"query": "not_tolerated", "listed": False, "in_corpus": False}
    assert any("没有落在这一侧的先例" in note for note in data["notes"])


def test_no_match_under_the_floor_is_shown_as_a_precedent(index) -> None:  # type: ignore[no-untyped-def]
    from casebook.search.similar import MIN_SCORE

    finding = index.precedents.similar(_query(index, text="今天天气很好，大家心情愉快"), 10)
    assert all(m.score >= MIN_SCORE for m in finding.matches)
    for draft in ("huaian-paraphrase.yaml", "village-loan.yaml"):
        finding = index.precedents.similar(_query(index, draft), 43)
        assert all(m.score >= MIN_SCORE for m in finding.matches)
        if finding.nearest_different:
            assert finding.nearest_different.score >= MIN_SCORE


def test_shared_terms_are_words_a_reader_would_call_shared(index) -> None:  # type: ignore[no-untyped-def]
    text = (
        "某县纪委监委通报：村党支部书记违反《中华人民共和国招标投标法》有关规定，"
        "把村集体资金30万元借给承包大户，为化解收割纠纷。"
    )
    finding = index.precedents.similar(_query(index, text=text), 10)
    shown = {t for m in finding.matches for t in m.shared_terms}
    assert shown, "some terms are shared"
    assert not shown & {
        "十几万元",
        "三十",
        "中华人民共和国",
        "共和国",
        "华人",
        "中华",
        "人民",
        "有关规定",
        "纪委监委",
        "纪委",
        "万元",
        "30",
    }
    assert not any(ch.isdigit() for t in shown for ch in t)


def test_a_draft_needs_no_alias_nor_any_other_field(precedents: Path, precedents_cache: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        "person:\n  role: village_cadre\ndistinctions:\n  - distinction: motive\nfacts: 村支书从村集体资金借款给承包户\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["similar", str(draft), "--json", "--cases", str(precedents), "--cache", str(precedents_cache)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["query"]["role"] == "village_cadre"
    assert data["query"]["distinctions"] == [{"distinction": "motive", "side": None}]
    assert data["matches"]


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_description_is_a_clear_usage_error(text: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["similar", "--text", text, "--cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "描述为空" in result.output


def test_a_very_long_description_is_read_up_to_a_bound(index) -> None:  # type: ignore[no-untyped-def]
    from casebook.search.cues import LONGEST_DESCRIPTION

    query = read_query(Description(text="村支书未经集体研究出借村集体资金。" * 6000))  # 102,000 characters
    assert query.truncated
    assert len(query.text) == LONGEST_DESCRIPTION
    assert query.record.looks["procedure"] == "unfavourable"
    assert index.precedents.similar(query.against(index.precedents), 5).matches


def test_internal_precedents_only_when_asked(tmp_path: Path) -> None:
    index, _ = open_index(SITE_CASES, tmp_path)
    description = Description(text="人事调动中档案审核把关不严，材料不齐全，受党内警告处分后被免职。")
    query = read_query(description).against(index.precedents)
    public = [m.record.id for m in index.precedents.similar(query, 10).matches]
    everything = [m.record.id for m in index.precedents.similar(query, 10, include_internal=True).matches]
    assert "2018-site-internal" not in public
    assert "2018-site-internal" in everything
    assert "2023-site-withdrawn" not in everything  # a withdrawn case is no precedent


def test_cli_similar_from_free_text_and_factors(precedents: Path, precedents_cache: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "similar", "--text", "村支书从村集体资金借款给承包户化解收割纠纷",
            "--factor", "motive=favourable", "--distinction", "motive", "--domain", "village_affairs",
            "-k", "3", "--json", "--cases", str(precedents), "--cache", str(precedents_cache),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["matches"]) == 3
    assert data["matches"][0]["id"] in {"2024-planted-loan", "2019-taizhou-taixing-jieju-mianze"}
    motive = next(row for row in data["matches"][0]["six_looks"] if row["factor"] == "motive")
    assert motive["verdict"] == "相同"
    assert data["query"]["six_looks"]["motive"] == "favourable"
    given = {row["facet"] for row in data["query"]["read_from_text"]}
    assert "looks.motive" not in given and "distinction.motive" not in given  # the options override the text


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


def test_report_is_complete_and_reproducible(precedents: Path, precedents_cache: Path, tmp_path: Path) -> None:
    draft = DRAFTS / "huaian-paraphrase.yaml"
    args = ["similar", str(draft), "--by", "裁定委员会办公室 王某", "--date", "2026-11-20",
            "--cases", str(precedents), "--cache", str(precedents_cache)]  # fmt: skip
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    assert CliRunner().invoke(main, [*args, "--report", str(first)]).exit_code == 0
    assert CliRunner().invoke(main, [*args, "--report", str(second)]).exit_code == 0
    report = first.read_text(encoding="utf-8")
    assert report == second.read_text(encoding="utf-8")
    # What the SPC's 2020 guidance asks a report to state: who, when, platform, method, scope, the
    # pending matter, each precedent's key point, and whether it was followed (参照) or consulted (参考).
    for part in ("# 类案检索报告", "| 检索人 | 裁定委员会办公室 王某 |", "| 检索日期 | 2026-11-20 |", "| 检索平台 | ",
                 "| 检索方法 | ", "| 检索范围 | ", "内容哈希", "## 待决事项（争议焦点）", "## 一、检索条件",
                 "某区干部为产业项目先行审查人防事项", "## 二、检索方法", "| 证据 | 权重 | 证据 | 权重 |",
                 "| 文本相似：乘以关键词向量的余弦 | 16.00 |", "ln((N+1)/(n+1))", "从文字描述中读出的要素", "前 10 个先例的处理结果", "按相似度加权",
                 "## 三、检索结果", "| 序号 | 先例 | 处理结果 | 相似度 | 委员会意见（勾选） |", "## 四、逐案说明",
                 f"`{HUAIAN}`", "要旨：", "不代替容错免责裁定委员会的集体研究和决定", "检索人（签名）："):  # fmt: skip
        assert part in report, part
    first_row = next(line for line in report.splitlines() if line.startswith("| 1 |"))
    assert HUAIAN in first_row
    assert first_row.endswith("| □ 参照\u3000□ 参考\u3000□ 不予参照 |")  # the committee ticks one
    assert report.count("**委员会意见：** □ 参照\u3000□ 参考\u3000□ 不予参照\u3000理由：") >= 10  # and says why
    blank_matter = report.split("## 待决事项（争议焦点）")[1].split("## ")[0]
    assert "＿＿＿＿" in blank_matter  # left for the committee to write


def test_report_states_the_pending_matter_when_given(precedents: Path, precedents_cache: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    matter = "未经招标直接委托抢修，是否属于“为推动发展的无意过失”？<b>x</b>"
    args = ["similar", "--text", "人防工程容缺审批", "--report", str(target), "--matter", matter,
            "--cases", str(precedents), "--cache", str(precedents_cache)]  # fmt: skip
    assert CliRunner().invoke(main, args).exit_code == 0
    section = target.read_text(encoding="utf-8").split("## 待决事项（争议焦点）")[1].split("## ")[0]
    assert "> 未经招标直接委托抢修，是否属于“为推动发展的无意过失”？&lt;b&gt;x&lt;/b&gt;" in section
    assert "＿＿＿＿" not in section


def test_report_refuses_to_overwrite_a_case(precedents: Path, precedents_cache: Path) -> None:
    target = precedents / "2025" / f"{HUAIAN}.yaml"
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
            str(precedents),
            "--cache",
            str(precedents_cache),
        ],
    )
    assert result.exit_code == 2
    assert target.read_bytes() == before


@pytest.mark.slow  # a generated corpus of 120 cases, indexed and modelled twice
def test_casebook_similar_ranks_as_the_finder_page_of_its_edition(tmp_path: Path) -> None:
    """With internal cases in cases/, a query that leaves them out weighs their words at nothing too:
    plain ``casebook similar`` ranks as the public site's 类案查找 page, ``--include-internal`` as the internal one's.
    """
    from casebook.builder.finderdata import edition_records
    from casebook.schema import load_corpus
    from casebook.search.finder import find
    from casebook.search.similar import Precedents
    from tests.bench.corpus import write_corpus

    cases = tmp_path / "cases"
    write_corpus(120, cases)
    loaded = [c.case for c in load_corpus([cases]).cases]
    assert 0 < sum(1 for c in loaded if not c.is_public) < len(loaded)
    index, _ = open_index(cases, tmp_path / "cache")
    texts = [c.key_point or c.title for c in loaded[::15]] + ["村干部未经集体研究，擅自出借集体资金，造成损失。"]
    for include_internal, edition in ((False, "public"), (True, "internal")):
        page = Precedents(edition_records(loaded, edition))
        for text in texts:
            query = read_query(Description(text=text))
            cli, _ = find(index, query, 10, include_internal)
            site = page.similar(query.against(page), 10, include_internal=True)
            assert [(m.record.id, m.score) for m in cli.matches] == [(m.record.id, m.score) for m in site.matches], (
                edition,
                text,
            )


# --- the evidence: what tells cases apart, what cannot be tolerated, how firmly the precedents speak ------------


def _finding(index, text: str, k: int = 10):  # type: ignore[no-untyped-def]
    query = read_query(Description(text=text))
    return query, index.precedents.similar(query.against(index.precedents), k)


def test_the_flood_description_finds_the_untendered_commission_and_says_it_rests_on_little(index) -> None:  # type: ignore[no-untyped-def]
    query, finding = _finding(index, ISSUE_DESCRIPTIONS["flood"])
    read = {row["facet"]: row["value"] for row in explain.read_facets(query)}
    # Emergency wording, procedure, the cost overrun and "no private gain found" are all read.
    assert read["domain"] == "应急处置与防汛"
    assert read["looks.procedure"] == "不利" and read["looks.consequence"] == "不利"
    assert read["distinction.motive"] == "可容错一侧" and read["looks.motive"] == "有利"
    ids = [m.record.id for m in finding.matches]
    assert "2024-huaian-qingjiangpu-chaichu-baobei" in ids[:3], ids
    commission = finding.matches[ids.index("2024-huaian-qingjiangpu-chaichu-baobei")]
    assert any("≈" in term for term in commission.shared_terms)  # 直接委托 ≈ 直接交给, by the thesaurus
    notes = explain.honesty_notes(finding)
    assert any("依据较弱" in note or "没有与本案接近" in note for note in notes), notes
    assert "较为一致" not in explain.strength(finding)


def test_the_anchor_case_retold_in_other_words_ranks_first(index) -> None:  # type: ignore[no-untyped-def]
    _, finding = _finding(index, ISSUE_DESCRIPTIONS["anchor_retold"])
    top = finding.matches[0]
    assert top.record.id == HUAIAN
    assert "人民防空 ≈ 人防" in top.shared_terms  # the equivalence used is named


def test_the_bribery_description_is_led_by_what_cannot_be_tolerated(
    precedents: Path, precedents_cache: Path, tmp_path: Path
) -> None:
    args = ["similar", "--text", ISSUE_DESCRIPTIONS["bribery"], "--cases", str(precedents)]
    result = CliRunner().invoke(main, [*args, "--cache", str(precedents_cache), "--report", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("不予容错的情形：") and "收受财物" in first and "“收受”" in first
    assert "《陕西省党政干部容错纠错办法（试行）》第二条" in result.output
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert report.index("不予容错的情形") < report.index("## 一、检索条件")
    assert "予以容错”，较为一致" not in result.output
    data = json.loads(CliRunner().invoke(main, [*args, "--cache", str(precedents_cache), "--json"]).output)
    assert [m["outcome_group"] for m in data["matches"][:3]] == ["accountable"] * 3
    tolerated = [m for m in data["matches"] if m["outcome_group"] == "tolerated"]
    assert all(m["components"]["exclusion"] < 0 for m in tolerated)  # a tolerated precedent is evidence against


def test_the_epidemic_description_reads_the_more_specific_domain(index) -> None:  # type: ignore[no-untyped-def]
    query, finding = _finding(index, ISSUE_DESCRIPTIONS["epidemic"])
    assert query.record.domain == "epidemic_control"  # 疫情 and 封控 outweigh 街道
    assert finding.matches[0].record.domain == "epidemic_control"
    assert any("封控 ≈ " in term for m in finding.matches for term in m.shared_terms)


def test_agreeing_on_what_most_cases_share_is_weak_evidence(index) -> None:  # type: ignore[no-untyped-def]
    info = index.precedents.information
    assert info["kind:mistake"] < info["domain:emergency_response"]
    assert info["side:motive:tolerated"] < info["side:motive:not_tolerated"]
    # A mistake done for the public, and nothing else in common: a weak match, and the summary says it rests on little.
    query = read_query(Description(factors={"motive": "favourable"}, distinctions=("motive=tolerated",)))
    finding = index.precedents.similar(query.against(index.precedents), 10)
    assert finding.best < WEAK_SCORE and finding.weak
    assert any("没有与本案接近的先例" in note for note in explain.honesty_notes(finding, has_text=False))
    assert explain.strength(finding).endswith("不能据此判断本案的处理结果。")


def test_six_looks_are_compared_over_the_factors_both_state(index) -> None:  # type: ignore[no-untyped-def]
    query = read_query(Description(factors={"motive": "favourable", "duty": "unfavourable"}))
    finding = index.precedents.similar(query.against(index.precedents), 56)
    for match in finding.matches:
        compared = [c for c in match.looks if c.compared]
        assert {c.factor for c in compared} <= {"motive", "duty"}
        assert explain.looks_summary(match) == f"六看 {sum(c.verdict == '相同' for c in compared)}/6 相同"
        assert f"比较 {len(compared)} 项" in explain.looks_detail(match)
        silent = match.record.looks.keys().isdisjoint({"motive", "duty"})
        assert not silent or match.parts["looks"] == 0.0  # a factor the precedent does not state counts nothing


@pytest.mark.parametrize(
    ("ranked", "shown"),
    [
        (["易地", "搬迁", "易地搬迁", "扶贫"], ["易地搬迁", "扶贫"]),  # the parts of one word give way to it
        (["人防", "人防事项", "人防工程"], ["人防", "人防事项", "人防工程"]),  # the word two others share stays
        ([f"词{n}" for n in range(12)], [f"词{n}" for n in range(8)]),
    ],
)
def test_shared_keywords_name_words_not_also_their_parts(ranked: list[str], shown: list[str]) -> None:
    assert whole_terms(ranked) == shown
