"""The 案例检索 page in a real browser (Debian's chromium via Playwright), served and from a file copy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, Route

from casebook.builder.siteindex import DATA_DIR, read_script
from casebook.schema import load_corpus
from casebook.schema.thesaurus import thesaurus
from casebook.search.query import parse, search
from tests.corpora import REAL_CASES
from tests.site_helpers import open_page, serve
from tests.site_search import SiteIndex, typed_data
from tests.test_site_search import QUERIES, READINGS, _fragments

WIDTHS = (1366, 390)
READY = "#cb-search[data-state=ready], #cb-search[data-state=error]"


@pytest.fixture(scope="module", params=["served", "file"])
def base(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    """The fixture site's root URL, from a local server and from the file system."""
    if request.param == "file":
        yield site.as_uri()
    else:
        with serve(site) as url:
            yield url


def _open(browser: Browser, url: str, width: int = 1366, hosts: set[str] | None = None) -> tuple[Page, list[str]]:
    return open_page(browser, url, READY, width=width, hosts=hosts)


def _hit_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all(".cb-hit", "items => items.map(i => i.dataset.id)")


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_finds_highlights_and_filters(browser: Browser, base: str, width: int, tmp_path: Path) -> None:
    hosts: set[str] = set()
    page, errors = _open(browser, f"{base}/search.html?q={quote('人防 澄清')}", width, hosts)
    ids = _hit_ids(page)
    assert ids[0] == "2025-site-renfang" and "2019-site-cleared" in ids
    assert "2018-site-internal" not in ids
    marks = page.eval_on_selector_all(".cb-hit mark", "ms => ms.map(m => m.textContent)")
    rings = {t for word in ("人防", "澄清") for t in (word, *thesaurus().equivalents(word))}
    assert marks and set(marks) <= rings and {"人防", "澄清"} <= set(marks)  # the words and their equivalents
    assert "检索词：人防 · 澄清" in page.locator(".cb-search-status").inner_text()
    page.screenshot(path=str(tmp_path / f"search-{width}.png"), full_page=True)
    # A facet narrows the results and lands in the address.
    if width < 900:
        page.locator(".cb-facets summary").click()
    page.locator('[data-facet="outcome"] input[data-value="cleared"]').check()
    page.wait_for_function("location.search.includes('outcome=cleared')")
    page.wait_for_selector(READY)
    assert _hit_ids(page) == ["2019-site-cleared"]
    assert errors == []
    assert (tmp_path / f"search-{width}.png").stat().st_size > 10_000
    assert hosts <= {"127.0.0.1", ""}, hosts


def test_a_shared_link_reproduces_the_search(browser: Browser, base: str) -> None:
    url = f"{base}/search.html?q={quote('审批')}&outcome=exempted&sort=date"
    page, errors = _open(browser, url)
    assert page.locator(".cb-search-input").input_value() == "审批"
    assert page.locator('[data-facet="outcome"] input[data-value="exempted"]').is_checked()
    assert page.locator(".cb-search-sort").input_value() == "date"
    ids = _hit_ids(page)
    assert ids and "2019-site-cleared" not in ids
    dates = page.eval_on_selector_all(".cb-hit-meta", "ps => ps.map(p => p.textContent.split(' · ').pop())")
    assert dates == sorted(dates, reverse=True)
    assert errors == []


def test_a_selected_province_shows_its_cities_beneath_it(browser: Browser, base: str) -> None:
    page, _ = _open(browser, f"{base}/search.html?region={quote('江苏省')}")
    values = page.eval_on_selector_all('[data-facet="region"] input', "bs => bs.map(b => b.dataset.value)")
    assert values[values.index("江苏省") + 1] == "江苏省/淮安市"
    assert _hit_ids(page) == ["2025-site-renfang"]
    page.locator('[data-facet="region"] input[data-value="江苏省/淮安市"]').check()
    page.wait_for_function("decodeURIComponent(location.search).includes('江苏省/淮安市')")
    page.wait_for_selector(READY)
    assert _hit_ids(page) == ["2025-site-renfang"]


def test_empty_query_lists_every_case_newest_first(browser: Browser, base: str, site: Path) -> None:
    page, _ = _open(browser, f"{base}/search.html")
    ids = _hit_ids(page)
    meta = read_script((site / DATA_DIR / "meta.js").read_text(encoding="utf-8"))[1]
    assert len(ids) == meta["count"] == 4
    assert ids[0] == "2025-site-renfang"
    assert "未输入检索词，列出全部案例：共 4 个案例" in page.locator(".cb-search-status").inner_text()
    page, _ = _open(browser, f"{base}/search.html?q={quote('   ')}")
    assert _hit_ids(page) == ids


def test_header_box_hands_its_words_to_the_search_page(browser: Browser, base: str) -> None:
    page = browser.new_page()
    page.goto(f"{base}/cases/2019-site-cleared.html")
    box = page.locator(".cb-header-search input")
    box.fill("人防")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector(READY)
    assert _hit_ids(page)[0] == "2025-site-renfang"
    assert page.locator(".md-search").count() == 0  # no second search


@pytest.mark.parametrize(
    "query",
    [
        "<img src=x onerror=alert(1)>",
        '"><script>alert(1)</script>',
        "javascript:alert(1)",
        "{{7*7}} **粗体** [链接](x)",
    ],
)
def test_markup_in_the_address_stays_text(browser: Browser, base: str, query: str) -> None:
    page, errors = _open(browser, f"{base}/search.html?q={quote(query)}&outcome={quote('<b>x</b>')}")
    page.wait_for_timeout(300)
    assert errors == []
    assert page.locator("#cb-search img, #cb-search script, #cb-search b").count() == 0
    assert page.locator(".cb-search-input").input_value() == query
    text = page.locator("#cb-search").inner_text()
    assert "“处理结果 = <b>x</b>”不是本库已有的取值" in text


@pytest.mark.parametrize("name", ["toString", "__proto__", "constructor", "hasOwnProperty", "valueOf"])
def test_parameters_named_like_object_members_are_unknown_parameters(browser: Browser, base: str, name: str) -> None:
    page, errors = _open(browser, f"{base}/search.html?q={quote('人防')}&{name}=1")
    text = page.locator("#cb-search").inner_text()
    assert errors == []
    assert f"参数“{name}”无法识别" in text and "检索出错" not in text
    assert _hit_ids(page)[0] == "2025-site-renfang"


def test_unknown_values_and_long_queries_get_a_chinese_message(browser: Browser, base: str) -> None:
    page, _ = _open(browser, f"{base}/search.html?q={quote('人防')}&outcome=nonsense&colour=red")
    text = page.locator("#cb-search").inner_text()
    assert "“处理结果 = nonsense”不是本库已有的取值，已忽略" in text
    assert "参数“colour”无法识别" in text
    assert _hit_ids(page)[0] == "2025-site-renfang"
    # ASCII: 10,000 Han characters percent-encoded exceed the test server's 64 KiB request line.
    page, _ = _open(browser, f"{base}/search.html?q={'a' * 10000}")
    assert "检索词太长（共 10000 个字符）" in page.locator("#cb-search").inner_text()
    page, _ = _open(browser, f"{base}/search.html?q={quote('彼岸花开乌龙茶')}")
    empty = page.locator(".cb-search-empty").inner_text()
    assert "没有找到与“彼岸花开乌龙茶”相符的案例" in empty


def test_a_missing_data_file_gets_a_chinese_message(browser: Browser, site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    for shard in (copy / DATA_DIR / "p").glob("*.js"):
        shard.unlink()
    page, _ = _open(browser, (copy / "search.html").as_uri() + "?q=" + quote("人防"))
    message = page.locator(".cb-search-error").inner_text()
    assert "检索数据文件 search-data/p/" in message and "无法加载" in message
    (copy / DATA_DIR / "meta.js").unlink()
    page, _ = _open(browser, (copy / "search.html").as_uri())
    assert "search-data/meta.js" in page.locator(".cb-search-error").inner_text()
    for script in ("casebook-search.js", "casebook-data.js"):  # the reader, then the loader under it
        (copy / "assets" / "javascripts" / script).unlink()
        page, _ = _open(browser, (copy / "search.html").as_uri())
        assert f"assets/javascripts/{script}" in page.locator(".cb-search-error").inner_text()


def test_internal_edition_marks_internal_cases(browser: Browser, internal_site: Path) -> None:
    page, _ = _open(browser, (internal_site / "search.html").as_uri() + "?q=" + quote("玄武湖畔秘密仓储点"))
    hit = page.locator('.cb-hit[data-id="2018-site-internal"]')
    assert hit.locator(".cb-badge-internal").inner_text() == "内部"
    assert "内部版" in page.locator(".cb-search-warning").first.inner_text()


def test_browser_segments_and_finds_as_python_and_casebook_search(
    browser: Browser, real_site: Path, real_index
) -> None:  # type: ignore[no-untyped-def]
    files = {str(p.relative_to(real_site)): p.read_text(encoding="utf-8") for p in (real_site / DATA_DIR).rglob("*.js")}
    python = SiteIndex(files)
    page, _ = _open(browser, (real_site / "search.html").as_uri())
    real = [c.case for c in load_corpus([REAL_CASES]).cases]
    queries = [*QUERIES, *READINGS, *_fragments(real), "结合成分子", "生均公用经费", "集体研究 容缺"]
    found = page.evaluate(
        """async (queries) => {
            const index = await CasebookSearch.open(new URL('./', location.href).href);
            const out = {};
            for (const q of queries) {
                const result = await index.search({q: q});
                const ids = await Promise.all(result.hits.map(async n => (await index.doc(n)).id));
                const tiers = result.hits.map(n => result.holdings.get(n).tier);
                const held = result.hits.map(n => result.holdings.get(n).held);
                out[q] = {typed: result.typed, ids: ids, tiers: tiers, held: held, hits: result.hits};
            }
            return out;
        }""",
        queries,
    )
    cli = real_index
    assert cli.known() == python.known  # one term dictionary
    for query in queries:
        assert found[query]["typed"] == typed_data(python.typed(query)) == typed_data(parse(cli, query).typed), query
        assert set(found[query]["ids"]) == python.matching(query), query
        page_tiers = dict(
            zip(found[query]["ids"], zip(found[query]["held"], found[query]["tiers"], strict=True), strict=True)
        )
        cli_tiers = {hit.id: (hit.matched, hit.tier) for hit in search(cli, query, limit=1000).hits}
        assert page_tiers == cli_tiers, query
        assert found[query]["tiers"] == sorted(found[query]["tiers"]), query
        assert found[query]["hits"] == python.ranked(query), query  # the very order, ties included


def test_facet_counts_are_those_a_ticked_value_would_find(browser: Browser, real_site: Path) -> None:
    """Each value's count: the cases found that hold it and pass the other facets' selections."""
    files = {str(p.relative_to(real_site)): p.read_text(encoding="utf-8") for p in (real_site / DATA_DIR).rglob("*.js")}
    python = SiteIndex(files)
    positions = {f["name"]: {v[0]: k for k, v in enumerate(f["values"])} for f in python.meta["facets"]}
    requests = [
        ("", {}),
        ("", {"outcome": [positions["outcome"]["cleared"]]}),
        ("澄清正名 诬告", {}),
        ("澄清正名 诬告", {"outcome": [positions["outcome"]["cleared"], positions["outcome"]["exempted"]]}),
        ("工程", {"outcome": [positions["outcome"]["exempted"]], "region": [positions["region"]["湖北省"]]}),
        ("集体研究", {"distinction": [positions["distinction"]["motive"]], "year": [0, 1, 2]}),
    ]
    page, _ = _open(browser, (real_site / "search.html").as_uri())
    found = page.evaluate(
        """async (requests) => {
            const index = await CasebookSearch.open(new URL('./', location.href).href);
            const out = [];
            for (const [q, filters] of requests) {
                const result = await index.search({q: q, filters: filters});
                out.push({hits: result.hits, counts: result.counts});
            }
            return out;
        }""",
        requests,
    )
    everything = list(range(python.meta["count"]))
    for (query, filters), result in zip(requests, found, strict=True):
        numbers = python.ranked(query) if query else everything
        assert result["counts"] == python.facet_counts(numbers, filters), (query, filters)
        assert result["hits"] == [n for n in numbers if not python.failing(n, filters)], (query, filters)
    assert len(found[1]["hits"]) < python.meta["count"]  # the filters do narrow


def test_cases_holding_only_some_words_are_listed_after_and_marked(browser: Browser, base: str) -> None:
    page, errors = _open(browser, f"{base}/search.html?q={quote('人防 审批')}")
    items = page.locator(".cb-hit")
    partial = [items.nth(k).locator(".cb-badge-partial").count() > 0 for k in range(items.count())]
    assert _hit_ids(page)[0] == "2025-site-renfang"  # the only case with both words
    assert partial == [False, True, True]
    assert page.locator(".cb-badge-partial").first.inner_text() == "只含部分检索词"
    status = page.locator(".cb-search-status").inner_text()
    assert "其中 1 个案例含全部检索词，排在前面；2 个只含部分检索词。" in status
    page, _ = _open(browser, f"{base}/search.html?q={quote('人防 澄清')}")
    assert "没有案例同时含全部检索词" in page.locator(".cb-search-status").inner_text()
    assert page.locator(".cb-badge-partial").count() == page.locator(".cb-hit").count() > 0
    assert not errors


def test_an_unknown_word_is_matched_as_written_and_said(browser: Browser, base: str) -> None:
    """道路 is no word of the index: its characters must stand side by side, and the page says so."""
    page, errors = _open(browser, f"{base}/search.html?q={quote('人防 道路')}")
    notes = page.locator(".cb-search-notes").inner_text()
    assert "“道路”未收录为词语，已按“道”“路”相邻查找，没有案例含“道路”。" in notes
    assert _hit_ids(page) == ["2025-site-renfang"]
    page, _ = _open(browser, f"{base}/search.html?q={quote('人民防空')}")
    assert "按同义词一并查找：人民防空 ≈ 人防。" in page.locator(".cb-search-notes").inner_text()
    assert _hit_ids(page)[0] == "2025-site-renfang"
    assert not errors


def test_results_do_not_wait_for_materials_page_script(browser: Browser, site: Path) -> None:
    """The page's own script starts Material's once results are shown; Material then starts as on any page."""
    held: list[Route] = []
    with serve(site) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("**/assets/javascripts/bundle.*.min.js", lambda route: held.append(route))
        page.goto(f"{base}/search.html?q={quote('人防')}", wait_until="domcontentloaded")
        # Material's script is asked for only now, and not answered: the results are there all the same.
        page.wait_for_selector(READY, timeout=15000)
        page.wait_for_function("document.querySelector('script[data-cb-held-src]') === null")
        assert _hit_ids(page)[0] == "2025-site-renfang"
        assert not page.evaluate("document.documentElement.classList.contains('js')")  # Material not started
        page.wait_for_timeout(0)  # let the route handler run
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_function("document.documentElement.classList.contains('js')", timeout=15000)
        assert page.evaluate("document.querySelectorAll('script[src*=\"/bundle.\"]').length") == 1
        assert errors == []
    # On every other page Material's script is an ordinary script tag.
    pages = [p for p in site.rglob("*.html") if p.name != "search.html"]
    assert pages and not any("data-cb-held-src" in p.read_text(encoding="utf-8") for p in pages)
    assert "data-cb-held-src" in (site / "search.html").read_text(encoding="utf-8")


def test_snippets_read_as_the_case_page(browser: Browser, base: str) -> None:
    """A line the YAML wrapped reads joined in the snippet: no blank between Chinese characters."""
    page, errors = _open(browser, f"{base}/search.html?q={quote('负责人')}")
    snippet = page.locator('.cb-hit[data-id="2025-site-renfang"] .cb-hit-snippet').inner_text()
    assert "负责人防事项审批的谢某某" in snippet
    assert not errors
