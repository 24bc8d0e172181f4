"""The precedent finder's verbs: turn what the committee knows into a query, and run it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from casebook.schema import CaseError, clock, load_draft, release
from casebook.schema import vocabulary as vocab
from casebook.search.index import CaseIndex, corpus_version
from casebook.search.records import Record, record_of, record_of_description
from casebook.search.report import ReportContext
from casebook.search.similar import Finding


@dataclass(frozen=True)
class Description:
    """What a committee tells the finder about a new case: a draft file and/or free text and known facets."""

    draft: Path | None = None
    text: str | None = None
    factors: dict[str, str] = field(default_factory=dict)
    distinctions: tuple[str, ...] = ()
    domain: str | None = None
    rules: tuple[str, ...] = ()
    role: str | None = None
    level: str | None = None


def query_record(description: Description) -> Record:
    """The query: a draft case file and/or free text, with the options overriding the draft.

    Raises :class:`CaseError` when the draft does not validate (same messages as ``validate``).
    """
    draft, text, factors = description.draft, description.text, description.factors
    distinctions, domain, rules = description.distinctions, description.domain, description.rules
    role, level = description.role, description.level
    if draft is not None:
        parsed, problems = load_draft(draft)
        errors = [p for p in problems if p.severity == "error"]
        if parsed is None or errors:
            raise CaseError(errors or problems)
        base = record_of(parsed, extra_text=text or "")
    else:
        base = record_of_description(text or "")
    looks = {**base.looks, **{k: v for k, v in factors.items() if v != "unknown"}}
    for name, value in factors.items():
        if value == "unknown":
            looks.pop(name, None)
    return dataclasses.replace(
        base,
        outcome=None,  # a query never carries an outcome: the committee has not decided yet
        looks=looks,
        distinctions=tuple(sorted(set(base.distinctions or ()) | set(distinctions)))
        if base.distinctions is not None or distinctions
        else None,
        domain=domain or base.domain,
        rules=tuple(sorted(set(base.rules) | set(rules))),
        role=role or base.role,
        level=level or base.level,
    )


def find(index: CaseIndex, query: Record, k: int, include_internal: bool) -> tuple[Finding, str]:
    """The ``k`` nearest precedents and a sentence saying where they were looked for."""
    precedents = index.precedents
    eligible = [r for r in precedents.records if r.current and (include_internal or r.public)]
    internal = sum(1 for r in eligible if not r.public)
    scope = (
        f"公开案例 {len(eligible)} 个"
        if not include_internal
        else f"全部现行案例 {len(eligible)} 个(其中内部案例 {internal} 个)"
    )
    return precedents.similar(query, k, include_internal=include_internal), scope


def describe_query(
    description: Description,
    by: str,
    date: str | None,
    cases_dir: Path,
    index: CaseIndex,
    scope: str,
) -> ReportContext:
    """Everything the report records about the search besides its results."""
    draft, text, factors = description.draft, description.text, description.factors
    distinctions, domain, rules = description.distinctions, description.domain, description.rules
    role, level = description.role, description.level
    lines = []
    if text:
        lines.append(f"文字描述:{text}")
    lines += [f"六看 {vocab.label('factors', k)}:{vocab.label('factor_values', v)}" for k, v in factors.items()]
    lines += [f"三个区分开来:{vocab.label('distinctions', d)}" for d in distinctions]
    if domain:
        lines.append(f"工作领域:{vocab.label('domains', domain)}")
    lines += [f"违反的规定:{r}" for r in rules]
    if role:
        lines.append(f"身份类别:{vocab.label('roles', role)}")
    if level:
        lines.append(f"职级:{vocab.label('levels', level)}")
    if draft is not None:
        body = draft.read_text(encoding="utf-8-sig")
        if lines:
            body += "\n# 命令行补充条件:\n" + "\n".join(f"# {line}" for line in lines)
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
    )
