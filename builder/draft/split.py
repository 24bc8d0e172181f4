"""Find the cases a notice reports: a batch numbers them, a single report is one case.

A batch heads each case with the same kind of number at the start of a
paragraph: 案例一 / 案例1, 一、 二、, 1. 2. or （一）（二）. Two headings of one
kind or more make a batch; the text before the first is the notice's
preamble, and a closing paragraph after the last case (下一步… 今后…) is left
out of it. Anything else is one case: the whole article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMERAL = "一二三四五六七八九十"
_KINDS = {
    "案例": re.compile(rf"^(?:典型)?案例\s*([{_NUMERAL}]+|\d+)\s*[：:、.．\s]?"),
    "一、": re.compile(rf"^([{_NUMERAL}]+)、"),
    "1.": re.compile(r"^(\d{1,2})\s*[.．、](?!\d)"),
    "（一）": re.compile(rf"^[（(]([{_NUMERAL}]+|\d+)[)）]"),
}
# A heading is short; a long paragraph starting with 1. is the case itself (its first sentence the heading).
_HEADING_MAX = 90
_CLOSING = re.compile(r"^(?:下一步|今后|接下来|此外|近年来|据悉|据了解|目前|各级|全省|全市|全区|全县)")
_SENTENCE_END = re.compile(r"[。！？]")


@dataclass(frozen=True)
class Passage:
    """The text of one case: its heading (if the notice numbered it) and its paragraphs."""

    heading: str | None
    paragraphs: tuple[str, ...]
    first: int  # index of its first paragraph in the notice


def _value(number: str) -> int:
    if number.isdigit():
        return int(number)
    if number == "十":
        return 10
    tens, _, ones = number.partition("十")
    if "十" in number:
        return (_NUMERAL.index(tens) + 1 if tens else 1) * 10 + (_NUMERAL.index(ones) + 1 if ones else 0)
    return _NUMERAL.index(number) + 1 if len(number) == 1 else 0


def _headings(paragraphs: tuple[str, ...]) -> list[int]:
    """Indexes of the paragraphs that head cases: the first kind of numbering that counts 1, 2, … at least twice."""
    for pattern in _KINDS.values():
        found: list[int] = []
        for index, text in enumerate(paragraphs):
            match = pattern.match(text)
            if match and _value(match.group(1)) == len(found) + 1:
                found.append(index)
        if len(found) >= 2:
            return found
    return []


def _heading_and_body(text: str) -> tuple[str, str]:
    """A numbered paragraph as heading and body: short ones are all heading; long ones end it at the first stop."""
    if len(text) <= _HEADING_MAX:
        return text, ""
    stop = _SENTENCE_END.search(text)
    if stop is None or stop.end() > _HEADING_MAX:
        return "", text
    return text[: stop.end()], text[stop.end() :].strip()


def split_cases(paragraphs: tuple[str, ...]) -> list[Passage]:
    """The cases in a notice's paragraphs, in order (one passage for a notice that numbers none)."""
    starts = _headings(paragraphs)
    if not starts:
        return [Passage(None, paragraphs, 0)]
    passages = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(paragraphs)
        body = list(paragraphs[start + 1 : end])
        if n + 1 == len(starts):
            while body and _CLOSING.match(body[-1]):
                body.pop()
        heading, rest = _heading_and_body(paragraphs[start])
        passages.append(Passage(heading or None, tuple(([rest] if rest else []) + body), start))
    return passages


def strip_number(heading: str) -> str:
    """A heading without its number: 1.孝感市… → 孝感市…, 案例一：… → …"""
    for pattern in _KINDS.values():
        match = pattern.match(heading)
        if match:
            return heading[match.end() :].strip(" ：:")
    return heading
