"""Anonymisation lint: what it must catch and what ordinary case text must not trip."""

from __future__ import annotations

import pytest

from casebook.schema.lint import _findings, id_card_is_valid, luhn_is_valid

CAUGHT = [
    ("身份证号11010519491231002X", "CB302"),
    ("身份证 110105194912310021", None),  # wrong check digit: not an ID number
    ("电话 138-1234-5678", "CB303"),
    ("手机+86 13912345678", "CB303"),
    ("(0517)83456789", "CB304"),
    ("电话010-12345678转", "CB304"),
    ("邮箱 someone@gov.example.cn", "CB305"),
    ("车牌京A·12345", "CB306"),
    ("新能源车粤B12345D", "CB306"),
    ("卡号6222 0202 0011 2233 446", "CB307"),
    ("由某建设有限公司承建", None),
    ("交给清江浦宏远物流集团", "CB310"),
    ("建设“滨河新天地”项目", "CB310"),
]

ORDINARY = [
    "2023年9月二期技术指标全部明确,企业节省成本200余万元。",
    "依据《湖北省容错纠错工作办法(试行)》第十二条。",
    "工业园区某局局长被匿名举报。",
    "全市2022年以来为371名干部容错减责免责,涉及资金12345678元。",
    "编号20230705112603的文件。",
    "项目于2019-10-31前开工。",
]


@pytest.mark.parametrize(("text", "code"), CAUGHT)
def test_lint_catches_personal_data(text: str, code: str | None) -> None:
    codes = [found[0] for found in _findings(text)]
    assert codes == ([code] if code else [])


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_case_text_is_not_flagged(text: str) -> None:
    assert list(_findings(text)) == []


def test_checksums() -> None:
    assert id_card_is_valid("11010519491231002X")
    assert not id_card_is_valid("110105194912310021")
    assert luhn_is_valid("6222020200112233446")
    assert not luhn_is_valid("6222020200112233447")
