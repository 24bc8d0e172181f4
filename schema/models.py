"""The case model: the one source of truth for what a case file holds.

Every field carries a Chinese description; the JSON Schema for editors is
generated from these models (see ``schema.jsonschema``). Vocabulary fields are
``str`` ids checked against ``vocabularies.yaml`` so the lists can grow
without a code change.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    PlainSerializer,
    StringConstraints,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from casebook.schema.vocabulary import Term

CASE_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PARTIAL_DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"


def _to_partial_date(value: object) -> object:
    """Accept a YAML date, or a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1900 <= value <= 2999:
        return str(value)
    if not isinstance(value, str):
        return value
    if not value.strip():
        raise PydanticCustomError(
            "date_format", "尚未填写日期：应写作 YYYY-MM-DD（只知年月或年份时写 YYYY-MM 或 YYYY）", {}
        )
    if not re.fullmatch(PARTIAL_DATE_PATTERN, value):
        raise PydanticCustomError(
            "date_format", "日期 “{value}” 格式不对：应写作 YYYY、YYYY-MM 或 YYYY-MM-DD", {"value": value}
        )
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise PydanticCustomError("date_impossible", "日期 “{value}” 不存在", {"value": value}) from None
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_to_partial_date),
    Field(
        json_schema_extra={"pattern": PARTIAL_DATE_PATTERN},
        description="日期：YYYY-MM-DD；只知年月或年份时写 YYYY-MM 或 YYYY",
    ),
]


def _single_line(value: str) -> str:
    if "\n" in value.strip():
        raise PydanticCustomError("single_line", "只能写一行，不能换行", {})
    return value.strip()


def _is_blank(value: object) -> bool:
    """An unfilled placeholder of the scaffold: null, empty text, or a mapping of such."""
    if isinstance(value, dict):
        return all(_is_blank(v) for v in value.values())
    return value is None or (isinstance(value, str) and not value.strip())


def _unfilled_as_empty(value: object) -> object:
    """An optional list left as the scaffold wrote it (every item blank) is an empty list, not an error.

    Only a list of nothing but blanks is emptied, so the items a user did fill keep their index
    (and an error in them its line).
    """
    if isinstance(value, list) and value and all(_is_blank(item) for item in value):
        return []
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[Text, AfterValidator(_single_line)]
CaseId = Annotated[
    str,
    StringConstraints(pattern=CASE_ID_PATTERN, max_length=80),
    Field(description="案例编号：小写字母、数字和连字符，与文件名一致，如 2025-huaian-renfang-rongque"),
]
Url = Annotated[HttpUrl, PlainSerializer(str, return_type=str)]
# A list the scaffold marks 选填: left unfilled, it is simply empty.
EmptyIfUnfilled = BeforeValidator(_unfilled_as_empty)


class Model(BaseModel):
    """Base of every model: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Model):
    """One published source of the case."""

    url: Url = Field(description="来源网址（原文或权威转载）")
    title: Line | None = Field(default=None, description="来源标题")


class Status(Model):
    """Where the entry stands in this knowledge base."""

    state: Literal["current", "withdrawn"] = Field(
        default="current", description="状态：current 现行有效；withdrawn 已撤回"
    )
    issued: PartialDate = Field(description="本库收录发布日期")
    modified: PartialDate | None = Field(default=None, description="本库最近修订日期")
    withdrawn: PartialDate | None = Field(default=None, description="撤回日期（state 为 withdrawn 时必填）")
    reason: Text | None = Field(default=None, description="撤回原因（state 为 withdrawn 时必填）")


class Publication(Model):
    """Who published the case, when, where to read it, and who may see it."""

    publisher: Line = Field(description="发布机关，如 某区纪委监委")
    published: PartialDate = Field(description="原始通报或发布日期")
    date_note: Line | None = Field(default=None, description="日期说明，如“转载日期，原发布日期不详”")
    sources: list[Source] = Field(min_length=1, description="来源链接，至少一条")
    visibility: Literal["public", "internal"] = Field(
        default="public", description="公开范围：public 对外公开；internal 仅供内部参考，不进入公开网站"
    )
    status: Status = Field(description="收录状态")


class Region(Model):
    """Where the case happened. Anonymised names such as A市 are allowed."""

    province: Line | None = Field(default=None, description="省（自治区、直辖市）")
    city: Line | None = Field(default=None, description="市（州、地区）")
    district: Line | None = Field(default=None, description="县（市、区）或更基层单位")


class Person(Model):
    """The cadre (or unit) concerned, only as a masked alias."""

    alias: Line = Field(description="化名，必须打码，如 谢某某、次某、某县住建局")
    role: Annotated[str, Term("roles")] = Field(description="身份类别")
    position: Line | None = Field(default=None, description="职务（不含姓名），如 街道办事处副主任")
    level: Annotated[str, Term("levels")] = Field(default="unknown", description="职级")


class Rule(Model):
    """A regulation the conduct breached (or, for name clearing, was said to breach)."""

    regulation: Line = Field(description="规定名称，带书名号，如《江苏省实施〈中华人民共和国人民防空法〉办法》")
    article: Line | None = Field(default=None, description="条款，如 第十二条")
    summary: Text | None = Field(default=None, description="违反了什么，用自己的话说明")


class DistinctionFinding(Model):
    """One of the three distinctions the case turns on, and how."""

    distinction: Annotated[str, Term("distinctions")] = Field(description="三个区分开来中的哪一个")
    side: Annotated[str, Term("distinction_sides")] = Field(description="案件落在哪一侧")
    source: Annotated[str, Term("distinction_sources")] = Field(description="通报明确援引或据案情推定")
    reasoning: Text = Field(description="简要理由")


class FactorFinding(Model):
    """One of the six looks."""

    value: Annotated[str, Term("factor_values")] = Field(description="有利、不利、兼有或未说明")
    note: Text | None = Field(default=None, description="依据案情的说明")


class Outcome(Model):
    """How the case ended."""

    result: Annotated[str, Term("outcomes")] = Field(description="处理结果")
    wording: Text = Field(description="处理决定的表述")
    decided: PartialDate | None = Field(default=None, description="作出决定的日期")
    decided_by: Line | None = Field(default=None, description="作出决定的机关")


class ProcedureStep(Model):
    """One step of the procedure, in the order it happened."""

    step: Annotated[str, Term("procedure_steps")] = Field(description="程序环节")
    date: PartialDate | None = Field(default=None, description="日期")
    body: Line | None = Field(default=None, description="办理机关")
    note: Text | None = Field(default=None, description="说明")


# Fields that stay in the case file: they never reach a page, an export, a search index or a casebook.
EDITORIAL_FIELDS = frozenset({"editor_notes", "published_names"})


class PublishedName(Model):
    """A real name the source itself publishes and the publisher means to keep, with why."""

    name: Annotated[Line, StringConstraints(max_length=8)] = Field(
        description="姓名，如来源中以职务身份公开讲话的官员姓名"
    )
    reason: Text = Field(description="保留理由，如“市纪委书记以职务身份接受采访，来源公开署名”")


class Case(Model):
    """A published (or internal) typical case of fault tolerance and correction."""

    id: CaseId
    title: Annotated[Line, StringConstraints(max_length=60)] = Field(description="案例标题")
    subtitle: Annotated[Line, StringConstraints(max_length=120)] = Field(description="一句话概括")
    keywords: list[Line] = Field(min_length=1, max_length=7, description="关键词，1 至 7 个")
    publication: Publication = Field(description="发布信息：发布机关、日期、来源、公开范围和收录状态")
    region: Region = Field(description="地区（可用 A市 等匿名写法）")
    person: Person = Field(description="当事人（只写打码后的化名）")
    domain: Annotated[str, Term("domains")] = Field(description="工作领域")
    facts: Text = Field(description="基本案情，用自己的话叙述")
    rules_breached: Annotated[list[Rule], EmptyIfUnfilled] = Field(
        default_factory=list, description="违反（或被指违反）的规定"
    )
    distinctions: Annotated[list[DistinctionFinding], EmptyIfUnfilled] = Field(
        default_factory=list, description="三个区分开来：适用的区分及理由（澄清正名类可为空）"
    )
    six_looks: dict[Annotated[str, Term("factors")], FactorFinding] = Field(
        default_factory=dict, description="六看：各因素的认定；未列出的因素视为未说明"
    )
    outcome: Outcome = Field(description="处理结果")
    correction: Annotated[list[Text], EmptyIfUnfilled] = Field(default_factory=list, description="纠错措施")
    use_of_result: Annotated[list[Text], EmptyIfUnfilled] = Field(default_factory=list, description="结果运用")
    procedure: Annotated[list[ProcedureStep], EmptyIfUnfilled] = Field(
        default_factory=list, description="程序步骤，按时间顺序"
    )
    key_point: Text = Field(description="要旨")
    lessons: Annotated[list[Text], EmptyIfUnfilled] = Field(default_factory=list, description="启示（培训用）")
    questions: Annotated[list[Text], EmptyIfUnfilled] = Field(default_factory=list, description="思考题（培训用）")
    related: Annotated[list[CaseId], EmptyIfUnfilled] = Field(default_factory=list, description="相关案例编号")
    notes: Text | None = Field(default=None, description="公开的编者说明，如来源之间的出入；随案例公开发布")
    published_names: Annotated[list[PublishedName], EmptyIfUnfilled] = Field(
        default_factory=list,
        description="来源本身公开、确需保留的真实姓名及理由（如以职务身份讲话的官员）；其他姓名一律打码",
    )
    editor_notes: Text | None = Field(
        default=None,
        description="编辑部内部备注（资料核对情况、待查事项等）：只留在案例文件中，不进入网站、检索、导出和读本",
    )

    @field_validator("keywords")
    @classmethod
    def _keywords_unique(cls, keywords: list[str]) -> list[str]:
        repeated = sorted({k for k in keywords if keywords.count(k) > 1})
        if repeated:
            raise PydanticCustomError("duplicate_item", "关键词重复：{items}", {"items": "、".join(repeated)})
        return keywords

    @field_validator("distinctions")
    @classmethod
    def _distinctions_unique(cls, findings: list[DistinctionFinding]) -> list[DistinctionFinding]:
        names = [f.distinction for f in findings]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise PydanticCustomError("duplicate_item", "同一区分重复出现：{items}", {"items": "、".join(repeated)})
        return findings

    @property
    def is_public(self) -> bool:
        return self.publication.visibility == "public"

    def published_data(self) -> dict[str, Any]:
        """The case as plain data for any artifact a reader gets (site, exports, search): editors' fields left out."""
        return self.model_dump(mode="json", exclude_none=True, exclude=set(EDITORIAL_FIELDS))

    @property
    def year(self) -> int:
        return int(self.publication.published[:4])


class CollectionEntry(Model):
    """One case in a collection, with what the teacher adds to it."""

    case: CaseId = Field(description="案例编号")
    prompt: Line | None = Field(
        default=None,
        description="学员版标题：不透露处理结果的中性标题，如“区管干部为重大项目容缺审批人防事项”；不写则用案例标题",
    )
    teaching_notes: Text | None = Field(default=None, description="教学提示（只印在教师版）")
    questions: Annotated[list[Text], EmptyIfUnfilled] = Field(default_factory=list, description="补充讨论题")


class Collection(Model):
    """A themed collection of cases for a training course, in teaching order."""

    id: CaseId
    title: Annotated[Line, StringConstraints(max_length=60)] = Field(description="专题名称")
    audience: Line = Field(description="适用对象，如 乡镇（街道）干部培训班")
    introduction: Text = Field(description="专题导语")
    visibility: Literal["public", "internal"] = Field(
        default="public", description="公开范围：public 可上公开网站（只能收公开案例）；internal 仅内部使用"
    )
    cases: list[CollectionEntry] = Field(min_length=1, description="案例，按教学顺序排列")


def _relaxed(annotation: Any) -> Any:
    """``annotation`` with every model in it replaced by its draft (all fields optional)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return _draft_model(annotation)
    if origin is Annotated:
        return Annotated[(_relaxed(args[0]), *annotation.__metadata__)]
    if origin in (list, dict):
        return origin[tuple(_relaxed(a) for a in args)]
    if origin in (Union, UnionType):
        return functools.reduce(operator.or_, (_relaxed(a) for a in args))
    return annotation


@functools.cache
def _draft_model(model: type[Model]) -> Any:
    """The draft of ``model``: the same fields and vocabularies, every one optional, nested models too."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation: Any = _relaxed(info.annotation)
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        # None means "not stated", which the finder tells apart from an empty list or a default
        fields[name] = (annotation | None, Field(default=None, description=info.description))
    return create_model(f"Draft{model.__name__}", __base__=Model, __doc__=model.__doc__, **fields)


# A new case as an adjudicator describes it to find precedents: the same
# fields and rules as a case, every one optional at every level (the outcome
# above all; a person without an alias, a distinction without a side).
DraftCase: Any = _draft_model(Case)
