"""Segment each text once: jieba's terms cached by content hash across builds and index refreshes.

jieba segments about 0.25 M characters a second; a corpus of 10,000 cases
would cost a minute on every build. The cache maps the hash of a text to its
term counts; its version is the code and the word lists that shape the
segmentation, so a change of either segments every text again.
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

from casebook.schema.cache import ContentCache, code_version, content_key
from casebook.search.tokenize import load_jieba, terms


def _segment(texts: list[str]) -> list[dict[str, int]]:
    return [dict(Counter(terms(text))) for text in texts]


def dictionary_version() -> str:
    """A hash of the tokenizer and the word lists that shape the terms (a change re-segments every text)."""
    lists = resources.files("casebook.search")
    words = [lists.joinpath(name).read_bytes() for name in ("userdict.txt", "stopwords.txt", "finder_stopwords.txt")]
    return code_version("casebook.search.tokenize", "casebook.search.dictionary", data=words)


class TermCache:
    """Term counts by text hash, persisted as one JSON file (a :class:`ContentCache`)."""

    def __init__(self, path: Path | None) -> None:
        self.store = ContentCache(path, dictionary_version())

    @property
    def version(self) -> str:
        return self.store.version

    def fill(self, texts: list[str]) -> None:
        """Segment every text not cached yet, on both cores when there are many (jieba is CPU-bound)."""
        self.store.compute({content_key(t): t for t in texts}, _segment, prepare=load_jieba)

    def counts(self, text: str) -> dict[str, int]:
        key = content_key(text)
        found = self.store.get(key)
        if found is None:
            found = _segment([text])[0]
            self.store.put(key, found)
        return found

    def save(self) -> None:
        self.store.save()
