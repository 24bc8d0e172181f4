"""Unmasked personal names in case text, as they really are written.

Four kinds of candidate, each scored rather than looked up in a list of given names:

- a surname (``names.yaml``, compound ones too) and one or two characters: how
  much those characters look like a given name comes from a small model
  (``names_model.txt``: for each character, how much likelier it is in a
  given name than in running text, distilled from jieba's part-of-speech
  model) — so 王长春， 孙毅 and 赵冬梅 need no list of given names;
- two parts joined by a middle dot or a look-alike (阿依古丽·吐尔逊， 买买提·艾力);
- Tibetan, Mongolian, Yi and Dai names made of known name parts (扎西多吉，
  次仁卓玛， 巴特尔， 吉克阿依), which carry no Han surname;
- pinyin (Zhang Jianguo, WANG Xiaohong, Xiaohong Wang).

The words around a candidate raise or lower its score: a title, a role or a
relative before it, a verb of speech or an honorific after it, punctuation
on either side. Ordinary words (高度， 于是， 马上 — jieba's dictionary, in the
same model file), places (张家港市， 王家村), units (鲁中晨报) and masked aliases
（王某某） are no names. The model file is generated from jieba by
:func:`write_model` (``python -m casebook.schema.names``); loading it takes a
few hundredths of a second, so no command pays for jieba to check names.

The text is a reading (:mod:`casebook.schema.reading`): lines joined, invisible
characters gone, traditional characters folded.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

MODEL_FILE = "names_model.txt"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_IS_HAN = re.compile(f"[{_HAN}]")
_DOTS = "·•・‧∙⋅･"
# Where a sentence or a clause starts or ends: a name may stand right next to it.
_EDGE = set("、,，。.;；:：“”\"'‘’「」『』()（）《》【】[]!！?？… \n\t|｜-—")
_STRONG_EDGE = set('：:（(「“"|｜')
THRESHOLD = 3.0
# A count of people right after a list of names: 平措、边巴、拉巴次仁三名护林员.
_PEOPLE_COUNT = re.compile("[0-9一二两三四五六七八九十几多]+[名人位个]")


@dataclass(frozen=True)
class Words:
    """A word list, ready for quick tests at either end of a position."""

    members: frozenset[str]
    lengths: tuple[int, ...]

    @classmethod
    def of(cls, *lists: Any) -> Words:
        words = {w for words in lists for w in words}
        return cls(frozenset(words), tuple(sorted({len(w) for w in words}, reverse=True)))

    def ending_at(self, text: str, end: int) -> str | None:
        """The longest word of the list that ends at ``end`` in ``text``."""
        return next(
            (text[end - n : end] for n in self.lengths if n <= end and text[end - n : end] in self.members), None
        )

    def starting_at(self, text: str, start: int) -> str | None:
        """The longest word of the list that starts at ``start`` in ``text``."""
        return next((text[start : start + n] for n in self.lengths if text[start : start + n] in self.members), None)


@dataclass(frozen=True)
class NameData:
    """The detector's word lists (``names.yaml``)."""

    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    ambiguous: frozenset[str]
    masks: frozenset[str]
    titles: Words
    people_before: Words  # titles, roles and relatives: a person follows
    before: Words
    after: Words
    speech: Words
    honorifics: Words
    deng: Words
    place_suffixes: frozenset[str]
    place_endings: frozenset[str]
    org_suffixes: frozenset[str]
    unit_endings: Words
    public_figures: frozenset[str]
    not_names: frozenset[str]
    minority_parts: Words
    minority_ambiguous: frozenset[str]
    pinyin_surnames: frozenset[str]
    pinyin_syllables: frozenset[str]
    given_chars: frozenset[str]
    surname_pattern: re.Pattern[str]


@functools.cache
def name_data() -> NameData:
    """The word lists, read once (not at import time)."""
    raw: dict[str, Any] = yaml.load(
        resources.files("casebook.schema").joinpath("names.yaml").read_text(encoding="utf-8"), Loader=_YamlLoader
    )
    compound = frozenset(raw["compound_surnames"])
    singles = frozenset(raw["surnames"].strip())
    alternatives = "|".join([*sorted(compound, key=len, reverse=True), "[" + "".join(sorted(singles)) + "]"])
    return NameData(
        surnames=singles,
        compound_surnames=compound,
        ambiguous=frozenset(raw["ambiguous_surnames"].strip()),
        masks=frozenset(raw["masks"].strip()),
        titles=Words.of(raw["titles"]),
        people_before=Words.of(raw["titles"], raw["roles"], raw["relatives"]),
        before=Words.of(raw["before"]),
        after=Words.of(raw["after"]),
        speech=Words.of(raw["speech"]),
        honorifics=Words.of(raw["honorifics"]),
        deng=Words.of(raw["deng_after"]),
        place_suffixes=frozenset(raw["place_suffixes"].strip()),
        place_endings=frozenset(raw["place_endings"].strip()),
        org_suffixes=frozenset(raw["org_suffixes"].strip()),
        unit_endings=Words.of(raw["unit_endings"]),
        public_figures=frozenset(raw["public_figures"]),
        not_names=frozenset(raw["not_names"]),
        minority_parts=Words.of(raw["tibetan_parts"], raw["mongolian_parts"], raw["other_minority_parts"]),
        minority_ambiguous=frozenset(raw["minority_ambiguous"]),
        pinyin_surnames=frozenset(raw["pinyin_surnames"]),
        pinyin_syllables=frozenset(raw["pinyin_syllables"].split()),
        given_chars=frozenset(raw["given_chars"].strip()),
        surname_pattern=re.compile(f"(?=({alternatives}))"),
    )


# --- the model: character scores and common words, distilled from jieba ------------------


@dataclass(frozen=True)
class Model:
    """How name-like each character is, and which strings are common words (with a frequency class 1–3)."""

    given: dict[str, float]
    transliterated: dict[str, float]
    words: dict[str, int]
    places: frozenset[str]
    function_words: frozenset[str]  # adverbs, conjunctions, prepositions …: 永远, 于是, 从而
    long_words: frozenset[str]  # four-character words that start with a surname: 东方明珠, 乌兰牧骑
    verbs: frozenset[str]  # two-character verbs seen a hundred times: 通报, 赶到


@functools.cache
def model() -> Model:
    """``names_model.txt``, read once (sections split in bulk: it is read on every cold start)."""
    text = resources.files("casebook.schema").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    sections = dict(part.split("]\n", 1) for part in text.split("\n[")[1:])

    def scores(name: str) -> dict[str, float]:
        return {item[0]: float(item[1:]) for item in sections[name].split()}

    def listed(name: str) -> frozenset[str]:
        return frozenset(sections[name].split())

    words: dict[str, int] = {}
    for rank in (1, 2, 3):
        words.update(dict.fromkeys(sections[f"words {rank}"].split(), rank))
    return Model(
        scores("given"),
        scores("transliterated"),
        words,
        listed("places"),
        listed("function"),
        listed("long"),
        listed("verbs"),
    )


def prepare() -> None:
    """Load the word lists and the model now (before forking workers, so that they share them)."""
    name_data()
    model()


def write_model(target: Path) -> None:
    """Distil ``names_model.txt`` from jieba's dictionary and part-of-speech model.

    A character's given-name score is log P(c | given name) − log P(c | text):
    the first from the emissions of the tagger's person-name states (middle
    and end of a name), the second from the dictionary's word frequencies.
    Words are the dictionary's words of two or three characters seen at least
    ten times (person names only from a hundred: 查明 is tagged one); their class
    is the order of magnitude of their frequency (10+, 100+, 1,000+). Places
    are its place names seen fifty times; function words its adverbs,
    conjunctions, prepositions, pronouns and particles; long words its
    four-character words seen three times that start with a surname; verbs
    its two-character verbs seen a hundred times.
    """
    import pickle

    import jieba

    base = Path(jieba.__file__).parent
    with (base / "posseg" / "prob_emit.p").open("rb") as handle:
        emissions = pickle.load(handle)
    rows = [line.split() for line in (base / "dict.txt").read_text(encoding="utf-8").splitlines()]
    in_text: dict[str, int] = {}
    total = 0
    for word, frequency, tag in rows:
        if not tag.startswith("nr"):
            for char in word:
                in_text[char] = in_text.get(char, 0) + int(frequency)
                total += int(frequency)

    def ratio(states: list[tuple[str, str]], char: str) -> float:
        inside = sum(math.exp(emissions[s].get(char, -12.0)) for s in states) / len(states)
        return round(math.log(inside) - math.log((in_text.get(char, 0) + 1) / total), 1)

    chars = sorted({c for s in emissions.values() for c in s} | set(in_text))
    chars = [c for c in chars if _IS_HAN.match(c)]
    given = [(c, ratio([("M", "nr"), ("E", "nr")], c)) for c in chars]
    foreign = [(c, ratio([(p, t) for p in "BME" for t in ("nrt", "nrfg")], c)) for c in chars]
    ranked: dict[int, list[str]] = {1: [], 2: [], 3: []}
    places, function, long, verbs = [], [], [], []
    starts = name_data().surnames | {s[0] for s in name_data().compound_surnames}
    for word, frequency, tag in rows:
        count = int(frequency)
        if not _IS_HAN.match(word) or count < 3:
            continue
        if len(word) == 4 and word[0] in starts:
            long.append(word)  # seen three times or more, starting with a surname
        if count < 10:
            continue
        elif 2 <= len(word) <= 3 and (not tag.startswith("nr") or (count >= 100 and len(word) == 2)):
            ranked[min(3, int(math.log10(count)))].append(word)
            if tag == "ns" and count >= 50:
                places.append(word)
            if tag in ("d", "c", "p", "r", "u", "f", "m", "q", "y"):
                function.append(word)
            if tag in ("v", "vn") and len(word) == 2 and count >= 100:
                verbs.append(word)
    lines = [f"# Generated by `python -m casebook.schema.names` from jieba {jieba.__version__}; do not edit."]
    lines += ["[given]", *_wrapped([f"{c}{s}" for c, s in given], 20)]
    lines += ["[transliterated]", *_wrapped([f"{c}{s}" for c, s in foreign], 20)]
    for rank in (1, 2, 3):
        lines += [f"[words {rank}]", *_wrapped(sorted(ranked[rank]))]
    lines += ["[places]", *_wrapped(sorted(places))]
    lines += ["[function]", *_wrapped(sorted(function))]
    lines += ["[long]", *_wrapped(sorted(long))]
    lines += ["[verbs]", *_wrapped(sorted(verbs))]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _wrapped(words: list[str], per_line: int = 40) -> Iterator[str]:
    for i in range(0, len(words), per_line):
        yield " ".join(words[i : i + per_line])


# --- finding names ------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """An unmasked name found in a text: the name and where it starts."""

    name: str
    start: int


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    score: float


def _word_class(word: str) -> int:
    return model().words.get(word, 0)


def _given_score(chars: str, data: NameData) -> float:
    """How much ``chars`` look like a given name (0 for a neutral character, capped either way)."""
    given = model().given
    total = 0.0
    for char in chars:
        score = max(-4.0, min(3.0, given.get(char, 1.5)))
        total += max(score, 1.0) if char in data.given_chars else score
    return total


def _left_context(text: str, start: int, data: NameData) -> float:
    """What the words before ``start`` say: a title or a relative (strong), a preposition or punctuation (some)."""
    if start == 0:
        return 1.0
    if data.people_before.ending_at(text, start):
        return 3.0
    before = text[start - 1]
    if before in "：：" and data.people_before.ending_at(text, start - 1):
        return 3.0  # a form's field: 填报人：宁静怡
    if before in _STRONG_EDGE:
        return 1.5
    if before in _EDGE:
        return 1.0
    if data.unit_endings.ending_at(text, start):
        return 1.5
    if data.before.ending_at(text, start):
        return 1.5
    return -1.0


def _right_context(text: str, end: int, data: NameData) -> float:
    """What the words after ``end`` say: a title, an honorific or speech (strong), a verb or punctuation (some)."""
    if end >= len(text):
        return 1.0
    if data.honorifics.starting_at(text, end):
        return 4.0  # 同志, 老师 right after: hardly anything but a person (钱坤同志)
    if data.titles.starting_at(text, end):
        return 3.0
    if data.speech.starting_at(text, end) or data.deng.starting_at(text, end):
        return 3.0
    if text[end] in _EDGE:
        return 1.0
    if text[end] == "等" or data.after.starting_at(text, end) or _PEOPLE_COUNT.match(text, end):
        return 1.5
    if text[end : end + 2] in model().verbs:
        return 0.5  # a subject and its verb: 刘向东|通报, 刘家豪|赶到
    return -1.0


def _is_place(text: str, start: int, end: int, data: NameData) -> bool:
    """Whether ``text[start:end]`` is a place: known (张家口), in 家 (吴家湾， 陈家|镇) or before a suffix."""
    word, nxt = text[start:end], text[end : end + 1]
    if word in model().places:
        return True
    if "家" in word[1:] and (word[-1] in data.place_suffixes or nxt in data.place_suffixes):
        return True
    person_after = _right_context(text, end, data) >= 3
    if word[-1] in data.place_endings and not person_after:
        return True
    return bool(nxt) and nxt in data.place_suffixes and not person_after


def _han_candidates(text: str, start: int, surname: str, data: NameData) -> Iterator[_Candidate]:
    """A surname at ``start`` followed by one or by two given characters, each reading scored."""
    given_from = start + len(surname)
    first = text[given_from : given_from + 1]
    if not first or not _IS_HAN.match(first) or first in data.masks:
        return  # masked (王某), or no Chinese character after the surname
    if data.titles.starting_at(text, given_from) or data.honorifics.starting_at(text, given_from):
        return  # a form of address: 张书记, 王主任, 杨老师
    if start and text[start - 1] in data.masks:
        return  # inside a masked name or word: 某危桥
    if first in data.surnames and data.titles.starting_at(text, given_from + 1):
        return  # 经|刘镇长: the form of address starts inside
    for length in (2, 1):
        given = text[given_from : given_from + length]
        end = given_from + length
        if len(given) < length or not all(_IS_HAN.match(c) for c in given):
            continue
        if any(c in data.masks for c in given) or text[end : end + 1] in data.masks:
            continue  # 刘某某, 向|成某
        score = _han_score(text, start, end, surname, given, data)
        if score is not None:
            yield _Candidate(start, end, score)


def _han_score(text: str, start: int, end: int, surname: str, given: str, data: NameData) -> float | None:
    name = text[start:end]
    if _is_place(text, start, end, data):
        return None
    score = _given_score(given, data) + (0.5 if len(given) == 2 else -0.5)
    if surname in data.compound_surnames:
        score += 1.5
    elif surname in data.ambiguous:
        score -= 1.0
    left, right = _left_context(text, start, data), _right_context(text, end, data)
    if left >= 3:
        right = max(right, 0.0)  # after a title, a role or a relative, any word may follow: 书记刘向东|通报
    score += left + right
    # Ordinary words compete with the name: the name itself (高度), its first two
    # characters (马上|飞), a word it would cut in two at either end (关|于, 群|众).
    honorific = data.honorifics.starting_at(text, end) is not None
    score -= (1.0 if honorific else 3.0) * _word_class(name)  # 高峰同志: a word, but 同志 says a person
    if len(given) == 2:
        score -= 1.0 * _word_class(surname + given[0])
    if end < len(text) and right < 3:
        score -= 1.2 * _word_class(text[end - 1 : end + 1])
    if start and left < 3:
        score -= 1.2 * _word_class(text[start - 1 : start + 1])
    # 和, 向, 对 …: after a role they may still join two words (党员|和|居民), after a title hardly.
    joining = surname in data.before.members and not data.titles.ending_at(text, start)
    if surname in data.ambiguous and (left < 3 or joining):
        # Unless a title, a role or a relative stands before it, a surname that is mostly a
        # word itself seldom stands before a word (和|居民, 向|居民解释) or a lone character (花|苗).
        if len(given) == 2:
            score -= (2.0 if joining else 1.0) * _word_class(given)
        elif right < 3:
            score -= 1.5
    elif surname in data.ambiguous and len(given) == 1 and right < 3:
        score -= 1.0
    if len(given) == 2 and left < 3 and right < 3 and given in model().function_words:
        score -= 1.5 * _word_class(given)  # a given name is seldom a function word: 党|永远
    if any(text.startswith(word, start) for word in _long_words_at(text, start)):
        score -= 4.0  # the start of a longer word: 东方明珠, 古尔邦节
    if given[-1] in data.org_suffixes or (text[end : end + 1] in data.org_suffixes and right < 3):
        score -= 3.0  # a unit: 公卫科, 鲁中晨|报
        if (data.titles.starting_at(text, end) or "")[:1] == given[-1]:
            return None  # a unit and its head: 公卫科|科长
    if start and text[start - 1] in '“"「' and text[end : end + 1] in '”"」':
        score -= 2.0  # a quoted term: 台风“利奇马”
    if "家" in given:
        score -= 0.5
    return score


def _long_words_at(text: str, start: int) -> list[str]:
    word = text[start : start + 4]
    return [word] if word in model().long_words else []


def _dotted_names(text: str, data: NameData) -> Iterator[_Candidate]:
    """Names in two parts joined by a middle dot (or a look-alike): 阿依古丽·吐尔逊."""
    for match in re.finditer(f"([{_HAN}]{{2,12}})[{_DOTS}] ?([{_HAN}]{{2,12}})", text):
        left, right = match.group(1), match.group(2)
        start = match.start(1) + _strip_leading_context(left, data)
        end = match.start(2) + _trailing_name_length(right, data)
        parts = text[start:end].replace(" ", "")
        first, second = re.split(f"[{_DOTS}]", parts, maxsplit=1)
        if not (2 <= len(first) <= 6 and 2 <= len(second) <= 6):
            continue
        score = 3.0 + _left_context(text, start, data) + _right_context(text, end, data)
        words = _mostly_words(first) + _mostly_words(second)
        score -= (0, 2.0, 6.0)[words]  # “清风·廉韵”, 《担当·作为》, 客户端·中国江苏网: words, not names
        if start and text[start - 1] in '“"《「『':
            score -= 2.0
        yield _Candidate(start, end, score)


def _mostly_words(part: str) -> bool:
    """Whether common words (seen a hundred times) cover most of ``part`` (transliterated names hold few)."""
    covered: set[int] = set()
    for i in range(len(part)):
        for n in (3, 2):
            if _word_class(part[i : i + n]) >= (1 if n == len(part) else 2):
                covered.update(range(i, i + n))
    return len(covered) * 2 > len(part)


def _strip_leading_context(run: str, data: NameData) -> int:
    """How many characters at the start of ``run`` are context (当事人|阿依古丽), not name."""
    for i in range(len(run) - 2, -1, -1):
        if data.people_before.ending_at(run, i) or data.before.ending_at(run, i) or data.unit_endings.ending_at(run, i):
            return i
    return 0


def _trailing_name_length(run: str, data: NameData) -> int:
    """How long the name part at the start of ``run`` is: up to the first word that follows a person, or any word."""
    for i in range(2, min(len(run), 6) + 1):
        if i == len(run):
            return i
        if (
            data.titles.starting_at(run, i)
            or data.speech.starting_at(run, i)
            or data.after.starting_at(run, i)
            or data.honorifics.starting_at(run, i)
            or run[i] == "等"
            or _word_class(run[i : i + 2]) >= 2
        ):
            return i
    return min(len(run), 4)


def _minority_names(text: str, data: NameData) -> Iterator[_Candidate]:
    """Tibetan, Mongolian, Yi and Dai names made of known parts: 扎西多吉， 萨仁高娃， 吉克阿依."""
    parts = data.minority_parts
    position = 0
    while position < len(text):
        part = parts.starting_at(text, position)
        if part is None:
            position += 1
            continue
        start, end, count = position, position + len(part), 1
        while count < 3 and (more := parts.starting_at(text, end)):
            end += len(more)
            count += 1
        name = text[start:end]
        whole = count > 1 or len(name) >= 3
        score = 1.0 + (2.5 if whole else 0.0) + _left_context(text, start, data) + _right_context(text, end, data)
        if count == 1 and (name in data.minority_ambiguous or _word_class(name)):
            score -= 2.0
        if end < len(text) and _IS_HAN.match(text[end]) and _word_class(text[end - 1 : end + 1]):
            score -= 2.0  # 格桑|花 cut in two? no: 乌兰|牧骑 — a word goes on
        if not _is_place(text, start, end, data):
            yield _Candidate(start, end, score)
        position = end


_LATIN_PAIR = re.compile(r"(?<![A-Za-z])([A-Z][a-z]+|[A-Z]{2,})\s+([A-Z][a-z]+(?:-[a-z]+)?|[A-Z]{2,})(?![A-Za-z])")


@functools.cache
def _is_pinyin(word: str, syllables: int = 3) -> bool:
    """Whether ``word`` splits into one to ``syllables`` pinyin syllables (Jianguo, Xiao-hong)."""
    word = word.lower().replace("-", "")
    if not word:
        return True
    if syllables == 0:
        return False
    known = name_data().pinyin_syllables
    return any(word[:n] in known and _is_pinyin(word[n:], syllables - 1) for n in range(6, 0, -1))


def _pinyin_names(text: str, data: NameData) -> Iterator[_Candidate]:
    """Names in pinyin, surname first or last: Zhang Jianguo, WANG Xiaohong, Xiaohong Wang."""
    for match in _LATIN_PAIR.finditer(text):
        first, second = match.group(1), match.group(2)
        surname_first = first.lower() in data.pinyin_surnames and _is_pinyin(second, 2)
        surname_last = second.lower() in data.pinyin_surnames and _is_pinyin(first, 2)
        if (surname_first or surname_last) and not (first.isupper() and second.isupper()):
            yield _Candidate(match.start(), match.end(), THRESHOLD + 1.0)


def _surname_names(text: str, data: NameData) -> Iterator[_Candidate]:
    for match in data.surname_pattern.finditer(text):
        yield from _han_candidates(text, match.start(), match.group(1), data)


def _choose(candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates at or above the threshold, best first, none overlapping another."""
    chosen: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.score, -(c.end - c.start))):
        if candidate.score < THRESHOLD:
            break
        if not any(candidate.start < c.end and c.start < candidate.end for c in chosen):
            chosen.append(candidate)
    return chosen


def find_names(text: str, allowed: frozenset[str] = frozenset()) -> list[Name]:
    """Every unmasked personal name in ``text`` (a reading), except the ``allowed`` ones, in order."""
    data = name_data()
    candidates = [
        *_surname_names(text, data),
        *(_dotted_names(text, data) if any(d in text for d in _DOTS) else ()),
        *_minority_names(text, data),
        *(_pinyin_names(text, data) if re.search("[A-Z]", text) else ()),
    ]
    chosen = _choose(candidates)
    # In a list, the neighbour of a name is likelier a name: 吕刚、鲍红、齐向阳.
    for _ in range(2):
        ends = {c.end for c in chosen} | {c.start for c in chosen}
        listed = [
            _Candidate(c.start, c.end, c.score + 2.0)
            if (c.start >= 1 and text[c.start - 1] == "、" and c.start - 1 in ends)
            or (text[c.end : c.end + 1] == "、" and c.end + 1 in ends)
            else c
            for c in candidates
        ]
        chosen = _choose(listed)
    # A name found once is the same name where it comes again with less around it: 主任丁强 … ，丁强违反.
    seen = {text[c.start : c.end] for c in chosen}
    again = [_Candidate(c.start, c.end, THRESHOLD) for c in candidates if text[c.start : c.end] in seen and c.score > 0]
    chosen = _choose(chosen + again)
    names = []
    for candidate in sorted(chosen, key=lambda c: c.start):
        name = text[candidate.start : candidate.end]
        if name not in allowed and name not in data.public_figures and name not in data.not_names:
            names.append(Name(name, candidate.start))
    return names


if __name__ == "__main__":  # pragma: no cover - regenerate the model file
    write_model(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name(MODEL_FILE))
