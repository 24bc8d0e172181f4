"""Search and precedent results as Chinese text for people and as JSON for tools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from casebook.schema import vocabulary as vocab
from casebook.schema.facets import DISTINCTION, DOMAIN, FACET_BY_ID, INTERNAL_SEARCH, OUTCOME, RULE, Facet
from casebook.schema.text import unwrap
from casebook.search.cues import KINDS, LONGEST_DESCRIPTION
from casebook.search.query import SearchResult
from casebook.search.records import Record
from casebook.search.similar import COMPONENT_LABELS, MIN_SCORE, WEAK_SCORE, Finding, Match

if TYPE_CHECKING:
    from casebook.search.finder import Query


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


def _outcome(record: Record) -> str:
    return vocab.label("outcomes", record.outcome) if record.outcome else "未知"


def _group(group: str) -> str:
    return vocab.label("outcome_groups", group)


def side_words(side: str | None) -> str:
    """A side of a distinction as readers see it; a side not known says so."""
    return vocab.label("distinction_sides", side) if side else "侧别不明"


def side_line(match: Match) -> str:
    """Which distinctions the two share, and on which sides they fell."""
    out = []
    for c in match.sides:
        name = vocab.short_label("distinctions", c.distinction)
        if c.verdict == "同侧":
            out.append(f"{name} 同侧（均在{side_words(c.query)}）")
        elif c.verdict == "相反":
            out.append(f"{name} 相反（本案在{side_words(c.query)}，先例在{side_words(c.precedent)}）")
        elif c.verdict == "仅本案涉及":
            out.append(f"{name} 仅本案涉及（{side_words(c.query)}）")
        elif c.verdict == "仅先例涉及":
            out.append(f"{name} 仅先例涉及（{side_words(c.precedent)}）")
        else:
            out.append(f"{name} 双方均涉及，侧别不明")
    return "；".join(out)


def why(match: Match) -> list[str]:
    """The reasons a precedent is close (or not), one short phrase each."""
    reasons = []
    for name, value in match.parts.items():
        detail = ""
        if name == "kind":
            detail = f"（先例为{KINDS.get(match.record.kind or '', '类型不明')}）"
        if name == "distinctions" and match.sides:
            detail = "（" + side_line(match) + "）"
        if name == "domain" and match.same_domain:
            detail = f"（均为{vocab.label('domains', match.record.domain or '')}）"
        if name == "rules" and match.shared_rules:
            detail = "（均违反" + "、".join(match.shared_rules) + "）"
        reasons.append(f"{COMPONENT_LABELS[name]} {value:.2f}{detail}")
    return reasons


def looks_line(match: Match) -> str:
    return "；".join(
        f"{vocab.label('factors', c.factor)} {look_label(c.query)}/{look_label(c.precedent)} {c.verdict}"
        for c in match.looks
        if c.query != "unknown" or c.precedent != "unknown"
    )


# --- what was read from the description ------------------------------------


def _facet_label(facet: str) -> str:
    head, _, tail = facet.partition(".")
    if head == "looks":
        return "六看 " + vocab.label("factors", tail)
    if head == "distinction":
        return f"{DISTINCTION.title} {DISTINCTION.label(tail)}"
    if facet == "kind":
        return "案件类型"
    return RULE.title if facet == "rules" else FACET_BY_ID[facet].title


def _facet_value(record: Record, facet: str) -> str:
    head, _, tail = facet.partition(".")
    if head == "looks":
        return look_label(record.looks.get(tail, "unknown"))
    if head == "distinction":
        return side_words(dict(record.distinctions or ()).get(tail))
    if facet == "kind":
        return KINDS.get(record.kind or "", "不明")
    if facet == "rules":
        return "、".join(record.rules)
    value = getattr(record, facet)
    return FACET_BY_ID[facet].label(value) if value else "未说明"


def read_facets(query: Query) -> list[dict[str, Any]]:
    """The facets taken from the text (not given by a draft or an option), each with its phrases."""
    rows = []
    for facet in sorted(query.read_from_text, key=_facet_order):
        rows.append(
            {
                "facet": facet,
                "label": _facet_label(facet),
                "value": _facet_value(query.record, facet),
                "phrases": query.reading.phrases.get(facet, list(query.record.rules) if facet == "rules" else []),
                "source": "text",
            }
        )
    return rows


def _facet_order(facet: str) -> tuple[int, str]:
    heads = ["kind", "distinction", "looks", "domain", "role", "level", "rules"]
    return heads.index(facet.partition(".")[0]), facet


def reading_text(query: Query) -> list[str]:
    rows = read_facets(query)
    if not rows:
        return ["从描述中没有读出案件要素（可用 --factor、--distinction 等补充）。"]
    lines = ["从描述中读出的要素（据文字推断，可用 --factor、--distinction 或草稿字段更正）："]
    for row in rows:
        phrases = "、".join(f"“{p}”" for p in row["phrases"][:4])
        lines.append(f"  {row['label']}：{row['value']}" + (f"（据 {phrases}）" if phrases else ""))
    if query.truncated:
        lines.append(f"  描述很长，只读取了前 {LONGEST_DESCRIPTION} 字。")
    return lines


# --- how far the precedents can be trusted ---------------------------------


def strength(finding: Finding) -> str:
    """The outcome distribution in words: how many, how much of the similarity, how close."""
    if not finding.matches:
        return ""
    n = len(finding.matches)
    parts = []
    for share in finding.distribution:
        high, low = share.scores
        close = f"相似度 {high:.2f}" if share.count == 1 else f"相似度 {high:.2f}–{low:.2f}"
        parts.append(f"{_group(share.group)} {share.count} 个（按相似度加权 {share.weighted:.0%}，{close}）")
    line = f"前 {n} 个先例的处理结果：" + "；".join(parts) + "。"
    top = next((g for g in finding.distribution if g.group == finding.vote), finding.distribution[0])
    if finding.vote is None:
        line += "没有哪一种结果占优。"
    elif top.weighted >= 0.75 and top.count >= 3:
        line += f"多数为“{_group(finding.vote)}”，较为一致。"
    elif top.weighted >= 0.5:
        line += f"“{_group(finding.vote)}”稍多，但并不一致。"
    else:
        line += f"结果分散，“{_group(finding.vote)}”只是相对较多。"
    return line


def honesty_notes(finding: Finding) -> list[str]:
    """Plain sentences on what the precedents cannot tell."""
    notes = []
    if not finding.matches:
        notes.append(f"检索范围内没有可以作为参照的先例（所有案例的相似度都低于 {MIN_SCORE:.2f}）。")
        return notes
    if finding.weak:
        notes.append(
            f"最相似的先例相似度只有 {finding.best:.2f}（低于 {WEAK_SCORE:.2f}）：本库中没有与本案接近的先例，"
            "下列先例只能作一般了解，不宜作为参照。"
        )
    if finding.query_lean and not finding.side_listed:
        side = side_words(finding.query_lean)
        where = "所列先例中" if finding.side_in_corpus else "本库中"
        notes.append(
            f"描述指向{side}（见读出的三个区分开来），但{where}没有落在这一侧的先例；"
            "所列先例的处理结果不能说明本案会怎样处理。"
        )
    return notes


def similar_text(finding: Finding, scope: str, query: Query | None = None) -> str:
    lines = []
    if query is not None:
        lines += [*reading_text(query), ""]
    lines.append(f"在{scope}中检索，按相似度列出前 {len(finding.matches)} 个先例。先例仅供参考，不代替集体研究决定。")
    lines += [f"注意：{note}" for note in honesty_notes(finding)]
    for n, match in enumerate(finding.matches, start=1):
        record = match.record
        lines.append(f"\n{n}. {record.title}  相似度 {match.score:.2f}")
        lines.append(f"   编号 {record.id} · {OUTCOME.title}：{_outcome(record)} · {record.region} · {record.year} 年")
        lines.append("   相似之处：" + " · ".join(why(match)))
        if match.shared_terms:
            lines.append("   共同关键词：" + "、".join(match.shared_terms))
        looks = looks_line(match)
        if looks:
            lines.append("   六看（本案/先例）：" + looks)
        if record.key_point:
            lines.append("   要旨：" + unwrap(record.key_point))
    if finding.matches:
        lines.append("\n" + strength(finding))
    if finding.nearest_different:
        other = finding.nearest_different
        detail = f"{_outcome(other.record)}，编号 {other.record.id}，相似度 {other.score:.2f}"
        lines.append(f"结果不同的最近先例：{other.record.title}（{detail}）")
    elif finding.matches and finding.vote:
        lines.append("结果不同的最近先例：检索范围内没有相似度够得上的、结果不同的先例。")
    return "\n".join(lines)


def match_json(match: Match) -> dict[str, Any]:
    record = match.record
    return {
        "id": record.id,
        "title": record.title,
        "outcome": record.outcome,
        "outcome_label": _outcome(record),
        "outcome_group": vocab.outcome_group(record.outcome or ""),
        "kind": record.kind,
        "score": round(match.score, 4),
        "components": {k: round(v, 4) for k, v in match.parts.items()},
        "shared_terms": match.shared_terms,
        "shared_distinctions": match.shared_distinctions,
        "sides": [
            {"distinction": c.distinction, "query": c.query, "precedent": c.precedent, "verdict": c.verdict}
            for c in match.sides
        ],
        "shared_rules": match.shared_rules,
        "same_domain": match.same_domain,
        "six_looks": [
            {"factor": c.factor, "query": c.query, "precedent": c.precedent, "verdict": c.verdict} for c in match.looks
        ],
        "key_point": record.key_point,
        "region": record.region,
        "year": record.year,
    }


def similar_json(finding: Finding, query: Query | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if query is not None:
        record = query.record
        data["query"] = {
            "kind": record.kind,
            "distinctions": [{"distinction": d, "side": side} for d, side in record.distinctions or ()],
            "lean": record.lean,
            "six_looks": record.looks,
            "domain": record.domain,
            "role": record.role,
            "level": record.level,
            "rules": list(record.rules),
            "read_from_text": read_facets(query),
            "truncated": query.truncated,
        }
    data.update(
        {
            "matches": [match_json(m) for m in finding.matches],
            "outcomes": dict(finding.outcomes),
            "distribution": [
                {
                    "group": g.group,
                    "label": _group(g.group),
                    "count": g.count,
                    "weighted": round(g.weighted, 4),
                    "best": round(g.scores[0], 4),
                    "worst": round(g.scores[1], 4),
                    "outcomes": dict(g.outcomes),
                }
                for g in finding.distribution
            ],
            "vote": finding.vote,
            "strength": strength(finding),
            "best_score": round(finding.best, 4),
            "weak": finding.weak,
            "side": {"query": finding.query_lean, "listed": finding.side_listed, "in_corpus": finding.side_in_corpus},
            "notes": honesty_notes(finding),
            "nearest_different": match_json(finding.nearest_different) if finding.nearest_different else None,
            "candidates": finding.candidates,
        }
    )
    return data
