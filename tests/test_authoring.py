"""Authoring: the scaffold, `casebook new` never overwriting, `casebook fmt` never losing content."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.schema import load_corpus
from casebook.schema.authoring import canonical_text, comments, scaffold
from casebook.schema.models import Case
from tests.corpora import FIXTURES, TODAY

GOOD = FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml"


def _fill(data: dict) -> dict:
    """What an officer types into the scaffold's blanks."""
    data.update(title="某区容缺审批案", subtitle="先行审查、事后补正，予以容错免责", keywords=["容缺办理"])
    data["publication"].update(publisher="某区纪委监委", published="2025-07-01")
    data["publication"]["sources"] = [{"url": "https://example.org/a"}]
    data["person"].update(alias="谢某某", role="county_department")
    data.update(domain="approval_services", facts="企业承诺补缺后先行审查。", key_point="出于公心的容缺审批可以容错。")
    data["outcome"].update(result="exempted", wording="予以容错免责")
    return data  # the fields marked 选填 stay as the scaffold wrote them


def test_new_writes_a_commented_scaffold_that_validates_once_filled(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", "2025-test-rongque", "--year", "2025", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "2025" / "2025-test-rongque.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/case.schema.json\n")
    assert "# 处理结果 可选：exempted=容错免责" in text

    unfilled = load_corpus([path], today=TODAY)
    assert {p.code for p in unfilled.errors} == {"CB104", "CB105", "CB106", "CB107"}
    assert all(p.message.startswith("尚未填写") for p in unfilled.errors)
    assert unfilled.cases == ()
    # Only what the scaffold asks for: no field it marks 选填 is an error when left as written.
    lines = text.splitlines()
    asked = [lines[p.line - 2] for p in unfilled.errors]
    assert asked and not [comment for comment in asked if "选填" in comment], unfilled.errors
    assert {p.field.split(".")[0].split("[")[0] for p in unfilled.errors} == {
        "title",
        "subtitle",
        "keywords",
        "publication",
        "person",
        "domain",
        "facts",
        "outcome",
        "key_point",
    }

    path.write_text(yaml.safe_dump(_fill(yaml.safe_load(text)), allow_unicode=True), encoding="utf-8")
    filled = load_corpus([path], today=TODAY)
    assert filled.problems == ()
    assert filled.cases[0].case.id == "2025-test-rongque"


def test_new_never_overwrites(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["new", "2025-test-rongque", "--year", "2025", "--dir", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    path = tmp_path / "2025" / "2025-test-rongque.yaml"
    path.write_text("我的草稿", encoding="utf-8")
    again = runner.invoke(main, args)
    assert again.exit_code == 1
    assert "未做任何改动" in again.output
    assert path.read_text(encoding="utf-8") == "我的草稿"
    other_year = runner.invoke(main, ["new", "2025-test-rongque", "--year", "2024", "--dir", str(tmp_path)])
    assert other_year.exit_code == 1
    assert not (tmp_path / "2024").exists()


def test_new_rejects_an_id_that_could_choose_a_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", "../escape", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "不合规" in result.output
    assert list(tmp_path.iterdir()) == []


def _messy_copy(tmp_path: Path, comment: str = "") -> Path:
    target = tmp_path / "2024-fixture-rongque.yaml"
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    target.write_text(comment + yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return target


def test_fmt_rewrites_to_canonical_form_without_changing_content(tmp_path: Path) -> None:
    target = _messy_copy(tmp_path)
    before = load_corpus([target], today=TODAY).cases[0].case
    runner = CliRunner()
    assert runner.invoke(main, ["fmt", "--check", str(target)]).exit_code == 1
    result = runner.invoke(main, ["fmt", str(target)])
    assert result.exit_code == 0, result.output
    assert load_corpus([target], today=TODAY).cases[0].case == before
    assert runner.invoke(main, ["fmt", "--check", str(target)]).exit_code == 0


def _commented(tmp_path: Path) -> Path:
    """The good fixture, out of canonical order, with an author's comments in every place they are written."""
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("title: ", "# 标题待定\ntitle: ", 1)
    text = text.replace("facts: |-", "facts: |- # 待核实：开工日期", 1)
    text = text.replace("  result: exempted", "  result: 容错免责  # 来源原话", 1)
    lines = text.splitlines()
    domain = next(line for line in lines if line.startswith("domain: "))
    lines.remove(domain)  # out of canonical order
    target = tmp_path / GOOD.name
    target.write_text("\n".join([*lines, domain]) + "\n# 资料：通报原文已存档\n", encoding="utf-8")
    return target


COMMENTS = ["# 标题待定", "# 待核实：开工日期", "# 来源原话", "# 资料：通报原文已存档"]


def test_fmt_keeps_every_comment_and_check_agrees_with_it(tmp_path: Path) -> None:
    target = _commented(tmp_path)
    before = load_corpus([target], today=TODAY).cases[0].case
    runner = CliRunner()
    check = runner.invoke(main, ["fmt", "--check", str(target)])
    assert check.exit_code == 1 and "需要整理" in check.output
    result = runner.invoke(main, ["fmt", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert [c.text for c in comments(text)] == COMMENTS
    lines = text.splitlines()
    assert lines[lines.index("# 标题待定") + 1].startswith("title: ")
    assert "facts: |- # 待核实：开工日期" in lines
    assert "  result: exempted # 来源原话" in lines
    assert lines[-1] == "# 资料：通报原文已存档"
    assert load_corpus([target], today=TODAY).cases[0].case == before
    assert runner.invoke(main, ["fmt", "--check", str(target)]).exit_code == 0
    assert ": 已整理" not in runner.invoke(main, ["fmt", str(target)]).output


def test_fmt_names_the_line_of_a_comment_it_cannot_keep_and_check_says_the_same(tmp_path: Path) -> None:
    target = tmp_path / GOOD.name
    text = GOOD.read_text(encoding="utf-8").replace("outcome:", "notes: null  # 以后补充\noutcome:", 1)
    target.write_text(text, encoding="utf-8")
    line = text.splitlines().index("notes: null  # 以后补充") + 1
    for args in (["fmt", "--check"], ["fmt"]):
        result = CliRunner().invoke(main, [*args, str(target)])
        assert result.exit_code == 1
        assert f"第 {line} 行的注释" in result.output and "未改动" in result.output
        assert "运行 casebook fmt 即可整理" not in result.output
        assert target.read_text(encoding="utf-8") == text
    assert CliRunner().invoke(main, ["fmt", "--drop-comments", str(target)]).exit_code == 0
    assert "以后补充" not in target.read_text(encoding="utf-8")


def test_fmt_keeps_the_file_its_mode_its_links_and_writes_through_a_symlink(tmp_path: Path) -> None:
    target = _messy_copy(tmp_path)
    target.chmod(0o664)
    twin = tmp_path / "twin.yaml"
    os.link(target, twin)
    inode = target.stat().st_ino
    assert CliRunner().invoke(main, ["fmt", str(target)]).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o664
    assert target.stat().st_ino == inode and twin.read_text(encoding="utf-8") == target.read_text(encoding="utf-8")
    assert list(tmp_path.glob(".*")) == []  # no copy left beside it

    real = tmp_path / "real" / GOOD.name
    real.parent.mkdir()
    shutil.move(str(_messy_copy(tmp_path)), real)
    link = tmp_path / "linked" / GOOD.name
    link.parent.mkdir()
    link.symlink_to(real)
    assert CliRunner().invoke(main, ["fmt", str(link)]).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8") == canonical_text(
        load_corpus([real], today=TODAY).cases[0].case
    )


def test_fmt_leaves_a_broken_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "enum-typo.yaml"
    shutil.copy(FIXTURES / "broken" / "enum-typo.yaml", target)
    original = target.read_bytes()
    result = CliRunner().invoke(main, ["fmt", str(target)])
    assert result.exit_code == 1
    assert "CB104" in result.output
    assert target.read_bytes() == original


def test_scaffold_mentions_every_top_level_field() -> None:
    text = scaffold("2025-x")
    for name in Case.model_fields:
        assert f"\n{name}:" in text


def test_a_blank_item_beside_filled_ones_is_still_reported_at_its_index(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    target = tmp_path / GOOD.name
    target.write_text(text + 'lessons:\n  - 容缺办理要有书面承诺。\n  - ""\n', encoding="utf-8")
    [problem] = load_corpus([target], today=TODAY).errors
    assert (problem.field, problem.code, problem.line) == ("lessons[1]", "CB106", len(text.splitlines()) + 3)
