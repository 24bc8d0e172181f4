"""What the precedent finder knows of a case: structured facets plus its terms.

A :class:`Record` is built once per case (by content hash, in the index
cache) so that a query never re-reads YAML or re-runs jieba on the corpus.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from casebook.schema import Case
from casebook.search.termcache import TermCache
from casebook.search.tokenize import terms

# A Case, or a DraftCase (the same fields, all optional; built at run time, so typed loosely).
CaseLike = Case | Any

KNOWN_VALUES = ("favourable", "unfavourable", "mixed")


@dataclass(frozen=True)
class Record:
    """A case (or a draft) as the finder compares it."""

    id: str | None
    title: str
    outcome: str | None
    distinctions: tuple[str, ...] | None  # None: not stated (a query that does not say)
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
    term_counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The record without its terms (stored apart: queries do not need them)."""
        data = asdict(self)
        del data["term_counts"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        distinctions = None if data["distinctions"] is None else tuple(data["distinctions"])
        return cls(**{**data, "distinctions": distinctions, "rules": tuple(data["rules"])})


def _region(case: CaseLike) -> str:
    region = case.region
    if region is None:
        return ""
    return "".join(p for p in (region.province, region.city, region.district) if p)


def record_text(case: CaseLike, *, as_query: bool = False, extra_text: str = "") -> str:
    """The text :func:`record_of` segments for ``case``."""
    return _text(case, with_outcome_words=not as_query) + ("\n" + extra_text if extra_text else "")


def _text(case: CaseLike, with_outcome_words: bool) -> str:
    """The prose the finder compares; titles and key points say how a case ended, so a query may leave them out."""
    parts = [case.facts or ""]
    parts += [r.regulation + (r.summary or "") for r in case.rules_breached or ()]
    if with_outcome_words:
        parts += [case.title or "", case.subtitle or "", " ".join(case.keywords or ()), case.key_point or ""]
    return "\n".join(p for p in parts if p)


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
    outcome = None if as_query or case.outcome is None else case.outcome.result
    publication = case.publication
    return Record(
        id=case.id,
        title=case.title or "",
        outcome=outcome,
        distinctions=None if case.distinctions is None else tuple(sorted({d.distinction for d in case.distinctions})),
        looks=looks,
        domain=case.domain,
        rules=tuple(sorted({r.regulation for r in case.rules_breached or ()})),
        role=case.person.role if case.person else None,
        level=case.person.level if case.person and case.person.level != "unknown" else None,
        key_point=case.key_point or "",
        region=_region(case),
        year=int(publication.published[:4]) if publication else None,
        public=publication.visibility == "public" if publication else True,
        current=publication.status.state == "current" if publication else True,
        term_counts=(cache or TermCache(None)).counts(text),
    )


def record_of_description(
    text: str,
    *,
    factors: dict[str, str] | None = None,
    distinctions: tuple[str, ...] = (),
    domain: str | None = None,
    rules: tuple[str, ...] = (),
    role: str | None = None,
    level: str | None = None,
) -> Record:
    """A query from free text plus whatever factors the committee already knows."""
    looks = {k: v for k, v in (factors or {}).items() if v in KNOWN_VALUES}
    return Record(
        id=None,
        title="",
        outcome=None,
        distinctions=tuple(sorted(set(distinctions))) or None,
        looks=looks,
        domain=domain,
        rules=tuple(sorted(set(rules))),
        role=role,
        level=level,
        term_counts=dict(Counter(terms(text))),
    )


def records_signature(records: list[Record]) -> str:
    """A hash of everything the finder knows of ``records``: equal signatures, equal answers."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r.id or ""):
        # vars(), not dataclasses.asdict: the fields are plain values, and asdict deep-copies them all
        digest.update(json.dumps(vars(record), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()
