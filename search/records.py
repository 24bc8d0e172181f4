"""What the precedent finder knows of a case: structured facets plus its terms.

A :class:`Record` is built once per case (by content hash, in the index
cache) so that a query never re-reads YAML or re-runs jieba on the corpus.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from casebook.schema.facets import region_name
from casebook.schema.thesaurus import thesaurus
from casebook.search.cues import circumstances, flow
from casebook.search.termcache import TermCache

# A Case, or a DraftCase (the same fields, all optional; built at run time, so typed loosely).
CaseLike = Case | Any

KNOWN_VALUES = ("favourable", "unfavourable", "mixed")
# A distinction a case invokes and the side it fell on (None: side not known, as in a query that does not say).
Side = tuple[str, str | None]


def _finder_stop_words() -> frozenset[str]:
    text = resources.files("casebook.search").joinpath("finder_stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


FINDER_STOP_WORDS = functools.cache(_finder_stop_words)
# Numbers (also in words: 十几万元, 两次), aliases, articles, single letters and province names say nothing of a case.
_NOISE = re.compile(
    r"[0-9０-９]|某|^第.*[条款项章]$|^[a-z]$|^.{2,4}省$"
    r"|^[零〇一二两三四五六七八九十百千万亿几数余多]+[万千百亿元个名户人年月日天次件位家项条多余]*$"
)


def meaningful(term: str) -> bool:
    """Whether a term says something about a case (not a number, an alias, an article or a stock phrase)."""
    return term not in FINDER_STOP_WORDS() and not _NOISE.search(term)


def meaningful_counts(counts: dict[str, int]) -> dict[str, int]:
    return {t: n for t, n in counts.items() if meaningful(t)}


def ring_counts(counts: dict[str, int], text: str) -> tuple[dict[str, int], dict[str, str]]:
    """``counts`` with the thesaurus applied, and the form the text mostly writes each ring in.

    Every word of a ring counts as the ring's first word, found in ``text``
    itself (jieba may cut 人民防空 as 人民/防空): a case and a query that
    name one thing in two ways share the term. The forms (head -> the
    written word, where it differs) let an explanation say 人民防空 ≈ 人防.
    """
    found = thesaurus()
    out = {t: n for t, n in counts.items() if found.ring(t) is None}
    forms: dict[str, str] = {}
    for ring in found.rings:
        written = {term: n for term in ring.terms if (n := text.count(term))}
        if written:
            out[ring.head] = out.get(ring.head, 0) + sum(written.values())
            most = max(ring.terms, key=lambda term: (written.get(term, 0), -ring.terms.index(term)))
            if most != ring.head:
                forms[ring.head] = most
    return out, forms


def kind_of_outcome(outcome: str | None) -> str | None:
    """A decided case's kind: name clearing answered an accusation; every other outcome judged a mistake."""
    if outcome is None:
        return None
    return "accusation" if vocab.outcome_group(outcome) == "cleared" else "mistake"


def lean_of(sides: tuple[Side, ...] | None, outcome: str | None = None) -> str | None:
    """The side a case fell on as a whole: a not-tolerated distinction, else the ruling's group, else its sides."""
    named = {side for _, side in sides or () if side}
    if "not_tolerated" in named:
        return "not_tolerated"
    group = vocab.outcome_group(outcome) if outcome else None
    if group == "accountable":
        return "not_tolerated"
    if group == "tolerated" or (group in (None, "unknown") and "tolerated" in named):
        return "tolerated"
    return None


@dataclass(frozen=True)
class Record:
    """A case (or a draft) as the finder compares it."""

    id: str | None
    title: str
    outcome: str | None
    distinctions: tuple[Side, ...] | None  # (distinction, side); None: not stated (a query that does not say)
    looks: dict[str, str]  # factor -> favourable / unfavourable / mixed (unknown left out)
    domain: str | None
    rules: tuple[str, ...]
    role: str | None
    level: str | None
    key_point: str = ""
    region: str = ""
    year: int | None = None
    public: bool = True
    current: bool = True
    kind: str | None = None  # mistake (to judge) / accusation (to verify); None: not known
    lean: str | None = None  # tolerated / not_tolerated: the side the case fell on as a whole
    exclusions: tuple[
        str, ...
    ] = ()  # circumstances that cannot be tolerated, read from the facts (schema/exclusions.yaml)
    forms: dict[str, str] = field(default_factory=dict)  # thesaurus ring head -> the word the case writes for it
    term_counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The record without its terms (stored apart: queries do not need them)."""
        data = asdict(self)
        del data["term_counts"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        distinctions = None if data["distinctions"] is None else tuple((d, s) for d, s in data["distinctions"])
        return cls(
            **{
                **data,
                "distinctions": distinctions,
                "rules": tuple(data["rules"]),
                "exclusions": tuple(data["exclusions"]),
            }
        )


def record_text(case: CaseLike, *, as_query: bool = False, extra_text: str = "") -> str:
    """The text :func:`record_of` segments for ``case``."""
    return _text(case, with_outcome_words=not as_query) + ("。" + flow(extra_text) if extra_text else "")


def _text(case: CaseLike, with_outcome_words: bool) -> str:
    """The prose the finder compares; titles and key points say how a case ended, so a query may leave them out.

    Regulation names are compared whole (the rules component), not as words: their fragments say nothing.
    """
    parts = [case.facts or ""]
    parts += [r.summary for r in case.rules_breached or () if r.summary]
    if with_outcome_words:
        parts += [case.title or "", case.subtitle or "", " ".join(case.keywords or ()), case.key_point or ""]
    return flow("\n\n".join(p for p in parts if p))


def record_of(
    case: CaseLike, *, as_query: bool = False, extra_text: str = "", cache: TermCache | None = None
) -> Record:
    """The record of a case or draft.

    ``as_query`` keeps only what is known before a decision (facts, rules,
    distinctions, six looks, domain, role): how leave-one-out hides the outcome.
    """
    looks = {
        factor: finding.value for factor, finding in (case.six_looks or {}).items() if finding.value in KNOWN_VALUES
    }
    text = record_text(case, as_query=as_query, extra_text=extra_text)
    outcome = None if as_query or case.outcome is None or case.outcome.result is None else case.outcome.result
    publication = case.publication
    sides = None if case.distinctions is None else tuple(sorted({(d.distinction, d.side) for d in case.distinctions}))
    person = case.person
    kind = kind_of_outcome(outcome)
    # What cannot be tolerated is read from what happened (the facts), never from the ruling's words;
    # a name-clearing case's facts report an accusation, which is no finding.
    facts = text if as_query else record_text(case, as_query=True)
    excluded = () if kind == "accusation" else tuple(circumstances(facts))
    counts, forms = ring_counts(meaningful_counts((cache or TermCache(None)).counts(text)), text)
    return Record(
        id=case.id,
        title=case.title or "",
        outcome=outcome,
        distinctions=sides,
        looks=looks,
        domain=case.domain,
        rules=tuple(sorted({r.regulation for r in case.rules_breached or () if r.regulation})),
        role=person.role if person else None,
        level=person.level if person and person.level not in (None, "unknown") else None,
        key_point=case.key_point or "",
        region=region_name(case),
        year=int(publication.published[:4]) if publication and publication.published else None,
        public=publication.visibility != "internal" if publication else True,
        current=not (publication and publication.status and publication.status.state == "withdrawn"),
        kind=kind,
        lean=lean_of(sides, outcome),
        exclusions=excluded,
        forms=forms,
        term_counts=counts,
    )


def records_signature(records: list[Record]) -> str:
    """A hash of everything the finder knows of ``records``: equal signatures, equal answers."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.id or ""):
        # vars(), not dataclasses.asdict: the fields are plain values, and asdict deep-copies them all
        digest.update(json.dumps(vars(record), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()
