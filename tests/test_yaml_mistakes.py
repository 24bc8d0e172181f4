"""Broken YAML a writer is likely to produce: each is reported at its own line with advice that fits it."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.schema import load_corpus

GOOD = Path(__file__).parent / "fixtures" / "good" / "2024" / "2024-fixture-rongque.yaml"
FULL_COLON = "\uff1a"

# (name, replace this, with this, expected line, field, words the message must contain)
MISTAKES = [
    ("over-indented key", "subtitle:", "  subtitle:", 4, "subtitle", ["多缩进了 2 格", "删去多出的空格"]),
    ("under-indented first child", "  publisher:", " publisher:", 9, "publication.publisher", ["没有对齐"]),
    (
        "under-indented key under an empty key",
        "    state: current",
        "  state: current",
        16,
        "publication.status.state",
        ["少缩进了 2 格", "缩进 4 格"],
    ),
    (
        "under-indented value of a six looks factor",
        "    value: favourable",
        "  value: favourable",
        40,
        "six_looks.motive.value",
        ["少缩进了 2 格", "应属于它"],
    ),
    ("full-width colon", "domain: approval", f"domain{FULL_COLON}approval", 26, "domain", ["全角冒号", "半角冒号"]),
    ("full-width colon and space", "domain: approval", f"domain{FULL_COLON} approval", 26, "domain", ["全角冒号"]),
    ("tab indentation", "  publisher:", "\tpublisher:", 9, "publication", ["Tab", "空格"]),
    ("unclosed quote", "title: 测试用", 'title: "测试用', 3, "title", ["引号没有闭合"]),
    ("missing colon", "domain: approval_services", "domain approval_services", 26, "domain", ["缺少冒号"]),
    ("no space after colon", "domain: approval_services", "domain:approval_services", 26, "domain", ["缺少空格"]),
]


def _problems(tmp_path: Path, text: str) -> list:
    folder = tmp_path / "2024"
    folder.mkdir()
    (folder / GOOD.name).write_text(text, encoding="utf-8")
    return list(load_corpus([folder]).problems)


@pytest.mark.parametrize(("name", "old", "new", "line", "field", "words"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_yaml_mistake_is_reported_at_its_line_with_fitting_advice(tmp_path, name, old, new, line, field, words):
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    problems = _problems(tmp_path, text.replace(old, new, 1))
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.code, problem.line, problem.field) == ("CB001", line, field), str(problem)
    for word in words:
        assert word in problem.message, str(problem)
    assert "mapping values" not in problem.message and "while scanning" not in problem.message
    assert "值里含冒号" not in problem.message  # the advice for a colon inside a value fits none of these
    assert ": -:" not in str(problem)


def test_a_colon_inside_a_value_still_gets_the_quoting_advice(tmp_path):
    text = GOOD.read_text(encoding="utf-8").replace("title: 测试用", "title: 注意: 测试用", 1)
    (problem,) = _problems(tmp_path, text)
    assert (problem.line, problem.field) == (3, "title")
    assert "加引号" in problem.message


def test_a_phone_number_inside_a_text_block_is_reported_at_its_own_line(tmp_path):
    text = GOOD.read_text(encoding="utf-8").replace(
        "  项目提前约3个月开工。", "  联系电话13812345678。\n  项目提前约3个月开工。"
    )
    lines = text.splitlines()
    (problem,) = [p for p in _problems(tmp_path, text) if p.code == "CB303"]
    assert lines[problem.line - 1].strip() == "联系电话13812345678。"
    assert problem.field == "facts" and lines.index("facts: |-") + 1 < problem.line


def test_a_missing_key_point_points_to_the_end_of_the_file_and_says_so(tmp_path):
    text = GOOD.read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if not line.startswith("key_point:")) + "\n"
    (problem,) = _problems(tmp_path, kept)
    assert (problem.code, problem.field) == ("CB102", "key_point")
    assert problem.line == len(kept.splitlines())
    assert "文件末尾" in problem.message
