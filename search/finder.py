"""The precedent finder's verbs: turn what the committee knows into a query, and run it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from casebook.schema import CaseError, clock, load_draft, release
from casebook.schema import vocabulary as vocab
from casebook.schema.facets import DISTINCTION, DOMAIN, LEVEL, ROLE, RULE
from casebook.search.cues import LONGEST_DESCRIPTION, Reading, flow, read
from casebook.search.index import CaseIndex, corpus_version
from casebook.search.records import CaseLike, Record, Side, lean_of, record_of, record_text
from casebook.search.report import ReportContext
from casebook.search.similar import Finding, Precedents


@dataclass(frozen=True)
class Description:
    """What a committee tells the finder about a new case: a draft file and/or free text and known facets."""

    draft: Path | None = None
    text: str | None = None
    factors: dict[str, str] = field(default_factory=dict)
    distinctions: tuple[str, ...] = ()  # "motive" or "motive=not_tolerated"
    domain: str | None = None
    rules: tuple[str, ...] = ()
    role: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class Query:
    """A description made ready to score: its record, the prose its terms come from, and what was read."""

    record: Record  # without terms until :meth:`against` cuts them with a corpus model
    text: str
    reading: Reading
    read_from_text: frozenset[str]  # the facets whose value was read from the text (not given)
    truncated: bool = False

    def against(self, precedents: Precedents) -> Record:
        """The record with the text's terms as the corpus model knows them (and the words written for them)."""
        counts, written = precedents.text.read_terms(self.text)
        return dataclasses.replace(self.record, term_counts=counts, forms=written)


def _option_sides(values: tuple[str, ...]) -> dict[str, str | None]:
    sides: dict[str, str | None] = {}
    for value in values:
        name, _, side = value.partition("=")
        sides[name] = side or None
    return sides


def read_query(description: Description) -> Query:
    """The query: what the text says, overridden by the draft's fields, overridden by the options.

    Raises :class:`CaseError` when the draft does not validate (same messages as ``validate``).
    """
    parsed = None
    if description.draft is not None:
        parsed, problems = load_draft(description.draft)
        errors = [p for p in problems if p.severity == "error"]
        if parsed is None or errors:
            raise CaseError(errors or problems)
    return query_of(parsed, description)


def query_of(case: CaseLike | None, description: Description) -> Query:
    """The query of a parsed draft (or a case, its outcome hidden) and/or the description's text and options."""
    text = description.text or ""
    if case is not None:
        base = record_of(case, as_query=True)
        prose = record_text(case, as_query=True, extra_text=text)
    else:
        base = Record(None, "", None, None, {}, None, (), None, None)
        prose = text
    truncated = len(prose) > LONGEST_DESCRIPTION
    prose = flow(prose[:LONGEST_DESCRIPTION])
    reading = read(prose)
    from_text: set[str] = set()

    looks = dict(base.looks)
    for factor, value in reading.looks.items():
        if factor not in looks:
            looks[factor] = value
            from_text.add(f"looks.{factor}")
    for factor, value in description.factors.items():
        from_text.discard(f"looks.{factor}")
        if value == "unknown":
            looks.pop(factor, None)
        else:
            looks[factor] = value

    sides: dict[str, str | None] = dict(base.distinctions or ())
    for distinction, side in reading.distinctions.items():
        if distinction not in sides:
            sides[distinction] = side
            from_text.add(f"distinction.{distinction}")
    for distinction, side in _option_sides(description.distinctions).items():
        from_text.discard(f"distinction.{distinction}")
        sides[distinction] = side

    kind = reading.kind
    if kind:
        from_text.add("kind")
    elif looks or sides:
        kind = "mistake"  # factors or distinctions given: a conduct to judge
    if kind == "accusation":
        # What an accusation alleges (侵吞, 谋私 …) is not a side the case fell on.
        for distinction in [d for d in sides if f"distinction.{d}" in from_text]:
            del sides[distinction]
            from_text.discard(f"distinction.{distinction}")
    pairs: tuple[Side, ...] | None = tuple(sorted(sides.items(), key=lambda kv: kv[0])) or None
    if pairs is None and kind == "accusation":
        pairs = ()  # an accusation to verify invokes no distinction

    def pick(name: str, given: str | None, drafted: str | None, found: str | None) -> str | None:
        if given or drafted:
            return given or drafted
        if found:
            from_text.add(name)
        return found

    rules = tuple(sorted({*base.rules, *description.rules} or set(reading.rules)))
    if rules and not base.rules and not description.rules:
        from_text.add("rules")
    # What cannot be tolerated is read from the text, never from an accusation (what was alleged is no finding).
    excluded = () if kind == "accusation" else tuple(reading.exclusions)
    lean = lean_of(pairs)
    if excluded:
        lean = "not_tolerated"  # excluded from tolerance whatever the sides the text names
    record = dataclasses.replace(
        base,
        outcome=None,  # a query never carries an outcome: the committee has not decided yet
        kind=kind,
        looks=looks,
        distinctions=pairs,
        lean=lean,
        exclusions=excluded,
        forms={},
        domain=pick("domain", description.domain, base.domain, reading.domain),
        rules=rules,
        role=pick("role", description.role, base.role, reading.role),
        level=pick("level", description.level, base.level, reading.level),
        term_counts={},
    )
    return Query(record, prose, reading, frozenset(from_text), truncated)


def query_record(description: Description) -> Record:
    """The query's record without its terms (see :func:`read_query`)."""
    return read_query(description).record


def find(index: CaseIndex, query: Query, k: int, include_internal: bool) -> tuple[Finding, str]:
    """The ``k`` nearest precedents and a sentence saying where they were looked for."""
    precedents = index.precedents_for(include_internal)
    eligible = [r for r in precedents.records if r.current and (include_internal or r.public)]
    internal = sum(1 for r in eligible if not r.public)
    scope = (
        f"公开案例 {len(eligible)} 个"
        if not include_internal
        else f"全部现行案例 {len(eligible)} 个（其中内部案例 {internal} 个）"
    )
    return precedents.similar(query.against(precedents), k, include_internal=include_internal), scope


def describe_query(
    description: Description,
    by: str,
    date: str | None,
    cases_dir: Path,
    index: CaseIndex,
    scope: str,
    matter: str = "",
) -> ReportContext:
    """Everything the report records about the search besides its results."""
    draft, text, factors = description.draft, description.text, description.factors
    distinctions, domain, rules = description.distinctions, description.domain, description.rules
    role, level = description.role, description.level
    lines = []
    if text:
        lines.append(f"文字描述：{text}")
    lines += [f"六看 {vocab.label('factors', k)}：{vocab.label('factor_values', v)}" for k, v in factors.items()]
    for name, side in _option_sides(distinctions).items():
        where = f"（{vocab.label('distinction_sides', side)}）" if side else ""
        lines.append(f"{DISTINCTION.title}：{vocab.label('distinctions', name)}{where}")
    if domain:
        lines.append(f"{DOMAIN.title}：{DOMAIN.label(domain)}")
    lines += [f"{RULE.title}：{r}" for r in rules]
    lines += [f"{facet.title}：{facet.label(value)}" for facet, value in ((ROLE, role), (LEVEL, level)) if value]
    if draft is not None:
        body = draft.read_text(encoding="utf-8-sig")
        if lines:
            body += "\n# 命令行补充条件：\n" + "\n".join(f"# {line}" for line in lines)
        title, is_yaml = f"草稿案例文件 {draft.name}", True
    else:
        body, title, is_yaml = "\n".join(lines), "命令行描述", False
    version = release.version()
    return ReportContext(
        by=by,
        date=date or clock.today().isoformat(),
        corpus_version=corpus_version(cases_dir, index.fingerprint),
        scope=scope,
        query_title=title,
        query_body=body,
        query_is_yaml=is_yaml,
        tool_version=version,
        matter=matter,
    )
