"""Anonymisation lint: personal data that must never be published.

Runs over the raw data of a case (every string, wherever it sits) so that it
reports the line of the offending text even when the case is otherwise
invalid. Each text is checked as a reader gets it (:mod:`casebook.schema.reading`:
lines joined as the pages join them, invisible characters gone, traditional
characters folded), and each finding points back to the line the editor wrote.
Source URLs are checked for personal numbers too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from casebook.schema.giveaway import find_giveaways, giveaway_message
from casebook.schema.loader import LoadedFile, Path_
from casebook.schema.names import find_names
from casebook.schema.numbers import (
    BANK_CARD,
    EMAIL,
    HOME_ADDRESS,
    ID_CARD,
    LANDLINE,
    MOBILE,
    PLATE,
    find_in_url,
    find_numbers,
)
from casebook.schema.problems import Problem, field_path
from casebook.schema.reading import Reading, read

_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|(?:产业|创新|工业|科技)园(?!区))")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()()]")
# Words that end the phrase before a name: "施工方为|淮安宏达建设有限公司".
_NAME_STOPS = set("为是的在与和由向给被对及等将把从了")
_QUOTED_PROJECT = re.compile(r"[“\"「][^”\"」]{2,20}[”\"」](?:项目|工程)")
_MASKED_ALIAS = re.compile(r"某")
# Fields that never reach a reader: the editors' own remarks, and the declaration of names itself.
_UNSEEN_KEYS = {"editor_notes", "published_names"}
_URL_KEYS = {"url"}
# What a student reads before deciding: the facts, the rules and the questions.
STUDY_FIELDS = ("facts", "rules_breached", "questions")


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in _UNSEEN_KEYS:
                yield from _strings(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, (*path, i))


_NUMBER_WORDS = {
    ID_CARD: "身份证号码",
    MOBILE: "手机号码",
    LANDLINE: "固定电话号码",
    EMAIL: "电子邮箱",
    PLATE: "机动车号牌",
    BANK_CARD: "银行卡号",
    HOME_ADDRESS: "门牌级住址",
}


def normalise(text: str) -> str:
    """Text as the lint reads it: see :func:`casebook.schema.reading.read`."""
    return read(text).text


def _company_names(text: str) -> Iterator[tuple[int, str]]:
    """Names of companies and projects that may point to the person: ``(start, name)``."""
    for match in _COMPANY_SUFFIX.finditer(text):
        name = _name_before(text, match.start(), match.end())
        if name:
            yield match.end() - len(name), name
    for match in _QUOTED_PROJECT.finditer(text):
        yield match.start(), match.group()


def _name_before(text: str, start: int, end: int) -> str | None:
    """The proper name ending in the suffix at ``start:end``, or None for a bare "集团"."""
    begin = start
    while begin > 0 and start - begin < 12 and _NAME_CHAR.match(text[begin - 1]) and text[begin - 1] not in _NAME_STOPS:
        begin -= 1
    return text[begin:end] if start - begin >= 2 else None


def _declared_names(data: dict[str, Any]) -> frozenset[str]:
    declared = data.get("published_names")
    if not isinstance(declared, list):
        return frozenset()
    return frozenset(normalise(d["name"]) for d in declared if isinstance(d, dict) and isinstance(d.get("name"), str))


def _is_public(data: dict[str, Any]) -> bool:
    """Whether the file is meant for the public site: a case or collection unless marked internal.

    A draft for precedent search (no publication, no cases) is never published.
    """
    publication = data.get("publication")
    if isinstance(publication, dict):
        return publication.get("visibility", "public") != "internal"
    return "cases" in data and data.get("visibility", "public") != "internal"


def _control_characters(text: str) -> list[str]:
    """The control characters in ``text`` (an escape such as ``"\\e"`` puts them there), named by code point."""
    found = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in found))


def lint(loaded: LoadedFile) -> list[Problem]:
    """Return the anonymisation problems of one loaded case (or collection, or draft) file.

    Unmasked names are errors in a public case or collection (warnings in an
    internal one or a draft), except those declared under ``published_names``;
    a case's study text (facts, rules, questions) that states the ruling is a warning.
    """
    data = loaded.data
    problems: list[Problem] = []

    def report(path: Path_, code: str, message: str, severity: str = "error", line: int | None = None) -> None:
        line = line if line is not None else loaded.line_of(path)
        problems.append(Problem(loaded.display, line, field_path(path), code, message, severity))  # type: ignore[arg-type]

    def report_at(path: Path_, reading: Reading, start: int, code: str, message: str, severity: str = "error") -> None:
        report(path, code, message, severity, loaded.line_at(path, reading.source, reading.raw_offset(start)))

    person = data.get("person") if isinstance(data.get("person"), dict) else {}
    alias = person.get("alias") if isinstance(person.get("alias"), str) else None
    if alias and not _MASKED_ALIAS.search(alias):
        report(("person", "alias"), "CB301", f"化名 “{alias}” 未打码：只能写成 谢某某、次某 这样的形式")
    allowed = _declared_names(data)
    public = _is_public(data)
    readings: list[str] = []
    for path, text in _strings(data, ()):
        controls = _control_characters(text)
        if controls:
            message = f"含控制字符 {'、'.join(controls)}：网页、PDF 和终端会隐藏或误显示这些字符，请删除"
            report(path, "CB111", message)
        if path[-1:] and path[-1] in _URL_KEYS:
            for finding in find_in_url(text):
                message = f"来源网址中含{_NUMBER_WORDS[finding.code]} “{finding.text}”，发布前必须删除"
                report(path, finding.code, message)
            continue
        reading = read(text)
        readings.append(reading.text)
        for finding in find_numbers(reading.text):
            message = f"含{_NUMBER_WORDS[finding.code]} “{finding.text}”，发布前必须删除"
            report_at(path, reading, finding.start, finding.code, message)
        for start, name in _company_names(reading.text):
            if "某" not in name:
                message = f"“{name}” 像是具体企业或项目的名称，可能指向当事人，建议改为“某公司”“某项目”"
                report_at(path, reading, start, "CB310", message, "warning")
        if path == ("person", "alias"):
            continue
        for found in find_names(reading.text, allowed):
            rule, severity = ("公开案例不能发布", "error") if public else ("内部案例也应打码", "warning")
            report_at(path, reading, found.start, "CB308", _name_message(found.name, rule), severity)
        if "publication" in data and path[:1] and path[0] in STUDY_FIELDS:
            for giveaway in find_giveaways(reading, booklet=False):
                message = giveaway_message("学员研判前读到的文字", giveaway.kind, giveaway.phrases)
                report_at(path, reading, giveaway.start, "CB311", message, "warning")
    declared = data.get("published_names") if isinstance(data.get("published_names"), list) else []
    for i, entry in enumerate(declared):
        declared_name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(declared_name, str) and not any(normalise(declared_name) in text for text in readings):
            message = f"声明公开的姓名 “{declared_name}” 没有出现在任何文字中"
            report(("published_names", i, "name"), "CB309", message, "warning")
    return problems


def _name_message(name: str, rule: str) -> str:
    return (
        f"“{name}” 像是未打码的真实姓名，{rule}：请改为化名（如 {name[0]}某某）；"
        "若来源本身公开此姓名且确需保留，在 published_names 中写明姓名和理由"
    )
