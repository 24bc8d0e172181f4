"""The benchmarks still run: every script of tests/bench/ on a tiny corpus, in its smoke form.

The figures of a smoke run mean nothing (ten cases, one cold start, two
queries a page) and nothing here reads them as speed or quality; what is checked is
that each script runs every step to the end and prints its whole table, so
that a change to the builder, the caches or the pages cannot leave
``make bench`` broken until someone needs a figure.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.corpora import SITE_CASES
from tests.site_helpers import ROOT

TINY = "10"
# Each script with what its table must show once every step has run.
SCRIPTS = {
    "bench_build": (
        [TINY, "--smoke"],
        ["校验 s", "完整构建 s（缓存全空）", "再次构建 s（无修改）", "改一个案例后重建 s", "纯 mkdocs 参照 s",
         "案例检索数据 MiB", "类案查找数据 MiB", "Whoosh 建索引 s", "similar 中位/95% ms", "search 冷启动 s",
         "峰值内存 MiB", "目标(本机)"],
    ),
    "bench_similar": (
        ["--cases", str(SITE_CASES), "--speed", TINY, "--smoke"],
        ["模式:草稿", "模式:仅案情", "| 本方法 |", "| BM25F 全文(Whoosh) |", "合成 10 个案例", "100,000 字的描述"],
    ),
    "bench_draft": ([], ["all fields", "tune:"]),  # its own notices, a handful: small already (never --heldout here)
    "bench_site_search": ([TINY, "--smoke"], ["构建时间增长", "首批结果 ms 中位 / 最大", "每次检索下载 MiB"]),
    "bench_site_finder": ([TINY, "--smoke"], ["构建时间增长", "首批结果 ms 中位 / 最大", "每次查找下载 MiB"]),
}  # fmt: skip
# Bounded, and generous: a busy two-core machine runs a smoke script in minutes, an idle one in seconds.
LIMIT_SECONDS = 1200


def _start(script: str) -> subprocess.Popen[str]:
    args, _ = SCRIPTS[script]
    return subprocess.Popen(
        [sys.executable, "-m", f"tests.bench.{script}", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.browser  # the two page benchmarks drive Debian's chromium themselves
def test_every_benchmark_script_runs_to_its_table() -> None:
    # The build benchmark beside the three others in turn: the two cores share the work.
    build = _start("bench_build")
    outputs = {}
    for script in ("bench_similar", "bench_draft", "bench_site_search", "bench_site_finder"):
        process = _start(script)
        outputs[script] = (*process.communicate(timeout=LIMIT_SECONDS), process.returncode)
    outputs["bench_build"] = (*build.communicate(timeout=LIMIT_SECONDS), build.returncode)
    for script, (out, err, code) in outputs.items():
        assert code == 0, f"{script}:\n{err[-3000:]}"
        missing = [row for row in SCRIPTS[script][1] if row not in out]
        assert not missing, f"{script} printed no {missing}:\n{out}"
