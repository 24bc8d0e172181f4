"""Reading a plain description: the case kind, six looks, sides, domain, role and level, from cue words.

The words are data (``schema/cues.yaml``); this module only applies them, by
rules simple enough to be ported as they are (the browser finder reads the
same file):

1. every cue phrase is found by one alternation, longest phrase first, left
   to right without overlap (so 未造成损失 is read once, as 造成损失 negated);
2. a phrase is *negated* when a negation word stands at most ``window``
   characters before it in the same clause with no breaker word between
   (未经集体研究， 没有谋取私利， 并非出于公心， 不是个人决定), or when a
   denial follows it in its clause (索要好处一事查无实据); a negated
   phrase takes the cue's ``negated`` value, or says nothing without one;
3. inside an *allegation* (from 举报/反映/称其 … to 经查/核实 … or the end of
   the sentence) no look and no side is read: an accusation is not a finding;
4. per facet the weights of each value are summed: a look is the value with
   at least twice the weight of the other pole, else ``mixed``; a side the
   same, else unknown; kind, domain, role and level the heaviest value
   (ties: the one read first; kind ties: unknown); an unfavourable look
   read outside an allegation adds half its weight to the kind ``mistake``;
5. a circumstance that cannot be tolerated (``schema/exclusions.yaml``) is
   read from one of its phrases, or from one phrase of each of its groups in
   the same sentence, unless one of its ``unless`` phrases stands in that
   sentence (negations and allegations apply as to every cue).

Positions are code points, as Python's strings index them (the page script
counts the same way): a window of ten characters is ten whatever the script.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from casebook.schema import vocabulary as vocab
from casebook.schema.exclusions import Exclusions, exclusions

GAP = "…"  # in a phrase: up to six characters of the same clause
GAP_CHARS = 6
# A description longer than this is read only this far: the cues and key terms of a case are in
# its first pages, and the answer stays quick and small whatever is pasted in (the output says so).
LONGEST_DESCRIPTION = 20_000
_PARAGRAPH = re.compile(r"\n\s*\n\s*")
_WRAP = re.compile(r"[ \t]*\n[ \t]*")


def flow(text: str) -> str:
    """Text as one flow of sentences: a blank line ends a sentence, a single line break (a wrap) is none.

    Case files and pasted reports wrap lines in mid-sentence (集体\n研究); read as written,
    a wrap would split a phrase or end a negation's scope.
    """
    return _WRAP.sub("", _PARAGRAPH.sub("。", text.strip()))


RULE_NAME = re.compile(r"《[^《》\n]{2,60}》")


@dataclass(frozen=True)
class Cue:
    phrase: str
    facet: str  # kind, looks.<factor>, … ; exclusion.<circumstance> for the phrases of exclusions.yaml
    value: str  # for an exclusion: "any" (one phrase reads it), "g<k>" (a phrase of group k) or "unless"
    negated: str | None
    weight: float
    example: str


EXCLUSION = "exclusion."


@dataclass(frozen=True)
class Phrase:
    """One phrase of the lexicon and the cues it triggers."""

    text: str
    length: int  # characters without gaps: longer phrases are tried first
    regex: re.Pattern[str] | None  # for a phrase with a gap
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[Cue, ...]
    by_first: dict[str, tuple[Phrase, ...]]  # first character -> phrases, longest first
    exclusion_first: dict[str, tuple[Phrase, ...]]  # the same for the circumstances' phrases, matched apart
    negations: re.Pattern[str]
    compounds: tuple[str, ...]
    window: int
    clause_ends: str
    breakers: tuple[str, ...]
    allegation: re.Pattern[str]
    allegation_starts: frozenset[str]
    allegation_ends: frozenset[str]
    sentence_ends: str
    denials: re.Pattern[str] | None  # words after a phrase in its clause that deny it (…一事查无实据)
    groups: dict[str, int]  # circumstance -> how many groups of phrases it needs in one sentence (0: none)


FACETS = ("kind", "domain", "role", "level")
KINDS = {"mistake": "有待认定的失误", "accusation": "有待核实的举报"}


def _vocabulary_of(facet: str) -> list[str]:
    if facet == "kind":
        return list(KINDS)
    if facet.startswith("looks."):
        return ["favourable", "unfavourable", "mixed"]
    if facet.startswith("distinction."):
        return vocab.ids("distinction_sides")
    return vocab.ids({"domain": "domains", "role": "roles", "level": "levels"}[facet])


def check_facet(facet: str, value: str) -> str | None:
    """What is wrong with a cue's facet or value (``None`` when both are known)."""
    head, _, tail = facet.partition(".")
    known = facet in FACETS or (head, tail) in {("looks", f) for f in vocab.ids("factors")}
    if not known and (head, tail) not in {("distinction", d) for d in vocab.ids("distinctions")}:
        return f"未知的要素 “{facet}”"
    if value not in _vocabulary_of(facet):
        return f"要素 {facet} 没有取值 “{value}”"
    return None


def _phrase_regex(phrase: str, clause_ends: str) -> str:
    gap = f"[^{re.escape(clause_ends)}]{{0,{GAP_CHARS}}}?"  # the nearest end: 县…局 stops at 县住建局
    return gap.join(re.escape(part) for part in phrase.split(GAP))


def _phrase_table(cues: list[Cue], clause_ends: str) -> dict[str, tuple[Phrase, ...]]:
    """First character -> the phrases starting with it, longest first (a phrase groups the cues it triggers)."""
    phrases: dict[str, list[Cue]] = {}
    for cue in cues:
        phrases.setdefault(cue.phrase, []).append(cue)
    by_first: dict[str, list[Phrase]] = {}
    for text, triggered in phrases.items():
        regex = re.compile(_phrase_regex(text, clause_ends)) if GAP in text else None
        by_first.setdefault(text[0], []).append(Phrase(text, len(text.replace(GAP, "")), regex, tuple(triggered)))
    return {c: tuple(sorted(p, key=lambda x: (-x.length, x.text))) for c, p in by_first.items()}


def _alternation(words: list[str]) -> re.Pattern[str] | None:
    """One pattern for ``words``, the longest tried first (``None`` for no words)."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None


def _exclusion_cues(excluded: Exclusions) -> list[Cue]:
    """The phrases of the circumstances that cannot be tolerated, as cues (a negated one says nothing)."""
    cues = []
    for c in excluded.circumstances:
        parts = [("any", c.phrases), *((f"g{k}", group) for k, group in enumerate(c.together)), ("unless", c.unless)]
        cues += [Cue(phrase, EXCLUSION + c.id, part, None, 1.0, c.example) for part, words in parts for phrase in words]
    return cues


def build_lexicon(data: dict[str, Any], excluded: Exclusions | None = None) -> Lexicon:
    """A lexicon from the parsed ``cues.yaml`` and the circumstances that cannot be tolerated.

    Raises ``ValueError`` naming a bad entry.
    """
    negation, allegation = data["negation"], data["allegation"]
    cues = []
    for n, entry in enumerate(data["cues"], start=1):
        problem = check_facet(entry["facet"], entry["value"])
        if problem is None and entry.get("negated") is not None:
            problem = check_facet(entry["facet"], entry["negated"])
        if problem:
            raise ValueError(f"cues.yaml 第 {n} 条（{entry.get('example', '')}）：{problem}")
        for phrase in entry["phrases"]:
            cues.append(
                Cue(
                    str(phrase),
                    entry["facet"],
                    entry["value"],
                    entry.get("negated"),
                    float(entry.get("weight", 1)),
                    entry["example"],
                )
            )
    excluding = _exclusion_cues(excluded) if excluded else []
    astral = sorted({c.phrase for c in [*cues, *excluding] if any(ord(ch) > 0xFFFF for ch in c.phrase)})
    if astral:
        raise ValueError(f"线索词只能用常用汉字和符号（基本多文种平面）：{'、'.join(astral)}")
    clause_ends = negation["clause_ends"]
    words = sorted(negation["words"], key=lambda w: (-len(w), w))
    starts, ends = allegation["starts"], allegation["ends"]
    marks = sorted({*starts, *ends}, key=lambda w: (-len(w), w))
    sentence = re.escape(allegation["sentence_ends"])
    return Lexicon(
        cues=tuple(cues),
        by_first=_phrase_table(cues, clause_ends),
        exclusion_first=_phrase_table(excluding, clause_ends),
        negations=re.compile("|".join(re.escape(w) for w in words)),
        compounds=tuple(negation["compounds"]),
        window=int(negation["window"]),
        clause_ends=clause_ends,
        breakers=tuple(negation["breakers"]),
        allegation=re.compile("|".join(re.escape(w) for w in marks) + f"|[{sentence}]"),
        allegation_starts=frozenset(starts),
        allegation_ends=frozenset(ends),
        sentence_ends=allegation["sentence_ends"],
        denials=_alternation(negation.get("after", [])),
        groups={c.id: len(c.together) for c in excluded.circumstances} if excluded else {},
    )


@functools.cache
def lexicon() -> Lexicon:
    """The shipped cue lexicon (read on first use)."""
    text = resources.files("casebook.schema").joinpath("cues.yaml").read_text("utf-8")
    return build_lexicon(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), exclusions())


@dataclass(frozen=True)
class CueHit:
    """One cue found in the text."""

    facet: str
    value: str
    phrase: str  # the words that triggered it, with the negation word when negated
    start: int
    weight: float
    negated: bool


def _negation_start(text: str, start: int, lex: Lexicon) -> int | None:
    """Where the negation governing the phrase at ``start`` begins, if one does."""
    before = text[max(0, start - lex.window) : start]
    cut = max((before.rfind(c) for c in lex.clause_ends), default=-1)
    offset = start - len(before) + cut + 1
    clause = before[cut + 1 :]
    found = None
    for m in lex.negations.finditer(clause):
        position = offset + m.start()
        if any(text.startswith(c, position) for c in lex.compounds):
            continue
        if not any(b in clause[m.end() :] for b in lex.breakers):
            found = position
    return found


def _denial_end(text: str, end: int, lex: Lexicon) -> int | None:
    """Where a denial after the phrase ending at ``end`` ends, in the same clause (…一事查无实据)."""
    if lex.denials is None:
        return None
    stop = end
    while stop < len(text) and text[stop] not in lex.clause_ends:
        stop += 1
    m = lex.denials.search(text, end, stop)
    return m.end() if m else None


def _alleged_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    spans, opened = [], None
    for m in lex.allegation.finditer(text):
        word = m.group(0)
        if opened is None and word in lex.allegation_starts:
            opened = m.start()
        elif opened is not None and word not in lex.allegation_starts:
            spans.append((opened, m.start()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def _matches(text: str, by_first: dict[str, tuple[Phrase, ...]]) -> Iterator[tuple[int, int, Phrase]]:
    """Phrases left to right without overlap, the longest at each position first."""
    i, n = 0, len(text)
    while i < n:
        end = 0
        for phrase in by_first.get(text[i], ()):
            if phrase.regex is None:
                end = i + phrase.length if text.startswith(phrase.text, i) else 0
            else:
                m = phrase.regex.match(text, i)
                end = m.end() if m else 0
            if end:
                yield i, end, phrase
                break
        i = end or i + 1


def hits(text: str, lex: Lexicon | None = None) -> list[CueHit]:
    """Every cue in ``text``, in reading order, negations and allegations applied; then every phrase
    of a circumstance that cannot be tolerated (matched apart, so that a longer cue never hides one).
    """
    lex = lex or lexicon()
    alleged = _alleged_spans(text, lex)
    return _hits(text, lex, lex.by_first, alleged) + _hits(text, lex, lex.exclusion_first, alleged)


def _hits(
    text: str, lex: Lexicon, by_first: dict[str, tuple[Phrase, ...]], alleged: list[tuple[int, int]]
) -> list[CueHit]:
    """Every cue in ``text``, in reading order, negations and allegations applied.

    A negation reaches past an earlier phrase only along a list of phrases of
    the same facet and pole (未经请示和集体研究); 未经集体研究擅自决定 negates
    集体研究 and not 擅自.
    """
    found: list[CueHit] = []
    last_end, last_negation, last_keys = -1, None, frozenset[tuple[str, str]]()
    for start, end, phrase in _matches(text, by_first):
        in_allegation = any(a <= start < b for a, b in alleged)
        negation = _negation_start(text, start, lex)
        keys = frozenset((c.facet, c.value) for c in phrase.cues)
        if negation is not None and negation < last_end and not (negation == last_negation and keys & last_keys):
            negation = None
        last_end, last_negation, last_keys = end, negation, keys
        denied = _denial_end(text, end, lex) if negation is None else None
        words = text[start:end] if negation is None else text[negation:end]
        if denied is not None:
            words = text[start:denied]
        for cue in phrase.cues:
            if in_allegation and cue.facet.startswith(("looks.", "distinction.", EXCLUSION)):
                continue
            if negation is None and denied is None:
                found.append(CueHit(cue.facet, cue.value, words, start, cue.weight, False))
            elif cue.negated:
                found.append(CueHit(cue.facet, cue.negated, words, start, cue.weight, True))
    return found


@dataclass(frozen=True)
class Reading:
    """What a description says, facet by facet, with the phrases each was read from."""

    kind: str | None = None
    looks: dict[str, str] = field(default_factory=dict)
    distinctions: dict[str, str | None] = field(default_factory=dict)  # distinction -> side (None: unclear)
    domain: str | None = None
    role: str | None = None
    level: str | None = None
    rules: tuple[str, ...] = ()
    phrases: dict[str, list[str]] = field(default_factory=dict)  # facet -> the phrases it was read from
    exclusions: dict[str, list[str]] = field(default_factory=dict)  # circumstance -> its phrases, in reading order

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "six_looks": self.looks,
            "distinctions": self.distinctions,
            "domain": self.domain,
            "role": self.role,
            "level": self.level,
            "rules": list(self.rules),
            "phrases": self.phrases,
            "exclusions": self.exclusions,
        }


def _poles(weights: dict[str, float]) -> str | None:
    """The value of a two-pole facet: one side when it weighs twice the other, else None."""
    values = sorted(weights.items(), key=lambda kv: -kv[1])
    if len(values) == 1 or values[0][1] >= 2 * values[1][1]:
        return values[0][0]
    return None


def _heaviest(weights: dict[str, float], first: dict[str, int], ties: bool) -> str | None:
    ranked = sorted(weights, key=lambda v: (-weights[v], first[v]))
    if not ties and len(ranked) > 1 and weights[ranked[0]] == weights[ranked[1]]:
        return None
    return ranked[0]


def _sentence_of(text: str, lex: Lexicon) -> list[int]:
    """The sentence number of every position of ``text`` (a sentence end belongs to its sentence)."""
    numbers, n = [], 0
    for char in text:
        numbers.append(n)
        n += char in lex.sentence_ends
    return numbers


def read_exclusions(text: str, found: list[CueHit], lex: Lexicon) -> dict[str, list[str]]:
    """The circumstances ``found`` reads in ``text``: a phrase, or a phrase of every group in one sentence.

    An ``unless`` phrase of the circumstance in the same sentence cancels it there.
    """
    sentence = _sentence_of(text, lex)
    parts: dict[tuple[int, str], dict[str, list[str]]] = {}
    for hit in found:
        if hit.facet.startswith(EXCLUSION):
            by_part = parts.setdefault((sentence[hit.start], hit.facet[len(EXCLUSION) :]), {})
            by_part.setdefault(hit.value, []).append(hit.phrase)
    read: dict[str, list[str]] = {}
    for (_, circumstance), by_part in parts.items():
        groups = [f"g{k}" for k in range(lex.groups.get(circumstance, 0))]
        if "unless" in by_part:
            continue
        if "any" in by_part:
            words = by_part["any"]
        elif groups and all(g in by_part for g in groups):
            words = [by_part[g][0] for g in groups]
        else:
            continue
        kept = read.setdefault(circumstance, [])
        kept += [w for w in words if w not in kept]
    return read


def circumstances(text: str, lex: Lexicon | None = None) -> dict[str, list[str]]:
    """Only the circumstances that cannot be tolerated in ``text`` (what :func:`read` finds of them, quicker)."""
    text = flow(text)
    lex = lex or lexicon()
    return read_exclusions(text, _hits(text, lex, lex.exclusion_first, _alleged_spans(text, lex)), lex)


def read(text: str, lex: Lexicon | None = None) -> Reading:
    """The facets ``text`` states, each with the phrases that stated it (``text`` as :func:`flow` makes it)."""
    text = flow(text)
    lex = lex or lexicon()
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    first: dict[str, dict[str, int]] = defaultdict(dict)
    phrases: dict[tuple[str, str], list[str]] = defaultdict(list)
    cue_hits = hits(text, lex)
    for hit in cue_hits:
        if hit.facet.startswith(EXCLUSION):
            continue
        if hit.facet.startswith("looks.") and hit.value == "unfavourable" and hit.weight >= 2:
            # Misconduct found (outside any allegation) speaks for a conduct to judge.
            weights["kind"]["mistake"] += hit.weight / 2
            first["kind"].setdefault("mistake", hit.start)
            if hit.phrase not in phrases["kind", "mistake"]:
                phrases["kind", "mistake"].append(hit.phrase)
        weights[hit.facet][hit.value] += hit.weight
        first[hit.facet].setdefault(hit.value, hit.start)
        if hit.phrase not in phrases[hit.facet, hit.value]:
            phrases[hit.facet, hit.value].append(hit.phrase)
    decided: dict[str, str | None] = {}
    for facet, by_value in weights.items():
        if facet.startswith("looks."):
            decided[facet] = _poles(by_value) or "mixed"
        elif facet.startswith("distinction."):
            decided[facet] = _poles(by_value)
        else:
            decided[facet] = _heaviest(by_value, first[facet], ties=facet != "kind")
    excluded = read_exclusions(text, cue_hits, lex)
    if decided.get("kind") is None and not weights["kind"].get("accusation"):
        # No accusation in sight and findings stated: a conduct to judge.
        stated = [p for (facet, _), found in phrases.items() if facet.startswith("looks.") for p in found]
        stated += [p for words in excluded.values() for p in words]
        if stated:
            decided["kind"] = "mistake"
            weights["kind"]["mistake"] = 0.0
            phrases["kind", "mistake"] = stated[:3]
    shown = {}
    for facet, value in decided.items():
        values = [value] if value in weights[facet] else list(weights[facet])
        found = [p for v in values for p in phrases[facet, v]]
        shown[facet] = [p for p in found if not any(p != q and p in q for q in found)]
    return Reading(
        kind=decided.get("kind"),
        looks={f.split(".", 1)[1]: v for f, v in decided.items() if f.startswith("looks.") and v},
        distinctions={f.split(".", 1)[1]: v for f, v in decided.items() if f.startswith("distinction.")},
        domain=decided.get("domain"),
        role=decided.get("role"),
        level=decided.get("level"),
        rules=tuple(dict.fromkeys(m.group(0) for m in RULE_NAME.finditer(text))),
        phrases={f: p for f, p in shown.items() if decided.get(f) is not None or f.startswith("distinction.")},
        exclusions=excluded,
    )
