"""Benchmark of the precedent finder: quality on the real cases, speed on generated corpora.

    .venv/bin/python -m tests.bench.bench_similar            # quality (leave-one-out on cases/)
    .venv/bin/python -m tests.bench.bench_similar --speed 1000 10000

Quality: every shipped case in turn is the query (outcome, title, key point
and other outcome-revealing text hidden) against all the others. Reported:
how often the top-1 precedent has the case's real outcome, how often the
majority outcome of the top 5 does, how often the top-1 shares one of the
case's distinctions, beside two baselines (always the most common outcome;
text alone ranked by Whoosh's BM25F).

Speed: index build from scratch, ``similar`` and ``search`` latency (warm,
median and 95th percentile over 200 queries) and the command's cold start.
Run by hand; never a timed unit test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _majority(outcomes: list[str]) -> str | None:
    counts = Counter(outcomes)
    return max(counts, key=lambda o: (counts[o], -outcomes.index(o))) if counts else None


def quality(cases_dir: Path) -> None:
    from whoosh.query import Or, Term

    from casebook.schema import load_corpus
    from casebook.search.index import open_index
    from casebook.search.records import record_of
    from casebook.search.similar import TEXT_ONLY, WEIGHTS
    from casebook.search.tokenize import terms

    cases = [c.case for c in load_corpus([cases_dir]).cases]
    with tempfile.TemporaryDirectory() as cache:
        index, _ = open_index(cases_dir, Path(cache))
        precedents = index.precedents
        rows: dict[str, Counter[str]] = {
            name: Counter() for name in ("结合结构(本方法)", "仅文本(同一模型)", "BM25F 全文(Whoosh)", "总是多数结果")
        }
        with_distinction = sum(1 for c in cases if c.distinctions)
        for case in cases:
            query = record_of(case, as_query=True)
            real = case.outcome.result
            others = [c.outcome.result for c in cases if c.id != case.id]
            for name, weights in (("结合结构(本方法)", WEIGHTS), ("仅文本(同一模型)", TEXT_ONLY)):
                found = precedents.similar(query, 5, include_internal=True, weights=weights).matches
                _score(
                    rows[name], real, [m.record.outcome for m in found], case, [m.record.distinctions for m in found]
                )
            words = Counter(terms(case.facts + " ".join(r.regulation for r in case.rules_breached)))
            with index.whoosh.searcher() as searcher:
                bm25 = [
                    hit
                    for hit in searcher.search(
                        Or([Term("facts", w) for w in words] + [Term("rules", w) for w in words]), limit=6
                    )
                    if hit["id"] != case.id
                ][:5]
                bm25_records = [precedents.records[precedents.position[h["id"]]] for h in bm25]
            _score(
                rows["BM25F 全文(Whoosh)"],
                real,
                [r.outcome for r in bm25_records],
                case,
                [r.distinctions for r in bm25_records],
            )
            common = _majority(others)
            rows["总是多数结果"]["top1"] += common == real
            rows["总是多数结果"]["top5"] += common == real
    n = len(cases)
    print(f"留一法(leave-one-out),{n} 个真实案例,其中 {with_distinction} 个援引了三个区分开来")
    print(f"{'方法':<22}{'首位结果一致':>10}{'前5多数一致':>10}{'首位共享区分':>10}")
    for name, row in rows.items():
        shared = f"{row['shares'] / with_distinction:>10.0%}" if name != "总是多数结果" else f"{'—':>10}"
        print(f"{name:<20}{row['top1'] / n:>12.0%}{row['top5'] / n:>12.0%}{shared:>12}")


def _score(row: Counter[str], real: str, outcomes: list[str | None], case, distinctions) -> None:  # type: ignore[no-untyped-def]
    row["top1"] += bool(outcomes) and outcomes[0] == real
    row["top5"] += _majority([o for o in outcomes if o]) == real
    if case.distinctions and distinctions:
        row["shares"] += bool(set(distinctions[0]) & {d.distinction for d in case.distinctions})


def speed(n: int) -> None:
    from casebook.schema import load_corpus
    from casebook.search.index import open_index
    from casebook.search.query import search
    from casebook.search.records import record_of
    from tests.bench.corpus import write_corpus

    with tempfile.TemporaryDirectory() as folder:
        cases_dir, cache = Path(folder) / "cases", Path(folder) / "cache"
        write_corpus(n, cases_dir)
        started = time.perf_counter()
        index, report = open_index(cases_dir, cache)
        built = time.perf_counter() - started
        started = time.perf_counter()
        index, _ = open_index(cases_dir, cache)
        index.precedents  # noqa: B018 - load the finder's model
        reopened = time.perf_counter() - started
        queries = [record_of(c.case, as_query=True) for c in load_corpus([cases_dir]).cases[:200]]
        similar_times = []
        for query in queries:
            started = time.perf_counter()
            index.precedents.similar(query, 10)
            similar_times.append(time.perf_counter() - started)
        search_times = []
        for words in ["人防", "容缺办理", "澄清正名 诬告", "村集体资金", "工程款 拨付", "招投标"] * 34:
            started = time.perf_counter()
            search(index, words, {}, limit=10)
            search_times.append(time.perf_counter() - started)
        cold = []
        casebook = str(Path(sys.executable).with_name("casebook"))
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [casebook, "similar", "--text", "村干部违规出借集体资金", "--factor", "motive=favourable",
                 "--cases", str(cases_dir), "--cache", str(cache)],
                check=True, capture_output=True,
            )  # fmt: skip
            cold.append(time.perf_counter() - started)
        size = sum(p.stat().st_size for p in (cache / "index").rglob("*") if p.is_file())
        shutil.rmtree(cache)

    def stats(times: list[float]) -> str:
        ordered = sorted(times)
        return f"{statistics.median(ordered) * 1000:.0f} / {ordered[int(len(ordered) * 0.95) - 1] * 1000:.0f} ms"

    print(f"\n合成 {n} 个案例({report.added} 个入索引):")
    print(f"  建索引(从零):{built:.1f} 秒;索引大小 {size / 2**20:.1f} MiB;打开并确认最新:{reopened:.2f} 秒")
    print(f"  similar 中位数 / 95%:{stats(similar_times)}(热)")
    print(f"  search  中位数 / 95%:{stats(search_times)}(热)")
    print(f"  casebook similar 冷启动:{statistics.median(cold):.2f} 秒(3 次中位数)")


def main() -> None:
    parser = argparse.ArgumentParser(description="类案检索质量与速度测试")
    parser.add_argument("--speed", nargs="*", type=int, default=None, help="合成语料规模,如 1000 10000")
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    args = parser.parse_args()
    quality(args.cases)
    for n in args.speed or []:
        speed(n)


if __name__ == "__main__":
    main()
