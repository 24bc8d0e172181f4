"""The printable casebook of a collection: one self-contained HTML document, or a PDF of it.

Two editions. The **student** edition gives each case under its neutral
prompt title with the sections ``schema.sections`` marks for students (the
facts, the rules involved and the discussion questions), and leaves ruled
space for answers; it carries no outcome, analysis, use of the result, key
point, lessons, sources or teaching notes. The **teacher** edition adds the
sections marked for teachers, in the same order, then the teaching notes.

PDF comes from WeasyPrint with the system's Noto CJK fonts (installed by
``make``); the document loads nothing from any other host.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from html import escape
from importlib import metadata
from pathlib import Path

from casebook.builder.render import download_path, edition_html, meta_line, paragraphs, prompt_title, safe
from casebook.schema import Case, Collection
from casebook.schema.cache import ContentCache, code_version, content_key
from casebook.schema.models import CollectionEntry

BOOKLET_EDITIONS = {"student": "学员版", "teacher": "教师版"}
ANSWER_LINES = 8

_CSS = """
@page { size: A4; margin: 22mm 20mm 20mm 20mm;
        @bottom-center { content: counter(page); font-size: 9pt; color: #555; } }
@page :first { @bottom-center { content: none; } }
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif;
       font-size: 10.5pt; line-height: 1.75; color: #111; }
h1, h2, h3, h4 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
                 line-height: 1.4; }
.cover { text-align: center; padding-top: 55mm; page-break-after: always; }
.cover h1 { font-size: 24pt; margin-bottom: 6mm; }
.cover .edition { font-size: 16pt; letter-spacing: 0.3em; margin: 8mm 0; }
.cover .internal { color: #b2182b; font-weight: bold; border: 1.5pt solid #b2182b; display: inline-block;
                   padding: 2mm 6mm; }
.intro { page-break-after: always; }
.toc ol { padding-left: 1.5em; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader(".") target-counter(attr(href), page); }
.case { page-break-before: always; }
.case h2 { font-size: 15pt; border-bottom: 1pt solid #333; padding-bottom: 2mm; }
.case h4 { font-size: 11pt; margin: 5mm 0 1mm; }
.meta { color: #444; font-size: 9.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 2mm 0; }
th, td { border: 0.6pt solid #888; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th:first-child, td:first-child { white-space: nowrap; }
.answer { border-bottom: 0.6pt solid #999; height: 9mm; }
.notes { background: #f3f3f3; border-left: 2pt solid #555; padding: 2mm 4mm; }
.outcome { font-weight: bold; }
@media screen { body { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
                .case { border-top: 3px double #999; margin-top: 3rem; } }
"""


def _case_section(n: int, entry_case: tuple[CollectionEntry, Case], edition: str) -> str:
    entry, case = entry_case
    teacher = edition == "teacher"
    title = case.title if teacher else prompt_title(entry, case)
    parts = [f'<section class="case" id="case-{n}"><h2>案例{n}  {safe(title)}</h2>']
    if teacher and entry.prompt:
        parts.append(f'<p class="meta">学员版标题：{safe(entry.prompt)}</p>')
    if teacher:
        parts.append(f'<p class="meta">{safe(case.subtitle)}</p>')
    parts.append(
        f'<p class="meta">{safe(meta_line(case))} · {safe(case.publication.publisher)} '
        f"{safe(case.publication.published)}</p>"
    )
    parts.append(edition_html(case, entry, ruling=False))
    if not teacher:
        parts.append("<h4>我的研判</h4>" + '<div class="answer"></div>' * ANSWER_LINES)
        return "".join(parts) + "</section>"
    parts.append(edition_html(case, entry, ruling=True))
    if entry.teaching_notes:
        parts.append('<h4>教学提示</h4><div class="notes">' + paragraphs(entry.teaching_notes) + "</div>")
    return "".join(parts) + "</section>"


def render_casebook(collection: Collection, cases: Mapping[str, Case], edition: str, today: dt.date) -> str:
    """The whole casebook of ``collection`` as one HTML document (inline CSS, no external resource)."""
    if edition not in BOOKLET_EDITIONS:
        raise ValueError(f"unknown edition {edition!r}")
    entries = [(entry, cases[entry.case]) for entry in collection.cases]
    label = BOOKLET_EDITIONS[edition]
    internal = '<p class="internal">内部资料 注意保管</p>' if collection.visibility == "internal" else ""
    toc = "".join(
        f'<li><a href="#case-{n}">{safe(case.title if edition == "teacher" else prompt_title(entry, case))}</a></li>'
        for n, (entry, case) in enumerate(entries, start=1)
    )
    body = [
        f'<section class="cover"><h1>{safe(collection.title)}</h1>',
        f'<p class="edition">案例教学 · {label}</p>',
        f"<p>适用对象：{safe(collection.audience)}</p>",
        f"<p>共 {len(entries)} 个案例 · {today.year} 年 {today.month} 月</p>{internal}</section>",
        f'<section class="intro"><h2>导语</h2>{paragraphs(collection.introduction)}',
        "<p>使用方法：先读案情，结合“三个区分开来”和“六看”独立研判，写下理由，再参加讨论。</p>"
        if edition == "student"
        else "<p>教师版含每个案例的处理结果、分析和教学提示，供备课和讲评使用。</p>",
        f'<nav class="toc"><h2>目录</h2><ol>{toc}</ol></nav></section>',
        *(_case_section(n, pair, edition) for n, pair in enumerate(entries, start=1)),
    ]
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(collection.title)}({label})</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _no_fetching(url: str) -> dict[str, object]:
    """WeasyPrint's resource loader: a casebook loads nothing from anywhere."""
    raise ValueError(f"refused to fetch {url}: the casebook is self-contained")


def write_pdf(html: str, target: Path) -> int:
    """Render ``html`` to a PDF at ``target``; returns the number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_no_fetching).render()
    document.write_pdf(target)
    return len(document.pages)


def site_downloads(
    collections: Sequence[Collection], cases: Mapping[str, Case], day: dt.date, cache_dir: Path
) -> dict[str, bytes]:
    """Both printed editions of each collection, as ``{site path: PDF bytes}``.

    ``day`` goes on the cover (the corpus's latest date, so a rebuild gives
    the same file). A PDF is kept in ``cache_dir`` under the hash of its
    HTML (a :class:`ContentCache` lists them; its version is this module
    and WeasyPrint's): an unchanged collection is not typeset again.
    """
    found: dict[str, bytes] = {}
    cache_dir.mkdir(parents=True, exist_ok=True)
    store = ContentCache(cache_dir / "index.json", code_version(__name__, data=[metadata.version("weasyprint")]))
    for collection in collections:
        for edition in BOOKLET_EDITIONS:
            html = render_casebook(collection, cases, edition, day)
            key = content_key(html)
            stored = cache_dir / f"{key}.pdf"
            if store.get(key) is None or not stored.exists():
                temporary = stored.with_name(f".{stored.name}.{os.getpid()}.tmp")
                write_pdf(html, temporary)
                temporary.replace(stored)
                store.put(key, stored.name)
            found[download_path(collection, edition)] = stored.read_bytes()
    kept = store.save()
    for old in cache_dir.glob("*.pdf"):
        if old.stem not in kept:
            old.unlink(missing_ok=True)
    return found
