"""Full-text search over the index: BM25F ranking in tiers, highlighted fragments, facet counts, filters.

A query is read as the site's search page reads it (``search.tiers``: typed
words, their parts, phrases and thesaurus equivalents, over the index's own
terms), not by jieba, so that the command line and the page look up the same
terms and rank in the same tiers. Whoosh finds the cases, scores them (BM25F)
and keeps where each term stands (its sentence and offset), from which
phrases and parts standing together are read.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh import sorting
from whoosh.query import And, ConstantScoreQuery, Every, NullQuery, Or, Query, Term
from whoosh.reading import IndexReader

from casebook.schema.facets import Facet, search_facets
from casebook.schema.thesaurus import thesaurus
from casebook.search.analysis import pick_snippet, snippet
from casebook.search.fields import SEARCH_FIELDS
from casebook.search.index import CaseIndex
from casebook.search.segment import Lookup
from casebook.search.tiers import (
    Found,
    Holding,
    Places,
    Typed,
    find_phrases,
    holding,
    scoring_terms,
    snippet_passes,
    typed_words,
)
from casebook.search.tokenize import FIELD_SHIFT


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
    matched: int = 0  # how many of the typed words the case holds (whole or through their parts)
    tier: int = 0  # 1: every typed word whole; 2: every word, some only through parts; 3: the rest (0: no query)
    held: list[str | None] = field(default_factory=list)  # per typed word: whole, equivalent, parts or None
    equivalents: list[str | None] = field(default_factory=list)  # per typed word: the equivalent found
    fragments_from: str = ""  # the field the fragments come from, as the page names it (案情, 要旨 …)


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # per facet id, values by count
    words: list[str] = field(default_factory=list)  # the typed words that count, as the search page shows them
    typed: list[Typed] = field(default_factory=list)  # every typed word, read (search.tiers)
    tiers: dict[int, int] = field(default_factory=dict)  # cases found per tier
    found: dict[str, int] = field(default_factory=dict)  # per phrase or equivalent looked for, the cases holding it


def _filter(filters: Mapping[str, Sequence[str]], include_internal: bool) -> Query | None:
    """Values of one facet are alternatives (OR); different facets must all hold (AND)."""
    clauses: list[Query] = [Or([Term(name, value) for value in values]) for name, values in filters.items() if values]
    if not include_internal:
        clauses.append(Term("visibility", "public"))
    return And(clauses) if clauses else None


@dataclass(frozen=True)
class Parsed:
    query: Query
    typed: list[Typed]  # the query's typed words (search.tiers)

    @property
    def words(self) -> list[str]:
        """The typed words that count (a case holding all of them ranks first)."""
        return [w.text for w in self.typed if w.counts]


def parse(index: CaseIndex, text: str, include_internal: bool = False) -> Parsed:
    """The query's terms in every search field, combined with OR and ranked by BM25F.

    The terms are those the search page looks up (``search.tiers``); a query
    whose words the index does not hold finds nothing but the phrases it holds.
    """
    if not text.strip():
        return Parsed(Every(), [])
    typed = typed_words(text, index.known(include_internal), thesaurus().equivalents)
    terms = scoring_terms(typed)
    query = Or([Term(name, term) for term in terms for name in SEARCH_FIELDS]) if terms else NullQuery
    return Parsed(query, typed)


class _Places:
    """Where each term stands in the Whoosh index: {docnum: sorted places}, a place carrying its field's number."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self.read: dict[str, Places] = {}

    def __call__(self, term: str) -> Places:
        if term not in self.read:
            found: dict[int, list[int]] = defaultdict(list)
            for k, name in enumerate(SEARCH_FIELDS):
                if (name, term) not in self.reader:
                    continue
                matcher = self.reader.postings(name, term)
                while matcher.is_active():
                    found[matcher.id()] += [k << FIELD_SHIFT | place for place in matcher.value_as("positions")]
                    matcher.next()
            self.read[term] = {doc: sorted(set(places)) for doc, places in found.items()}
        return self.read[term]


class _Scores:
    """Each scoring term's BM25F score in each case (summed over the fields, as Whoosh scores an OR of them)."""

    def __init__(self, searcher: Any, terms: Sequence[str]) -> None:
        self.by_term: dict[str, dict[int, float]] = {}
        for term in terms:
            found = searcher.search(Or([Term(name, term) for name in SEARCH_FIELDS]), limit=None)
            self.by_term[term] = {hit.docnum: hit.score or 0.0 for hit in found}

    def of(self, docnum: int) -> Callable[[str], float]:
        return lambda term: self.by_term.get(term, {}).get(docnum, 0.0)


def search(
    index: CaseIndex,
    text: str,
    filters: Mapping[str, Sequence[str]] | None = None,
    *,
    limit: int = 10,
    include_internal: bool = False,
) -> SearchResult:
    """Search the cases for ``text`` within ``filters`` (facet id → accepted values, children as ``江苏省/淮安市``).

    Cases rank in the tiers of ``search.tiers`` (then newest first). The facets
    counted are the search page's (``schema.facets``), 公开范围 only with the
    internal cases.
    """
    parsed = parse(index, text, include_internal)
    listed = search_facets(include_internal)
    facets = {facet.id: sorting.FieldFacet(facet.id, allow_overlap=True) for facet in listed}
    browse = isinstance(parsed.query, Every)  # no words: list the newest cases first
    with index.whoosh.searcher() as searcher:
        places = _Places(searcher.reader())
        found = find_phrases(parsed.typed, places)
        query = parsed.query
        phrase_docs = sorted({doc for counts in found.values() for doc in counts})
        if phrase_docs:  # cases holding a phrase and none of the terms: found, scored by their phrases alone
            ids = [Term("id", searcher.stored_fields(doc)["id"]) for doc in phrase_docs]
            query = Or([*([] if query is NullQuery else [query]), ConstantScoreQuery(Or(ids), 0.0)])
        results = searcher.search(
            query,
            filter=_filter(filters or {}, include_internal),
            limit=limit if browse else None,
            groupedby=facets,
            sortedby="published" if browse else None,
            reverse=browse,
        )
        ranked: list[tuple[Any, Holding | None]] = [(hit, None) for hit in results]
        if not browse:
            scores = _Scores(searcher, scoring_terms(parsed.typed))
            ranked = [*_ranked(results, parsed.typed, found, places, scores)]
        known = index.known(include_internal)
        hits = [_hit(hit, held, snippet_passes(parsed.typed, found, hit.docnum), known) for hit, held in ranked[:limit]]
        counts = {facet.id: _by_count(facet, results.groups(facet.id)) for facet in listed}
        total = len(results)
        tiers: dict[int, int] = defaultdict(int)
        for _, held in ranked:
            if held is not None:
                tiers[held.tier] += 1
        # Only the cases listed count: an internal case must not show through a public query's messages.
        looked = {phrase: sum(1 for hit, _ in ranked if hit.docnum in cases) for phrase, cases in found.items()}
    return SearchResult(text, total, hits, counts, parsed.words, parsed.typed, dict(tiers), looked)


def _hit(hit: Any, held: Holding | None, passes: Sequence[tuple[list[str], list[str]]], known: Lookup) -> Hit:
    label, fragments = snippet(*pick_snippet(json.loads(hit["sections"]), passes if held else [], known))
    return Hit(
        id=hit["id"],
        title=hit["title"],
        outcome=hit["outcome"],
        domain=hit["domain"],
        region=hit["region"].split(",")[0],  # the province (its city follows)
        year=hit["year"],
        state=hit["state"],
        visibility=hit["visibility"],
        path=hit["path"],
        score=0.0 if held is None else round(held.score, 4),
        fragments=fragments,
        matched=0 if held is None else held.held,
        tier=0 if held is None else held.tier,
        held=[] if held is None else list(held.ways),
        equivalents=[] if held is None else list(held.forms),
        fragments_from=label,
    )


def _by_count(facet: Facet, groups: Mapping[str, Sequence[int]]) -> list[tuple[str, int]]:
    """Values by number of cases, ties in the facet's order; children stay in the list (``江苏省/淮安市``)."""
    order = {key: n for n, key in enumerate(facet.ordered(groups))}
    return sorted(((value, len(docs)) for value, docs in groups.items()), key=lambda kv: (-kv[1], order[kv[0]]))


def _ranked(
    results: Any, typed: Sequence[Typed], found: Found, places: _Places, scores: _Scores
) -> list[tuple[Any, Holding]]:
    """Each hit with how it holds the typed words, in the order of the tiers, then newest first."""
    ranked = [(hit, holding(typed, hit.docnum, scores.of(hit.docnum), found, places)) for hit in results]
    ranked.sort(key=lambda pair: (pair[0]["published"], pair[0]["id"]), reverse=True)  # the tie-break: newest first
    ranked.sort(key=lambda pair: pair[1].key())
    return ranked
