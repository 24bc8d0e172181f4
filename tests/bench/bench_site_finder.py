"""Benchmark of the 类案查找 page at scale: build cost of its data, time to first results, bytes per query.

    .venv/bin/python -m tests.bench.bench_site_finder 1000 10000 [--smoke]

For each size: a generated corpus is built twice from an empty cache, once
without the finder's data (``finder_data: false``: the site as it was before
the page) and once as now; then headless Chromium opens finder.html?text=…
from a local server for each query, timing from navigation start to the
first results drawn and counting the bytes of every response. Run by hand
(the 10,000 run takes many minutes), never as a timed unit test. ``--smoke``
opens two queries only (tests/test_bench_smoke.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import yaml

from tests.bench.bench_build import ROOT
from tests.bench.bench_site_search import PageBench, main

# Descriptions as a committee would type them (a few sentences), plus two with facets set.
QUERIES = [
    {"text": "村干部未经集体研究,擅自将集体资金借给企业周转,造成资金损失。"},
    {"text": "为赶工期,项目在审批手续未办齐时先行开工,事后补办,未造成损失。"},
    {"text": "有群众举报其在征地拆迁中收受好处,经查反映问题失实。"},
    {"text": "疫情期间为保障民生,紧急采购物资,程序不完备,但没有谋取私利。"},
    {"text": "乡镇干部在防汛抢险中临机决策,调用资金抢修堤坝,事后及时报备。"},
    {"text": "低保审核把关不严,多户不符合条件的家庭继续领取低保金。"},
    {"text": "招商引资中为留住企业,承诺的奖励超出政策规定,已主动纠正。"},
    {"text": "工程款拨付前未经审计,负责人出于推动项目的考虑先行拨付。", "motive": "favourable"},
    {"text": "村书记出借村民水费用于支付工程款", "distinction": "motive:not_tolerated", "domain": "village_affairs"},
]
TARGETS = {"first_ms": 1000.0, "bytes_mb": 1.5, "growth": 0.15}


def _config(work: Path, cases: Path, cache: Path, before: bool) -> Path:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "builder" / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "builder" / "overrides")
    config["site_dir"] = str(work / ("site-before" if before else "site"))
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "casebook" in entry:
            entry["casebook"].update(cases=str(cases), collections=str(work / "collections"), cache_dir=str(cache))
            entry["casebook"]["finder_data"] = not before
    path = work / ("before.yml" if before else "mkdocs.yml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


FINDER_PAGE = PageBench(
    description="类案查找页的规模测试(合成语料)",
    data_dir="finder-data",
    before_label="无类案查找数据",
    now_label="含类案查找数据",
    action="查找",
    targets=TARGETS,
    config=_config,
    page="finder.html",
    queries=[urlencode(q) for q in QUERIES],
    ready="__casebookFinderReady",
)


if __name__ == "__main__":
    main(FINDER_PAGE)
