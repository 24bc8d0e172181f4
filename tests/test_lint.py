"""Anonymisation lint: what it must catch and what ordinary case text must not trip."""

from __future__ import annotations

import pytest
import yaml

from casebook.schema.lint import lint
from casebook.schema.loader import load_text
from casebook.schema.numbers import id_card_is_valid, luhn_is_valid

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
    "会议在3号楼会议室召开。",
    "项目共建成住宅12栋、安置房300套。",
    "2单元的住户反映排水问题。",
    "2023年9月二期技术指标全部明确,企业节省成本200余万元。",
    "依据《湖北省容错纠错工作办法(试行)》第十二条。",
    "工业园区某局局长被匿名举报。",
    "全市2022年以来为371名干部容错减责免责,涉及资金12345678元。",
    "编号20230705112603的文件。",
    "项目于2019-10-31前开工。",
]


def _codes(text: str) -> list[str]:
    """The lint's codes for ``text`` written as a case's facts."""
    loaded, _ = load_text(yaml.safe_dump({"facts": text}, allow_unicode=True), "x.yaml")
    assert loaded is not None
    return [p.code for p in lint(loaded)]


@pytest.mark.parametrize(("text", "code"), CAUGHT)
def test_lint_catches_personal_data(text: str, code: str | None) -> None:
    assert _codes(text) == ([code] if code else [])


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_case_text_is_not_flagged(text: str) -> None:
    assert _codes(text) == []


def test_checksums() -> None:
    assert id_card_is_valid("11010519491231002X")
    assert not id_card_is_valid("110105194912310021")
    assert luhn_is_valid("6222020200112233446")
    assert not luhn_is_valid("6222020200112233447")


# --- names, whatever the surname and the context ---------------------------------------

from pathlib import Path  # noqa: E402

from casebook.schema import load_corpus  # noqa: E402
from casebook.schema.giveaway import ruling_phrases  # noqa: E402
from casebook.schema.lint import normalise  # noqa: E402
from casebook.schema.names import find_names  # noqa: E402
from tests.corpora import FIXTURES, TODAY  # noqa: E402
from tests.name_table import CLEAN, HELD_OUT_CLEAN, HELD_OUT_NAMED, NAMED  # noqa: E402


def _names(text: str) -> list[str]:
    return [found.name for found in find_names(normalise(text))]


def test_name_table_recall_and_false_alarms() -> None:
    """Recall over sentences with a planted name, false alarms over clean ones; run with -s to see the figures."""
    named, clean = NAMED + HELD_OUT_NAMED, CLEAN + HELD_OUT_CLEAN
    missed = [(text, name) for text, name in named if name not in _names(text)]
    alarms = [(text, _names(text)) for text in clean if _names(text)]
    held_missed = [row for row in missed if row in HELD_OUT_NAMED]
    recall = 1 - len(missed) / len(named)
    false_rate = len(alarms) / len(clean)
    print(
        f"\n姓名检测:含姓名 {len(named)} 句,检出 {len(named) - len(missed)} 句,召回率 {recall:.1%};"
        f"干净 {len(clean)} 句,误报 {len(alarms)} 句,误报率 {false_rate:.1%}"
        f"(其中留出集:{len(HELD_OUT_NAMED) - len(held_missed)}/{len(HELD_OUT_NAMED)} 检出)"
    )
    for text, name in missed:
        print(f"  漏检 {name}:{text}")
    for text, found in alarms:
        print(f"  误报 {found}:{text}")
    assert len(NAMED) >= 60 and len(CLEAN) >= 60
    assert recall >= 0.95, missed
    assert false_rate <= 0.02, alarms


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("镇长张建国提请镇党委会议研究", "张建国"),
        ("对王建国予以容错免责", "王建国"),
        ("经王晓红同意,先行开工", "王晓红"),
    ],
)
def test_the_names_of_the_issue_are_caught(text: str, name: str) -> None:
    assert _names(text) == [name]


def test_declared_and_masked_names_pass() -> None:
    assert find_names(normalise("市纪委书记王建国介绍,谢某某已获容错。"), frozenset({"王建国"})) == []


def _case_with(tmp_path: Path, visibility: str, facts: str, declared: list[dict[str, str]] | None = None) -> Path:
    data = yaml.safe_load((FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_text("utf-8"))
    data["publication"]["visibility"] = visibility
    data["facts"] = facts
    if declared is not None:
        data["published_names"] = declared
    path = tmp_path / "2024" / f"{data['id']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.mark.parametrize(("visibility", "severity"), [("public", "error"), ("internal", "warning")])
def test_a_name_is_an_error_in_a_public_case_and_a_warning_in_an_internal_one(
    tmp_path: Path, visibility: str, severity: str
) -> None:
    path = _case_with(tmp_path, visibility, "镇长张建国提请镇党委会议研究,谢某某负责落实。")
    found = [(p.code, p.severity, p.field) for p in load_corpus([path], today=TODAY).problems if p.code == "CB308"]
    assert found == [("CB308", severity, "facts")]


def test_a_declared_published_name_is_allowed(tmp_path: Path) -> None:
    declared = [{"name": "张建国", "reason": "镇长以职务身份在发布会上介绍,来源署名"}]
    path = _case_with(tmp_path, "public", "镇长张建国提请镇党委会议研究,谢某某负责落实。", declared)
    assert [p.code for p in load_corpus([path], today=TODAY).problems] == []


RULINGS = [
    ("区纪委监委对其予以容错免责。", ["予以容错免责"]),
    ("决定给予容错减责。", ["给予容错减责"]),
    ("本案为何是减责而不是免责?", ["减责", "免责"]),
    ("最终决定免予处分。", ["免予处分"]),
    ("对其从轻处理。", ["从轻处理"]),
    ("经研究不予容错。", ["不予容错"]),
    ("该案题为“对林某予以容错免责案”。", ["予以容错免责"]),
    ("鉴于其主动退赃,免于追究责任。", ["免于追究"]),
    ("由区容错免责裁定委员会研究。", []),
    ("依据《淮安市容错免责实施办法》第五条。", []),
    ("单位党组织为其申请容错免责。", []),
    ("是否予以容错,应看三个区分开来。", []),
    ("对照容错纠错机制的规定。", []),
]


@pytest.mark.parametrize(("text", "phrases"), RULINGS)
def test_words_that_give_the_ruling_away(text: str, phrases: list[str]) -> None:
    assert ruling_phrases(text) == phrases


# --- the text as a reader gets it -------------------------------------------------------

WRITTEN_FORMS = [
    ("电话 138—1234—5678", "CB303"),
    ("电话 138‐1234‐5678", "CB303"),  # U+2010
    ("电话 138.1234.5678", "CB303"),
    ("电话 13 812 345 678", "CB303"),
    ("电话一三八一二三四五六七八", "CB303"),
    ("电话幺三八幺二三四五六七八", "CB303"),
    ("金额200 13812345678", "CB303"),  # after an amount, in the same run of groups
    ("座机 0517 83456789", "CB304"),
    ("座机 051783456789", "CB304"),
    ("身份证 320802 19750315 104X", "CB302"),
    ("身份证 320802-19750315-104X", "CB302"),
    ("身份证 110105491231002", "CB302"),  # 15 digits
    ("卡号 622202 0200112233446", "CB307"),
    ("车牌 苏 H12345", "CB306"),
    ("车牌 苏H-12345", "CB306"),
    ("车牌 苏h12345", "CB306"),
    ("邮箱 someone@example。com", "CB305"),
    ("邮箱 张三@example.com", "CB305"),
    ("邮箱 someone(at)example.com", "CB305"),
    ("家住某小区3栋2单元501室", "CB312"),
    ("住在5号楼402室", "CB312"),
    ("家住某村3组15号", "CB312"),
]


@pytest.mark.parametrize(("text", "code"), WRITTEN_FORMS)
def test_numbers_are_caught_in_their_written_forms(text: str, code: str) -> None:
    assert _codes(text) == [code]


def _problems(text: str) -> list[str]:
    loaded, _ = load_text(text, "x.yaml")
    assert loaded is not None
    return [f"{p.line}: {p.field}: {p.code}" for p in lint(loaded)]


def test_findings_read_joined_lines_and_point_to_the_line_written() -> None:
    text = "title: 题目\nfacts: |-\n  第一行没有问题。\n  镇长张\n  建国提请研究，手机138\n  12345678。\n"
    assert _problems(text) == ["5: facts: CB303", "4: facts: CB308"]


def test_folded_and_quoted_texts_point_to_their_lines() -> None:
    text = 'key_point: >-\n  第一行，\n  第二行 副镇长张建国 审批。\nlessons:\n  - "引号里的\n    第二行 王建国 表示"\n'
    assert _problems(text) == ["3: key_point: CB308", "6: lessons[0]: CB308"]


@pytest.mark.parametrize(
    "hidden",
    ["张\u034f建国", "张\ufe00建国", "张\U000e0100建国", "张\u3164建国", "张\u200b建国", "张 建国", "张\u3000建国"],
)
def test_characters_that_render_as_nothing_or_a_blank_hide_no_name(hidden: str) -> None:
    assert _codes(f"镇长{hidden}提请镇党委会议研究。") == ["CB308"]


def test_traditional_characters_are_read_as_simplified() -> None:
    assert _codes("鎮長張建國提請會議研究。") == ["CB308"]


def test_personal_numbers_in_source_urls_are_errors() -> None:
    text = "sources:\n  - url: https://example.org/a?tel=13812345678\n  - url: https://example.org/32080219750315104X.html\n"
    assert _problems(text) == ["2: sources[0].url: CB303", "3: sources[1].url: CB302"]


def test_article_numbers_in_source_urls_are_no_phones() -> None:
    urls = [
        "http://vfdc.com.cn/news/15471612182316.html",
        "http://jsnews.jschina.com.cn/jsyw/201902/t20190215_2225878.shtml",
        "https://m.mp.oeeee.com/a/BAAFRD0000202507031100280.html",
    ]
    assert _problems("sources:\n" + "".join(f"  - url: {u}\n" for u in urls)) == []


def test_control_characters_are_refused() -> None:
    assert _problems('title: "a\\e[31mb"\nnotes: "响铃\\a"\n') == ["1: title: CB111", "2: notes: CB111"]


ISSUE_NAMES = [
    ("副镇长王长春、科员张家伟、刘建军参与审批", ["王长春", "张家伟", "刘建军"]),
    ("县住建局副局长孙毅分管建筑市场", ["孙毅"]),
    ("区财政局局长赵冬梅签字", ["赵冬梅"]),
    ("人武部部长王援朝参与指挥", ["王援朝"]),
    ("村党支部书记刘向东通报账目", ["刘向东"]),
    ("大队长石磊带队拆除违建", ["石磊"]),
    ("副县长刘家豪赶到现场", ["刘家豪"]),
    ("谢某某陪同赵立新到现场查看", ["赵立新"]),
    ("向慕容雪了解情况", ["慕容雪"]),
    ("鎮長張建國提請會議研究", ["张建国"]),
    ("經劉德華同意，先行開工", ["刘德华"]),
    ("村主任阿依古丽·吐尔逊上门调解", ["阿依古丽·吐尔逊"]),
    ("对扎西多吉反映的问题", ["扎西多吉"]),
    ("镇纪委书记次仁卓玛带队核实", ["次仁卓玛"]),
    ("嘎查党支部书记巴特尔作了汇报", ["巴特尔"]),
    ("买买提·艾力等村干部参与核查", ["买买提·艾力"]),
    ("项目负责人 Zhang Jianguo 已提交说明", ["Zhang Jianguo"]),
    ("张 书记当场表态。王 主任把材料转给了镇纪委。", []),
]


@pytest.mark.parametrize(("text", "names"), ISSUE_NAMES)
def test_names_as_they_really_are(text: str, names: list[str]) -> None:
    assert _names(text) == names


def test_terminal_safe_shows_control_characters_as_signs() -> None:
    from casebook.schema.text import terminal_safe

    assert terminal_safe("红\x1b[31m字\x07\t行\n\u202e反") == "红␛[31m字␇\t行\n<U+202E>反"
