"""The ``casebook`` command: a thin layer over the library functions.

One module per group of commands: :mod:`.authoring` (validate, new, fmt,
schema, codes), :mod:`.site` (build, serve, print) and :mod:`.lookup`
(index, search, similar, coverage). Each command parses its options, calls
one library function and prints. Exit codes: 0 success, 1 problems in the
data, 2 wrong usage.
"""

from __future__ import annotations

import os

import click

from casebook.builder.cli import authoring, lookup, site
from casebook.builder.cli.chinese import ChineseGroup
from casebook.schema import clock, release


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


for _command in (*authoring.COMMANDS, *site.COMMANDS, *lookup.COMMANDS):
    main.add_command(_command)
