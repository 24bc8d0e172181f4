"""What cannot be tolerated, as data: circumstances published rules exclude whatever the motive, with their sources."""

from __future__ import annotations

import re

import pytest

from casebook.schema.exclusions import BASES, build_exclusions, exclusions


def test_every_circumstance_says_where_it_was_read() -> None:
    found = exclusions()
    assert len(found.circumstances) >= 10
    for circumstance in found.circumstances:
        assert circumstance.sources and circumstance.example, circumstance.label
        for source in circumstance.sources:
            assert re.fullmatch(r"《[^《》]+》.*", source.rule), source.rule
            assert source.url.startswith(("http://", "https://")) and source.article and source.reading
            assert source.basis in BASES


def test_the_labels_are_those_a_committee_uses() -> None:
    labels = {c.label for c in exclusions().circumstances}
    assert {"收受财物", "谋取私利", "虚报冒领", "重复报账", "弄虚作假", "擅自改变专项资金用途", "违反八项规定",
            "经提醒仍不纠正", "明令禁止后仍然实施", "重大安全事故"} <= labels  # fmt: skip


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
