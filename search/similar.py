"""Similar precedents, and why: text and structure scored together, then explained.

How a precedent is scored (the one place the method is defined; the
retrieval report prints these weights):

* **text** — cosine of BM25-weighted key-term vectors (jieba terms; each case
  keeps its 30 strongest terms, weighted by idf × BM25 saturated term frequency);
* **distinctions** — Jaccard overlap of the three distinctions invoked;
* **six looks** — for each factor the query states: same value 1, one side
  mixed 0.5, precedent silent 0.25, opposite 0;
* **domain** — same work domain 1, else 0;
* **rules** — Jaccard overlap of the regulations breached;
* **role** — same role category 0.5 plus same rank 0.5.

A component the query says nothing about (no text, no factor, no domain …)
is left out and the remaining weights are scaled up, so a sparse query is not
punished for what it does not know. Precedents inform a decision; the tool
never decides.
"""

from __future__ import annotations

import heapq
import math
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from casebook.schema import vocabulary as vocab
from casebook.search.records import Record


@dataclass(frozen=True)
class Weights:
    """Relative weight of each component in the final score (they need not sum to 1)."""

    text: float = 0.40
    distinctions: float = 0.15
    looks: float = 0.20
    domain: float = 0.10
    rules: float = 0.10
    role: float = 0.05

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}


WEIGHTS = Weights()
TEXT_ONLY = Weights(text=1.0, distinctions=0, looks=0, domain=0, rules=0, role=0)
COMPONENTS = ("text", "distinctions", "looks", "domain", "rules", "role")
COMPONENT_LABELS = {
    "text": "文本相似",
    "distinctions": "三个区分开来",
    "looks": "六看",
    "domain": "工作领域",
    "rules": "违反的规定",
    "role": "身份职级",
}

KEY_TERMS = 30  # terms kept per case
QUERY_TERMS = 60  # terms a query keeps
POSTINGS = 100  # strongest cases kept per term for candidate generation
CANDIDATES = 80  # cases scored in full per query: the strongest text matches (beyond them text overlap is slight)
_K1, _B = 1.2, 0.75


@dataclass
class TextModel:
    """Corpus statistics and the key-term vector of every case (in record order)."""

    documents: int
    average_length: float
    document_frequency: dict[str, int]
    vectors: list[dict[str, float]] = field(default_factory=list)
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    def vector(self, counts: dict[str, int], limit: int | None = KEY_TERMS) -> dict[str, float]:
        """The normalised key-term vector of a bag of terms under this corpus (``limit`` strongest terms)."""
        length = sum(counts.values()) or 1
        weights = {}
        for term, tf in counts.items():
            df = self.document_frequency.get(term, 0)
            idf = math.log(1 + (self.documents - df + 0.5) / (df + 0.5))
            saturation = tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / (self.average_length or 1)))
            weights[term] = idf * saturation
        top = heapq.nlargest(limit or len(weights), weights.items(), key=lambda kv: (kv[1], kv[0]))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {term: w / norm for term, w in top}

    def index_postings(self) -> None:
        """Term → strongest cases, for candidate generation."""
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, vector in enumerate(self.vectors):
            for term, weight in vector.items():
                postings.setdefault(term, []).append((i, weight))
        self.postings = {t: heapq.nlargest(POSTINGS, p, key=lambda x: x[1]) for t, p in postings.items()}

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "average_length": self.average_length,
            "df": self.document_frequency,
            "vectors": self.vectors,
        }

    @classmethod
    def from_dict(cls, data: dict) -> TextModel:
        model = cls(data["documents"], data["average_length"], data["df"], data["vectors"])
        model.index_postings()
        return model


def build_text_model(term_counts: Sequence[dict[str, int]]) -> TextModel:
    """Document frequencies, vectors and postings for cases given by their term counts."""
    df: Counter[str] = Counter()
    for counts in term_counts:
        df.update(counts.keys())
    lengths = [sum(counts.values()) for counts in term_counts]
    model = TextModel(len(lengths), sum(lengths) / len(lengths) if lengths else 0.0, dict(df))
    model.vectors = [model.vector(counts) for counts in term_counts]
    model.index_postings()
    return model


# --- comparing two records -------------------------------------------------


@dataclass(frozen=True)
class FactorComparison:
    factor: str
    query: str  # favourable / unfavourable / mixed / unknown
    precedent: str
    agreement: float | None  # None when the query does not state the factor

    @property
    def verdict(self) -> str:
        if self.agreement is None:
            return "查询未说明"
        if self.agreement == 1:
            return "相同"
        if self.agreement == 0:
            return "相反"
        if self.precedent == "unknown":
            return "先例未说明"
        return "部分相同"


def _agreement(query: str, precedent: str) -> float:
    if precedent == "unknown":
        return 0.25
    if query == precedent:
        return 1.0
    if "mixed" in (query, precedent):
        return 0.5
    return 0.0


def compare_looks(query: Record, precedent: Record) -> list[FactorComparison]:
    rows = []
    for factor in vocab.ids("factors"):
        q = query.looks.get(factor, "unknown")
        p = precedent.looks.get(factor, "unknown")
        rows.append(FactorComparison(factor, q, p, None if q == "unknown" else _agreement(q, p)))
    return rows


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def components(query: Record, precedent: Record, text: float | None) -> dict[str, float]:
    """The score of each component the query speaks to (others are absent)."""
    parts: dict[str, float] = {}
    if text is not None:
        parts["text"] = text
    if query.distinctions is not None:
        # Both invoking none (e.g. two name-clearing cases) is agreement too.
        shared = query.distinctions or precedent.distinctions
        parts["distinctions"] = _jaccard(query.distinctions, precedent.distinctions or ()) if shared else 1.0
    if query.looks:  # only stated factors are kept in a record
        agreement = sum(_agreement(value, precedent.looks.get(f, "unknown")) for f, value in query.looks.items())
        parts["looks"] = agreement / len(query.looks)
    if query.domain:
        parts["domain"] = float(query.domain == precedent.domain)
    if query.rules:
        parts["rules"] = _jaccard(query.rules, precedent.rules)
    if query.role or query.level:
        role = 0.5 * (query.role == precedent.role) if query.role else 0.0
        level = 0.5 * (query.level == precedent.level) if query.level else 0.0
        parts["role"] = (role + level) / (0.5 * bool(query.role) + 0.5 * bool(query.level))
    return parts


def combine(parts: dict[str, float], weights: Weights) -> float:
    total = sum(getattr(weights, name) for name in parts)
    return sum(getattr(weights, name) * value for name, value in parts.items()) / total if total else 0.0


# --- ranking ---------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One precedent and why it is close."""

    record: Record
    score: float
    parts: dict[str, float]
    looks: list[FactorComparison]
    shared_terms: list[str]
    shared_distinctions: list[str]
    shared_rules: list[str]
    same_domain: bool


@dataclass(frozen=True)
class Finding:
    """The ranked precedents, their outcomes, and the nearest one that ended otherwise."""

    matches: list[Match]
    outcomes: list[tuple[str, int]]
    majority: str | None
    nearest_different: Match | None
    candidates: int


def _shared_terms(query: dict[str, float], precedent: dict[str, float], n: int = 8) -> list[str]:
    shared = [(query[t] * precedent[t], t) for t in query.keys() & precedent.keys()]
    return [t for _, t in sorted(shared, reverse=True)[:n]]


class Precedents:
    """The records of a corpus with their text model: answers ``similar`` queries."""

    def __init__(self, records: Sequence[Record], text: TextModel | None = None) -> None:
        self.records = list(records)
        self.text = text or build_text_model([r.term_counts for r in self.records])
        self.position = {r.id: i for i, r in enumerate(self.records)}

    def _text_scores(self, vector: dict[str, float]) -> dict[int, float]:
        """Dot products of ``vector`` with every case sharing a term (the hot loop of the finder)."""
        scores: dict[int, float] = {}
        get = scores.get
        postings = self.text.postings
        for term, weight in vector.items():
            for i, other in postings.get(term, ()):
                scores[i] = get(i, 0.0) + weight * other
        return scores

    def _eligible(self, record: Record, include_internal: bool, exclude: set[str | None]) -> bool:
        return record.id not in exclude and record.current and (include_internal or record.public)

    def similar(
        self,
        query: Record,
        k: int = 10,
        *,
        include_internal: bool = False,
        weights: Weights = WEIGHTS,
        exclude: Iterable[str] = (),
    ) -> Finding:
        """The ``k`` precedents closest to ``query`` (never the query case itself)."""
        skip: set[str | None] = {query.id, *exclude} if query.id else set(exclude)
        # The query keeps twice as many terms as each precedent keeps (KEY_TERMS).
        vector = self.text.vector(query.term_counts, limit=QUERY_TERMS) if query.term_counts else {}
        text_scores = self._text_scores(vector)
        pool: Iterable[int] = range(len(self.records))
        if len(self.records) > CANDIDATES and vector:
            pool = heapq.nlargest(CANDIDATES, text_scores, key=text_scores.__getitem__)
        scored = []
        for i in pool:
            record = self.records[i]
            if not self._eligible(record, include_internal, skip):
                continue
            parts = components(query, record, text_scores.get(i, 0.0) if vector else None)
            scored.append((combine(parts, weights), record.id or "", i, parts))
        scored.sort(key=lambda item: (-item[0], item[1]))
        matches = [self._explain(query, vector, i, score, parts) for score, _, i, parts in scored[:k]]
        outcomes = Counter(m.record.outcome for m in matches if m.record.outcome)
        order = vocab.ids("outcomes")
        ranked = sorted(outcomes.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99))
        majority = ranked[0][0] if ranked else None
        different = next(
            (item for item in scored if majority and self.records[item[2]].outcome not in (majority, None)), None
        )
        nearest = self._explain(query, vector, different[2], different[0], different[3]) if different else None
        return Finding(matches, ranked, majority, nearest, len(scored))

    def _explain(self, query: Record, vector: dict[str, float], i: int, score: float, parts: dict[str, float]) -> Match:
        record = self.records[i]
        return Match(
            record=record,
            score=score,
            parts=parts,
            looks=compare_looks(query, record),
            shared_terms=_shared_terms(vector, self.text.vectors[i]) if vector else [],
            shared_distinctions=sorted(set(query.distinctions or ()) & set(record.distinctions or ())),
            shared_rules=sorted(set(query.rules) & set(record.rules)),
            same_domain=bool(query.domain) and query.domain == record.domain,
        )

    def neighbours(self, k: int = 5, *, include_internal: bool = False) -> dict[str, list[NeighbourScore]]:
        """The ``k`` most similar cases of every case, as the site shows them (the same ``similar``).

        Returns ``(other case id, score, score components)`` per case, without
        the explanations a single query gets. Large corpora are split over
        both cores (forked workers share this object).
        """
        indexes = [i for i, record in enumerate(self.records) if record.id]
        workers = min(2, os.cpu_count() or 1)
        if len(indexes) < PARALLEL_FROM or workers < 2 or threading.active_count() > 1:
            found = _neighbour_chunk(self, indexes, k, include_internal)
        else:
            global _SHARED
            _SHARED = self
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                chunks = [indexes[j::workers] for j in range(workers)]
                parts = pool.map(_neighbour_chunk_shared, chunks, [k] * workers, [include_internal] * workers)
                found = [item for part in parts for item in part]
            _SHARED = None
        return {
            self.records[i].id or "": [(self.records[j].id or "", score, parts) for j, score, parts in ranked]
            for i, ranked in found
        }


PARALLEL_FROM = 500  # cases; below this one core finishes before a second would start
_SHARED: Precedents | None = None
Ranked = list[tuple[int, list[tuple[int, float, dict[str, float]]]]]
NeighbourScore = tuple[str, float, dict[str, float]]  # (case id, score, score components)


def _neighbour_chunk(precedents: Precedents, indexes: list[int], k: int, include_internal: bool) -> Ranked:
    out = []
    for i in indexes:
        finding = precedents.similar(precedents.records[i], k, include_internal=include_internal)
        out.append((i, [(precedents.position[m.record.id], m.score, m.parts) for m in finding.matches]))
    return out


def _neighbour_chunk_shared(indexes: list[int], k: int, include_internal: bool) -> Ranked:
    assert _SHARED is not None  # set by the parent before forking
    return _neighbour_chunk(_SHARED, indexes, k, include_internal)
