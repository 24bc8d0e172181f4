"""Commands for committees and readers: index, search, similar and coverage."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from casebook.builder.cli.options import cache_option, cases_option, command, echo, vocabulary_choice
from casebook.schema import CaseError, load_corpus
from casebook.schema import vocabulary as vocab
from casebook.schema.authoring import replace_atomically, writes_into_cases
from casebook.schema.facets import REGION, SEPARATOR, match_regions
from casebook.schema.progress import TerminalBar

if TYPE_CHECKING:  # Whoosh and jieba load slowly: only the commands that search import them.
    from casebook.search import CaseIndex, RefreshReport


def _regions(index: CaseIndex, given: tuple[str, ...]) -> tuple[str, ...]:
    """The indexed regions each given one names, as the search page's filter does: a province (湖北 finds 湖北省)
    or a province and city (江苏省/淮安市 or 江苏/淮安)."""
    known = index.facet_values("region")
    chosen: list[str] = []
    for item in given:
        matches = match_regions(known, item)
        if not matches:
            provinces = [value for value in REGION.ordered(known) if not REGION.parent(value)]
            raise click.BadParameter(
                f"没有地区为 “{item}” 的案例；索引中的省份有：{'、'.join(provinces) or '(无)'}"
                "（可写 省份 或 省份/城市，如 江苏省/淮安市）",
                param_hint="“--region”",
            )
        chosen.extend(matches)
    return tuple(chosen)


def _factors(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    factors = {}
    for item in value:
        name, _, setting = item.partition("=")
        if name not in vocab.ids("factors"):
            raise click.BadParameter(f"“{name}” 不是六看因素；可选：{'、'.join(vocab.ids('factors'))}")
        if setting not in vocab.ids("factor_values"):
            raise click.BadParameter(
                f"“{item}” 的取值应为 {'、'.join(vocab.ids('factor_values'))} 之一，如 motive=favourable"
            )
        factors[name] = setting
    return factors


def _sides(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """--distinction motive or motive=not_tolerated: a distinction and, if known, its side."""
    for item in value:
        name, _, side = item.partition("=")
        vocabulary_choice("distinctions")(ctx, param, name)
        if side and side not in vocab.ids("distinction_sides"):
            raise click.BadParameter(
                f"“{item}” 的侧别应为 {'、'.join(vocab.ids('distinction_sides'))} 之一，如 motive=not_tolerated"
            )
    return value


def _distinction_filters(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """--distinction motive, or motive=tolerated for one side: the search page's filter values (motive/tolerated)."""
    found = []
    for item in _sides(ctx, param, value):
        name, _, side = item.partition("=")
        term = vocabulary_choice("distinctions")(ctx, param, name)
        found.append(f"{term}{SEPARATOR}{side}" if side else term)
    return tuple(found)


def _open(cases_dir: Path, cache_dir: Path) -> tuple[CaseIndex, RefreshReport]:
    from casebook.search import open_index

    index, report = open_index(cases_dir, cache_dir, progress=TerminalBar())
    broken = sorted({p.file for p in report.problems if p.severity == "error"})
    if broken:
        echo(f"以下 {len(broken)} 个案例文件有错误，未纳入索引（运行 casebook validate 查看）：", err=True)
        for name in broken:
            echo(f"  {name}", err=True)
    return index, report


@command()
@cases_option
@cache_option
def index(cases_dir: Path, cache_dir: Path) -> None:
    """建立或更新检索索引（只重新索引内容有变化的案例）。"""
    started = time.perf_counter()
    _, report = _open(cases_dir, cache_dir)
    echo(_index_summary(report, time.perf_counter() - started))


def _index_summary(report: RefreshReport, seconds: float) -> str:
    """One line on what indexing did, in words a reader expects ("新增 44 个", not "新增 44")."""
    changes = [
        f"{verb} {count} 个"
        for verb, count in (("新增", report.added), ("更新", report.updated), ("移除", report.removed))
        if count
    ]
    done = "索引已更新：" + "、".join(changes) if changes else "索引已是最新，无需更新"
    return f"{done}；共 {report.files} 个案例文件，用时 {seconds:.2f} 秒"


@command()
@click.argument("words", nargs=-1, metavar="[检索词]...")
@click.option(
    "--outcome",
    multiple=True,
    callback=vocabulary_choice("outcomes"),
    help="处理结果，写中文或编号，如 澄清正名 或 cleared；可多次使用。",
)
@click.option(
    "--distinction",
    multiple=True,
    callback=_distinction_filters,
    help="三个区分开来，写中文或编号，可带侧别，如 motive=tolerated；可多次使用。",
)
@click.option(
    "--domain", multiple=True, callback=vocabulary_choice("domains"), help="工作领域，写中文或编号；可多次使用。"
)
@click.option("--region", multiple=True, help="地区：省份，或 省份/城市，如 湖北、江苏省/淮安市；可多次使用。")
@click.option("--year", multiple=True, help="发布年份，如 2025。")
@click.option("--role", multiple=True, callback=vocabulary_choice("roles"), help="当事人身份类别；可多次使用。")
@click.option("--level", multiple=True, callback=vocabulary_choice("levels"), help="当事人职级；可多次使用。")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="最多列出几个结果。")
@click.option("--include-internal", is_flag=True, help="包括内部案例。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@cases_option
@cache_option
def search(
    words: tuple[str, ...],
    outcome: tuple[str, ...],
    distinction: tuple[str, ...],
    domain: tuple[str, ...],
    region: tuple[str, ...],
    year: tuple[str, ...],
    role: tuple[str, ...],
    level: tuple[str, ...],
    limit: int,
    include_internal: bool,
    as_json: bool,
    cases_dir: Path,
    cache_dir: Path,
) -> None:
    """全文检索案例：含全部检索词的在前，其后是只含检索词组成部分的、只含部分检索词的（各自标明），同层按相关度排序；标出命中词，给出分面统计。"""
    from casebook.search import search as run_search
    from casebook.search import search_json, search_text

    index, _ = _open(cases_dir, cache_dir)
    filters = {
        "outcome": outcome,
        "distinction": distinction,
        "domain": domain,
        "region": _regions(index, region),
        "year": year,
        "role": role,
        "level": level,
    }
    result = run_search(index, " ".join(words), filters, limit=limit, include_internal=include_internal)
    echo(json.dumps(search_json(result), ensure_ascii=False, indent=2) if as_json else search_text(result))


@command()
@click.argument(
    "draft", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="[草稿文件]"
)
@click.option("--text", help="用文字描述新情况（可与草稿文件并用）；写 - 则从标准输入读取。")
@click.option("--factor", multiple=True, callback=_factors, help="已知的六看因素，如 motive=favourable，可多次使用。")
@click.option("--distinction", multiple=True, callback=_sides, help="涉及的区分，可带侧别，如 motive=not_tolerated。")
@click.option("--domain", callback=vocabulary_choice("domains"), help="工作领域。")
@click.option("--rule", multiple=True, help="违反的规定名称，如《中华人民共和国招标投标法》。")
@click.option("--role", callback=vocabulary_choice("roles"), help="当事人身份类别。")
@click.option("--level", callback=vocabulary_choice("levels"), help="当事人职级。")
@click.option("-k", "--top", type=click.IntRange(1, 100), default=10, show_default=True, help="列出几个先例。")
@click.option("--include-internal", is_flag=True, help="包括内部案例。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="写出类案检索报告（Markdown）。")
@click.option("--by", default="", help="检索人，写入报告。")
@click.option("--date", "report_date", default=None, help="报告日期，默认今天（YYYY-MM-DD）。")
@click.option("--matter", default="", help="待决事项（争议焦点），写入报告；不写则报告中留空待填。")
@cases_option
@cache_option
def similar(
    draft: Path | None,
    text: str | None,
    factor: dict[str, str],
    distinction: tuple[str, ...],
    domain: str | None,
    rule: tuple[str, ...],
    role: str | None,
    level: str | None,
    top: int,
    include_internal: bool,
    as_json: bool,
    report: Path | None,
    by: str,
    report_date: str | None,
    matter: str,
    cases_dir: Path,
    cache_dir: Path,
) -> None:
    """检索类案：给出草稿案例文件或文字描述，列出最相似的先例及相似之处。"""
    from casebook.search import Description, describe_query, find, read_query, similar_json, similar_text

    if text == "-":
        text = sys.stdin.read()
    if draft is None and not ((text or "").strip() or factor or distinction or domain or rule):
        empty = "描述为空：" if text is not None else ""
        raise click.UsageError(f"{empty}请给出草稿案例文件，或用 --text/--factor/--distinction 等描述新情况")
    if report is not None and writes_into_cases(report, cases_dir):
        raise click.UsageError(f"报告不能写到案例目录或 YAML 文件（{report}），以免覆盖案例")
    if report_date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", report_date):
        raise click.UsageError("--date 应写作 YYYY-MM-DD")
    try:
        description = Description(draft, text, factor, distinction, domain, rule, role, level)
        query = read_query(description)
    except CaseError as error:
        for problem in error.problems:
            echo(str(problem), err=True)
        sys.exit(1)
    index, _ = _open(cases_dir, cache_dir)
    finding, scope = find(index, query, top, include_internal)
    if as_json:
        echo(json.dumps(similar_json(finding, query), ensure_ascii=False, indent=2))
    else:
        echo(similar_text(finding, scope, query))
    if report:
        from casebook.search import WEIGHTS, render_report

        context = describe_query(description, by, report_date, cases_dir, index, scope, matter)
        report.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(report, render_report(finding, context, WEIGHTS, query))
        echo(f"已写出类案检索报告 {report}", err=True)


@command()
@cases_option
@click.option("--include-internal", is_flag=True, help="包括内部案例（默认只统计公开案例，与公开网站一致）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def coverage(cases_dir: Path, include_internal: bool, as_json: bool) -> None:
    """覆盖情况：三个区分开来 × 落在哪一侧 × 处理结果的案例数，并列出尚未收录的类型。"""
    from casebook.builder.render import counted, coverage_text
    from casebook.builder.stats import coverage as coverage_table

    corpus = load_corpus([cases_dir])
    broken = {p.file for p in corpus.errors}
    if broken:
        echo(f"{len(broken)} 个案例文件有错误，未计入（运行 casebook validate 查看）", err=True)
    cases = [c.case for c in corpus.cases if c.source.display not in broken]
    table = coverage_table(counted([c for c in cases if include_internal or c.is_public]))
    echo(json.dumps(table.as_dict(), ensure_ascii=False, indent=2) if as_json else coverage_text(table), nl=False)


COMMANDS = (index, search, similar, coverage)
