"""The retrieval report (类案检索报告) a committee attaches to its file.

Deterministic: the same query on the same corpus, on the same date and by
the same person, gives the same bytes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casebook.schema import vocabulary as vocab
from casebook.schema.facets import REGION
from casebook.schema.text import unwrap
from casebook.search.present import honesty_notes, look_label, read_facets, side_line, strength, why
from casebook.search.similar import COMPONENT_LABELS, MIN_SCORE, WEAK_SCORE, Finding, Match, Weights

if TYPE_CHECKING:
    from casebook.search.finder import Query


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


def _cell(text: str) -> str:
    """Case text for the report: one line, no live HTML, no table breaks (a report is rendered too)."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def _fence(body: str, language: str = "") -> str:
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip()}\n{fence}"


def _outcome(match: Match) -> str:
    return vocab.label("outcomes", match.record.outcome) if match.record.outcome else "未知"


def _method(weights: Weights) -> str:
    rows = "\n".join(f"| {COMPONENT_LABELS[name]} | {value:.2f} |" for name, value in weights.as_dict().items())
    return (
        "相似度由文本和结构化要素共同计算（0 至 1，越大越相似）：\n\n"
        "- 文本相似：案情等文字分词后（去掉数字、化名、规定名称碎片和套话），按 BM25 权重取关键词，"
        "计算关键词向量的余弦相似度；\n"
        "- 案件类型：同为有待认定的失误，或同为有待核实的举报，计 1，否则计 0;\n"
        "- 三个区分开来：逐项比较，同一区分同侧计 1，相反计 -1，一方侧别不明计 0.5，只一方涉及计 0，取平均；\n"
        "- 违反的规定：共同项所占比例；工作领域：是否相同；身份职级：类别和职级是否相同；\n"
        "- 六看：对查询写明的每个因素，相同计 1，一方“兼有”计 0.5，先例未说明计 0.25，相反计 0;\n"
        "- 查询未涉及的要素不参与计算，其余要素按下表权重加权平均（最低为 0）；"
        f"相似度低于 {MIN_SCORE:.2f} 的案例不列为先例，最相似先例低于 {WEAK_SCORE:.2f} 时报告注明“相似先例较弱”。\n\n"
        "| 要素 | 权重 |\n|---|---:|\n" + rows
    )


def _precedent_section(n: int, match: Match) -> str:
    record = match.record
    looks = "\n".join(
        f"| {vocab.label('factors', c.factor)} | {look_label(c.query)} | {look_label(c.precedent)} | {c.verdict} |"
        for c in match.looks
    )
    lines = [
        f"### {n}. {_cell(record.title)}",
        "",
        f"- 编号：`{record.id}`；{REGION.title}：{_cell(record.region)}；年份：{record.year}",
        f"- 处理结果：**{_outcome(match)}**",
        f"- 相似度：{match.score:.2f}（" + _cell("；".join(why(match))) + "）",
    ]
    if match.sides:
        lines.append("- 三个区分开来：" + _cell(side_line(match)))
    if match.shared_terms:
        lines.append("- 共同关键词：" + "、".join(match.shared_terms))
    if record.key_point:
        lines.append(f"- 要旨：{_cell(unwrap(record.key_point))}")
    lines += ["", "| 六看因素 | 本案 | 先例 | 对照 |", "|---|---|---|---|", looks, ""]
    return "\n".join(lines)


def _reading(query: Query | None) -> list[str]:
    rows = read_facets(query) if query is not None else []
    if not rows:
        return []
    out = [
        "",
        "从文字描述中读出的要素（据文字推断，非检索人填写）：",
        "",
        "| 要素 | 读出的取值 | 依据的文字 |",
        "|---|---|---|",
    ]
    out += [f"| {r['label']} | {_cell(r['value'])} | {_cell('、'.join(r['phrases'][:4]))} |" for r in rows]
    return out


def render_report(finding: Finding, context: ReportContext, weights: Weights, query: Query | None = None) -> str:
    """The report as Markdown."""
    out = [
        "# 类案检索报告",
        "",
        "| 项目 | 内容 |",
        "|---|---|",
        f"| 检索人 | {_cell(context.by or '(未填写)')} |",
        f"| 检索日期 | {context.date} |",
        f"| 案例库版本 | {_cell(context.corpus_version)} |",
        f"| 检索范围 | {_cell(context.scope)} |",
        f"| 检索工具 | casebook {context.tool_version} |",
        "",
        "> 先例只供参考：本报告列出与本案相似的已处理案例及其处理结果，不构成对本案的认定意见，"
        "不代替容错免责裁定委员会的集体研究和决定。",
        "",
        "## 一、检索条件",
        "",
        f"{_cell(context.query_title)}（按原样附后）：",
        "",
        _fence(context.query_body, "yaml" if context.query_is_yaml else ""),
        *_reading(query),
        "",
        "## 二、检索方法",
        "",
        _method(weights),
        "",
        "## 三、结果概览",
        "",
    ]
    out += [f"> **注意:** {_cell(note)}\n" for note in honesty_notes(finding)]
    if finding.matches:
        counts = "、".join(f"{vocab.label('outcomes', o)} {n} 个" for o, n in finding.outcomes)
        out.append(_cell(strength(finding)))
        out.append(f"其中各处理结果：{counts}。")
        if finding.nearest_different:
            other = finding.nearest_different
            out.append(
                f"结果组与之不同的最相似先例：{_cell(other.record.title)}(`{other.record.id}`,"
                f"{_outcome(other)}，相似度 {other.score:.2f})，见第五部分。"
            )
        out += [
            "",
            "| 序号 | 先例 | 处理结果 | 相似度 | 主要相似点 | 参照 / 区别（委员会填写） |",
            "|---:|---|---|---:|---|---|",
        ]
        for n, match in enumerate(finding.matches, start=1):
            main = "；".join(why(match)[:3])
            out.append(
                f"| {n} | {_cell(match.record.title)}<br>`{match.record.id}` | {_outcome(match)} "
                f"| {match.score:.2f} | {_cell(main)} | |"
            )
    elif not honesty_notes(finding):
        out.append("检索范围内没有可比较的先例。")
    out += ["", "## 四、逐案说明", ""]
    out += [_precedent_section(n, m) for n, m in enumerate(finding.matches, start=1)]
    if finding.nearest_different and finding.nearest_different not in finding.matches:
        out += ["## 五、结果不同的最近先例", "", _precedent_section(1, finding.nearest_different)]
    elif finding.nearest_different:
        out += ["## 五、结果不同的最近先例", "", f"即上列 `{finding.nearest_different.record.id}`。", ""]
    return "\n".join(out).rstrip() + "\n"
