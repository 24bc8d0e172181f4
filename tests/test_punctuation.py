"""Chinese prose uses full-width punctuation, in generated pages and CLI messages alike."""

from __future__ import annotations

import pytest

from tests.punctuation import ROOT, fix_javascript, fix_python, fix_text, targets, unfixed

C, CO, SC, LP, RP = "\uff0c", "\uff1a", "\uff1b", "\uff08", "\uff09"

TABLE = [
    ("整理:", f"整理{CO}"),
    ("案例,经", f"案例{C}经"),
    ("处理结果:容错免责", f"处理结果{CO}容错免责"),
    ("收录:2026-11-22", f"收录{CO}2026-11-22"),
    ("问责处理(未见容错认定)", f"问责处理{LP}未见容错认定{RP}"),
    ("UTF-8(GBK 会说明)", f"UTF-8{LP}GBK 会说明{RP}"),
    ("有错误;请先修正", f"有错误{SC}请先修正"),
    # notation and English stay as they are
    ("应写成“键: 值”", "应写成“键: 值”"),
    ("逐条列出 文件:行: 字段: 问题", "逐条列出 文件:行: 字段: 问题"),
    ("YAML 只认半角冒号“:”", "YAML 只认半角冒号“:”"),
    ("The six looks (六看) are", "The six looks (六看) are"),
    ("1<=x<=1000; a, b", "1<=x<=1000; a, b"),
    ("https://example.org/a,b", "https://example.org/a,b"),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_half_width_punctuation_beside_chinese_becomes_full_width(text: str, expected: str) -> None:
    assert fix_text(text) == expected


def test_code_inside_f_strings_and_patterns_is_left_alone() -> None:
    source = 'a = f"共 {len(x)} 个,{vocab.label(\'d\', \'容错\')}"\nb = re.compile(r"(某某|某)")\nc = "[^,]+(容)"\n'
    assert fix_python(source) == source.replace("个,", f"个{C}", 1)


def test_page_scripts_strings_are_fixed_and_their_comments_and_patterns_left_alone() -> None:
    source = (
        'show("内部版:检索范围包括内部案例(标有“内部”),不得对外提供。");\n'
        '  // 注释:不改 "内部版:检索"\n'
        'var marks = "，。；：";\n'
        'var pattern = new RegExp("[\\u4e00-\\u9fd5]+(?:,)");\n'
    )
    fixed = fix_javascript(source)
    assert fixed.splitlines()[0] == f'show("内部版{CO}检索范围包括内部案例{LP}标有“内部”{RP}{C}不得对外提供。");'
    assert fixed.splitlines()[1:] == source.splitlines()[1:]


def test_the_project_text_is_already_full_width() -> None:
    problems = unfixed()
    assert problems == [], "运行 python -m tests.punctuation --fix 改正:\n" + "\n".join(problems)


def test_a_mark_before_a_placeholder_of_a_chinese_message_is_chinese() -> None:
    """「11 个案例,13 页」came from f",{count} 页": the comma sits between the quote and a placeholder."""
    source = 'a = f",{count} 页"\nb = f"{path}:{line}: {field}: 尚待撰写"\nc = f"{a}, {b}"\n'
    assert fix_python(source) == source.replace('f",{count}', f'f"{C}{{count}}', 1)


def test_every_module_of_every_subpackage_is_read() -> None:
    read = {str(path.relative_to(ROOT)) for path, _ in targets()}
    assert "builder/cli/site.py" in read and "builder/cli/lookup.py" in read
