"""Tables on a wide screen and on a phone: every column readable, none hidden behind a scroll or clipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

# The first cell or table element that does not fit: its text and how far it sticks out.
CLIPPED = """() => {
  const found = [];
  for (const table of document.querySelectorAll('article table')) {
    let box = table.parentElement;
    const limit = document.querySelector('article').getBoundingClientRect();
    for (const cell of table.querySelectorAll('th, td')) {
      const r = cell.getBoundingClientRect();
      const hidden = getComputedStyle(cell.closest('thead') || cell).position === 'absolute';
      if (hidden) continue;
      if (r.right > limit.right + 1 || r.left < limit.left - 1 || r.width < 1) {
        found.push(cell.innerText.slice(0, 20) + ' @' + Math.round(r.left) + '-' + Math.round(r.right));
        break;
      }
    }
    if (table.scrollWidth > table.clientWidth + 1) found.push('table scrolls: ' + table.className);
    for (; box && box.tagName !== 'ARTICLE'; box = box.parentElement) {
      if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'visible') {
        found.push('hidden scroll in ' + box.className);
        break;
      }
    }
  }
  return found;
}"""

SMALLEST_CHART_TEXT = """() => {
  let smallest = 1000;
  for (const text of document.querySelectorAll('svg.cb-chart text')) {
    const h = text.getBoundingClientRect().height;
    if (h > 0) smallest = Math.min(smallest, h);
  }
  return smallest;
}"""


# The statistics page folds its tables under a summary: open them as a reader taps them.
OPEN_TABLES = "() => document.querySelectorAll('details.cb-data').forEach(d => { d.open = true; })"

# The right edge of the widest element a reader can see (a table head kept for screen readers,
# clipped to nothing on a phone, does not count), the page's scroll width and height.
WIDEST = """() => {
  let widest = 0, who = '';
  for (const e of document.querySelectorAll('body *')) {
    if (!e.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const head = e.closest('thead');
    if (head && getComputedStyle(head).position === 'absolute') continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > widest) { widest = r.right; who = e.tagName + ' ' + (e.getAttribute('class') || ''); }
  }
  const root = document.documentElement;
  return {widest: Math.round(widest), who: who, scroll: root.scrollWidth, height: root.scrollHeight};
}"""
PHONE = {"width": 390, "height": 844}


def test_statistics_fit_a_phone(browser: Browser, real_site: Path) -> None:
    """At 390 px every chart fits, nothing scrolls sideways, and the page is about five screens long
    (4,101 px with the 56 real cases; it was 25,600 px with its tables open); each table is one tap away."""
    page = browser.new_page(viewport=PHONE)
    page.goto((real_site / "stats.html").as_uri())
    folded = page.evaluate(WIDEST)
    assert folded["widest"] <= PHONE["width"] and folded["scroll"] <= PHONE["width"], folded
    assert folded["height"] <= 5 * PHONE["height"], folded
    charts = page.eval_on_selector_all("svg.cb-chart", "cs => cs.map(c => c.getBoundingClientRect().right)")
    assert len(charts) == 5 and max(charts) <= PHONE["width"]
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 10
    summaries = page.locator("details.cb-data > summary")
    assert summaries.count() == 6
    assert not page.locator("table.cb-cross").first.is_visible()
    for i in range(summaries.count()):
        summaries.nth(i).click()
    assert page.locator("table.cb-cross td[data-label='合计']").first.is_visible()
    opened = page.evaluate(WIDEST)
    assert opened["widest"] <= PHONE["width"] and opened["scroll"] <= PHONE["width"], opened
    page.close()


def test_dates_stay_on_one_line_on_a_wide_screen(browser: Browser, real_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto((real_site / "index.html").as_uri())
    lines = page.eval_on_selector_all(".cb-date", "dates => dates.map(d => d.getClientRects().length)")
    assert len(lines) == 10 and set(lines) == {1}  # was 「2025-11-」 over 「07」
    page.close()


def _case_with_tables(site: Path) -> Path:
    return next(p for p in sorted((site / "cases").glob("*.html")) if "cb-six-looks" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("width", [390, 1366])
def test_no_table_column_is_clipped(browser: Browser, site: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    for target in (site / "stats.html", _case_with_tables(site), site / "index.html"):
        page.goto(target.as_uri())
        page.evaluate(OPEN_TABLES)
        assert page.evaluate(CLIPPED) == [], f"{target.name} at {width} px"
    page.close()


def test_phone_shows_each_cross_tab_cell_with_its_column_name(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((site / "stats.html").as_uri())
    page.evaluate(OPEN_TABLES)
    cell = page.locator("table.cb-cross td[data-label='合计']").first
    assert cell.is_visible()
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert "合计" in label
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 10  # chart labels stay readable (were about 5 px)
    page.close()
