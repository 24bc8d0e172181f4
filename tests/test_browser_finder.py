"""The 类案查找 page in a real browser: what it shows, the print view, bad input (exact parity: test_finder_parity)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from playwright.sync_api import Browser, Page

from casebook.builder.finderdata import CALLBACK, DATA_DIR
from casebook.search import explain
from casebook.search.finder import Description, find, read_query
from casebook.search.report import LAYOUT
from tests.finder_golden import ISSUE_DESCRIPTIONS
from tests.site_helpers import open_page, serve

WIDTHS = (1366, 390)
DONE = "#cb-finder[data-state=done], #cb-finder[data-state=error], #cb-finder[data-state=empty]"
TOP = 10
FLOOD = ISSUE_DESCRIPTIONS["flood"]


@pytest.fixture(scope="module", params=["served", "file"])
def base(request: pytest.FixtureRequest, real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The frozen real cases' site root URL, from a local server and from a file copy."""
    if request.param == "file":
        copy = tmp_path_factory.mktemp("finder-copy") / "site"
        shutil.copytree(real_site, copy)
        yield copy.as_uri()
    else:
        with serve(real_site) as url:
            yield url


def _open(browser: Browser, url: str, width: int = 1366) -> tuple[Page, list[str]]:
    return open_page(browser, url, DONE, width=width, timeout=20000)


def _ids(page: Page, selector: str = ".cb-finder-list .cb-finder-hit") -> list[str]:
    return page.eval_on_selector_all(selector, "items => items.map(i => i.dataset.id)")


def _address(base: str, text: str = "", **params: str | list[str]) -> str:
    pairs: list[tuple[str, str]] = [("text", text)] if text else []
    for name, value in params.items():
        pairs += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return f"{base}/finder.html?{urlencode(pairs)}"


# --- parity with casebook similar ----------------------------------------------
# Exact parity on every query of the golden file is checked in Node (tests/test_finder_parity.py);
# one smoke test here proves the page, in a real browser, shows what that check compares.

SMOKE = [
    {"text": ISSUE_DESCRIPTIONS["bribery"]},
    {"text": ISSUE_DESCRIPTIONS["epidemic"], "factors": {"motive": "favourable"}},
    {"text": FLOOD, "distinctions": ["motive:tolerated"], "domain": "emergency_response"},
]


def _page_address(base: str, query: dict) -> str:
    params: dict[str, str | list[str]] = dict(query.get("factors", {}))
    if query.get("distinctions"):
        params["distinction"] = list(query["distinctions"])
    params.update({k: query[k] for k in ("domain", "role", "level") if query.get(k)})
    return _address(base, query.get("text", ""), **params)


def test_page_shows_what_casebook_similar_says(browser: Browser, real_site: Path, real_index) -> None:  # type: ignore[no-untyped-def]
    index = real_index
    with serve(real_site) as url:
        page = browser.new_page()
        for query in SMOKE:
            page.goto(_page_address(url, query))
            page.wait_for_selector(DONE, timeout=20000)
            assert page.get_attribute("#cb-finder", "data-state") == "done", query
            description = Description(
                text=query["text"],
                factors=query.get("factors", {}),
                distinctions=tuple(d.replace(":", "=") for d in query.get("distinctions", ())),
                domain=query.get("domain"),
            )
            read = read_query(description)
            finding, _ = find(index, read, TOP, False)
            assert _ids(page) == [m.record.id for m in finding.matches], query
            shown = page.eval_on_selector_all(".cb-finder-reading li", "items => items.map(i => i.dataset.value)")
            assert shown == [f"{row['label']}:{row['value']}" for row in explain.read_facets(read)], query
            assert page.locator(".cb-finder-strength").inner_text() == explain.strength(finding), query
            warnings = page.eval_on_selector_all(
                ".cb-finder-results .cb-finder-warning", "ns => ns.map(n => n.textContent)"
            )
            assert warnings == [f"注意：{note}" for note in explain.honesty_notes(finding)], query
            first = page.locator(".cb-finder-list .cb-finder-hit").first
            assert first.locator(".cb-finder-parts li").all_inner_texts() == explain.why(
                finding.matches[0], finding.exclusions
            )
            assert first.locator(".cb-finder-score").inner_text() == explain.score_line(finding.matches[0])
            lines = explain.exclusion_lines(read)
            excluded = page.locator(".cb-finder-output > .cb-finder-exclusion")
            if lines:  # what cannot be tolerated comes first, before what was read
                assert excluded.count() == 1
                assert excluded.locator(".cb-finder-exclusion-head").inner_text() == lines[0]
                assert excluded.locator("li").all_inner_texts() == [line.strip() for line in lines[1:]]
                order = page.eval_on_selector_all(".cb-finder-output > section", "ns => ns.map(n => n.className)")
                assert order[0] == "cb-finder-exclusion", order
            else:
                assert excluded.count() == 0


# --- what the page shows ----------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_finder_explains_its_precedents(browser: Browser, base: str, width: int, tmp_path: Path) -> None:
    text = "村干部未经集体研究，擅自将集体资金借给企业，出发点是好的，但造成损失。"
    page, errors = _open(browser, _address(base, text, motive="favourable"), width)
    assert page.get_attribute("#cb-finder", "data-state") == "done"
    hits = page.locator(".cb-finder-list .cb-finder-hit")
    assert hits.count() == TOP
    first = hits.first.inner_text()
    assert "相似之处：" in first and "文本相似" in first and "六看" in first and "编号 " in first
    assert "共同关键词：" in page.locator(".cb-finder-list").inner_text()
    assert page.locator(".cb-finder-list .cb-finder-looks").first.locator("tbody tr").count() == 6
    assert "前 10 个先例的处理结果：" in page.locator(".cb-finder-strength").inner_text()
    assert page.locator(".cb-finder-different").count() == 1
    # The facets read from the text are marked as inferred, with their phrases; the given one is not.
    reading = page.locator(".cb-finder-reading").inner_text()
    assert "据文字推断" in reading and "六看 决策程序" in reading and "“未经集体研究”" in reading
    assert page.locator(".cb-finder-reading li[data-facet='looks.motive']").count() == 0
    # The form shows the query from the address.
    assert page.locator("select[name=motive]").input_value() == "favourable"
    assert page.locator("textarea[name=text]").input_value() == text
    page.screenshot(path=str(tmp_path / f"finder-{width}.png"), full_page=True)
    if width < 900:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, "页面在手机宽度下出现横向滚动"
    assert not errors


def test_form_puts_the_query_in_the_address(browser: Browser, base: str) -> None:
    page, errors = _open(browser, f"{base}/finder.html")
    assert page.get_attribute("#cb-finder", "data-state") == "empty"
    assert page.locator("button.cb-finder-print").is_disabled()  # nothing to report yet
    page.fill("textarea[name=text]", "为赶工期先行开工")
    page.select_option("select[name='distinction.motive']", "tolerated")
    page.select_option("select[name=domain]", "engineering")
    page.click("button[type=submit]")
    page.wait_for_selector("#cb-finder[data-state=done]")
    assert "distinction=motive%3Atolerated" in page.url and "domain=engineering" in page.url
    assert "text=" in page.url and _ids(page)
    assert not errors


def test_print_view_is_the_retrieval_report(browser: Browser, base: str, tmp_path: Path) -> None:
    page, errors = _open(browser, _address(base, "村干部擅自出借集体资金，造成损失"))
    assert not page.locator(".cb-finder-report").is_visible()
    assert page.locator("button.cb-finder-print").inner_text() == "打印检索报告"
    assert page.locator(".cb-finder-fill-by").inner_text() == LAYOUT["blank"]  # a field to write in by hand
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.input_value("input[name=date]"))  # the day of the search
    page.fill("input[name=by]", "张三")
    page.fill("input[name=date]", "2026-11-30")
    page.emulate_media(media="print")
    report = page.locator(".cb-finder-report")
    assert report.is_visible() and not page.locator(".cb-finder-form").is_visible()
    text = report.inner_text()
    for heading in (LAYOUT["title"], LAYOUT["matter"], *LAYOUT["sections"].values(), *LAYOUT["overview_columns"]):
        if heading != LAYOUT["sections"]["different"]:
            assert heading in text, heading
    assert "文字描述：村干部擅自出借集体资金" in text
    assert page.locator(".cb-finder-fill-by").inner_text() == "张三"
    assert page.locator(".cb-finder-fill-date").inner_text() == "2026-11-30"
    assert not errors


PRINTED: dict[str, list] = {}  # the flood report's PDF text, read once per site address


def _printed_pages(browser: Browser, base: str, tmp_path: Path) -> list:
    """The flood description's report printed by Chromium on A4: ``pdftotext``'s pages as laid out, and its text in
    reading order."""
    if base not in PRINTED:
        page, errors = _open(browser, _address(base, FLOOD))
        assert not errors
        page.fill("input[name=by]", "裁定委员会办公室 某某")
        page.fill("input[name=date]", "2026-12-02")
        page.fill("textarea[name=matter]", "未经招标直接委托抢修且超出预算，能否认定为推动发展的无意过失？")
        page.emulate_media(media="print")
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4")
        page.close()
        PRINTED[base] = [_pdf_text(pdf, "-layout").rstrip("\f").split("\f"), _pdf_text(pdf, "-raw")]
    return PRINTED[base]


def _pdf_text(pdf: Path, mode: str) -> str:
    return subprocess.run(["pdftotext", mode, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def test_the_flood_report_fits_six_a4_pages_with_head_and_numbers(browser: Browser, base: str, tmp_path: Path) -> None:
    """Issue 21's flood description: 10 precedents on at most 6 pages, each page titled, dated and numbered."""
    pages = _printed_pages(browser, base, tmp_path)[0]
    assert 1 < len(pages) <= 6, f"{len(pages)} pages"
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0].startswith(LAYOUT["title"]) and lines[0].endswith("检索日期 2026-12-02"), lines[0]
        assert lines[-1] == f"第 {number} 页，共 {len(pages)} 页", lines[-1]


def test_the_flood_report_holds_the_fields_a_committee_fills(browser: Browser, base: str, tmp_path: Path) -> None:
    """What the SPC's 2020 guidance asks a report to state, and a mark to tick for each precedent."""
    flat = re.sub(r"\s+", "", _printed_pages(browser, base, tmp_path)[1])
    for label, _ in [(label, key) for key, label in LAYOUT["head"]]:
        assert label in flat, label
    assert "检索人裁定委员会办公室某某" in flat and "检索日期2026-12-02" in flat
    assert re.sub(r"\s+", "", LAYOUT["matter"]) in flat and "能否认定为推动发展的无意过失" in flat
    # One row per precedent in the overview, each with the three marks, and the three marks with a reason per section.
    assert flat.count("□参照□参考□不予参照理由") == TOP
    assert flat.count("□参照□参考□不予参照") == 2 * TOP
    assert "序号先例处理结果相似度委员会意见（勾选）" in flat
    for heading in LAYOUT["sections"].values():
        if heading != LAYOUT["sections"]["different"]:
            assert heading in flat


# --- bad input ------------------------------------------------------------------------


def test_markup_in_the_address_is_text(browser: Browser, base: str) -> None:
    markup = '<img src=x onerror="alert(1)"><b>粗体</b>村干部'
    page, errors = _open(browser, _address(base, markup))
    assert page.locator("#cb-finder img, .cb-finder-output b").count() == 0
    assert page.locator("textarea[name=text]").input_value() == markup
    assert not errors


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"motive": "great"}, "六看“主观动机”没有取值“great”"),
        ({"distinction": "courage:tolerated"}, "没有名为“courage”的三个区分开来"),
        ({"domain": "space"}, "工作领域没有取值“space”"),
        ({"colour": "red"}, "无法识别的参数“colour”"),
        ({"toString": "1"}, "无法识别的参数“toString”"),
        ({"__proto__": "1"}, "无法识别的参数“__proto__”"),
        ({"constructor": "1"}, "无法识别的参数“constructor”"),
        ({"hasOwnProperty": "1"}, "无法识别的参数“hasOwnProperty”"),
        ({"motive": "toString"}, "六看“主观动机”没有取值“toString”"),
        ({"domain": "__proto__"}, "工作领域没有取值“__proto__”"),
    ],
)
def test_unknown_values_get_a_chinese_message(browser: Browser, base: str, params: dict, words: str) -> None:
    page, errors = _open(browser, _address(base, "村干部出借资金", **params))
    assert page.get_attribute("#cb-finder", "data-state") == "error"
    assert words in page.locator("[role=alert]").inner_text()
    assert not errors


def test_empty_and_very_long_descriptions(browser: Browser, base: str) -> None:
    page, errors = _open(browser, f"{base}/finder.html?text=%20%20")
    assert "请写下新情况的案情描述" in page.locator("[role=status]").inner_text()
    assert not errors
    # Typed into the form (an address this long is more than a web server accepts in one request line).
    long = ("村干部未经集体研究出借集体资金造成损失。" * 600)[:10_000]
    page.fill("textarea[name=text]", long)
    page.click("button[type=submit]")
    page.wait_for_selector("#cb-finder[data-state=done]", timeout=20000)
    assert _ids(page) and "六看 决策程序：不利" in page.locator(".cb-finder-reading").inner_text()
    assert not errors


def test_a_missing_data_file_gets_a_message(browser: Browser, real_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(real_site, copy)
    for shard in (copy / DATA_DIR / "p").iterdir():
        shard.unlink()
    page, errors = _open(browser, _address(copy.as_uri(), "村干部出借集体资金"))
    alert = page.locator("[role=alert]").inner_text()
    assert "类案查找的数据无法加载" in alert and "finder-data/p/" in alert
    assert not errors
    (copy / DATA_DIR / "meta.js").unlink()
    page, errors = _open(browser, _address(copy.as_uri(), "村干部出借集体资金"))
    assert "finder-data/meta.js" in page.locator("[role=alert]").inner_text()
    assert not errors
    for script in ("casebook-finder-words.js", "casebook-finder.js", "casebook-data.js"):  # words, reader, loader
        (copy / "assets" / "javascripts" / script).unlink()
        page, _ = _open(browser, _address(copy.as_uri(), "村干部出借集体资金"))
        assert f"assets/javascripts/{script}" in page.locator("[role=alert]").inner_text()


# --- editions ----------------------------------------------------------------------------


def _data_text(site: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((site / DATA_DIR).rglob("*.js")))


def test_public_finder_data_holds_no_internal_case(site: Path, internal_site: Path) -> None:
    public, internal = _data_text(site), _data_text(internal_site)
    assert public.startswith(CALLBACK) or f"{CALLBACK}(" in public
    assert "2018-site-internal" not in public and "2018-site-internal" in internal
    assert '"internal":true' in internal and '"internal":true' not in public
    for path in sorted(Path("tests/fixtures/site/cases").rglob("*.yaml")):
        notes = yaml.safe_load(path.read_text(encoding="utf-8")).get("editor_notes")
        for line in str(notes or "").split("\n"):
            if len(line.strip()) >= 6:
                assert line.strip() not in public and line.strip() not in internal


def test_internal_edition_marks_internal_precedents(browser: Browser, internal_site: Path, site: Path) -> None:
    text = "人事调动中档案审核把关不严，材料不齐全，受党内警告处分后被免职。"
    page, errors = _open(browser, _address(internal_site.as_uri(), text))
    hit = page.locator(".cb-finder-list .cb-finder-hit[data-id='2018-site-internal']")
    assert hit.count() == 1 and hit.locator(".cb-finder-mark").inner_text() == "内部"
    assert "其中内部案例 1 个" in page.locator(".cb-finder-scope").inner_text()
    page, errors = _open(browser, _address(site.as_uri(), text))
    assert "2018-site-internal" not in _ids(page) and page.locator(".cb-finder-mark").count() == 0
    assert not errors
