"""Benchmark of the 案例检索 page at scale: build cost of its index, time to first results, bytes per query.

    .venv/bin/python -m tests.bench.bench_site_search 1000 10000 [--smoke]

For each size: a generated corpus is built twice from an empty cache, once
as before the site index (Material's search plugin, no site index) and once
as now; then headless Chromium opens search.html?q=… from a local server for
each query, timing from navigation start to the first results drawn and
counting the bytes of every response. Run by hand (the 10,000 run takes
minutes), never as a timed unit test. ``--smoke`` opens two queries only: with a
tiny corpus it proves that every step still runs (tests/test_bench_smoke.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml

from tests.bench.bench_build import BIN, ROOT, _size, _timed
from tests.site_helpers import chromium, serve

QUERIES = [
    "人防",
    "容缺办理",
    "澄清正名 诬告",
    "村集体资金",
    "工程款 拨付",
    "招投标",
    "集体研究",
    "低保",
    "恶意举报",
    "防汛",
]
TARGETS = {"first_ms": 500.0, "bytes_mb": 1.5, "growth": 0.15}
# Bytes of the page and of everything it fetched, as the browser counted them. (Asking Playwright
# for each response's body instead costs a round trip per file while the page loads, and slowed
# the very loading being timed.)
FETCHED_BYTES = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .reduce((sum, e) => sum + e.encodedBodySize, 0)"""


def _config(work: Path, cases: Path, cache: Path, before: bool) -> Path:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "builder" / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "builder" / "overrides")
    config["site_dir"] = str(work / ("site-before" if before else "site"))
    plugins = []
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "casebook" in entry:
            entry["casebook"].update(cases=str(cases), collections=str(work / "collections"), cache_dir=str(cache))
            if before:
                entry["casebook"]["search_index"] = False
        plugins.append(entry)
    if before:
        plugins.insert(1, {"search": {"separator": "[\\s\\u200b\\-]"}})
    config["plugins"] = plugins
    path = work / ("before.yml" if before else "mkdocs.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def page_figures(site: Path, page_name: str, queries: list[str], ready: str) -> dict[str, float]:
    """Open ``page_name?query`` for each query from a local server, then the first from ``file://``.

    ``ready`` is the page's global flag ``{ms}``: when its first results were drawn. Each query
    opens in a new browser context, so nothing is cached.
    """

    def ready_ms(page) -> float:  # type: ignore[no-untyped-def]
        page.wait_for_function(f"window.{ready} !== undefined", timeout=60000)
        return float(page.evaluate(f"window.{ready}.ms"))

    first, sizes = [], []
    with serve(site) as base, chromium() as browser:
        for query in queries:
            page = browser.new_page()
            page.goto(f"{base}/{page_name}?{query}")
            first.append(ready_ms(page))
            page.wait_for_load_state("networkidle")
            sizes.append(page.evaluate(FETCHED_BYTES))
            page.close()
        page = browser.new_page()
        page.goto((site / page_name).as_uri() + "?" + queries[0])
        file_ms = ready_ms(page)
    return {
        "first_p50": statistics.median(first),
        "first_max": max(first),
        "file_ms": file_ms,
        "bytes_p50": statistics.median(sizes) / 2**20,
        "bytes_max": max(sizes) / 2**20,
    }


@dataclass(frozen=True)
class PageBench:
    """What differs between the benchmarks of the site's pages (案例检索, 类案查找)."""

    description: str
    data_dir: str  # the page's data folder in the built site
    before_label: str  # what the site was before the page's data
    now_label: str
    action: str  # 检索 or 查找, for the table's wording
    targets: dict[str, float]  # first_ms, bytes_mb, growth: the limits at 10,000 cases
    config: Callable[[Path, Path, Path, bool], Path]
    page: str  # the page's file in the built site
    queries: list[str]  # the page's address parameters, one query each
    ready: str  # the page's global flag {ms}: when its first results were drawn


def measure(bench: PageBench, n: int, work: Path, queries: int | None = None) -> dict[str, float]:
    """Build a generated corpus of ``n`` cases without and with the page's data, then time the page.

    ``queries`` opens only that many of the bench's queries (the smoke run).
    """
    from tests.bench.corpus import write_corpus

    cases = work / "cases"
    write_corpus(n, cases)
    (work / "collections").mkdir()
    casebook = str(BIN / "casebook")
    r: dict[str, float] = {"cases": n}
    before = bench.config(work, cases, work / "cache-before", True)
    r["before_s"], _, _ = _timed([casebook, "build", "-f", str(before), "-d", str(work / "site-before")])
    r["before_mb"] = _size(work / "site-before") / 2**20
    shutil.rmtree(work / "site-before")
    now = bench.config(work, cases, work / "cache", False)
    r["build_s"], r["build_rss"], _ = _timed([casebook, "build", "-f", str(now), "-d", str(work / "site")])
    site = work / "site"
    r["site_mb"] = _size(site) / 2**20
    r["data_mb"] = _size(site / bench.data_dir) / 2**20
    r["files"] = sum(1 for _ in (site / bench.data_dir).rglob("*.js"))
    r.update(page_figures(site, bench.page, bench.queries[:queries], bench.ready))
    return r


def run(bench: PageBench, sizes: list[int], queries: int | None = None) -> None:
    """Measure every size and print one table, then the targets at 10,000."""
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as work:
            rows.append(measure(bench, n, Path(work), queries))
            print(f"(合成 {n} 完成)", file=sys.stderr)
    lines = [
        ("案例数", "cases", "{:.0f}"),
        (f"构建 s:之前({bench.before_label})", "before_s", "{:.1f}"),
        (f"构建 s:现在({bench.now_label})", "build_s", "{:.1f}"),
        ("构建时间增长", "growth", "{:+.1%}"),
        ("网站 MiB:之前 / 现在", "sizes", "{}"),
        (f"{bench.action}数据 MiB / 文件数", "data", "{}"),
        ("首批结果 ms 中位 / 最大", "first", "{}"),
        ("首批结果 ms(file://)", "file_ms", "{:.0f}"),
        (f"每次{bench.action}下载 MiB 中位 / 最大", "bytes", "{}"),
    ]
    for r in rows:
        r["growth"] = r["build_s"] / r["before_s"] - 1
        r["sizes"] = f"{r['before_mb']:.0f} / {r['site_mb']:.0f}"  # type: ignore[assignment]
        r["data"] = f"{r['data_mb']:.1f} / {r['files']:.0f}"  # type: ignore[assignment]
        r["first"] = f"{r['first_p50']:.0f} / {r['first_max']:.0f}"  # type: ignore[assignment]
        r["bytes"] = f"{r['bytes_p50']:.2f} / {r['bytes_max']:.2f}"  # type: ignore[assignment]
    print(f"{'':<30}" + "".join(f"{'合成 ' + str(r['cases']):>16}" for r in rows))
    for label, key, fmt in lines:
        print(f"{label:<30}" + "".join(f"{fmt.format(r[key]):>16}" for r in rows))
    print("\n目标(本机,10000 个案例时):")
    for r in rows:
        if r["cases"] < 10000:
            continue
        for text, value, limit in (
            ("首批结果 ms(最大)", r["first_max"], bench.targets["first_ms"]),
            (f"每次{bench.action}下载 MiB(最大)", r["bytes_max"], bench.targets["bytes_mb"]),
            ("构建时间增长", r["growth"], bench.targets["growth"]),
        ):
            print(f"  {'达到' if value <= limit else '未达到'}  {text}:{value:.2f}(目标 ≤ {limit})")


SEARCH_PAGE = PageBench(
    description="案例检索页的规模测试(合成语料)",
    data_dir="search-data",
    before_label="Material 搜索",
    now_label="站内检索索引",
    action="检索",
    targets=TARGETS,
    config=_config,
    page="search.html",
    queries=[urlencode({"q": q}) for q in QUERIES],
    ready="__casebookSearchReady",
)


def main(bench: PageBench = SEARCH_PAGE) -> None:
    parser = argparse.ArgumentParser(description=bench.description)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--smoke", action="store_true", help="冒烟运行：只打开两个查询（只检查每一步都能运行）")
    args = parser.parse_args()
    run(bench, args.sizes, 2 if args.smoke else None)


if __name__ == "__main__":
    main()
