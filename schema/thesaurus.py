"""The thesaurus of the field (``thesaurus.yaml``): rings of words that stand for the same thing.

Search and the precedent finder both read it (never at import time): a word of
a ring matches every other word of its ring, and what they show names the
equivalence used (:func:`equivalence`, 人民防空 ≈ 人防). This module only
loads and checks the data; each reader decides how to apply it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

KINDS = {"abbreviation": "简称", "synonym": "同义", "variant": "写法"}
SHORTEST, LONGEST = 2, 12  # characters of a term


@dataclass(frozen=True)
class Ring:
    """Words that stand for the same thing; ``terms[0]`` is the form the cases mostly write."""

    terms: tuple[str, ...]
    kind: str
    note: str = ""

    @property
    def head(self) -> str:
        return self.terms[0]


@dataclass(frozen=True)
class Thesaurus:
    rings: tuple[Ring, ...]

    @functools.cached_property
    def _ring_of(self) -> dict[str, Ring]:
        return {term: ring for ring in self.rings for term in ring.terms}

    def ring(self, term: str) -> Ring | None:
        """The ring ``term`` belongs to, if any."""
        return self._ring_of.get(term)

    def head(self, term: str) -> str:
        """The ring's first term for a word of a ring; any other word itself."""
        ring = self._ring_of.get(term)
        return ring.head if ring else term

    def equivalents(self, term: str) -> tuple[str, ...]:
        """The other words of ``term``'s ring, in file order (none for a word of no ring)."""
        ring = self._ring_of.get(term)
        return tuple(t for t in ring.terms if t != term) if ring else ()

    def terms(self) -> tuple[str, ...]:
        """Every word of every ring, in file order."""
        return tuple(self._ring_of)

    def as_data(self) -> list[dict[str, Any]]:
        """The rings as plain data (for the page scripts, which apply them as the Python side does)."""
        return [{"terms": list(r.terms), "kind": r.kind} for r in self.rings]


def equivalence(written: str, matched: str) -> str:
    """How a reader is told that one word was taken for another: 人民防空 ≈ 人防."""
    return f"{written} ≈ {matched}"


def _problem(entry: Any, seen: dict[str, int], n: int) -> str | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("terms"), list):
        return "应为含 terms 列表的映射"
    unknown = sorted(set(entry) - {"terms", "kind", "note"})
    if unknown:
        return f"未知的键 {'、'.join(unknown)}"
    terms = [str(t) for t in entry["terms"]]
    if len(terms) < 2:
        return "至少要有两个词"
    if entry.get("kind") not in KINDS:
        return f"kind 应为 {' / '.join(KINDS)} 之一"
    for term in terms:
        if not SHORTEST <= len(term) <= LONGEST or any(c.isspace() for c in term):
            return f"“{term}”应为 {SHORTEST} 至 {LONGEST} 个字、不含空格的词"
        if term in seen:
            where = "本组" if seen[term] == n else f"第 {seen[term]} 组"
            return f"“{term}”已在{where}中出现，一个词只能属于一组"
        seen[term] = n
    return None


def build_thesaurus(data: Any) -> Thesaurus:
    """A thesaurus from the parsed ``thesaurus.yaml`` (raises ``ValueError`` naming a bad ring)."""
    entries = data.get("rings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError("thesaurus.yaml：顶层应有 rings 列表")
    seen: dict[str, int] = {}
    rings = []
    for n, entry in enumerate(entries, start=1):
        problem = _problem(entry, seen, n)
        if problem:
            raise ValueError(f"thesaurus.yaml 第 {n} 组：{problem}")
        rings.append(Ring(tuple(str(t) for t in entry["terms"]), entry["kind"], str(entry.get("note") or "")))
    return Thesaurus(tuple(rings))


@functools.cache
def thesaurus() -> Thesaurus:
    """The shipped thesaurus (read on first use)."""
    text = resources.files("casebook.schema").joinpath("thesaurus.yaml").read_text("utf-8")
    return build_thesaurus(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
