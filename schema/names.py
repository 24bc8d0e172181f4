"""Unmasked personal names in case text, whatever the surname and the context.

A candidate is a surname (``names.yaml``) followed by one or two Chinese
characters. It is a name when jieba's part-of-speech tagger calls it a person
name (``nr``) or when it stands in a person context (镇长张建国提请…, 对王建国予以…,
经王晓红同意); it is not when it is masked (王某某), a place (张家港市, 王家村,
李庄镇), a form of address without a given name (张书记) or an ordinary word
(高度, 方面, 于是).

Speed: the tagger (about 70,000 characters a second) only ever sees a short
window around a candidate that survived the cheap tests, never a whole text.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

_HAN = re.compile(r"[\u4e00-\u9fff]")
_NAME_TAGS = ("nr", "nrfg", "nrt")
_WINDOW_BEFORE = 4
_WINDOW_AFTER = 6
# Punctuation and edges stand in for a context word on either side: “、张建国、” in a list.
_EDGE = set("、,,。;;::“”\"'‘’()()《》【】[]!!??… \n\t")


@dataclass(frozen=True)
class NameData:
    """The detector's word lists (``names.yaml``)."""

    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    ambiguous: frozenset[str]
    masks: frozenset[str]
    titles: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    strong_before: tuple[str, ...]
    strong_after: tuple[str, ...]
    place_suffixes: frozenset[str]
    place_endings: frozenset[str]
    public_figures: frozenset[str]
    given_chars: frozenset[str]
    surname_pattern: re.Pattern[str]


@functools.cache
def name_data() -> NameData:
    """The word lists, read once (not at import time)."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("casebook.schema").joinpath("names.yaml").read_text(encoding="utf-8")
    )
    compound = frozenset(raw["compound_surnames"])
    singles = frozenset(raw["surnames"].strip())
    titles = tuple(sorted({*raw["titles"], *raw["roles"]}, key=len, reverse=True))
    alternatives = "|".join([*sorted(compound, key=len, reverse=True), "[" + "".join(sorted(singles)) + "]"])
    return NameData(
        surnames=singles,
        compound_surnames=compound,
        ambiguous=frozenset(raw["ambiguous_surnames"].strip()),
        masks=frozenset(raw["masks"].strip()),
        titles=titles,
        before=tuple(sorted({*titles, *raw["relatives"], *raw["before"]}, key=len, reverse=True)),
        after=tuple(sorted({*titles, *raw["after"]}, key=len, reverse=True)),
        strong_before=tuple(sorted({*titles, *raw["relatives"]}, key=len, reverse=True)),
        strong_after=tuple(sorted({*raw["titles"], *raw["strong_after"]}, key=len, reverse=True)),
        place_suffixes=frozenset(raw["place_suffixes"].strip()),
        place_endings=frozenset(raw["place_endings"].strip()),
        public_figures=frozenset(raw["public_figures"]),
        given_chars=frozenset(raw["given_chars"].strip()),
        surname_pattern=re.compile(alternatives),
    )


@functools.cache
def _jieba() -> tuple[dict[str, int], dict[str, str], Any]:
    """jieba's word frequencies, its part-of-speech table and the tagger (loaded on first need)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tagger = jieba.posseg.dt
    tagger.load_word_tag(tagger.tokenizer.get_dict_file()) if not tagger.word_tag_tab else None
    return jieba.dt.FREQ, tagger.word_tag_tab, tagger


@dataclass(frozen=True)
class Name:
    """An unmasked name found in a text: the name and where it starts."""

    name: str
    start: int


def _ends_with(text: str, end: int, words: tuple[str, ...], edge: bool = True) -> bool:
    """Whether ``text[:end]`` ends with one of ``words`` (or, with ``edge``, at punctuation or the start)."""
    if edge and (end == 0 or text[end - 1] in _EDGE):
        return True
    return any(text.endswith(w, 0, end) for w in words)


def _starts_with(text: str, start: int, words: tuple[str, ...], edge: bool = True) -> bool:
    """Whether ``text[start:]`` starts with one of ``words`` (or, with ``edge``, at punctuation or the end)."""
    if edge and (start >= len(text) or text[start] in _EDGE):
        return True
    return text.startswith(words, start)


def _is_plain_word(word: str) -> bool:
    """Whether jieba's dictionary knows ``word`` as something other than a person name."""
    frequencies, tags, _ = _jieba()
    return frequencies.get(word, 0) > 0 and not tags.get(word, "").startswith("nr")


def _tagged_name(text: str, start: int) -> str | None:
    """The person name (nr) the tagger reads at ``start``, looking at a short window only."""
    _, _, tagger = _jieba()
    left = max(0, start - _WINDOW_BEFORE)
    offset = left
    for pair in tagger.cut(text[left : start + _WINDOW_AFTER]):
        if offset == start:
            return pair.word if pair.flag in _NAME_TAGS and 2 <= len(pair.word) <= 4 else None
        offset += len(pair.word)
        if offset > start:
            return None
    return None


def _given(text: str, start: int, data: NameData) -> str:
    """Up to two name characters from ``start``, stopping before a word that follows names (刘芳|在)."""
    given = ""
    for ch in text[start : start + 2]:
        if ch not in data.given_chars or (given and text.startswith(data.after, start + len(given))):
            break
        given += ch
    return given


def _context_name(text: str, start: int, surname: str, data: NameData) -> str | None:
    """A name marked by its context, e.g. 镇长|高峰|表示 or 被|周海涛|挪用, though the tagger missed it.

    A title or a relative before it is enough (会计曾小梅); a preposition or a
    comma before it needs a word after it that follows a person (向吴国平反映).
    """
    given_from = start + len(surname)
    given = _given(text, given_from, data)
    if not given:
        return None
    name = text[start : given_from + len(given)]
    strong = _ends_with(text, start, data.strong_before, edge=False)
    if surname in data.ambiguous and not strong:
        return None  # 应先报告, 经会议: a word, unless a title or a relative names the person
    if not strong and not (_ends_with(text, start, data.before) and _starts_with(text, start + len(name), data.after)):
        return None
    if _is_word(name) or len(given) == 1 and _is_plain_word(text[start + len(name) - 1 : start + len(name) + 1]):
        return None  # a word, or the name would cut one in two: 经会|议
    return name


def _is_word(word: str) -> bool:
    """Whether jieba's dictionary knows ``word`` at all (its nr tags are noisy: 查明, 牟利 are tagged nr)."""
    return _jieba()[0].get(word, 0) > 0


def _is_place(text: str, start: int, name: str, data: NameData) -> bool:
    if _jieba()[1].get(name, "").startswith("ns"):
        return True  # 冷水江, 张家港
    end = start + len(name)
    place_after = text[end : end + 1] in data.place_suffixes and not text.startswith(data.titles, end)
    return name[-1] in data.place_endings or place_after or "家" in name[1:]  # 钟伟民|镇长 is a person


def _candidate(text: str, start: int, surname: str, data: NameData) -> str | None:
    """The name that starts at ``start`` with ``surname``, or None."""
    given_from = start + len(surname)
    first = text[given_from : given_from + 1]
    if first not in data.given_chars or text.startswith(data.titles, given_from):
        return None  # masked (王某), not a name character (许可), or a form of address (张书记)
    before = _ends_with(text, start, data.before)
    if start and not before and _is_plain_word(text[start - 1 : start + 1]):
        return None  # the surname ends a word: 关于, 由于, 对于
    after = any(_starts_with(text, given_from + n, data.after) for n in (1, 2))
    if not (before or after) and _is_plain_word(text[start : given_from + 1]):
        return None  # an ordinary word with nothing around it that takes a person: 高度重视, 方面
    name = None if surname in data.compound_surnames else _tagged_name(text, start)
    if name is not None:
        given = name[len(surname) :]
        strong = _ends_with(text, start, data.strong_before, edge=False) or _starts_with(
            text, start + len(name), data.strong_after, edge=False
        )
        in_context = _ends_with(text, start, data.before, edge=False) or _starts_with(
            text, start + len(name), data.after, edge=False
        )
        if not name.startswith(surname) or not given or not set(given) <= data.given_chars:
            name = None
        elif surname in data.ambiguous and not in_context:
            name = None
        elif not strong and (_is_word(name) if len(given) == 1 else _is_plain_word(name)):
            name = None  # the tagger's nr is noisy on words it knows: 查明, 牟利, 惠民
        elif len(given) == 1 and not _is_word(name):
            name += _given(text, start + len(name), data)[:1]  # the tagger knows 姚明, not 姚明辉
    return name or _context_name(text, start, surname, data)


def find_names(text: str, allowed: frozenset[str] = frozenset()) -> list[Name]:
    """Every unmasked personal name in ``text`` (already normalised), except the ``allowed`` ones."""
    data = name_data()
    found: list[Name] = []
    position = 0
    while match := data.surname_pattern.search(text, position):
        start = match.start()
        position = start + 1
        name = _candidate(text, start, match.group(), data)
        if name is None or _is_place(text, start, name, data) or name in allowed or name in data.public_figures:
            continue
        found.append(Name(name, start))
        position = start + len(name)
    return found
