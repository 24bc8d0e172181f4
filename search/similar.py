"""Similar precedents, and why: evidence from the text and the structure, weighed by how rare it is.

How a precedent is scored (the one place the method is defined; the
retrieval report prints it with these weights). The score is a deterministic
function of the query's record, the precedent's record and two tables of the
corpus, so that the browser finder reproduces it exactly:

* **Information.** Every facet value (a kind, a domain, a side of a
  distinction, a six-looks value, a regulation, a role, a level, a
  circumstance that cannot be tolerated) carries ``ln((N + 1) / (n + 1))``,
  N the cases of the query's kind (a mistake to judge, an accusation to
  verify; all cases for the kind itself) and n those of them holding the
  value: agreeing on what nearly every such case shares tells little (about
  0), agreeing on a rare value tells much. The table is computed once per
  corpus (:func:`information`) and reaches the page as data.
* **Evidence.** Each component the query speaks to adds (or takes away)
  evidence, in the same unit:

  - text: ``text`` × the cosine of BM25-weighted key-term vectors (each case
    keeps its 30 strongest terms, idf × saturated term frequency; the query
    is cut into the terms the corpus model knows, longest first, see
    :meth:`TextModel.count_terms`; the words of one thesaurus ring are one
    term, ``schema/thesaurus.yaml``);
  - kind (a mistake to judge, an accusation to verify): the same kind adds
    ``kind`` × its information, another kind takes ``kind_differs`` away;
  - distinctions the query invokes: the same side adds ``sides`` × the
    side's information, the opposite side takes ``opposite_side`` away (the
    strongest evidence against), a side unknown on one part adds half the
    information of the distinction, a precedent that fell on the query's side
    without naming it half the information of that side;
  - six looks, over the factors *both* state: the same value adds ``looks``
    × its information, opposite poles take ``opposite_look`` away, ``mixed``
    against a pole neither (shown as 六看 k/6 相同);
  - domain, regulations, role and level: the same value adds its weight ×
    its information (a different one adds nothing);
  - circumstances that cannot be tolerated (``schema/exclusions.yaml``): one
    both hold adds ``exclusion`` × its information; when only one side holds
    one and the other is a tolerated case (or a description without one
    against a precedent held to account for one), ``excluded_against`` is
    taken away; a precedent held to account for another circumstance adds
    half the information of the not-tolerated side.

* **Score.** With E the summed evidence, the score is ``E / (E + scale)``
  (0 when E ≤ 0): it grows with the evidence and never rescales a thin
  one, so a ranking that rests on common facets alone stays weak. A case
  under ``MIN_SCORE`` is no precedent; a best score under ``WEAK_SCORE`` is
  reported as weak. Precedents inform a decision; the tool never decides.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from casebook.schema import vocabulary as vocab
from casebook.schema.parallel import parallel_map, shared
from casebook.schema.thesaurus import equivalence, thesaurus
from casebook.search.records import Record


@dataclass(frozen=True)
class Weights:
    """How much each kind of evidence counts (multipliers of the information, or evidence taken away)."""

    text: float = 16.0  # × cosine of the key-term vectors
    kind: float = 1.0  # × information of the shared kind
    kind_differs: float = 2.0  # taken away: a mistake against an accusation
    sides: float = 1.25  # × information of the shared side of a distinction
    opposite_side: float = 3.0  # taken away per distinction the two fell on opposite sides of
    looks: float = 0.75  # × information of each six-looks value both share
    opposite_look: float = 0.6  # taken away per six-looks factor on opposite poles
    domain: float = 0.75  # × information of the shared domain
    rules: float = 1.0  # × information of each shared regulation
    role: float = 0.3  # × information of the shared role category
    level: float = 0.2  # × information of the shared rank
    exclusion: float = 1.5  # × information of each shared circumstance that cannot be tolerated
    excluded_against: float = 3.0  # taken away: one side excluded from tolerance, the other not
    scale: float = 4.0  # score = evidence / (evidence + scale)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


WEIGHTS = Weights()
TEXT_ONLY = Weights(**{f.name: 0.0 for f in dataclasses.fields(Weights) if f.name not in ("text", "scale")})
COMPONENTS = ("text", "kind", "distinctions", "looks", "domain", "rules", "role", "exclusion")
COMPONENT_LABELS = {
    "text": "文本相似",
    "kind": "案件类型",
    "distinctions": "三个区分开来",
    "looks": "六看",
    "domain": "工作领域",
    "rules": "违反的规定",
    "role": "身份职级",
    "exclusion": "不予容错情形",
}
# What each weight means, as the report and the page print it (one home: both read this).
WEIGHT_LABELS = {
    "text": "文本相似：乘以关键词向量的余弦",
    "kind": "案件类型相同：乘以该类型的信息量",
    "kind_differs": "案件类型不同：减去",
    "sides": "三个区分开来同侧：乘以该侧的信息量",
    "opposite_side": "三个区分开来相反侧：每项减去",
    "looks": "六看取值相同：乘以该取值的信息量",
    "opposite_look": "六看取值相反：每项减去",
    "domain": "工作领域相同：乘以该领域的信息量",
    "rules": "违反同一规定：乘以该规定的信息量",
    "role": "身份类别相同：乘以其信息量",
    "level": "职级相同：乘以其信息量",
    "exclusion": "涉及同一不予容错情形：乘以其信息量",
    "excluded_against": "一方涉及不予容错情形而另一方不涉及：减去",
    "scale": "相似度 = 证据 ÷（证据 + 此数）",
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

    def idf(self, df: int) -> float:
        """BM25's inverse document frequency (the page gets these numbers as a table, never recomputes them)."""
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def idf_table(self) -> dict[int, float]:
        """The idf of every document frequency a term of this corpus has."""
        return {df: self.idf(df) for df in sorted(set(self.document_frequency.values()))}

    def vector(self, counts: dict[str, int], limit: int | None = KEY_TERMS) -> dict[str, float]:
        """The normalised key-term vector of a bag of terms under this corpus (``limit`` strongest terms)."""
        length = sum(counts.values()) or 1
        weights = {}
        for term, tf in counts.items():
            idf = self.idf(self.document_frequency.get(term, 0))
            saturation = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / (self.average_length or 1)))
            weights[term] = idf * saturation
        top = heapq.nlargest(limit or len(weights), weights.items(), key=lambda kv: (kv[1], kv[0]))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {term: w / norm for term, w in top}

    def count_terms(self, text: str) -> dict[str, int]:
        """The terms of a query's ``text`` that this model knows, with their counts (see :meth:`read_terms`)."""
        return self.read_terms(text)[0]

    def read_terms(self, text: str) -> tuple[dict[str, int], dict[str, str]]:
        """The terms of a query's ``text`` that this model knows, with their counts, and the words written for them.

        The text is cut into the fewest pieces, a piece being a known term (2
        to ``LONGEST_FINDER_TERM`` characters) or one character; among equally short
        cuts the one whose terms are most common in the corpus wins, then the
        one with longer terms first. Each term counts with the known terms
        inside it (as jieba's search mode yields 人防 and 审批 beside 人防审批).
        A word of a thesaurus ring is known when its ring's first word is, and
        counts as that word; the second result maps such a word to what the
        text wrote (人防 -> 人民防空), for the explanation.
        Needs no dictionary but the model's and the thesaurus, so any port reproduces it.
        """
        aliases = ring_heads()
        df_of = self.document_frequency.get
        n = len(text)
        # best[i]: (pieces, -summed document frequency) of the best cut of text[:i], and where its last piece starts
        best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, 0)] * n
        back = [0] * (n + 1)
        for i in range(n):
            pieces, weight = best[i]
            if (pieces + 1, weight) < best[i + 1]:
                best[i + 1], back[i + 1] = (pieces + 1, weight), i
            for j in range(i + 2, min(n, i + LONGEST_FINDER_TERM) + 1):
                word = text[i:j]
                df = df_of(aliases.get(word, word))
                if df is not None and (pieces + 1, weight - df) < best[j]:
                    best[j], back[j] = (pieces + 1, weight - df), i
        cut = []
        j = n
        while j > 0:
            cut.append(text[back[j] : j])
            j = back[j]
        counts: Counter[str] = Counter()
        written: dict[str, str] = {}
        for word in reversed(cut):  # in reading order: the first word written for a ring is the one shown
            head = aliases.get(word, word)
            if head not in self.document_frequency:
                continue
            counts[head] += 1
            if head != word:
                written.setdefault(head, word)
            for length in range(2, len(word)):
                for k in range(len(word) - length + 1):
                    part = word[k : k + length]
                    inner = aliases.get(part, part)
                    if inner in self.document_frequency:
                        counts[inner] += 1
        return dict(counts), written

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


@functools.cache
def ring_heads() -> dict[str, str]:
    """Every word of a thesaurus ring that is not its first word -> the ring's first word."""
    found = thesaurus()
    return {term: ring.head for ring in found.rings for term in ring.terms if term != ring.head}


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


# --- the information of a facet value in this corpus ----------------------


def facet_keys(record: Record) -> list[str]:
    """The facet values a record holds, as the keys of :func:`information` (``domain:engineering`` …)."""
    keys = []
    if record.kind:
        keys.append(f"kind:{record.kind}")
    for name in ("domain", "role", "level"):
        if getattr(record, name):
            keys.append(f"{name}:{getattr(record, name)}")
    keys += [f"rule:{rule}" for rule in record.rules]
    keys += [f"look:{factor}:{value}" for factor, value in record.looks.items()]
    for distinction, side in record.distinctions or ():
        keys.append(f"distinction:{distinction}")
        if side:
            keys.append(f"side:{distinction}:{side}")
    if record.lean:
        keys.append(f"lean:{record.lean}")
    keys += [f"exclusion:{circumstance}" for circumstance in record.exclusions]
    return keys


def information(records: Sequence[Record]) -> dict[str, float]:
    """``ln((N + 1) / (n + 1))`` of every facet value ``records`` hold, over all of them and over each kind.

    Keys are ``value`` over the whole corpus and ``kind|value`` among the cases of one kind
    (``mistake|side:motive:tolerated``: how rare that side is among the mistakes, where a
    description of a mistake is compared); ``""`` and ``kind|`` stand for a value none holds.
    """
    counts: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for record in records:
        keys = set(facet_keys(record))
        counts.update(keys)
        totals[""] += 1
        if record.kind:
            counts.update(f"{record.kind}|{key}" for key in keys)
            totals[f"{record.kind}|"] += 1
    table = {}
    for key, n in sorted(counts.items()):
        scope = key[: key.index("|") + 1] if "|" in key else ""
        table[key] = math.log((totals[scope] + 1) / (n + 1))
    for scope in sorted({"", "mistake|", "accusation|"}):
        table[scope] = math.log(totals[scope] + 1)
    return table


# --- comparing two records -------------------------------------------------


@dataclass(frozen=True)
class FactorComparison:
    factor: str
    query: str  # favourable / unfavourable / mixed / unknown
    precedent: str
    verdict: str  # 相同 / 相反 / 部分相同 / 先例未说明 / 查询未说明

    @property
    def compared(self) -> bool:
        """Both state the factor: only then does it count."""
        return self.query != "unknown" and self.precedent != "unknown"


def _look_verdict(query: str, precedent: str) -> str:
    if query == "unknown":
        return "查询未说明"
    if precedent == "unknown":
        return "先例未说明"
    if query == precedent:
        return "相同"
    if "mixed" in (query, precedent):
        return "部分相同"
    return "相反"


def compare_looks(query: Record, precedent: Record) -> list[FactorComparison]:
    rows = []
    for factor in vocab.ids("factors"):
        q = query.looks.get(factor, "unknown")
        p = precedent.looks.get(factor, "unknown")
        rows.append(FactorComparison(factor, q, p, _look_verdict(q, p)))
    return rows


def _get(table: dict[str, float], key: str, kind: str | None = None) -> float:
    """The information of a value among the cases of the query's ``kind`` (or all); a value none holds: the most."""
    scope = f"{kind}|" if kind else ""
    return table.get(scope + key, table[scope])


def _side_evidence(query: Record, precedent: Record, info: dict[str, float], weights: Weights) -> float:
    mine, theirs = dict(query.distinctions or ()), dict(precedent.distinctions or ())
    evidence = 0.0
    for distinction in vocab.ids("distinctions"):
        if distinction not in mine:
            continue
        side = mine[distinction]
        if distinction in theirs:
            other = theirs[distinction]
            if side is None or other is None:
                evidence += 0.5 * weights.sides * _get(info, f"distinction:{distinction}", query.kind)
            elif side == other:
                evidence += weights.sides * _get(info, f"side:{distinction}:{side}", query.kind)
            else:
                evidence -= weights.opposite_side
        elif side is not None and side == precedent.lean:
            evidence += 0.5 * weights.sides * _get(info, f"lean:{side}", query.kind)
    return evidence


def _look_evidence(query: Record, precedent: Record, info: dict[str, float], weights: Weights) -> float:
    evidence = 0.0
    for factor in vocab.ids("factors"):
        mine, theirs = query.looks.get(factor), precedent.looks.get(factor)
        if mine is None or theirs is None:
            continue  # compared only over the factors both state
        if mine == theirs:
            evidence += weights.looks * _get(info, f"look:{factor}:{mine}", query.kind)
        elif "mixed" not in (mine, theirs):
            evidence -= weights.opposite_look
    return evidence


def _exclusion_evidence(query: Record, precedent: Record, info: dict[str, float], weights: Weights) -> float:
    evidence = 0.0
    shared = False
    for circumstance in query.exclusions:
        if circumstance in precedent.exclusions:
            evidence += weights.exclusion * _get(info, f"exclusion:{circumstance}", query.kind)
            shared = True
    group = vocab.outcome_group(precedent.outcome) if precedent.outcome else None
    if query.exclusions and not shared:
        if group == "tolerated":
            evidence -= weights.excluded_against
        elif precedent.lean == "not_tolerated":
            evidence += 0.5 * weights.exclusion * _get(info, "lean:not_tolerated", query.kind)
    elif not query.exclusions and precedent.exclusions and query.kind == "mistake" and group == "accountable":
        evidence -= weights.excluded_against
    return evidence


def components(
    query: Record, precedent: Record, text: float | None, info: dict[str, float], weights: Weights = WEIGHTS
) -> dict[str, float]:
    """The evidence of each component the query speaks to (in ``COMPONENTS`` order; others are absent).

    ``text`` is the cosine of the two key-term vectors, ``None`` for a query without text.
    """
    parts: dict[str, float] = {}
    if text is not None:
        parts["text"] = weights.text * text
    if query.kind and precedent.kind:
        same = query.kind == precedent.kind
        parts["kind"] = weights.kind * _get(info, f"kind:{query.kind}") if same else -weights.kind_differs
    if query.distinctions:
        parts["distinctions"] = _side_evidence(query, precedent, info, weights)
    if query.looks:
        parts["looks"] = _look_evidence(query, precedent, info, weights)
    if query.domain:
        same = query.domain == precedent.domain
        parts["domain"] = weights.domain * _get(info, f"domain:{query.domain}", query.kind) if same else 0.0
    if query.rules:
        parts["rules"] = 0.0
        for rule in sorted(set(query.rules) & set(precedent.rules)):
            parts["rules"] += weights.rules * _get(info, f"rule:{rule}", query.kind)
    if query.role or query.level:
        role = (
            weights.role * _get(info, f"role:{query.role}", query.kind)
            if query.role and query.role == precedent.role
            else 0.0
        )
        level = (
            weights.level * _get(info, f"level:{query.level}", query.kind)
            if query.level and query.level == precedent.level
            else 0.0
        )
        parts["role"] = role + level
    if query.exclusions or (precedent.exclusions and query.kind == "mistake"):
        parts["exclusion"] = _exclusion_evidence(query, precedent, info, weights)
    return parts


def combine(parts: dict[str, float], weights: Weights) -> float:
    """The score of the summed evidence: ``E / (E + scale)``, 0 when there is none."""
    evidence = 0.0
    for name in COMPONENTS:
        if name in parts:
            evidence += parts[name]
    return evidence / (evidence + weights.scale) if evidence > 0 else 0.0


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
    parts: dict[str, float]  # evidence per component
    text: float  # cosine of the key-term vectors (0 for a query without text)
    looks: list[FactorComparison]
    sides: list[SideComparison]
    shared_terms: list[str]  # as a reader checks them: 人防, or 人民防空 ≈ 人防 where the thesaurus joined two words
    shared_rules: list[str]
    same_domain: bool
    shared_exclusions: list[str]

    @property
    def shared_distinctions(self) -> list[str]:
        """Distinctions both invoke on the same side."""
        return [c.distinction for c in self.sides if c.verdict == "同侧"]

    @property
    def looks_same(self) -> int:
        return sum(1 for c in self.looks if c.compared and c.verdict == "相同")

    @property
    def looks_compared(self) -> int:
        return sum(1 for c in self.looks if c.compared)


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
    exclusions: tuple[str, ...] = ()  # the circumstances that cannot be tolerated the query holds

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


def whole_terms(ranked: Sequence[str], limit: int = 8) -> list[str]:
    """The first ``limit`` terms of ``ranked`` as a reader names them: a word, not also its part.

    jieba's search mode gives a long word's parts as terms of their own, as 易地 and 搬迁 beside
    易地搬迁: a term that is part of exactly one other term of ``ranked`` is left out. A part of
    several words stays, being their common word: 人防 of both 人防事项 and 人防工程.
    """
    return [term for term in ranked if sum(1 for other in ranked if other != term and term in other) != 1][:limit]


def _shared_terms(query: Record, vector: dict[str, float], precedent: Record, theirs: dict[str, float]) -> list[str]:
    """The eight strongest terms both vectors hold (a word, not also its parts), each as the two texts write it."""
    ranked = sorted(((vector[t] * theirs[t], t) for t in vector.keys() & theirs.keys()), reverse=True)
    shown = []
    for term in whole_terms([t for _, t in ranked]):
        mine, other = query.forms.get(term, term), precedent.forms.get(term, term)
        shown.append(mine if mine == other else equivalence(mine, other))
    return shown


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

    def __init__(
        self, records: Sequence[Record], text: TextModel | None = None, info: dict[str, float] | None = None
    ) -> None:
        self.records = list(records)
        self.text = text or build_text_model([r.term_counts for r in self.records])
        self.position = {r.id: i for i, r in enumerate(self.records)}
        # The table of ``information(records)``: an index stores it, so that a query need not count 10,000 cases.
        self.information = info if info is not None else information(self.records)
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
            text = text_scores.get(i, 0.0) if vector else None
            parts = components(query, record, text, self.information, weights)
            score = combine(parts, weights)
            if score >= MIN_SCORE:
                scored.append((score, record.id or "", i, parts))
        scored.sort(key=lambda item: (-item[0], item[1]))
        matches = [self._explain(query, vector, text_scores, i, score, parts) for score, _, i, parts in scored[:k]]
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
        nearest = None
        if different:
            nearest = self._explain(query, vector, text_scores, different[2], different[0], different[3])
        lean = query.lean
        in_corpus = bool(lean) and self._lean_in_corpus(lean or "", include_internal, skip)
        listed = bool(lean) and any(m.record.lean == lean for m in matches)
        return Finding(matches, shares, chosen, nearest, len(scored), lean, listed, in_corpus, query.exclusions)

    def _explain(
        self,
        query: Record,
        vector: dict[str, float],
        text_scores: dict[int, float],
        i: int,
        score: float,
        parts: dict[str, float],
    ) -> Match:
        record = self.records[i]
        return Match(
            record=record,
            score=score,
            parts=parts,
            text=text_scores.get(i, 0.0),
            looks=compare_looks(query, record),
            sides=compare_sides(query, record),
            shared_terms=_shared_terms(query, vector, record, self.text.vectors[i]) if vector else [],
            shared_rules=sorted(set(query.rules) & set(record.rules)),
            same_domain=bool(query.domain) and query.domain == record.domain,
            shared_exclusions=[c for c in query.exclusions if c in record.exclusions],
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
