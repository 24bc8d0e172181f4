"""Chinese tokens for the index and the precedent finder: jieba through Whoosh's analyzer chain.

The tokenizer is jieba's search mode (人防审批 also yields 人防 and 审批), as
in jieba's own Whoosh analyzer (``jieba.analyse.ChineseAnalyzer``), followed by
Whoosh's lowercase, stop-word and stemming filters and a Chinese stop list;
the domain dictionary keeps terms such as 容缺办理 whole. It is written out
here (a few lines) because importing ``jieba.analyse`` also loads its TF-IDF
tables, 0.7 s that every command would pay. jieba loads its dictionary on
first use (about a second), so nothing here runs at import time, and a
command that segments nothing never loads it.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, LowercaseFilter, StemFilter, StopFilter, Token, Tokenizer
from whoosh.lang.porter import stem

from casebook.search.dictionary import USER_DICTIONARY


@functools.cache
def stop_words() -> frozenset[str]:
    """Function words that carry no meaning for matching cases (``stopwords.txt``, one a line)."""
    text = resources.files("casebook.search").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


_CACHE_DIR: list[Path] = []  # where jieba keeps its cache, once told


def prepare_jieba(cache_dir: Path | None = None) -> None:
    """Keep jieba's 9 MB cache in ``cache_dir``; jieba itself loads when a text is first segmented.

    Loading jieba and its dictionary costs about a second: a precedent query
    (cut into the model's own terms) and an up-to-date index never pay it.
    """
    if cache_dir is not None:
        _CACHE_DIR[:] = [cache_dir]
        if "jieba" in sys.modules:
            _point_cache(sys.modules["jieba"])


def _point_cache(jieba: Any) -> None:
    if _CACHE_DIR:
        _CACHE_DIR[0].mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(_CACHE_DIR[0])


@functools.cache
def load_jieba() -> Any:
    """jieba, quiet, with its cache where it was told and the domain dictionary loaded (once)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    _point_cache(jieba)
    jieba.load_userdict(str(USER_DICTIONARY))
    return jieba


_HAN = re.compile(r"[\u4E00-\u9FD5]+")


class ChineseTokenizer(Tokenizer):
    """jieba's search-mode segmentation as a Whoosh tokenizer (as in ``jieba.analyse.analyzer``)."""

    def __call__(self, value: str, **kwargs: object):  # type: ignore[no-untyped-def, override]
        token = Token()
        for word, start, end in load_jieba().tokenize(value, mode="search"):
            if len(word) <= 1 and not _HAN.match(word):
                continue  # punctuation and single Latin letters
            token.original = token.text = word
            token.pos, token.startchar, token.endchar = start, start, end
            yield token


@functools.cache
def analyzer() -> Analyzer:
    """The Whoosh analyzer used for every text field (and for queries)."""
    return (
        ChineseTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=stop_words(), minsize=1)
        | StemFilter(stemfn=stem, ignore=None, cachesize=50000)
    )


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` exactly as the index sees them."""
    return [token.text for token in analyzer()(text)]


def terms(text: str) -> list[str]:
    """Tokens that can carry a case's meaning: two characters or more (single Han characters are too ambiguous)."""
    return [t for t in tokens(text) if len(t) >= 2]
