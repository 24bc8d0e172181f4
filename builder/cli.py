"""The ``casebook`` command: a thin layer over the library functions.

Exit codes: 0 success, 1 problems in the data, 2 wrong usage.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import click

from casebook.builder.clizh import ChineseGroup
from casebook.schema import CODES, CaseError, Corpus, clock, load_corpus, release
from casebook.schema import vocabulary as vocab
from casebook.schema.authoring import format_case, replace_atomically, scaffold, scaffold_path, write_new
from casebook.schema.jsonschema import SCHEMAS, committed_schema_path, render_json_schema
from casebook.schema.models import CASE_ID_PATTERN
from casebook.schema.progress import TerminalBar

DEFAULT_CASES = Path("cases")
DEFAULT_COLLECTIONS = Path("collections")

_cases_option = click.option(
    "--cases",
    "cases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CASES,
    show_default=True,
    help="案例所在目录。",
)
_cache_option = click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".cache"),
    show_default=True,
    help="检索索引等缓存所在目录。",
)


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    """The paths given, or the project's cases and collections."""
    return list(paths) or [p for p in (DEFAULT_CASES, DEFAULT_COLLECTIONS) if p.exists()] or [DEFAULT_CASES]


def _print_problems(corpus: Corpus) -> None:
    for problem in corpus.problems:
        click.echo(str(problem))


def _summary(corpus: Corpus, seconds: float) -> str:
    errors, warnings = len(corpus.errors), len(corpus.warnings)
    return (
        f"校验 {corpus.files} 个文件，{len(corpus.cases)} 个案例通过模型校验；"
        f"{errors} 个错误，{warnings} 个警告；用时 {seconds:.2f} 秒"
    )


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=release.DISTRIBUTION, message="casebook %(version)s", help="显示版本号并退出。")
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    default=None,
    help=(
        f"把这一天当作“今天”（校验日期、新建模板、读本和检索报告的日期）；也可用环境变量 {clock.ENVIRONMENT_VARIABLE}。"
    ),
)
def main(today: str | None) -> None:
    """casebook：容错纠错典型案例库。校验案例、生成网站、检索类案。"""
    try:
        if today is not None:
            # The environment carries the day to every stage, the mkdocs plugin included.
            os.environ[clock.ENVIRONMENT_VARIABLE] = clock.parse_day(today).isoformat()
        clock.today()
    except clock.ClockError as error:
        raise click.UsageError(str(error)) from None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[路径]...")
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
@_cache_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题清单（供工具使用）。")
def validate(paths: tuple[Path, ...], strict: bool, as_json: bool, cache_dir: Path) -> None:
    """校验案例和教学专题（默认 cases/ 与 collections/）：逐条列出 文件:行: 字段: 问题。"""
    started = time.perf_counter()
    # The build's cache of per-file results: unchanged files skip parsing and the name check.
    corpus = load_corpus(_paths(paths), cache=cache_dir / "validated.json")
    seconds = time.perf_counter() - started
    ok = corpus.ok(strict)
    if as_json:
        report = {
            "ok": ok,
            "files": corpus.files,
            "cases": len(corpus.cases),
            "errors": len(corpus.errors),
            "warnings": len(corpus.warnings),
            "problems": [p.as_dict() for p in corpus.problems],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_problems(corpus)
        click.echo(_summary(corpus, seconds), err=True)
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("case_id", metavar="编号")
@click.option("--year", type=int, default=None, help="发布年份，决定存放目录；默认今年。")
@click.option(
    "--dir",
    "cases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CASES,
    show_default=True,
    help="案例目录，新文件放在其下的 <年份>/ 中。",
)
def new(case_id: str, year: int | None, cases_dir: Path) -> None:
    """生成新案例模板 cases/<年份>/<编号>.yaml（已有文件绝不覆盖）。"""
    if not re.fullmatch(CASE_ID_PATTERN, case_id) or len(case_id) > 80:
        raise click.UsageError(f"编号 “{case_id}” 不合规：只能用小写字母、数字和连字符，如 2025-huaian-renfang-rongque")
    today = clock.today()
    path = scaffold_path(cases_dir, case_id, year or today.year)
    existing = sorted(cases_dir.rglob(f"{case_id}.y*ml")) if cases_dir.exists() else []
    if existing:
        click.echo(f"{existing[0]}: 已存在同编号的案例，未做任何改动", err=True)
        sys.exit(1)
    try:
        write_new(path, scaffold(case_id, today))
    except FileExistsError:
        click.echo(f"{path}: 文件已存在，未做任何改动", err=True)
        sys.exit(1)
    click.echo(f"已生成 {path}：按注释填写后运行 casebook validate {path}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[路径]...")
@click.option("--check", is_flag=True, help="只检查，不改写；有需要整理的文件时退出码为 1。")
@click.option("--drop-comments", is_flag=True, help="允许删除文件中用户写的注释。")
def fmt(paths: tuple[Path, ...], check: bool, drop_comments: bool) -> None:
    """把案例整理成统一格式（内容不变）；有错误的文件不动。"""
    corpus = load_corpus(_paths(paths))
    failed = False
    if corpus.errors:
        failed = True
        for problem in corpus.errors:
            click.echo(str(problem), err=True)
        broken = sorted({p.file for p in corpus.errors})
        click.echo(f"{len(broken)} 个文件有错误，未整理；请先修正。", err=True)
    results = [format_case(c, check, drop_comments) for c in corpus.cases if not _has_errors(corpus, c.source.display)]
    counts = Counter(r.status for r in results)
    for result in results:
        if result.status == "needs-format":
            click.echo(f"{result.display}: 需要整理")
        elif result.status == "has-comments":
            lines = "、".join(str(n) for n in result.comment_lines)
            click.echo(f"{result.display}: 第 {lines} 行有注释，整理会删除注释，未改动（确需整理请加 --drop-comments）")
        elif result.status == "reformatted":
            click.echo(f"{result.display}: 已整理")
    if counts["needs-format"]:
        click.echo("运行 casebook fmt 即可整理。", err=True)
    failed = failed or bool(counts["needs-format"] or counts["has-comments"])
    click.echo(
        f"{len(results)} 个案例：{counts['unchanged']} 个无需整理，{counts['reformatted']} 个已整理，"
        f"{counts['needs-format']} 个需要整理，{counts['has-comments']} 个因有注释未改动",
        err=True,
    )
    sys.exit(1 if failed else 0)


def _has_errors(corpus: Corpus, display: str) -> bool:
    return any(p.file == display for p in corpus.errors)


@main.command("schema")
@click.option("--check", is_flag=True, help="只检查已提交的 JSON Schema 是否与模型一致。")
def schema_command(check: bool) -> None:
    """由模型生成编辑器用的 JSON Schema（schema/case.schema.json、schema/collection.schema.json）。"""
    stale = False
    for name in SCHEMAS:
        path = committed_schema_path(name)
        wanted = render_json_schema(name)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == wanted:
            click.echo(f"{path.name} 与模型一致")
        elif check:
            click.echo(f"{path.name} 已过期：运行 casebook schema 重新生成", err=True)
            stale = True
        else:
            path.write_text(wanted, encoding="utf-8")
            click.echo(f"已更新 {path.name}")
    sys.exit(1 if stale else 0)


@main.command()
@click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="网站配置文件。",
)
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="输出目录。")
@click.option("--internal", is_flag=True, help="生成含内部案例的内部版（默认输出到 site-internal/）。")
def build(config_file: Path, site_dir: Path | None, internal: bool) -> None:
    """校验案例并生成静态网站（默认输出到 site/）；失败时原有网站保持不变。"""
    from casebook.builder.publish import BuildError, build_site  # mkdocs loads slowly: only the build needs it

    edition = "internal" if internal else "public"
    if internal and site_dir is None:
        site_dir = Path("site-internal")
    try:
        report = build_site(config_file, site_dir, edition, progress=TerminalBar())
    except BuildError as error:
        click.echo(str(error), err=True)
        click.echo("未生成网站；原有网站保持不变。", err=True)
        sys.exit(1)
    name = "内部版" if internal else "公开版"
    click.echo(f"已生成{name}网站 {_shown(report.site_dir)}：{report.pages} 个页面，用时 {report.seconds:.1f} 秒")


@main.command()
@click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="网站配置文件。",
)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="预览地址。")
def serve(config_file: Path, dev_addr: str) -> None:
    """本地预览网站：修改 cases/ 中的案例并保存后自动刷新；案例有错误时列出问题，继续显示上一次的网站。"""
    from casebook.builder.serve import serve as run_preview

    run_preview(config_file, dev_addr, lambda line: click.echo(line, err=True))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@main.command("print")
@click.argument("collection", metavar="专题编号")
@click.option(
    "--edition",
    type=click.Choice(["student", "teacher"]),
    default="student",
    show_default=True,
    help="student 学员版（不含处理结果和分析，留答题空白）；teacher 教师版（全部内容和教学提示）。",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "pdf"]),
    default="pdf",
    show_default=True,
    help="输出格式：pdf 可直接打印，html 可在浏览器中查看。",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件，默认 <专题编号>-<版本>.<格式>。"
)
@_cases_option
@click.option(
    "--collections",
    "collections_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_COLLECTIONS,
    show_default=True,
    help="教学专题所在目录。",
)
def print_command(
    collection: str, edition: str, output_format: str, output: Path | None, cases_dir: Path, collections_dir: Path
) -> None:
    """把教学专题印成一份完整的案例读本（封面、目录、每案一页起），HTML 或 PDF。"""
    from casebook.builder.printing import EDITIONS, render_casebook, write_pdf

    started = time.perf_counter()
    corpus = load_corpus([p for p in (cases_dir, collections_dir) if p.exists()])
    found = [c for c in corpus.collections if collection in (c.collection.id, str(c.source.path), c.source.display)]
    if not found:
        known = "、".join(c.collection.id for c in corpus.collections) or "（无）"
        raise click.UsageError(f"没有找到专题 “{collection}”；现有专题：{known}")
    chosen = found[0].collection
    cases = {c.case.id: c for c in corpus.cases}
    involved = {found[0].source.display} | {cases[e.case].source.display for e in chosen.cases if e.case in cases}
    blocking = [p for p in corpus.errors if p.file in involved]
    if blocking:
        for problem in blocking:
            click.echo(str(problem), err=True)
        click.echo("专题或其案例有错误，未生成读本。", err=True)
        sys.exit(1)
    target = output or Path(f"{chosen.id}-{edition}.{output_format}")
    if target.suffix in (".yaml", ".yml") or target.resolve().is_relative_to(cases_dir.resolve()):
        raise click.UsageError(f"读本不能写到案例目录或 YAML 文件（{target}）")
    html = render_casebook(chosen, {k: v.case for k, v in cases.items()}, edition, clock.today())
    target.parent.mkdir(parents=True, exist_ok=True)
    if output_format == "html":
        replace_atomically(target, html)
        pages = ""
    else:
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            count = write_pdf(html, temporary)
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)
        pages = f",{count} 页"
    seconds = time.perf_counter() - started
    click.echo(f"已生成{EDITIONS[edition]} {target}：{len(chosen.cases)} 个案例{pages}，用时 {seconds:.1f} 秒")


# --- search and precedents ------------------------------------------------


def _term(name: str, item: str) -> str | None:
    """The id of ``item`` in vocabulary ``name``: an id, a label or a short label as shown on the site."""
    if item in vocab.ids(name):
        return item
    for term in vocab.ids(name):
        if item in (vocab.label(name, term), vocab.short_label(name, term)):
            return term
    return None


def _vocabulary_choice(name: str):  # type: ignore[no-untyped-def]
    """A click callback that accepts ids or Chinese labels and returns ids, suggesting the nearest on a typo."""

    def check(ctx: click.Context, param: click.Parameter, value):  # type: ignore[no-untyped-def]
        values = value if isinstance(value, tuple) else ((value,) if value else ())
        found = []
        for item in values:
            term = _term(name, item)
            if term is None:
                hint = vocab.nearest(name, item)
                suggestion = f"；是否应为 “{vocab.label(name, hint)}”（{hint}）？" if hint else "。"
                choices = "、".join(f"{vocab.label(name, t)}({t})" for t in vocab.ids(name))
                raise click.BadParameter(
                    f"“{item}” 不是{_VOCABULARY_NAMES.get(name, name)}的取值{suggestion}可选：{choices}"
                )
            found.append(term)
        return tuple(found) if isinstance(value, tuple) else (found[0] if found else value)

    return check


_VOCABULARY_NAMES = {
    "outcomes": "处理结果",
    "distinctions": "三个区分开来",
    "domains": "工作领域",
    "roles": "身份类别",
    "levels": "职级",
    "factors": "六看因素",
}


def _regions(index, given: tuple[str, ...]) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """Indexed provinces that each given region names: 湖北 finds 湖北省， 广西 finds 广西壮族自治区."""
    from casebook.builder.stats import region_order

    with index.whoosh.reader() as reader:
        known = region_order(term.decode("utf-8") for term in reader.lexicon("region"))
    chosen: list[str] = []
    for item in given:
        matches = [name for name in known if name.startswith(item.strip())] if item.strip() else []
        if not matches:
            raise click.BadParameter(
                f"没有地区为 “{item}” 的案例；索引中的省份有：{'、'.join(known) or '(无)'}", param_hint="“--region”"
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
        _vocabulary_choice("distinctions")(ctx, param, name)
        if side and side not in vocab.ids("distinction_sides"):
            raise click.BadParameter(
                f"“{item}” 的侧别应为 {'、'.join(vocab.ids('distinction_sides'))} 之一，如 motive=not_tolerated"
            )
    return value


def _open(cases_dir: Path, cache_dir: Path):  # type: ignore[no-untyped-def]
    from casebook.search.index import open_index

    index, report = open_index(cases_dir, cache_dir, progress=TerminalBar())
    broken = sorted({p.file for p in report.problems if p.severity == "error"})
    if broken:
        click.echo(f"以下 {len(broken)} 个案例文件有错误，未纳入索引（运行 casebook validate 查看）：", err=True)
        for name in broken:
            click.echo(f"  {name}", err=True)
    return index, report


@main.command()
@_cases_option
@_cache_option
def index(cases_dir: Path, cache_dir: Path) -> None:
    """建立或更新检索索引（只重新索引内容有变化的案例）。"""
    started = time.perf_counter()
    _, report = _open(cases_dir, cache_dir)
    click.echo(_index_summary(report, time.perf_counter() - started))


def _index_summary(report, seconds: float) -> str:  # type: ignore[no-untyped-def]
    """One line on what indexing did, in words a reader expects ("新增 44 个", not "新增 44")."""
    changes = [
        f"{verb} {count} 个"
        for verb, count in (("新增", report.added), ("更新", report.updated), ("移除", report.removed))
        if count
    ]
    done = "索引已更新：" + "、".join(changes) if changes else "索引已是最新，无需更新"
    return f"{done}；共 {report.files} 个案例文件，用时 {seconds:.2f} 秒"


@main.command()
@click.argument("words", nargs=-1, metavar="[检索词]...")
@click.option(
    "--outcome",
    multiple=True,
    callback=_vocabulary_choice("outcomes"),
    help="处理结果，写中文或编号，如 澄清正名 或 cleared；可多次使用。",
)
@click.option(
    "--distinction",
    multiple=True,
    callback=_vocabulary_choice("distinctions"),
    help="三个区分开来，写中文或编号；可多次使用。",
)
@click.option(
    "--domain", multiple=True, callback=_vocabulary_choice("domains"), help="工作领域，写中文或编号；可多次使用。"
)
@click.option("--region", multiple=True, help="省份，如 湖北 或 湖北省；可多次使用。")
@click.option("--year", multiple=True, help="发布年份，如 2025。")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="最多列出几个结果。")
@click.option("--include-internal", is_flag=True, help="包括内部案例。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@_cases_option
@_cache_option
def search(
    words: tuple[str, ...],
    outcome: tuple[str, ...],
    distinction: tuple[str, ...],
    domain: tuple[str, ...],
    region: tuple[str, ...],
    year: tuple[str, ...],
    limit: int,
    include_internal: bool,
    as_json: bool,
    cases_dir: Path,
    cache_dir: Path,
) -> None:
    """全文检索案例：按相关度排序，标出命中词，并给出分面统计。"""
    from casebook.search.present import search_json, search_text
    from casebook.search.query import search as run_search

    index, _ = _open(cases_dir, cache_dir)
    filters = {
        "outcome": outcome,
        "distinction": distinction,
        "domain": domain,
        "region": _regions(index, region),
        "year": year,
    }
    result = run_search(index, " ".join(words), filters, limit=limit, include_internal=include_internal)
    click.echo(json.dumps(search_json(result), ensure_ascii=False, indent=2) if as_json else search_text(result))


@main.command()
@click.argument(
    "draft", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="[草稿文件]"
)
@click.option("--text", help="用文字描述新情况（可与草稿文件并用）；写 - 则从标准输入读取。")
@click.option("--factor", multiple=True, callback=_factors, help="已知的六看因素，如 motive=favourable，可多次使用。")
@click.option("--distinction", multiple=True, callback=_sides, help="涉及的区分，可带侧别，如 motive=not_tolerated。")
@click.option("--domain", callback=_vocabulary_choice("domains"), help="工作领域。")
@click.option("--rule", multiple=True, help="违反的规定名称，如《中华人民共和国招标投标法》。")
@click.option("--role", callback=_vocabulary_choice("roles"), help="当事人身份类别。")
@click.option("--level", callback=_vocabulary_choice("levels"), help="当事人职级。")
@click.option("-k", "--top", type=click.IntRange(1, 100), default=10, show_default=True, help="列出几个先例。")
@click.option("--include-internal", is_flag=True, help="包括内部案例。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="写出类案检索报告（Markdown）。")
@click.option("--by", default="", help="检索人，写入报告。")
@click.option("--date", "report_date", default=None, help="报告日期，默认今天（YYYY-MM-DD）。")
@_cases_option
@_cache_option
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
    cases_dir: Path,
    cache_dir: Path,
) -> None:
    """检索类案：给出草稿案例文件或文字描述，列出最相似的先例及相似之处。"""
    from casebook.search.finder import Description, describe_query, find, read_query
    from casebook.search.present import similar_json, similar_text

    if text == "-":
        text = sys.stdin.read()
    if draft is None and not ((text or "").strip() or factor or distinction or domain or rule):
        empty = "描述为空：" if text is not None else ""
        raise click.UsageError(f"{empty}请给出草稿案例文件，或用 --text/--factor/--distinction 等描述新情况")
    if report is not None and (
        report.suffix in (".yaml", ".yml") or report.resolve().is_relative_to(cases_dir.resolve())
    ):
        raise click.UsageError(f"报告不能写到案例目录或 YAML 文件（{report}），以免覆盖案例")
    if report_date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", report_date):
        raise click.UsageError("--date 应写作 YYYY-MM-DD")
    try:
        description = Description(draft, text, factor, distinction, domain, rule, role, level)
        query = read_query(description)
    except CaseError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    index, _ = _open(cases_dir, cache_dir)
    finding, scope = find(index, query, top, include_internal)
    if as_json:
        click.echo(json.dumps(similar_json(finding, query), ensure_ascii=False, indent=2))
    else:
        click.echo(similar_text(finding, scope, query))
    if report:
        from casebook.search.report import render_report
        from casebook.search.similar import WEIGHTS

        context = describe_query(description, by, report_date, cases_dir, index, scope)
        report.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(report, render_report(finding, context, WEIGHTS, query))
        click.echo(f"已写出类案检索报告 {report}", err=True)


@main.command()
@_cases_option
@click.option("--include-internal", is_flag=True, help="包括内部案例（默认只统计公开案例，与公开网站一致）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def coverage(cases_dir: Path, include_internal: bool, as_json: bool) -> None:
    """覆盖情况：三个区分开来 × 落在哪一侧 × 处理结果的案例数，并列出尚未收录的类型。"""
    from casebook.builder.render import counted, coverage_text
    from casebook.builder.stats import coverage as coverage_table

    corpus = load_corpus([cases_dir])
    broken = {p.file for p in corpus.errors}
    if broken:
        click.echo(f"{len(broken)} 个案例文件有错误，未计入（运行 casebook validate 查看）", err=True)
    cases = [c.case for c in corpus.cases if c.source.display not in broken]
    table = coverage_table(counted([c for c in cases if include_internal or c.is_public]))
    click.echo(json.dumps(table.as_dict(), ensure_ascii=False, indent=2) if as_json else coverage_text(table), nl=False)


@main.command()
def codes() -> None:
    """列出所有错误代码及其含义。"""
    for code, meaning in CODES.items():
        click.echo(f"{code}  {meaning}")


if __name__ == "__main__":  # pragma: no cover
    main()
