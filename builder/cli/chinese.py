"""Chinese for click: every word click itself prints (help, usage, errors).

click has no translations of its own; it passes each of its messages
through ``gettext`` (``from gettext import gettext as _`` in each module).
Which catalogue ``gettext`` finds depends on the user's locale settings, so
instead of shipping a ``.mo`` file we give click's modules our own
``_``/``ngettext`` while the ``casebook`` command runs (:func:`install`).
``CATALOGUE`` keys are click's message ids verbatim; a test checks them
against the installed click so that an upgrade that changes a message
fails loudly instead of printing English.

The classes below add what gettext cannot reach: Chinese metavars instead
of TEXT/INTEGER/DIRECTORY, a usage line without [OPTIONS], the first
sentence of a command's help as its short help (click counts characters,
not columns, and cuts Chinese mid-word), and a suggestion for a mistyped
command.
"""

from __future__ import annotations

import difflib
import gettext
import importlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import click

from casebook.schema.problems import DISK_ERRORS, write_error_message

CATALOGUE: dict[str, str] = {
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Usage:": "用法：",
    "deprecated": "已弃用",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "Value must be an iterable.": "取值应是一组值。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "unknown error": "未知错误",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Could not open file {filename!r}: {message}": "无法打开文件 “{filename}”：{message}",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 “{command} {option}” 查看帮助。",
    "No such option {name!r}.": "没有选项 “{name}”。",
    "No such command {name!r}.": "没有命令 “{name}”。",
    "Invalid start character for option ({option})": "选项的开头字符不对（{option}）",
    "Option {name!r} does not take a value.": "选项 “{name}” 不接受取值。",
    "Argument {name!r} takes {nargs} values.": "参数 “{name}” 需要 {nargs} 个值。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Choice({choices})": "可选（{choices}）",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}” 不是是/否取值；可写：{states}",
    "{value!r} is not a valid {number_type}.": "“{value}” 不是有效的数字。",
    "{value!r} is not a valid UUID.": "“{value}” 不是有效的 UUID。",
    "{name} {filename!r} is a file.": "“{filename}” 是文件，这里需要目录。",
    "{name} {filename!r} is a directory.": "“{filename}” 是目录，这里需要文件。",
    "{name} {filename!r} is not readable.": "“{filename}” 无法读取。",
    "{name} {filename!r} is not writable.": "“{filename}” 无法写入。",
    "{name} {filename!r} is not executable.": "“{filename}” 不能执行。",
    "{name} {filename!r} does not exist.": "“{filename}” 不存在。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
}

PLURALS: dict[tuple[str, str], str] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多出了参数：{args}",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "需要 {nargs} 个值，只给了 {len} 个。"
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "是否应为 {possibility}\uff1f|（是否应为其中之一：{possibilities}\uff1f）"
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "选项 “{name}” 后面需要写一个值。|选项 “{name}” 后面需要写 {nargs} 个值。"
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "“{value}” 不是 {choice}。|“{value}” 不是可选取值（{choices}）之一。"
    ),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "“{value}” 不符合格式 {format}。|“{value}” 不符合格式 {formats} 中的任何一种。"
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "需要 {len_type} 个值，实际给了 {len_value} 个。",
}

# click's modules that print user-facing text through gettext.
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils", "_termui_impl")


class Chinese(gettext.NullTranslations):
    """A gettext catalogue built from ``CATALOGUE`` and ``PLURALS``."""

    def gettext(self, message: str) -> str:
        return CATALOGUE.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        text = PLURALS.get((msgid1, msgid2))
        if text is None:
            return msgid1 if n == 1 else msgid2
        singular, _, plural = text.partition("|")
        return singular if n == 1 or not plural else plural


def install() -> None:
    """Make click print Chinese (idempotent; affects only click's own messages)."""
    catalogue = Chinese()
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = catalogue.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext  # type: ignore[attr-defined]


def _type_metavar(param: click.Parameter) -> str | None:
    """A Chinese placeholder for an option's value, from its type."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return None  # click lists the choices: [student|teacher]
    if isinstance(kind, click.Path):
        return "目录" if not kind.file_okay else "文件" if not kind.dir_okay else "路径"
    if isinstance(kind, (click.types.IntParamType, click.IntRange)):
        return "整数"
    if isinstance(kind, (click.types.FloatParamType, click.FloatRange)):
        return "数值"
    if isinstance(kind, click.types.StringParamType):
        return "文字"
    return None


def first_sentence(text: str) -> str:
    """The first sentence of a help text (up to the first full stop, semicolon or colon)."""
    text = " ".join(text.split())
    return re.split("[\u3002\uff1b\uff1a]", text, maxsplit=1)[0]


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` columns, between Chinese characters or at spaces."""
    lines: list[str] = []
    line = ""
    closing = "\u3002\uff0c\u3001\uff1b\uff1a\uff1f\uff01\uff09\u300b\u201d\u2019"  # never at the start of a line
    for token in re.findall(r"\s+|[\x00-\u2dff]+?(?=\s|[^\x00-\u2dff]|$)|.", " ".join(text.split())):
        if width(line + token) > columns and line.strip() and token not in closing:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseFormatter(click.HelpFormatter):
    """Help text measured in terminal columns, so Chinese lines wrap and columns line up."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}\uff1a\n")  # 选项：, not 选项:

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        # click puts a space after its prefix; after a full-width colon none is wanted
        super().write_usage(prog, args, CATALOGUE["Usage:"] if prefix is None else prefix)

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [
            wrap(paragraph, max(self.width - self.current_indent, 20)) for paragraph in re.split(r"\n\s*\n", text)
        ]
        self.write("\n\n".join("\n".join(f"{indent}{line}" for line in lines) for lines in paragraphs if lines))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        text_width = max(self.width - first_col - self.current_indent, 20)
        for first, second in rows:
            # click joins "默认:10" and the range with "; "; Chinese text wants ";"
            second = re.sub(r"\[([^\]]*)\]$", lambda m: "[" + m.group(1).replace("; ", ";") + "]", second)
            lines = wrap(second, text_width)
            if width(first) <= first_col - col_spacing:
                head = f"{indent}{first}{' ' * (first_col - width(first))}"
            else:
                self.write(f"{indent}{first}\n")
                head = " " * (first_col + self.current_indent)
            self.write(f"{head}{lines[0] if lines else ''}".rstrip() + "\n")
            for line in lines[1:]:
                self.write(f"{' ' * (first_col + self.current_indent)}{line}\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


def _hint(error: click.BadParameter | click.MissingParameter, ctx: click.Context) -> str:
    """“--limit” or “专题编号”: the option or argument an error is about, in Chinese quotes."""
    if error.param_hint is not None:
        hints: Iterable[str] = [error.param_hint] if isinstance(error.param_hint, str) else error.param_hint
    elif error.param is not None:
        param = error.param
        hints = param.opts if isinstance(param, click.Option) else [param.make_metavar(ctx)]
    else:
        return ""
    return " / ".join(f"“{hint.strip(chr(39))}”" for hint in hints)


class _ChineseErrors:
    """Rewrites click's parameter errors in Chinese word order with Chinese punctuation."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.MissingParameter as error:
            kind = "选项" if isinstance(error.param, click.Option) else "参数"
            raise click.UsageError(f"缺少{kind} {_hint(error, ctx)}。{error.message}", ctx) from None
        except click.BadParameter as error:
            raise click.UsageError(f"{_hint(error, ctx)} 的取值无效：{error.message}", ctx) from None


class ChineseCommand(_ChineseErrors, click.Command):
    """A command whose help reads in Chinese with Chinese placeholders."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None and not getattr(param, "is_flag", False):
                metavar = _type_metavar(param)
                if metavar and isinstance(param, click.Argument):
                    metavar = metavar if param.required else f"[{metavar}]"
                    metavar += "..." if param.nargs != 1 else ""
                param.metavar = metavar

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or first_sentence(self.help or "")


class ChineseGroup(_ChineseErrors, click.Group):
    """The command group: Chinese click messages, Chinese subcommands, suggestions for typos."""

    command_class = ChineseCommand
    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a disk that is full or read-only ends it with a Chinese message and exit code 1.

        Every writer of casebook writes a temporary file and renames it into
        place, so what was there before is left as it was.
        """
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno not in DISK_ERRORS:
                raise
            where = error.filename or "磁盘"
            raise click.ClickException(f"{write_error_message(error, where)}；未做任何改动。") from None

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f"是否应为 “{close[0]}”？" if close else ""
            ctx.fail(f"没有命令 “{name}”。{hint}可用的命令：{'、'.join(self.list_commands(ctx))}")
        return super().resolve_command(ctx, args)
