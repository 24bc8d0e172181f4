"""Validated cases by content hash, so that a rebuild re-reads only the files that changed.

An entry is keyed by the SHA-256 of a file's bytes and holds the validated
case (as JSON), the lines of its fields and the problems the file itself
raised (cross-file and date checks always run afresh: they depend on the
other files and on today). The whole cache is void when any file of the
schema package changes, so new rules always see every file.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from casebook.schema.checks import LoadedCase
from casebook.schema.jsonfile import read_json, write_json
from casebook.schema.loader import LoadedFile
from casebook.schema.models import Case
from casebook.schema.problems import Problem

CACHE_VERSION = 1


def _rules_fingerprint() -> str:
    """A hash of the schema package itself: models, vocabularies, loader, lint."""
    digest = hashlib.sha256(str(CACHE_VERSION).encode())
    package = resources.files("casebook.schema")
    for name in sorted(entry.name for entry in package.iterdir() if entry.name.endswith((".py", ".yaml"))):
        digest.update(name.encode() + package.joinpath(name).read_bytes())
    return digest.hexdigest()


Result = tuple[LoadedCase | None, list[Problem]]


class ValidationCache:
    """A JSON file of validated cases by content hash."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fingerprint = _rules_fingerprint()
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.changed = False
        stored = read_json(path)
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            self.entries = stored.get("entries", {})

    @staticmethod
    def key(raw: bytes) -> str:
        return hashlib.sha256(raw).hexdigest()

    def get(self, key: str, path: Path, display: str) -> Result | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        self.used.add(key)
        problems = [Problem(display, *fields) for fields in entry["problems"]]
        if entry["case"] is None:
            return None, problems
        lines = {tuple(field): line for field, line in entry["lines"]}
        source = LoadedFile(path, display, None, lines)
        return LoadedCase(Case.model_validate(entry["case"]), source), problems

    def put(self, key: str, result: Result) -> None:
        loaded, problems = result
        self.entries[key] = {
            "case": loaded.case.model_dump(mode="json") if loaded else None,
            "lines": [[list(field), line] for field, line in loaded.source.lines.items()] if loaded else [],
            "problems": [[p.line, p.field, p.code, p.message, p.severity, p.column] for p in problems],
        }
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run (files that went away drop out)."""
        if not self.changed and set(self.entries) <= self.used:
            return
        kept = {key: self.entries[key] for key in sorted(self.used) if key in self.entries}
        write_json(self.path, {"fingerprint": self.fingerprint, "entries": kept})
