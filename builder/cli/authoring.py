"""Commands for editors: validate, new, fmt, schema and codes."""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import click

from casebook.builder.cli.options import DEFAULT_CASES, cache_option, command, default_paths, echo, shown
from casebook.schema import CODES, Corpus, clock, load_corpus
from casebook.schema.authoring import format_case, id_holders, scaffold, scaffold_path, write_new
from casebook.schema.jsonschema import SCHEMAS, committed_schema_path, render_json_schema
from casebook.schema.models import CASE_ID_PATTERN


def print_problems(corpus: Corpus) -> None:
    for problem in corpus.problems:
        echo(str(problem))


def _summary(corpus: Corpus, seconds: float) -> str:
    errors, warnings = len(corpus.errors), len(corpus.warnings)
    return (
        f"校验 {corpus.files} 个文件，{len(corpus.cases)} 个案例通过模型校验；"
        f"{errors} 个错误，{warnings} 个警告；用时 {seconds:.2f} 秒"
    )


@command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[路径]...")
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
@cache_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出问题清单（供工具使用）。")
def validate(paths: tuple[Path, ...], strict: bool, as_json: bool, cache_dir: Path) -> None:
    """校验案例和教学专题（默认 cases/ 与 collections/）：逐条列出 文件:行: 字段: 问题。"""
    started = time.perf_counter()
    # The build's cache of per-file results: unchanged files skip parsing and the name check.
    corpus = load_corpus(default_paths(paths), cache=cache_dir / "validated.json")
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
        echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_problems(corpus)
        echo(_summary(corpus, seconds), err=True)
    sys.exit(0 if ok else 1)


@command()
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
    existing = id_holders(cases_dir, case_id)
    if existing:
        echo(f"{existing[0]}: 已有案例使用编号 “{case_id}”，未做任何改动", err=True)
        sys.exit(1)
    try:
        write_new(path, scaffold(case_id, today))
    except FileExistsError:
        echo(f"{path}: 文件已存在，未做任何改动", err=True)
        sys.exit(1)
    echo(f"已生成 {path}：按注释填写后运行 casebook validate {path}")


@command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[路径]...")
@click.option("--check", is_flag=True, help="只检查，不改写；有需要整理的文件时退出码为 1。")
@click.option("--drop-comments", is_flag=True, help="允许删除放不回去的注释（所在字段为空、整理后不再写出）。")
def fmt(paths: tuple[Path, ...], check: bool, drop_comments: bool) -> None:
    """把案例整理成统一格式（内容和注释不变）；有错误的文件不动。"""
    corpus = load_corpus(default_paths(paths))
    failed = False
    if corpus.errors:
        failed = True
        for problem in corpus.errors:
            echo(str(problem), err=True)
        broken = sorted({p.file for p in corpus.errors})
        echo(f"{len(broken)} 个文件有错误，未整理；请先修正。", err=True)
    results = [format_case(c, check, drop_comments) for c in corpus.cases if not _has_errors(corpus, c.source.display)]
    counts = Counter(r.status for r in results)
    for result in results:
        if result.status == "needs-format":
            echo(f"{result.display}: 需要整理")
        elif result.status == "has-comments":
            lines = "、".join(str(n) for n in result.comment_lines)
            echo(
                f"{result.display}: 第 {lines} 行的注释所在字段在统一格式中没有（留空或为 null 的字段不写出），"
                "整理会删除这些注释，未改动（确需整理请加 --drop-comments）"
            )
        elif result.status == "reformatted":
            echo(f"{result.display}: 已整理")
    if counts["needs-format"]:
        echo("运行 casebook fmt 即可整理。", err=True)
    failed = failed or bool(counts["needs-format"] or counts["has-comments"])
    echo(
        f"{len(results)} 个案例：{counts['unchanged']} 个无需整理，{counts['reformatted']} 个已整理，"
        f"{counts['needs-format']} 个需要整理，{counts['has-comments']} 个因有注释未改动",
        err=True,
    )
    sys.exit(1 if failed else 0)


def _has_errors(corpus: Corpus, display: str) -> bool:
    return any(p.file == display for p in corpus.errors)


@command("schema")
@click.option("--check", is_flag=True, help="只检查已提交的 JSON Schema 是否与模型一致。")
def schema_command(check: bool) -> None:
    """由模型生成编辑器用的 JSON Schema（schema/case.schema.json、schema/collection.schema.json）。"""
    stale = False
    for name in SCHEMAS:
        path = committed_schema_path(name)
        wanted = render_json_schema(name)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == wanted:
            echo(f"{path.name} 与模型一致")
        elif check:
            echo(f"{path.name} 已过期：运行 casebook schema 重新生成", err=True)
            stale = True
        else:
            path.write_text(wanted, encoding="utf-8")
            echo(f"已更新 {path.name}")
    sys.exit(1 if stale else 0)


@command()
def codes() -> None:
    """列出所有错误代码及其含义。"""
    for code, meaning in CODES.items():
        echo(f"{code}  {meaning}")


@command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="原文文件...")
@click.option(
    "-o",
    "--out",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="草稿写到这个目录（不存在时新建）；已有同名文件绝不覆盖。",
)
@click.option("--into-cases", is_flag=True, help="允许写进案例目录 cases/（默认拒绝，以免草稿混入正式案例）。")
@click.option("--url", default=None, help="原文网址（原文件中没有网址时填写；只能与一个原文文件同用）。")
@click.option("--published", default=None, metavar="YYYY-MM-DD", help="通报的发布日期（原文没有写全日期时填写）。")
def draft(sources: tuple[Path, ...], folder: Path, into_cases: bool, url: str | None, published: str | None) -> None:
    """从已发布的通报起草案例：读取 .txt、网页（.html/.htm）或 Word（.docx），每个案例写一份草稿 YAML。"""
    from casebook.builder.draft import SourceError, draft_notice, review, write_drafts

    if folder.resolve().is_relative_to(DEFAULT_CASES.resolve()) and not into_cases:
        raise click.UsageError(f"草稿不写进案例目录（{folder}）：请另选目录，或确需如此时加 --into-cases")
    if url is not None and (len(sources) > 1 or not re.match(r"https?://\S+$", url)):
        raise click.UsageError("--url 应是一个 http(s) 网址，且只能与一个原文文件同用")
    if published is not None:
        try:
            clock.parse_day(published)
        except clock.ClockError as error:
            raise click.UsageError(f"--published：{error}") from None
    failed, written = False, []
    for source in sources:
        try:
            drafted = draft_notice(source, clock.today(), url=url, published=published)
        except SourceError as error:
            echo(str(error), err=True)
            failed = True
            continue
        echo(f"{source}：找到 {len(drafted.drafts)} 个案例")
        for item in drafted.replacements:
            echo(f"  替换姓名：{item.name} → {item.alias}（{item.count} 处）")
        for removal in drafted.removals:
            echo(f"  删除{removal.kind}：{removal.shown}（第 {removal.paragraph + 1} 段）")
        for name in drafted.names_left:
            echo(f"  注意：草稿中仍像有姓名 “{name}”，请手工打码", err=True)
        done, refused = write_drafts(drafted, folder)
        for path in refused:
            echo(f"  {shown(path)}：文件已存在，未覆盖；请换一个目录", err=True)
        failed = failed or bool(refused) or bool(drafted.names_left)
        written += done
    if not written:
        sys.exit(1)
    echo("\n草稿已写出；还要做的事（核对“据原文推断”的字段后删去注释，再补写下列各项）：")
    for left in review(written, clock.today()):
        echo(f"{shown(left.path)}：据原文推断 {left.inferred} 处待核对")
        for problem in left.problems:
            echo(f"  {problem}")
        for line in left.to_write:
            echo(f"  {line}")
    sys.exit(1 if failed else 0)


COMMANDS = (validate, new, fmt, schema_command, codes, draft)
