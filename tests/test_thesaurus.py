"""The thesaurus of the field: rings of words that stand for the same thing, grown without code."""

from __future__ import annotations

import re

import pytest

from casebook.schema.thesaurus import build_thesaurus, equivalence, thesaurus


def test_the_rings_the_field_needs_are_there() -> None:
    found = thesaurus()
    for written, meant in [
        ("人民防空", "人防"),
        ("先行受理", "容缺"),
        ("材料后补", "容缺"),
        ("招投标", "招标"),
        ("公开招标", "招标"),
        ("最低生活保障", "低保"),
        ("封控", "疫情"),
        ("防疫", "疫情"),
        ("村支两委", "村两委"),
        ("资金资产资源", "三资"),
    ]:
        assert found.head(written) == meant, written
        assert written in found.equivalents(meant)
        assert meant in found.equivalents(written)
    assert found.head("工程") == "工程" and found.equivalents("工程") == ()


def test_every_word_is_in_one_ring_only_and_well_formed() -> None:
    terms = thesaurus().terms()
    assert len(terms) == len(set(terms))
    assert all(2 <= len(t) <= 12 and not re.search(r"\s", t) for t in terms)


def test_the_equivalence_is_named_as_readers_see_it() -> None:
    assert equivalence("人民防空", "人防") == "人民防空 ≈ 人防"


@pytest.mark.parametrize(
    ("rings", "message"),
    [
        ([{"terms": ["人防"], "kind": "abbreviation"}], "第 1 组：至少要有两个词"),
        ([{"terms": ["人防", "人民防空"], "kind": "alias"}], "第 1 组：kind 应为"),
        ([{"terms": ["人防", "人民防空"], "kind": "synonym", "colour": "red"}], "第 1 组：未知的键 colour"),
        ([{"terms": ["人 防", "人民防空"], "kind": "synonym"}], "“人 防”应为 2 至 12 个字"),
        (
            [{"terms": ["人防", "人民防空"], "kind": "synonym"}, {"terms": ["民防", "人防"], "kind": "synonym"}],
            "第 2 组：“人防”已在第 1 组中出现",
        ),
    ],
)
def test_a_bad_ring_is_named(rings: list, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_thesaurus({"rings": rings})


def test_a_department_adds_a_ring_without_code() -> None:
    custom = build_thesaurus({"rings": [{"terms": ["首违不罚", "首违免罚"], "kind": "synonym"}]})
    assert custom.head("首违免罚") == "首违不罚"
    assert custom.as_data() == [{"terms": ["首违不罚", "首违免罚"], "kind": "synonym"}]
