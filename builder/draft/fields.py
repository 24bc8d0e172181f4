"""The fields of a draft case, read out of one case's passage (already masked) and its notice.

Each value comes with the words it was read from, so that the draft can
say, field by field, what the editor has to check. Six looks, sides,
domain, role and level are read by the precedent finder's cue reader
(``search.cues.read``): one lexicon, one code path. What the passage does
not say is left out, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from casebook.schema import vocabulary as vocab
from casebook.schema.giveaway import ruling_phrases
from casebook.search import cues

from .mask import REMOVED
from .split import Passage, strip_number

PROVINCES = (
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
)
_MUNICIPALITIES = PROVINCES[:4]
_PROVINCE = "|".join(PROVINCES)
_NOT_PLACE = set("的了在和与对把被为等属局所中上下全本该我各其这那城超门")
_CITY = r"(?P<city>[\u4e00-\u9fff]{2,5}?(?:市|自治州|地区|盟))(?![场民值面容级委员直属])"
_DISTRICT = r"(?P<district>[\u4e00-\u9fff]{2,7}?(?:(?<!社)区|县|旗|市))(?![场民值面容级委员直属])"
_PLACE = re.compile(rf"(?P<province>{_PROVINCE})?{_CITY}(?:{_DISTRICT})?")
_PUBLISHER = re.compile(
    r"(?P<body>[\u4e00-\u9fff]{2,20}?(?:纪委(?:区|市|县)?监委|纪委|监委|纪工委|纪检监察组|组织部))"
    r"(?=通报|发布|公布|公开|对外|选取|$|\s|[，。:：　])"
)
_SOURCE_LINE = re.compile(r"来源[：:]\s*(?P<body>[^\s　|｜]{2,30})")
_FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-年./]\s*(?P<m>\d{1,2})\s*[-月./]\s*(?P<d>\d{1,2})日?")
_YEAR_MONTH = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)")
_MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_ARTICLE = re.compile(r"^(?:之规定)?\s*(第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?)")
_BREACH = re.compile(r"违反|违背|不符合|不符|按照|依照|根据|未按|没有按")
_MECHANISM = re.compile(r"容错|纠错|激励|担当|问责|从宽")
_PLAIN_RULE = re.compile(r"违反(?:了)?(?P<rule>[^，。；、]{2,20}?(?:规定|纪律|制度|办法|条例|禁令))")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_CLAUSE = re.compile(r"[^，,；;]+[，,；;]?")
_DECISION_START = re.compile(r"^(?:但)?(?:鉴于|综合考虑|经.{0,12}研究|经查|决定|最终|对此)")
_ALIAS = re.compile(r"[\u4e00-\u9fff]{1,2}某(?:某|甲|乙|丙|丁)?")
_UNIT_ALIAS = re.compile(r"某[\u4e00-\u9fff]{1,12}?(?:负责人|工作人员|干部|局|中心|公司|单位)")
_POSITION_STOP = re.compile(r"[，。；：:、（(“”]|^")
_POSITION_LEAD = re.compile(r"^(?:但|而|其中|时任|原|现任|该|由|系|是|对|经|将|把|向|被|让|为|使)+")
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?=村|社区)")
_USE = re.compile(r"晋升|提拔|重用|评优|评先|不受影响|不影响|正常使用|交流任职|回访|任用")
_CORRECTION = re.compile(r"补办|补齐|补充材料|补正|整改|拆除|退还|归还|追回|挽回|纠正|调整了?规划|退赔")
# A sentence that goes on about the person by a pronoun near its start: 问题发生后，他及时组织人员拆除了违建。
_PRONOUN = re.compile(r"^[^。！？]{0,8}?(?:他|她|该同志)")
_TOWN = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:街道|镇|乡)(?=[\u4e00-\u9fff]{2})")
_OUTCOME_ORDER = (
    "cleared",
    "prosecution_withdrawn",
    "exempted",
    "mitigated",
    "no_sanction",
    "lighter",
    "accountable",
    "pre_filed",
    "sanctioned",
)


@dataclass
class Field_:
    """A value of the draft and the words it was read from (``None``: stated plainly, nothing to check)."""

    value: Any
    quote: str | None = None


@dataclass
class CaseFields:
    """What a passage says, field path → value with its source words."""

    values: dict[tuple[str | int, ...], Field_] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # what the passage does not say (Chinese, for the editor)
    kind: Field_ | None = None  # the case kind the cue reader sees: a mistake to judge or an accusation to verify

    def put(self, path: tuple[str | int, ...], value: Any, quote: str | None) -> None:
        if value not in (None, "", []):
            self.values[path] = Field_(value, _short(quote) if quote else None)


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


# --- the notice -------------------------------------------------------------


@dataclass(frozen=True)
class NoticeFacts:
    """What holds for every case of a notice: who published it, when, where, and its address."""

    publisher: Field_ | None
    published: Field_ | None
    province: Field_ | None
    url: str | None
    title: str


def _publisher(lines: list[str]) -> Field_ | None:
    for line in lines:
        match = _SOURCE_LINE.search(line)
        if match and _PUBLISHER.search(match.group("body") + " "):
            return Field_(_without_province(match.group("body")), match.group(0))
    for line in lines:
        match = _PUBLISHER.search(line)
        if match:
            return Field_(_without_province(match.group("body")), match.group(0))
    return None


def _without_province(body: str) -> str:
    """淮安市清江浦区纪委监委 rather than 江苏省淮安市清江浦区纪委监委, as notices name themselves."""
    for province in PROVINCES:
        rest = body.removeprefix(province)
        if rest != body and province not in _MUNICIPALITIES and re.match(_CITY, rest):
            return rest
    return body


def _published(lines: list[str], date: str | None, all_text: str, today: dt.date) -> Field_ | None:
    if date:
        return Field_(date, "网页元数据中的发布日期")
    for line in lines:
        match = _FULL_DATE.search(line)
        if match:
            value = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            return Field_(value.isoformat(), match.group(0))
    for line in (line for line in lines if len(line) <= 40):  # a date line (2019年8月), not a sentence of events
        match = _YEAR_MONTH.search(line)
        if match and 1 <= int(match["m"]) <= 12:
            return Field_(f"{match['y']}-{int(match['m']):02d}", match.group(0))
    for line in lines:
        match = _MONTH_DAY.search(line)
        if match:
            return _year_inferred(int(match["m"]), int(match["d"]), match.group(0), all_text, today)
    return None


def _year_inferred(month: int, day: int, words: str, text: str, today: dt.date) -> Field_ | None:
    """A date written without its year: this year (last year if the day is still ahead).

    Never before a year the notice itself names; the comment tells the editor to put the real year.
    """
    try:
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
        latest = max((int(y) for y in _YEAR.findall(text)), default=year)
        value = dt.date(max(year, latest), month, day)
    except ValueError:
        return None
    if value > today:
        return None
    return Field_(value.isoformat(), f"{words}（原文没有写年份，按今年推断，请改为通报的实际年份）")


def notice_facts(
    title: str, paragraphs: tuple[str, ...], header: tuple[str, ...], url: str | None, date: str | None, today: dt.date
) -> NoticeFacts:
    """Publisher, date and province of the notice, from its header lines and first paragraphs."""
    head = [*header, *paragraphs[:6]]
    publisher = _publisher(head)
    province = next((p for p in PROVINCES if p in " ".join([title, *head])), None)
    return NoticeFacts(
        publisher=publisher,
        published=_published(head, date, "\n".join(paragraphs), today),
        province=Field_(province, province) if province else None,
        url=url,
        title=title,
    )


# --- one case ---------------------------------------------------------------


def _person(text: str) -> tuple[str, str] | None:
    """The masked alias the passage names most often, and the first place it stands."""
    from casebook.schema.names import name_data

    surnames = name_data().surnames | name_data().compound_surnames
    counts: dict[str, int] = {}
    for match in _ALIAS.finditer(text):
        alias = match.group(0)
        alias = alias[1:] if alias[0] not in surnames and alias[1:2] in surnames else alias
        if alias.split("某")[0] in surnames:
            counts[alias] = counts.get(alias, 0) + 1
    if counts:
        best = max(counts, key=lambda a: (counts[a], -text.find(a)))
        return best, best
    unit = _UNIT_ALIAS.search(text)
    return (unit.group(0), unit.group(0)) if unit else None


def _position(text: str, alias: str, places: list[str]) -> str | None:
    """The title written just before the alias: 村党总支书记、村委会主任靳某某 → 村党总支书记、村委会主任."""
    at = text.find(alias)
    if at <= 0:
        return None
    before = text[max(0, at - 40) : at]
    cut = max((m.end() for m in _POSITION_STOP.finditer(before) if before[m.start() : m.end()] != "、"), default=0)
    words = _POSITION_LEAD.sub("", before[cut:].strip())
    for place in sorted(places, key=len, reverse=True):
        words = words.replace(place, "")
    words = _VILLAGE.sub("", _TOWN.sub("", words))
    return words if 2 <= len(words) <= 30 else None


def _region(text: str, notice: NoticeFacts, fields: CaseFields) -> list[str]:
    for match in _PLACE.finditer(text):
        city, district = match.group("city"), match.group("district")
        if set(city[:-1]) & _NOT_PLACE or (district and set(district[:-1]) & _NOT_PLACE):
            continue
        province = match.group("province")
        if province:
            fields.put(("region", "province"), province, match.group(0))
        elif notice.province:
            fields.put(("region", "province"), notice.province.value, f"通报：{notice.province.quote}")
        if city in _MUNICIPALITIES:
            fields.put(("region", "province"), city, match.group(0))
        fields.put(("region", "city"), city, match.group(0))
        if district:
            fields.put(("region", "district"), district, match.group(0))
        return [p for p in (province, city, district) if p]
    if notice.province:
        fields.put(("region", "province"), notice.province.value, f"通报：{notice.province.quote}")
    fields.missing.append("地区（原文没有写明市、县）")
    return []


def _rules(text: str) -> list[tuple[dict[str, str], str]]:
    found: list[tuple[dict[str, str], str]] = []
    for sentence in sentences(text):
        if not _BREACH.search(sentence):
            continue
        for match in cues.RULE_NAME.finditer(sentence):
            name = match.group(0)
            if _MECHANISM.search(name) or any(name == r["regulation"] for r, _ in found):
                continue
            rule = {"regulation": name}
            article = _ARTICLE.match(sentence[match.end() :])
            if article:
                rule["article"] = article.group(1)
            found.append((rule, sentence[max(0, match.start() - 6) : match.end() + 12]))
    if not found:
        plain = _PLAIN_RULE.search(text)
        if plain and not _MECHANISM.search(plain.group("rule")):
            found.append(({"regulation": plain.group("rule")}, plain.group(0)))
    return found


# Outcome words that name a mechanism or a kind of case, not this case's outcome: 澄清正名等机制, 容错免责典型案例.
_NOT_A_RULING = re.compile(r"^(?:等?机制|典型案例|案例|办法|制度|工作|情形|清单|申请|委员会)")


def _outcome(text: str) -> tuple[str, str, str] | None:
    """(outcome id, the sentence that states it, the phrase), by the outcomes' ``phrases`` in vocabularies.yaml."""
    negation = cues.lexicon().negations
    for term in _OUTCOME_ORDER:
        entry = vocab.vocabularies()["outcomes"].get(term)
        phrases = entry.get("phrases", []) if isinstance(entry, dict) else []
        for sentence in sentences(text):
            for phrase in phrases:
                at = sentence.find(phrase)
                if at < 0 or negation.search(sentence[max(0, at - 4) : at]):
                    continue
                if _NOT_A_RULING.match(sentence[at + len(phrase) :]):
                    continue
                return term, sentence, phrase
    return None


def _about(text: str, alias: str | None, single: bool) -> str:
    """The sentences of an article about one case that speak of its person (all of a numbered case's text)."""
    if not single or not alias:
        return text
    return "".join(
        s for s in sentences(text) if alias in s or _PRONOUN.match(s) or (re.search(r"[其他]", s) and _USE.search(s))
    )


def _facts(passage: Passage, alias: str | None, outcome_sentence: str | None) -> str:
    """The passage's account, without the sentences that state the ruling or what followed it."""
    kept = []
    single = passage.heading is None
    for paragraph in passage.paragraphs:
        for sentence in sentences(paragraph):
            if single and alias and alias not in sentence and not _PRONOUN.match(sentence):
                continue  # an article about one case: its sentences about the person
            if _USE.search(sentence) and not _CORRECTION.search(sentence):
                continue
            if sentence == outcome_sentence or ruling_phrases(sentence) or _states_outcome(sentence):
                sentence = _before_decision(sentence)
            if sentence and not sentence.startswith(REMOVED):
                kept.append(sentence)
    return "".join(kept)


def _states_outcome(sentence: str) -> bool:
    return _outcome(sentence) is not None


def _decision(sentence: str) -> str:
    """The clauses of ``sentence`` from the decision on: …之规定，但鉴于…被容错免责 → 但鉴于…被容错免责。"""
    clauses = _CLAUSE.findall(sentence)
    for index, clause in enumerate(clauses):
        if _DECISION_START.match(clause.strip()) or _states_outcome(clause):
            return "".join(clauses[index:]).strip()
    return sentence


def _before_decision(sentence: str) -> str:
    """The clauses of ``sentence`` before the decision: …之规定，但鉴于…被容错免责 → …之规定。"""
    clauses = _CLAUSE.findall(sentence)
    for index, clause in enumerate(clauses):
        if _DECISION_START.match(clause.strip()) or _states_outcome(clause) or ruling_phrases(clause):
            kept = "".join(clauses[:index]).rstrip("，,；; ")
            return kept + "。" if kept else ""
    return sentence


def read_case(passage: Passage, notice: NoticeFacts) -> CaseFields:
    """Every field the passage states, each with the words it came from."""
    fields = CaseFields()
    body = "".join(passage.paragraphs)
    heading = strip_number(passage.heading) if passage.heading else ""
    text = (heading.rstrip("。") + "。" if heading else "") + body
    person = _person(text)
    alias = person[0] if person else None
    if alias:
        fields.put(("person", "alias"), alias, person[1] if person else None)
    else:
        fields.missing.append("当事人化名（原文没有写出当事人）")
    places = _region(text, notice, fields)
    if alias and alias.startswith("某"):
        fields.put(("person", "position"), alias[1:], None)  # a unit or an unnamed official: 某街道水利站负责人
    elif alias:
        fields.put(("person", "position"), _position(text, alias, places), None)
        position = fields.values.get(("person", "position"))
        if position:
            position.quote = f"{position.value}{alias}"
    reading = cues.read(text)
    role_text = fields.values[("person", "position")].value if ("person", "position") in fields.values else text
    by_position = cues.read(role_text)
    role = by_position.role or reading.role
    if role:
        quote = "、".join((by_position.phrases if by_position.role else reading.phrases).get("role", []))
        fields.put(("person", "role"), role, quote)
    if by_position.level and ("person", "position") in fields.values:
        fields.put(("person", "level"), by_position.level, "、".join(by_position.phrases.get("level", [])))
    if reading.domain:
        fields.put(("domain",), reading.domain, "、".join(reading.phrases.get("domain", [])))
    for n, (rule, words) in enumerate(_rules(text)):
        for key, value in rule.items():
            fields.put(("rules_breached", n, key), value, words)
    single = passage.heading is None
    outcome = _outcome(_about(text, alias, single))
    if outcome:
        term, sentence, phrase = outcome
        fields.put(("outcome", "result"), term, phrase)
        fields.put(("outcome", "wording"), _decision(sentence), None)
    else:
        fields.missing.append("处理结果（原文没有写明如何处理）")
    facts = _facts(passage, alias, outcome[1] if outcome else None)
    fields.put(("facts",), facts, None)
    if reading.kind:
        fields.kind = Field_(cues.KINDS[reading.kind], "、".join(reading.phrases.get("kind", [])))
    accusation = reading.kind == "accusation" or (outcome is not None and outcome[0] == "cleared")
    if not accusation:
        n = 0
        for distinction, side in reading.distinctions.items():
            if side is None:
                continue
            words = "、".join(reading.phrases.get(f"distinction.{distinction}", []))
            fields.put(("distinctions", n, "distinction"), distinction, words)
            fields.put(("distinctions", n, "side"), side, words)
            fields.put(("distinctions", n, "source"), "implied", None)
            fields.put(("distinctions", n, "reasoning"), f"原文：{words}。", None)
            n += 1
    for factor, value in reading.looks.items():
        words = "、".join(reading.phrases.get(f"looks.{factor}", []))
        fields.put(("six_looks", factor, "value"), value, words)
        fields.put(("six_looks", factor, "note"), f"原文：{words}。", None)
    about = _about(body, alias, single)
    for n, sentence in enumerate(s for s in sentences(about) if _CORRECTION.search(s)):
        fields.put(("correction", n), sentence, None)
    for n, sentence in enumerate(s for s in sentences(about) if _USE.search(s)):
        fields.put(("use_of_result", n), sentence, None)
    title = strip_number(passage.heading) if passage.heading else notice.title
    fields.put(("title",), _short(title, 60), None)
    first = sentences(facts)[0] if facts else title
    fields.put(("subtitle",), _short(first, 120), None)
    keywords = [vocab.label("outcomes", outcome[0])] if outcome else []
    keywords += [p for f in ("domain",) for p in reading.phrases.get(f, [])]
    fields.put(("keywords",), list(dict.fromkeys(k for k in keywords if 2 <= len(k) <= 12))[:5], None)
    return fields
