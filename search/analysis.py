"""A text as the search index sees it, and a snippet of it as a results list shows it.

One analysis serves both indexes: the site's search data (``builder/siteindex.py``)
and the sections the command line's index keeps for its snippets
(``search/index.py``). The snippet is chosen, cut and marked by the same steps
as the search page's (``casebook-search.js``: ``highlights``, ``snippet``), so
that ``casebook search`` shows the very lines the page shows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from casebook.schema.text import join_wide
from casebook.search.fields import FIELD_BOOSTS, Section
from casebook.search.segment import GRAM, Lookup, analysed_tokens
from casebook.search.tokenize import Extra, packer

SPAN_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Lists of numbers (postings, places): each digit carries five bits, low bits first; digits 32–63 say that
# more follow.
NUMBER_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
# Where a snippet is taken from, first to last; how long it is and how much comes before the first hit.
SNIPPET_FIELDS = ("facts", "key_point", "rules", "subtitle", "keywords", "body")
SNIPPET_LENGTH = 110
SNIPPET_BEFORE = 30


def encode_spans(spans: Iterable[tuple[int, int]]) -> str:
    """Word spans as two characters each (gap since the last word, length), base 62.

    A gap longer than 61 characters becomes empty words of gap 61; a longer
    word is cut to 61 characters (it is then highlighted in part).
    """
    out = []
    last = 0
    top = len(SPAN_DIGITS) - 1
    for start, end in spans:
        gap = start - last
        while gap > top:
            out.append(SPAN_DIGITS[top] + SPAN_DIGITS[0])
            gap -= top
        out.append(SPAN_DIGITS[gap] + SPAN_DIGITS[min(end - start, top)])
        last = start + min(end - start, top)
    return "".join(out)


def _encode_number(value: int) -> str:
    if value < 0:
        raise ValueError(f"cannot encode a negative number: {value}")
    out = []
    while value >= 32:
        out.append(NUMBER_DIGITS[32 + (value & 31)])
        value >>= 5
    out.append(NUMBER_DIGITS[value])
    return "".join(out)


# The digits of numbers below 2**15 are looked up, not computed (gaps, counts, scores); a number below
# 2**30 (a place) is its low fifteen bits, each group marked "more follow", then the rest.
_SMALL_NUMBERS = [_encode_number(value) for value in range(1 << 15)]
_LOW_GROUPS = [
    NUMBER_DIGITS[32 + (value & 31)] + NUMBER_DIGITS[32 + (value >> 5 & 31)] + NUMBER_DIGITS[32 + (value >> 10)]
    for value in range(1 << 15)
]


def encode_numbers(numbers: Iterable[int]) -> str:
    """Non-negative integers as variable-length base-64 digits (read back by :func:`decode_numbers`)."""
    small, low = _SMALL_NUMBERS, _LOW_GROUPS
    return "".join(
        small[value]
        if 0 <= value < 32768
        else low[value & 32767] + small[value >> 15]
        if 0 < value < 1 << 30
        else _encode_number(value)
        for value in numbers
    )


def decode_numbers(text: str) -> list[int]:
    """The integers of :func:`encode_numbers` (casebook-search.js reads them the same way)."""
    numbers, value, shift = [], 0, 0
    for char in text:
        digit = NUMBER_DIGITS.index(char)
        if digit >= 32:
            value |= (digit - 32) << shift
            shift += 5
        else:
            numbers.append(value | digit << shift)
            value, shift = 0, 0
    if shift:
        raise ValueError("the last number is cut short")
    return numbers


def decode_spans(text: str) -> list[tuple[int, int]]:
    """The word spans of :func:`encode_spans` (casebook-search.js decodes them the same way)."""
    spans, last = [], 0
    for k in range(0, len(text) - 1, 2):
        start = last + SPAN_DIGITS.index(text[k])
        end = start + SPAN_DIGITS.index(text[k + 1])
        if end > start:
            spans.append((start, end))
        last = end
    return spans


def analyse(text: str, extra: Extra = ()) -> dict[str, Any]:
    """One text as the index sees it: term counts, length, word spans, Latin stems and each term's places.

    The word spans are the tokens not inside another token: jieba's words, whose
    search-mode sub-words (grams) the browser recognises by the GRAM flag. A
    place is a sentence and an offset (``search.tokenize.packer``), as the
    command line's index stores it; each term's places are kept written as the
    site's data writes them (count, first place, place-gaps: :func:`encode_numbers`).
    """
    counts: dict[str, int] = defaultdict(int)
    spans: list[tuple[int, int]] = []
    stems: dict[str, str] = {}
    places: dict[str, list[int]] = defaultdict(list)
    pack = packer(text)
    for term, surface, start, end in analysed_tokens(text, extra):
        counts[term] += 1
        places[term].append(pack(start))
        spans.append((start, end))
        if surface.lower() != term:
            stems[surface.lower()] = term
    spans.sort(key=lambda span: (span[0], -span[1]))
    words: list[tuple[int, int]] = []
    for start, end in spans:
        if not words or start >= words[-1][1]:
            words.append((start, end))
    return {
        "c": dict(counts),
        "n": len(spans),
        "w": encode_spans(words),
        "s": stems,
        "p": {term: _place_list(found) for term, found in places.items()},
    }


def _place_list(found: list[int]) -> str:
    ordered = sorted(set(found))
    return encode_numbers([len(ordered), ordered[0], *(b - a for a, b in itertools.pairwise(ordered))])


DocSection = list[str]  # [field, label, text, word spans]


def doc_sections(sections: Sequence[Section], analysed: Mapping[str, Mapping[str, Any]]) -> list[DocSection]:
    """Each labelled section as the results list shows it: [field, label, text, word spans].

    A field's text is its sections joined by line breaks, which no word spans:
    the field's word spans are cut at the sections' bounds.
    """
    out, offsets = [], dict.fromkeys(FIELD_BOOSTS, 0)
    words = {field: decode_spans(found["w"]) for field, found in analysed.items()}
    for section in sections:
        start, end = offsets[section.field], offsets[section.field] + len(section.text)
        offsets[section.field] = end + 1
        inside = [(a - start, b - start) for a, b in words[section.field] if start <= a and b <= end]
        out.append([section.field, section.label, section.text, encode_spans(inside)])
    return out


def highlights(
    text: str, spans: str, terms: Sequence[str], known: Lookup, phrases: Sequence[str] = ()
) -> list[list[int]]:
    """Where the terms stand as whole words (or as jieba's sub-words of a word), and where the phrases
    stand, in ``text``: [[start, end], …] merged, in characters."""
    wanted = set(terms)
    hits: list[list[int]] = []
    for start, end in decode_spans(spans):
        word = text[start:end]
        lower = word.lower()
        stem = known.get(lower)
        if lower in wanted or (isinstance(stem, str) and stem in wanted):
            hits.append([start, end])
            continue
        for term in terms:
            flags = known.get(term)
            if not isinstance(flags, int) or not flags & GRAM or len(word) <= len(term):
                continue
            at = word.find(term)
            while at >= 0:
                hits.append([start + at, start + at + len(term)])
                at = word.find(term, at + 1)
    for phrase in phrases:
        at = text.find(phrase)
        while at >= 0:
            hits.append([at, at + len(phrase)])
            at = text.find(phrase, at + 1)
    hits.sort(key=lambda h: (h[0], -h[1]))
    merged: list[list[int]] = []
    for hit in hits:
        if merged and hit[0] < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hit[1])
        else:
            merged.append(list(hit))
    return merged


def pick_snippet(
    sections: Sequence[DocSection], passes: Sequence[tuple[Sequence[str], Sequence[str]]], known: Lookup
) -> tuple[DocSection | None, list[list[int]]]:
    """The section a snippet is taken from, and its hits: the first section, in the order of
    :data:`SNIPPET_FIELDS`, that holds what a pass looks for ((terms, phrases), tried in turn: the words as
    typed first, then their parts); with none, the subtitle or the facts, unmarked."""
    ordered = [s for field in SNIPPET_FIELDS for s in sections if s[0] == field]
    for terms, phrases in passes:
        if not terms and not phrases:
            continue
        for section in ordered:
            found = highlights(section[2], section[3], terms, known, phrases)
            if found:
                return section, found
    fallback = next((s for field in ("subtitle", "facts") for s in sections if s[0] == field), None)
    return fallback, []


def snippet(section: DocSection | None, hits: Sequence[Sequence[int]]) -> tuple[str, str]:
    """(label, text) of a snippet as ``casebook search`` prints it: 【】 around the hits, … where cut."""
    if section is None:
        return "", ""
    text = section[2]
    first = hits[0][0] if hits else 0
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(text), start + SNIPPET_LENGTH)
    out, at = [], start
    for hit_start, hit_end in hits:
        a, b = max(hit_start, start), min(hit_end, end)
        if b <= a:
            continue
        out += [text[at:a], "【", text[a:b], "】"]
        at = b
    out.append(text[at:end])
    shown = ("…" if start > 0 else "") + join_wide("".join(out).replace("\n", " ")) + ("…" if end < len(text) else "")
    label = section[1] if hits and section[0] != "subtitle" else ""
    return label, shown
