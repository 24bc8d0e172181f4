"""One way to spread CPU-bound work over both cores: :func:`parallel_map`.

YAML parsing, the name lint, jieba's segmentation and the finder's
neighbour lists are CPU-bound; on this project's machines (two cores) a
second process halves them once there is enough work to pay for starting
it. Workers are forked so that they share what the parent has loaded
(jieba's dictionary, the models, a large object passed as ``shared``).
Forking while other threads run (``mkdocs serve`` has some) could copy a
held lock into the child, so then the workers are spawned (they import
afresh), or, when they need ``shared``, the work stays in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

WORKERS = 2  # the machines this runs on have two cores; more workers only add start-up
MIN_ITEMS = 200  # below this, one core finishes before a second process would have started

_shared: Any = None  # what the forked workers read: set in the parent just before forking


def parallel_map(
    function: Callable[[list[Item]], list[Result]],
    items: Sequence[Item],
    *,
    min_items: int = MIN_ITEMS,
    prepare: Callable[[], object] | None = None,
    share: Any = None,
) -> list[Result]:
    """``function`` applied to ``items`` in chunks; one result per item, in the order of ``items``.

    ``function`` (a module-level function) takes a list of items and returns
    one result per item. With at least ``min_items`` items and two cores the
    items are dealt to two workers; otherwise one call does all. ``prepare``
    runs first, in this process, to load what forked workers should share;
    ``share`` is an object the workers read through :func:`shared` (it
    needs a fork: with other threads running, the work stays here).
    """
    global _shared
    workers = min(WORKERS, os.cpu_count() or 1)
    forking = threading.active_count() == 1
    if len(items) < min_items or workers < 2 or (share is not None and not forking):
        _shared = share
        try:
            return function(list(items))
        finally:
            _shared = None
    if prepare is not None and forking:
        prepare()
    chunks = [list(items[i::workers]) for i in range(workers)]
    context = multiprocessing.get_context("fork" if forking else "spawn")
    _shared = share
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(function, chunks))
    finally:
        _shared = None
    results: list[Result] = [None] * len(items)  # type: ignore[list-item]
    for start, part in enumerate(parts):
        results[start::workers] = part
    return results


def shared() -> Any:
    """The ``share`` object of the :func:`parallel_map` call this worker runs for."""
    return _shared
