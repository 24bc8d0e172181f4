"""The built site in a real browser: Debian's chromium driven by Playwright.

The browser is the system's (/usr/bin/chromium, installed by .ci/run);
Playwright's own browser download is never used.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Browser, Page

from tests.site_helpers import serve

HUAIAN_TITLE = "区管干部分步容缺审批人防事项被容错免责案"


def _search(page: Page, words: str) -> None:
    """Type into the header box: it hands the words to the 案例检索 page."""
    box = page.locator(".cb-header-search input")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    page.wait_for_selector("#cb-search[data-state=ready]", timeout=15000)


def test_search_box_finds_the_huaian_case(browser: Browser, site: Path, tmp_path: Path) -> None:
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
        page.goto(f"{base}/index.html")
        _search(page, "人防")
        first = page.locator(".cb-hit").first
        page.screenshot(path=str(tmp_path / "search-renfang.png"))
        assert HUAIAN_TITLE in first.inner_text()
        first.locator("a.cb-hit-title").click()
        page.wait_for_url("**/cases/2025-site-renfang.html**")
        assert page.locator("h1").first.inner_text().startswith(HUAIAN_TITLE)
        page.screenshot(path=str(tmp_path / "case-page.png"), full_page=True)
        assert hosts == {"127.0.0.1"}, f"the site asked other hosts: {hosts - {'127.0.0.1'}}"
    assert (tmp_path / "search-renfang.png").stat().st_size > 10_000


def test_search_works_from_a_file_copy(browser: Browser, site: Path) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    _search(page, "澄清")
    result = page.locator(".cb-hit").first
    assert "澄清" in result.inner_text()


def test_injected_case_runs_no_script(browser: Browser, site: Path) -> None:
    with serve(site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/cases/2024-site-injection.html")
        page.mouse.move(300, 300)
        page.locator("h1").first.hover()
        page.wait_for_timeout(500)
        assert dialogs == []
        assert "<script>alert('facts')</script>" in page.locator("article").inner_text()


def test_collection_page_folds_the_ruling_until_clicked(browser: Browser, site: Path, tmp_path: Path) -> None:
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/collections/site-teaching.html")
        ruling = page.locator("details.cb-ruling").first
        outcome = ruling.locator(".cb-ruling-title")
        assert page.locator("article").get_by_text("如果企业没有按期补齐材料").first.is_visible()
        assert not outcome.is_visible()
        page.screenshot(path=str(tmp_path / "collection-folded.png"))
        ruling.locator("summary").click()
        outcome.wait_for(state="visible")
        assert "区管干部分步容缺审批人防事项被容错免责案" in outcome.inner_text()
        page.screenshot(path=str(tmp_path / "collection-open.png"))
