"""Search and precedent results as Chinese text for people and as JSON for tools."""

from __future__ import annotations

from typing import Any

from casebook.schema import vocabulary as vocab
from casebook.schema.text import unwrap
from casebook.search.query import FACET_FIELDS, SearchResult
from casebook.search.records import Record
from casebook.search.similar import COMPONENT_LABELS, Finding, Match

FACET_NAMES = {
    "outcome": "处理结果",
    "distinction": "三个区分开来",
    "domain": "工作领域",
    "region": "地区",
    "year": "年份",
}
VALUE_LABELS = {"favourable": "有利", "unfavourable": "不利", "mixed": "兼有", "unknown": "未说明"}


def facet_value_label(facet: str, value: str) -> str:
    if facet == "outcome":
        return vocab.label("outcomes", value)
    if facet == "distinction":
        return "未涉及" if value == "none" else vocab.short_label("distinctions", value)
    if facet == "domain":
        return vocab.label("domains", value)
    return value


def search_text(result: SearchResult) -> str:
    words = f"“{result.query}”" if result.query.strip() else "全部案例"
    lines = [f"{words}:共 {result.total} 个案例" + (f",显示前 {len(result.hits)} 个" if result.hits else "")]
    for n, hit in enumerate(result.hits, start=1):
        withdrawn = "(已撤回)" if hit.state == "withdrawn" else ""
        internal = "(内部)" if hit.visibility == "internal" else ""
        lines.append(f"\n{n}. {hit.title}{withdrawn}{internal}")
        lines.append(
            f"   {facet_value_label('outcome', hit.outcome)} · {facet_value_label('domain', hit.domain)} · "
            f"{hit.region} · {hit.year} 年 · {hit.id}"
        )
        if hit.fragments:
            lines.append(f"   {hit.fragments}")
    if result.total:
        lines.append("\n分面统计:")
        for facet in FACET_FIELDS:
            counts = "、".join(f"{facet_value_label(facet, v)} {n}" for v, n in result.facets.get(facet, []))
            lines.append(f"  {FACET_NAMES[facet]}:{counts}")
    return "\n".join(lines)


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "hits": [hit.__dict__ for hit in result.hits],
        "facets": {facet: dict(counts) for facet, counts in result.facets.items()},
    }


def _outcome(record: Record) -> str:
    return vocab.label("outcomes", record.outcome) if record.outcome else "未知"


def why(match: Match) -> list[str]:
    """The reasons a precedent is close, one short phrase each."""
    reasons = []
    for name, value in match.parts.items():
        detail = ""
        if name == "distinctions" and match.shared_distinctions:
            detail = "(共同:" + "、".join(vocab.short_label("distinctions", d) for d in match.shared_distinctions) + ")"
        if name == "domain" and match.same_domain:
            detail = f"(均为{vocab.label('domains', match.record.domain or '')})"
        if name == "rules" and match.shared_rules:
            detail = "(均违反" + "、".join(match.shared_rules) + ")"
        reasons.append(f"{COMPONENT_LABELS[name]} {value:.2f}{detail}")
    return reasons


def looks_line(match: Match) -> str:
    return ";".join(
        f"{vocab.label('factors', c.factor)} {VALUE_LABELS[c.query]}/{VALUE_LABELS[c.precedent]} {c.verdict}"
        for c in match.looks
        if c.query != "unknown" or c.precedent != "unknown"
    )


def similar_text(finding: Finding, scope: str) -> str:
    lines = [f"在{scope}中检索,按相似度列出前 {len(finding.matches)} 个先例。先例仅供参考,不代替集体研究决定。"]
    for n, match in enumerate(finding.matches, start=1):
        record = match.record
        lines.append(f"\n{n}. {record.title}  相似度 {match.score:.2f}")
        lines.append(
            f"   编号 {record.id} · 处理结果:{_outcome(record)} · {record.region or '地区未标明'} · {record.year} 年"
        )
        lines.append("   相似之处:" + " · ".join(why(match)))
        if match.shared_terms:
            lines.append("   共同关键词:" + "、".join(match.shared_terms))
        looks = looks_line(match)
        if looks:
            lines.append("   六看(本案/先例):" + looks)
        if record.key_point:
            lines.append("   要旨:" + unwrap(record.key_point))
    if finding.outcomes:
        counts = "、".join(f"{vocab.label('outcomes', o)} {n}" for o, n in finding.outcomes)
        majority = vocab.label("outcomes", finding.majority or "")
        lines.append(f"\n前 {len(finding.matches)} 个先例的处理结果:{counts}(多数:{majority})")
    if finding.nearest_different:
        other = finding.nearest_different
        detail = f"{_outcome(other.record)},编号 {other.record.id},相似度 {other.score:.2f}"
        lines.append(f"结果不同的最近先例:{other.record.title}({detail})")
    elif finding.matches:
        lines.append("结果不同的最近先例:检索范围内没有结果不同的先例。")
    return "\n".join(lines)


def match_json(match: Match) -> dict[str, Any]:
    record = match.record
    return {
        "id": record.id,
        "title": record.title,
        "outcome": record.outcome,
        "outcome_label": _outcome(record),
        "score": round(match.score, 4),
        "components": {k: round(v, 4) for k, v in match.parts.items()},
        "shared_terms": match.shared_terms,
        "shared_distinctions": match.shared_distinctions,
        "shared_rules": match.shared_rules,
        "same_domain": match.same_domain,
        "six_looks": [
            {"factor": c.factor, "query": c.query, "precedent": c.precedent, "verdict": c.verdict} for c in match.looks
        ],
        "key_point": record.key_point,
        "region": record.region,
        "year": record.year,
    }


def similar_json(finding: Finding) -> dict[str, Any]:
    return {
        "matches": [match_json(m) for m in finding.matches],
        "outcomes": dict(finding.outcomes),
        "majority": finding.majority,
        "nearest_different": match_json(finding.nearest_different) if finding.nearest_different else None,
        "candidates": finding.candidates,
    }
