"""Each case's similar cases, as its page shows them: the precedent finder's ranking and a reason a reader can check.

The lists are cached under a hash of every record they are computed from
(a :class:`~casebook.schema.cache.ContentCache` whose version is this
module and the finder's scorer), so an unchanged corpus is not ranked again.
"""

from __future__ import annotations

from pathlib import Path

from casebook.builder.generate import edition_cases
from casebook.builder.render import Neighbour
from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from casebook.schema.cache import ContentCache, code_version
from casebook.search import Precedents, TermCache, record_of, record_text, records_signature

SHOWN = 5  # similar cases on a case page


def similar_lists(cases: list[Case], edition: str, cache_dir: Path) -> dict[str, list[Neighbour]]:
    """Each case's most similar cases in ``edition``, by the precedent finder's own function."""
    terms = TermCache(cache_dir / "terms.json")
    shown = edition_cases(cases, edition)
    terms.fill([record_text(case) for case in shown])
    records = [record_of(case, cache=terms) for case in shown]
    terms.save()
    store = ContentCache(cache_dir / f"similar-{edition}.json", code_version(__name__, "casebook.search.similar"))
    key = records_signature(records)
    by_id = {case.id: case for case in cases}
    lists = store.get(key)
    if lists is None:
        found = Precedents(records).neighbours(SHOWN, include_internal=True)
        lists = {
            case_id: [(other, similarity_reason(by_id[case_id], by_id[other])) for other, _, _ in ranked]
            for case_id, ranked in found.items()
        }
        store.put(key, lists)
    store.save()
    return {
        case_id: [Neighbour(by_id[other], reason) for other, reason in found if other in by_id]
        for case_id, found in lists.items()
    }


def similarity_reason(case: Case, other: Case) -> str:
    """Why ``other`` is shown beside ``case``, in terms a reader can check on both pages.

    The distinction and side both fall on, the six looks found the same way,
    the same field of work and shared keywords; raw scores mean nothing to a reader.
    """
    reasons = []
    sides = {(d.distinction, d.side) for d in other.distinctions}
    shared = [d for d in case.distinctions if (d.distinction, d.side) in sides]
    if shared:
        named = "、".join(
            f"{vocab.short_label('distinctions', d.distinction)}\uff08{vocab.label('distinction_sides', d.side)}\uff09"
            for d in shared
        )
        reasons.append(f"同属“{named}”")
    looks = [
        vocab.label("factors", factor)
        for factor in vocab.ids("factors")
        if (mine := case.six_looks.get(factor))
        and (theirs := other.six_looks.get(factor))
        and mine.value == theirs.value != "unknown"
    ]
    if looks:
        reasons.append("六看中" + "、".join(looks[:3]) + ("等" if len(looks) > 3 else "") + "认定相同")
    if case.domain == other.domain:
        reasons.append(f"同属{vocab.label('domains', case.domain)}领域")
    words = [word for word in case.keywords if word in other.keywords]
    if words:
        reasons.append("共同关键词：" + "、".join(words[:3]))
    return "\uff1b".join(reasons) or "案情文字相近"
