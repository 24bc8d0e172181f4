"""The one content-hash cache: values computed from a text, kept across runs in one JSON file.

Every cache of casebook (validated case files, jieba's terms, the site
index's analyses, the similar-case lists) is a :class:`ContentCache`:

- an entry's key is the SHA-256 of the content it was computed from;
- the whole file is void when its *version* changes, and the version is a
  hash of the code and data that produce the values (:func:`code_version`),
  never a number someone must remember to raise;
- one eviction rule (:meth:`ContentCache.save`): entries used in this run
  stay; unused ones stay too (the other edition, ``casebook index`` or the
  next build may need them) until they outnumber the used ones two to one;
- writes go through :func:`casebook.schema.jsonfile.write_json` (atomic).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from casebook.schema.checks import LoadedCase
from casebook.schema.jsonfile import read_json, write_json
from casebook.schema.loader import LoadedFile
from casebook.schema.models import Case
from casebook.schema.parallel import parallel_map
from casebook.schema.problems import Problem

_SOURCE_SUFFIXES = (".py", ".yaml", ".txt", ".json")


def content_key(content: str | bytes) -> str:
    """The SHA-256 of ``content`` (text as UTF-8): an entry's key."""
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def code_version(*producers: str, data: Iterable[str | bytes] = ()) -> str:
    """A hash of what produces a cache's values: module or package names (their source files) and ``data``.

    A package stands for every ``.py``, ``.yaml``, ``.txt`` and ``.json``
    file directly inside it (its word lists and vocabularies included).
    """
    digest = hashlib.sha256()
    for name in producers:
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            folder = Path(next(iter(module.__path__)))
            files = sorted(p for p in folder.iterdir() if p.suffix in _SOURCE_SUFFIXES)
        else:
            files = [Path(str(module.__file__))]
        for file in files:
            digest.update(f"{name}/{file.name}\0".encode() + file.read_bytes() + b"\0")
    for item in data:
        digest.update(content_key(item).encode())
    return digest.hexdigest()[:16]


class ContentCache:
    """Values by content hash, persisted as one JSON file ``{"version": …, "entries": {key: value}}``."""

    def __init__(self, path: Path | None, version: str) -> None:
        self.path = path
        self.version = version
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.changed = False
        stored = read_json(path) if path is not None else None
        if isinstance(stored, dict) and stored.get("version") == version and isinstance(stored.get("entries"), dict):
            self.entries = stored["entries"]

    def get(self, key: str) -> Any | None:
        """The value stored under ``key`` (marking it used), or ``None``."""
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.changed = True

    def compute(
        self,
        inputs: dict[str, Any],
        function: Callable[[list[Any]], list[Any]],
        *,
        min_items: int | None = None,
        prepare: Callable[[], object] | None = None,
    ) -> None:
        """Compute and store the value of every input (by key) not stored yet, on both cores when there are many.

        ``function`` maps a list of inputs to their values (see
        :func:`casebook.schema.parallel.parallel_map`).
        """
        missing = [key for key in inputs if key not in self.entries]
        if not missing:
            return
        options: dict[str, Any] = {"prepare": prepare}
        if min_items is not None:
            options["min_items"] = min_items
        values = parallel_map(function, [inputs[key] for key in missing], **options)
        for key, value in zip(missing, values, strict=True):
            self.put(key, value)

    def save(self) -> set[str]:
        """Write the file if anything was added or enough went unused (see the module docstring).

        Returns the keys kept, for a cache whose values are files of their own (printed PDFs).
        """
        crowded = len(self.entries) > 3 * len(self.used)
        keys: Sequence[str] = sorted(self.used if crowded else self.entries)
        if self.path is not None and (self.changed or crowded):
            write_json(self.path, {"version": self.version, "entries": {key: self.entries[key] for key in keys}})
        return set(keys)


Result = tuple[LoadedCase | None, list[Problem]]


def validation_version() -> str:
    """The schema package itself (models, vocabularies, loader, lint): new rules see every file again."""
    return code_version("casebook.schema")


class ValidationCache:
    """Validated case files by the hash of their bytes.

    An entry holds the validated case (as JSON), the lines of its fields and
    the problems the file itself raised; cross-file and date checks always
    run afresh (they depend on the other files and on today).
    """

    def __init__(self, path: Path) -> None:
        self.store = ContentCache(path, validation_version())

    key = staticmethod(content_key)

    def get(self, key: str, path: Path, display: str) -> Result | None:
        entry = self.store.get(key)
        if entry is None:
            return None
        problems = [Problem(display, *fields) for fields in entry["problems"]]
        if entry["case"] is None:
            return None, problems
        lines = {tuple(field): line for field, line in entry["lines"]}
        source = LoadedFile(path, display, None, lines)
        return LoadedCase(Case.model_validate(entry["case"]), source), problems

    def put(self, key: str, result: Result) -> None:
        loaded, problems = result
        self.store.put(
            key,
            {
                "case": loaded.case.model_dump(mode="json") if loaded else None,
                "lines": [[list(field), line] for field, line in loaded.source.lines.items()] if loaded else [],
                "problems": [[p.line, p.field, p.code, p.message, p.severity, p.column] for p in problems],
            },
        )

    def save(self) -> None:
        self.store.save()
