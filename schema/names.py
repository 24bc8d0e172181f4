"""Unmasked personal names in case text, whatever the surname and the context.

A candidate is a surname (``names.yaml``) followed by one or two Chinese
characters. It is a name when jieba's part-of-speech tagger calls it a person
name (``nr``) or when it stands in a person context (镇长张建国提请…, 对王建国予以…,
经王晓红同意); it is not when it is masked (王某某), a place (张家港市， 王家村，
李庄镇), a form of address without a given name (张书记) or an ordinary word
（高度， 方面， 于是）.

Speed: the tagger (about 70,000 characters a second) only ever sees a short
window around a candidate that survived the cheap tests, never a whole text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from casebook.schema import jiebadict as jiebadict

_HAN = re.compile(r"[\u4e00-\u9fff]")
_NAME_TAGS = ("nr", "nrfg", "nrt")
_WINDOW_BEFORE = 4
_WINDOW_AFTER = 6
# Punctuation and edges stand in for a context word on either side: “、张建国、” in a list.
_EDGE = set("、,,。;;::“”\"'‘’()()《》【】[]!!??… \n\t")


@dataclass(frozen=True)
class Words:
    """A word list, ready for quick tests at either end of a position."""

    ordered: tuple[str, ...]  # longest first, for ``str.startswith``
    members: frozenset[str]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, *lists: Any) -> Words:
        words = {w for words in lists for w in words}
        return cls(
            tuple(sorted(words, key=len, reverse=True)), frozenset(words), tuple(sorted({len(w) for w in words}))
        )


@dataclass(frozen=True)
class NameData:
    """The detector's word lists (``names.yaml``)."""

    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    ambiguous: frozenset[str]
    masks: frozenset[str]
    titles: tuple[str, ...]
    before: Words
    after: Words
    strong_before: Words
    strong_after: Words
    place_suffixes: frozenset[str]
    place_endings: frozenset[str]
    org_suffixes: frozenset[str]
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
        before=Words.of(titles, raw["relatives"], raw["before"]),
        after=Words.of(titles, raw["after"]),
        strong_before=Words.of(titles, raw["relatives"]),
        strong_after=Words.of(raw["titles"], raw["strong_after"]),
        place_suffixes=frozenset(raw["place_suffixes"].strip()),
        place_endings=frozenset(raw["place_endings"].strip()),
        org_suffixes=frozenset(raw["org_suffixes"].strip()),
        public_figures=frozenset(raw["public_figures"]),
        given_chars=frozenset(raw["given_chars"].strip()),
        surname_pattern=re.compile(alternatives),
    )


@functools.cache
def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies, and which of its words it tags as person (nr) or place (ns) names.

    Both come from :mod:`casebook.schema.jiebadict` (a quarter of jieba's own load time) rather
    than through ``jieba.posseg``, whose import costs well over a second.
    """
    return jiebadict.frequencies(), jiebadict.name_tags()


@functools.cache
def _tagger() -> Any:
    """jieba's part-of-speech tagger, imported only when a candidate needs it."""
    _dictionary()
    import jieba.posseg

    return jieba.posseg.dt


def prepare() -> None:
    """Load the dictionary now (before forking workers, so that they share it)."""
    _dictionary()


@dataclass(frozen=True)
class Name:
    """An unmasked name found in a text: the name and where it starts."""

    name: str
    start: int


def _ends_with(text: str, end: int, words: Words, edge: bool = True) -> bool:
    """Whether ``text[:end]`` ends with one of ``words`` (or, with ``edge``, at punctuation or the start)."""
    if edge and (end == 0 or text[end - 1] in _EDGE):
        return True
    return any(text[end - n : end] in words.members for n in words.lengths if n <= end)


def _starts_with(text: str, start: int, words: Words, edge: bool = True) -> bool:
    """Whether ``text[start:]`` starts with one of ``words`` (or, with ``edge``, at punctuation or the end)."""
    if edge and (start >= len(text) or text[start] in _EDGE):
        return True
    return any(text[start : start + n] in words.members for n in words.lengths)


def _is_plain_word(word: str) -> bool:
    """Whether jieba's dictionary knows ``word`` as something other than a person name."""
    frequencies, tags = _dictionary()
    return frequencies.get(word, 0) > 0 and tags.get(word) != "nr"


def _segment_at(text: str, start: int) -> str | None:
    """The word jieba's segmenter (not the tagger) reads at ``start``, in a short window."""
    import jieba

    left = max(0, start - _WINDOW_BEFORE)
    for word, begin, _ in jieba.tokenize(text[left : start + _WINDOW_AFTER]):
        if begin + left == start:
            return word
        if begin + left > start:
            return None
    return None


def _tagged_name(text: str, start: int) -> str | None:
    """The person name (nr) the tagger reads at ``start``, looking at a short window only.

    The segmenter looks first: when it reads an ordinary word there (安心， 公卫),
    the tagger is not asked, and is never even imported for most texts.
    """
    frequencies, tags = _dictionary()
    data = name_data()
    word = _segment_at(text, start)
    if word is None or len(word) < 2 or (frequencies.get(word, 0) > 0 and tags.get(word) != "nr"):
        return None  # an ordinary word
    end = start + len(word)
    unit = text[end : end + 1] in data.org_suffixes and (
        text[start] in data.ambiguous or not text.startswith(data.titles, end)
    )
    if unit or not set(word[1:]) <= data.given_chars:
        return None  # a unit (公卫|科长, but 张建国|局长), or not name characters (秦风网)
    tagger = _tagger()
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
        if ch not in data.given_chars or (given and _starts_with(text, start + len(given), data.after, edge=False)):
            break
        given += ch
    return given


def _context_name(text: str, start: int, surname: str, data: NameData) -> str | None:
    """A name marked by its context, e.g. 镇长|高峰|表示 or 被|周海涛|挪用， though the tagger missed it.

    A title or a relative before it is enough (会计曾小梅); a preposition or a
    comma before it needs a word after it that follows a person (向吴国平反映).
    """
    given_from = start + len(surname)
    given = _given(text, given_from, data)
    if not given:
        return None
    name = text[start : given_from + len(given)]
    strong = _ends_with(text, start, data.strong_before, edge=False)
    if surname in data.ambiguous and not (
        strong or _starts_with(text, start + len(name), data.strong_after, edge=False)
    ):
        return None  # 应先报告, 经会议: a word, unless a title, a relative or a word of speech marks the person
    if not strong and not (_ends_with(text, start, data.before) and _starts_with(text, start + len(name), data.after)):
        return None
    if _is_word(name) or (len(given) == 1 and _is_plain_word(text[start + len(name) - 1 : start + len(name) + 1])):
        return None  # a word, or the name would cut one in two: 经会|议
    return name


def _is_word(word: str) -> bool:
    """Whether jieba's dictionary knows ``word`` at all (its nr tags are noisy: 查明， 牟利 are tagged nr)."""
    return _dictionary()[0].get(word, 0) > 0


def _is_place(text: str, start: int, name: str, data: NameData) -> bool:
    if _dictionary()[1].get(name) == "ns":
        return True  # 冷水江, 张家港
    end = start + len(name)
    place_after = text[end : end + 1] in data.place_suffixes and not text.startswith(data.titles, end)
    return name[-1] in data.place_endings or place_after or "家" in name[1:]  # 钟伟民|镇长 is a person


def _place_ahead(text: str, given_from: int, data: NameData) -> bool:
    """Whether an administrative suffix follows one or two characters on: 凤阳|县， 桑珠孜|区 (not 张建国|镇长)."""
    for end in (given_from + 1, given_from + 2):
        if text[end : end + 1] in data.place_endings and not text.startswith(data.titles, end):
            return True
    return False


def _candidate(text: str, start: int, surname: str, data: NameData) -> str | None:
    """The name that starts at ``start`` with ``surname``, or None.

    Cheap tests first (name characters, masks, places, dictionary words, the
    context); the tagger runs only for what is left.
    """
    given_from = start + len(surname)
    first = text[given_from : given_from + 1]
    if first not in data.given_chars or text.startswith(data.titles, given_from):
        return None  # masked (王某), not a name character (许可), or a form of address (张书记)
    if (start and text[start - 1] in data.masks) or _place_ahead(text, given_from, data):
        return None  # part of a masked name (某危桥) or a place (陆良县)
    titled = _ends_with(text, start, data.strong_before, edge=False)
    if start and not titled and _is_plain_word(text[start - 1 : start + 1]):
        return None  # the surname ends a word: 关于, 由于, 把关 (but 当事人|马俊峰, 董事长|田志刚)
    before = _ends_with(text, start, data.before)
    if not before and _is_plain_word(text[start : given_from + 1]):
        return None  # an ordinary word not after a word that takes a person: 高度重视, 出于公心
    name = _context_name(text, start, surname, data)
    if name is not None or surname in data.compound_surnames:
        return name
    strong = titled or any(_starts_with(text, given_from + n, data.strong_after, edge=False) for n in (1, 2))
    if not strong and (surname in data.ambiguous or _is_word(text[start : given_from + 1])):
        return None  # 原文没有, 查明, 牟利: words, unless a title or a word of speech marks a person
    return _checked_tag(text, start, surname, data)


def _checked_tag(text: str, start: int, surname: str, data: NameData) -> str | None:
    """The tagger's person name at ``start``, unless it is a word the tagger is known to mistake for one."""
    name = _tagged_name(text, start)
    if name is None or not name.startswith(surname):
        return None
    given = name[len(surname) :]
    if not given or not set(given) <= data.given_chars:
        return None
    strong = _ends_with(text, start, data.strong_before, edge=False) or _starts_with(
        text, start + len(name), data.strong_after, edge=False
    )
    if not strong and (_is_word(name) if len(given) == 1 else _is_plain_word(name)):
        return None  # the tagger's nr is noisy on words it knows: 查明, 牟利, 惠民
    if len(given) == 1 and not _is_word(name):
        name += _given(text, start + len(name), data)[:1]  # the tagger knows 姚明, not 姚明辉
    return name


def _is_unit(text: str, end: int, data: NameData) -> bool:
    """Whether a unit's suffix follows (鲁中晨|报、), not a title (张建国|局长) or a word (王建国|报告)."""
    if text[end : end + 1] not in data.org_suffixes or text.startswith(data.titles, end):
        return False
    return not _is_plain_word(text[end : end + 2])


def find_names(text: str, allowed: frozenset[str] = frozenset()) -> list[Name]:
    """Every unmasked personal name in ``text`` (already normalised), except the ``allowed`` ones."""
    data = name_data()
    found: list[Name] = []
    position = 0
    while match := data.surname_pattern.search(text, position):
        start = match.start()
        position = start + 1
        name = _candidate(text, start, match.group(), data)
        if name is None or _is_place(text, start, name, data) or _is_unit(text, start + len(name), data):
            continue
        if text[start + len(name) : start + len(name) + 1] in data.masks or name in allowed | data.public_figures:
            continue  # 向|成某: the masked alias starts inside the candidate
        found.append(Name(name, start))
        position = start + len(name)
    return found
