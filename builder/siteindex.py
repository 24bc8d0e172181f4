"""The site's own search index: written at build time from the validated corpus, read in the browser.

The browser cannot run jieba, so the index carries jieba's terms and the
browser only looks them up. Every file is a small script that hands its data
to ``window.__casebookSearch(name, data)``: loaded by ``<script>`` tags, it
works from a file copy too (browsers refuse ``fetch()`` on ``file://``).
Only what a query needs is loaded:

``search-data/meta.js``
    the edition, the shard counts, every facet with its values (``many``: list
    them by count, cities only under a ticked province) and, per case
    (numbered newest first, so number order is date order), the facet values
    it has: enough to count facets and to sort by date without any text.
``search-data/t/<k>.js``
    the term dictionary, split by the first character of a term (its code
    point modulo the number of shards): ``{term: flags}`` where flag 1 marks
    a two- or three-character word of jieba's dictionary (jieba's search mode
    emits such words inside longer ones), flag 2 a stop word (a word for the
    segmenter, never looked up) and a string value maps a Latin word to its
    stem. The browser loads the shards of the characters of a
    query, which is all :func:`segment` needs.
``search-data/p/<k>.js``
    postings, split by a hash of the term (FNV-1a, :func:`term_hash`):
    ``{term: "…"}``, the numbers case, score, case-gap, score, … with BM25F
    scores (as Whoosh computes them for ``casebook search``) times 100, as
    one string of variable-length base-64 digits (:func:`encode_numbers`).
    A string is cheaper for the browser to read than a JavaScript array, and
    only the lists of the query's terms are ever decoded.
``search-data/d/<n>.js``
    one case as the results list shows it: title, address, marks, and each
    reader-visible field's text with the spans of its words (for
    highlighting whole terms only).

Terms are exactly those of ``casebook search``: every field of
``search.fields.text_fields`` through ``search.tokenize.analyzer``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from casebook.builder.generate import edition_cases, site_url
from casebook.schema import Case
from casebook.schema.cache import ContentCache, code_version, content_key
from casebook.schema.facets import DOMAIN, OUTCOME, region_name, search_facets
from casebook.schema.text import WIDE
from casebook.schema.thesaurus import thesaurus
from casebook.search.analysis import (  # noqa: F401 (the number lists' codec, as tests and tools import it)
    SNIPPET_BEFORE,
    SNIPPET_FIELDS,
    SNIPPET_LENGTH,
    analyse,
    decode_numbers,
    doc_sections,
    encode_numbers,
)
from casebook.search.dictionary import corpus_terms
from casebook.search.fields import FIELD_BOOSTS, SEARCH_FIELDS, Section, fields_of, text_sections
from casebook.search.segment import (  # noqa: F401 (the segmenter's names, as tests and tools import them)
    GRAM,
    LONGEST_SEARCH_TERM,
    STOP,
    analysed_tokens,
    segment,
    term_dictionary,
)
from casebook.search.termcache import dictionary_version
from casebook.search.tiers import PHRASE_SCORE, TIER_NAMES
from casebook.search.tokenize import FIELD_SHIFT, SENTENCE_BITS, Extra, segmenter

DATA_DIR = "search-data"
FORMAT = 3  # 2: postings as strings of variable-length digits; 3: the places of terms, the thesaurus
CALLBACK = "__casebookSearch"
TERM_SHARD_BYTES = 12_000
POSTING_SHARD_BYTES = 48_000
PLACE_SHARD_BYTES = 48_000
MAX_SHARDS = 1024
B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults


# --- analysis: the CLI's analyzer, once per text, cached by content hash -------------


def _analyse_all(texts: list[str], extra: Extra) -> list[dict[str, Any]]:
    return [analyse(text, extra) for text in texts]


class AnalysisCache:
    """:func:`analyse` results by text hash, persisted as one JSON file (a :class:`ContentCache`).

    The dictionary is the shipped one plus the corpus terms ``extra``; the
    version covers both and the code of the analysis, so a change of any
    re-analyses every text.
    """

    def __init__(self, path: Path | None, extra: Extra = ()) -> None:
        self.extra = tuple(extra)
        version = code_version(
            "casebook.builder.siteindex",
            "casebook.search.analysis",
            "casebook.search.segment",
            "casebook.search.tokenize",
            data=[dictionary_version(), "\n".join(self.extra)],
        )
        self.store = ContentCache(path, version)

    def fill(self, texts: Iterable[str]) -> None:
        """Analyse every text not cached yet, on two cores when there are many (jieba is CPU-bound)."""
        analyse_all = functools.partial(_analyse_all, extra=self.extra)
        self.store.compute({content_key(t): t for t in texts}, analyse_all, prepare=lambda: segmenter(self.extra))

    def get(self, text: str) -> dict[str, Any]:
        key = content_key(text)
        found = self.store.get(key)
        if found is None:
            found = analyse(text, self.extra)
            self.store.put(key, found)
        return found

    def save(self) -> None:
        self.store.save()


# --- writing the index ----------------------------------------------------------------


def term_hash(term: str) -> int:
    """FNV-1a (32 bits) over the code points of ``term``: the postings shard is this modulo the count."""
    value = 0x811C9DC5
    for char in term:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def term_shard(term: str, shards: int) -> int:
    """The dictionary shard of a term: its first code point modulo the number of shards."""
    return ord(term[0]) % shards


def _shard_count(total_bytes: int, per_shard: int) -> int:
    return max(1, min(MAX_SHARDS, math.ceil(total_bytes / per_shard)))


def read_script(text: str) -> tuple[str, Any]:
    """The name and data of a data file written by :func:`script`."""
    head, _, rest = text.partition("(")
    if head != CALLBACK:
        raise ValueError("not a site index file")
    name, _, payload = rest.partition(",")
    return json.loads(name), json.loads(payload.rstrip().removesuffix(");"))


def callback_script(callback: str, name: str, data: object) -> str:
    """A data file: one call of the page's global ``callback`` (valid JavaScript; JSON inside).

    Shared by the search and the finder data, so that both load from ``file://``.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"{callback}({json.dumps(name)},{payload});\n"


def script(name: str, data: object) -> str:
    """A data file of the search page."""
    return callback_script(CALLBACK, name, data)


def add_meta(files: dict[str, str], data_dir: str, meta: dict[str, Any], write: Callable[[str, object], str]) -> None:
    """Stamp ``meta`` with a version hashed from every other data file, and add it as ``meta.js``."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode())
    meta["version"] = digest.hexdigest()[:12]
    files[f"{data_dir}/meta.js"] = write("meta", meta)


def dictionary_terms(cases: Iterable[Case]) -> Extra:
    """The corpus terms every index of these cases segments with (public cases' keywords and places)."""
    return tuple(corpus_terms(cases))


def _date_order(cases: Iterable[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (c.publication.published, c.id), reverse=True)


def _places(analysed: list[dict[str, dict[str, Any]]]) -> dict[str, str]:
    """Per term, where it stands in each field of each case holding it: for each (case, field) in order,
    case-gap, field number, count, first place, place-gaps (the last three as the analysis wrote them).

    The page adds the field's number above the sentence's (``FIELD_SHIFT``), so that the places
    of one case, over all its fields, read as one sorted list.
    """
    digits = [encode_numbers([n]) for n in range(max(len(analysed), len(SEARCH_FIELDS)))]
    by_term: dict[str, list[str]] = defaultdict(list)
    last: dict[str, int] = {}
    for number, doc in enumerate(analysed):  # cases in number order, fields in order: each list comes out sorted
        for k, field in enumerate(SEARCH_FIELDS):
            for term, written in doc[field]["p"].items():
                gap = number - last.get(term, 0)
                last[term] = number
                by_term[term] += (digits[gap], digits[k], written)
    return {term: "".join(by_term[term]) for term in sorted(by_term)}


def _meta(docs: list[Case], edition: str, shards: dict[str, int]) -> dict[str, Any]:
    """The edition, the shard counts, every facet with its values (``[key, label, parent]``) and each case's values."""
    facets, columns = [], {}
    for facet in search_facets(edition == "internal"):
        keyed = [facet.paths(case) for case in docs]
        values = facet.ordered(key for keys in keyed for key in keys)
        position = {key: i for i, key in enumerate(values)}
        entry = {
            "name": facet.id,
            "label": facet.title,
            "values": [[key, facet.label(key), facet.parent(key)] for key in values],
        }
        facets.append({**entry, "many": True} if facet.many else entry)
        column = [[position[k] for k in keys] for keys in keyed]
        columns[facet.id] = [c[0] if len(c) == 1 else c for c in column]
    return {
        "format": FORMAT,
        "edition": edition,
        "count": len(docs),
        "longest": LONGEST_SEARCH_TERM,
        "wide": WIDE,  # the characters a line break joins without a space (schema.text)
        "snippet": {"fields": SNIPPET_FIELDS, "length": SNIPPET_LENGTH, "before": SNIPPET_BEFORE},
        "rings": [list(ring.terms) for ring in thesaurus().rings],  # a typed word matches its ring (schema.thesaurus)
        # How the page ranks as search.tiers does: a place's layout, a phrase's score (in the postings' hundredths).
        "places": {"sentence_bits": SENTENCE_BITS, "field_shift": FIELD_SHIFT},
        "phrase_score": round(PHRASE_SCORE * 100),
        "tiers": {str(tier): name for tier, name in TIER_NAMES.items()},
        "shards": shards,
        "facets": facets,
        "columns": columns,
    }


def _doc(case: Case, sections: Sequence[Section], analysed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": case.id,
        "url": site_url(case),
        "title": case.title,
        "date": case.publication.published,
        "outcome": OUTCOME.label(case.outcome.result),
        "domain": DOMAIN.label(case.domain),
        "region": region_name(case),
        "internal": not case.is_public,
        "withdrawn": case.publication.status.state == "withdrawn",
        "fields": doc_sections(sections, analysed),
    }


def _scores(analysed: list[dict[str, dict[str, Any]]]) -> dict[str, list[tuple[int, int]]]:
    """Per term, (case number, score × 100): BM25F summed over fields, as Whoosh scores one term."""
    n = len(analysed)
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    for field, boost in FIELD_BOOSTS.items():
        lengths = [doc[field]["n"] for doc in analysed]
        average = (sum(lengths) / n if n else 0) or 1
        frequency: dict[str, int] = defaultdict(int)
        for doc in analysed:
            for term in doc[field]["c"]:
                frequency[term] += 1
        for number, doc in enumerate(analysed):
            norm = K1 * ((1 - B) + B * doc[field]["n"] / average)
            for term, count in doc[field]["c"].items():
                idf = math.log(n / (frequency[term] + 1)) + 1
                tf = count * boost
                score = idf * tf * (K1 + 1) / (tf + norm)
                postings[term][number] = postings[term].get(number, 0.0) + score
    return {
        term: [(number, max(1, round(score * 100))) for number, score in sorted(by_doc.items())]
        for term, by_doc in postings.items()
    }


def _posting_list(entries: list[tuple[int, int]]) -> str:
    flat, last = [], 0
    for number, score in entries:
        flat += [number - last, score]
        last = number
    return encode_numbers(flat)


def site_index(cases: Sequence[Case], edition: str, cache: AnalysisCache | None = None) -> dict[str, str]:
    """Every file of the site index of ``edition``, as ``{path: content}`` (a pure function of the cases).

    ``cache`` must have been made for ``dictionary_terms(cases)`` (the one corpus dictionary).
    """
    cache = cache or AnalysisCache(None, dictionary_terms(cases))
    if cache.extra != dictionary_terms(cases):
        raise ValueError("the analysis cache was made for another dictionary")
    docs = _date_order(edition_cases(cases, edition))
    sections = [text_sections(case) for case in docs]
    fields = [fields_of(parts) for parts in sections]
    cache.fill(text for f in fields for text in f.values())
    analysed = [{name: cache.get(text) for name, text in f.items()} for f in fields]
    postings = _scores(analysed)
    stems = {surface: root for doc in analysed for field in doc.values() for surface, root in field["s"].items()}
    known = term_dictionary(postings, stems, cache.extra)
    term_bytes = sum(len(t.encode()) + 4 for t in known)
    encoded = {term: _posting_list(postings[term]) for term in sorted(postings)}
    posting_bytes = sum(len(t.encode()) + len(p) + 6 for t, p in encoded.items())
    places = _places(analysed)
    place_bytes = sum(len(t.encode()) + len(p) + 6 for t, p in places.items())
    shards = {
        "terms": _shard_count(term_bytes, TERM_SHARD_BYTES),
        "postings": _shard_count(posting_bytes, POSTING_SHARD_BYTES),
        "places": _shard_count(place_bytes, PLACE_SHARD_BYTES),
    }
    files: dict[str, str] = {}
    by_shard: dict[int, dict[str, int | str]] = defaultdict(dict)
    for term in sorted(known):
        by_shard[term_shard(term, shards["terms"])][term] = known[term]
    for k in range(shards["terms"]):
        files[f"{DATA_DIR}/t/{k}.js"] = script(f"t/{k}", by_shard.get(k, {}))
    lists: dict[int, dict[str, str]] = defaultdict(dict)
    for term, text in encoded.items():
        lists[term_hash(term) % shards["postings"]][term] = text
    for k in range(shards["postings"]):
        files[f"{DATA_DIR}/p/{k}.js"] = script(f"p/{k}", lists.get(k, {}))
    where: dict[int, dict[str, str]] = defaultdict(dict)
    for term, text in places.items():
        where[term_hash(term) % shards["places"]][term] = text
    for k in range(shards["places"]):
        files[f"{DATA_DIR}/x/{k}.js"] = script(f"x/{k}", where.get(k, {}))
    for number, (case, parts, a) in enumerate(zip(docs, sections, analysed, strict=True)):
        files[f"{DATA_DIR}/d/{number}.js"] = script(f"d/{number}", _doc(case, parts, a))
    add_meta(files, DATA_DIR, _meta(docs, edition, shards), script)
    return files
