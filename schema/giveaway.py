"""What gives a student's answer away before the ruling (CB311).

A student edition prints a collection's title, audience and introduction,
and for each case its neutral title, facts, the rules involved and the
discussion questions; the ruling, the analysis and the key point are not in
it. Three things in those texts spoil the exercise:

``ruling``
    a wording that states how a case was handled: 容错免责、不再追究其责任，
    未被追责、没有受到处分、获免问责、被给予党内警告处分、获澄清正名 and
    their kin. A ruling word asked about (是否予以容错), feared (担心被问责),
    supposed (如果被给予处分) or named as an institution (容错免责委员会，
    免责条款、问责程序) is no ruling.
``position``
    a sentence that says how the cases at some place in the booklet ended
    (最后四案……不能靠容错解决、后四个案例……恢复名誉的情形).
``absent``
    an instruction that points to what the booklet does not hold (再翻开处理
    结果对照、参考答案附在书后).

Only ``ruling`` applies to a case's own study text (its page shows the
ruling further down); a student edition is held to all three. Every check
reads the text as the reader gets it: lines joined as the page and the PDF
join them, compatibility forms folded, book titles (《……》) left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from casebook.schema.reading import Reading, read

Kind = Literal["ruling", "position", "absent"]

_SANCTION = "处分|处理|问责|追责|追究|处罚"
_SEVERITY = r"严肃|从严|从轻|从宽|减轻|相应的?|组织|纪律|党纪政务|党纪|政务|批评教育"
_NUMBER = "[一二三四五六七八九十两0-9]+"

_RULING = re.compile(
    "|".join(
        (
            # tolerance granted or refused
            r"容错(?:免责|减责)",
            r"(?:予以|给予|可予|准予|同意|决定|获得?了?|得到了?|被认定为|认定为|认定其?)容错(?:免责|减责)?",
            r"(?:不予|不能|无法|不适用|不属于)容错",
            r"(?:属于|符合|适用)容错(?:免责)?情形",
            r"作出[^，。；！？,;!?]{0,4}容错",
            # exempted, not pursued, not sanctioned
            r"免[予于](?:党纪|政务)?(?:" + _SANCTION + ")",
            r"获(?:得)?免(?:于|予)?(?:责|问责|追责|处分|处罚)",
            r"(?<!容错)(?:免责|减责)",
            r"(?:不予|不再|未予|没有|未)(?:追究|追责|问责|处分|处罚)",
            r"(?:不予|不作)(?:追责)?处理",
            r"不追究(?:其|他|她)?(?:个人)?(?:的)?责任",
            r"(?:未|没有?|并未|并没有)(?:被|受到?|受)(?:任何)?(?:" + _SANCTION + ")",
            # lenient or severe handling
            r"(?:从轻|减轻|从宽)(?:处理|处分|发落|问责|处罚)",
            r"(?:予以|给予|进行了?|对其|以)(?:批评教育|诫勉谈话|谈话提醒|批评提醒|提醒谈话)(?:了结|了之)?",
            r"(?:给予|予以|被给予|受到|被处以|处以|作出了?)(?:其|他|她)?[^，。；、！？,;!?\s“”]{0,8}?(?:处分|处罚)",
            r"(?:予以|被|受到|给予)(?:" + _SEVERITY + r")?处理",
            r"(?:被|受到)(?:问责|追责|处分|免职|撤职|停职|降职|开除|诫勉|通报批评|判处|撤销[^，。；,;]{0,6}职务)",
            r"(?:被|受到)移送(?:司法机关)?",
            r"(?:被|受到)追究(?:[^，。；,;]{0,6})?责任",
            r"(?:对其|对他|对她|严肃|予以|进行)(?:问责|追责)",
            r"(?:问责|追责|处分)(?:之后|以后|后)",
            # the aftermath that only a ruling explains
            r"(?:妨碍|影响)[^，。；,;]{0,6}(?:晋升|提拔|重用)",
            r"(?:被|获|得到)(?:提拔|晋升|重用|提任)",
            # a name cleared
            r"(?:获得?|得到|予以|给予|被|向其|为(?:其|他|她|[^，。；,;]{0,3}某{1,2}))(?:公开)?澄清(?:正名)?",
            r"还(?:其|他|她|了)?[^，。；,;]{0,4}清白",
            r"恢复(?:了|其)?名誉",
            r"(?:得到|获得?)(?:了)?宽容",
        )
    )
)
# What follows a ruling word when it names an institution or a topic, not a ruling.
_INSTITUTION = re.compile(
    r"^(?:的)?(?:机制|办法|制度|清单|申请|程序|委员会|裁定|工作|政策|条款|声明|规定|条例|标准|范围|事项|情形|条件|"
    r"边界|界线|方式|方法|途径|决定权)"
)
# A ruling word asked about, supposed or feared in the same clause is no ruling.
_HYPOTHETICAL = re.compile(
    r"如果|假如|假设|倘若|要是|一旦|(?<!若)若(?!干)|是否|能否|可否|能不能|会不会|该不该|应否|应不应|可不可以|"
    r"有没有可能|可能|担心|害怕|怕|以免|避免|防止|免得|申请|提出|启动|请求|争取|打算|准备|计划|拟"
)
_MODAL_BEFORE = re.compile(r"(?:应当|应该|可以|才能|能够|要)$")
_CLAUSE_END = re.compile(r"[，。；！？、：,;!?:\n]")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+")
_QUESTION = re.compile(r"[^。！？；!?;\n]+[？?]")

_POSITION = re.compile(r"(?:最后|末尾?|前|后|第|其中)" + _NUMBER + r"(?:个|组)?(?:案例?|组)|最后(?:一|这)(?:个)?案例?")
_OUTCOME_WORD = re.compile(r"容错|免责|减责|处分|问责|追责|追究|结果|澄清|正名|清白|名誉|宽容|保护|撑腰|处理")

_SECTIONS = r"处理结果|要旨|启示|结果运用|教学提示|参考答案|答案|分析部分|教师版|原标题|纠错措施"
_ABSENT = re.compile(
    r"(?:打开|翻开|翻到|翻看|查看|查阅|参看|参阅|参照|对照|核对|比对|点开|展开|阅读|看看|结合|根据|依据|见)"
    r"(?:各案的?|案例的?|本案的?|书后的?|后面的?|后附的?|[^，。；,;]{0,6}的)?(?:" + _SECTIONS + ")"
    r"|(?:与|和)(?:" + _SECTIONS + r")(?:和(?:" + _SECTIONS + r"))?(?:对照|核对|比对|比较)"
    r"|参考答案|(?:附在|附于|见)(?:书后|书末|附录)"
)
_BOOK_TITLE = re.compile(r"《[^》]*》")


@dataclass(frozen=True)
class Giveaway:
    """What gives the answer away in one text: its kind, the wordings, and where the first one starts."""

    kind: Kind
    phrases: tuple[str, ...]
    start: int  # in the reading's text (:class:`casebook.schema.reading.Reading`)


def _without_titles(text: str) -> str:
    """``text`` with the inside of every book title blanked out, positions kept: 《容错免责办法》 names a rule."""
    return _BOOK_TITLE.sub(lambda m: "《" + "\u3000" * (len(m.group()) - 2) + "》", text)


def _clause_before(text: str, start: int) -> str:
    """The clause of ``text`` up to ``start``; a bracketed aside (（……，……）) does not end it."""
    depth, begin = 0, 0
    for i, char in enumerate(text[:start]):
        depth += (char in r"（(") - (char in r"）)")
        if depth <= 0 and _CLAUSE_END.match(char):
            depth, begin = 0, i + 1
    return text[begin:start]


def _alternatives(text: str) -> list[tuple[int, int]]:
    """The spans of questions that offer alternatives (应当不追究责任，还是减轻责任？): rulings weighed, not stated."""
    return [m.span() for m in _QUESTION.finditer(text) if "还是" in m.group()]


def _rulings(text: str) -> list[tuple[int, str]]:
    weighed = _alternatives(text)
    found = []
    for match in _RULING.finditer(text):
        if any(a <= match.start() < b for a, b in weighed):
            continue
        before = _clause_before(text, match.start())
        if _HYPOTHETICAL.search(before) or _MODAL_BEFORE.search(before):
            continue
        if _INSTITUTION.match(text[match.end() :]):
            continue
        found.append((match.start(), match.group()))
    return found


def _positions(text: str) -> list[tuple[int, str]]:
    """Sentences that tell how the cases at some place ended: ``最后四案……容错``."""
    found = []
    for sentence in _SENTENCE.finditer(text):
        where, what = _POSITION.search(sentence.group()), _OUTCOME_WORD.search(sentence.group())
        if where and what and not _HYPOTHETICAL.search(sentence.group()[: what.start()]):
            phrase = f"{where.group()}……{what.group()}" if where.end() <= what.start() else where.group()
            found.append((sentence.start() + where.start(), phrase))
    return found


def _absent(text: str) -> list[tuple[int, str]]:
    """Instructions that point to what a student booklet does not hold: ``翻开处理结果``."""
    return [(m.start(), m.group()) for m in _ABSENT.finditer(text)]


def find_giveaways(reading: Reading, booklet: bool) -> list[Giveaway]:
    """What in ``reading`` gives the answer away, by kind; ``booklet`` adds the checks for a student edition."""
    text = _without_titles(reading.text)
    finders = (("ruling", _rulings), ("position", _positions), ("absent", _absent))
    out = []
    for kind, finder in finders if booklet else finders[:1]:
        found = finder(text)
        if found:
            phrases = tuple(dict.fromkeys(phrase for _, phrase in found))
            out.append(Giveaway(kind, phrases, found[0][0]))  # type: ignore[arg-type]
    return out


def giveaways(text: str, booklet: bool) -> list[tuple[Kind, list[str]]]:
    """:func:`find_giveaways` of a field's value, as ``(kind, wordings)``."""
    return [(g.kind, list(g.phrases)) for g in find_giveaways(read(text), booklet)]


def ruling_phrases(text: str) -> list[str]:
    """The wordings in ``text`` that state a ruling (容错免责、未被追责、被给予党内警告处分 …)."""
    return next((phrases for kind, phrases in giveaways(text, booklet=False) if kind == "ruling"), [])


def giveaway_message(where: str, kind: Kind, phrases: tuple[str, ...] | list[str]) -> str:
    """The message of CB311 for ``phrases`` of ``kind`` found in ``where``."""
    quoted = "、".join(f"“{p}”" for p in phrases)
    if kind == "ruling":
        return f"{where}点明了处理结果（{quoted}）：请改写为中性表述，结果只写在处理结果（outcome）中"
    if kind == "position":
        return f"{where}按位置说出了案例的结果（{quoted}）：请不要告诉学员哪几个案例怎样处理"
    return (
        f"{where}提到了学员版没有的内容（{quoted}）：学员版只印标题、案情、涉及的规定和讨论题，"
        "请改为不依赖这些内容的说法（如“再由教师讲评”）"
    )
