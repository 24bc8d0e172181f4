"""The 类案查找 page's data: the precedent finder's model, written at build time, read in the browser.

The page reproduces ``casebook similar`` (``search/similar.py``) by
construction: the browser gets the very numbers the Python finder scores
with, and ports only the arithmetic. Every file is a small script calling
``window.__casebookFinder(name, data)`` (it loads from a file copy too), and
a query loads only what it needs:

``finder-data/meta.js``
    the edition, the corpus statistics (documents, average length, the idf of
    every document frequency, the information of every facet value but the
    regulations), the weights and thresholds, the vocabularies with their
    Chinese labels, the cue lexicon (``schema/cues.yaml``) with the
    circumstances that cannot be tolerated (``schema/exclusions.yaml``), the
    thesaurus, the finder's words (``search/explain.py``), shard counts, how
    many eligible cases fell on each side (for the side warning), and the
    retrieval report's form (``search/report.py``'s ``LAYOUT``). The page
    computes no logarithm: every one it needs is here, computed once by
    Python, so that both sides add up the very same numbers.
``finder-data/t/<k>.js``
    the document frequency of every term the model knows, split by the first
    code point of a term modulo the shard count: what
    :meth:`TextModel.segment` needs for a query's characters.
``finder-data/p/<k>.js``
    the postings of the text model (the ``POSTINGS`` strongest cases per
    term, weights in full precision), split by an FNV-1a hash of the term.
``finder-data/f/<k>.js``
    the facets of cases ``k × feature_chunk`` onwards (kind, outcome, domain,
    role, level, six looks, distinctions and sides, rules, lean, visibility,
    state) as vocabulary positions, in a few files of about 48 kB: every
    query needs the facets of 80 candidates spread over the corpus, so it
    loads them all, while its terms load (one request each, not one per case).
``finder-data/rules.js``
    the regulations breached, in order (a facet row names them by position),
    with the information of each: loaded only for a query that names a regulation.
``finder-data/d/<n>.js``
    one case as a result shows it: title, address, region, year, key point
    and its key-term vector (for the shared terms).

Cases are numbered in id order, as the CLI's index keeps them. The public
edition holds public cases only (its model is computed from them alone, so
no word of an internal case reaches it) and ranks as plain ``casebook
similar``, whose index keeps a model of the public cases for that; the
internal edition holds every case, internal ones marked, and ranks as
``casebook similar --include-internal``. ``editor_notes`` is never read.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from importlib import resources
from typing import Any

import yaml

from casebook.builder.generate import edition_cases, site_url
from casebook.builder.siteindex import add_meta, callback_script, term_hash, term_shard
from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from casebook.schema.exclusions import exclusions
from casebook.schema.facets import FINDER_FACETS
from casebook.schema.text import unwrap
from casebook.schema.thesaurus import equivalence, thesaurus
from casebook.search import explain, report, similar
from casebook.search.cues import GAP, GAP_CHARS, KINDS, LONGEST_DESCRIPTION, lexicon
from casebook.search.records import Record, record_of, record_text
from casebook.search.termcache import TermCache

DATA_DIR = "finder-data"
FORMAT = 2
CALLBACK = "__casebookFinder"
FEATURE_SHARD_BYTES = 48_000  # every query reads all facet files: a few large ones, not many small ones
TERM_SHARD_BYTES = 8_000
POSTING_SHARD_BYTES = 4_000  # a query fetches one shard per term: small shards, few bytes
MAX_SHARDS = 4096
RULE_SCOPES = ("", "mistake|", "accusation|")  # the information of a regulation over all cases and each kind
VOCABULARIES = ("factors", "factor_values", "distinctions", "distinction_sides", "domains", "roles", "levels",
                "outcomes", "outcome_groups")  # fmt: skip


def script(name: str, data: object) -> str:
    """A data file of the finder page."""
    return callback_script(CALLBACK, name, data)


def _shard_count(total_bytes: int, per_shard: int) -> int:
    return max(1, min(MAX_SHARDS, math.ceil(total_bytes / per_shard)))


def edition_records(cases: Sequence[Case], edition: str, terms: TermCache | None = None) -> list[Record]:
    """The finder's records of the cases ``edition`` shows, in id order (as ``casebook index`` keeps them)."""
    shown = sorted(edition_cases(cases, edition), key=lambda c: c.id)
    terms = terms or TermCache(None)
    terms.fill([record_text(case) for case in shown])
    return [record_of(case, cache=terms) for case in shown]


def _vocabulary(name: str) -> dict[str, Any]:
    items = vocab.ids(name)
    out: dict[str, Any] = {"ids": items, "labels": [vocab.label(name, i) for i in items]}
    if name == "distinctions":
        out["short"] = [vocab.short_label(name, i) for i in items]
    if name == "outcomes":
        out["groups"] = [vocab.outcome_group(i) for i in items]
    return out


def _facets() -> dict[str, dict[str, str | None]]:
    """What the page calls the facets a description is read for, and their vocabularies (``schema.facets``)."""
    return {facet.id: {"title": facet.title, "vocabulary": facet.vocabulary} for facet in FINDER_FACETS}


def _cues() -> dict[str, Any]:
    """The cue lexicon as the browser builds it (``cues.lexicon`` checks every entry first)."""
    lexicon()
    text = resources.files("casebook.schema").joinpath("cues.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {
        "negation": data["negation"],
        "allegation": data["allegation"],
        "exclusions": [c.as_data() for c in exclusions().circumstances],
        "cues": [
            {
                "phrases": [str(p) for p in entry["phrases"]],
                "facet": entry["facet"],
                "value": entry["value"],
                "negated": entry.get("negated"),
                "weight": float(entry.get("weight", 1)),
            }
            for entry in data["cues"]
        ],
    }


def _index(vocabulary: str, value: str | None) -> int | None:
    return None if value is None else vocab.ids(vocabulary).index(value)


LOOK_CODES = {"favourable": "f", "unfavourable": "u", "mixed": "m"}  # a factor not stated: "-"


def _features(record: Record, rules: dict[str, int]) -> list[Any]:
    """A record's facets as the scorer reads them, as vocabulary positions (casebook-finder.js ``features``).

    ``[kind, outcome, domain, role, level, looks, distinctions, rules, lean, flags, exclusions]``: kind 0
    a mistake, 1 an accusation; looks one letter per factor; distinctions ``[[distinction, side], …]`` (side
    ``None`` when unknown) or ``None`` when not stated; rules positions in ``finder-data/rules.js``; flags
    1 public plus 2 current; exclusions positions in the lexicon's circumstances. The case id is not
    needed: cases are numbered in id order, the finder's tie-break.
    """
    circumstances = exclusions().ids()
    return [
        None if record.kind is None else list(KINDS).index(record.kind),
        _index("outcomes", record.outcome),
        _index("domains", record.domain),
        _index("roles", record.role),
        _index("levels", record.level),
        "".join(LOOK_CODES.get(record.looks.get(f, ""), "-") for f in vocab.ids("factors")),
        None
        if record.distinctions is None
        else [[_index("distinctions", d), _index("distinction_sides", side)] for d, side in record.distinctions],
        [rules[r] for r in record.rules],
        _index("distinction_sides", record.lean),
        int(record.public) + 2 * int(record.current),
        [circumstances.index(c) for c in record.exclusions],
    ]


def _display(case: Case, record: Record, vector: dict[str, float]) -> dict[str, Any]:
    return {
        "id": record.id,
        "title": record.title,
        "url": site_url(case),
        "region": record.region,
        "year": record.year,
        "key_point": unwrap(record.key_point) if record.key_point else "",
        "internal": not record.public,
        "withdrawn": not record.current,
        "vector": [[term, weight] for term, weight in vector.items()],
        "forms": record.forms,
    }


def finder_data(cases: Sequence[Case], edition: str, terms: TermCache | None = None) -> dict[str, str]:
    """Every file of the finder's data for ``edition``, as ``{path: content}`` (a pure function of the cases)."""
    shown = {c.id: c for c in edition_cases(cases, edition)}
    records = edition_records(cases, edition, terms)
    precedents = similar.Precedents(records)
    model = precedents.text
    df = model.document_frequency
    rules = {rule: n for n, rule in enumerate(sorted({r for record in records for r in record.rules}))}
    rows = [json.dumps(_features(r, rules), ensure_ascii=False, separators=(",", ":")) for r in records]
    features = _shard_count(sum(len(row.encode()) + 1 for row in rows), FEATURE_SHARD_BYTES)
    chunk = max(1, math.ceil(len(records) / features))
    shards = {
        "terms": _shard_count(sum(len(t.encode()) + 6 for t in df), TERM_SHARD_BYTES),
        "postings": _shard_count(
            sum(len(t.encode()) + 26 * len(p) for t, p in model.postings.items()), POSTING_SHARD_BYTES
        ),
        "features": math.ceil(len(records) / chunk),
    }
    files: dict[str, str] = {}
    by_shard: dict[int, dict[str, int]] = defaultdict(dict)
    for term in sorted(df):
        by_shard[term_shard(term, shards["terms"])][term] = df[term]
    for k in range(shards["terms"]):
        files[f"{DATA_DIR}/t/{k}.js"] = script(f"t/{k}", by_shard.get(k, {}))
    lists: dict[int, dict[str, list[float]]] = defaultdict(dict)
    for term in sorted(model.postings):
        lists[term_hash(term) % shards["postings"]][term] = [x for pair in model.postings[term] for x in pair]
    for k in range(shards["postings"]):
        files[f"{DATA_DIR}/p/{k}.js"] = script(f"p/{k}", lists.get(k, {}))
    information = precedents.information
    by_scope = {scope: [information.get(f"{scope}rule:{rule}") for rule in rules] for scope in RULE_SCOPES}
    files[f"{DATA_DIR}/rules.js"] = script("rules", {"names": list(rules), "information": by_scope})
    for k in range(shards["features"]):
        payload = "[" + ",".join(rows[k * chunk : (k + 1) * chunk]) + "]"
        files[f"{DATA_DIR}/f/{k}.js"] = f"{CALLBACK}({json.dumps(f'f/{k}')},{payload});\n"
    for n, record in enumerate(records):
        files[f"{DATA_DIR}/d/{n}.js"] = script(f"d/{n}", _display(shown[record.id or ""], record, model.vectors[n]))
    meta = _meta(records, edition, precedents, shards)
    meta["feature_chunk"] = chunk
    add_meta(files, DATA_DIR, meta, script)
    return files


def _is_rule(key: str) -> bool:
    """An information key of a regulation (those go to rules.js, loaded only for a query naming one)."""
    scope = next((s for s in RULE_SCOPES if s and key.startswith(s)), "")
    return key[len(scope) :].startswith("rule:")


def _meta(
    records: list[Record], edition: str, precedents: similar.Precedents, shards: dict[str, int]
) -> dict[str, Any]:
    leans: dict[str, int] = defaultdict(int)
    for r in records:
        if r.current and r.lean:
            leans[r.lean] += 1
    eligible = [r for r in records if r.current]
    model = precedents.text
    return {
        "format": FORMAT,
        "edition": edition,
        "cases": len(records),
        "eligible": len(eligible),
        "internal": sum(1 for r in eligible if not r.public),
        "documents": model.documents,
        "average_length": model.average_length,
        "idf": [[df, idf] for df, idf in model.idf_table().items()],
        "information": {k: v for k, v in precedents.information.items() if not _is_rule(k)},
        "shards": shards,
        "weights": similar.WEIGHTS.as_dict(),
        "weight_labels": similar.WEIGHT_LABELS,
        "components": list(similar.COMPONENTS),
        "component_labels": similar.COMPONENT_LABELS,
        "wording": explain.WORDING,
        "labels": explain.LABELS,
        "thesaurus": thesaurus().as_data(),
        "equivalence": equivalence("{written}", "{matched}"),
        "constants": {
            "KEY_TERMS": similar.KEY_TERMS,
            "QUERY_TERMS": similar.QUERY_TERMS,
            "CANDIDATES": similar.CANDIDATES,
            "MIN_SCORE": similar.MIN_SCORE,
            "WEAK_SCORE": similar.WEAK_SCORE,
            "STRONG_SCORE": explain.STRONG_SCORE,
            "THIN_TEXT": explain.THIN_TEXT,
            "LONGEST_FINDER_TERM": similar.LONGEST_FINDER_TERM,
            "K1": similar.K1,
            "B": similar.B,
            "LONGEST_DESCRIPTION": LONGEST_DESCRIPTION,
            "GAP": GAP,
            "GAP_CHARS": GAP_CHARS,
        },
        "kinds": KINDS,
        "facets": _facets(),
        "leans": dict(leans),
        "vocab": {name: _vocabulary(name) for name in VOCABULARIES},
        "lexicon": _cues(),
        "report": report.LAYOUT,  # the printed report's form: the same fields as `casebook similar --report`
    }
