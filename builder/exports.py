"""Bulk data: the published cases as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from casebook.schema.text import reflow, unwrap

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def cases_json(cases: Sequence[Case], url_of: Callable[[Case], str]) -> str:
    """Every case in full, as the schema defines it, plus the page address (editors' internal fields left out)."""
    records = [{**_as_read(case.published_data()), "url": url_of(case)} for case in cases]
    document = {"schema": "case.schema.json", "count": len(records), "cases": records}
    # Compact: the C encoder; an indented dump goes through the pure-Python one, ten times slower.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _as_read(value: Any) -> Any:
    """Data with every text as readers read it: wraps joined, paragraphs apart (``casebook.schema.text.reflow``)."""
    if isinstance(value, str):
        return reflow(value) if "\n" in value or " " in value else value
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_read(item) for key, item in value.items()}
    return value


def _cell(value: str) -> str:
    """One line as readers read it, with spreadsheet formulas neutralised: a cell must never compute in Excel or WPS."""
    value = unwrap(value)
    return "'" + value if value.startswith(_FORMULA_LEADS) else value


def _row(case: Case, url: str) -> dict[str, str]:
    looks = {f"六看_{vocab.label('factors', f)}": "" for f in vocab.ids("factors")}
    for factor, finding in case.six_looks.items():
        looks[f"六看_{vocab.label('factors', factor)}"] = vocab.label("factor_values", finding.value)
    return {
        "编号": case.id,
        "标题": case.title,
        "概要": case.subtitle,
        "发布日期": case.publication.published,
        "发布机关": case.publication.publisher,
        "省": case.region.province or "",
        "市": case.region.city or "",
        "县区": case.region.district or "",
        "当事人": case.person.alias,
        "身份类别": vocab.label("roles", case.person.role),
        "职级": vocab.label("levels", case.person.level),
        "工作领域": vocab.label("domains", case.domain),
        "处理结果": vocab.label("outcomes", case.outcome.result),
        "三个区分开来": ";".join(vocab.label("distinctions", d.distinction) for d in case.distinctions),
        **looks,
        "违反的规定": ";".join(r.regulation + (r.article or "") for r in case.rules_breached),
        "关键词": ";".join(case.keywords),
        "要旨": case.key_point,
        "状态": "已撤回" if case.publication.status.state == "withdrawn" else "现行",
        "网址": url,
    }


def cases_csv(cases: Sequence[Case], url_of: Callable[[Case], str]) -> str:
    """One row per case with the facets and six looks as columns (UTF-8 with BOM for spreadsheets)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_columns(), lineterminator="\r\n")
    writer.writeheader()
    for case in cases:
        writer.writerow({k: _cell(v) for k, v in _row(case, url_of(case)).items()})
    return "\ufeff" + out.getvalue()


def csv_columns() -> list[str]:
    """The CSV header, fixed even when there is no case to export."""
    looks = [f"六看_{vocab.label('factors', f)}" for f in vocab.ids("factors")]
    return [*_LEADING_COLUMNS, *looks, *_TRAILING_COLUMNS]


_LEADING_COLUMNS = [
    "编号",
    "标题",
    "概要",
    "发布日期",
    "发布机关",
    "省",
    "市",
    "县区",
    "当事人",
    "身份类别",
    "职级",
    "工作领域",
    "处理结果",
    "三个区分开来",
]
_TRAILING_COLUMNS = ["违反的规定", "关键词", "要旨", "状态", "网址"]


# What each CSV column holds, for the data page. A test keeps this in step with csv_columns().
COLUMN_GUIDE: dict[str, str] = {
    "编号": "案例编号，与网址和案例文件名一致",
    "标题": "案例标题",
    "概要": "一句话概要",
    "发布日期": "原始通报的发布日期（可能只有年或年月）",
    "发布机关": "发布通报的纪检监察机关或媒体",
    "省": "省级行政区",
    "市": "地级市（直辖市与省相同）",
    "县区": "县、区",
    "当事人": "匿名化后的化名，如 谢某某",
    "身份类别": "当事人身份类别",
    "职级": "当事人职级",
    "工作领域": "案例所在的工作领域",
    "处理结果": "容错免责、从轻处理、不予容错、澄清正名等",
    "三个区分开来": "案例涉及的区分，多个时用分号隔开；澄清正名类案例通常为空",
    "六看_*": "六看各因素的认定：有利、不利、兼有或未载明，每个因素一列",
    "违反的规定": "违反（澄清正名类为被指违反）的规定及条款，多个时用分号隔开",
    "关键词": "关键词，用分号隔开",
    "要旨": "案例要旨",
    "状态": "现行或已撤回（已撤回的案例不计入统计）",
    "网址": "案例页在本站的相对网址",
}


def column_guide() -> list[tuple[str, str]]:
    """``(column, meaning)`` for every CSV column, the six looks folded into one row."""
    rows: list[tuple[str, str]] = []
    for column in csv_columns():
        key = "六看_*" if column.startswith("六看_") else column
        if key == "六看_*" and rows and rows[-1][0].startswith("六看_"):
            continue
        name = (
            "六看_" + "/".join(vocab.label("factors", f) for f in vocab.ids("factors")) if key == "六看_*" else column
        )
        rows.append((name, COLUMN_GUIDE[key]))
    return rows
