"""The one domain dictionary of every index: shipped domain terms plus the corpus's own terms.

The command line's Whoosh index and the site's search index both segment
with it, so that a term stays whole everywhere:
the shipped terms (``userdict.txt``: 容缺、容缺办理、三个区分开来 …) and the
keywords and place names of the published cases (清江浦区、淮安市 …). Only
public cases contribute: an internal case's words must not shape a public
artifact, and the command line and the public site must agree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from casebook.schema import Case

# jieba's user dictionary format: one term a line, with a frequency and a
# part-of-speech tag, so that the terms stay whole when segmented.
USER_DICTIONARY = Path(str(resources.files("casebook.search").joinpath("userdict.txt")))
CORPUS_TERM_FREQUENCY = 500
# What jieba segments as one block (its ``re_han_default``): a term is only kept whole within one.
_BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]+")


@functools.cache
def shipped_terms() -> frozenset[str]:
    """The terms of the shipped domain dictionary."""
    text = USER_DICTIONARY.read_text(encoding="utf-8")
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


def case_terms(case: Case) -> list[str]:
    """The terms one case adds to the dictionary: its keywords and place names (none if it is internal)."""
    if not case.is_public:
        return []
    region = (case.region.province, case.region.city, case.region.district)
    pieces = {piece for text in (*case.keywords, *(p for p in region if p)) for piece in _BLOCK.findall(text)}
    return sorted(t for t in pieces if 2 <= len(t) <= 12)


def corpus_terms(cases: Iterable[Case]) -> list[str]:
    """Terms readers type that the published corpus itself defines: keywords and place names."""
    return extra_terms({t for case in cases for t in case_terms(case)})


def extra_terms(terms: Iterable[str]) -> list[str]:
    """``terms`` not in the shipped dictionary, sorted (the shipped frequency of a term wins)."""
    shipped = shipped_terms()
    return sorted({t for t in terms if t not in shipped})
