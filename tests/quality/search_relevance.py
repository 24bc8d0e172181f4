"""Relevance of ``casebook search`` on the queries of ``search_queries.yaml``: first-page precision and recall.

    .venv/bin/python -m tests.quality.search_relevance                      # the frozen real cases
    .venv/bin/python -m tests.quality.search_relevance --cases cases --rows # another corpus; one line per query

For each query of the table, the first page (the first ``PAGE`` results, as
the 案例检索 page shows them) and every result are compared with the cases
the table's author judged relevant by reading the case pages:

- precision of the first page: relevant results on it ÷ results on it, over
  the queries that list anything;
- recall of the first page: relevant results on it ÷ relevant cases, over the
  queries with relevant cases;
- recall of all results: relevant results anywhere ÷ relevant cases;
- queries whose table says nothing should be listed (``relevant: []``), and
  how many of them list nothing.

The macro averages are printed by kind of query and overall. The command line
and the search page rank alike (their tests hold them equal), so the figures
are those of the page too. Nothing here is tuned on the table: it only reads
what ``casebook search`` returns.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TABLE = HERE / "search_queries.yaml"
FROZEN_CASES = (
    ROOT / "tests" / "fixtures" / "real" / "cases"
)  # the shipped cases of 2026-12-07, frozen (tests/corpora.py)
PAGE = 10  # results on the search page's first page


@dataclass(frozen=True)
class Measured:
    id: str
    query: str
    kind: str
    relevant: frozenset[str]
    page: tuple[str, ...]  # the first page, in order
    found: frozenset[str]  # every result

    @property
    def precision(self) -> float | None:
        """Relevant results on the first page ÷ results on it (None when nothing is listed)."""
        return sum(1 for case in self.page if case in self.relevant) / len(self.page) if self.page else None

    @property
    def recall(self) -> float | None:
        """Relevant cases on the first page ÷ relevant cases (None when the table names none)."""
        return len(self.relevant & set(self.page)) / len(self.relevant) if self.relevant else None

    @property
    def recall_all(self) -> float | None:
        return len(self.relevant & self.found) / len(self.relevant) if self.relevant else None


def table(path: Path = TABLE) -> list[dict]:
    """The rows of the relevance table."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["rows"]


def measure(cases: Path, rows: Sequence[dict], cache: Path) -> list[Measured]:
    """Run every query of ``rows`` through ``casebook search`` over ``cases`` (index kept in ``cache``)."""
    from casebook.search.index import open_index
    from casebook.search.query import search

    index, _ = open_index(cases, cache)
    out = []
    for row in rows:
        result = search(index, row["query"], limit=10_000)
        ids = [hit.id for hit in result.hits]
        out.append(
            Measured(
                row["id"], row["query"], row["kind"], frozenset(row["relevant"]), tuple(ids[:PAGE]), frozenset(ids)
            )
        )
    return out


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


@dataclass(frozen=True)
class Summary:
    queries: int
    precision: float | None  # macro average over queries listing something
    recall: float | None  # macro average over queries with relevant cases
    recall_all: float | None
    empty_expected: int  # queries the table says should list nothing
    empty_listed_nothing: int  # … of which listed nothing


def summarise(measured: Sequence[Measured]) -> Summary:
    empty = [m for m in measured if not m.relevant]
    return Summary(
        len(measured),
        _mean(m.precision for m in measured),
        _mean(m.recall for m in measured),
        _mean(m.recall_all for m in measured),
        len(empty),
        sum(1 for m in empty if not m.found),
    )


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(measured: Sequence[Measured], rows: bool = False) -> str:
    """The table of figures: one line per kind of query and overall (and per query with ``rows``)."""
    lines = []
    if rows:
        lines.append(f"{'编号':<6}{'检索词':<22}{'首页精确率':>8}{'首页召回率':>8}{'全部召回率':>8}{'结果数':>6}")
        for m in measured:
            lines.append(
                f"{m.id:<6}{m.query:<22}{_figure(m.precision):>8}{_figure(m.recall):>8}"
                f"{_figure(m.recall_all):>8}{len(m.found):>6}"
            )
        lines.append("")
    lines.append(
        f"{'类别':<14}{'查询数':>6}{'首页精确率':>10}{'首页召回率':>10}{'全部召回率':>10}{'应无结果/确无':>14}"
    )
    by_kind: dict[str, list[Measured]] = defaultdict(list)
    for m in measured:
        by_kind[m.kind].append(m)
    for kind, group in [*sorted(by_kind.items()), ("全部", list(measured))]:
        s = summarise(group)
        empty = f"{s.empty_listed_nothing}/{s.empty_expected}" if s.empty_expected else "—"
        lines.append(
            f"{kind:<14}{s.queries:>6}{_figure(s.precision):>10}{_figure(s.recall):>10}"
            f"{_figure(s.recall_all):>10}{empty:>14}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="案例检索的相关性:首页精确率与召回率")
    parser.add_argument("--cases", type=Path, default=FROZEN_CASES, help="案例目录(默认:冻结的真实案例)")
    parser.add_argument("--table", type=Path, default=TABLE, help="查询表(默认:search_queries.yaml)")
    parser.add_argument("--rows", action="store_true", help="逐条列出每个查询")
    parser.add_argument("--cache", type=Path, default=None, help="索引所在的缓存目录(默认:临时目录,用完即删)")
    args = parser.parse_args(argv)
    if args.cache is not None:
        measured = measure(args.cases, table(args.table), args.cache)
    else:
        with tempfile.TemporaryDirectory() as cache:
            measured = measure(args.cases, table(args.table), Path(cache))
    print(f"{len(measured)} 个查询,案例目录 {args.cases},首页 {PAGE} 条")
    print(report(measured, args.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
