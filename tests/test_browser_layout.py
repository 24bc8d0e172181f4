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


def _case_with_tables(site: Path) -> Path:
    return next(p for p in sorted((site / "cases").glob("*.html")) if "cb-six-looks" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("width", [390, 1366])
def test_no_table_column_is_clipped(browser: Browser, site: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    for target in (site / "stats.html", _case_with_tables(site), site / "index.html"):
        page.goto(target.as_uri())
        assert page.evaluate(CLIPPED) == [], f"{target.name} at {width} px"
    page.close()


def test_phone_shows_each_cross_tab_cell_with_its_column_name(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto((site / "stats.html").as_uri())
    cell = page.locator("table.cb-cross td[data-label='合计']").first
    assert cell.is_visible()
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert "合计" in label
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 10  # chart labels stay readable (were about 5 px)
    page.close()
