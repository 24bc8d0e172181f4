"""Anonymisation lint: personal data that must never be published.

Runs over the raw data of a case (every string, wherever it sits) so that it
reports the line of the offending text even when the case is otherwise
invalid. Source URLs are exempt: they are addresses, not text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from casebook.schema.loader import LoadedFile, Path_
from casebook.schema.names import find_names
from casebook.schema.problems import Problem, field_path

_ID_CARD = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"(?<![\d.])(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![\d.])")
_LANDLINE = re.compile(r"(?<!\d)(?:[((]0\d{2,3}[))]\s?|0\d{2,3}-)\d{7,8}(?:-\d{1,5})?(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
    r"[A-HJ-NP-Z][·•\s]?(?=[A-HJ-NP-Z0-9]{0,5}\d)[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])"
)
_CARD = re.compile(r"(?<![\d.])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\d.])")
_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|(?:产业|创新|工业|科技)园(?!区))")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()()]")
# Words that end the phrase before a name: "施工方为|淮安宏达建设有限公司".
_NAME_STOPS = set("为是的在与和由向给被对及等将把从了")
_QUOTED_PROJECT = re.compile(r"[“\"「][^”\"」]{2,20}[”\"」](?:项目|工程)")
_MASKED_ALIAS = re.compile(r"某")
_DIGIT = re.compile(r"\d")
# Fields that never reach a reader: the editors' own remarks, and the declaration of names itself.
_UNSEEN_KEYS = {"url", "editor_notes", "published_names"}
# Words that state how a case ended. Not when they name a body, a rule or a step
# (容错免责裁定委员会, 容错免责办法, 申请容错免责), ask whether (能否容错), or sit in a title 《…》.
_RULING = re.compile(
    r"(?<!申请)(?<!提出)(?<!启动)(?<!是否)(?<!能否)(?<!可否)(?<!能不能)"
    r"((?:予以|给予)?容错(?:免责|减责)|予以容错|给予容错|不予容错|不属于容错|不适用容错"
    r"|免[予于](?:处分|追责|问责|追究)|不予(?:追究|追责)|(?:从轻|减轻)(?:处理|处分)|(?<!容错)(?:减责|免责))"
    r"(?!裁定|委员会|机制|办法|制度|情形|清单|申请|条件|程序|事项|工作)"
)
_BOOK_TITLE = re.compile(r"《[^》]*》")
# What a student reads before deciding: the facts, the rules and the questions.
STUDY_FIELDS = ("facts", "rules_breached", "questions")


def id_card_is_valid(number: str) -> bool:
    """Whether an 18-character resident ID number has a valid check digit."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_is_valid(digits: str) -> bool:
    """Luhn check used by bank cards."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


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


# Planes beyond the BMP hold few format characters; these ranges cover them.
_ASTRAL_FORMAT_RANGES = (
    (0x110BD, 0x110CE),
    (0x13430, 0x13440),
    (0x1BCA0, 0x1BCA4),
    (0x1D173, 0x1D17B),
    (0xE0000, 0xE0080),
)


@functools.cache
def _folding_table() -> dict[int, int | None]:
    """Full-width ASCII forms → ASCII, ideographic space → space, format characters (zero-width …) → removed."""
    table: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    codes = [*range(0x10000), *(c for low, high in _ASTRAL_FORMAT_RANGES for c in range(low, high))]
    table.update({code: None for code in codes if unicodedata.category(chr(code)) == "Cf"})
    return table


def normalise(text: str) -> str:
    """Text as the lint reads it: full-width forms folded (１３８ → 138), invisible characters dropped.

    Without this a zero-width space or full-width digits would hide a phone
    number from the patterns while a reader still sees it. Other compatibility
    forms (①, ㈠) are folded by NFKC where present.
    """
    folded = text.translate(_folding_table())
    return folded if unicodedata.is_normalized("NFKC", folded) else unicodedata.normalize("NFKC", folded)


def _findings(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield ``(code, severity, message)`` for each piece of personal data in ``text``."""
    text = normalise(text)
    if _DIGIT.search(text):
        yield from _number_findings(text)
    if "@" in text:
        for match in _EMAIL.finditer(text):
            yield "CB305", "error", f"含电子邮箱 “{match.group()}”，发布前必须删除"
    names = [_name_before(text, m.start(), m.end()) for m in _COMPANY_SUFFIX.finditer(text)]
    names += [m.group() for m in _QUOTED_PROJECT.finditer(text)]
    for name in names:
        if name and "某" not in name:
            yield "CB310", "warning", f"“{name}” 像是具体企业或项目的名称，可能指向当事人，建议改为“某公司”“某项目”"


def _number_findings(text: str) -> Iterator[tuple[str, str, str]]:
    """Personal data made of digits: ID cards, bank cards, phones, plates."""
    id_spans = []
    for match in _ID_CARD.finditer(text):
        if id_card_is_valid(match.group()):
            id_spans.append(match.span())
            yield "CB302", "error", f"含身份证号码 “{match.group()}”，发布前必须删除"
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        inside_id = any(a <= match.start() < b for a, b in id_spans)
        if not inside_id and 16 <= len(digits) <= 19 and luhn_is_valid(digits):
            yield "CB307", "error", f"含银行卡号 “{match.group()}”，发布前必须删除"
    for match in _MOBILE.finditer(text):
        yield "CB303", "error", f"含手机号码 “{match.group()}”，发布前必须删除"
    for match in _LANDLINE.finditer(text):
        yield "CB304", "error", f"含固定电话号码 “{match.group()}”，发布前必须删除"
    for match in _PLATE.finditer(text):
        yield "CB306", "error", f"含机动车号牌 “{match.group()}”，发布前必须删除"


def _name_before(text: str, start: int, end: int) -> str | None:
    """The proper name ending in the suffix at ``start:end``, or None for a bare "集团"."""
    begin = start
    while begin > 0 and start - begin < 12 and _NAME_CHAR.match(text[begin - 1]) and text[begin - 1] not in _NAME_STOPS:
        begin -= 1
    return text[begin:end] if start - begin >= 2 else None


def ruling_phrases(text: str) -> list[str]:
    """The words in ``text`` that give a ruling away (容错免责， 从轻处理 …), outside book titles."""
    return list(dict.fromkeys(m.group(1) for m in _RULING.finditer(_BOOK_TITLE.sub("", normalise(text)))))


def ruling_message(where: str, phrases: list[str]) -> str:
    """The message of CB311 for the ``phrases`` found in ``where``."""
    quoted = "、".join(f"“{p}”" for p in phrases)
    return f"{where}点明了处理结果（{quoted}）：请改写为中性表述，结果只写在处理结果（outcome）中"


def _declared_names(data: dict[str, Any]) -> frozenset[str]:
    declared = data.get("published_names")
    if not isinstance(declared, list):
        return frozenset()
    return frozenset(d["name"] for d in declared if isinstance(d, dict) and isinstance(d.get("name"), str))


def _is_public(data: dict[str, Any]) -> bool:
    """Whether the file is meant for the public site: a case or collection unless marked internal.

    A draft for precedent search (no publication, no cases) is never published.
    """
    publication = data.get("publication")
    if isinstance(publication, dict):
        return publication.get("visibility", "public") != "internal"
    return "cases" in data and data.get("visibility", "public") != "internal"


_QUOTED = re.compile("“(.+?)”")


def lint(loaded: LoadedFile) -> list[Problem]:
    """Return the anonymisation problems of one loaded case (or collection, or draft) file.

    Unmasked names are errors in a public case or collection (warnings in an
    internal one or a draft), except those declared under ``published_names``;
    a case's study text (facts, rules, questions) that states the ruling is a warning.
    """
    data = loaded.data
    problems: list[Problem] = []

    def report(path: Path_, code: str, message: str, severity: str = "error") -> None:
        found = _QUOTED.search(message)  # the offending text, to find its own line inside a multi-line text
        line = loaded.line_of(path, found.group(1) if found else None)
        problems.append(Problem(loaded.display, line, field_path(path), code, message, severity))  # type: ignore[arg-type]

    person = data.get("person") if isinstance(data.get("person"), dict) else {}
    alias = person.get("alias") if isinstance(person.get("alias"), str) else None
    if alias and not _MASKED_ALIAS.search(alias):
        report(("person", "alias"), "CB301", f"化名 “{alias}” 未打码：只能写成 谢某某、次某 这样的形式")
    allowed = _declared_names(data)
    public = _is_public(data)
    for path, text in _strings(data, ()):
        for code, severity, message in _findings(text):
            report(path, code, message, severity)
        if path == ("person", "alias"):
            continue
        for found in find_names(normalise(text), allowed):
            if public:
                report(path, "CB308", _name_message(found.name, "公开案例不能发布"), "error")
            else:
                report(path, "CB308", _name_message(found.name, "内部案例也应打码"), "warning")
        if "publication" in data and path[:1] and path[0] in STUDY_FIELDS:
            phrases = ruling_phrases(text)
            if phrases:
                report(path, "CB311", ruling_message("学员研判前读到的文字", phrases), "warning")
    declared = data.get("published_names") if isinstance(data.get("published_names"), list) else []
    for i, entry in enumerate(declared):
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str) and not any(name in text for _, text in _strings(data, ())):
            report(("published_names", i, "name"), "CB309", f"声明公开的姓名 “{name}” 没有出现在任何文字中", "warning")
    return problems


def _name_message(name: str, rule: str) -> str:
    return (
        f"“{name}” 像是未打码的真实姓名，{rule}：请改为化名（如 {name[0]}某某）；"
        "若来源本身公开此姓名且确需保留，在 published_names 中写明姓名和理由"
    )
