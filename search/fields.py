"""What a reader can search for in a case: its reader-visible text, by search field.

One definition serves both indexes, so that ``casebook search`` and the
site's own search see the same words: the Whoosh index of the command line
(``search/index.py``) and the sharded index the site's search page reads
(``builder/siteindex.py``). What each part of a case contributes is said
once, in ``schema/sections.py``, which the pages iterate too: every field a
case page shows, as the page shows it (vocabulary ids as their Chinese
labels), except dates, source addresses and the case id, which are facets or
not words. ``editor_notes`` is never read: it must not reach any index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casebook.schema import Case
from casebook.schema.sections import HEADER, SECTIONS
from casebook.schema.text import paragraphs

# Whoosh field boosts (the CLI's BM25F weights; the site index scores with the same ones).
FIELD_BOOSTS: dict[str, float] = {
    "title": 3.0,
    "subtitle": 1.5,
    "keywords": 2.0,
    "key_point": 1.5,
    "rules": 1.5,
    "facts": 1.0,
    "body": 1.0,
}
SEARCH_FIELDS = tuple(FIELD_BOOSTS)  # in this order: a place in a case carries its field's number


@dataclass(frozen=True)
class Section:
    """One labelled part of a case's search text: the search field it belongs to, and its heading."""

    field: str
    label: str
    text: str


def text_sections(case: Case) -> list[Section]:
    """The reader-visible text of ``case`` by part (``schema.sections``: the header, then the sections in
    page order), each named as its page names it, each paragraph of each part on a line.

    A snippet of the search page names the part it comes from, such as 案情 or
    工作领域. :func:`text_fields` joins the parts of each search field.
    """
    out = []
    for section in (*HEADER, *SECTIONS):
        if section.field is None:
            continue
        text = "\n".join(p for part in section.texts(case) if part for p in paragraphs(part))
        if text:
            out.append(Section(section.field, section.heading(case), text))
    return out


def text_fields(case: Case) -> dict[str, str]:
    """The reader-visible text of ``case`` by search field (the keys of :data:`FIELD_BOOSTS`).

    Every part of the case that search reads (:func:`text_sections`), each
    paragraph of each part on a line of its field (line breaks, which jieba
    never segments across), the wraps within a paragraph joined as the pages
    join them.
    """
    return fields_of(text_sections(case))


def fields_of(sections: Iterable[Section]) -> dict[str, str]:
    """The search fields of a case's :func:`text_sections`: each field's sections, one after another."""
    joined: dict[str, list[str]] = {field: [] for field in FIELD_BOOSTS}
    for section in sections:
        joined[section.field].append(section.text)
    return {field: "\n".join(texts) for field, texts in joined.items()}
