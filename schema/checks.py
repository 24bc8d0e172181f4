"""Rules that span fields of one case, or cases of the corpus."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from casebook.schema.giveaway import find_giveaways, giveaway_message
from casebook.schema.loader import LoadedFile, Path_
from casebook.schema.models import Case, Collection, CollectionEntry
from casebook.schema.problems import Problem, field_path
from casebook.schema.reading import read
from casebook.schema.sections import SECTIONS


@dataclass(frozen=True)
class LoadedCase:
    """A validated case and the file it came from (for lines in messages)."""

    case: Case
    source: LoadedFile


@dataclass(frozen=True)
class LoadedCollection:
    """A validated collection and the file it came from."""

    collection: Collection
    source: LoadedFile


Dated = tuple[Path_, str, str | None]


def _not_before(earlier: str, later: str) -> bool:
    """Whether partial date ``later`` is not before ``earlier`` at their common precision."""
    n = min(len(earlier), len(later))
    return earlier[:n] <= later[:n]


def _earliest_day(partial: str) -> dt.date:
    parts = [int(p) for p in partial.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _dated_fields(case: Case) -> list[tuple[Path_, str, str]]:
    """Every date in the case as ``(path, label, value)``."""
    status = case.publication.status
    dates: list[tuple[Path_, str, str | None]] = [
        (("publication", "published"), "发布日期", case.publication.published),
        (("publication", "status", "issued"), "收录日期", status.issued),
        (("publication", "status", "modified"), "修订日期", status.modified),
        (("publication", "status", "withdrawn"), "撤回日期", status.withdrawn),
        (("outcome", "decided"), "决定日期", case.outcome.decided),
    ]
    dates += [(("procedure", i, "date"), f"程序第 {i + 1} 步日期", s.date) for i, s in enumerate(case.procedure)]
    return [(path, name, value) for path, name, value in dates if value]


def check_case(loaded: LoadedCase, today: dt.date) -> list[Problem]:
    """Dates in order, none in the future, a complete withdrawal, no self-reference."""
    case, source = loaded.case, loaded.source
    problems: list[Problem] = []

    def report(path: Path_, code: str, message: str) -> None:
        problems.append(Problem(source.display, source.line_of(path), field_path(path), code, message))

    for path, name, value in _dated_fields(case):
        if _earliest_day(value) > today:
            report(path, "CB205", f"{name} {value} 晚于今天（{today.isoformat()}）")

    status = case.publication.status
    published: Dated = (("publication", "published"), "发布日期", case.publication.published)
    issued: Dated = (("publication", "status", "issued"), "收录日期", status.issued)
    modified: Dated = (("publication", "status", "modified"), "修订日期", status.modified)
    withdrawn: Dated = (("publication", "status", "withdrawn"), "撤回日期", status.withdrawn)
    steps: list[Dated] = [
        (("procedure", i, "date"), f"第 {i + 1} 步", step.date) for i, step in enumerate(case.procedure) if step.date
    ]
    for (_, first_name, first), (path, second_name, second) in [
        (published, issued),
        (issued, modified),
        (issued, withdrawn),
        *itertools.pairwise(steps),
    ]:
        if first and second and not _not_before(first, second):
            report(path, "CB204", f"{second_name} {second} 早于{first_name} {first}")

    if status.state == "withdrawn" and not (status.withdrawn and status.reason):
        report(("publication", "status"), "CB206", "已撤回的案例须写明撤回日期 withdrawn 和原因 reason")
    if status.state == "current" and (status.withdrawn or status.reason):
        report(("publication", "status", "state"), "CB206", "写了撤回日期或原因，但状态不是 withdrawn")
    for i, related in enumerate(case.related):
        if related == case.id:
            report(("related", i), "CB207", "相关案例不能是本案自身")
    return problems


def check_corpus(cases: Sequence[LoadedCase], elsewhere: frozenset[str] = frozenset()) -> list[Problem]:
    """Unique ids, ids equal to file names, related cases that exist (here, or among the ids ``elsewhere``:
    the other case files of the cases folder when only some files are validated)."""
    problems: list[Problem] = []
    by_id: dict[str, list[LoadedCase]] = defaultdict(list)
    for loaded in cases:
        by_id[loaded.case.id].append(loaded)
    for loaded in cases:
        case, source = loaded.case, loaded.source
        if source.path.stem != case.id:
            problems.append(
                Problem(
                    source.display,
                    source.line_of(("id",)),
                    "id",
                    "CB202",
                    f"编号 “{case.id}” 与文件名 “{source.path.name}” 不一致：文件应命名为 {case.id}.yaml",
                )
            )
        twins = [other.source.display for other in by_id[case.id] if other is not loaded]
        if twins:
            problems.append(
                Problem(
                    source.display,
                    source.line_of(("id",)),
                    "id",
                    "CB201",
                    f"编号 “{case.id}” 与 {'、'.join(twins)} 重复",
                )
            )
        for i, related in enumerate(case.related):
            if related != case.id and related not in by_id and related not in elsewhere:
                problems.append(
                    Problem(
                        source.display,
                        source.line_of(("related", i)),
                        f"related[{i}]",
                        "CB203",
                        f"相关案例 “{related}” 不存在",
                    )
                )
    return problems


def check_collections(collections: Sequence[LoadedCollection], cases: dict[str, Case]) -> list[Problem]:
    """Ids unique and equal to file names; every case exists, once, and may be shown to the audience."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}

    def report(
        source: LoadedFile, path: Path_, code: str, message: str, severity: str = "error", line: int | None = None
    ) -> None:
        line = line if line is not None else source.line_of(path)
        problems.append(Problem(source.display, line, field_path(path), code, message, severity))  # type: ignore[arg-type]

    for loaded in collections:
        collection, source = loaded.collection, loaded.source
        if source.path.stem != collection.id:
            report(
                source,
                ("id",),
                "CB202",
                f"编号 “{collection.id}” 与文件名 “{source.path.name}” 不一致：文件应命名为 {collection.id}.yaml",
            )
        if collection.id in seen:
            report(source, ("id",), "CB201", f"专题编号 “{collection.id}” 与 {seen[collection.id]} 重复")
        seen.setdefault(collection.id, source.display)
        listed: dict[str, int] = {}
        texts = booklet_texts(collection)
        for i, entry in enumerate(collection.cases):
            path = ("cases", i, "case")
            case = cases.get(entry.case)
            if entry.case in listed:
                report(
                    source, path, "CB403", f"案例 “{entry.case}” 在本专题中重复（第 {listed[entry.case] + 1} 项已列出）"
                )
            listed.setdefault(entry.case, i)
            if case is None:
                report(source, path, "CB401", f"案例 “{entry.case}” 不存在")
            elif collection.visibility == "public" and not case.is_public:
                report(source, path, "CB402", f"公开专题不能收入内部案例 “{entry.case}”")
            elif case.publication.status.state == "withdrawn":
                report(source, path, "CB404", f"案例 “{entry.case}” 已撤回，不宜用于教学", "warning")
            if case is not None:
                texts += student_texts(entry, case, i)
        for where, label, text in texts:
            reading = read(text)
            for found in find_giveaways(reading, booklet=True):
                message = giveaway_message(f"学员版的{label}", found.kind, found.phrases)
                # A case's own text stands in its case file: point to the entry that brings it in.
                line = None if where[-1] == "case" else source.line_at(where, text, reading.raw_offset(found.start))
                report(source, where, "CB311", message, line=line)
    return problems


def booklet_texts(collection: Collection) -> list[tuple[Path_, str, str]]:
    """What the student edition prints of the collection itself: title, audience, introduction."""
    return [
        (("title",), "标题", collection.title),
        (("audience",), "适用对象", collection.audience),
        (("introduction",), "导语", collection.introduction),
    ]


def student_texts(entry: CollectionEntry, case: Case, index: int) -> list[tuple[Path_, str, str]]:
    """What the student edition shows of one entry before the ruling: ``(path in the collection, label, text)``.

    The title (the neutral prompt, else the case title), then the words of
    every section ``schema.sections`` shows students, as the edition prints
    them, and the teacher's own discussion questions.
    """
    at: Path_ = ("cases", index)
    texts: list[tuple[Path_, str, str]] = [
        (
            (*at, "prompt") if entry.prompt else (*at, "case"),
            "标题" if entry.prompt else f"标题（案例 {case.id} 的标题，可加 prompt 改写）",
            entry.prompt or case.title,
        ),
    ]
    for section in SECTIONS:
        if section.student:
            label = f"{section.heading(case, booklet=True)}（案例 {case.id} 的 {section.source}）"
            texts += [((*at, "case"), label, text) for text in section.printed(case)]
    texts += [((*at, "questions", n), "补充讨论题", q) for n, q in enumerate(entry.questions)]
    return texts
