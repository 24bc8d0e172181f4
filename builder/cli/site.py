"""Commands that make what readers get: build, serve and print."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from casebook.builder.cli.options import DEFAULT_COLLECTIONS, cases_option, command, config_option, echo, shown
from casebook.schema import clock, load_corpus
from casebook.schema.authoring import replace_atomically, writes_into_cases
from casebook.schema.progress import TerminalBar


@command()
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="输出目录。")
@click.option("--internal", is_flag=True, help="生成含内部案例的内部版（默认输出到 site-internal/）。")
@click.option(
    "--into-public-dir",
    is_flag=True,
    help="允许把内部版写入公开版的输出目录（mkdocs.yml 的 site_dir，默认 site/）；不加此项时拒绝。",
)
def build(config_file: Path, site_dir: Path | None, internal: bool, into_public_dir: bool) -> None:
    """校验案例并生成静态网站（默认输出到 site/）；失败时原有网站保持不变。"""
    from casebook.builder.publish import BuildError, build_site  # mkdocs loads slowly: only the build needs it

    edition = "internal" if internal else "public"
    if internal and site_dir is None:
        site_dir = Path("site-internal")
    try:
        report = build_site(config_file, site_dir, edition, progress=TerminalBar(), into_public_dir=into_public_dir)
    except BuildError as error:
        echo(str(error), err=True)
        echo("未生成网站；原有网站保持不变。", err=True)
        sys.exit(1)
    name = "内部版" if internal else "公开版"
    echo(f"已生成{name}网站 {shown(report.site_dir)}：{report.pages} 个页面，用时 {report.seconds:.1f} 秒")


@command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="预览地址。")
def serve(config_file: Path, dev_addr: str) -> None:
    """本地预览网站：修改 cases/ 中的案例并保存后自动刷新；案例有错误时列出问题，继续显示上一次的网站。"""
    from casebook.builder.serve import serve as run_preview

    run_preview(config_file, dev_addr, lambda line: echo(line, err=True))


@command("print")
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
@cases_option
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
    from casebook.builder.printing import BOOKLET_EDITIONS, render_casebook, write_pdf

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
            echo(str(problem), err=True)
        echo("专题或其案例有错误，未生成读本。", err=True)
        sys.exit(1)
    target = output or Path(f"{chosen.id}-{edition}.{output_format}")
    if writes_into_cases(target, cases_dir):
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
        pages = f"，{count} 页"
    seconds = time.perf_counter() - started
    echo(f"已生成{BOOKLET_EDITIONS[edition]} {target}：{len(chosen.cases)} 个案例{pages}，用时 {seconds:.1f} 秒")


COMMANDS = (build, serve, print_command)
