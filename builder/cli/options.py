"""What several commands share: the folder options, Chinese vocabulary values and the command class."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from casebook.builder.cli.chinese import ChineseCommand
from casebook.schema import vocabulary as vocab
from casebook.schema.text import terminal_safe

DEFAULT_CASES = Path("cases")
DEFAULT_COLLECTIONS = Path("collections")

# Every command of casebook is a ChineseCommand: Chinese help, metavars and errors.
command = functools.partial(click.command, cls=ChineseCommand)

cases_option = click.option(
    "--cases",
    "cases_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CASES,
    show_default=True,
    help="案例所在目录。",
)
cache_option = click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".cache"),
    show_default=True,
    help="检索索引等缓存所在目录。",
)
config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="网站配置文件。",
)


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Print a line for the user: case text in it can never drive the terminal (see ``terminal_safe``)."""
    click.echo(terminal_safe(message), err=err, nl=nl)


def default_paths(paths: tuple[Path, ...]) -> list[Path]:
    """The paths given, or the project's cases and collections."""
    return list(paths) or [p for p in (DEFAULT_CASES, DEFAULT_COLLECTIONS) if p.exists()] or [DEFAULT_CASES]


def shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the working folder when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def vocabulary_choice(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback that accepts ids or Chinese labels and returns ids, suggesting the nearest on a typo."""

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        values = value if isinstance(value, tuple) else ((value,) if value else ())
        found = []
        for item in values:
            term = vocab.term_for(name, item)
            if term is None:
                hint = vocab.nearest(name, item)
                suggestion = f"；是否应为 “{vocab.label(name, hint)}”（{hint}）？" if hint else "。"
                choices = "、".join(f"{vocab.label(name, t)}({t})" for t in vocab.ids(name))
                raise click.BadParameter(f"“{item}” 不是{vocab.title(name)}的取值{suggestion}可选：{choices}")
            found.append(term)
        return tuple(found) if isinstance(value, tuple) else (found[0] if found else value)

    return check
