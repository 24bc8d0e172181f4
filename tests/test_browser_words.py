"""No English word in the site's interface: every page of the real cases' site, as Chromium shows it.

Latin letters a reader may meet, and why: the data formats and files the site
offers (JSON, CSV, PDF, the file names on the data page), the paper size of
the printed report (A4), file sizes (KB, MB), the date format a field asks for,
the tool's own name and version in the footer (casebook), case ids and source
addresses, and Latin that the cases themselves contain (A市B区, LNG). Text in
``code`` is notation (a link's syntax in the guide), not prose. Everything
else — visible text, tooltips (``title``), ``aria-label``, placeholders and
``alt`` — must be Chinese: 「Permanent link」 was on 62 pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser

from casebook.schema import load_corpus
from tests.corpora import REAL_CASES
from tests.site_helpers import serve

ALLOWED = {"JSON", "CSV", "PDF", "Schema", "UTF-8", "Excel", "WPS", "A4", "KB", "MB", "casebook", "YYYY-MM-DD"}
ALLOWED_FILES = re.compile(r"[A-Za-z0-9_.-]+\.(?:json|csv|pdf|yaml|html)")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.:/@%?=&#+-]*")
ADDRESS = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%\[\]-]+")
CHINESE = re.compile("[\u4e00-\u9fff]")

# Every text node a reader sees (not code, not scripts), and the attributes read aloud or shown on hover.
TEXTS = r"""() => {
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, code, pre, kbd, samp, noscript')) continue;
    if (!el.checkVisibility({visibilityProperty: true}) && !el.closest('details')) continue;
    out.push(n.data);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  return out;
}"""
SEARCH_READY = "#cb-search[data-state=ready], #cb-search[data-state=error]"
FLOOD = "某镇党委副书记在汛期暴雨中，为抢通被冲毁的村道，未经招标直接委托附近施工队抢修，事后补办了手续，花费比预算多出十几万元，没有发现个人得利。"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _case_words() -> tuple[set[str], list[str]]:
    """Latin words the cases' own prose contains (not field names or vocabulary ids), and the case ids."""
    cases = [c.case for c in load_corpus([REAL_CASES]).cases]
    prose = [
        s
        for case in cases
        for s in _strings(case.model_dump(mode="json", exclude={"editor_notes"}))
        if CHINESE.search(s)
    ]
    words = {word for text in prose for word in LATIN.findall(ADDRESS.sub(" ", text))}
    return words, sorted((c.id for c in cases), key=len, reverse=True)


def _english(texts: list[str], case_words: set[str], ids: list[str]) -> set[str]:
    found = set()
    for text in texts:
        text = ADDRESS.sub(" ", text)
        for case_id in ids:
            text = text.replace(case_id, " ")
        for word in LATIN.findall(ALLOWED_FILES.sub(" ", text)):
            word = word.rstrip(".:")
            if word not in ALLOWED and word not in case_words:
                found.add(word)
    return found


@pytest.mark.slow
def test_no_page_shows_an_english_word(browser: Browser, real_site: Path) -> None:
    case_words, ids = _case_words()
    pages = sorted(p.relative_to(real_site).as_posix() for p in real_site.rglob("*.html"))
    with serve(real_site) as base:
        addresses = [f"{base}/{page}" for page in pages]
        # The two pages that draw themselves, with results on them.
        addresses += [f"{base}/finder.html?{urlencode({'text': FLOOD})}", f"{base}/search.html?q=人防"]
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        english: dict[str, set[str]] = {}
        for address in addresses:
            page.goto(address)
            if "finder.html?" in address:
                page.wait_for_selector("#cb-finder[data-state=done]", timeout=20000)
            elif "search.html?" in address:
                page.wait_for_selector(SEARCH_READY, timeout=20000)
            found = _english(page.evaluate(TEXTS), case_words, ids)
            if found:
                english[address.removeprefix(base)] = found
        page.close()
    assert len(addresses) > 200
    assert english == {}
