"""Benchmark: validate and build the site from generated corpora; prints one table.

    .venv/bin/python -m tests.bench.bench_build 1000 [10000 …] [--shipped]

Run by hand (never as a timed test). Each size builds in a fresh temporary
folder, in a child process, so that peak memory is that build's alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(cases: Path, work: Path) -> dict[str, float]:
    """Validate and build ``cases`` into ``work``; figures in seconds and bytes."""
    from schema import load_corpus
    from tests.site_helpers import build

    started = time.perf_counter()
    corpus = load_corpus([cases])
    validated = time.perf_counter() - started
    started = time.perf_counter()
    report = build(work, cases)
    built = time.perf_counter() - started
    site = work / "site"
    return {
        "cases": len(corpus.cases),
        "validate_s": validated,
        "build_s": built,
        "pages": report.pages,
        "site_bytes": _folder_size(site),
        "search_index_bytes": (site / "search" / "search_index.json").stat().st_size,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def _child(cases: str, work: str) -> None:
    print(json.dumps(measure(Path(cases), Path(work))))


def _run(cases: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        out = subprocess.run(
            [sys.executable, "-m", "tests.bench.bench_build", "--child", str(cases), work],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="网站生成性能测试")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--shipped", action="store_true", help="同时测量 cases/ 中的真实案例")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    from tests.bench.corpus import write_corpus

    rows = []
    if args.shipped:
        rows.append(("cases/", _run(ROOT / "cases")))
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            write_corpus(n, Path(folder))
            rows.append((f"合成 {n}", _run(Path(folder))))
    print(f"{'语料':<10}{'案例':>7}{'校验 s':>9}{'构建 s':>9}{'页面':>8}{'网站 MB':>9}{'索引 KB':>9}{'峰值 MB':>9}")
    for name, r in rows:
        print(
            f"{name:<10}{r['cases']:>7.0f}{r['validate_s']:>9.2f}{r['build_s']:>9.1f}{r['pages']:>8.0f}"
            f"{r['site_bytes'] / 2**20:>9.1f}{r['search_index_bytes'] / 1024:>9.0f}{r['peak_rss_bytes'] / 2**20:>9.0f}"
        )


if __name__ == "__main__":
    main()
