"""Reading a description: one sentence, the facets a committee member would read in it."""

from __future__ import annotations

import re

import pytest

from casebook.search.cues import build_lexicon, hits, lexicon, read

# (sentence, facets expected; None = the facet must not be read). Facets:
# kind, looks.<factor>, distinction.<distinction> (side), domain, role, level.
ROWS = [
    # --- negation and its scope -------------------------------------------
    ("方案未经集体研究就组织实施", {"looks.procedure": "unfavourable"}),
    ("方案经村两委集体研究后实施", {"looks.procedure": "favourable"}),
    ("调查没有发现他谋取私利", {"looks.motive": "favourable", "distinction.motive": "tolerated"}),
    ("他借机谋取私利", {"looks.motive": "unfavourable", "distinction.motive": "not_tolerated"}),
    ("他并非出于公心,而是另有所图", {"looks.motive": "unfavourable"}),
    ("他出于公心,想让项目早日开工", {"looks.motive": "favourable", "distinction.motive": "tolerated"}),
    ("出借资金不是个人决定", {"looks.procedure": "favourable"}),
    ("出借资金是他个人决定的", {"looks.procedure": "unfavourable"}),
    ("未经请示和集体研究", {"looks.procedure": "unfavourable"}),
    ("未经集体研究擅自决定出借资金", {"looks.procedure": "unfavourable"}),
    ("调查未发现张某某收受好处", {"looks.motive": "favourable"}),
    ("张某某收受承包商好处", {"looks.motive": "unfavourable"}),
    ("集体资金没有遭受损失", {"looks.consequence": "favourable"}),
    ("此事造成直接经济损失50万元", {"looks.consequence": "unfavourable"}),
    ("未造成不良影响", {"looks.consequence": "favourable"}),
    ("事后没有及时整改", {"looks.attitude": "unfavourable"}),
    ("事后他主动整改,补齐了材料", {"looks.attitude": "favourable"}),
    ("他没有隐瞒任何情况", {"looks.attitude": "favourable"}),
    ("事后他隐瞒不报", {"looks.attitude": "unfavourable"}),
    ("没有推诿塞责的行为", {"looks.duty": "favourable"}),
    ("工作中推诿塞责", {"looks.duty": "unfavourable"}),
    ("并无滥用职权的情形", {"looks.procedure": "favourable"}),
    ("他滥用职权指定施工单位", {"looks.procedure": "unfavourable"}),
    ("本人没有从中牟利", {"looks.motive": "favourable", "distinction.motive": "tolerated"}),
    ("他不断推进工作", {"looks.motive": "favourable"}),  # 不断 is no negation
    ("村里非常重视集体研究", {"looks.procedure": "favourable"}),  # 非常 is no negation
    ("规避公开招标", {"looks.procedure": "unfavourable"}),
    ("没有履行程序便擅自开工", {"looks.procedure": "unfavourable"}),
    ("不顾防控要求接诊病人", {"looks.basis": "unfavourable"}),
    ("上级已明令禁止,他仍然我行我素", {"looks.basis": "unfavourable", "distinction.exploration": "not_tolerated"}),
    ("并未明令禁止", {"looks.basis": "favourable"}),
    ("明知故犯", {"distinction.experience": "not_tolerated"}),
    ("改革中缺乏经验出现失误", {"distinction.experience": "tolerated", "kind": "mistake"}),
    ("在上级尚无明确规定时开展探索", {"distinction.exploration": "tolerated", "looks.basis": "favourable"}),
    ("为赶进度,他组织加班施工", {"looks.motive": "favourable"}),
    ("他没有出于公心", {"looks.motive": "unfavourable"}),
    # --- allegations: what was alleged is no finding --------------------------
    ("有群众举报村支书侵占补偿款", {"kind": "accusation", "looks.motive": None, "role": "village_cadre"}),
    ("举报称其收受好处。经核查,所反映问题不属实", {"kind": "accusation", "looks.motive": None}),
    ("匿名信反映他优亲厚友", {"kind": "accusation", "looks.motive": None}),
    ("大字报指称村支书照顾亲友", {"kind": "accusation", "looks.motive": None}),
    ("经核查,该干部没有推诿塞责的行为,反映失实", {"kind": "accusation", "looks.duty": "favourable"}),
    ("有人捏造事实诬告他", {"kind": "accusation"}),
    ("纪委为受诬告的干部澄清正名", {"kind": "accusation"}),
    ("所反映问题查无实据", {"kind": "accusation"}),
    ("调查认定反映的问题属实", {"kind": "mistake"}),
    ("举报内容基本属实,他违规出借了资金", {"kind": "mistake"}),
    ("信访件反映他拖慢项目进度,经查并非如此", {"kind": "accusation"}),
    # --- kind: a mistake to judge -------------------------------------------
    ("这一做法违反了资金管理规定", {"kind": "mistake"}),
    ("镇党委为他申请启动容错程序", {"kind": "mistake"}),
    ("他在审批中先行先试,容缺办理", {"kind": "mistake", "looks.basis": "favourable"}),
    ("他把工程拆分成小标段", {"kind": "mistake", "looks.procedure": "unfavourable"}),
    ("决策前向纪委监委作了风险报备", {"kind": "mistake", "looks.procedure": "favourable"}),
    ("他收受承包商回扣30万元", {"kind": "mistake", "distinction.motive": "not_tolerated"}),
    ("今天天气很好", {"kind": None, "looks.motive": None, "domain": None}),
    # --- domain ------------------------------------------------------------------
    ("负责人防审批的干部先行审查放行", {"domain": "approval_services"}),
    ("在易地扶贫搬迁项目中分红", {"domain": "poverty_alleviation"}),
    ("从村集体资金中借出6万元", {"domain": "village_affairs"}),
    ("疫情防控期间把通行证借给别人", {"domain": "epidemic_control"}),
    ("台风来袭时他组织抢险", {"domain": "emergency_response"}),
    ("某市属国企的子公司租赁菜市场", {"domain": "state_enterprises"}),
    ("教育局对民办学校的扶持", {"domain": "education"}),
    ("在拆迁安置工作中", {"domain": "land_and_demolition"}),
    ("民警没有按其诉求立案", {"domain": "law_enforcement"}),
    ("为推进背街小巷改造", {"domain": "urban_development"}),
    ("低保评议中照顾亲友", {"domain": "social_assistance"}),
    ("办理人事调动时档案审核不严", {"domain": "personnel", "looks.duty": "unfavourable"}),
    ("村里整修堰塘解决饮水难", {"domain": "rural_revitalization"}),
    ("为招商引资落户企业", {"domain": "investment_promotion"}),
    ("国有资产处置中出现损失", {"domain": "state_assets"}),
    ("工程施工中变更了设计", {"domain": "engineering"}),
    # --- role and level -----------------------------------------------------------
    ("村党支部书记周某", {"role": "village_cadre", "level": "village"}),
    ("镇党委副书记李某", {"role": "township_cadre"}),
    ("县住建局副局长王某", {"role": "county_department", "level": "section_deputy"}),
    ("副区长林某分管该项目", {"role": "county_leader", "level": "division_deputy"}),
    ("县委书记徐某某", {"role": "county_leader", "level": "division"}),
    ("子公司总经理张某", {"role": "enterprise_manager"}),
    ("农村公路服务中心主任", {"role": "institution_staff"}),
    ("驻村工作队队长熊某", {"role": "work_team"}),
    ("分管的副市长", {"role": "city_leader"}),
    ("镇长刘某", {"role": "township_cadre", "level": "section"}),
    # --- several facets in one description -----------------------------------------
    (
        "村支书为化解纠纷,与村两委商量后从村集体资金中借出6万元,本人没有获利,借款已按期收回",
        {
            "kind": "mistake",
            "role": "village_cadre",
            "domain": "village_affairs",
            "looks.procedure": "favourable",
            "looks.motive": "favourable",
            "looks.attitude": "favourable",
        },
    ),
    (
        "他出于公心,但未经集体研究,造成损失20万元,事后主动退赔",
        {
            "looks.motive": "favourable",
            "looks.procedure": "unfavourable",
            "looks.consequence": "unfavourable",
            "looks.attitude": "favourable",
        },
    ),
    ("他虽出于公心,却从中收受好处", {"looks.motive": "unfavourable"}),  # taking a benefit weighs more
    ("项目提前完工,但造成损失", {"looks.consequence": "mixed"}),
    ("他收受回扣,又隐瞒事实", {"looks.motive": "unfavourable", "looks.attitude": "unfavourable"}),
    # --- what a committee writes: emergencies, procedure, overruns, the motive's negations, roles ----
    ("今年汛期连降暴雨，镇里连夜组织抢修村道", {"domain": "emergency_response", "looks.duty": "favourable"}),
    ("某街道在疫情封控期间采购了一批物资", {"domain": "epidemic_control"}),  # the more specific domain wins
    ("社区网格员上门走访独居老人", {"domain": "grassroots_governance"}),
    ("未经招标直接委托施工队抢修", {"looks.procedure": "unfavourable"}),
    ("这段路没有走招标程序", {"looks.procedure": "unfavourable"}),
    ("来不及走采购审批，就让人直接买了药品", {"looks.procedure": "unfavourable"}),
    ("事后街道党工委开会追认了这笔支出", {"looks.procedure": "favourable"}),
    ("国企总经理一个人拍板提供了担保", {"looks.procedure": "unfavourable", "role": "enterprise_manager"}),
    ("最终花费比预算多出十几万元", {"looks.consequence": "unfavourable"}),
    ("连续两年亏损，公司承担了代偿责任", {"looks.consequence": "unfavourable"}),
    ("调查没有发现他从中得利", {"looks.motive": "favourable", "distinction.motive": "tolerated"}),
    ("经查他未谋取私利", {"looks.motive": "favourable", "distinction.motive": "tolerated"}),
    ("钱没有进任何人的口袋", {"looks.motive": "favourable"}),
    ("他说自己一分钱也没拿", {"looks.motive": "favourable"}),
    ("为保障居民生活，紧急采购了生活物资", {"looks.motive": "favourable", "distinction.motive": "tolerated"}),
    ("市统计局干部组织入户登记", {"role": "city_department"}),
    ("县农业农村局局长召集会议", {"role": "county_department", "level": "section"}),
    ("镇长仍然坚持让施工队施工", {"looks.attitude": "unfavourable"}),
    ("夜班时擅离岗位，漏检了两辆车", {"looks.duty": "unfavourable"}),
    # --- what was alleged and what was denied ---------------------------------------------------
    ("网上有帖子说院长拿了回扣", {"kind": "accusation", "looks.motive": None}),
    ("经查，索要好处一事查无实据", {"looks.motive": "favourable"}),  # a denial after the phrase negates it
    ("帖子所说收受回扣的情况不存在", {"looks.motive": "favourable"}),
]


def _facets(text: str) -> dict[str, str | None]:
    reading = read(text)
    found: dict[str, str | None] = {"kind": reading.kind, "domain": reading.domain}
    found |= {"role": reading.role, "level": reading.level}
    found |= {f"looks.{k}": v for k, v in reading.looks.items()}
    found |= {f"distinction.{k}": v for k, v in reading.distinctions.items()}
    return found


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[row[0][:24] for row in ROWS])
def test_a_sentence_reads_as_a_committee_member_reads_it(text: str, expected: dict[str, str | None]) -> None:
    found = _facets(text)
    assert {facet: found.get(facet) for facet in expected} == expected


def test_the_table_is_large_enough() -> None:
    assert len(ROWS) >= 100


def test_every_cue_is_found_in_its_own_example() -> None:
    wrong = []
    for cue in lexicon().cues:
        found = {(h.facet, h.value) for h in hits(cue.example)}
        if (cue.facet, cue.value) not in found:
            wrong.append(f"{cue.phrase}: {cue.example}")
    # Entries list synonyms under one example: the example holds at least one of them with the value.
    by_entry: dict[tuple[str, str, str], bool] = {}
    for cue in lexicon().cues:
        key = (cue.facet, cue.value, cue.example)
        by_entry[key] = by_entry.get(key, False) or (cue.facet, cue.value) in {
            (h.facet, h.value) for h in hits(cue.example)
        }
    assert [key for key, ok in by_entry.items() if not ok] == []


def test_the_phrases_that_triggered_a_facet_are_kept() -> None:
    reading = read("方案未经集体研究就组织实施,他本人没有谋取私利")
    assert reading.phrases["looks.procedure"] == ["未经集体研究"]
    assert "没有谋取私利" in reading.phrases["looks.motive"]


def test_a_bad_lexicon_entry_is_named() -> None:
    data = {
        "negation": {"window": 4, "clause_ends": "。", "words": ["未"], "compounds": [], "breakers": []},
        "allegation": {"starts": ["举报"], "ends": ["经查"], "sentence_ends": "。"},
        "cues": [{"phrases": ["出于公心"], "facet": "looks.motiv", "value": "favourable", "example": "出于公心"}],
    }
    with pytest.raises(ValueError, match=re.escape("未知的要素 “looks.motiv”")):
        build_lexicon(data)


def test_a_department_adds_its_own_wording_without_code() -> None:
    data = {
        "negation": {"window": 4, "clause_ends": "。", "words": ["未"], "compounds": [], "breakers": []},
        "allegation": {"starts": ["举报"], "ends": ["经查"], "sentence_ends": "。"},
        "cues": [
            {
                "phrases": ["首违…不罚"],
                "facet": "looks.basis",
                "value": "favourable",
                "example": "按首违轻微不罚清单处理",
            }
        ],
    }
    custom = build_lexicon(data)
    assert read("按首违轻微不罚清单处理", custom).looks == {"basis": "favourable"}
