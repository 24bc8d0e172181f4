"""The retrieval report (类案检索报告) a committee attaches to its file.

Two things are kept apart here. The **form** — the title, the head fields,
the box for the matter to be decided, the section headings, the columns and
the marks a committee ticks — is :data:`LAYOUT`, plain data that the finder
page receives too (``finder-data/meta.js``), so the printed report and this
Markdown report carry the same fields by construction. The **sentences** —
what ranked, why, how the precedents ended, what to be careful about — come
from :mod:`casebook.search.explain` and :func:`_method`, and can change
without touching the form.

The form follows what the SPC's 2020 guidance on similar-case retrieval asks
of a report (Art. 8): who searched, when, on which platform, how, with what
result; each similar case's key point; the pending case's 争议焦点 (its matter in dispute); and for
each similar case whether it was followed (参照) or only consulted (参考).

Deterministic: the same query on the same corpus, on the same date and by
the same person, gives the same bytes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casebook.schema import vocabulary as vocab
from casebook.schema.facets import REGION
from casebook.schema.text import unwrap
from casebook.search.explain import (
    exclusion_lines,
    honesty_notes,
    look_label,
    read_facets,
    say,
    score_line,
    side_line,
    strength,
    why,
)
from casebook.search.similar import MIN_SCORE, WEAK_SCORE, WEIGHT_LABELS, Finding, Match, Weights

if TYPE_CHECKING:
    from casebook.search.finder import Query

# The report's form, shared with the finder page's printed report.
LAYOUT: dict[str, Any] = {
    "title": "类案检索报告",
    # The head table, in the order of the SPC guidance: 检索主体、时间、平台、方法、范围.
    "head": [
        ["by", "检索人"],
        ["date", "检索日期"],
        ["platform", "检索平台"],
        ["version", "案例库版本"],
        ["method", "检索方法"],
        ["scope", "检索范围"],
    ],
    "blank": "＿＿＿＿＿＿＿＿＿＿",
    "method_value": "文字与案件要素的证据按信息量累加，见第二部分",
    "matter": "待决事项（争议焦点）",
    "matter_hint": "由委员会填写：本案需要认定的事项，以及意见分歧所在。",
    "caution": (
        "先例只供参考：本报告列出与本案相似的已处理案例及其处理结果，不构成对本案的认定意见，"
        "不代替容错免责裁定委员会的集体研究和决定。"
    ),
    "sections": {
        "query": "一、检索条件",
        "method": "二、检索方法",
        "results": "三、检索结果",
        "precedents": "四、逐案说明",
        "different": "五、结果不同的最近先例",
    },
    "reading": "从文字描述中读出的要素（据文字推断，非检索人填写）",
    "reading_columns": ["要素", "读出的取值", "依据的文字"],
    "weights_columns": ["证据", "权重"],
    "overview_columns": ["序号", "先例", "处理结果", "相似度", "委员会意见（勾选）"],
    "marks": ["参照", "参考", "不予参照"],
    "box": "□",
    "opinion": "委员会意见",
    "reason": "理由",
    "looks_head": "六看",
    "looks_rows": ["本案", "先例", "对照"],
    "signature": ["检索人（签名）", "日期"],
    "page": "第 {page} 页，共 {pages} 页",
}


def marks() -> str:
    """The marks a committee ticks for one precedent: □ 参照　□ 参考　□ 不予参照."""
    return "\u3000".join(f"{LAYOUT['box']} {mark}" for mark in LAYOUT["marks"])


@dataclass(frozen=True)
class ReportContext:
    """Who ran the search, when, on what, and the query exactly as given."""

    by: str
    date: str
    corpus_version: str
    scope: str
    query_title: str
    query_body: str  # the draft file's text, or the free text and factors
    query_is_yaml: bool
    tool_version: str
    matter: str = ""  # the pending matter (待决事项), when the searcher wrote it down


def _cell(text: str) -> str:
    """Case text for the report: one line, no live HTML, no table breaks (a report is rendered too)."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def _fence(body: str, language: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip()}\n{fence}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` gives each column's rule (``-``, ``:``-ended for numbers)."""
    rules = [("---:" if a == "r" else "---") for a in (align or "l" * len(head))]
    return [_row(head), _row(rules), *(_row(r) for r in rows)]


def _outcome(match: Match) -> str:
    return vocab.label("outcomes", match.record.outcome) if match.record.outcome else "未知"


def _method() -> str:
    head, *steps = say("method", floor=f"{MIN_SCORE:.2f}", weak=f"{WEAK_SCORE:.2f}").split("\n")
    return head + "\n\n" + "\n".join(steps)


def _weights(weights: Weights) -> list[str]:
    """Two weights a row, as the page prints them."""
    cells = [[WEIGHT_LABELS[name], f"{value:.2f}"] for name, value in weights.as_dict().items()]
    rows = [[*cells[i], *(cells[i + 1] if i + 1 < len(cells) else ["", ""])] for i in range(0, len(cells), 2)]
    return _table([*LAYOUT["weights_columns"], *LAYOUT["weights_columns"]], rows, "lrlr")


def _looks(match: Match) -> list[str]:
    """The six looks side by side: a column per factor, a row for the query, the precedent and the verdict."""
    if not match.looks:
        return []
    query, precedent, verdict = LAYOUT["looks_rows"]
    return _table(
        [LAYOUT["looks_head"], *(vocab.label("factors", c.factor) for c in match.looks)],
        [
            [query, *(look_label(c.query) for c in match.looks)],
            [precedent, *(look_label(c.precedent) for c in match.looks)],
            [verdict, *(c.verdict for c in match.looks)],
        ],
    )


def _opinion() -> str:
    return f"**{LAYOUT['opinion']}：** {marks()}\u3000{LAYOUT['reason']}：{LAYOUT['blank'] * 2}"


def _precedent_section(n: int, match: Match, query_exclusions: tuple[str, ...] = ()) -> str:
    record = match.record
    lines = [
        f"### {n}. {_cell(record.title)}",
        "",
        f"- 编号：`{record.id}`；{REGION.title}：{_cell(record.region)}；年份：{record.year}；"
        f"处理结果：**{_outcome(match)}**；{score_line(match)}",
        "- 相似之处：" + _cell("；".join(why(match, query_exclusions))),
    ]
    if match.sides:
        lines.append("- 三个区分开来：" + _cell(side_line(match)))
    if match.shared_terms:
        lines.append("- 共同关键词：" + _cell("、".join(match.shared_terms)))
    if record.key_point:
        lines.append(f"- 要旨：{_cell(unwrap(record.key_point))}")
    looks = _looks(match)
    lines += ["", *looks, ""] if looks else [""]
    lines += [_opinion(), ""]
    return "\n".join(lines)


def _reading(query: Query | None) -> list[str]:
    rows = read_facets(query) if query is not None else []
    if not rows:
        return []
    cells = [[r["label"], _cell(r["value"]), _cell("、".join(r["phrases"][:4]))] for r in rows]
    return ["", LAYOUT["reading"] + "：", "", *_table(LAYOUT["reading_columns"], cells)]


def _head(context: ReportContext) -> list[str]:
    values = {
        "by": _cell(context.by) or LAYOUT["blank"],
        "date": context.date or LAYOUT["blank"],
        "platform": f"容错纠错典型案例库 casebook {context.tool_version}（命令行 casebook similar）",
        "version": _cell(context.corpus_version),
        "method": LAYOUT["method_value"],
        "scope": _cell(context.scope),
    }
    return _table(["项目", "内容"], [[label, values[key]] for key, label in LAYOUT["head"]])


def _matter(context: ReportContext) -> list[str]:
    written = _cell(context.matter)
    body = [f"> {written}"] if written else [f"> {LAYOUT['blank'] * 4}"] * 3
    return [f"## {LAYOUT['matter']}", "", f"> {LAYOUT['matter_hint']}", ">", *body]


def _overview(finding: Finding) -> list[str]:
    rows = [
        [str(n), f"{_cell(m.record.title)}<br>`{m.record.id}`", _outcome(m), f"{m.score:.2f}", marks()]
        for n, m in enumerate(finding.matches, start=1)
    ]
    return _table(LAYOUT["overview_columns"], rows, "rllrl")


def _exclusions(query: Query | None) -> list[str]:
    """The circumstances that cannot be tolerated, before anything else the report says (a block, a source a line)."""
    lines = exclusion_lines(query) if query is not None else []
    if not lines:
        return []
    head, *sources = lines
    return [f"> **{_cell(head)}**", ">", *(f"> - {_cell(source.strip())}" for source in sources), ""]


def render_report(finding: Finding, context: ReportContext, weights: Weights, query: Query | None = None) -> str:
    """The report as Markdown."""
    sections = LAYOUT["sections"]
    out = [f"# {LAYOUT['title']}", "", *_head(context), "", *_exclusions(query), *_matter(context), ""]
    out += [f"> {LAYOUT['caution']}", ""]
    out += [f"## {sections['query']}", "", f"{_cell(context.query_title)}（按原样附后）：", ""]
    out += [_fence(context.query_body, "yaml" if context.query_is_yaml else ""), *_reading(query), ""]
    out += [f"## {sections['method']}", "", _method(), "", *_weights(weights), ""]
    out += [f"## {sections['results']}", ""]
    has_text = query is None or bool(query.text.strip())
    out += [f"> **注意：** {_cell(note)}\n" for note in honesty_notes(finding, has_text)]
    if finding.matches:
        counts = "、".join(f"{vocab.label('outcomes', o)} {n} 个" for o, n in finding.outcomes)
        out += [_cell(strength(finding)), "", f"其中各处理结果：{counts}。"]
        if finding.nearest_different:
            other = finding.nearest_different
            out.append(
                f"结果组与之不同的最相似先例：{_cell(other.record.title)}（`{other.record.id}`，"
                f"{_outcome(other)}，相似度 {other.score:.2f}），见第五部分。"
            )
        out += ["", *_overview(finding)]
    elif not honesty_notes(finding, has_text):
        out.append("检索范围内没有可比较的先例。")
    out += ["", f"## {sections['precedents']}", ""]
    out += [_precedent_section(n, m, finding.exclusions) for n, m in enumerate(finding.matches, start=1)]
    if finding.nearest_different and finding.nearest_different not in finding.matches:
        out += [f"## {sections['different']}", "", _precedent_section(1, finding.nearest_different, finding.exclusions)]
    elif finding.nearest_different:
        out += [f"## {sections['different']}", "", f"即上列 `{finding.nearest_different.record.id}`。", ""]
    signature = "\u3000".join(f"{label}：{LAYOUT['blank']}" for label in LAYOUT["signature"])
    out += ["", "---", "", signature]
    return "\n".join(out).rstrip() + "\n"
