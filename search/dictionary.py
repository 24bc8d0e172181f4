"""The domain dictionary shared by the site's search and the precedent index."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from casebook.schema import Case

# jieba's user dictionary format: one term a line, with a frequency and a
# part-of-speech tag, so that the terms stay whole when segmented.
USER_DICTIONARY = Path(str(resources.files("casebook.search").joinpath("userdict.txt")))
_CORPUS_TERM_FREQUENCY = 500


def corpus_terms(cases: Iterable[Case]) -> list[str]:
    """Terms readers type that the corpus itself defines: keywords and place names."""
    terms: set[str] = set()
    for case in cases:
        terms.update(case.keywords)
        terms.update(p for p in (case.region.province, case.region.city, case.region.district) if p)
    return sorted(t for t in terms if 2 <= len(t) <= 12 and " " not in t)


def dictionary_text(cases: Iterable[Case]) -> str:
    """The shipped domain terms plus the corpus's own terms, in jieba's format."""
    shipped = USER_DICTIONARY.read_text(encoding="utf-8")
    known = {line.split()[0] for line in shipped.splitlines() if line.strip()}
    extra = [f"{term} {_CORPUS_TERM_FREQUENCY} n" for term in corpus_terms(cases) if term not in known]
    return shipped + "".join(line + "\n" for line in extra)
