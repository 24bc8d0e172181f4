"""casebook draft: from a published notice to draft case files an editor finishes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from casebook.builder.draft import SourceError, draft_notice, review, write_drafts
from casebook.builder.draft.sources import clean, read_notice
from casebook.builder.draft.split import split_cases
from casebook.schema import load_corpus
from tests.corpora import FIXTURES, SHIPPED_CASES, TODAY

NOTICES = FIXTURES / "notices"
HUAIAN_URL = "https://www.example.gov.cn/qjp/2025/0701/rongcuo.html"


def _finish(path: Path) -> None:
    """What the editor writes into a draft: key point, lessons and questions (nothing else)."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("key_point: ''", "key_point: 出于公心的容缺办理，未谋私利的，可以容错。")
    text = text.replace("lessons:\n  - ''", "lessons:\n  - 容缺办理要有书面承诺和补正期限。")
    text = text.replace("questions:\n  - ''", "questions:\n  - 企业未按承诺补齐材料时，认定会有何不同？")
    path.write_text(text, encoding="utf-8")


def test_the_huaian_commentary_gives_a_draft_that_validates_once_the_editor_writes_the_teaching_parts(tmp_path):
    drafted = draft_notice(NOTICES / "huaian-commentary.txt", TODAY, url=HUAIAN_URL)
    [written], refused = write_drafts(drafted, tmp_path)
    assert refused == []
    case = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert case["region"] == {"province": "江苏省", "city": "淮安市", "district": "清江浦区"}
    assert case["person"]["alias"] == "谢某某"
    assert case["rules_breached"][0] == {
        "regulation": "《江苏省实施〈中华人民共和国人民防空法〉办法》",
        "article": "第十二条",
    }
    assert case["outcome"]["result"] == "exempted"
    assert any("三级主任科员" in use for use in case["use_of_result"])
    assert case["publication"]["sources"] == [{"url": HUAIAN_URL}]
    # the pinyin the page carried after many words is gone from every field
    assert "(" not in case["facts"] and "xiàngmù" not in written.read_text(encoding="utf-8")

    [before] = review([written], TODAY)
    assert [p.field for p in before.problems if p.severity == "error"] == ["key_point"]
    assert [line.split(": ")[1] for line in before.to_write] == ["lessons", "questions"]
    assert all(line.startswith(f"{written}:") for line in before.to_write)
    _finish(written)
    corpus = load_corpus([written], today=TODAY)
    assert corpus.errors == [], corpus.errors


def test_each_inferred_field_quotes_the_words_it_came_from(tmp_path):
    drafted = draft_notice(NOTICES / "huaian-commentary.txt", TODAY, url=HUAIAN_URL)
    lines = drafted.drafts[0].text.splitlines()
    alias_line = lines.index("  alias: 谢某某")
    assert lines[alias_line - 1] == "  # 据原文推断，请核对：“谢某某”"
    district = lines.index("  district: 清江浦区")
    assert "江苏省淮安市清江浦区" in lines[district - 1]
    result = lines.index("  result: exempted")
    assert "容错免责" in lines[result - 1]
    assert any(line.startswith("# 案件类型（据原文推断）：有待认定的失误") for line in lines)


def test_a_batch_of_five_numbered_cases_gives_five_drafts_with_every_name_masked(tmp_path):
    drafted = draft_notice(NOTICES / "hubei-five.txt", TODAY)
    assert len(drafted.drafts) == 5
    aliases = [yaml.safe_load(d.text)["person"]["alias"] for d in drafted.drafts]
    assert aliases == ["丁某", "陈某", "张某", "万某", "某街道水利站负责人"]
    replaced = {r.name: r.alias for r in drafted.replacements}
    assert replaced == {"丁强": "丁某", "陈华": "陈某", "张新": "张某", "万丽": "万某"}
    assert drafted.names_left == ()
    for name in replaced:
        assert all(name not in d.text for d in drafted.drafts)
    outcomes = [yaml.safe_load(d.text)["outcome"]["result"] for d in drafted.drafts]
    assert outcomes == ["exempted", "mitigated", "exempted", "cleared", "no_sanction"]
    written, _ = write_drafts(drafted, tmp_path)
    assert len(written) == 5 and len({p.name for p in written}) == 5


def test_personal_numbers_are_removed_and_reported(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "某县纪委监委通报一起容错免责典型案例\n"
        "2024年3月1日\n"
        "某县某镇副镇长王建国（身份证号110101199003074477，电话13812345678，家住幸福路12号3单元502室）为抢工期，"
        "在未经集体研究的情况下先行开工，出于公心，没有谋取私利。县纪委监委对王建国予以容错免责。\n",
        encoding="utf-8",
    )
    drafted = draft_notice(notice, TODAY)
    [draft] = drafted.drafts
    assert sorted(r.code for r in drafted.removals) == ["CB302", "CB303", "CB312"]
    assert "502室" not in draft.text
    assert "110101199003074477" not in draft.text and "13812345678" not in draft.text
    assert [(r.name, r.alias) for r in drafted.replacements] == [("王建国", "王某某")]
    assert "王建国" not in draft.text


def test_a_name_found_once_is_masked_wherever_it_stands(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "某区纪委监委通报一起典型案例\n2024年3月1日\n"
        "园林绿化股负责人王进军多次外出考察苗木。台风来袭，王进军坚守一线。事后王进军主动退还费用，予以免予问责。\n",
        encoding="utf-8",
    )
    drafted = draft_notice(notice, TODAY)
    assert [(r.name, r.alias, r.count) for r in drafted.replacements] == [("王进军", "王某某", 3)]
    assert "王进军" not in drafted.drafts[0].text


def test_a_draft_never_replaces_a_file(tmp_path):
    drafted = draft_notice(NOTICES / "jintan-single.txt", TODAY)
    [first], _ = write_drafts(drafted, tmp_path)
    first.write_text("# 编辑已经改过\n", encoding="utf-8")
    written, refused = write_drafts(drafted, tmp_path)
    assert written == [] and refused == [first]
    assert first.read_text(encoding="utf-8") == "# 编辑已经改过\n"


def test_a_word_file_is_read_paragraphs_and_tables_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("某市纪委监委通报2起容错纠错典型案例", level=1)
    document.add_paragraph("2024年5月6日")
    document.add_heading("案例一：村支书为送医转借通行证获免责", level=2)
    document.add_paragraph("某村党支部书记丁强为让村民及时就医，擅自转借通行证，没有谋取私利，予以容错免责。")
    document.add_heading("案例二：社区干部被诬告私吞租金获澄清", level=2)
    document.add_paragraph("有人匿名反映社区党支部副书记万丽私吞租金。经查，反映不实，为万丽澄清正名。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "联系人"
    table.cell(0, 1).text = "电话13912345678"
    path = tmp_path / "汇编.docx"
    document.save(str(path))
    notice = read_notice(path)
    assert notice.paragraphs[0] == "某市纪委监委通报2起容错纠错典型案例"
    assert notice.paragraphs[-1] == "联系人 电话13912345678"
    drafted = draft_notice(path, TODAY)
    assert [yaml.safe_load(d.text)["outcome"]["result"] for d in drafted.drafts] == ["exempted", "cleared"]
    assert all("13912345678" not in d.text for d in drafted.drafts)


def test_a_saved_web_page_gives_the_article_without_the_navigation_around_it(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<!-- saved from url=(0040)https://www.example.gov.cn/a/20240601.html -->"
        "<html><head><title>某区一干部容错免责_某区纪委监委</title></head><body>"
        "<ul class='nav'><li><a href='/'>首页</a></li><li><a href='/b'>工作动态</a></li><li><a href='/c'>举报平台</a></li></ul>"
        "<div class='article'><h1>某区一干部容错免责</h1><div class='info'>发布时间：2024-06-01 来源：某区纪委监委</div>"
        "<p>某区住建局干部李某某为抢抓工期，在手续未全的情况下先行施工，出于公心，没有谋取私利，项目提前两个月完工。</p>"
        "<p>经区纪委监委研究，对李某某予以容错免责，并在年度考核中不受影响。</p></div>"
        "<div class='footer'>地址：某区某路1号 联系电话：0825-2212345 版权所有</div></body></html>",
        encoding="utf-8",
    )
    notice = read_notice(page)
    assert notice.url == "https://www.example.gov.cn/a/20240601.html"
    text = "".join(notice.paragraphs)
    assert "李某某" in text and "首页" not in text and "版权所有" not in text
    [draft] = draft_notice(page, TODAY).drafts
    case = yaml.safe_load(draft.text)
    assert str(case["publication"]["published"]) == "2024-06-01"
    assert case["publication"]["sources"] == [{"url": "https://www.example.gov.cn/a/20240601.html"}]
    assert case["outcome"]["result"] == "exempted"


# (paragraphs, headings expected)
SPLITS = [
    (["通报如下：", "案例一：甲", "正文一。", "案例二：乙", "正文二。"], ["案例一：甲", "案例二：乙"]),
    (
        ["前言。", "一、甲事", "正文。", "二、乙事", "正文。", "三、丙事", "正文。"],
        ["一、甲事", "二、乙事", "三、丙事"],
    ),
    (["1.甲", "正文。", "2.乙", "正文。", "下一步，将继续完善机制。"], ["1.甲", "2.乙"]),
    (["（一）甲", "正文。", "（二）乙", "正文。"], ["（一）甲", "（二）乙"]),
    (["2023年，某村干部出于公心……", "2024年，经研究予以免责。"], [None]),
]


@pytest.mark.parametrize(("paragraphs", "headings"), SPLITS)
def test_cases_are_found_by_their_numbered_headings(paragraphs, headings):
    passages = split_cases(tuple(paragraphs))
    assert [p.heading for p in passages] == headings
    assert all("下一步" not in "".join(p.paragraphs) for p in passages)


def test_pinyin_left_by_a_web_page_is_taken_out_of_the_text():
    assert clean("评论员(pínglùnyuán) 王彬，方案的(de)(de)提出") == "评论员 王彬，方案的提出"
    assert clean("《办法(试行)》第(3)项") == "《办法(试行)》第(3)项"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_hostile_source_is_answered_never_followed(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    link = tmp_path / "link.txt"
    link.symlink_to(NOTICES / "jintan-single.txt")
    for path, words in ((fifo, "不是普通文件"), (link, "符号链接"), (tmp_path / "a.pdf", "只能读取")):
        with pytest.raises(SourceError, match=words):
            read_notice(path)


def test_the_draft_command_writes_lists_replacements_and_what_is_left(tmp_path):
    from click.testing import CliRunner

    from casebook.builder.cli import main

    out = tmp_path / "drafts"
    result = CliRunner().invoke(main, ["draft", str(NOTICES / "hubei-five.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "找到 5 个案例" in result.output
    assert "替换姓名：丁强 → 丁某（4 处）" in result.output
    assert len(list(out.glob("*.yaml"))) == 5
    assert "key_point: 尚未填写" in result.output and "lessons: 尚待撰写启示" in result.output
    again = CliRunner().invoke(main, ["draft", str(NOTICES / "hubei-five.txt"), "-o", str(out)])
    assert again.exit_code == 1 and "文件已存在，未覆盖" in again.output


def test_the_draft_command_keeps_out_of_the_cases_folder_unless_asked(tmp_path):
    from click.testing import CliRunner

    from casebook.builder.cli import main

    result = CliRunner().invoke(main, ["draft", str(NOTICES / "jintan-single.txt"), "-o", "cases/2019"])
    assert result.exit_code == 2 and "--into-cases" in result.output
    assert not list(SHIPPED_CASES.rglob("*draft*"))
