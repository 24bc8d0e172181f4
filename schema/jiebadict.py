"""jieba's dictionary, loaded in a quarter of the time jieba takes, for every part of casebook that segments.

jieba keeps its prefix dictionary (about 500,000 words and their
frequencies) as a marshal file and needs about a second to load it; the
name check pays that on every cold ``casebook validate``. The same words
kept as one block of text plus one array of numbers load about four times
faster (``dict(zip(words, numbers))``, no unmarshalling of half a million
objects). The file is derived from jieba's own dictionary, keyed by its
path, size and time, written atomically, and checked before use: a file
that does not read back is ignored and written again. The person (nr) and
place (ns) tags of the dictionary's words, which the name check needs, are
kept beside the words.

Where the file lives is set once (:func:`use_cache_dir`, the project's
``.cache``); without it, jieba's own choice (the temporary folder).
"""

from __future__ import annotations

import array
import functools
import hashlib
import logging
import os
import re
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any

_MAGIC = b"casebook-jieba-1\n"
_TAG = re.compile(r"^(\S+) \d+ (n[rs])", re.MULTILINE)
_CACHE_DIR: list[Path] = []


def use_cache_dir(folder: Path) -> None:
    """Keep jieba's caches (ours and its own) in ``folder``; call before the first segmentation."""
    _CACHE_DIR[:] = [folder]
    if "jieba" in sys.modules:
        folder.mkdir(parents=True, exist_ok=True)
        sys.modules["jieba"].dt.tmp_dir = str(folder)


def _folder() -> Path:
    return _CACHE_DIR[0] if _CACHE_DIR else Path(tempfile.gettempdir())


def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if _CACHE_DIR:
        _CACHE_DIR[0].mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(_CACHE_DIR[0])
    return jieba


def _key(jieba: Any) -> str:
    source = Path(jieba.dt.get_dict_file().name)
    info = source.stat()
    return hashlib.sha256(f"{source}|{info.st_size}|{info.st_mtime_ns}|{jieba.__version__}".encode()).hexdigest()[:16]


def _encode(frequencies: dict[str, int], total: int, tags: dict[str, str]) -> bytes:
    words = "\n".join(frequencies).encode("utf-8")
    numbers = array.array("q", frequencies.values()).tobytes()
    tagged = "\n".join(f"{word}\t{tag}" for word, tag in tags.items()).encode("utf-8")
    head = struct.pack("<qqqq", total, len(words), len(numbers), len(tagged))
    return _MAGIC + head + words + numbers + tagged


def _decode(raw: bytes) -> tuple[dict[str, int], int, dict[str, str]] | None:
    if not raw.startswith(_MAGIC) or len(raw) < len(_MAGIC) + 32:
        return None
    at = len(_MAGIC)
    total, n_words, n_numbers, n_tagged = struct.unpack_from("<qqqq", raw, at)
    at += 32
    if len(raw) != at + n_words + n_numbers + n_tagged:
        return None
    words = raw[at : at + n_words].decode("utf-8").split("\n")
    numbers = array.array("q")
    numbers.frombytes(raw[at + n_words : at + n_words + n_numbers])
    if len(words) != len(numbers):
        return None
    tagged = raw[at + n_words + n_numbers :].decode("utf-8")
    tags = dict(line.split("\t", 1) for line in tagged.split("\n")) if tagged else {}
    return dict(zip(words, numbers, strict=True)), total, tags


def _write(path: Path, raw: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(raw)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written costs time, never a result


@functools.cache
def _loaded() -> tuple[Any, dict[str, str]]:
    """jieba with its default dictionary loaded, and the dictionary's nr/ns tags."""
    jieba = _jieba()
    path = _folder() / f"jieba-dict-{_key(jieba)}.bin"
    try:
        found = _decode(path.read_bytes()) if path.is_file() else None
    except (OSError, ValueError, UnicodeDecodeError, struct.error):
        found = None
    if found is not None:
        jieba.dt.FREQ, jieba.dt.total, tags = found
        jieba.dt.initialized = True
        return jieba, tags
    jieba.initialize()
    with jieba.dt.get_dict_file() as handle:
        tags = dict(_TAG.findall(handle.read().decode("utf-8")))
    _write(path, _encode(jieba.dt.FREQ, jieba.dt.total, tags))
    return jieba, tags


def load() -> Any:
    """The ``jieba`` module, its default tokenizer's dictionary loaded (from the fast file when there is one)."""
    return _loaded()[0]


def frequencies() -> dict[str, int]:
    """jieba's word → frequency (its prefix dictionary: prefixes of words have frequency 0)."""
    return load().dt.FREQ  # type: ignore[no-any-return]


def name_tags() -> dict[str, str]:
    """The words jieba's dictionary tags as a person (``nr``) or a place (``ns``)."""
    return _loaded()[1]
