"""Chinese tokens for the index and the precedent finder: jieba through Whoosh's analyzer chain.

The tokenizer is jieba's search mode (人防审批 also yields 人防 and 审批), as
in jieba's own Whoosh analyzer (``jieba.analyse.ChineseAnalyzer``), followed by
Whoosh's lowercase, stop-word and stemming filters and a Chinese stop list;
the domain dictionary keeps terms such as 容缺办理 whole, and the corpus's own
terms (its keywords and place names, ``search.dictionary.corpus_terms``) are
added on top, so that 清江浦区 stays one word. It is written out
here (a few lines) because importing ``jieba.analyse`` also loads its TF-IDF
tables, 0.7 s that every command would pay. jieba loads its dictionary on
first use (about a second), so nothing here runs at import time, and a
command that segments nothing never loads it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer
from whoosh.lang.porter import stem

from casebook.schema import jiebadict as jiebadict
from casebook.search.dictionary import CORPUS_TERM_FREQUENCY, USER_DICTIONARY


@functools.cache
def stop_words() -> frozenset[str]:
    """Function words that carry no meaning for matching cases (``stopwords.txt``, one a line)."""
    text = resources.files("casebook.search").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def prepare_jieba(cache_dir: Path | None = None) -> None:
    """Keep jieba's caches in ``cache_dir``; jieba itself loads when a text is first segmented.

    Loading jieba and its dictionary costs time: a precedent query (cut into
    the model's own terms) and an up-to-date index never pay it.
    """
    if cache_dir is not None:
        jiebadict.use_cache_dir(cache_dir)


@functools.cache
def load_jieba() -> Any:
    """jieba, quiet, its dictionary loaded (fast: :mod:`casebook.schema.jiebadict`), the domain words added."""
    jieba = jiebadict.load()
    jieba.load_userdict(str(USER_DICTIONARY))
    return jieba


Extra = tuple[str, ...]  # the corpus's own terms, sorted (``search.dictionary.corpus_terms``)


@functools.lru_cache(maxsize=4)
def segmenter(extra: Extra = ()) -> Any:
    """A jieba tokenizer with the domain dictionary plus the corpus terms ``extra`` (each kept whole).

    jieba's own tokenizer is global: adding words to it would leak one
    corpus's terms into the next (tests build several corpora in a process).
    Each set of terms gets its own tokenizer over a copy of the loaded
    dictionary instead (a few hundred milliseconds, no second dictionary load).
    """
    base = load_jieba().dt
    if not extra:
        return base
    import jieba

    own = jieba.Tokenizer()
    own.FREQ, own.total = dict(base.FREQ), base.total
    own.user_word_tag_tab = dict(base.user_word_tag_tab)
    own.initialized = True
    for term in extra:
        own.add_word(term, CORPUS_TERM_FREQUENCY, "n")
    return own


_HAN = re.compile(r"[\u4E00-\u9FD5]+")

# A masked alias (谢某某, 次某, 欧阳某某) is one word of the index, never its characters: 道 of 道某某 is
# no match for 道. Its first character is a surname, so not one of these, which put 某 after a place
# (淮安市某项目), a body (某区某局) or a word (对某某, 由某某): a character of them never starts an alias.
_NOT_ALIAS = (
    "某为对向由被给与和及将把从在是的了其等各以经据让使请同跟比按如若因于至自每该此本原另"
    "省市县区镇乡村州局厅委部处科所站组队院校司企厂店社会团"
)


@functools.cache
def _alias() -> re.Pattern[str]:
    from casebook.schema.names import name_data

    compound = "|".join(sorted(name_data().compound_surnames, key=len, reverse=True))
    return re.compile(f"(?:{compound})某{{1,2}}|[\u4e00-\u9fff](?<![{_NOT_ALIAS}])某{{1,2}}")


def alias_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a masked alias such as 谢某某 or 次某: (start, end) of each."""
    return [found.span() for found in _alias().finditer(text)] if "某" in text else []


def search_words(text: str, extra: Extra = ()) -> Iterator[tuple[str, int, int]]:
    """jieba's search-mode words of ``text`` with a masked alias as one word: (word, start, end).

    Punctuation and single Latin letters are dropped. A word inside an alias
    gives way to the alias itself, at the alias's place: 谢 and 某某 to 谢某某.
    """
    aliases = alias_spans(text)
    k = 0
    for word, start, end in segmenter(extra).tokenize(text, mode="search"):
        if len(word) <= 1 and not _HAN.match(word):
            continue  # punctuation and single Latin letters
        while k < len(aliases) and aliases[k][0] <= start:
            yield text[aliases[k][0] : aliases[k][1]], aliases[k][0], aliases[k][1]
            k += 1
        if any(a < end and start < b for a, b in aliases):
            continue
        yield word, start, end
    for a, b in aliases[k:]:
        yield text[a:b], a, b


# Positions: a sentence ends after one of these (a line ends a paragraph or a part); a longer stretch
# is cut every SENTENCE_LENGTH characters. A position is the sentence's number and the offset within it.
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
SENTENCE_LENGTH = 1024
SENTENCE_BITS = 10  # offset bits; a field's sentence number takes the next ten (1023 at most)
FIELD_SHIFT = 2 * SENTENCE_BITS  # the site's positions carry the field's number above the sentence's


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (0 first)."""
    starts = [0]
    for found in _SENTENCE_END.finditer(text):
        starts.append(found.end())
    out: list[int] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        out += range(start, max(end, start + 1), SENTENCE_LENGTH)
    return out


def packer(text: str) -> Callable[[int], int]:
    """A character offset of ``text`` → its position: sentence number << 10 | offset within the sentence."""
    starts = sentence_starts(text)
    top = (1 << SENTENCE_BITS) - 1

    def pack(offset: int) -> int:
        sentence = bisect.bisect_right(starts, offset) - 1
        if sentence > top:
            return top << SENTENCE_BITS | top  # past the last sentence counted: one place (hostile lengths only)
        return sentence << SENTENCE_BITS | (offset - starts[sentence])

    return pack


class ChineseTokenizer(Tokenizer):
    """jieba's search-mode segmentation as a Whoosh tokenizer (as in ``jieba.analyse.analyzer``).

    ``extra`` (the corpus terms) is kept on the tokenizer, so an index stored
    with it segments with the same dictionary when it is opened again. A
    token's position is its sentence and offset (:func:`packer`), so that the
    index knows which words share a sentence and which stand side by side.
    """

    def __init__(self, extra: Extra = ()) -> None:
        self.extra = tuple(extra)

    def __call__(self, value: str, **kwargs: object):  # type: ignore[no-untyped-def, override]
        token = Token()
        pack = packer(value)
        for word, start, end in search_words(value, self.extra):
            token.original = token.text = word
            token.pos, token.startchar, token.endchar = pack(start), start, end
            yield token


@functools.lru_cache(maxsize=4)
def analyzer(extra: Extra = ()) -> Analyzer:
    """The Whoosh analyzer used for every text field, with the corpus terms ``extra``."""
    return (
        ChineseTokenizer(extra)
        | LowercaseFilter()
        | StopFilter(stoplist=stop_words(), minsize=1)
        | StemFilter(stemfn=stem, ignore=None, cachesize=50000)
    )


def tokens(text: str, extra: Extra = ()) -> list[str]:
    """The tokens of ``text`` exactly as the index sees them (with the corpus terms ``extra``)."""
    return [token.text for token in analyzer(extra)(text)]


def terms(text: str) -> list[str]:
    """Tokens that can carry a case's meaning: two characters or more (single Han characters are too ambiguous)."""
    return [t for t in tokens(text) if len(t) >= 2]
