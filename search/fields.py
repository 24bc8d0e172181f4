"""What a reader can search for in a case: its reader-visible text, by search field.

One definition serves both indexes, so that ``casebook search`` and the
site's own search see the same words: the Whoosh index of the command line
(``search/index.py``) and the sharded index the site's search page reads
(``builder/siteindex.py``). Every field a case page shows is here, as the
page shows it (vocabulary ids as their Chinese labels), except dates and
source addresses, which are facets or not words. ``editor_notes`` is never
read: it must not reach any index.
"""

from __future__ import annotations

from casebook.schema import Case
from casebook.schema import vocabulary as vocab

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


def _lines(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def text_fields(case: Case) -> dict[str, str]:
    """The reader-visible text of ``case`` by search field (the keys of :data:`FIELD_BOOSTS`).

    Parts are joined by line breaks, which jieba never segments across.
    """
    person = case.person
    region = case.region
    body = [
        vocab.label("outcomes", case.outcome.result),
        case.outcome.wording,
        case.outcome.decided_by,
        *case.correction,
        *case.use_of_result,
        *(_lines(vocab.label("procedure_steps", step.step), step.body, step.note) for step in case.procedure),
        *case.lessons,
        *case.questions,
        *(
            _lines(
                vocab.label("distinctions", d.distinction),
                vocab.label("distinction_sides", d.side),
                vocab.label("distinction_sources", d.source),
                d.reasoning,
            )
            for d in case.distinctions
        ),
        *(finding.note for finding in case.six_looks.values()),
        region.province,
        region.city,
        region.district,
        person.alias,
        person.position,
        vocab.label("roles", person.role),
        vocab.label("levels", person.level) if person.level != "unknown" else None,
        vocab.label("domains", case.domain),
        case.publication.publisher,
        case.publication.date_note,
        *(source.title for source in case.publication.sources),
        case.notes,
    ]
    return {
        "title": case.title,
        "subtitle": case.subtitle,
        "keywords": "\n".join(case.keywords),
        "key_point": case.key_point,
        "rules": "\n".join(_lines(r.regulation, r.article, r.summary) for r in case.rules_breached),
        "facts": case.facts,
        "body": _lines(*body),
    }
