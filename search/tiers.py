"""What a reader typed, and how a case holds it: the ranking of ``casebook search`` and of the search page.

The search page's script (``casebook-search.js``) runs the very same steps on
the site's index; the command line runs them on its Whoosh index. Both give
them the same three things: the term dictionary (``search.segment``), the
cases that hold a term, and where in a case a term stands (its sentence and
offset, ``search.tokenize.packer``).

**Typed words.** A query is cut into runs of Han characters and runs of Latin
letters and digits, as jieba cuts a text; spaces and punctuation only
separate. Each run is one typed word:

- the index holds it as one word, as 集体研究 or epc: it is matched as that
  word; its *parts* are the words jieba's search mode finds inside it:
  集体 and 研究 for 集体研究.
- the index does not, as 道路 or 人防工程验收: it is matched as a phrase, the
  pieces the segmenter cuts it into standing side by side, in order, in one
  sentence: 道 · 路 and 人防工程 · 验收 (a stop word among them holds its place
  unread, one at either end is left out); its parts are its pieces of two
  characters or more, when they make up the whole word;
- a single character typed beside other words is no query term (it matches
  too much); typed alone, it is the query;
- a stop word is no query term.

A typed word of a thesaurus ring (人民防空 of 人防 / 人民防空) is also matched
as every other word of its ring, each as a word or as a phrase: the case then
holds it through an equivalent (shown as 人民防空 ≈ 人防). A masked alias is
one word of the index (谢某某): none of its characters matches on its own.

**Tiers.** A case holds a typed word *whole* when it holds it as typed or
through an equivalent, and *through its parts* when it holds every part of it
within one sentence (one part: anywhere). Tier 1: the cases holding every typed
word whole; tier 2: the cases holding every typed word, some only through their
parts; tier 3: the rest. Within a tier: more words held whole, then more words
held at all, then more words held as typed, then parts nearer together, then
the higher score (BM25F of the terms looked up, plus ``PHRASE_SCORE`` per
phrase found), then the newer case. So a case holding a word only through its
parts never ranks above one that holds it whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from casebook.schema.thesaurus import equivalence
from casebook.search.segment import GRAM, LONGEST_SEARCH_TERM, STOP, Lookup, split_run
from casebook.search.tokenize import SENTENCE_BITS

PHRASE_SCORE = 1.0  # what one occurrence of a phrase adds to a case's score (BM25F units)
_HAN = "\u4e00-\u9fd5"
_RUN = re.compile(f"[{_HAN}]+|[A-Za-z0-9]+(?:\\.[0-9]+)?%?")
_IS_HAN = re.compile(f"[{_HAN}]")
_OFFSET = (1 << SENTENCE_BITS) - 1

# How a case holds a typed word.
WHOLE, EQUIVALENT, PARTS = "whole", "equivalent", "parts"
TIER_NAMES = {1: "含全部检索词", 2: "只含检索词的组成部分", 3: "只含部分检索词"}


@dataclass(frozen=True)
class Form:
    """One written form a typed word is looked for in: the word as typed, or an equivalent of its ring.

    ``term`` is set when the index holds the form as one word; otherwise the
    form is a phrase of ``pieces`` (index term, offset from the phrase's start),
    stop words left out (one inside holds its place unread; at either end it is
    dropped, see ``unread``). A phrase with a piece the index does not hold at
    all cannot occur (``possible`` is false).
    """

    text: str
    term: str | None = None
    pieces: tuple[tuple[str, int], ...] = ()
    cut: tuple[str, ...] = ()  # the segmenter's pieces, stop words included (for messages)
    unread: tuple[str, ...] = ()  # stop words at either end, left out
    possible: bool = True


@dataclass(frozen=True)
class Typed:
    """One typed word: its forms (``forms[0]`` as typed), its parts, and whether it counts.

    ``parts`` hold the word when they all stand in one sentence: they cover
    every character of it (a word with a single character among its pieces
    has none). ``partial`` are the pieces of two characters or more, found and
    scored even when they do not cover the word (such a case holds part of it).
    """

    text: str
    kind: str  # "word" (counts), "single" (a lone character beside other words), "stop"
    forms: tuple[Form, ...] = ()
    parts: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        return self.kind == "word"


def _form(text: str, known: Lookup, longest: int) -> Form | None:
    """The form of ``text`` (a run), or None when it is a stop word (or only stop words)."""
    if not _IS_HAN.match(text):
        word = text.lower()
        value = known.get(word)
        if value == STOP:
            return None
        if value is None:
            return Form(word, possible=False)
        return Form(word, term=value if isinstance(value, str) else word)
    value = known.get(text)
    if value == STOP:
        return None
    if value is not None:
        return Form(text, term=text)
    cut = [piece for piece, _ in split_run(text, known, longest)]
    stop = [known.get(piece) == STOP for piece in cut]
    if all(stop):
        return None
    first, last = stop.index(False), len(cut) - stop[::-1].index(False)
    unread = tuple(cut[:first] + cut[last:])
    pieces, offset = [], 0
    for piece, is_stop in zip(cut[first:last], stop[first:last], strict=True):
        if not is_stop:
            pieces.append((piece, offset))
        offset += len(piece)
    possible = all(piece in known for piece, _ in pieces)
    if len(pieces) == 1 and possible and offset == len(pieces[0][0]):
        return Form(text, term=pieces[0][0], cut=tuple(cut), unread=unread)  # one word of the index, and stop words
    return Form(text, pieces=tuple(pieces), cut=tuple(cut), unread=unread, possible=possible)


def _covers(word: str, parts: Sequence[str], starts: Sequence[int]) -> bool:
    covered: set[int] = set()
    for part, start in zip(parts, starts, strict=True):
        covered.update(range(start, start + len(part)))
    return len(covered) == len(word)


def _parts(form: Form, known: Lookup) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A typed word's parts and partial terms (see :class:`Typed`).

    A word of the index: the words jieba's search mode emits inside it (two-
    and three-character windows that jieba's dictionary holds, flag GRAM). A
    phrase: its pieces of two characters or more.
    """
    if form.term is not None and not form.cut:
        word = form.term
        if not _IS_HAN.match(word) or len(word) <= 2:
            return (), ()
        windows = [(i, word[i : i + 2]) for i in range(len(word) - 1)]
        windows += [(i, word[i : i + 3]) for i in range(len(word) - 2)] if len(word) > 3 else []
        grams = [(i, g) for i, g in windows if isinstance(flags := known.get(g), int) and flags & GRAM]
        terms = tuple(dict.fromkeys(g for _, g in grams))
        covered = _covers(word, [g for _, g in grams], [i for i, _ in grams])
        return (terms if covered else ()), terms
    if form.term is not None:
        return (), ()  # one word of the index among stop words: it is held whole or not at all
    terms = tuple(dict.fromkeys(piece for piece, _ in form.pieces if len(piece) >= 2))
    covered = form.possible and all(len(piece) >= 2 for piece, _ in form.pieces)
    return (terms if covered else ()), terms


def typed_words(
    query: str, known: Lookup, rings: Callable[[str], Sequence[str]] = lambda _: (), longest: int = LONGEST_SEARCH_TERM
) -> list[Typed]:
    """The typed words of ``query`` (see the module's description); ``rings`` gives a word's equivalents."""
    runs = _RUN.findall(query)
    out: list[Typed] = []
    for run in runs:
        if len(run) == 1 and _IS_HAN.match(run) and len(runs) > 1:
            out.append(Typed(run, "single"))
            continue
        form = _form(run, known, longest)
        if form is None:
            out.append(Typed(run, "stop"))
            continue
        equivalents = [f for e in rings(form.text) if e != form.text and (f := _form(e, known, longest)) is not None]
        parts, partial = _parts(form, known)
        out.append(Typed(form.text, "word", (form, *equivalents), parts, partial))
    return out


def scoring_terms(words: Iterable[Typed]) -> list[str]:
    """The terms whose cases are found and scored: each word's forms held as one word, and its partial terms."""
    terms: list[str] = []
    for word in words:
        if word.counts:
            terms += [f.term for f in word.forms if f.term is not None]
            terms += word.partial
    return list(dict.fromkeys(terms))


def phrases(words: Iterable[Typed]) -> list[Form]:
    """The phrase forms that can occur, once each (their pieces' places are read to find them)."""
    found = {f.text: f for w in words if w.counts for f in w.forms if f.term is None and f.possible and f.pieces}
    return list(found.values())


def placed_terms(words: Sequence[Typed]) -> list[str]:
    """The terms whose places in a case are read: the pieces of phrases, the parts of words with several."""
    terms = [piece for form in phrases(words) for piece, _ in form.pieces]
    terms += [part for w in words if w.counts and len(w.parts) > 1 for part in w.parts]
    return list(dict.fromkeys(terms))


Places = Mapping[int, Sequence[int]]  # case → sorted places of one term (field, sentence, offset)
Found = Mapping[str, Mapping[int, int]]  # phrase → case → how often it occurs there


def phrase_counts(form: Form, places: Callable[[str], Places]) -> dict[int, int]:
    """Per case, how often the phrase ``form`` occurs: its pieces side by side, in order, in one sentence."""
    lists = [(places(piece), offset) for piece, offset in form.pieces]
    first, first_offset = lists[0]
    last_offset = form.pieces[-1][1]
    counts: dict[int, int] = {}
    for case, positions in first.items():
        if not all(case in where for where, _ in lists[1:]):
            continue
        others = [(set(where[case]), offset) for where, offset in lists[1:]]
        n = 0
        for position in positions:
            start = position - first_offset
            if position & _OFFSET < first_offset or (start & _OFFSET) + last_offset > _OFFSET:
                continue  # the phrase would start before the sentence or run past it
            if all(start + offset in where for where, offset in others):
                n += 1
        if n:
            counts[case] = n
    return counts


def find_phrases(words: Sequence[Typed], places: Callable[[str], Places]) -> dict[str, dict[int, int]]:
    """Every phrase of ``words`` with the cases holding it, and how often."""
    return {form.text: phrase_counts(form, places) for form in phrases(words)}


def spread(parts: Sequence[str], case: int, places: Callable[[str], Places]) -> int | None:
    """How close the parts stand in the case: the narrowest stretch of one sentence holding them all, or None."""
    lists = [places(part).get(case) for part in parts]
    if not all(lists):
        return None
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for k, positions in enumerate(lists):
        for position in positions or ():
            by_sentence.setdefault(position >> SENTENCE_BITS, []).append((position & _OFFSET, k))
    best: int | None = None
    for sentence in sorted(by_sentence):
        entries = sorted(by_sentence[sentence])
        inside: dict[int, int] = {}
        left = 0
        for offset, k in entries:
            inside[k] = inside.get(k, 0) + 1
            while len(inside) == len(parts):
                stretch = offset - entries[left][0]
                best = stretch if best is None or stretch < best else best
                gone = entries[left][1]
                inside[gone] -= 1
                if not inside[gone]:
                    del inside[gone]
                left += 1
    return best


@dataclass(frozen=True)
class Holding:
    """How one case holds the counted typed words: per word WHOLE, EQUIVALENT, PARTS or None."""

    ways: tuple[str | None, ...]
    forms: tuple[str | None, ...]  # per word, the form found (the word itself, or its equivalent)
    spread: int  # the parts' stretches summed, over the words held only through their parts
    score: float

    @property
    def whole(self) -> int:
        return sum(1 for way in self.ways if way in (WHOLE, EQUIVALENT))

    @property
    def held(self) -> int:
        return sum(1 for way in self.ways if way is not None)

    @property
    def as_typed(self) -> int:
        return sum(1 for way in self.ways if way == WHOLE)

    @property
    def tier(self) -> int:
        if self.whole == len(self.ways):
            return 1
        return 2 if self.held == len(self.ways) else 3

    def key(self) -> tuple[int, int, int, int, int, float]:
        """Sorts as the ranking does (the caller adds the date order last)."""
        return (self.tier, -self.whole, -self.held, -self.as_typed, self.spread, -self.score)


def _through_parts(word: Typed, case: int, holds: Callable[[str], bool], places: Callable[[str], Places]) -> int | None:
    """How far apart the parts of ``word`` stand in ``case`` (0 for one part held), None if not all held."""
    if len(word.parts) == 1:
        return 0 if holds(word.parts[0]) else None
    return spread(word.parts, case, places) if word.parts else None


def holding(
    words: Sequence[Typed],
    case: int,
    score: Callable[[str], float],
    found: Found,
    places: Callable[[str], Places],
    phrase_score: float = PHRASE_SCORE,
) -> Holding:
    """How ``case`` holds the counted ``words``: ``score(term)`` is its BM25F score for a term (0: it does
    not hold it), ``found`` where each phrase occurs (:func:`find_phrases`), ``places`` where terms stand.

    The case's score: for each word, its best form (a term's score, or ``phrase_score`` for each time a
    phrase occurs: a ring of many equivalents counts once), plus the partial terms of the words.
    """

    def holds(term: str) -> bool:
        return score(term) > 0

    counted = [w for w in words if w.counts]
    ways: list[str | None] = []
    forms: list[str | None] = []
    stretch = 0
    total = 0.0
    for word in counted:
        way: str | None = None
        form_found: str | None = None
        best = 0.0
        for n, form in enumerate(word.forms):
            value = score(form.term) if form.term is not None else phrase_score * found.get(form.text, {}).get(case, 0)
            if value > 0 and way is None:
                way, form_found = (WHOLE if n == 0 else EQUIVALENT), form.text
            best = max(best, value)
        if way is None:
            gap = _through_parts(word, case, holds, places)
            if gap is not None:
                way, stretch = PARTS, stretch + gap
        ways.append(way)
        forms.append(form_found)
        total += best
    as_forms = {f.term for w in counted for f in w.forms}
    total += sum(score(t) for t in dict.fromkeys(t for w in counted for t in w.partial) if t not in as_forms)
    return Holding(tuple(ways), tuple(forms), stretch, total)


def snippet_passes(words: Sequence[Typed], found: Found, case: int) -> list[tuple[list[str], list[str]]]:
    """What a case's snippet marks, tried in turn: (terms, phrases) of the words as typed and their
    equivalents, then the partial terms of the words."""
    counted = [w for w in words if w.counts]
    whole = list(dict.fromkeys(f.term for w in counted for f in w.forms if f.term is not None))
    held = [f.text for w in counted for f in w.forms if f.term is None and found.get(f.text, {}).get(case)]
    partial = list(dict.fromkeys(t for w in counted for t in w.partial))
    return [(whole, list(dict.fromkeys(held))), (partial, [])]


def _quoted(words: Iterable[str]) -> str:
    return "".join(f"“{w}”" for w in words)


def query_notes(words: Sequence[Typed], found: Mapping[str, int]) -> list[str]:
    """What a reader is told about how the query was read: words matched as phrases (and whether any case
    holds them), words found nowhere, characters and words left out, equivalents used.

    ``found`` gives, per phrase, the number of cases listed that hold it.
    """
    notes: list[str] = []
    for word in words:
        if word.kind == "single":
            notes.append(f"单字“{word.text}”与其他词一起输入时不单独检索。")
            continue
        if not word.counts:
            continue
        form = word.forms[0]
        if form.term is None and len(form.cut) > 1:
            note = f"“{form.text}”未收录为词语，已按{_quoted(form.cut)}相邻查找"
            notes.append(note + ("。" if found.get(form.text) else f"，没有案例含“{form.text}”。"))
        elif form.term is None:
            notes.append(f"“{form.text}”未出现在任何案例中。")
        if form.unread:
            notes.append(f"“{form.text}”中的{_quoted(form.unread)}是虚词，未参与检索。")
        if len(word.forms) > 1:
            others = "、".join(f.text for f in word.forms[1:])
            notes.append(f"按同义词一并查找：{equivalence(form.text, others)}。")
    return notes


def tier_summary(words: Sequence[Typed], tiers: Mapping[int, int], by_date: bool = False) -> str:
    """How the cases found fall into tiers, in one sentence (empty when there is nothing to tell)."""
    counted = [w for w in words if w.counts]
    first, second, third = tiers.get(1, 0), tiers.get(2, 0), tiers.get(3, 0)
    if not (second or third):
        return "每个案例都含全部检索词。" if len(counted) > 1 and first else ""
    parts_of = "；".join(f"{_quoted(w.parts)}同在一句" for w in counted if len(w.parts) > 1)
    lead = "没有案例同时含全部检索词"
    if first:
        lead = f"其中 {first} 个案例含全部检索词" + ("" if by_date else "，排在前面")
    rest = []
    if second:
        rest.append(f"{second} 个只含检索词的组成部分" + (f"（{parts_of}）" if parts_of else ""))
    if third:
        rest.append(f"{third} 个只含部分检索词")
    return lead + "；" + "，".join(rest) + "。"
