"""Search results as Chinese text for people and as JSON for tools (the finder's words are in ``explain``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from casebook.schema import vocabulary as vocab
from casebook.schema.facets import DOMAIN, INTERNAL_SEARCH, OUTCOME, Facet
from casebook.search.query import Hit, SearchResult
from casebook.search.tiers import EQUIVALENT, TIER_NAMES, Typed, query_notes, tier_summary


def look_label(value: str) -> str:
    """A six-looks finding as readers see it (有利 or 不利 …)."""
    return vocab.label("factor_values", value)


def hit_marks(hit: Hit, typed: Sequence[Typed]) -> list[str]:
    """What a hit is marked with besides its title: its tier below the first, the equivalents it was found by."""
    marks = [TIER_NAMES[hit.tier]] if hit.tier > 1 else []
    counted = [w.text for w in typed if w.counts]
    used = [form for way, form in zip(hit.held, hit.equivalents, strict=True) if way == EQUIVALENT and form]
    if used:
        marks.append("同义词：" + "、".join(used))
    return marks if len(counted) == len(hit.held) else []


def search_text(result: SearchResult) -> str:
    words = f"“{result.query}”" if result.query.strip() else "全部案例"
    lines = [f"{words}：共 {result.total} 个案例" + (f"，显示前 {len(result.hits)} 个" if result.hits else "")]
    if result.words:
        lines.append(f"检索词：{' · '.join(result.words)}")
    lines += query_notes(result.typed, result.found)
    summary = tier_summary(result.typed, result.tiers)
    if summary:
        lines.append(summary)
    for n, hit in enumerate(result.hits, start=1):
        withdrawn = "（已撤回）" if hit.state == "withdrawn" else ""
        internal = "（内部）" if hit.visibility == "internal" else ""
        marks = "".join(f"（{mark}）" for mark in hit_marks(hit, result.typed))
        lines.append(f"\n{n}. {hit.title}{withdrawn}{internal}{marks}")
        facets = f"{OUTCOME.label(hit.outcome)} · {DOMAIN.label(hit.domain)} · {hit.region} · {hit.year} 年"
        lines.append(f"   {facets} · {hit.id}")
        if hit.fragments:
            lines.append(f"   {hit.fragments_from + '：' if hit.fragments_from else ''}{hit.fragments}")
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


def typed_json(word: Typed) -> dict[str, Any]:
    """A typed word as ``casebook search --json`` describes it (as the page reads it)."""
    return {
        "text": word.text,
        "kind": word.kind,
        "forms": [
            {"text": f.text, "term": f.term, "pieces": [p for p, _ in f.pieces], "can_occur": f.possible}
            for f in word.forms
        ],
        "parts": list(word.parts),
    }


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "total": result.total,
        "words": result.words,
        "typed": [typed_json(word) for word in result.typed],
        "notes": query_notes(result.typed, result.found),
        "tiers": {str(tier): result.tiers.get(tier, 0) for tier in TIER_NAMES},
        "tier_names": {str(tier): name for tier, name in TIER_NAMES.items()},
        "hits": [{**hit.__dict__, "marks": hit_marks(hit, result.typed)} for hit in result.hits],
        "facets": {facet: dict(counts) for facet, counts in result.facets.items()},
    }
