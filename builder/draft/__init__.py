"""``casebook draft``: from a published notice to one draft case file per case it reports.

The pipeline, one pure stage each: read the source (``sources``) → take
names and personal numbers out (``mask``) → find the cases (``split``) →
read each case's fields (``fields``) → write the YAML (``emit``). Only
:func:`write_drafts` touches the disk, and it never replaces a file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.schema import Problem, clock, load_corpus
from casebook.schema import vocabulary as vocab

from .emit import INFERRED, draft_text
from .fields import CaseFields, NoticeFacts, notice_facts, read_case
from .mask import Removal, Replacement, mask_names, names_left, remove_numbers
from .sources import SUFFIXES, Notice, SourceError, read_notice
from .split import split_cases

__all__ = [
    "INFERRED",
    "SUFFIXES",
    "Draft",
    "DraftedNotice",
    "SourceError",
    "draft_notice",
    "review",
    "write_drafts",
]

_OPTIONAL_LISTS = ("rules_breached", "distinctions", "correction", "use_of_result")


@dataclass(frozen=True)
class Draft:
    """One draft case: its id, its YAML text and what the passage did not say."""

    case_id: str
    text: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftedNotice:
    """The drafts of one notice and what was taken out of it on the way."""

    source: Path
    drafts: tuple[Draft, ...]
    replacements: tuple[Replacement, ...] = ()
    removals: tuple[Removal, ...] = ()
    names_left: tuple[str, ...] = field(default=())


def _slug(path: Path) -> str:
    words = re.findall(r"[a-z0-9]+", path.stem.lower())
    return "-".join(words)[:40].strip("-") or "notice"


def _nest(values: dict[tuple[str | int, ...], Any]) -> dict[str, Any]:
    """Field paths → nested mappings and lists (list indexes are consecutive from 0)."""
    root: dict[str, Any] = {}
    for path, value in values.items():
        node: Any = root
        for part, following in itertools.pairwise(path):
            if isinstance(part, int):
                while len(node) <= part:
                    node.append({} if isinstance(following, str) else None)
                node = node[part]
            else:
                node = node.setdefault(part, [] if isinstance(following, int) else {})
        last = path[-1]
        if isinstance(last, int):
            while len(node) <= last:
                node.append(None)
            node[last] = value
        else:
            node[last] = value
    return root


def _case_data(case_id: str, fields: CaseFields, notice: NoticeFacts, today: dt.date) -> dict[str, Any]:
    """The draft in the order of the case template; what the passage does not say left blank for the editor."""
    found = _nest({path: item.value for path, item in fields.values.items()})
    publication = {
        "publisher": notice.publisher.value if notice.publisher else "",
        "published": notice.published.value if notice.published else "",
        "sources": [{"url": notice.url or ""}],
        "visibility": "public",
        "status": {"state": "current", "issued": today.isoformat()},
    }
    data: dict[str, Any] = {
        "id": case_id,
        "title": found.get("title", ""),
        "subtitle": found.get("subtitle", ""),
        "keywords": found.get("keywords") or [""],
        "publication": publication,
        "region": found.get("region", {}),
        "person": {
            "alias": "",
            "role": "",
            **found.get("person", {}),
        },
        "domain": found.get("domain", ""),
        "facts": found.get("facts", ""),
    }
    data["person"].setdefault("level", "unknown")
    for key in ("rules_breached", "distinctions"):
        data[key] = found.get(key, [])
    data["six_looks"] = {f: found["six_looks"][f] for f in vocab.ids("factors") if f in found.get("six_looks", {})}
    data["outcome"] = {"result": "", "wording": "", **found.get("outcome", {})}
    for key in ("correction", "use_of_result"):
        data[key] = found.get(key, [])
    data.update(key_point="", lessons=[""], questions=[""])
    return data


def _notes(fields: CaseFields, notice: NoticeFacts) -> dict[tuple[str | int, ...], str]:
    notes = {path: item.quote for path, item in fields.values.items() if item.quote}
    for path, item in (
        (("publication", "publisher"), notice.publisher),
        (("publication", "published"), notice.published),
    ):
        if item is not None and item.quote:
            notes[path] = item.quote
    return notes


def draft_notice(
    path: Path, today: dt.date | None = None, url: str | None = None, published: str | None = None
) -> DraftedNotice:
    """The drafts of the notice in ``path`` (nothing is written); raises :class:`SourceError` for an unreadable file.

    ``url`` and ``published`` are what the editor knows and the file does not carry (they win over the file's).
    """
    today = today or clock.today()
    notice: Notice = read_notice(path)
    text, replacements = mask_names(notice.paragraphs)
    text, removals = remove_numbers(text)
    header, _ = mask_names(notice.header)
    header, _ = remove_numbers(header)
    title = notice.title or text[0]
    facts = notice_facts(title, text, header, url or notice.url, published or notice.date, today)
    if published:
        facts = NoticeFacts(facts.publisher, None, facts.province, facts.url, facts.title)
    passages = split_cases(text)
    year = (published or (facts.published.value if facts.published else "") or str(today.year))[:4]
    drafts = []
    for number, passage in enumerate(passages, start=1):
        case_id = f"{year}-draft-{_slug(path)}-{number}"
        fields = read_case(passage, facts)
        data = _case_data(case_id, fields, facts, today)
        if published:
            data["publication"]["published"] = published
        intro = [
            f"由 casebook draft 据 {path.name} 起草（第 {number} 个案例，共 {len(passages)} 个）。",
            "带“据原文推断”注释的字段是从原文读出的，请逐项核对，核对后删去注释；",
            "要旨（key_point）、启示（lessons）、思考题（questions）请编辑撰写。",
        ]
        if fields.kind is not None:
            intro.append(f"案件类型（据原文推断）：{fields.kind.value}（依据：“{fields.kind.quote}”）。")
        drafts.append(Draft(case_id, draft_text(data, _notes(fields, facts), intro), tuple(fields.missing)))
    left = names_left([d.text for d in drafts])
    return DraftedNotice(path, tuple(drafts), tuple(replacements), tuple(removals), tuple(left))


def write_drafts(drafted: DraftedNotice, folder: Path) -> tuple[list[Path], list[Path]]:
    """Write each draft as ``folder/<id>.yaml``; an existing file is never replaced. Returns (written, refused)."""
    folder.mkdir(parents=True, exist_ok=True)
    written, refused = [], []
    for draft in drafted.drafts:
        target = folder / f"{draft.case_id}.yaml"
        try:
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(draft.text)
        except FileExistsError:
            refused.append(target)
            continue
        written.append(target)
    return written, refused


@dataclass(frozen=True)
class Review:
    """What is still to do in one written draft: the validator's problems and the parts only an editor writes."""

    path: Path
    problems: tuple[Problem, ...]
    to_write: tuple[str, ...]  # file:line: 说明, in Chinese
    inferred: int  # fields marked 据原文推断


def review(paths: list[Path], today: dt.date | None = None) -> list[Review]:
    """Validate written drafts and list per file what is still to write (key point, lessons, questions)."""
    corpus = load_corpus(paths, today=today)
    reviews = []
    for path in paths:
        shown = next((c.source.display for c in corpus.cases if c.source.path == path), None)
        problems = tuple(p for p in corpus.problems if Path(p.file).resolve() == path.resolve() or p.file == shown)
        lines = path.read_text(encoding="utf-8").splitlines()
        to_write = []
        for key, what in (("key_point", "要旨"), ("lessons", "启示（培训用）"), ("questions", "思考题（培训用）")):
            if any(p.field == key for p in problems):
                continue  # the validator already says so
            number = next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None)
            if (number is not None and lines[number - 1].rstrip().endswith(('""', "''"))) or (
                number is not None and number < len(lines) and lines[number].strip() in ('- ""', "- ''")
            ):
                to_write.append(f"{path}:{number}: {key}: 尚待撰写{what}")
        inferred = sum(1 for line in lines if line.lstrip().startswith(INFERRED))
        reviews.append(Review(path, problems, tuple(to_write), inferred))
    return reviews
