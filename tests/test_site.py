"""The built site, read as a user (or an attacker) would: parsed HTML, data files, the index."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.builder.publish import BuildError
from casebook.builder.render import source_link
from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from tests.corpora import FIXTURES, SITE_CASES
from tests.site_helpers import build, site_config, snapshot

INTERNAL_MARKERS = ("2018-site-internal", "内部参考：档案审核疏漏问责后重新使用案", "玄武湖畔秘密仓储点")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_public_case_has_a_study_page_with_its_sections(site: Path, fixture_cases: list[Case]) -> None:
    for case in fixture_cases:
        page = site / "cases" / f"{case.id}.html"
        assert page.exists() == case.is_public, case.id
    page = soup(site / "cases" / "2025-site-renfang.html")
    assert page.h1.get_text(strip=True).startswith("区管干部分步容缺审批人防事项被容错免责案")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert headings == [
        "案情", "违反的规定", "三个区分开来", "六看", "处理结果", "纠错", "结果运用",
        "程序", "要旨", "启示", "思考题", "相关案例", "相似案例", "来源", "收录信息",
    ]  # fmt: skip
    looks = {row.find_all("td")[0].get_text(): row.find_all("td")[2].get_text() for row in page.select("tr.cb-look")}
    assert looks == {
        "主观动机": "有利",
        "履职情况": "有利",
        "工作依据": "兼有",
        "决策程序": "有利",
        "态度表现": "有利",
        "后果影响": "有利",
    }
    assert "《江苏省实施〈中华人民共和国人民防空法〉办法》第十二条" in page.get_text()


def test_internal_case_appears_in_no_public_file(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml", ".js", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in INTERNAL_MARKERS:
                assert marker not in text, f"{marker} leaked into {path.relative_to(site)}"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "2018-site-internal" not in sitemap


def test_public_case_does_not_link_to_an_internal_one(site: Path) -> None:
    related = soup(site / "cases" / "2025-site-renfang.html").find(id="related").find_next("div")
    assert [a["href"] for a in related.find_all("a")] == ["2019-site-cleared.html"]


def test_internal_edition_holds_internal_cases_clearly_marked(internal_site: Path) -> None:
    page = soup(internal_site / "cases" / "2018-site-internal.html")
    assert page.select_one(".cb-internal .admonition-title").get_text() == "内部案例"
    home = soup(internal_site / "index.html")
    assert "内部版" in home.select_one(".cb-internal").get_text()
    assert "（内部版）" in home.title.get_text()


def test_statistics_page_counts_equal_the_corpus(site: Path, fixture_cases: list[Case]) -> None:
    current = [c for c in fixture_cases if c.is_public and c.publication.status.state == "current"]
    page = soup(site / "stats.html")
    assert page.select_one('[data-count="total"]').get_text() == str(len(current))
    outcome_table = page.find(id="outcome").find_next("table")
    shown = {
        row.find_all("td")[0].get_text(): int(row.find_all("td")[-1].get_text())
        for row in outcome_table.tbody.find_all("tr")
    }
    expected = Counter(vocab.label("outcomes", c.outcome.result) for c in current)
    assert shown == dict(expected)
    year_table = page.find(id="year").find_next("table")
    years = {
        row.find_all("td")[0].get_text(): int(row.find_all("td")[-1].get_text())
        for row in year_table.tbody.find_all("tr")
    }
    assert years == {f"{y} 年": n for y, n in Counter(c.year for c in current).items()}
    distinction_table = page.find(id="distinction").find_next("table")
    rows = {
        row.find_all("td")[0].get_text(): int(row.find_all("td")[-1].get_text())
        for row in distinction_table.tbody.find_all("tr")
    }
    expected_rows = Counter(vocab.short_label("distinctions", d.distinction) for c in current for d in c.distinctions)
    expected_rows["未涉及（如澄清正名）"] = sum(1 for c in current if not c.distinctions)
    assert rows == dict(expected_rows)
    charts = page.select("svg.cb-chart")
    assert len(charts) == 5  # outcomes, then by distinction, domain, region and year
    assert all(chart.find("text") for chart in charts)  # text stays text
    drawn = [t.get_text() for t in charts[0].find_all("text")]
    assert dict(zip(drawn[::2], map(int, drawn[1::2]), strict=True)) == dict(expected)
    # Every data table is folded under a summary that names it: one tap away, not in the way.
    tables = page.select("article table")
    assert tables and all(t.find_parent("details", class_="cb-data") for t in tables)
    assert all("数据表" in d.summary.get_text() for d in page.select("details.cb-data"))


def test_browse_pages_list_cases_by_every_facet(site: Path) -> None:
    index = soup(site / "browse" / "index.html").get_text()
    for name in ("三个区分开来", "处理结果", "工作领域", "地区", "发布年份", "违反的规定"):
        assert name in index
    exempted = soup(site / "browse" / "outcome" / "exempted.html")
    titles = [a.get_text() for a in exempted.select("article table a")]
    assert titles == ["区管干部分步容缺审批人防事项被容错免责案", '<script>alert("title")</script>标题注入测试案']
    rule_page = next((site / "browse" / "rule").glob("*.html"))
    assert "共 " in soup(rule_page).get_text()


def test_withdrawn_case_shows_a_banner_and_is_not_counted(site: Path) -> None:
    page = soup(site / "cases" / "2023-site-withdrawn.html")
    banner = page.select_one(".cb-withdrawn")
    assert banner.select_one(".admonition-title").get_text() == "本案例已撤回"
    assert "2026-01-05" in banner.get_text()
    assert "（已撤回）" in soup(site / "browse" / "year" / "2023.html").get_text()


def test_case_text_never_becomes_markup(site: Path) -> None:
    page = soup(site / "cases" / "2024-site-injection.html")
    article = page.select_one("article")
    assert article.find_all(["script", "iframe", "img", "style", "b", "strong"]) == [
        s for s in article.find_all("strong") if s.get_text() == "容错免责"
    ]
    for element in page.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        for name in ("href", "src"):
            assert not str(element.get(name, "")).strip().lower().startswith("javascript"), element
    text = article.get_text()
    for visible in (
        "<script>alert('facts')</script>",
        "[链接](javascript:alert(5))",
        "{{ 7*7 }}",
        "**粗体**",
        "title: 被改写的标题",
    ):
        assert visible in text
    assert page.title.get_text().startswith('<script>alert("title")</script>标题注入测试案')
    scripts = [s for s in page.find_all("script") if not s.get("src")]
    assert all("alert" not in s.get_text() for s in scripts)


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    """Nothing is fetched from elsewhere; the only links out are a case's sources, and only over http(s)."""
    for path in site.rglob("*.html"):
        for element in soup(path).find_all(True):
            for name in ("src", "href", "srcset", "action", "poster", "data"):
                value = str(element.get(name, ""))
                if not re.match(r"^\s*([a-z]+:)?//", value, re.IGNORECASE):
                    continue
                where = f"{path.relative_to(site)}: <{element.name} {name}={value}>"
                assert element.name == "a" and name == "href", where
                assert "cb-source-link" in element.get("class", []) and element.find_parent(
                    "ul", class_="cb-sources"
                ), where
                assert re.match(r"https?://", value) and element["rel"] == ["noopener", "noreferrer"], where


def test_case_sources_are_links_to_their_addresses(site: Path, fixture_cases: list[Case]) -> None:
    for case in (c for c in fixture_cases if c.is_public):
        links = soup(site / "cases" / f"{case.id}.html").select("ul.cb-sources a.cb-source-link")
        assert [(a["href"], a.get_text()) for a in links] == [
            (str(s.url), str(s.url)) for s in case.publication.sources
        ]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        'https://x.example/"><script>alert(1)</script>',
        "ftp://x.example/",
    ],
)
def test_a_source_address_never_becomes_live_markup(url: str) -> None:
    html = BeautifulSoup(source_link(url), "html.parser")
    assert html.get_text() == url and not html.find_all(["script", "b"])
    link = html.find("a")
    if link is not None:
        assert url.startswith("https://") and link["href"] == url and len(html.find_all(True)) == 2
    else:
        assert [e.name for e in html.find_all(True)] == ["code"]


def test_data_exports_hold_exactly_the_public_cases(site: Path, fixture_cases: list[Case]) -> None:
    public = sorted(c.id for c in fixture_cases if c.is_public)
    document = json.loads((site / "data" / "cases.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in document["cases"]) == public
    assert document["count"] == len(public)
    rows = list(csv.DictReader(io.StringIO((site / "data" / "cases.csv").read_text(encoding="utf-8-sig"))))
    assert sorted(r["编号"] for r in rows) == public
    assert all(not r["概要"].startswith(("=", "+", "-", "@")) for r in rows)
    assert json.loads((site / "data" / "case.schema.json").read_text(encoding="utf-8"))["title"]
    data_page = soup(site / "data.html")
    assert {a["href"] for a in data_page.select("article a")} >= {
        "data/cases.json",
        "data/cases.csv",
        "data/case.schema.json",
    }


def test_search_index_holds_what_readers_search_for(site: Path) -> None:
    from casebook.builder.siteindex import read_script

    postings: dict[str, str] = {}
    for shard in (site / "search-data" / "p").glob("*.js"):
        postings.update(read_script(shard.read_text(encoding="utf-8"))[1])
    # Domain terms stay whole (the project's dictionary), place names too.
    assert {"容缺办理", "人防审批", "淮安市", "江苏省"} <= postings.keys()
    # Facts are searchable now, as every other field a reader sees.
    assert "施工许可" in postings
    raw = (site / "search-data" / "meta.js").read_text(encoding="utf-8")
    assert "容错免责" in raw  # stored as UTF-8, not as \\uXXXX escapes twice the size
    assert not (site / "search").exists()  # Material's own index is gone: one search on the site


def test_failed_build_leaves_the_published_site_as_it_was(tmp_path: Path) -> None:
    build(tmp_path, SITE_CASES)
    before = snapshot(tmp_path / "site")
    broken = tmp_path / "broken-cases"
    shutil.copytree(SITE_CASES, broken)
    target = broken / "2019" / "2019-site-cleared.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("result: cleared", "result: clearedd"), encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"2019-site-cleared.yaml:\d+: outcome.result"):
        build(tmp_path, broken)
    assert snapshot(tmp_path / "site") == before
    assert not any(p.name.startswith(".site.") and p.is_dir() for p in tmp_path.iterdir())


def test_cli_build_reports_errors_and_exits_nonzero(tmp_path: Path) -> None:
    broken = tmp_path / "cases"
    (broken / "2024").mkdir(parents=True)
    shutil.copy(FIXTURES / "broken" / "mobile-number.yaml", broken / "2024" / "mobile-number.yaml")
    config = site_config(tmp_path, broken)
    result = CliRunner().invoke(main, ["build", "-f", str(config), "-d", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "含手机号码" in result.output
    assert "原有网站保持不变" in result.output
    assert not (tmp_path / "site").exists()


def test_case_pages_show_their_most_similar_public_cases(site: Path) -> None:
    section = soup(site / "cases" / "2025-site-renfang.html").find(id="similar").find_next("div")
    links = [a["href"] for a in section.find_all("a")]
    # Public, current cases other than itself (the withdrawn and the internal one are no precedents here); the
    # name-clearing case answers another question (an accusation, not a mistake) and is no similar case either.
    assert links == ["2024-site-injection.html"]
    assert "相似度" not in section.get_text()  # a reader gets the why, not a score
    assert any(word in section.get_text() for word in ("同属", "认定相同", "共同关键词", "案情文字相近"))


def test_collection_page_lists_cases_in_order_with_rulings_folded(site: Path) -> None:
    page = soup(site / "collections" / "site-teaching.html")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
    assert headings == ["案例1：区管干部为赶工期分步容缺审批人防事项", "案例2：区民政局工作人员被网络举报刁难群众",
                        '案例3\uff1a<script>alert("title")</script>标题注入测试案']  # fmt: skip
    rulings = page.select("details.cb-ruling")
    assert len(rulings) == 3
    assert all(not d.has_attr("open") for d in rulings)
    first = rulings[0].get_text()
    assert "容错免责" in first and "要旨" in first
    outside = "".join(str(el) for el in page.select("article .cb-section > :not(details)"))
    assert "对谢某某予以容错免责" not in outside  # the ruling sits only inside the folded block
    assert "教学提示甲乙丙" not in page.get_text()  # teaching notes are for the teacher's edition only
    index = soup(site / "collections" / "index.html")
    assert [a.get_text() for a in index.select("article table a")] == ["测试专题:容缺审批与澄清正名"]


def _outputs(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}


def test_rebuild_after_edits_equals_a_build_from_scratch(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(SITE_CASES, cases)
    (tmp_path / "collections").mkdir()
    incremental, scratch = tmp_path / "incremental", tmp_path / "scratch"
    incremental.mkdir()
    scratch.mkdir()
    build(incremental, cases)
    first = _outputs(incremental / "site")
    renfang = cases / "2025" / "2025-site-renfang.yaml"
    renfang.write_text(renfang.read_text(encoding="utf-8").replace("分步容缺", "分段容缺"), encoding="utf-8")
    (cases / "2023" / "2023-site-withdrawn.yaml").unlink()
    build(incremental, cases)  # incremental: only what changed is rendered
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    build(scratch, cases)
    after, fresh = _outputs(incremental / "site"), _outputs(scratch / "site")
    assert after.keys() == fresh.keys()
    assert "cases/2023-site-withdrawn.html" not in after
    differing = [
        name
        for name in after
        if name.endswith(".html") or name.startswith(("search-data/", "finder-data/"))
        if after[name] != fresh[name]
    ]
    assert differing == []
    assert after["cases/2025-site-renfang.html"] != first["cases/2025-site-renfang.html"]


def _run_in_terminal(command: list[str]) -> str:
    """Run ``command`` with a pseudo-terminal as its standard error; what it printed there."""
    import os
    import pty
    import subprocess

    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=child_fd)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(main_fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.slow
def test_build_shows_progress_on_a_terminal_and_not_in_logs(tmp_path: Path) -> None:
    import subprocess
    import sys

    casebook = str(Path(sys.executable).with_name("casebook"))
    config = site_config(tmp_path, SITE_CASES)
    on_terminal = _run_in_terminal([casebook, "build", "-f", str(config), "-d", str(tmp_path / "a")])
    assert "生成页面" in on_terminal
    in_log = subprocess.run(
        [casebook, "build", "-f", str(config), "-d", str(tmp_path / "b")], capture_output=True, text=True, check=True
    )
    assert "生成页面" not in in_log.stderr + in_log.stdout
    assert "已生成公开版网站" in in_log.stdout
