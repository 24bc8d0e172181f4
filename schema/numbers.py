"""Personal numbers in every written form: ID cards, bank cards, phones, plates, e-mail and home addresses.

Runs on a reading (:mod:`casebook.schema.reading`): full-width and
other-script digits are already 0-9 and invisible characters gone. Here the
remaining disguises are undone:

- digits read out in Chinese (一三八…, 幺三八…, 壹叁捌…) count as digits;
- groups of digits may be split by any dash, dot, middle dot, bracket or blank
  (138—1234—5678, 138.1234.5678, 13 812 345 678, 320802 19750315 104X): every
  run of consecutive groups is tried, so a phone number after an amount is
  still found;
- plates may carry a blank, a hyphen or a dot, in either case (苏 H12345, 苏h-12345);
- e-mail addresses may write the at sign or the dot out (someone(at)example。com)
  and have a local part in any script (张三@example.com).

Each finding is the span it covers in the reading, so that the caller can
point to the line the editor wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

ID_CARD, MOBILE, LANDLINE, EMAIL, PLATE, BANK_CARD = "CB302", "CB303", "CB304", "CB305", "CB306", "CB307"
HOME_ADDRESS = "CB312"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# The first two digits of an ID number: the province-level region.
_ID_PROVINCE = re.compile(r"1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12]")
_BIRTH_DATE = re.compile(r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")

# Chinese ways of reading digits out one by one (a phone number said aloud, a cheque's capitals).
_SPOKEN_DIGITS = str.maketrans("〇零一二三四五六七八九幺两洞拐勾壹贰叁肆伍陆柒捌玖", "0012345678912079123456789")
_SPOKEN_RUN = re.compile("[〇零一二三四五六七八九幺洞拐勾壹贰叁肆伍陆柒捌玖两]{3,}")
_SEPARATOR = r"[ \-‐‑‒–—―−~_.·•・‧()。]{1,3}"
_CHAIN = re.compile(rf"(?<!\d)\d+(?:{_SEPARATOR}\d+)*(?:[Xx](?![A-Za-z0-9]))?")
_GROUP = re.compile(r"\d+[Xx]?")
_LONGEST = 19  # a bank card: the longest number looked for
# What a phone number may carry around it: a country code before, an extension after.
_COUNTRY_CODE = re.compile(r"(?:\(?\+|\(?00)?86\)?[ \-]?$")
_EXTENSION = re.compile(r"^(?:转|-|ext\.?|EXT\.?|分机)\d{1,5}(?!\d)")
_LOCAL_NUMBER = re.compile(r"(?<!\d)(?:[2-9]\d{6,7}|[2-9]\d{2,3}[ \-‐–—]\d{4})(?!\d)")
_PHONE_WORD = re.compile(r"(?:电话|座机|固话|宅电|手机|联系方式|tel|Tel|TEL|phone|Phone)\s*[:是为]?\s*$")
_URL = re.compile(r"(?:https?://|www\.|mailto:)[^\s“”\"'<>，。；、（）()]+")

_PROVINCE_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE_GAP = r"[ \-·•・.]{0,2}"
_PLATE = re.compile(
    rf"[{_PROVINCE_ABBREVIATIONS}]{_PLATE_GAP}[A-HJ-NP-Za-hj-np-z]{_PLATE_GAP}"
    r"(?=[A-Za-z]{0,5}\d)(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}|[A-HJ-NP-Za-hj-np-z0-9]{4}[学警挂港澳领试超])(?![A-Za-z0-9])"
)

# The at sign and the dot may be written out, and a line break inside an address reads as a blank.
_AT = r"(?:\s?@\s?|\s?[(\[{]\s?(?:at|AT)\s?[)\]}]\s?|\s(?:at|AT)\s)"
_DOT = r"(?:\s?[.。]\s?|\s?[(\[{]\s?(?:dot|DOT)\s?[)\]}]\s?|\s(?:dot|DOT)\s)"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(rf"[\w.%+-]{{1,64}}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[^\W\d_]{{2,}}(?![^\W\d_])")


# A home address down to the door: two of building, unit and room (3栋2单元501室, 5号楼402室), or a
# village group and house number (3组15号). One of them alone (3号楼会议室) is no one's home.
_BUILDING = r"\d+\s*(?:栋|幢|号楼|座)"
_UNIT = r"\d+\s*单元"
_ROOM = r"\d+\s*(?:室|户)"
_HOME = re.compile(
    rf"(?:{_BUILDING}\s*-?\s*(?:{_UNIT}\s*-?\s*)?(?:{_ROOM}|\d{{3,4}}(?![\d年元万米]))|{_UNIT}\s*-?\s*{_ROOM}"
    r"|\d+\s*组\s*\d+\s*号)"
)


@dataclass(frozen=True)
class Finding:
    """A personal number in a reading: its code (CB302 …), where it stands and the text as written there."""

    code: str
    start: int
    end: int
    text: str


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


def _is_id(number: str) -> bool:
    """An 18-character ID with its check digit, or an old 15-digit one; both name a province and a birth date."""
    if not _ID_PROVINCE.fullmatch(number[:2]):
        return False
    if len(number) == 18:
        return number[:17].isdigit() and _BIRTH_DATE.fullmatch(number[10:14]) is not None and id_card_is_valid(number)
    return len(number) == 15 and number.isdigit() and _BIRTH_DATE.fullmatch(number[8:12]) is not None


def _kind(number: str, groups: list[str]) -> str | None:
    """What the digits ``number`` (written as ``groups``) are, if personal."""
    if len(number) in (15, 18) and _is_id(number):
        return ID_CARD
    if not number.isdigit():
        return None
    if 16 <= len(number) <= _LONGEST and number[0] in "3456789" and luhn_is_valid(number):
        return BANK_CARD
    if len(number) == 11 and number[0] == "1" and number[1] in "3456789":
        return MOBILE
    area_first = len(groups) == 1 or (len(groups[0]) in (3, 4) and groups[0][0] == "0")
    if 10 <= len(number) <= 12 and number[0] == "0" and number[1] != "0" and area_first:
        return LANDLINE
    return None


_STRENGTH = {ID_CARD: 0, BANK_CARD: 1, MOBILE: 2, LANDLINE: 3}


def _digits_view(text: str) -> str:
    """``text`` with digits read out in Chinese (three or more in a row) as 0-9; same length."""
    if not _SPOKEN_RUN.search(text):
        return text
    return _SPOKEN_RUN.sub(lambda m: m.group().translate(_SPOKEN_DIGITS), text)


def _chain_findings(view: str, text: str) -> list[Finding]:
    """Every personal number in the chains of digit groups of ``view`` (spans refer to ``text``).

    Each run of consecutive groups is a candidate; where candidates overlap,
    the stronger kind wins (an ID over a card over a phone), then the longer.
    """
    candidates: list[tuple[int, int, int, int, str]] = []
    for chain in _CHAIN.finditer(view):
        at = chain.start()
        groups = [(at + m.start(), at + m.end(), m.group()) for m in _GROUP.finditer(chain.group())]
        for i in range(len(groups)):
            number = ""
            for j in range(i, len(groups)):
                if j > i and (len(groups[j][2]) < 2) != (len(groups[i][2]) < 2):
                    break  # one digit at a time (1 3 8 …) or in groups, not a lone digit beside a group
                if number.upper().endswith("X") or len(number) + len(groups[j][2]) > _LONGEST:
                    break  # the check letter ends an ID number
                number += groups[j][2]
                kind = _kind(number.upper(), [g[2] for g in groups[i : j + 1]])
                if kind is not None:
                    start, end = groups[i][0], groups[j][1]
                    candidates.append((_STRENGTH[kind], start - end, start, end, kind))
    found: list[Finding] = []
    for _, _, start, end, kind in sorted(candidates):
        if not any(start < f.end and f.start < end for f in found):
            start, end = _with_codes(view, start, end, kind)
            found.append(Finding(kind, start, end, text[start:end]))
    return found


def _with_codes(view: str, start: int, end: int, kind: str) -> tuple[int, int]:
    """A phone number's span with its country code, area code bracket and extension: (+86)139…, (0517)…转8012."""
    if kind == MOBILE and (code := _COUNTRY_CODE.search(view, max(0, start - 8), start)):
        start = code.start()
    if kind == LANDLINE and start and view[start - 1] == "(" and ")" in view[start:end]:
        start -= 1
    if kind in (MOBILE, LANDLINE) and (extension := _EXTENSION.match(view[end : end + 12])):
        end += extension.end()
    return start, end


def _local_numbers(view: str, text: str, taken: list[Finding]) -> list[Finding]:
    """A seven- or eight-digit number right after 电话、座机……: a landline without its area code."""
    found = []
    for match in _LOCAL_NUMBER.finditer(view):
        start, end = match.span()
        after_word = _PHONE_WORD.search(view[max(0, start - 8) : start]) is not None
        if after_word and not any(f.start <= start < f.end for f in taken):
            found.append(Finding(LANDLINE, start, end, text[start:end]))
    return found


def find_numbers(text: str) -> list[Finding]:
    """Every ID number, bank card, phone number, plate and e-mail address in ``text`` (a reading), in order.

    A web address in the text is read as a source URL is (:func:`find_in_url`):
    a finding in it covers the whole address.
    """
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)] if ("//" in text or ":" in text) else []
    found = [
        Finding(inner[0].code, start, end, text[start:end])
        for start, end in urls
        if (inner := find_in_url(text[start:end]))
    ]
    view = _digits_view(text)
    if any(c.isdigit() for c in view):
        found += _chain_findings(view, text)
        found += _local_numbers(view, text, found)
        found += [Finding(PLATE, m.start(), m.end(), m.group()) for m in _PLATE.finditer(text)]
        found += [Finding(HOME_ADDRESS, m.start(), m.end(), text[m.start() : m.end()]) for m in _HOME.finditer(view)]
    if "@" in text or "at" in text.lower():
        found += [Finding(EMAIL, m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    outside = [f for f in found if f.text.startswith(("http", "www.", "mailto:")) or not _inside(f, urls)]
    return sorted(outside, key=lambda f: (f.start, f.code))


def _inside(finding: Finding, spans: list[tuple[int, int]]) -> bool:
    return any(start <= finding.start and finding.end <= end for start, end in spans)


_URL_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15}|\d{11}|1[3-9]\d-\d{4}-\d{4})(?![\dA-Za-z])")


def find_in_url(url: str) -> list[Finding]:
    """ID numbers, mobile numbers and e-mail addresses in the path, query or fragment of a source URL.

    Only whole numbers count (an article number split by ``/`` or ``_`` is
    no phone), and no bank card or landline: long article numbers would pass
    for them too often.
    """
    parts = urlsplit(url)
    tail = unquote(url[len(f"{parts.scheme}://{parts.netloc}") :] if parts.netloc else url)
    found = []
    for match in _URL_NUMBER.finditer(tail):
        number = match.group().upper().replace("-", "")
        kind = ID_CARD if len(number) in (15, 18) and _is_id(number) else _kind(number, [number])
        if kind in (ID_CARD, MOBILE):
            found.append(Finding(kind, match.start(), match.end(), match.group()))
    found += [Finding(EMAIL, m.start(), m.end(), m.group()) for m in _EMAIL.finditer(tail)]
    return found
