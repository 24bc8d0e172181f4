"""Full-text search over the index: BM25F ranking, highlighted fragments, facet counts, filters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from whoosh import highlight, qparser, sorting
from whoosh.query import And, Every, Or, Query, Term

from casebook.search.index import CaseIndex

SEARCH_FIELDS = ("title", "subtitle", "keywords", "key_point", "rules", "facts", "body")
FACET_FIELDS = ("outcome", "distinction", "domain", "region", "year")
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


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _filter(filters: Mapping[str, Sequence[str]], include_internal: bool) -> Query | None:
    """Values of one facet are alternatives (OR); different facets must all hold (AND)."""
    clauses: list[Query] = [Or([Term(name, value) for value in values]) for name, values in filters.items() if values]
    if not include_internal:
        clauses.append(Term("visibility", "public"))
    return And(clauses) if clauses else None


def parse(index: CaseIndex, text: str) -> Query:
    """Words combined with OR (an AND of jieba's overlapping tokens finds too little), ranked by BM25F."""
    if not text.strip():
        return Every()
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), index.whoosh.schema, group=qparser.OrGroup)
    return parser.parse(text)


def search(
    index: CaseIndex,
    text: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    *,
    limit: int = 10,
    include_internal: bool = False,
) -> SearchResult:
    """Search the cases for ``text`` within ``filters`` (facet → accepted values)."""
    query = parse(index, text)
    facets = {name: sorting.FieldFacet(name, allow_overlap=name == "distinction") for name in FACET_FIELDS}
    with index.whoosh.searcher() as searcher:
        browse = isinstance(query, Every)  # no words: list the newest cases first
        results = searcher.search(
            query,
            filter=_filter(filters or {}, include_internal),
            limit=limit,
            groupedby=facets,
            sortedby="published" if browse else None,
            reverse=browse,
        )
        results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=40)
        results.formatter = _Brackets()
        hits = [
            Hit(
                id=hit["id"],
                title=hit["title"],
                outcome=hit["outcome"],
                domain=hit["domain"],
                region=hit["region"],
                year=hit["year"],
                state=hit["state"],
                visibility=hit["visibility"],
                path=hit["path"],
                score=0.0 if browse else round(hit.score or 0.0, 4),
                fragments=" ".join(
                    next((f for name in HIGHLIGHT_FIELDS if (f := hit.highlights(name, top=2))), "").split()
                ),
            )
            for hit in results[:limit]
        ]
        counts = {
            name: sorted(((value, len(docs)) for value, docs in results.groups(name).items()), key=lambda kv: -kv[1])
            for name in FACET_FIELDS
        }
        total = len(results)
    return SearchResult(text, total, hits, counts)
