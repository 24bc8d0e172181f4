"""Benchmark at scale: generated corpora through every job, beside plain mkdocs as the reference.

    .venv/bin/python -m tests.bench.bench_build 1000 10000 [--shipped] [--smoke]

Run by hand (``make bench``), never as a timed unit test. Every measurement
runs the real command in its own process, from a clean cache unless it says
"warm"; peak memory is the largest resident set of any of the processes. The
reference builds the very Markdown casebook generates with plain ``mkdocs
build`` (same theme and offline plugin, no casebook plugin), so the ratio is
casebook's own overhead. ``--smoke`` times each cold start once instead of
three times: with a tiny corpus it only proves that every step still runs
(tests/test_bench_smoke.py), its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from casebook.builder.finderdata import DATA_DIR as FINDER_DATA
from casebook.builder.siteindex import DATA_DIR as SEARCH_DATA

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TARGETS = {
    "ratio": 1.25,  # casebook build / plain mkdocs build
    "growth": 11.0,  # time at 10,000 / time at 1,000
    "rebuild": 0.20,  # rebuild after one edit / full build, at 1,000
    "similar_ms": 100.0,  # median, warm, at 10,000
    "cold_s": 2.0,  # casebook similar, cold start
    "validate_s": 10.0,  # 10,000 files
    "memory_mb": 1024.0,  # peak
}


def _timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB (the command and its children) and output of ``command``."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
        "print(r.stdout[-2000:] + r.stderr[-2000:])"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=True)
    first, rest = out.stdout.split("\n", 1)
    seconds, rss_kb, code = first.split()
    if code != "0":
        raise RuntimeError(f"{' '.join(command)} failed:\n{rest}")
    return float(seconds), int(rss_kb) / 1024, rest


def _config(work: Path, docs: Path, cases: Path, cache: Path, plugin: bool) -> Path:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "builder" / "overrides")
    config["site_dir"] = str(work / ("site" if plugin else "reference-site"))
    plugins = []
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "casebook" in entry:
            if plugin:
                entry["casebook"].update(cases=str(cases), collections=str(work / "collections"), cache_dir=str(cache))
                plugins.append(entry)
        else:
            plugins.append(entry)
    config["plugins"] = plugins
    path = work / ("mkdocs.yml" if plugin else "reference.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _reference_docs(work: Path, cases: Path, cache: Path) -> Path:
    """The Markdown and data files casebook generates, written out as a plain docs folder."""
    from casebook.builder.plugin import site_files
    from casebook.schema import load_corpus

    corpus = load_corpus([cases])
    docs = work / "reference-docs"
    shutil.copytree(ROOT / "builder" / "docs", docs)
    files = site_files([c.case for c in corpus.cases], [], "public", cache)
    for name, content in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(content, encoding="utf-8")
    return docs


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _latency(cases: Path, cache: Path) -> dict[str, float]:
    probe = f"""
import json, statistics, time
from pathlib import Path
from casebook.schema import load_corpus
from casebook.search.index import open_index
from casebook.search.query import search
from casebook.search.records import record_of
index, _ = open_index(Path({str(cases)!r}), Path({str(cache)!r}))
queries = [record_of(c.case, as_query=True) for c in load_corpus([Path({str(cases)!r})]).cases[:200]]
index.precedents.similar(queries[0], 10)
similar = []
for q in queries:
    t = time.perf_counter(); index.precedents.similar(q, 10); similar.append(time.perf_counter() - t)
found = []
for words in ["人防", "容缺办理", "澄清正名 诬告", "村集体资金", "工程款 拨付", "招投标"] * 34:
    t = time.perf_counter(); search(index, words, {{}}, limit=10); found.append(time.perf_counter() - t)
def p(xs, q): xs = sorted(xs); return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000
print(json.dumps({{"similar_p50": p(similar, .5), "similar_p95": p(similar, .95), "search_p50": p(found, .5), "search_p95": p(found, .95)}}))
"""
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(n: int | None, work: Path, repeat: int = 3) -> dict[str, float]:
    from tests.bench.corpus import write_corpus

    cases, cache = work / "cases", work / "cache"
    if n is None:
        shutil.copytree(ROOT / "cases", cases)
    else:
        write_corpus(n, cases)
    (work / "collections").mkdir()
    casebook = str(BIN / "casebook")
    r: dict[str, float] = {"cases": len(list(cases.rglob("*.yaml")))}
    r["validate_s"], r["validate_mb"], _ = _timed([casebook, "validate", "--strict", str(cases)])
    config = _config(work, ROOT / "builder" / "docs", cases, cache, plugin=True)
    r["build_s"], r["build_mb"], _ = _timed([casebook, "build", "-f", str(config), "-d", str(work / "site")])
    r["unchanged_s"], _, _ = _timed([casebook, "build", "-f", str(config), "-d", str(work / "site")])
    shutil.rmtree(work / "site")
    shutil.rmtree(cache / "builds")  # a full render again, with the content caches warm
    r["full_warm_s"], _, _ = _timed([casebook, "build", "-f", str(config), "-d", str(work / "site")])
    edited = sorted(cases.rglob("*.yaml"))[len(list(cases.rglob("*.yaml"))) // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("facts: |-\n", "facts: |-\n  (基准测试修改:补充一句案情。)\n", 1), encoding="utf-8")
    r["rebuild_s"], _, _ = _timed([casebook, "build", "-f", str(config), "-d", str(work / "site")])
    edited.write_text(text, encoding="utf-8")
    site = work / "site"
    r["pages"] = len(list(site.rglob("*.html")))
    r["site_mb"] = _size(site) / 2**20
    r["search_mb"] = _size(site / SEARCH_DATA) / 2**20
    r["finder_mb"] = _size(site / FINDER_DATA) / 2**20
    reference = _config(work, _reference_docs(work, cases, cache), cases, cache, plugin=False)
    r["reference_s"], r["reference_mb"], _ = _timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(reference)])
    icache = work / "index-cache"
    r["whoosh_s"], r["whoosh_mb"], _ = _timed([casebook, "index", "--cases", str(cases), "--cache", str(icache)])
    r.update(_latency(cases, icache))
    cold = [
        _timed([casebook, "similar", "--text", "村干部违规出借集体资金", "--factor", "motive=favourable",
                "--cases", str(cases), "--cache", str(icache)])[0]
        for _ in range(repeat)
    ]  # fmt: skip
    r["cold_s"] = statistics.median(cold)
    search_cold = [
        _timed([casebook, "search", "人防", "--cases", str(cases), "--cache", str(icache)])[0] for _ in range(repeat)
    ]
    r["search_cold_s"] = statistics.median(search_cold)
    r["peak_mb"] = max(r["validate_mb"], r["build_mb"], r["whoosh_mb"])
    return r


def _print(rows: list[tuple[str, dict[str, float]]]) -> None:
    names = [name for name, _ in rows]
    lines = [
        ("案例数", "cases", "{:.0f}"),
        ("校验 s（冷）", "validate_s", "{:.2f}"),
        ("完整构建 s（缓存全空）", "build_s", "{:.1f}"),
        ("完整构建 s（内容缓存在）", "full_warm_s", "{:.1f}"),
        ("再次构建 s（无修改）", "unchanged_s", "{:.1f}"),
        ("改一个案例后重建 s", "rebuild_s", "{:.1f}"),
        ("纯 mkdocs 参照 s", "reference_s", "{:.1f}"),
        ("构建/参照（缓存全空）", "ratio", "{:.2f}"),
        ("构建/参照（内容缓存在）", "ratio_warm", "{:.2f}"),
        ("页面数", "pages", "{:.0f}"),
        ("网站 MiB", "site_mb", "{:.1f}"),
        ("案例检索数据 MiB", "search_mb", "{:.2f}"),
        ("类案查找数据 MiB", "finder_mb", "{:.2f}"),
        ("Whoosh 建索引 s", "whoosh_s", "{:.1f}"),
        ("search 中位/95% ms", "search", "{}"),
        ("similar 中位/95% ms", "similar", "{}"),
        ("search 冷启动 s", "search_cold_s", "{:.2f}"),
        ("similar 冷启动 s", "cold_s", "{:.2f}"),
        ("峰值内存 MiB", "peak_mb", "{:.0f}"),
    ]
    for _, r in rows:
        r["ratio"] = r["build_s"] / r["reference_s"]
        r["ratio_warm"] = r["full_warm_s"] / r["reference_s"]
        r["search"] = f"{r['search_p50']:.0f} / {r['search_p95']:.0f}"  # type: ignore[assignment]
        r["similar"] = f"{r['similar_p50']:.1f} / {r['similar_p95']:.1f}"  # type: ignore[assignment]
    print(f"{'':<26}" + "".join(f"{name:>16}" for name in names))
    for label, key, fmt in lines:
        print(f"{label:<26}" + "".join(f"{fmt.format(r[key]):>16}" for _, r in rows))


def _verdicts(rows: dict[str, dict[str, float]]) -> None:
    small, large = rows.get("合成 1000"), rows.get("合成 10000")
    print("\n目标(本机):")

    def line(text: str, value: float, limit: float, less: bool = True) -> None:
        ok = value <= limit if less else value >= limit
        print(f"  {'达到' if ok else '未达到'}  {text}：{value:.2f}（目标 ≤ {limit}）")

    for name, r in rows.items():
        line(f"{name} 构建/参照（缓存全空）", r["build_s"] / r["reference_s"], TARGETS["ratio"])
        line(f"{name} 构建/参照（内容缓存在）", r["full_warm_s"] / r["reference_s"], TARGETS["ratio"])
    if small:
        line("1000 改一个案例后重建/完整构建（缓存全空）", small["rebuild_s"] / small["build_s"], TARGETS["rebuild"])
        line(
            "1000 改一个案例后重建/完整构建（内容缓存在）",
            small["rebuild_s"] / small["full_warm_s"],
            TARGETS["rebuild"],
        )
    if small and large:
        line("10000/1000 构建时间之比（缓存全空）", large["build_s"] / small["build_s"], TARGETS["growth"])
    if large:
        line("10000 similar 中位 ms", large["similar_p50"], TARGETS["similar_ms"])
        line("10000 similar 冷启动 s", large["cold_s"], TARGETS["cold_s"])
        line("10000 校验 s", large["validate_s"], TARGETS["validate_s"])
    line("峰值内存 MiB", max(r["peak_mb"] for r in rows.values()), TARGETS["memory_mb"])


def main() -> None:
    parser = argparse.ArgumentParser(description="大规模性能测试（合成语料）")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--shipped", action="store_true", help="同时测量 cases/ 中的真实案例")
    parser.add_argument("--smoke", action="store_true", help="冒烟运行：冷启动各测一次（只检查每一步都能运行）")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, float]]] = []
    runs = ([("cases/", None)] if args.shipped else []) + [(f"合成 {n}", n) for n in args.sizes]
    for name, n in runs:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as work:
            rows.append((name, measure(n, Path(work), repeat=1 if args.smoke else 3)))
        print(f"（{name} 用时 {time.perf_counter() - started:.0f} 秒）", file=sys.stderr)
    _print(rows)
    _verdicts(dict(rows))


if __name__ == "__main__":
    main()
