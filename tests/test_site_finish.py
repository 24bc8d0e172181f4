"""What a reader of the built site sees: footer, 404 page, titles, downloads, labels."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bs4 import BeautifulSoup

from casebook.builder.exports import column_guide
from casebook.schema import load_corpus, release
from casebook.schema.facets import region_name
from tests.corpora import SITE_CASES, SITE_COLLECTIONS


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _public_cases():
    return [c.case for c in load_corpus([SITE_CASES]).cases if c.case.is_public]


def test_footer_shows_the_version_and_the_corpus_latest_date(site: Path) -> None:
    dates = [
        d
        for case in _public_cases()
        for d in (case.publication.published, case.publication.status.issued, case.publication.status.modified)
        if d
    ]
    for page in ("index.html", "stats.html", "browse/index.html"):
        footer = soup(site / page).select_one(".cb-footer").get_text(" ", strip=True)
        assert f"casebook {release.version()}" in footer
        assert f"案例最近更新 {max(dates)}" in footer


def test_the_404_page_is_chinese(site: Path) -> None:
    page = soup(site / "404.html")
    assert page.select_one("article h1").get_text() == "页面不存在"
    assert "Not found" not in page.get_text()
    assert page.select_one("article a[href]")["href"].endswith("index.html") or page.select_one("article a[href]")


def test_home_page_title_is_the_site_name_once(site: Path) -> None:
    assert soup(site / "index.html").title.get_text() == "容错纠错典型案例库"
    assert soup(site / "stats.html").title.get_text() == "统计 - 容错纠错典型案例库"


def test_a_name_clearing_case_lists_alleged_rules_not_rules_breached(site: Path) -> None:
    cleared = [c for c in _public_cases() if c.outcome.result == "cleared"]
    assert cleared
    for case in cleared:
        page = soup(site / "cases" / f"{case.id}.html")
        headers = [th.get_text().rstrip("\uff1a") for th in page.select("table.cb-meta th")]
        assert "被指违反的规定" in headers and "违反的规定" not in headers
        sections = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2")]
        assert "违反的规定" not in sections
        assert ("被指违反的规定" in sections) == bool(case.rules_breached)


def test_a_place_is_named_one_way(fixture_cases) -> None:
    """Pages, printed casebooks, search results and precedents all name a place with ``region_name``."""
    from casebook.search.records import record_of

    case = fixture_cases[0]
    region = case.region.model_copy(update={"province": "重庆市", "city": "重庆市", "district": "永川区"})
    chongqing = case.model_copy(update={"region": region})
    assert region_name(chongqing) == "重庆市永川区"  # a municipality is named once
    assert record_of(chongqing).region == "重庆市永川区"  # what `casebook similar` and the finder show
    nowhere = case.model_copy(
        update={"region": region.model_copy(update={"province": None, "city": None, "district": None})}
    )
    assert region_name(nowhere) == "未标明"


def test_data_page_gives_true_file_sizes_and_explains_every_csv_column(site: Path) -> None:
    page = soup(site / "data.html")
    rows = {
        r.select("td")[0].get_text(): r.select("td")[1].get_text()
        for r in page.select("article table")[0].select("tbody tr")
    }
    for name, shown in rows.items():
        size = (site / "data" / name).stat().st_size
        expected = f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} 字节"
        assert shown == expected, name
    header = next(csv.reader(io.StringIO((site / "data" / "cases.csv").read_text(encoding="utf-8-sig"))))
    guide = [r.select("td")[0].get_text() for r in page.select("article table")[1].select("tbody tr")]
    assert guide == [column for column, _ in column_guide()]
    for column in header:
        assert column in guide or any(column.split("_")[1] in g for g in guide if g.startswith("六看_")), column


def test_each_collection_page_links_both_printed_editions(site: Path) -> None:
    internal_titles = [c.case.title for c in load_corpus([SITE_CASES]).cases if not c.case.is_public]
    collections = sorted(SITE_COLLECTIONS.glob("*.yaml"))
    assert collections
    for source in collections:
        page_path = site / "collections" / f"{source.stem}.html"
        links = [a["href"] for a in soup(page_path).select(".cb-downloads a")]
        assert [Path(link).name for link in links] == [f"{source.stem}-student.pdf", f"{source.stem}-teacher.pdf"]
        for link in links:
            pdf = (page_path.parent / link).resolve()
            assert pdf.read_bytes().startswith(b"%PDF-"), link
            assert all(title.encode() not in pdf.read_bytes() for title in internal_titles)


def _active_tab(path: Path) -> str:
    return soup(path).select_one(".md-tabs__item--active .md-tabs__link").get_text(strip=True)


def test_the_section_tab_is_highlighted_on_pages_outside_the_navigation(site: Path) -> None:
    assert _active_tab(site / "browse" / "index.html") == "浏览"
    assert _active_tab(site / "browse" / "region.html") == "浏览"
    assert _active_tab(next((site / "browse" / "outcome").glob("*.html"))) == "浏览"
    assert _active_tab(next((site / "cases").glob("*.html"))) == "浏览"
    assert _active_tab(site / "stats.html") == "统计"


def test_browse_index_says_what_its_brackets_count(site: Path) -> None:
    text = soup(site / "browse" / "index.html").select_one("article").get_text()
    assert "括号内为该角度下的分类数" in text and "类）" in text


def test_region_browse_goes_to_the_city_in_national_order_with_readable_addresses(site: Path) -> None:
    import re

    from casebook.schema.facets import NO_REGION, PROVINCES

    page = site / "browse" / "region.html"
    rows = soup(page).select("table.cb-regions tbody tr")
    provinces = [row.select("td")[0].get_text() for row in rows]
    order = {name: i for i, (name, _) in enumerate(PROVINCES)}
    assert provinces == sorted(provinces, key=lambda p: (p == NO_REGION, order.get(p, len(order)), p))
    cities = {(c.region.province, c.region.city) for c in _public_cases() if c.region.city}
    links = [a["href"] for row in rows for a in row.select("td a")]
    assert len(links) == len(provinces) + len(cities)
    for href in links:
        assert re.fullmatch(r"region/[a-z]+(/[a-z0-9-]+)?\.html", href), href
        assert (page.parent / href).is_file(), href


def test_region_pages_read_a_municipality_once(site: Path) -> None:
    for path in (site / "browse" / "region").rglob("*.html"):
        text = soup(path).select_one("article").get_text()
        for name in ("北京市", "天津市", "上海市", "重庆市"):
            assert name + name not in text, path


def test_the_fact_table_reads_as_text_with_labels_and_values_apart(site: Path) -> None:
    """Copied, read aloud or extracted as text (as search snippets once were), label and value stay apart."""
    case = next(c for c in _public_cases() if c.outcome.result == "exempted")
    text = soup(site / "cases" / f"{case.id}.html").select_one("table.cb-meta").get_text()
    assert "处理结果\uff1a容错免责\uff1b" in text
    assert "处理结果容错免责" not in text


def test_heading_anchors_are_titled_in_chinese(site: Path) -> None:
    anchors = [a for path in sorted(site.rglob("*.html")) for a in soup(path).select("a.headerlink")]
    assert anchors and {a["title"] for a in anchors} == {"本节链接"}


def test_the_finder_page_leaves_address_syntax_to_the_guide(site: Path) -> None:
    intro = soup(site / "finder.html").select_one("article").get_text()
    assert "motive=" not in intro and "favourable" not in intro
    guide = soup(site / "guide.html")
    section = guide.select_one("#finder-links").find_parent().get_text()
    assert "motive=favourable" in section and "distinction=motive:not_tolerated" in section
    assert soup(site / "finder.html").select_one('article a[href="guide.html#finder-links"]')


def test_a_chart_writes_every_label_and_legend_whole() -> None:
    """Labels sit above their bars and the legend keeps its short labels whole (「撤回起诉（刑事…」 was cut)."""
    from casebook.builder.charts import stacked_bars
    from casebook.builder.stats import CrossTable
    from casebook.schema import vocabulary as vocab

    outcomes = vocab.ids("outcomes")
    rows = ["新疆维吾尔自治区", "村级事务与集体资产管理"]
    table = CrossTable(rows, outcomes, {(r, o): 1 + i for i, o in enumerate(outcomes) for r in rows})
    svg = BeautifulSoup(stacked_bars(table, str, lambda o: vocab.short_label("outcomes", o), "测试"), "html.parser")
    texts = [t.get_text() for t in svg.find_all("text")]
    assert all(row in texts for row in rows)
    assert all(vocab.short_label("outcomes", o) in texts for o in outcomes)
    assert svg.svg["viewbox"].split()[2] == "360"  # drawn for a phone's width, at about 1:1
