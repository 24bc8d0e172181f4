"""The precedent finder's words: what was read, why each precedent is close, and how far they can be trusted.

Every sentence is built from :data:`WORDING` (templates with ``{name}``
placeholders) and :data:`LABELS`; the 类案查找 page gets both as data
(``builder/finderdata.py``) and fills them the same way, so that the page
and ``casebook similar`` say the same words without typing them twice. Numbers
are formatted here before they are filled in (two decimals, a sign for
evidence, whole percentages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casebook.schema import vocabulary as vocab
from casebook.schema.exclusions import BASES, exclusions
from casebook.schema.facets import DISTINCTION, DOMAIN, LEVEL, ROLE, RULE
from casebook.schema.text import unwrap
from casebook.search.cues import KINDS, LONGEST_DESCRIPTION
from casebook.search.records import Record
from casebook.search.similar import COMPONENT_LABELS, MIN_SCORE, WEAK_SCORE, Finding, Match

if TYPE_CHECKING:
    from casebook.search.finder import Query

STRONG_SCORE = 0.6  # a precedent at least this close is called 较强
THIN_TEXT = 0.1  # a best match sharing less text than this (cosine) rests on the facets alone

# The words that are no vocabulary of schema/vocabularies.yaml (whose labels the page gets with the vocabularies).
LABELS: dict[str, dict[str, str]] = {
    "strength": {"strong": "较强", "fair": "一般", "weak": "较弱"},
    # what a facet read from the text is called (the facets' own titles, schema/facets.py)
    "facets": {
        "kind": "案件类型",
        "distinction": DISTINCTION.title,
        "domain": DOMAIN.title,
        "role": ROLE.title,
        "level": LEVEL.title,
        "rules": RULE.title,
    },
    "kinds": KINDS,
    "bases": BASES,
}

WORDING: dict[str, str] = {
    # what was read from the description
    "facet.looks": "六看 {factor}",
    "facet.distinction": "{title} {distinction}",
    "unknown_value": "未说明",
    "unknown_kind": "不明",
    "read.none": "从描述中没有读出案件要素（可用 --factor、--distinction 等补充）。",
    "read.head": "从描述中读出的要素（据文字推断，可用 --factor、--distinction 或草稿字段更正）：",
    "read.row": "  {label}：{value}{phrases}",
    "read.phrases": "（据 {phrases}）",
    "read.truncated": "  描述很长，只读取了前 {limit} 字。",
    # what cannot be tolerated: said first
    "exclusion.head": "不予容错的情形：描述涉及公开的容错纠错办法排除在容错之外的情形——{labels}。"
    "有这类情形的，不论动机如何，先例中的“予以容错”都不能作为参照。",
    "exclusion.item": "{label}（据描述中的 {phrases}）",
    "exclusion.source": "{rule}{article}（{basis}）：{reading} {url}",
    # why a precedent is close
    "why": "{label} {value}{detail}",
    "why.text": "（关键词余弦 {cosine}）",
    "why.kind": "（先例为{kind}）",
    "why.sides": "（{sides}）",
    "why.looks": "（比较 {compared} 项{opposite}）",
    "why.domain": "（均为{domain}）",
    "why.rules": "（均违反{rules}）",
    "why.exclusion.shared": "（均涉及{labels}）",
    "why.exclusion.tolerated": "（本案涉及{labels}，先例予以容错）",
    "why.exclusion.accountable": "（先例涉及{labels}并被问责，本案未见这类情形）",
    "why.exclusion.excluded_side": "（先例同在不可容错一侧）",
    "side.same": "{name} 同侧（均在{side}）",
    "side.opposite": "{name} 相反（本案在{mine}，先例在{theirs}）",
    "side.only_query": "{name} 仅本案涉及（{mine}）",
    "side.only_precedent": "{name} 仅先例涉及（{theirs}）",
    "side.unclear": "{name} 双方均涉及，侧别不明",
    "side.unknown": "侧别不明",
    "looks.summary": "六看 {same}/{factors} 相同",
    "looks.opposite": "，{count} 项相反",
    "looks.row": "{factor} {mine}/{theirs} {verdict}",
    "score": "相似度 {score}（{strength}）",
    # how far the precedents can be trusted
    "outcomes.head": "前 {n} 个先例的处理结果：{parts}。",
    "outcomes.part": "{group} {count} 个（按相似度加权 {share}，{close}）",
    "outcomes.close_one": "相似度 {high}",
    "outcomes.close_range": "相似度 {high}–{low}",
    "outcomes.no_vote": "没有哪一种结果占优。",
    "outcomes.consistent": "多数为“{group}”，较为一致。",
    "outcomes.more": "“{group}”稍多，但并不一致。",
    "outcomes.scattered": "结果分散，“{group}”只是相对较多。",
    "outcomes.thin": "这些先例与本案相似的依据不足，不能据此判断本案的处理结果。",
    "outcomes.excluded": "“{group}”的先例较多，但描述涉及不予容错的情形，这些先例不能说明本案可以容错。",
    "note.none": "检索范围内没有可以作为参照的先例（所有案例的相似度都低于 {floor}）。",
    "note.weak": "最相似的先例相似度只有 {best}（低于 {weak}）：本库中没有与本案接近的先例，"
    "下列先例只能作一般了解，不宜作为参照。",
    "note.thin": "最相似的先例与描述共同的文字很少（关键词余弦 {cosine}），"
    "排序主要依据案件类型、六看等较常见的要素，依据较弱。",
    "note.side": "描述指向{side}（{why}），但{where}没有落在这一侧的先例；所列先例的处理结果不能说明本案会怎样处理。",
    "note.side.why_read": "见读出的三个区分开来",
    "note.side.why_excluded": "涉及不予容错的情形",
    "note.side.listed": "所列先例中",
    "note.side.corpus": "本库中",
    "scope": "在{scope}中检索，按相似度列出前 {n} 个先例。先例仅供参考，不代替集体研究决定。",
    # how the score is made (the report's method section; one step a line after the first)
    "method": "相似度由文字和案件要素两方面的证据累加而成（0 至 1，越大越相似），"
    "每项证据按它在本库中区分案例的能力计分：\n"
    "- 信息量：某一取值（案件类型、工作领域、三个区分开来的某一侧、六看某因素的某一取值、某一规定、不予容错情形等）"
    "的信息量为 ln((N+1)/(n+1))，N 为本库案例数，n 为具有该取值的案例数；几乎每个案例都有的取值信息量接近 0，"
    "相同也说明不了什么，少见的取值相同才是有力的证据；\n"
    "- 文本相似：案情等文字分词后（去掉数字、化名、规定名称碎片和套话；同义词表中同一组的词视为同一个词），"
    "按 BM25 权重取关键词，计算关键词向量的余弦相似度；\n"
    "- 三个区分开来：同一区分同侧按该侧的信息量加分，相反侧扣分（最有力的反向证据），一方侧别不明加一半；\n"
    "- 六看：只比较双方都写明的因素（写作“六看 k/6 相同”），相同按该取值的信息量加分，有利与不利相反扣分；\n"
    "- 不予容错情形：双方涉及同一情形按其信息量加分；一方涉及而另一方予以容错（或描述未涉及而先例因此被问责）扣分；\n"
    "- 工作领域、违反的规定、身份职级：相同按其信息量加分，不同不计；描述未涉及的要素不计；\n"
    "- 各项证据相加得 E，相似度 = E ÷（E + 尺度）：证据少时相似度自然偏低，不会按比例放大。"
    "相似度低于 {floor} 的案例不列为先例，最相似的先例低于 {weak} 时注明“相似先例较弱”。",
    "different": "结果不同的最近先例：{title}（{outcome}，编号 {id}，相似度 {score}）",
    "different.none": "结果不同的最近先例：检索范围内没有相似度够得上的、结果不同的先例。",
}
SEPARATOR = "；"


def say(key: str, **values: object) -> str:
    """One sentence of :data:`WORDING` with its placeholders filled (the page's ``say`` does the same)."""
    return WORDING[key].format(**values)


def number(x: float) -> str:
    return f"{x:.2f}"


def signed(x: float) -> str:
    return f"{x:+.2f}"


def percent(x: float) -> str:
    return f"{x:.0%}"


def _quoted(phrases: list[str], limit: int = 4) -> str:
    return "、".join(f"“{p}”" for p in phrases[:limit])


def _outcome(record: Record) -> str:
    return vocab.label("outcomes", record.outcome) if record.outcome else "未知"


def _group(group: str) -> str:
    return vocab.label("outcome_groups", group)


def _side(side: str | None) -> str:
    """A side of a distinction as readers see it; a side not known says so."""
    return vocab.label("distinction_sides", side) if side else WORDING["side.unknown"]


def look_label(value: str) -> str:
    """A six-looks finding as readers see it (有利 or 不利 …)."""
    return vocab.label("factor_values", value)


def _labels(circumstances: list[str] | tuple[str, ...]) -> str:
    found = exclusions()
    return "、".join(found.get(c).label for c in circumstances)


# --- what cannot be tolerated -----------------------------------------------


def exclusion_lines(query: Query) -> list[str]:
    """The circumstances that cannot be tolerated the description holds, each with its sources: said first."""
    read = query.record.exclusions
    if not read:
        return []
    found = exclusions()
    items = [
        say("exclusion.item", label=found.get(c).label, phrases=_quoted(query.reading.exclusions[c])) for c in read
    ]
    lines = [say("exclusion.head", labels="、".join(items))]
    for circumstance in read:
        for source in found.get(circumstance).sources:
            lines.append("  " + say("exclusion.source", **_source_values(source)))
    return lines


def _source_values(source: Any) -> dict[str, str]:
    return {
        "rule": source.rule,
        "article": source.article,
        "basis": LABELS["bases"][source.basis],
        "reading": source.reading,
        "url": source.url,
    }


def exclusions_json(query: Query) -> list[dict[str, Any]]:
    found = exclusions()
    return [
        {
            "id": c,
            "label": found.get(c).label,
            "phrases": query.reading.exclusions[c],
            "sources": [vars(s) for s in found.get(c).sources],
        }
        for c in query.record.exclusions
    ]


# --- why a precedent is close ---------------------------------------------


def side_line(match: Match) -> str:
    """Which distinctions the two share, and on which sides they fell."""
    out = []
    for c in match.sides:
        name = vocab.short_label("distinctions", c.distinction)
        key = {"同侧": "same", "相反": "opposite", "仅本案涉及": "only_query", "仅先例涉及": "only_precedent"}
        verdict = key.get(c.verdict, "unclear")
        out.append(
            say(f"side.{verdict}", name=name, side=_side(c.query), mine=_side(c.query), theirs=_side(c.precedent))
        )
    return SEPARATOR.join(out)


def looks_summary(match: Match) -> str:
    """六看 k/6 相同: k of the six factors the same (compared only where both state them)."""
    return say("looks.summary", same=match.looks_same, factors=len(match.looks))


def looks_detail(match: Match) -> str:
    opposite = sum(1 for c in match.looks if c.verdict == "相反")
    return say(
        "why.looks",
        compared=match.looks_compared,
        opposite=say("looks.opposite", count=opposite) if opposite else "",
    )


def _exclusion_detail(match: Match, query_exclusions: tuple[str, ...]) -> str:
    record = match.record
    if match.shared_exclusions:
        return say("why.exclusion.shared", labels=_labels(match.shared_exclusions))
    group = vocab.outcome_group(record.outcome) if record.outcome else None
    if query_exclusions and group == "tolerated":
        return say("why.exclusion.tolerated", labels=_labels(query_exclusions))
    if query_exclusions and record.lean == "not_tolerated":
        return say("why.exclusion.excluded_side")
    if not query_exclusions and record.exclusions:
        return say("why.exclusion.accountable", labels=_labels(record.exclusions))
    return ""


def why(match: Match, query_exclusions: tuple[str, ...] = ()) -> list[str]:
    """The evidence of each component, one short phrase each (signed: what it adds or takes away)."""
    reasons = []
    for name, value in match.parts.items():
        detail = ""
        if name == "text":
            detail = say("why.text", cosine=number(match.text))
        if name == "kind":
            detail = say("why.kind", kind=KINDS.get(match.record.kind or "", "类型不明"))
        if name == "distinctions" and match.sides:
            detail = say("why.sides", sides=side_line(match))
        label = COMPONENT_LABELS[name]
        if name == "looks":
            label, detail = looks_summary(match), looks_detail(match)
        if name == "domain" and match.same_domain:
            detail = say("why.domain", domain=vocab.label("domains", match.record.domain or ""))
        if name == "rules" and match.shared_rules:
            detail = say("why.rules", rules="、".join(match.shared_rules))
        if name == "exclusion":
            detail = _exclusion_detail(match, query_exclusions)
        reasons.append(say("why", label=label, value=signed(value), detail=detail))
    return reasons


def looks_line(match: Match) -> str:
    return SEPARATOR.join(
        say(
            "looks.row",
            factor=vocab.label("factors", c.factor),
            mine=look_label(c.query),
            theirs=look_label(c.precedent),
            verdict=c.verdict,
        )
        for c in match.looks
        if c.query != "unknown" or c.precedent != "unknown"
    )


def strength_label(match: Match) -> str:
    """How close a precedent is, in words (strong only for one that also shares the description's words, if any)."""
    words = "text" not in match.parts or match.text >= THIN_TEXT
    key = "strong" if match.score >= STRONG_SCORE and words else "fair" if match.score >= WEAK_SCORE else "weak"
    return LABELS["strength"][key]


def score_line(match: Match) -> str:
    return say("score", score=number(match.score), strength=strength_label(match))


# --- what was read from the description ------------------------------------


def _facet_label(facet: str) -> str:
    head, _, tail = facet.partition(".")
    if head == "looks":
        return say("facet.looks", factor=vocab.label("factors", tail))
    if head == "distinction":
        return say(
            "facet.distinction",
            title=LABELS["facets"]["distinction"],
            distinction=vocab.short_label("distinctions", tail),
        )
    return LABELS["facets"][facet]


def _facet_value(record: Record, facet: str) -> str:
    head, _, tail = facet.partition(".")
    if head == "looks":
        return look_label(record.looks.get(tail, "unknown"))
    if head == "distinction":
        return _side(dict(record.distinctions or ()).get(tail))
    if facet == "kind":
        return KINDS.get(record.kind or "", WORDING["unknown_kind"])
    if facet == "rules":
        return "、".join(record.rules)
    vocabulary = {"domain": "domains", "role": "roles", "level": "levels"}[facet]
    value = getattr(record, facet)
    return vocab.label(vocabulary, value) if value else WORDING["unknown_value"]


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
        return [say("read.none")]
    lines = [say("read.head")]
    for row in rows:
        phrases = say("read.phrases", phrases=_quoted(row["phrases"])) if row["phrases"] else ""
        lines.append(say("read.row", label=row["label"], value=row["value"], phrases=phrases))
    if query.truncated:
        lines.append(say("read.truncated", limit=LONGEST_DESCRIPTION))
    return lines


# --- how far the precedents can be trusted ---------------------------------


def strength(finding: Finding) -> str:
    """The outcome distribution in words: how many, how much of the similarity, how close, and how firmly.

    较为一致 needs three or more precedents of the group at least fairly close (``WEAK_SCORE``);
    a ranking that rests on little says so (依据不足); a description excluded from tolerance is
    never told that tolerated precedents agree.
    """
    if not finding.matches:
        return ""
    parts = []
    for share in finding.distribution:
        high, low = share.scores
        close = (
            say("outcomes.close_one", high=number(high))
            if share.count == 1
            else say("outcomes.close_range", high=number(high), low=number(low))
        )
        group = _group(share.group)
        parts.append(say("outcomes.part", group=group, count=share.count, share=percent(share.weighted), close=close))
    line = say("outcomes.head", n=len(finding.matches), parts=SEPARATOR.join(parts))
    top = next((g for g in finding.distribution if g.group == finding.vote), finding.distribution[0])
    firm = sum(
        1
        for m in finding.matches
        if m.score >= WEAK_SCORE and vocab.outcome_group(m.record.outcome or "") == finding.vote
    )
    if finding.weak:
        return line + say("outcomes.thin")
    if finding.vote is None:
        return line + say("outcomes.no_vote")
    if finding.vote == "tolerated" and finding.query_lean == "not_tolerated":
        return line + say("outcomes.excluded", group=_group(finding.vote))
    if top.weighted >= 0.75 and firm >= 3:
        return line + say("outcomes.consistent", group=_group(finding.vote))
    if top.weighted >= 0.5:
        return line + say("outcomes.more", group=_group(finding.vote))
    return line + say("outcomes.scattered", group=_group(finding.vote))


def honesty_notes(finding: Finding, has_text: bool = True) -> list[str]:
    """Plain sentences on what the precedents cannot tell."""
    notes = []
    if not finding.matches:
        notes.append(say("note.none", floor=number(MIN_SCORE)))
    elif finding.weak:
        notes.append(say("note.weak", best=number(finding.best), weak=number(WEAK_SCORE)))
    elif has_text and finding.matches[0].text < THIN_TEXT:
        notes.append(say("note.thin", cosine=number(finding.matches[0].text)))
    if finding.query_lean and not finding.side_listed:
        why_key = "note.side.why_excluded" if finding.exclusions else "note.side.why_read"
        where = say("note.side.listed") if finding.side_in_corpus else say("note.side.corpus")
        notes.append(say("note.side", side=_side(finding.query_lean), why=say(why_key), where=where))
    return notes


def similar_text(finding: Finding, scope: str, query: Query | None = None) -> str:
    lines = []
    if query is not None:
        lines += exclusion_lines(query)
        lines += [*reading_text(query), ""]
    lines.append(say("scope", scope=scope, n=len(finding.matches)))
    has_text = query is None or bool(query.text.strip())
    lines += [f"注意：{note}" for note in honesty_notes(finding, has_text)]
    for n, match in enumerate(finding.matches, start=1):
        record = match.record
        lines.append(f"\n{n}. {record.title}  {score_line(match)}")
        lines.append(
            f"   编号 {record.id} · 处理结果：{_outcome(record)} · {record.region or '地区未标明'} · {record.year} 年"
        )
        lines.append("   相似之处：" + " · ".join(why(match, finding.exclusions)))
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
        lines.append(different_line(finding.nearest_different))
    elif finding.matches and finding.vote:
        lines.append(say("different.none"))
    return "\n".join(lines)


def different_line(other: Match) -> str:
    record = other.record
    return say("different", title=record.title, outcome=_outcome(record), id=record.id, score=number(other.score))


def match_json(match: Match, query_exclusions: tuple[str, ...] = ()) -> dict[str, Any]:
    record = match.record
    return {
        "id": record.id,
        "title": record.title,
        "outcome": record.outcome,
        "outcome_label": _outcome(record),
        "outcome_group": vocab.outcome_group(record.outcome or ""),
        "kind": record.kind,
        "score": round(match.score, 4),
        "strength": strength_label(match),
        "components": {k: round(v, 4) for k, v in match.parts.items()},
        "text_similarity": round(match.text, 4),
        "why": why(match, query_exclusions),
        "shared_terms": match.shared_terms,
        "shared_distinctions": match.shared_distinctions,
        "sides": [
            {"distinction": c.distinction, "query": c.query, "precedent": c.precedent, "verdict": c.verdict}
            for c in match.sides
        ],
        "shared_rules": match.shared_rules,
        "same_domain": match.same_domain,
        "exclusions": list(record.exclusions),
        "shared_exclusions": match.shared_exclusions,
        "six_looks": [
            {"factor": c.factor, "query": c.query, "precedent": c.precedent, "verdict": c.verdict} for c in match.looks
        ],
        "six_looks_same": match.looks_same,
        "six_looks_compared": match.looks_compared,
        "key_point": record.key_point,
        "region": record.region,
        "year": record.year,
    }


def similar_json(finding: Finding, query: Query | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if query is not None:
        record = query.record
        data["exclusions"] = exclusions_json(query)
        data["query"] = {
            "kind": record.kind,
            "distinctions": [{"distinction": d, "side": side} for d, side in record.distinctions or ()],
            "lean": record.lean,
            "six_looks": record.looks,
            "domain": record.domain,
            "role": record.role,
            "level": record.level,
            "rules": list(record.rules),
            "exclusions": list(record.exclusions),
            "read_from_text": read_facets(query),
            "truncated": query.truncated,
        }
    has_text = query is None or bool(query.text.strip())
    data.update(
        {
            "matches": [match_json(m, finding.exclusions) for m in finding.matches],
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
            "best_strength": strength_label(finding.matches[0]) if finding.matches else None,
            "weak": finding.weak,
            "side": {"query": finding.query_lean, "listed": finding.side_listed, "in_corpus": finding.side_in_corpus},
            "notes": honesty_notes(finding, has_text),
            "nearest_different": (
                match_json(finding.nearest_different, finding.exclusions) if finding.nearest_different else None
            ),
            "candidates": finding.candidates,
        }
    )
    return data
