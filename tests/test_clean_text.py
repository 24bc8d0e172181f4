"""Text as a reader gets it: wrapped and folded lines joined without stray blanks, in every artifact."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from casebook.builder import exports
from casebook.builder.render import join_wraps, render_case
from casebook.builder.siteindex import DATA_DIR, read_script
from casebook.schema import Case
from casebook.schema.lint import lint
from casebook.schema.loader import load_text
from casebook.schema.text import paragraphs, unwrap
from casebook.schema.validate import validate_loaded
from casebook.search.fields import text_fields
from tests.corpora import SITE_CASES

JOINS = [
    ("尚未定下来，\n无法证明", ["尚未定下来，无法证明"]),
    ("负责审批的\n谢某某提出", ["负责审批的谢某某提出"]),
    ("先行\n  审查放行", ["先行审查放行"]),
    ("定下来,\n无法证明", ["定下来,无法证明"]),  # half-width punctuation in Chinese prose
    ("“分步容缺”\n办法", ["“分步容缺”办法"]),
    ("PPP\nproject", ["PPP project"]),  # Latin words keep their space
    ("手机138\n12345678", ["手机138 12345678"]),
    ("采用 EPC 模式", ["采用 EPC 模式"]),  # a typed blank next to a Latin word stays
    ("尚未定下来， 无法证明", ["尚未定下来，无法证明"]),  # as YAML's folded style delivers a wrap
    ("第一段。\n\n第二段，\n接着写。", ["第一段。", "第二段，接着写。"]),
]


@pytest.mark.parametrize(("text", "expected"), JOINS)
def test_wraps_are_joined_as_a_reader_reads_them(text: str, expected: list[str]) -> None:
    assert paragraphs(text) == expected


def test_paragraphs_on_one_line_join_as_their_wraps_do() -> None:
    assert unwrap("第一段。\n\n第二段，\n接着写。") == "第一段。第二段，接着写。"
    assert unwrap("First part.\n\nSecond 部分") == "First part. Second 部分"


# A case written with YAML's folded and plain multi-line styles, which turn every wrap into a blank.
FOLDED = """\
facts: >-
  部分技术指标尚未定下来，
  无法证明人防工程指标符合要求。负责审批的
  谢某某提出先行
  审查放行。
key_point: 出于公心，
  以承诺制约束补正的，可以容错。
lessons:
  - >
    容缺办理应有书面承诺，
    事后及时补办。
"""


def _folded_case() -> Case:
    source = (SITE_CASES / "2025" / "2025-site-renfang.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    for key in ("facts", "key_point", "lessons"):
        data.pop(key)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + FOLDED
    loaded, problems = load_text(text, "folded.yaml")
    assert loaded is not None and not problems
    case, problems = validate_loaded(loaded)
    assert case is not None, problems
    # YAML folds each wrap into a blank; the loader takes it out again between Chinese characters.
    assert case.facts == "部分技术指标尚未定下来，无法证明人防工程指标符合要求。负责审批的谢某某提出先行审查放行。"
    assert case.key_point == "出于公心，以承诺制约束补正的，可以容错。"
    return case


BLANK = re.compile(r"[\u4e00-\u9fff，。、；：“”] +[\u4e00-\u9fff，。、；：“”]")  # a blank a reader sees
WRAP = re.compile(r"[\u4e00-\u9fff，。、；：“”][ \t]*\n\s*[\u4e00-\u9fff，。、；：“”]")  # a browser shows a blank


def test_folded_blocks_read_joined_on_the_page_in_search_and_in_exports() -> None:
    case = _folded_case()
    page = render_case(case)
    assert "尚未定下来，无法证明" in page and "审批的谢某某提出先行审查放行" in page
    for name, text in text_fields(case).items():  # parts and paragraphs on lines of their own, wraps joined
        assert not BLANK.search(text), (name, text)
    assert "尚未定下来，无法证明" in text_fields(case)["facts"]
    data = json.loads(exports.cases_json([case], lambda c: "x.html"))
    assert (
        data["cases"][0]["facts"]
        == "部分技术指标尚未定下来，无法证明人防工程指标符合要求。负责审批的谢某某提出先行审查放行。"
    )
    assert data["cases"][0]["lessons"] == ["容缺办理应有书面承诺，事后及时补办。"]
    row = exports.cases_csv([case], lambda c: "x.html")
    assert "出于公心，以承诺制约束补正的，可以容错。" in row


def test_the_lint_reads_a_folded_block_as_the_page_shows_it() -> None:
    loaded, _ = load_text("title: 题目\nkey_point: >-\n  第一行，镇长张\n  建国提请研究。\n", "x.yaml")
    assert loaded is not None
    assert [(p.line, p.code) for p in lint(loaded)] == [(3, "CB308")]


def test_markdown_wraps_between_chinese_characters_are_joined_outside_code() -> None:
    html = "<p>输入多个词语时，\n含全部词语 A\nB</p><pre><code>第一行\n第二行</code></pre><p>尾\n巴 <code>中\n文</code></p>"
    assert join_wraps(html) == (
        "<p>输入多个词语时，含全部词语 A\nB</p><pre><code>第一行\n第二行</code></pre><p>尾巴 <code>中\n文</code></p>"
    )


def _visible(html: str) -> str:
    """A page's HTML without what a browser shows as written (scripts, styles, preformatted text, code)."""
    return re.sub(r"<(script|style|pre|code)\b.*?</\1>", "<>", html, flags=re.DOTALL)


def test_no_built_page_shows_a_blank_between_chinese_characters(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = _visible(page.read_text(encoding="utf-8"))
        found = WRAP.search(text) or re.search(r"[，。；：、] ", text)
        assert not found, (str(page.relative_to(site)), text[max(0, found.start() - 20) : found.end() + 20])
    case = (site / "cases" / "2025-site-renfang.html").read_text(encoding="utf-8")
    assert "审批的谢某某提出" in case
    cleared = (site / "cases" / "2019-site-cleared.html").read_text(encoding="utf-8")
    assert "属于恶意诬告。查明失实后" in cleared  # a folded block (key_point: >-)


def test_the_search_data_holds_text_as_the_pages_show_it(site: Path) -> None:
    texts = []
    for path in (site / DATA_DIR / "d").glob("*.js"):
        doc = read_script(path.read_text(encoding="utf-8"))[1]
        texts += [text for _, _, text, _ in doc["fields"]]
    assert texts
    for text in texts:
        assert not BLANK.search(text), text
    assert any("审批的谢某某提出" in text for text in texts)


@pytest.mark.slow
def test_printed_casebooks_show_no_blank_where_a_line_was_wrapped(site: Path) -> None:
    pdfs = sorted((site / "downloads").glob("*.pdf"))
    assert pdfs
    teacher = ""
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        assert not re.search(r"[，。；：、] ", text), pdf.name
        teacher += text if pdf.name.endswith("-teacher.pdf") else ""
    # The PDF breaks its own lines; across them, the sentences the YAML wrapped read joined.
    flat = re.sub(r"\s+", "", teacher)
    assert "负责人防事项审批的谢某某提出" in flat and "出于公心、以承诺制约束补正" in flat
    assert not re.search(r"审批的 +谢某某|出于公心、 +以承诺", teacher)
