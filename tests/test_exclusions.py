"""What cannot be tolerated: circumstances published rules exclude whatever the motive, read as a committee reads them."""

from __future__ import annotations

import re

import pytest

from casebook.schema import load_corpus
from casebook.schema.exclusions import BASES, build_exclusions, exclusions
from casebook.search.cues import circumstances, read
from casebook.search.finder import Description, read_query
from casebook.search.records import record_of
from tests.corpora import REAL_CASES

# (sentence, the circumstances read in it)
ROWS = [
    ("他先后收受了两家开发企业送的购物卡，共计2.6万元", ["taking_property"]),
    ("他本人没有收受企业任何好处", []),
    ("调查未发现其谋取私利", []),
    ("有群众举报他收受礼金。经查，反映不实", []),  # what was alleged is no finding
    ("他当场拒收了对方塞来的红包", []),  # unless: refused, nothing was taken
    ("他把上级拨下来的危房改造专项资金45万元，调去修建了一个文化广场", ["diverted_funds"]),
    ("专项资金已经全部到位。后来学校调剂了教室的用途", []),  # the two groups must meet in one sentence
    ("村会计把去世老人的低保继续报上去，三年里冒领了五万多元", ["false_claims"]),
    ("他把验收单复印后重新报了一次账", ["double_claims"]),
    ("授意企业把下一年的订单提前计入当年产值", ["falsification"]),
    ("以市场考察为名，带着班子成员到外省景区游览了四天", ["eight_point_rules"]),
    ("主管部门两次书面提醒，镇长仍然坚持让施工队施工", ["persisted_after_warning"]),
    ("上级已经明确叫停，副乡长仍然批准加建", ["defied_ban"]),
    ("三个月后厨房起火，造成两名保育员重伤", ["major_accident"]),
    ("施工中没有人员伤亡", []),
    ("他让三家公司陪标，内定了中标人", ["collusion"]),
    ("为赶工期先行开工，事后补办手续，没有造成损失", []),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[row[0][:20] for row in ROWS])
def test_a_circumstance_is_read_as_a_committee_reads_it(text: str, expected: list[str]) -> None:
    assert list(circumstances(text)) == expected
    assert list(read(text).exclusions) == expected  # the full reader finds the same


def test_every_circumstance_is_read_in_its_own_example_and_says_where_it_was_read() -> None:
    found = exclusions()
    assert len(found.circumstances) >= 10
    for circumstance in found.circumstances:
        assert circumstance.id in circumstances(circumstance.example), circumstance.label
        assert circumstance.sources, circumstance.label
        for source in circumstance.sources:
            assert re.fullmatch(r"《[^《》]+》.*", source.rule), source.rule
            assert source.url.startswith(("http://", "https://")) and source.article and source.reading
            assert source.basis in BASES


def test_the_labels_are_those_a_committee_uses() -> None:
    labels = {c.label for c in exclusions().circumstances}
    assert {"收受财物", "谋取私利", "虚报冒领", "重复报账", "弄虚作假", "擅自改变专项资金用途", "违反八项规定",
            "经提醒仍不纠正", "明令禁止后仍然实施", "重大安全事故"} <= labels  # fmt: skip


def test_an_accusation_carries_no_circumstance() -> None:
    query = read_query(
        Description(text="有人匿名举报村支书收受承包企业好处费。经核查，流转费全部进了村集体账户，反映不实。")
    )
    assert query.record.kind == "accusation"
    assert query.record.exclusions == ()
    described = read_query(Description(text="他多次收受施工企业送的礼金"))
    assert described.record.exclusions == ("taking_property",)
    assert described.record.lean == "not_tolerated"  # excluded whatever sides the text names


def test_a_case_carries_what_its_facts_state_and_a_name_cleared_nothing() -> None:
    cases = {c.case.id: c.case for c in load_corpus([REAL_CASES]).cases}
    assert "falsification" in record_of(cases["2017-quzhou-jiangshan-xiaojinku"]).exclusions  # 虚开发票套取
    cleared = [record_of(c) for c in cases.values() if c.outcome.result == "cleared"]
    assert cleared and all(r.exclusions == () for r in cleared)
    assert record_of(cases["2025-huaian-renfang-rongque"]).exclusions == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"circumstances": [{"id": "x", "label": "甲", "phrases": ["收受"], "example": "收受"}]}, "缺少 sources"),
        (
            {"circumstances": [{"id": "x", "label": "甲", "phrases": ["收受"], "example": "收受", "sources": [
                {"rule": "nowhere", "article": "第一条", "basis": "stated", "reading": "…"}]}]},
            "引用的规定 “nowhere” 不在 rules 中",
        ),
        (
            {"rules": {"r": {"name": "《甲》", "url": "ftp://x"}}, "circumstances": [{"id": "x", "label": "甲",
                "phrases": ["收受"], "example": "收受", "sources": [
                {"rule": "r", "article": "第一条", "basis": "stated", "reading": "…"}]}]},
            "网址应以 http:// 或 https:// 开头",
        ),
        (
            {"rules": {"r": {"name": "《甲》", "url": "https://x"}}, "circumstances": [{"id": "x", "label": "甲",
                "example": "收受", "sources": [{"rule": "r", "article": "一", "basis": "guessed", "reading": "…"}],
                "phrases": ["收受"]}]},
            "basis 应为 stated / implied 之一",
        ),
        ({"circumstances": [{"id": "x", "label": "甲", "example": "e", "sources": [], "colour": 1}]}, "未知的键 colour"),
    ],
)  # fmt: skip
def test_a_bad_circumstance_is_named(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_exclusions(data)
