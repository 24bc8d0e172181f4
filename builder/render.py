"""Render the corpus as Markdown pages: pure functions from cases to text.

Safety rule: no text from a case ever reaches Markdown or HTML as markup.
``safe`` turns every ASCII punctuation character into a numeric character
reference, so neither Markdown (links, emphasis, tables, attribute lists) nor
HTML (tags, attributes, ``javascript:`` URLs) can form from case text; the
browser shows the same characters. Case prose goes into raw HTML blocks
(Markdown leaves them alone); headings and links around it are ours.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from casebook.builder import charts, exports
from casebook.builder.stats import (
    Coverage,
    by_outcome,
    count,
    coverage,
    group,
    latest,
    outcome_groups,
)
from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from casebook.schema.facets import (
    BROWSE,
    DISTINCTION,
    DOMAIN,
    NO_REGION,
    OUTCOME,
    PROVINCE_SLUGS,
    REGION,
    YEAR,
    Facet,
    region_name,
)
from casebook.schema.models import Collection, CollectionEntry
from casebook.schema.sections import SECTION_BY_ID, SECTIONS, Section
from casebook.schema.text import WIDE, place_name, unwrap
from casebook.schema.text import paragraphs as text_paragraphs

_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}


def safe(text: str) -> str:
    """Text on one line (wraps joined as :func:`casebook.schema.text.unwrap` joins them), as inert
    characters for Markdown and HTML alike."""
    return (unwrap(text) if "\n" in text else text).translate(_PUNCTUATION)


# Where a browser must keep white space as written: preformatted text, code, scripts, styles.
_VERBATIM = re.compile(r"(<(pre|code|script|style|textarea)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_WRAP_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE}])[ \\t]*\\n\\s*(?=[{WIDE}])")


def join_wraps(html: str) -> str:
    """A page's HTML with the line wraps of its Markdown source joined as :func:`casebook.schema.text.paragraphs`
    joins a case's: a browser shows a wrap between two Chinese characters as a space (Markdown keeps it)."""
    parts = _VERBATIM.split(html)
    # split() yields text, verbatim block, its tag name, text, …: only the text is joined.
    return "".join(
        _WRAP_BETWEEN_WIDE.sub("", part) if k % 3 == 0 else part for k, part in enumerate(parts) if k % 3 != 2
    )


def paragraphs(text: str) -> str:
    """Prose as ``<p>`` elements: blank lines split paragraphs, single newlines are soft wraps."""
    return "".join(f"<p>{safe(paragraph)}</p>" for paragraph in text_paragraphs(text))


def items(lines: Sequence[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{safe(line)}</li>" for line in lines) + f"</{tag}>"


def front_matter(title: str, **extra: object) -> str:
    """YAML front matter; the title is HTML-escaped because themes print it raw.

    Values are written as JSON, which is YAML too, and much quicker to emit
    than through PyYAML for thousands of pages.
    """
    data = {"title": safe(title), **extra}
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in data.items())
    return f"---\n{lines}---\n\n"


def case_path(case: Case) -> str:
    return f"cases/{case.id}.md"


def link(from_page: str, to_page: str) -> str:
    """Relative link between two source pages, as mkdocs resolves Markdown links.

    Pages sit at most two folders deep and link either into their own folder
    or from the root, so this equals ``posixpath.relpath`` at a fraction of its cost.
    """
    folder = posixpath.dirname(from_page)
    if folder and to_page.startswith(folder + "/"):
        return to_page[len(folder) + 1 :]
    return "../" * (folder.count("/") + 1 if folder else 0) + to_page


def html_href(from_page: str, to_page: str) -> str:
    """Relative URL for raw HTML (not rewritten by mkdocs; directory URLs are off)."""
    return link(from_page, re.sub(r"\.md$", ".html", to_page))


def slug(facet: Facet, key: str) -> str:
    """A file name for a facet key: vocabulary ids and years as they are, free text hashed."""
    if facet.id in ("distinction", "outcome", "domain", "year"):
        return key
    if facet.id == "region" and (key in PROVINCE_SLUGS or key == NO_REGION):
        return PROVINCE_SLUGS.get(key, "unknown")
    return "k" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def facet_page(facet: Facet) -> str:
    return f"browse/{facet.id}.md"


def facet_key_page(facet: Facet, key: str) -> str:
    return f"browse/{facet.id}/{slug(facet, key)}.md"


def reflow_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], kind: str = "", row_classes: Sequence[str] = ()
) -> str:
    """An HTML table whose rows become labelled cards on a phone (each cell carries its column's name).

    ``headers`` are plain text (escaped here); cells are HTML already made safe by the caller.
    """
    head = "".join(f"<th>{safe(h)}</th>" for h in headers)
    classes = [f' class="{c}"' if c else "" for c in row_classes] or [""] * len(rows)
    body = "".join(
        f"<tr{row_class}>"
        + "".join(f'<td data-label="{safe(h)}">{cell}</td>' for h, cell in zip(headers, row, strict=True))
        + "</tr>"
        for row, row_class in zip(rows, classes, strict=True)
    )
    return f'<table class="{("cb-reflow " + kind).strip()}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def source_link(url: str) -> str:
    """A source address as a link a reader can follow (the page loads nothing from it).

    Only http and https addresses become links; anything else stays text. The
    address is made inert by :func:`safe` in the attribute and in the text alike.
    """
    shown = f"<code>{safe(url)}</code>"
    if not re.match(r"https?://[^\s]", url, re.IGNORECASE):
        return shown
    return f'<a class="cb-source-link" href="{safe(url)}" rel="noopener noreferrer">{shown}</a>'


def _is_withdrawn(case: Case) -> bool:
    return case.publication.status.state == "withdrawn"


def outcome_note(result: str) -> str:
    """What an outcome means, in words: its group and description from the vocabulary.

    This is where a reader learns that 问责处理（未见容错认定） reports a sanction
    and no 容错 ruling, unlike 不予容错， and that a pre-filing is no ruling.
    """
    entry = vocab.vocabularies()["outcomes"].get(result)
    description = entry.get("description", "") if isinstance(entry, dict) else ""
    group = vocab.label("outcome_groups", vocab.outcome_group(result))
    return f"结果类别：{group}。" + (f"{description}。" if description else "")


# --- case study page -------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    """Another case shown on a case page (related or similar), with why."""

    case: Case
    reason: str = ""


def none_html(text: str) -> str:
    """What a page writes where the case has nothing to show (not the case's words: search does not read it)."""
    return f'<span class="cb-none">{safe(text)}</span>'


def _meta_rows(case: Case) -> list[tuple[str, str]]:
    """The header table: ``(label, value as HTML)``."""
    rules = "、".join(r.regulation + (r.article or "") for r in case.rules_breached)
    distinctions = "、".join(vocab.label("distinctions", d.distinction) for d in case.distinctions)
    person = case.person.alias + (f"\uff08{case.person.position}\uff09" if case.person.position else "")
    return [
        (OUTCOME.title, safe(vocab.label("outcomes", case.outcome.result))),
        (REGION.title, safe(region_name(case))),
        ("当事人", safe(person)),
        (DOMAIN.title, safe(vocab.label("domains", case.domain))),
        (DISTINCTION.title, safe(distinctions) if distinctions else none_html("未涉及")),
        (SECTION_BY_ID["rules"].heading(case), safe(rules) if rules else none_html("未载明")),
        ("发布机关", safe(case.publication.publisher)),
        ("发布日期", safe(case.publication.published)),
        ("关键词", safe("、".join(case.keywords))),
    ]


def _section(title: str, anchor: str, body: str) -> str:
    return f'## {safe(title)} {{ #{anchor} }}\n\n<div class="cb-section">{body}</div>\n\n'


def distinctions_table(case: Case) -> str:
    if not case.distinctions:
        return f"<p>{none_html('本案未援引“三个区分开来”（澄清正名类案例通常如此）。')}</p>"
    rows = [
        [
            safe(vocab.label("distinctions", d.distinction)),
            safe(vocab.label("distinction_sides", d.side)),
            safe(vocab.label("distinction_sources", d.source)),
            safe(d.reasoning),
        ]
        for d in case.distinctions
    ]
    return reflow_table(["区分", "本案落在", "依据", "理由"], rows, "cb-distinctions")


def six_looks_table(case: Case) -> str:
    rows = []
    for factor in vocab.ids("factors"):
        entry = vocab.vocabularies()["factors"][factor]
        finding = case.six_looks.get(factor)
        value = finding.value if finding else "unknown"
        note = finding.note if finding and finding.note else ""
        rows.append(
            [
                safe(vocab.label("factors", factor)),
                f"{safe(entry.get('favourable', ''))} / {safe(entry.get('unfavourable', ''))}",
                safe(vocab.label("factor_values", value)),
                safe(note),
            ]
        )
    looks = [
        f"cb-look cb-look-{(f.value if (f := case.six_looks.get(factor)) else 'unknown')}"
        for factor in vocab.ids("factors")
    ]
    return reflow_table(["因素", "有利 / 不利的情形", "本案认定", "说明"], rows, "cb-six-looks", looks)


def procedure_list(case: Case) -> str:
    lines = []
    for step in case.procedure:
        parts = [vocab.label("procedure_steps", step.step)]
        if step.date:
            parts.append(step.date)
        if step.body:
            parts.append(step.body)
        text = " · ".join(parts) + (f"\uff1a{step.note}" if step.note else "")
        lines.append(text)
    return items(lines, ordered=True)


def _neighbours(page: str, neighbours: Sequence[Neighbour]) -> str:
    lines = []
    for n in neighbours:
        outcome = vocab.label("outcomes", n.case.outcome.result)
        reason = f" — {safe(n.reason)}" if n.reason else ""
        href = html_href(page, case_path(n.case))
        lines.append(f'<li><a href="{href}">{safe(n.case.title)}</a>\uff08{safe(outcome)}\uff09{reason}</li>')
    return "<ul>" + "".join(lines) + "</ul>"


def render_case(case: Case, related: Sequence[Neighbour] = (), similar: Sequence[Neighbour] = ()) -> str:
    """The study page of one case, as Markdown with escaped raw HTML blocks."""
    page = case_path(case)
    status = case.publication.status
    out = [front_matter(case.title, description=safe(case.subtitle))]
    out.append(f"# {safe(case.title)}\n\n")
    if _is_withdrawn(case):
        out.append(
            '<div class="admonition warning cb-withdrawn"><p class="admonition-title">本案例已撤回</p>'
            f"<p>撤回日期：{safe(status.withdrawn or '')}。原因：{safe(status.reason or '')}</p></div>\n\n"
        )
    if not case.is_public:
        out.append(
            '<div class="admonition danger cb-internal"><p class="admonition-title">内部案例</p>'
            "<p>仅供容错免责裁定参考，不得对外公开。</p></div>\n\n"
        )
    # The hidden separators keep label and value apart in the search index and its snippets
    # ("处理结果：容错免责；地区：…" rather than "处理结果容错免责地区…").
    meta = "".join(
        f'<tr><th>{safe(k)}<span class="cb-sep">\uff1a</span></th><td>{v}<span class="cb-sep">\uff1b</span></td></tr>'
        for k, v in _meta_rows(case)
    )
    out.append(f'<p class="cb-subtitle">{safe(case.subtitle)}</p>\n\n<table class="cb-meta">{meta}</table>\n\n')
    others = {
        "related": _neighbours(page, related) if related else "",
        "similar": _neighbours(page, similar) if similar else "",
    }
    for section in SECTIONS:
        if section.page:
            body = others[section.id] if section.id in others else section_html(section, case)
            if body:
                out.append(_section(section.heading(case), section.id, body))
    return "".join(out)


def _rules_html(case: Case) -> str:
    return items(
        [r.regulation + (r.article or "") + (f"\uff1a{r.summary}" if r.summary else "") for r in case.rules_breached]
    )


def outcome_html(case: Case) -> str:
    """The outcome as the source words it, what the outcome means, and who decided when."""
    decided = " · ".join(x for x in (case.outcome.decided, case.outcome.decided_by) if x)
    return (
        f"<p><strong>{safe(vocab.label('outcomes', case.outcome.result))}</strong>"
        f"\uff1a{safe(case.outcome.wording)}</p>"
        f'<p class="cb-outcome-kind">{safe(outcome_note(case.outcome.result))}</p>'
        + (f"<p>{safe(decided)}</p>" if decided else "")
    )


def _sources_html(case: Case) -> str:
    sources = "".join(
        "<li>" + (safe(s.title) + "\uff1a" if s.title else "") + source_link(str(s.url)) + "</li>"
        for s in case.publication.sources
    )
    return f'<ul class="cb-sources">{sources}</ul>'


def _record_html(case: Case) -> str:
    status = case.publication.status
    record = [f"收录：{status.issued}"]
    if status.modified:
        record.append(f"修订：{status.modified}")
    if case.publication.date_note:
        record.append(f"日期说明：{case.publication.date_note}")
    if case.notes:
        record.append(f"编者说明：{case.notes}")
    return items(record) + f"<p>案例编号：{safe(case.id)}</p>"


# How each section of ``schema.sections`` reads as HTML: the same fields its search words come from.
SECTION_HTML: dict[str, Callable[[Case], str]] = {
    "facts": lambda c: paragraphs(c.facts),
    "rules": _rules_html,
    "distinctions": lambda c: distinctions_table(c),
    "six-looks": lambda c: six_looks_table(c),
    "outcome": outcome_html,
    "correction": lambda c: items(c.correction),
    "use-of-result": lambda c: items(c.use_of_result),
    "procedure": lambda c: procedure_list(c),
    "key-point": lambda c: paragraphs(c.key_point),
    "lessons": lambda c: items(c.lessons),
    "questions": lambda c: items(c.questions, ordered=True),
    "sources": _sources_html,
    "record": _record_html,
}


def section_html(section: Section, case: Case) -> str:
    """The body of one section of ``case`` on its page; empty when the section is not shown."""
    return SECTION_HTML[section.id](case) if section.shown(case) else ""


# --- browse, home, statistics, data ------------------------------------------


def _case_table(page: str, cases: Sequence[Case]) -> str:
    rows = []
    for case in sorted(cases, key=lambda c: (c.publication.published, c.id), reverse=True):
        mark = "（已撤回）" if _is_withdrawn(case) else ""
        outcome = vocab.label("outcomes", case.outcome.result)
        title = f'<a href="{html_href(page, case_path(case))}">{safe(case.title)}</a>{mark}'
        published = f'<span class="cb-date">{safe(case.publication.published)}</span>'
        rows.append([title, safe(region_name(case)), published, safe(outcome)])
    return reflow_table(["案例", REGION.title, "发布", OUTCOME.title], rows, "cb-cases") + "\n"


def _counts_table(page: str, facet: Facet, counts: Sequence[tuple[str, int]]) -> str:
    lines = [f"| {facet.title} | 案例数 |", "|---|---:|"]
    for key, n in counts:
        lines.append(f"| [{safe(facet.label(key))}]({link(page, facet_key_page(facet, key))}) | {n} |")
    return "\n".join(lines) + "\n"


def render_browse(cases: Sequence[Case]) -> dict[str, str]:
    """Browse index, one page per facet, and one page per facet key."""
    pages: dict[str, str] = {}
    overview = [front_matter("浏览案例", search={"exclude": True}), "# 浏览案例\n\n"]
    overview.append(f"按下列任一角度浏览全部 {len(cases)} 个公开案例；括号内为该角度下的分类数。\n\n")
    for facet in BROWSE:
        page = facet_page(facet)
        counts = count(cases, facet)
        overview.append(f"- [{facet.title}]({link('browse/index.md', page)})（{len(counts)} 类）\n")
        body = [front_matter(f"按{facet.title}浏览", search={"exclude": True}), f"# 按{facet.title}浏览\n\n"]
        if facet.id == "distinction":
            body.append("一个案例可能涉及多个区分，因此各行相加可能多于案例总数。\n\n")
        body.append(_counts_table(page, facet, counts))
        pages[page] = "".join(body)
        for key, members in group(cases, facet).items():
            key_page = facet_key_page(facet, key)
            title = f"{facet.title}\uff1a{facet.label(key)}"
            explained = f"{safe(outcome_note(key))}\n\n" if facet.id == "outcome" else ""
            pages[key_page] = (
                front_matter(title, search={"exclude": True})
                + f"# {safe(title)}\n\n{explained}共 {len(members)} 个案例。\n\n"
                + _case_table(key_page, members)
            )
    pages["browse/index.md"] = "".join(overview)
    pages.update(_region_pages(cases, pages))
    return pages


def _city_slug(province: str, city: str, members: Sequence[Case]) -> str:
    """A readable, stable file name for a city: the pinyin its case ids use (2025-xianning-…), else a short hash."""
    segments = Counter(
        part for case in members if len(parts := case.id.split("-")) > 2 and (part := parts[1]).isalpha()
    )
    if segments:
        return sorted(segments.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return "c" + hashlib.sha1(f"{province}/{city}".encode()).hexdigest()[:8]


def city_pages(cases: Sequence[Case]) -> dict[tuple[str, str], tuple[str, list[Case]]]:
    """``(province, city) → (page, cases)`` for every city named by a case, slugs unique within a province."""
    by_city: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        for path in REGION.paths(case):
            if REGION.parent(path):
                by_city.setdefault((REGION.parent(path), REGION.label(path)), []).append(case)
    found: dict[tuple[str, str], tuple[str, list[Case]]] = {}
    taken: set[str] = set()
    for (province, city), members in sorted(by_city.items()):
        name = _city_slug(province, city, members)
        if f"{province}/{name}" in taken:
            name += "-" + hashlib.sha1(city.encode()).hexdigest()[:4]
        taken.add(f"{province}/{name}")
        found[(province, city)] = (f"browse/region/{slug(REGION, province)}/{name}.md", members)
    return found


def _region_pages(cases: Sequence[Case], pages: Mapping[str, str]) -> dict[str, str]:
    """Region browse down to the city: provinces in the national order, each with its cities."""
    cities = city_pages(cases)
    updated: dict[str, str] = {}
    rows = []
    for province, n in count(cases, REGION):
        own = sorted(((c, v) for (p, c), v in cities.items() if p == province), key=lambda item: -len(item[1][1]))
        province_page = facet_key_page(REGION, province)
        links = "、".join(
            f'<a href="{html_href(facet_page(REGION), page)}">{safe(city)}</a>\uff08{len(members)}\uff09'
            for city, (page, members) in own
        )
        rows.append([f'<a href="{html_href(facet_page(REGION), province_page)}">{safe(province)}</a>', str(n), links])
        if own:
            listing = "、".join(
                f'<a href="{html_href(province_page, page)}">{safe(city)}</a>\uff08{len(members)}\uff09'
                for city, (page, members) in own
            )
            head, _, rest = pages[province_page].partition("个案例。\n\n")
            updated[province_page] = f'{head}个案例。\n\n<p class="cb-cities">按城市：{listing}</p>\n\n{rest}'
        for city, (page, members) in own:
            title = f"{REGION.title}：{place_name(province, city)}"
            updated[page] = (
                front_matter(title, search={"exclude": True})
                + f"# {safe(title)}\n\n共 {len(members)} 个案例。"
                + f'返回<a href="{html_href(page, province_page)}">{safe(province)}</a>。\n\n'
                + _case_table(page, members)
            )
    updated[facet_page(REGION)] = (
        front_matter(f"按{REGION.title}浏览", search={"exclude": True})
        + f"# 按{REGION.title}浏览\n\n省份按行政区划代码排列，括号内为案例数；未标明地区的案例排在最后。\n\n"
        + reflow_table(["省份", "案例数", "城市"], rows, "cb-regions")
        + "\n"
    )
    return updated


def counted(cases: Sequence[Case]) -> list[Case]:
    """The cases that statistics count: current ones (withdrawn cases stay readable but are not counted)."""
    return [c for c in cases if not _is_withdrawn(c)]


def _cross_table(facet: Facet, cases: Sequence[Case]) -> str:
    table = by_outcome(cases, facet)
    headers = [facet.title, *(vocab.short_label("outcomes", c) for c in table.columns), "合计"]
    rows = [
        [safe(facet.label(row)), *(str(table.cells.get((row, c), 0)) for c in table.columns), str(table.total(row))]
        for row in table.rows
    ]
    # The legend sits in two narrow columns: short labels fit them.
    legend = functools.partial(vocab.short_label, "outcomes")
    chart = charts.stacked_bars(table, facet.label, legend, f"按{facet.title}统计的处理结果")
    summary = f"数据表：按{facet.title}统计的处理结果（{len(rows)} 行）"
    return f'<figure class="cb-figure">{chart}</figure>\n\n' + folded(summary, reflow_table(headers, rows, "cb-cross"))


def folded(summary: str, body: str) -> str:
    """A long table one tap away: folded under a line that says what it holds (a phone scrolls past it)."""
    return f'<details class="cb-data"><summary>{safe(summary)}</summary>{body}</details>\n\n'


def render_stats(cases: Sequence[Case]) -> str:
    """The statistics page: for each facet a chart and the same figures as a table."""
    current = counted(cases)
    out = [front_matter("统计", search={"exclude": True}, hide=["toc"]), "# 统计\n\n"]
    out.append(
        f'<p class="cb-total">公开案例共 <strong data-count="total">{len(current)}</strong> 个'
        f"（不含已撤回案例）。一个案例可能涉及多个“三个区分开来”。</p>\n\n"
    )
    out.append(f"## {OUTCOME.title} {{ #outcome }}\n\n" + _outcome_table("stats.md", current) + "\n")
    for facet in (DISTINCTION, DOMAIN, REGION, YEAR):
        out.append(f"## 按{facet.title} {{ #{facet.id} }}\n\n")
        out.append(_cross_table(facet, current))
    parts = " × ".join(vocab.title(name) for name in ("distinctions", "distinction_sides", "outcomes"))
    out.append(f"## 覆盖情况：{parts} {{ #coverage }}\n\n")
    out.append(coverage_html(coverage(current)))
    return "".join(out)


def _outcome_table(page: str, cases: Sequence[Case]) -> str:
    """Outcome counts with what each outcome means, then the totals by outcome group."""
    rows = []
    for key, n in count(cases, OUTCOME):
        entry = vocab.vocabularies()["outcomes"].get(key)
        description = entry.get("description", "") if isinstance(entry, dict) else ""
        group = vocab.label("outcome_groups", vocab.outcome_group(key))
        target = html_href(page, facet_key_page(OUTCOME, key))
        rows.append([f'<a href="{target}">{safe(OUTCOME.label(key))}</a>', safe(group), safe(description), str(n)])
    headers = [OUTCOME.title, vocab.title("outcome_groups"), "含义", "案例数"]
    table = reflow_table(headers, rows, "cb-outcomes")
    groups = "、".join(f"{vocab.label('outcome_groups', g)} {n} 个" for g, n in outcome_groups(cases))
    # One bar per outcome in its own colour: the rows name the outcomes, so no legend.
    chart = charts.stacked_bars(by_outcome(cases, OUTCOME), OUTCOME.label, OUTCOME.label, "各处理结果的案例数", False)
    return f'<figure class="cb-figure">{chart}</figure>\n\n<p>按结果类别：{safe(groups)}。</p>\n\n' + folded(
        f"数据表：各处理结果的含义与案例数（{len(rows)} 行）", table
    )


# --- coverage ------------------------------------------------------------------

COVERAGE_HELP = (
    "每行是一条区分的一侧，每列是一种处理结果，格中是案例数；一个案例涉及两条区分时在两行各计一次。"
    "标出的空格是容错认定或问责类结果中尚无案例的组合；澄清正名、事前报备等结果不对三个区分作出结论，其空格不算缺口。"
)


def coverage_row_label(distinction: str, side: str) -> str:
    return f"{vocab.short_label('distinctions', distinction)} · {vocab.label('distinction_sides', side)}"


def coverage_gap_lines(table: Coverage) -> list[str]:
    """One sentence per row that has gaps, naming the missing outcomes; empty when nothing is missing."""
    lines = []
    for distinction, side in table.rows:
        missing = [o for d, s, o in table.gaps() if (d, s) == (distinction, side)]
        if missing:
            names = "、".join(vocab.label("outcomes", o) for o in missing)
            lines.append(f"{coverage_row_label(distinction, side)}：尚无 {names} 的案例")
    return lines


def coverage_html(table: Coverage) -> str:
    """The coverage table as an HTML table (gaps marked), then the gaps named in a list."""
    head = "".join(f"<th>{safe(vocab.short_label('outcomes', o))}</th>" for o in table.columns)
    names = {o: safe(vocab.short_label("outcomes", o)) for o in table.columns}  # each cell's column, for phones
    rows = []
    for distinction, side in table.rows:
        cells = []
        for outcome in table.columns:
            n = table.count(distinction, side, outcome)
            gap = not n and table.is_gap_column(outcome)
            label = f'data-label="{names[outcome]}"'
            cells.append(f'<td class="cb-gap" {label} title="尚无案例">0</td>' if gap else f"<td {label}>{n}</td>")
        label = safe(coverage_row_label(distinction, side))
        total = table.row_total(distinction, side)
        rows.append(
            f'<tr data-distinction="{distinction}" data-side="{side}">'
            f'<th>{label}</th>{"".join(cells)}<td data-label="合计">{total}</td></tr>'
        )
    none = "".join(f'<td data-label="{names[o]}">{table.without_distinction.get(o, 0)}</td>' for o in table.columns)
    rows.append(
        f"<tr><th>未涉及三个区分开来（如澄清正名）</th>{none}"
        f'<td data-label="合计">{sum(table.without_distinction.values())}</td></tr>'
    )
    gaps = coverage_gap_lines(table)
    listing = (
        '<ul class="cb-gaps">' + "".join(f"<li>{safe(line)}</li>" for line in gaps) + "</ul>"
        if gaps
        else "<p>容错认定和问责类结果的每一种组合都已有案例。</p>"
    )
    data = (
        f'<p class="cb-coverage-help">{safe(COVERAGE_HELP)}</p>'
        f'<table class="cb-reflow cb-coverage"><thead><tr><th>区分 · 落在</th>{head}<th>合计</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return f'<h3 id="coverage-gaps">尚未收录的类型</h3>\n\n<div class="cb-section">{listing}</div>\n\n' + folded(
        f"数据表：三个区分开来 × 落在哪一侧 × 处理结果（{len(rows)} 行）", data
    )


def coverage_text(table: Coverage) -> str:
    """The coverage table as plain text for the terminal: one line per row, then the gaps."""
    out = [f"覆盖情况：共 {table.cases} 个案例（不含已撤回）；一个案例涉及两条区分时在两行各计一次。", ""]
    for distinction, side in table.rows:
        counts = "、".join(
            f"{vocab.short_label('outcomes', o)} {table.count(distinction, side, o)}"
            for o in table.columns
            if table.count(distinction, side, o)
        )
        out.append(
            f"{coverage_row_label(distinction, side)}：{counts or '无'}（共 {table.row_total(distinction, side)}）"
        )
    none = "、".join(
        f"{vocab.short_label('outcomes', o)} {table.without_distinction[o]}"
        for o in table.columns
        if table.without_distinction.get(o)
    )
    out.append(f"未涉及三个区分开来：{none or '无'}（共 {sum(table.without_distinction.values())}）")
    out += ["", "尚未收录的类型（容错认定与问责类结果中的空格）："]
    gaps = coverage_gap_lines(table)
    out += [f"- {line}" for line in gaps] or ["- 无：每一种组合都已有案例"]
    return "\n".join(out) + "\n"


HOME_INTRO = """\
本站汇集各地纪检监察机关公开通报的容错纠错典型案例，经匿名化处理后按统一体例整理：
每个案例写明基本案情、违反的规定、对照“三个区分开来”的分析、“六看”各因素的认定、
处理结果、纠错措施和结果运用，并给出要旨和思考题。

- **查找案例**：在页面顶部的搜索框输入关键词，如“容缺办理”“澄清正名”“人防”；
  或从[浏览](browse/index.md)页按三个区分开来、处理结果、工作领域、地区、年份、违反的规定查找。
- **研判新情况**：对照相似案例的“六看”认定和处理结果，把握容错与不容错的界线。先例只供参考，不代替集体研究决定。
- **培训教学**：每个案例页都可作为案例教学材料，“思考题”可用于课堂讨论。
- **数据下载**：[统计](stats.md)页提供图表和数据表，[数据下载](data.md)页提供 JSON 和 CSV 文件。
"""


def render_home(cases: Sequence[Case], edition: str) -> str:
    current = counted(cases)
    out = [front_matter("首页", search={"exclude": True}), "# 容错纠错典型案例库\n\n"]
    if edition == "internal":
        out.append(_INTERNAL_BANNER)
    out.append(HOME_INTRO + "\n")
    counts = "、".join(f"{OUTCOME.label(k)} {n} 个" for k, n in count(current, OUTCOME))
    out.append(
        f'<p class="cb-headline">现收录案例 <strong data-count="total">{len(current)}</strong> 个：{counts}。</p>\n\n'
    )
    out.append("## 最新案例\n\n" + _case_table("index.md", latest(current, 10)))
    return "".join(out)


_INTERNAL_BANNER = (
    '<div class="admonition danger cb-internal"><p class="admonition-title">内部版</p>'
    "<p>本版本含内部参考案例，仅供容错免责裁定委员会使用，不得对外发布。</p></div>\n\n"
)


def human_size(size: int) -> str:
    """A file size as a reader says it: 850 字节， 12.3 KB, 1.4 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def render_data_page(count_public: int, sizes: Mapping[str, int] | None = None) -> str:
    """The data page: each download with its size, and what every CSV column holds."""
    sizes = sizes or {}

    def size(name: str) -> str:
        return human_size(sizes[name]) if name in sizes else "—"

    guide = "".join(f"| {safe(column)} | {safe(meaning)} |\n" for column, meaning in exports.column_guide())
    return (
        front_matter("数据下载", search={"exclude": True})
        + "# 数据下载\n\n"
        + f"本站全部 {count_public} 个案例的结构化数据，可用于统计分析或导入其他系统：\n\n"
        + "| 文件 | 大小 | 内容 |\n|---|---:|---|\n"
        + f"| [cases.json](data/cases.json) | {size('data/cases.json')} "
        + "| 全部字段，结构与案例文件一致，另加页面网址 |\n"
        + f"| [cases.csv](data/cases.csv) | {size('data/cases.csv')} "
        + "| 每个案例一行：分类、六看认定、要旨等（UTF-8，可直接用 Excel、WPS 打开） |\n"
        + f"| [case.schema.json](data/case.schema.json) | {size('data/case.schema.json')} "
        + "| 案例字段说明（JSON Schema） |\n\n"
        + "## cases.csv 各列说明 { #csv-columns }\n\n"
        + "多个取值写在同一格时用分号隔开；以 = + - @ 开头的文字前加了一个单引号，以免电子表格当作公式。\n\n"
        + "| 列 | 内容 |\n|---|---|\n"
        + guide
    )


def render_internal_banner() -> str:
    return _INTERNAL_BANNER


PageRenderer = Callable[[Sequence[Case]], dict[str, str]]


# --- collections ---------------------------------------------------------------


def collection_path(collection: Collection) -> str:
    return f"collections/{collection.id}.md"


def download_path(collection: Collection, edition: str) -> str:
    """Where the site offers a collection's printed casebook (``student`` or ``teacher`` edition)."""
    return f"downloads/{collection.id}-{edition}.pdf"


def _downloads_html(collection: Collection, page: str) -> str:
    links = [
        f'<a class="md-button" href="{html_href(page, download_path(collection, edition))}">{label}\uff08PDF\uff09</a>'
        for edition, label in (("student", "学员版读本"), ("teacher", "教师版读本"))
    ]
    return (
        f'<p class="cb-downloads">{" ".join(links)}</p>\n\n'
        f'<p class="cb-downloads-note">学员版只有{student_headings()}，留出作答空白；'
        "教师版另含处理结果、分析和教学提示。</p>\n\n"
    )


def prompt_title(entry: CollectionEntry, case: Case) -> str:
    """The title students see: the teacher's neutral prompt, else the case title."""
    return entry.prompt or case.title


def meta_line(case: Case) -> str:
    """Place, field and role in one line, as the collection pages and the printed casebooks head a case."""
    return f"{region_name(case)} · {vocab.label('domains', case.domain)} · {vocab.label('roles', case.person.role)}"


def edition_html(case: Case, entry: CollectionEntry, ruling: bool) -> str:
    """The sections of one entry an edition shows, each under an ``<h4>``: what students read before judging
    (``ruling`` false), or what the teacher edition and the folded ruling add (``ruling`` true)."""
    parts = []
    for section in SECTIONS:
        if section.student != ruling and (section.student or section.teacher):
            body = _edition_body(section, case, entry)
            if body:
                parts.append(f"<h4>{safe(section.heading(case, booklet=True))}</h4>{body}")
    return "".join(parts)


def _edition_body(section: Section, case: Case, entry: CollectionEntry) -> str:
    if section.id == "questions":  # the teacher's own questions follow the case's
        questions = [*case.questions, *entry.questions]
        return items(questions, ordered=True) if questions else ""
    if section.booklet_texts is not None:
        printed = section.printed(case)
        return items(printed) if printed else ""
    return section_html(section, case)


def student_headings() -> str:
    """What the student edition holds, in words (案情、涉及的规定和讨论题)."""
    names = [section.booklet_title or section.title for section in SECTIONS if section.student]
    return "、".join(names[:-1]) + "和" + names[-1] if len(names) > 1 else "".join(names)


def _ruling_html(case: Case, entry: CollectionEntry, page: str) -> str:
    """Everything that gives the ruling away, for the folded block: the teacher edition's sections."""
    title = (
        f'<p class="cb-ruling-title">案例原标题：'
        f'<a href="{html_href(page, case_path(case))}">{safe(case.title)}</a></p>'
    )
    return title + edition_html(case, entry, ruling=True)


def render_collection(collection: Collection, cases: dict[str, Case]) -> str:
    """A collection page: introduction, then each case with its ruling folded away until clicked."""
    page = collection_path(collection)
    out = [front_matter(f"专题：{collection.title}", search={"exclude": True})]
    out.append(f"# 专题：{safe(collection.title)}\n\n")
    out.append(
        f'<p class="cb-audience">适用对象：{safe(collection.audience)}；共 {len(collection.cases)} 个案例。</p>\n\n'
    )
    out.append(f'<div class="cb-intro">{paragraphs(collection.introduction)}</div>\n\n')
    out.append(_downloads_html(collection, page))
    out.append('<p class="cb-howto">每个案例先读案情、思考讨论题，自己作出研判，再点开“处理结果与分析”核对。</p>\n\n')
    for n, entry in enumerate(collection.cases, start=1):
        case = cases[entry.case]
        body = [f'<p class="cb-meta-line">{safe(meta_line(case))}</p>', edition_html(case, entry, ruling=False)]
        body.append(
            '<details class="note cb-ruling"><summary>处理结果与分析（先自行研判，再点开）</summary>'
            f"{_ruling_html(case, entry, page)}</details>"
        )
        out.append(f"## 案例{n}：{safe(prompt_title(entry, case))} {{ #case-{n} }}\n\n")
        out.append(f'<div class="cb-section">{"".join(body)}</div>\n\n')
    return "".join(out)


def render_collections_index(collections: Sequence[Collection]) -> str:
    out = [front_matter("教学专题", search={"exclude": True}), "# 教学专题\n\n"]
    out.append("按主题编排的案例教学材料：先读案情、自己研判，再看处理结果。")
    out.append("每个专题页都可下载学员版和教师版 PDF 读本，直接打印用于课堂。\n\n")
    out.append("| 专题 | 适用对象 | 案例数 |\n|---|---|---:|\n")
    for collection in collections:
        target = link("collections/index.md", collection_path(collection))
        out.append(
            f"| [{safe(collection.title)}]({target}) | {safe(collection.audience)} | {len(collection.cases)} |\n"
        )
    return "".join(out)
