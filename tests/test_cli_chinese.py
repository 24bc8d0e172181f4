"""The command line speaks Chinese: no click boilerplate in any help or common error."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.builder.cli.chinese import CATALOGUE, PLURALS
from casebook.schema import load_corpus
from tests.punctuation import fix_text

ENGLISH = [
    "Usage",
    "Options",
    "Show this message",
    "[default",
    "Commands",
    "Error",
    "Try '",
    "Invalid value",
    "No such",
    "Missing",
    "does not exist",
    "is not",
    "TEXT",
    "INTEGER",
    "DIRECTORY",
    "FILE",
    "PATH",
]
COMMANDS = sorted(main.commands)


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese_and_every_option_is_described(command: str) -> None:
    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert _english_in(result.output) == [], result.output
    assert "用法：" in result.output and "选项：" in result.output
    if command:
        for param in main.commands[command].params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{command} {param.opts} has no description"


ERRORS = [
    (["nosuch"], "没有命令 “nosuch”"),
    (["valdate"], "是否应为 “validate”"),
    (["validate", "--bogus"], "没有选项 “--bogus”"),
    (["validate", "no/such/file.yaml"], "不存在"),
    (["search", "-n", "0"], "不在范围"),
    (["search", "-n"], "后面需要写一个值"),
    (["print"], "缺少参数 “专题编号”"),
    (["print", "x", "--edition", "boss"], "不是可选取值"),
    (["search", "--outcome", "澄清"], "是否应为 “澄清正名”"),
]


@pytest.mark.parametrize(("args", "words"), ERRORS, ids=[" ".join(a) for a, _ in ERRORS])
def test_usage_errors_are_chinese(args: list[str], words: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert _english_in(result.output) == [], result.output


def test_the_catalogue_covers_every_message_of_the_installed_click() -> None:
    """A click upgrade that adds or changes a message fails here instead of printing English."""
    messages, plurals = set(), set()
    for source in Path(click.__file__).parent.glob("*.py"):
        if source.name == "_winconsole.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if node.func.id == "_" and texts:
                    messages.add(texts[0])
                elif node.func.id == "ngettext" and len(texts) == 2:
                    plurals.add((texts[0], texts[1]))
    internal = {m for m in messages if "defined twice" in m or "declaration" in m or "Did you mean to" in m}
    internal |= {m for m in messages if m.startswith(("DeprecationWarning", "Boolean option", "Unknown", "Couldn't"))}
    internal |= {m for m in messages if "Bash" in m or m == "d"}
    assert messages - internal - set(CATALOGUE) == set()
    assert plurals - set(PLURALS) == set()
    assert set(CATALOGUE) - messages <= {"required"}  # click passes "required" through _() as a variable


def test_outcome_filter_accepts_the_chinese_label(tmp_path: Path) -> None:
    from casebook.schema.vocabulary import term_for

    assert term_for("outcomes", "澄清正名") == "cleared"
    assert term_for("outcomes", "cleared") == "cleared"
    assert term_for("outcomes", "问责（未见容错认定）") == "sanctioned"
    assert term_for("outcomes", "澄清") is None


def test_search_filters_take_chinese_labels_and_the_start_of_a_province(tmp_path: Path) -> None:
    import json

    from tests.corpora import SITE_CASES

    def hits(*filters: str) -> list[str]:
        args = ["search", *filters, "--json", "--cases", str(SITE_CASES), "--cache", str(tmp_path)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        return [hit["id"] for hit in json.loads(result.output[result.output.index("{") :])["hits"]]

    cleared = hits("--outcome", "cleared")
    assert cleared and hits("--outcome", "澄清正名") == cleared
    province = next(c.case.region.province for c in load_corpus([SITE_CASES]).cases if c.case.region.province)
    full = hits("--region", province)
    assert full and hits("--region", province[:2]) == full
    refused = CliRunner().invoke(
        main, ["search", "--region", "火星", "--cases", str(SITE_CASES), "--cache", str(tmp_path)]
    )
    assert refused.exit_code == 2 and "没有地区为 “火星” 的案例" in refused.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "tests/fixtures/site/cases", "tests/fixtures/broken/collections/giveaway-in-introduction.yaml"],
        ["fmt", "--check", "tests/fixtures/site/cases"],
        ["coverage"],
        ["codes"],
        ["search", "人防", "容缺"],
        ["similar", "--text", "村支书未经集体研究，把集体资金借给承包户，本人没有获利"],
    ],
    ids=lambda args: args[0],
)
def test_messages_use_chinese_punctuation(args: list[str]) -> None:
    """Chinese messages have full-width marks beside Chinese (「11 个案例，13 页」, not 「11 个案例,13 页」)."""
    output = CliRunner().invoke(main, args).output
    assert output.strip()
    mixed = [line for line in output.splitlines() if fix_text(line) != line]
    assert mixed == []
