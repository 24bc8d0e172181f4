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

import functools
import re
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


class ChineseTokenizer(Tokenizer):
    """jieba's search-mode segmentation as a Whoosh tokenizer (as in ``jieba.analyse.analyzer``).

    ``extra`` (the corpus terms) is kept on the tokenizer, so an index stored
    with it segments with the same dictionary when it is opened again.
    """

    def __init__(self, extra: Extra = ()) -> None:
        self.extra = tuple(extra)

    def __call__(self, value: str, **kwargs: object):  # type: ignore[no-untyped-def, override]
        token = Token()
        for word, start, end in segmenter(self.extra).tokenize(value, mode="search"):
            if len(word) <= 1 and not _HAN.match(word):
                continue  # punctuation and single Latin letters
            token.original = token.text = word
            token.pos, token.startchar, token.endchar = start, start, end
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
