"""Full-text search over the index: BM25F ranking, highlighted fragments, facet counts, filters.

A query is segmented as the site's search page segments it (``search.segment``:
maximum matching over the index's own terms), not by jieba, so that the
command line and the page look up the same terms. Every case holding one of
the terms is found; cases holding all of the query's words rank first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from whoosh import highlight, sorting
from whoosh.query import And, Every, NullQuery, Or, Query, Term

from casebook.schema.facets import Facet, search_facets
from casebook.schema.text import unwrap
from casebook.search.index import CaseIndex
from casebook.search.segment import query_heads, query_terms, rank_key, segment

SEARCH_FIELDS = ("title", "subtitle", "keywords", "key_point", "rules", "facts", "body")
HIGHLIGHT_FIELDS = ("facts", "key_point", "title", "rules")


class _Brackets(highlight.Formatter):
    """Marks matched terms as 【…】: readable in a terminal, in JSON and in Chinese text."""

    between = "…"

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"【{highlight.get_text(text, token, replace)}】"


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    outcome: str
    domain: str
    region: str
    year: str
    state: str
    visibility: str
    path: str
    score: float
    fragments: str
    matched: int = 0  # how many of the query's words the case holds


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # per facet id, values by count
    words: list[str] = field(default_factory=list)  # the query's words, as the search page shows them


def _filter(filters: Mapping[str, Sequence[str]], include_internal: bool) -> Query | None:
    """Values of one facet are alternatives (OR); different facets must all hold (AND)."""
    clauses: list[Query] = [Or([Term(name, value) for value in values]) for name, values in filters.items() if values]
    if not include_internal:
        clauses.append(Term("visibility", "public"))
    return And(clauses) if clauses else None


@dataclass(frozen=True)
class Parsed:
    query: Query
    words: list[str]  # the query's words (index terms; a case holding all of them ranks first)


def parse(index: CaseIndex, text: str, include_internal: bool = False) -> Parsed:
    """The query's terms in every search field, combined with OR and ranked by BM25F.

    The terms are those the search page looks up (``search.segment``); words
    the index does not hold are dropped, and a query of such words only finds
    nothing.
    """
    if not text.strip():
        return Parsed(Every(), [])
    known = index.known(include_internal)
    words = segment(text, known)
    terms = query_terms(words, known)
    if not terms:
        return Parsed(NullQuery, [])
    return Parsed(Or([Term(name, term) for term in terms for name in SEARCH_FIELDS]), query_heads(words, known))


def _matched(hit: object, words: Sequence[str]) -> int:
    held = {t.decode("utf-8") if isinstance(t, bytes) else t for _, t in hit.matched_terms()}  # type: ignore[attr-defined]
    return sum(1 for word in words if word in held)


def search(
    index: CaseIndex,
    text: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    *,
    limit: int = 10,
    include_internal: bool = False,
) -> SearchResult:
    """Search the cases for ``text`` within ``filters`` (facet id → accepted values, children as ``江苏省/淮安市``).

    Cases holding all of the query's words come first, then those holding
    fewer, each group by score (then newest first). The facets counted are the
    search page's (``schema.facets``), 公开范围 only with the internal cases.
    """
    parsed = parse(index, text, include_internal)
    listed = search_facets(include_internal)
    facets = {facet.id: sorting.FieldFacet(facet.id, allow_overlap=True) for facet in listed}
    with index.whoosh.searcher() as searcher:
        browse = isinstance(parsed.query, Every)  # no words: list the newest cases first
        results = searcher.search(
            parsed.query,
            filter=_filter(filters or {}, include_internal),
            limit=limit if browse else None,
            groupedby=facets,
            sortedby="published" if browse else None,
            reverse=browse,
            terms=not browse,
        )
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=40)
        results.formatter = _Brackets()
        hits = [
            Hit(
                id=hit["id"],
                title=hit["title"],
                outcome=hit["outcome"],
                domain=hit["domain"],
                region=hit["region"].split(",")[0],  # the province (its city follows)
                year=hit["year"],
                state=hit["state"],
                visibility=hit["visibility"],
                path=hit["path"],
                score=0.0 if browse else round(hit.score or 0.0, 4),
                fragments=unwrap(next((f for name in HIGHLIGHT_FIELDS if (f := hit.highlights(name, top=2))), "")),
                matched=0 if browse else _matched(hit, parsed.words),
            )
            for hit in _ranked(results, parsed.words, browse)[:limit]
        ]
        counts = {facet.id: _by_count(facet, results.groups(facet.id)) for facet in listed}
        total = len(results)
    return SearchResult(text, total, hits, counts, parsed.words)


def _by_count(facet: Facet, groups: Mapping[str, Sequence[int]]) -> list[tuple[str, int]]:
    """Values by number of cases, ties in the facet's order; children stay in the list (``江苏省/淮安市``)."""
    order = {key: n for n, key in enumerate(facet.ordered(groups))}
    return sorted(((value, len(docs)) for value, docs in groups.items()), key=lambda kv: (-kv[1], order[kv[0]]))


def _ranked(results: object, words: Sequence[str], browse: bool) -> list:  # type: ignore[type-arg]
    """Hits with more of the query's words first, then by score, then newest first."""
    hits = list(results)  # type: ignore[call-overload]
    if browse:
        return hits
    hits.sort(key=lambda h: (h["published"], h["id"]), reverse=True)  # the tie-break: newest first
    return sorted(hits, key=lambda h: rank_key(_matched(h, words), round(h.score or 0.0, 4), 0))
