"""Search results as Chinese text for people and as JSON for tools (the finder's words are in ``explain``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casebook.schema import vocabulary as vocab
from casebook.schema.facets import DOMAIN, INTERNAL_SEARCH, OUTCOME, Facet
from casebook.search.query import SearchResult


def look_label(value: str) -> str:
    """A six-looks finding as readers see it (有利 or 不利 …)."""
    return vocab.label("factor_values", value)


def search_text(result: SearchResult) -> str:
    words = f"“{result.query}”" if result.query.strip() else "全部案例"
    lines = [f"{words}：共 {result.total} 个案例" + (f"，显示前 {len(result.hits)} 个" if result.hits else "")]
    if len(result.words) > 1:
        lines.append(f"检索词：{' · '.join(result.words)}（含全部检索词的案例排在前面）")
    for n, hit in enumerate(result.hits, start=1):
        withdrawn = "（已撤回）" if hit.state == "withdrawn" else ""
        internal = "（内部）" if hit.visibility == "internal" else ""
        partial = "（只含部分检索词）" if len(result.words) > 1 and hit.matched < len(result.words) else ""
        lines.append(f"\n{n}. {hit.title}{withdrawn}{internal}{partial}")
        facets = f"{OUTCOME.label(hit.outcome)} · {DOMAIN.label(hit.domain)} · {hit.region} · {hit.year} 年"
        lines.append(f"   {facets} · {hit.id}")
        if hit.fragments:
            lines.append(f"   {hit.fragments}")
    if result.total:
        lines.append("\n分面统计：")
        for facet in INTERNAL_SEARCH:
            if facet.id in result.facets:
                lines.append(f"  {facet.title}：{facet_counts(facet, result.facets[facet.id])}")
    return "\n".join(lines)


def facet_counts(facet: Facet, counts: Sequence[tuple[str, int]]) -> str:
    """``江苏省 5（淮安市 2、苏州市 1）、湖北省 3``: each value with its count, children after their parent."""
    below: dict[str, list[str]] = {}
    for value, n in counts:
        below.setdefault(facet.parent(value), []).append(f"{facet.label(value)} {n}")
    parts = []
    for value, n in counts:
        if not facet.parent(value):
            children = below.get(value)
            parts.append(f"{facet.label(value)} {n}" + (f"（{'、'.join(children)}）" if children else ""))
    return "、".join(parts)


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "words": result.words,
        "hits": [hit.__dict__ for hit in result.hits],
        "facets": {facet: dict(counts) for facet, counts in result.facets.items()},
    }
