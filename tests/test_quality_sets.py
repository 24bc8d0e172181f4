"""The quality sets (tests/quality/) stay well formed: counts, ids, split and the paraphrase rules."""

from __future__ import annotations

from tests.quality import check_sets


def test_every_quality_set_is_well_formed() -> None:
    problems = check_sets.check_all()
    assert not problems, "\n".join(map(str, problems))


def test_a_copied_run_is_found_and_a_quoted_rule_name_is_not() -> None:
    facts = "区纪委监委调查后认为，当事人出于公心。违反《江苏省实施〈中华人民共和国人民防空法〉办法》第十二条。"
    assert check_sets.copied_run("据悉，区纪委监委调查后认为此事可以理解。", [facts], 6) == "区纪委监委调查后认为"
    assert check_sets.copied_run("这违反了《江苏省实施〈中华人民共和国人民防空法〉办法》。", [facts], 6) is None


def test_a_kind_missing_from_one_part_is_reported() -> None:
    dev = [{"id": f"a{i}", "kind": "after_title", "names": ["王长春"]} for i in range(4)]
    dev += [{"id": "b1", "kind": "heading", "names": ["王长春"]}]
    holdout = [{"id": "a9", "kind": "after_title", "names": ["王长春"]}]
    problems = check_sets.check_split("names", dev, holdout, lambda r: bool(r["names"]), (0.28, 0.38))
    assert any("'heading' has no row in the holdout part" in p.message for p in problems)


def test_a_retelling_sharing_six_characters_or_naming_the_outcome_is_reported() -> None:
    case = {"facts": "区纪委监委调查后认为，当事人出于公心。", "title": "某案", "subtitle": ""}
    told = {"id": "fp99", "source": "x", "text": "经区纪委监委调查，他被容错免责。"}
    messages = [p.message for p in check_sets.check_retelling("f", told, case)]
    assert any("区纪委监委调查" in m for m in messages)
    assert any("「容错」" in m for m in messages)
    apart = {"id": "fp98", "source": "x", "text": "纪委查明他为项目出力，自己没拿好处。"}
    assert check_sets.check_retelling("f", apart, case) == []
