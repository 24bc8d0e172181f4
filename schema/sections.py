"""A case's parts in reading order, defined once: who sees each, and which words search reads from it.

The case page (``builder/render.py``), the collection pages and printed
casebooks (``builder/printing.py``), the student-edition check (CB311 in
``checks.py``) and the search text of both indexes (``search/fields.py``)
iterate these tuples, so that a section added here reaches every one of them
and a section missing from the search text shows up as a difference between
the page and the index.

:data:`HEADER` holds what stands above the sections (title, why a case was
withdrawn, subtitle, keywords, and the header table's place, person, field and publisher); :data:`SECTIONS`
the headed sections. A
section's ``texts`` are its words as search reads them, one part per line (the
index joins them with line breaks, which jieba never segments across);
the pages render the same case fields. Dates, addresses and the case id are
shown but not read: they are facets or not words. ``editor_notes`` is never
read by anything here.

Audiences: ``page`` the case page; ``student`` the student edition and a
collection page before its folded ruling; ``teacher`` what the teacher
edition and the folded ruling add. An edition shows its student sections
first, in this order, then (the teacher's) the rest of its sections, in this
order: the ruling comes after what students read before they judge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casebook.schema import vocabulary as vocab
from casebook.schema.models import Case

Texts = Callable[[Case], list[str]]


def lines(*parts: str | None) -> str:
    """The parts that are set, a blank line between two: each stays a paragraph of its own when the
    text is joined as readers read it (``schema.text.paragraphs``), the wraps within a part joined."""
    return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True)
class Section:
    """One part of a case as readers meet it."""

    id: str  # the page anchor (facts, six-looks …)
    title: str  # its heading on the case page
    texts: Texts  # its words as search reads them; no words and not ``always``: the section is left out
    field: str | None  # the search field its words go to (``None``: not searched, as sections listing other cases)
    source: str = ""  # the case field it shows, for messages
    page: bool = True
    student: bool = False
    teacher: bool = False
    booklet_title: str = ""  # its heading in the editions when it differs (neutral words before a ruling)
    alleged_title: str = ""  # its heading when the case cleared an accusation (nothing was found breached)
    booklet_texts: Texts | None = None  # the words the editions print, when fewer than the page's
    always: bool = False  # shown even without words (it then says that the case has none)

    def heading(self, case: Case, booklet: bool = False) -> str:
        """The heading of this section for ``case`` on the page, or in an edition."""
        if booklet and self.booklet_title:
            return self.booklet_title
        if self.alleged_title and vocab.outcome_group(case.outcome.result) == "cleared":
            return self.alleged_title
        return self.title

    def shown(self, case: Case) -> bool:
        return self.always or bool(self.texts(case))

    def printed(self, case: Case) -> list[str]:
        """The words an edition prints of this section (what CB311 reads for the student edition)."""
        return (self.booklet_texts or self.texts)(case)


# --- the header -------------------------------------------------------------------


def _region(case: Case) -> list[str]:
    region = case.region
    return [p for p in (region.province, region.city, region.district) if p]


def _person(case: Case) -> list[str]:
    person = case.person
    level = vocab.label("levels", person.level) if person.level != "unknown" else None
    return [p for p in (person.alias, person.position, vocab.label("roles", person.role), level) if p]


def _withdrawal(case: Case) -> list[str]:
    """Why a withdrawn case was withdrawn (the page's banner)."""
    status = case.publication.status
    return [status.reason] if status.state == "withdrawn" and status.reason else []


HEADER: tuple[Section, ...] = (
    Section("title", "标题", lambda c: [c.title], "title", "title"),
    Section("withdrawn", "本案例已撤回", _withdrawal, "body", "publication.status.reason"),
    Section("subtitle", "副标题", lambda c: [c.subtitle], "subtitle", "subtitle"),
    Section("keywords", "关键词", lambda c: list(c.keywords), "keywords", "keywords"),
    # The page's header table, row by row (a search snippet names the row it comes from).
    Section("region", "地区", _region, "body", "region"),
    Section("person", "当事人", _person, "body", "person"),
    Section("domain", "工作领域", lambda c: [vocab.label("domains", c.domain)], "body", "domain"),
    Section("publisher", "发布机关", lambda c: [c.publication.publisher], "body", "publication.publisher"),
)


# --- the sections -------------------------------------------------------------------


def _rules(case: Case) -> list[str]:
    return [lines(r.regulation, r.article, r.summary) for r in case.rules_breached]


def _rules_named(case: Case) -> list[str]:
    """The rules as the editions print them: name and article, without the page's summary."""
    return [r.regulation + (r.article or "") for r in case.rules_breached]


def _distinctions(case: Case) -> list[str]:
    return [
        lines(
            vocab.label("distinctions", d.distinction),
            vocab.label("distinction_sides", d.side),
            vocab.label("distinction_sources", d.source),
            d.reasoning,
        )
        for d in case.distinctions
    ]


def _looks(case: Case) -> list[str]:
    return [finding.note for finding in case.six_looks.values() if finding.note]


def _outcome(case: Case) -> list[str]:
    outcome = case.outcome
    return [p for p in (vocab.label("outcomes", outcome.result), outcome.wording, outcome.decided_by) if p]


def _procedure(case: Case) -> list[str]:
    return [lines(vocab.label("procedure_steps", step.step), step.body, step.note) for step in case.procedure]


def _record(case: Case) -> list[str]:
    return [p for p in (case.publication.date_note, case.notes) if p]


def _nothing(case: Case) -> list[str]:
    return []


SECTIONS: tuple[Section, ...] = (
    Section("facts", "案情", lambda c: [c.facts], "facts", "facts", student=True, teacher=True),
    Section(
        "rules",
        "违反的规定",
        _rules,
        "rules",
        "rules_breached",
        student=True,
        teacher=True,
        booklet_title="涉及的规定",
        alleged_title="被指违反的规定",
        booklet_texts=_rules_named,
    ),
    Section("distinctions", "三个区分开来", _distinctions, "body", "distinctions", teacher=True, always=True),
    Section("six-looks", "六看", _looks, "body", "six_looks", teacher=True, always=True),
    Section("outcome", "处理结果", _outcome, "body", "outcome", teacher=True, always=True),
    Section("correction", "纠错", lambda c: list(c.correction), "body", "correction", teacher=True),
    Section("use-of-result", "结果运用", lambda c: list(c.use_of_result), "body", "use_of_result", teacher=True),
    Section("procedure", "程序", _procedure, "body", "procedure", teacher=True),
    Section("key-point", "要旨", lambda c: [c.key_point], "key_point", "key_point", teacher=True),
    Section("lessons", "启示", lambda c: list(c.lessons), "body", "lessons", teacher=True),
    Section(
        "questions",
        "思考题",
        lambda c: list(c.questions),
        "body",
        "questions",
        student=True,
        teacher=True,
        booklet_title="讨论题",
    ),
    # Other cases, chosen when the site is built: no words of this case.
    Section("related", "相关案例", _nothing, None),
    Section("similar", "相似案例", _nothing, None),
    Section(
        "sources",
        "来源",
        lambda c: [s.title for s in c.publication.sources if s.title],
        "body",
        "publication.sources",
        teacher=True,
        always=True,
    ),
    Section("record", "收录信息", _record, "body", "publication", always=True),
)
SECTION_BY_ID = {section.id: section for section in SECTIONS}
