"""The JSON cache helper: concurrent writers and readers never see half a file."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

from casebook.schema.jsonfile import read_json, write_json

ROUNDS = 200


def _writer(path: str, name: str) -> None:
    for round_ in range(ROUNDS):
        # Big enough that a write takes several system calls.
        write_json(Path(path), {"writer": name, "round": round_, "padding": [name * 50] * 500})


def _reader(path: str, seen: multiprocessing.Queue, stop: Any) -> None:  # type: ignore[type-arg]
    bad = whole = 0
    while not stop.is_set() or not whole:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        try:
            data = json.loads(text)
            whole += data["padding"][-1] == data["writer"] * 50
        except ValueError:
            bad += 1
    seen.put((bad, whole))


def test_two_writers_and_a_reader_at_once(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "lists.json"
    context = multiprocessing.get_context("fork")
    seen, stop = context.Queue(), context.Event()
    writers = [context.Process(target=_writer, args=(str(path), name)) for name in ("甲", "乙")]
    reader = context.Process(target=_reader, args=(str(path), seen, stop))
    for process in [reader, *writers]:
        process.start()
    for process in writers:
        process.join(timeout=120)
        assert process.exitcode == 0
    stop.set()
    reader.join(timeout=120)
    assert reader.exitcode == 0
    bad, whole = seen.get(timeout=5)
    assert bad == 0  # never half a file
    assert whole > 0  # the reader did see files while they were being replaced
    final = read_json(path)
    assert final["round"] == ROUNDS - 1 and final["writer"] in {"甲", "乙"}
    assert [p.name for p in path.parent.iterdir()] == ["lists.json"]  # no temporary file left behind


def test_a_missing_or_broken_cache_reads_as_absent(tmp_path: Path) -> None:
    assert read_json(tmp_path / "none.json") is None
    broken = tmp_path / "broken.json"
    broken.write_text('{"entries": {', encoding="utf-8")
    assert read_json(broken) is None
    write_json(broken, {"entries": {"键": [1, 2]}})
    assert read_json(broken) == {"entries": {"键": [1, 2]}}
