"""Similar precedents, and why: text and structure scored together, then explained.

How a precedent is scored (the one place the method is defined; the
retrieval report prints these weights). The score is a deterministic
function of the query's record and the precedent's record only, so that the
browser finder can reproduce it exactly:

* **text** — cosine of BM25-weighted key-term vectors (each case keeps its 30
  strongest terms, idf × BM25-saturated term frequency; the query's text is
  cut into the terms the corpus model knows, longest first, see
  :meth:`TextModel.segment`); words that say nothing of a case
  (``finder_stopwords.txt``, numbers, aliases) are not terms;
* **kind** — a mistake to judge or an accusation to verify: same 1, else 0;
* **distinctions** — per distinction invoked by either: same side 1, side
  unknown on one part 0.5, opposite side −1, invoked by one only 0 (0.5 when
  the precedent fell on the query's side without naming it); averaged;
  both invoking none is agreement (1);
* **six looks** — for each factor the query states: same value 1, one side
  mixed 0.5, precedent silent 0.25, opposite 0;
* **domain** — same work domain 1, else 0;
* **rules** — Jaccard overlap of the regulations breached;
* **role** — same role category 0.5 plus same rank 0.5.

A component the query says nothing about (no text, no factor, no domain …)
is left out and the remaining weights are scaled up, so a sparse query is not
punished for what it does not know. The score is the weighted mean, at least
0. A precedent under ``MIN_SCORE`` is no precedent; a best score under
``WEAK_SCORE`` is reported as weak. Precedents inform a decision; the tool
never decides.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from casebook.schema import vocabulary as vocab
from casebook.schema.parallel import parallel_map, shared
from casebook.search.records import Record


@dataclass(frozen=True)
class Weights:
    """Relative weight of each component in the final score (they need not sum to 1)."""

    text: float = 0.30
    kind: float = 0.20
    distinctions: float = 0.15
    looks: float = 0.20
    domain: float = 0.07
    rules: float = 0.05
    role: float = 0.03

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in COMPONENTS}


WEIGHTS = Weights()
TEXT_ONLY = Weights(text=1.0, kind=0, distinctions=0, looks=0, domain=0, rules=0, role=0)
COMPONENTS = ("text", "kind", "distinctions", "looks", "domain", "rules", "role")
COMPONENT_LABELS = {
    "text": "文本相似",
    "kind": "案件类型",
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
MIN_SCORE = 0.05  # below this a case is no precedent at all
WEAK_SCORE = 0.35  # a best match below this is said to be weak
LONGEST_FINDER_TERM = 8  # characters: longer corpus terms are not looked for in a query
K1, B = 1.2, 0.75  # BM25: term-frequency saturation and length normalisation


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
            saturation = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / (self.average_length or 1)))
            weights[term] = idf * saturation
        top = heapq.nlargest(limit or len(weights), weights.items(), key=lambda kv: (kv[1], kv[0]))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {term: w / norm for term, w in top}

    def count_terms(self, text: str) -> dict[str, int]:
        """The terms of a query's ``text`` that this model knows, with their counts.

        The text is cut into the fewest pieces, a piece being a known term (2
        to ``LONGEST_FINDER_TERM`` characters) or one character; among equally short
        cuts the one whose terms are most common in the corpus wins, then the
        one with longer terms first. Each term counts with the known terms
        inside it (as jieba's search mode yields 人防 and 审批 beside 人防审批).
        Needs no dictionary but the model's, so any port reproduces it.
        """
        known = self.document_frequency
        n = len(text)
        # best[i]: (pieces, -summed document frequency) of the best cut of text[:i], and where its last piece starts
        best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, 0)] * n
        back = [0] * (n + 1)
        for i in range(n):
            pieces, weight = best[i]
            if (pieces + 1, weight) < best[i + 1]:
                best[i + 1], back[i + 1] = (pieces + 1, weight), i
            for j in range(i + 2, min(n, i + LONGEST_FINDER_TERM) + 1):
                df = known.get(text[i:j])
                if df is not None and (pieces + 1, weight - df) < best[j]:
                    best[j], back[j] = (pieces + 1, weight - df), i
        counts: Counter[str] = Counter()
        j = n
        while j > 0:
            i = back[j]
            word = text[i:j]
            if word in known:
                counts[word] += 1
                counts.update(
                    part
                    for length in range(2, len(word))
                    for k in range(len(word) - length + 1)
                    if (part := word[k : k + length]) in known
                )
            j = i
        return dict(counts)

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


def side_agreement(query: Record, precedent: Record) -> float:
    """How far the precedent fell on the same sides of the distinctions as the query (−1 to 1)."""
    mine, theirs = dict(query.distinctions or ()), dict(precedent.distinctions or ())
    if not mine and not theirs:
        return 1.0  # both invoke none (e.g. two name-clearing cases)
    total = 0.0
    for distinction in mine.keys() | theirs.keys():
        side, other = mine.get(distinction), theirs.get(distinction)
        if distinction in mine and distinction in theirs:
            total += 0.5 if side is None or other is None else (1.0 if side == other else -1.0)
        elif side is not None and side == precedent.lean:
            total += 0.5
    return total / len(mine.keys() | theirs.keys())


def components(query: Record, precedent: Record, text: float | None) -> dict[str, float]:
    """The score of each component the query speaks to (others are absent)."""
    parts: dict[str, float] = {}
    if text is not None:
        parts["text"] = text
    if query.kind:
        parts["kind"] = float(query.kind == precedent.kind)
    if query.distinctions is not None:
        parts["distinctions"] = side_agreement(query, precedent)
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
    score = sum(getattr(weights, name) * value for name, value in parts.items()) / total if total else 0.0
    return max(0.0, score)


# --- ranking ---------------------------------------------------------------


@dataclass(frozen=True)
class SideComparison:
    """One distinction invoked by the query or the precedent, and whether they fell on the same side."""

    distinction: str
    query: str | None  # side; None when the query does not invoke it or does not know the side
    precedent: str | None
    verdict: str  # 同侧 / 相反 / 侧别不明 / 仅本案涉及 / 仅先例涉及


def compare_sides(query: Record, precedent: Record) -> list[SideComparison]:
    mine, theirs = dict(query.distinctions or ()), dict(precedent.distinctions or ())
    rows = []
    for distinction in vocab.ids("distinctions"):
        if distinction not in mine and distinction not in theirs:
            continue
        side, other = mine.get(distinction), theirs.get(distinction)
        if distinction not in theirs:
            verdict = "仅本案涉及"
        elif distinction not in mine:
            verdict = "仅先例涉及"
        elif side is None or other is None:
            verdict = "侧别不明"
        else:
            verdict = "同侧" if side == other else "相反"
        rows.append(SideComparison(distinction, side, other, verdict))
    return rows


@dataclass(frozen=True)
class Match:
    """One precedent and why it is close."""

    record: Record
    score: float
    parts: dict[str, float]
    looks: list[FactorComparison]
    sides: list[SideComparison]
    shared_terms: list[str]
    shared_rules: list[str]
    same_domain: bool

    @property
    def shared_distinctions(self) -> list[str]:
        """Distinctions both invoke on the same side."""
        return [c.distinction for c in self.sides if c.verdict == "同侧"]


@dataclass(frozen=True)
class GroupShare:
    """How many of the listed precedents ended in one outcome group, and their share of the summed similarity."""

    group: str
    count: int
    weighted: float  # 0..1
    outcomes: list[tuple[str, int]]
    scores: tuple[float, float]  # highest and lowest similarity in the group


@dataclass(frozen=True)
class Finding:
    """The ranked precedents, how they ended, and what the finder could not find."""

    matches: list[Match]
    distribution: list[GroupShare]  # by weighted share, then count
    vote: str | None  # the outcome group with the largest weighted share (None without a clear one)
    nearest_different: Match | None  # the closest precedent outside the vote's group
    candidates: int
    query_lean: str | None  # the side the description points to
    side_listed: bool  # some listed precedent fell on that side
    side_in_corpus: bool  # some eligible case at all fell on that side

    @property
    def best(self) -> float:
        return self.matches[0].score if self.matches else 0.0

    @property
    def weak(self) -> bool:
        return self.best < WEAK_SCORE

    @property
    def outcomes(self) -> list[tuple[str, int]]:
        """Counts per outcome over the listed precedents (most frequent first)."""
        counts = Counter(m.record.outcome for m in self.matches if m.record.outcome)
        order = vocab.ids("outcomes")
        return sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99))


def _shared_terms(query: dict[str, float], precedent: dict[str, float], n: int = 8) -> list[str]:
    shared = [(query[t] * precedent[t], t) for t in query.keys() & precedent.keys()]
    return [t for _, t in sorted(shared, reverse=True)[:n]]


def distribution(matches: Sequence[Match]) -> list[GroupShare]:
    """The outcome groups of ``matches`` with their counts and similarity-weighted shares."""
    total = sum(m.score for m in matches) or 1.0
    groups: dict[str, list[Match]] = {}
    for match in matches:
        groups.setdefault(vocab.outcome_group(match.record.outcome or ""), []).append(match)
    order = vocab.ids("outcome_groups")
    shares = []
    for group, members in groups.items():
        outcomes = Counter(m.record.outcome for m in members if m.record.outcome)
        scores = (max(m.score for m in members), min(m.score for m in members))
        shares.append(GroupShare(group, len(members), sum(m.score for m in members) / total, sorted(
            outcomes.items(), key=lambda kv: -kv[1]), scores))  # fmt: skip
    return sorted(shares, key=lambda g: (-g.weighted, -g.count, order.index(g.group)))


def vote(shares: Sequence[GroupShare]) -> str | None:
    """The group the precedents point to: the largest weighted share, unless tied or unknown."""
    known = [g for g in shares if g.group != "unknown"]
    if not known or (len(known) > 1 and known[0].weighted == known[1].weighted):
        return None
    return known[0].group


class Precedents:
    """The records of a corpus with their text model: answers ``similar`` queries."""

    def __init__(self, records: Sequence[Record], text: TextModel | None = None) -> None:
        self.records = list(records)
        self.text = text or build_text_model([r.term_counts for r in self.records])
        self.position = {r.id: i for i, r in enumerate(self.records)}
        self._leans = Counter((r.lean, r.public) for r in self.records if r.current and r.lean)

    def _lean_in_corpus(self, lean: str, include_internal: bool, skip: set[str | None]) -> bool:
        """Whether an eligible case fell on ``lean`` (counted once, not per query)."""
        count = self._leans[lean, True] + (self._leans[lean, False] if include_internal else 0)
        for case_id in skip:
            i = self.position.get(case_id)
            record = self.records[i] if i is not None else None
            if record and record.lean == lean and record.current and (include_internal or record.public):
                count -= 1
        return count > 0

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
        """The ``k`` precedents closest to ``query`` (never the query case itself, never one under MIN_SCORE)."""
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
            score = combine(parts, weights)
            if score >= MIN_SCORE:
                scored.append((score, record.id or "", i, parts))
        scored.sort(key=lambda item: (-item[0], item[1]))
        matches = [self._explain(query, vector, i, score, parts) for score, _, i, parts in scored[:k]]
        shares = distribution(matches)
        chosen = vote(shares)
        different = next(
            (
                item
                for item in scored
                if chosen and vocab.outcome_group(self.records[item[2]].outcome or "") not in (chosen, "unknown")
            ),
            None,
        )
        nearest = self._explain(query, vector, different[2], different[0], different[3]) if different else None
        lean = query.lean
        in_corpus = bool(lean) and self._lean_in_corpus(lean or "", include_internal, skip)
        listed = bool(lean) and any(m.record.lean == lean for m in matches)
        return Finding(matches, shares, chosen, nearest, len(scored), lean, listed, in_corpus)

    def _explain(self, query: Record, vector: dict[str, float], i: int, score: float, parts: dict[str, float]) -> Match:
        record = self.records[i]
        return Match(
            record=record,
            score=score,
            parts=parts,
            looks=compare_looks(query, record),
            sides=compare_sides(query, record),
            shared_terms=_shared_terms(vector, self.text.vectors[i]) if vector else [],
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
        chunk = functools.partial(_neighbour_chunk, k=k, include_internal=include_internal)
        found = parallel_map(chunk, indexes, min_items=PARALLEL_FROM, share=self)
        return {
            self.records[i].id or "": [(self.records[j].id or "", score, parts) for j, score, parts in ranked]
            for i, ranked in found
        }


PARALLEL_FROM = 500  # cases; below this one core finishes before a second would start
Ranked = list[tuple[int, list[tuple[int, float, dict[str, float]]]]]
NeighbourScore = tuple[str, float, dict[str, float]]  # (case id, score, score components)


def _neighbour_chunk(indexes: list[int], k: int, include_internal: bool) -> Ranked:
    """The neighbours of the records at ``indexes`` of the :class:`Precedents` shared by ``neighbours``."""
    precedents: Precedents = shared()
    out = []
    for i in indexes:
        finding = precedents.similar(precedents.records[i], k, include_internal=include_internal)
        out.append((i, [(precedents.position[m.record.id], m.score, m.parts) for m in finding.matches]))
    return out
