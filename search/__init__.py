"""casebook's search: full-text search and similar precedents over the corpus.

The verbs other packages use, importable from here (loaded on first use:
Whoosh and jieba load slowly, and ``casebook validate`` needs neither):

- :func:`open_index` brings the index of a cases folder up to date and opens it;
- :func:`search` runs a full-text query with facets; :func:`search_text` and
  :func:`search_json` present it;
- :func:`read_query` reads a :class:`Description` of a new case, :func:`find`
  ranks its precedents; :func:`similar_text`, :func:`similar_json` and
  :func:`render_report` present them;
- :class:`Precedents`, :class:`TermCache`, :func:`record_of` for the site's
  similar-case lists.

The site's page scripts port the segmenter and the finder line by line; the
modules that write their data (builder/siteindex.py, builder/finderdata.py)
read those algorithms' public constants from their own modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "open_index": "index",
    "CaseIndex": "index",
    "RefreshReport": "index",
    "search": "query",
    "search_text": "present",
    "search_json": "present",
    "similar_text": "explain",
    "similar_json": "explain",
    "Description": "finder",
    "describe_query": "finder",
    "find": "finder",
    "read_query": "finder",
    "render_report": "report",
    "WEIGHTS": "similar",
    "Precedents": "similar",
    "TermCache": "termcache",
    "record_of": "records",
    "record_text": "records",
    "records_signature": "records",
}

__all__ = [
    "WEIGHTS",
    "CaseIndex",
    "Description",
    "Precedents",
    "RefreshReport",
    "TermCache",
    "describe_query",
    "find",
    "open_index",
    "read_query",
    "record_of",
    "record_text",
    "records_signature",
    "render_report",
    "search",
    "search_json",
    "search_text",
    "similar_json",
    "similar_text",
]

if TYPE_CHECKING:
    from casebook.search.explain import similar_json, similar_text
    from casebook.search.finder import Description, describe_query, find, read_query
    from casebook.search.index import CaseIndex, RefreshReport, open_index
    from casebook.search.present import search_json, search_text
    from casebook.search.query import search
    from casebook.search.records import record_of, record_text, records_signature
    from casebook.search.report import render_report
    from casebook.search.similar import WEIGHTS, Precedents
    from casebook.search.termcache import TermCache


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'casebook.search' has no attribute {name!r}")
    return getattr(importlib.import_module(f"casebook.search.{_EXPORTS[name]}"), name)
