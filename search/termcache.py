"""Segment each text once: jieba's terms cached by content hash across builds and index refreshes.

jieba segments about 0.25 M characters a second; a corpus of 10,000 cases
would cost a minute on every build. The cache maps the hash of a text (and
of the dictionaries that shape its segmentation) to its term counts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from importlib import resources
from pathlib import Path

from search.tokenize import terms


def _dictionary_version() -> str:
    digest = hashlib.sha256()
    for name in ("userdict.txt", "stopwords.txt"):
        digest.update(resources.files("search").joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


class TermCache:
    """Term counts by text hash, persisted as one JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.version = _dictionary_version()
        self.entries: dict[str, dict[str, int]] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None and path.exists():
            try:
                stored = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                stored = {}
            if stored.get("version") == self.version:
                self.entries = stored.get("entries", {})

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = self.used if len(self.entries) > 3 * len(self.used) else self.entries.keys()
        kept = {key: self.entries[key] for key in sorted(keys)}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"version": self.version, "entries": kept}, ensure_ascii=False), encoding="utf-8"
        )
        os.replace(temporary, self.path)
