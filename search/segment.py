"""Query segmentation shared by ``casebook search`` and the site's search page (search.js runs the same).

Documents are segmented by jieba (``search.tokenize``); a query is split by
maximum matching over the index's own terms, in Python here and in the
browser by ``casebook-search.js``, so that the command line and the page
look up the very same terms by construction. The term dictionary
(:func:`term_dictionary`) is built from the same analysis on both sides.

What the segmented words are looked up as, and how the cases found rank, is
``search.tiers`` (the same on both sides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from whoosh.lang.porter import stem

from casebook.search.tokenize import Extra, search_words, segmenter, stop_words

GRAM = 1  # term flag: a 2- or 3-character word of jieba's dictionary
STOP = 2  # term flag: a stop word: segmented as a word (as jieba does), never looked up
LONGEST_SEARCH_TERM = 16  # the segmenter looks no further ahead (longer terms are kept, never matched inside a query)

_HAN = "\u4e00-\u9fd5"  # jieba's range of Han characters
# A Latin run as jieba's HMM step keeps it: letters and digits, a decimal part, a percent sign.
_CHUNK = re.compile(f"[{_HAN}]+|[A-Za-z0-9]+(?:\\.[0-9]+)?%?")
_IS_HAN = re.compile(f"[{_HAN}]")

Lookup = Mapping[str, int | str]


# --- analysis of a document: search.tokenize.analyzer without Whoosh's token objects ---


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    if word not in _STEMS:
        _STEMS[word] = stem(word)
    return _STEMS[word]


def analysed_tokens(text: str, extra: Extra = ()) -> Iterator[tuple[str, str, int, int]]:
    """``search.tokenize.analyzer(extra)`` as plain tuples: (term, surface, start, end).

    The same steps in the same order (jieba's search mode with masked aliases
    whole, ``search.tokenize.search_words``; lowercase; drop stop words; Porter
    stem), a third quicker; a test holds the two equal over the shipped corpus.
    """
    stops = stop_words()
    for word, start, end in search_words(text, extra):
        lower = word.lower()
        if lower in stops:
            continue
        yield _stem(lower), word, start, end


def term_dictionary(terms: Iterable[str], stems: Mapping[str, str], extra: Extra = ()) -> dict[str, int | str]:
    """What the query segmenter knows: every index term (with its GRAM flag), Latin surfaces, stop words.

    A term of two or three characters that jieba's dictionary holds is flagged
    GRAM: jieba's search mode emits such words inside longer ones.
    """
    words = segmenter(extra).FREQ
    known: dict[str, int | str] = {term: GRAM if 2 <= len(term) <= 3 and words.get(term) else 0 for term in terms}
    for surface, root in stems.items():
        known.setdefault(surface, root)
    for word in stop_words():
        known.setdefault(word, STOP)
    return known


# --- query segmentation ----------------------------------------------------------------


def _forward(run: str, known: Lookup, longest: int) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(run):
        for j in range(min(len(run), i + longest), i, -1):
            if run[i:j] in known:
                out.append((run[i:j], True))
                i = j
                break
        else:
            out.append((run[i], False))
            i += 1
    return out


def _backward(run: str, known: Lookup, longest: int) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    j = len(run)
    while j > 0:
        for i in range(max(0, j - longest), j):
            if run[i:j] in known:
                out.append((run[i:j], True))
                j = i
                break
        else:
            out.append((run[j - 1], False))
            j -= 1
    return out[::-1]


def _cost(words: list[tuple[str, bool]]) -> tuple[int, int]:
    return len(words), sum(1 for w, _ in words if len(w) == 1)


def segment(query: str, known: Lookup, longest: int = LONGEST_SEARCH_TERM) -> list[tuple[str, bool]]:
    """Split a query into words of the index (``True``) and characters it does not know (``False``).

    The algorithm (search.js runs the very same):

    1. The query is cut into runs of Han characters and runs of Latin
       letters and digits, as jieba cuts a text into blocks; everything
       else (spaces, punctuation) only separates.
    2. A Latin run (letters and digits, with a decimal part and a percent
       sign, as in 15.5%) is one word, lowercased (as the index is).
    3. A Han run is segmented by maximum matching over the index's terms,
       forward and backward (at most ``longest`` characters ahead). If the
       two differ, the one with fewer words wins, then the one with fewer
       single characters, then the backward one.
    """
    words: list[tuple[str, bool]] = []
    for match in _CHUNK.finditer(query):
        run = match.group()
        if not _IS_HAN.match(run):
            word = run.lower()
            words.append((word, word in known))
            continue
        words += split_run(run, known, longest)
    return words


def split_run(run: str, known: Lookup, longest: int = LONGEST_SEARCH_TERM) -> list[tuple[str, bool]]:
    """A run of Han characters by maximum matching, as step 3 of :func:`segment` says."""
    forward, backward = _forward(run, known, longest), _backward(run, known, longest)
    return forward if forward != backward and _cost(forward) < _cost(backward) else backward
