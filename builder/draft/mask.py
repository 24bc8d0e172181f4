"""Names and personal numbers out of a notice before anything else reads it.

Names are found by the project's own detector (``schema.names.find_names``)
and numbers by the lint's finder (``schema.numbers.find_numbers``), both on
the text as the lint reads it (``schema.reading.read``) and mapped back to
the words as written: the draft keeps nothing the check would find, and it
gets every improvement of either. Each real name becomes one
masked alias for the whole notice (张建国 → 张某某), never shared with
another person; every replacement is listed for the editor.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from casebook.schema import CODES
from casebook.schema.names import find_names, name_data
from casebook.schema.numbers import find_numbers
from casebook.schema.reading import Reading, read

REMOVED = "（已删除）"


@dataclass(frozen=True)
class Replacement:
    """A real name and the alias that replaced it, with how often."""

    name: str
    alias: str
    count: int


@dataclass(frozen=True)
class Removal:
    """A personal number or address taken out of paragraph ``paragraph`` (0-based)."""

    code: str
    words: str
    paragraph: int

    @property
    def kind(self) -> str:
        return CODES[self.code].removeprefix("含")

    @property
    def shown(self) -> str:
        """The removed words with their middle hidden, fit to print on a terminal."""
        keep = max(1, len(self.words) // 4)
        return self.words[:keep] + "*" * (len(self.words) - 2 * keep) + self.words[-keep:]


_MASKED = re.compile(r"[\u4e00-\u9fff]{1,2}某(?:某|甲|乙|丙|丁)?")


def _surname(name: str) -> str:
    compound = name_data().compound_surnames
    return name[:2] if name[:2] in compound and len(name) > 2 else name[:1]


def _aliases(name: str) -> list[str]:
    """Candidate aliases, the usual one first: 张建国 → 张某某, 张伟 → 张某, then 张某甲 …"""
    surname = _surname(name)
    usual = [surname + "某某", surname + "某"] if len(name) - len(surname) >= 2 else [surname + "某", surname + "某某"]
    return usual + [surname + "某" + suffix for suffix in "甲乙丙丁戊己庚辛"]


def _spans(reading: Reading, start: int, end: int) -> tuple[int, int]:
    """Where ``reading.text[start:end]`` stands in the text as written."""
    return reading.raw_offset(start), reading.raw_offset(end - 1) + 1


def _replaced(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, words in sorted(spans, reverse=True):
        text = text[:start] + words + text[end:]
    return text


def mask_names(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], list[Replacement]]:
    """``paragraphs`` with every name the detector finds replaced by an alias, and the replacements."""
    found: list[list[tuple[int, int, str]]] = []
    counts: Counter[str] = Counter()
    for text in paragraphs:
        reading = read(text)
        names = [(*_spans(reading, n.start, n.start + len(n.name)), n.name) for n in find_names(reading.text)]
        found.append(names)
        counts.update(name for _, _, name in names)
    taken = {m.group(0) for text in paragraphs for m in _MASKED.finditer(text)}  # aliases the notice already uses
    chosen: dict[str, str] = {}
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        alias = next(a for a in _aliases(name) if a not in taken)
        taken.add(alias)
        chosen[name] = alias
    masked = []
    for text, names in zip(paragraphs, found, strict=True):
        text = _replaced(text, [(start, end, chosen[name]) for start, end, name in names])
        for name in sorted(chosen, key=len, reverse=True):
            # a name found once is masked wherever it stands, even where its context alone would not show it
            counts[name] += text.count(name)
            text = text.replace(name, chosen[name])
        masked.append(text)
    replacements = [Replacement(name, chosen[name], counts[name]) for name in chosen]
    return tuple(masked), replacements


def remove_numbers(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], list[Removal]]:
    """``paragraphs`` without personal numbers and addresses (ID, phone, e-mail, plate, bank card), and what went."""
    kept, removed = [], []
    for number, text in enumerate(paragraphs):
        reading = read(text)
        findings = find_numbers(reading.text)
        kept.append(_replaced(text, [(*_spans(reading, f.start, f.end), REMOVED) for f in findings]))
        removed += [Removal(f.code, f.text, number) for f in findings]
    return tuple(kept), removed


def names_left(texts: list[str]) -> list[str]:
    """Names the detector still finds in ``texts`` (the written drafts): none, if masking did its work."""
    return [n.name for text in texts for n in find_names(read(text).text)]
