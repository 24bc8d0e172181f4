"""Segment each text once: jieba's terms cached by content hash across builds and index refreshes.

jieba segments about 0.25 M characters a second; a corpus of 10,000 cases
would cost a minute on every build. The cache maps the hash of a text (and
of the dictionaries that shape its segmentation) to its term counts.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path

from casebook.schema.jsonfile import read_json, write_json
from casebook.search.tokenize import load_jieba, terms

PARALLEL_FROM = 200  # texts to segment; fewer are quicker on one core


def _segment(texts: list[str]) -> list[dict[str, int]]:
    return [dict(Counter(terms(text))) for text in texts]


def dictionary_version() -> str:
    """A hash of the word lists that shape the terms (a change re-segments every text)."""
    digest = hashlib.sha256()
    for name in ("userdict.txt", "stopwords.txt", "finder_stopwords.txt"):
        digest.update(resources.files("casebook.search").joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


class TermCache:
    """Term counts by text hash, persisted as one JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.version = dictionary_version()
        self.entries: dict[str, dict[str, int]] = {}
        self.used: set[str] = set()
        self.changed = False
        stored = read_json(path) if path is not None else None
        if isinstance(stored, dict) and stored.get("version") == self.version:
            self.entries = stored.get("entries", {})

    def fill(self, texts: list[str]) -> None:
        """Segment every text not cached yet, on both cores when there are many (jieba is CPU-bound)."""
        keys = {hashlib.sha256(t.encode("utf-8")).hexdigest(): t for t in texts}
        missing = [(k, t) for k, t in keys.items() if k not in self.entries]
        workers = min(2, os.cpu_count() or 1)
        if len(missing) < PARALLEL_FROM or workers < 2 or threading.active_count() > 1:
            return
        load_jieba()  # load jieba's dictionary once, before forking, so both workers share it
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            chunks = [missing[i::workers] for i in range(workers)]
            results = list(pool.map(_segment, [[t for _, t in chunk] for chunk in chunks]))
        for chunk, counted in zip(chunks, results, strict=True):
            for (key, _), counts in zip(chunk, counted, strict=True):
                self.entries[key] = counts
        self.changed = True

    def counts(self, text: str) -> dict[str, int]:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.used.add(key)
        if key not in self.entries:
            self.entries[key] = dict(Counter(terms(text)))
            self.changed = True
        return self.entries[key]

    def save(self) -> None:
        """Write the cache if anything was added; texts unused for long drop out.

        Entries not used in this run are kept (another edition or the index may
        need them) until they outnumber the used ones two to one.
        """
        if self.path is None or not self.changed:
            return
        keys = self.used if len(self.entries) > 3 * len(self.used) else self.entries.keys()
        kept = {key: self.entries[key] for key in sorted(keys)}
        write_json(self.path, {"version": self.version, "entries": kept})
