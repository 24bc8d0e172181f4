"""The one content-hash cache and the one worker pool every stage uses."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from casebook.schema.cache import ContentCache, code_version, content_key
from casebook.schema.jsonfile import read_json
from casebook.schema.parallel import parallel_map, shared


def _squares_with_pid(items: list[int]) -> list[tuple[int, int]]:
    return [(item * item, os.getpid()) for item in items]


def _offset_by_shared(items: list[int]) -> list[int]:
    return [item + shared() for item in items]


def test_parallel_map_keeps_the_order_of_the_items_across_two_workers() -> None:
    items = list(range(50))
    results = parallel_map(_squares_with_pid, items, min_items=10)
    assert [square for square, _ in results] == [i * i for i in items]
    if (os.cpu_count() or 1) >= 2:  # the work went to worker processes (which of the two took a chunk is theirs to say)
        assert os.getpid() not in {pid for _, pid in results}


def test_parallel_map_stays_in_this_process_below_the_threshold() -> None:
    results = parallel_map(_squares_with_pid, [1, 2, 3], min_items=10)
    assert results == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_workers_read_the_shared_object_and_it_is_gone_afterwards() -> None:
    assert parallel_map(_offset_by_shared, list(range(20)), min_items=5, share=100) == list(range(100, 120))
    assert parallel_map(_offset_by_shared, [1], min_items=5, share=7) == [8]
    assert shared() is None


def test_with_other_threads_running_shared_work_stays_in_this_process() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel_map(_offset_by_shared, list(range(20)), min_items=5, share=1) == list(range(1, 21))
    finally:
        stop.set()
        other.join()


def _lengths(texts: list[str]) -> list[int]:
    return [len(t) for t in texts]


def test_content_cache_keeps_values_by_content_and_drops_them_when_the_version_changes(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    cache = ContentCache(path, "v1")
    cache.compute({content_key(t): t for t in ("人防", "容缺办理")}, _lengths)
    cache.save()
    again = ContentCache(path, "v1")
    assert again.get(content_key("容缺办理")) == 4
    assert ContentCache(path, "v2").get(content_key("容缺办理")) is None


def test_content_cache_keeps_unused_entries_until_they_outnumber_the_used_two_to_one(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    first = ContentCache(path, "v")
    for n in range(8):
        first.put(content_key(str(n)), n)
    first.save()
    # Another run uses three entries: the five unused ones stay (the other edition may need them).
    second = ContentCache(path, "v")
    for n in range(3):
        assert second.get(content_key(str(n))) == n
    second.put(content_key("new"), 9)
    second.save()
    assert len(read_json(path)["entries"]) == 9
    # A run that uses two of nine: the unused ones outnumber the used more than two to one and go.
    third = ContentCache(path, "v")
    third.get(content_key("0"))
    third.get(content_key("new"))
    third.save()
    assert set(read_json(path)["entries"]) == {content_key("0"), content_key("new")}


def test_code_version_follows_the_source_of_what_produces_the_values() -> None:
    assert code_version("casebook.search.tokenize") == code_version("casebook.search.tokenize")
    assert code_version("casebook.search.tokenize") != code_version("casebook.search.segment")
    assert code_version("casebook.search.tokenize", data=["a"]) != code_version("casebook.search.tokenize", data=["b"])
