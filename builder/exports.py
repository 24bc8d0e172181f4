"""Bulk data: the published cases as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from casebook.schema import Case
from casebook.schema import vocabulary as vocab

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def cases_json(cases: Sequence[Case], url_of: Callable[[Case], str]) -> str:
    """Every case in full, as the schema defines it, plus the page address (editors' internal fields left out)."""
    records = [{**case.published_data(), "url": url_of(case)} for case in cases]
    document = {"schema": "case.schema.json", "count": len(records), "cases": records}
    # Compact: the C encoder; an indented dump goes through the pure-Python one, ten times slower.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell must never compute in Excel or WPS."""
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
