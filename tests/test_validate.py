"""Validation: every kind of broken input gives its exact message, file, line and field."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.schema import CODES, load_corpus
from casebook.schema import vocabulary as vocab
from casebook.schema.clock import ENVIRONMENT_VARIABLE
from casebook.schema.loader import MAX_FILE_BYTES
from casebook.schema.validate import _translate
from tests.corpora import FIXTURES, REAL_CASES, REAL_COLLECTIONS, SITE_CASES, TODAY

BROKEN = FIXTURES / "broken"
PREFIX = "tests/fixtures/broken/"

# (fixture, exact lines printed by `casebook validate`): one fixture per kind of error.
BROKEN_TABLE = [
    (
        "alias-unmasked",
        [
            "alias-unmasked.yaml:23: person.alias: 化名 “谢守廉” 未打码：只能写成 谢某某、次某 这样的形式 [CB301]",
        ],
    ),
    (
        "alias",
        [
            "alias.yaml:50: notes: 案例文件不允许使用锚点（&）和别名（*），请直接写出内容 [CB005]",
        ],
    ),
    (
        "bad-id",
        [
            "bad-id.yaml:2: id: “Bad_ID” 格式不对：案例编号只能由小写字母、数字和连字符组成，如 2025-huaian-renfang-rongque [CB107]",
        ],
    ),
    (
        "bad-url",
        [
            "bad-url.yaml:12: publication.sources[0].url: “见原文” 不是有效网址 [CB107]",
        ],
    ),
    (
        "bank-card",
        [
            "bank-card.yaml:29: facts: 含银行卡号 “6222020200112233446”，发布前必须删除 [CB307]",
        ],
    ),
    (
        "company-name",
        [
            "company-name.yaml:29: facts: “淮安宏达建设有限公司” 像是具体企业或项目的名称，可能指向当事人，建议改为“某公司”“某项目” [CB310 警告]",
        ],
    ),
    (
        "dates-out-of-order",
        [
            "dates-out-of-order.yaml:49: procedure[1].date: 第 2 步 2024-07-01 早于第 1 步 2024-09-01 [CB204]",
        ],
    ),
    (
        "deep-nesting",
        [
            "deep-nesting.yaml:51: notes[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: 嵌套超过 20 层，案例文件不需要这么深 [CB006]",
        ],
    ),
    (
        "duplicate-key",
        [
            "duplicate-key.yaml:27: domain: 键 “domain” 重复（第 26 行已写过），后一个会覆盖前一个 [CB008]",
        ],
    ),
    (
        "duplicate-keyword",
        [
            "duplicate-keyword.yaml:5: keywords: 关键词重复：容缺办理 [CB108]",
        ],
    ),
    (
        "email-address",
        [
            "email-address.yaml:29: facts: 含电子邮箱 “xie.mou@example.com”，发布前必须删除 [CB305]",
        ],
    ),
    (
        "empty",
        [
            "empty.yaml:1: -: 文件是空的：请用 casebook new 生成模板后填写 [CB003]",
        ],
    ),
    (
        "enum-typo",
        [
            "enum-typo.yaml:43: outcome.result: “exemptd” 不是 outcomes 词表中的取值；是否应为 “exempted”（容错免责）？可选值：exempted、lighter、mitigated、no_sanction、accountable、sanctioned、cleared、pre_filed、prosecution_withdrawn、undisclosed [CB104]",
        ],
    ),
    (
        "future-date",
        [
            "future-date.yaml:47: procedure[0].date: 程序第 1 步日期 2999-01-01 晚于今天（2026-12-02） [CB205]",
            "future-date.yaml:49: procedure[1].date: 程序第 2 步日期 2999-02-01 晚于今天（2026-12-02） [CB205]",
        ],
    ),
    (
        "gbk-encoding",
        [
            "gbk-encoding.yaml:3: -: 文件似乎是 GBK/GB18030 编码，请转换为 UTF-8 后再校验，例如：iconv -f GB18030 -t UTF-8 原文件 > 新文件 [CB002]",
        ],
    ),
    (
        "id-card-number",
        [
            "id-card-number.yaml:29: facts: 含身份证号码 “11010519491231002X”，发布前必须删除 [CB302]",
        ],
    ),
    (
        "id-mismatch",
        [
            "id-mismatch.yaml:2: id: 编号 “another-id” 与文件名 “id-mismatch.yaml” 不一致：文件应命名为 another-id.yaml [CB202]",
        ],
    ),
    (
        "impossible-date",
        [
            "impossible-date.yaml:10: publication.published: 日期 “2023-02-30” 不存在 [CB105]",
        ],
    ),
    (
        "landline-number",
        [
            "landline-number.yaml:29: facts: 含固定电话号码 “0517-83456789”，发布前必须删除 [CB304]",
        ],
    ),
    (
        "licence-plate",
        [
            "licence-plate.yaml:29: facts: 含机动车号牌 “苏H12345”，发布前必须删除 [CB306]",
        ],
    ),
    (
        "list-for-mapping",
        [
            "list-for-mapping.yaml:18: region: 应为映射（键: 值），实际是列表 [CB103]",
        ],
    ),
    (
        "list-root",
        [
            "list-root.yaml:1: -: 文件顶层应是“键: 值”的映射，实际是列表 [CB004]",
        ],
    ),
    (
        "missing-field",
        [
            "missing-field.yaml:49: key_point: 缺少必填字段（要旨）；文件中没有 key_point，可加在文件末尾（第 49 行之后） [CB102]",
        ],
    ),
    (
        "control-character",
        [
            "control-character.yaml:3: title: 含控制字符 U+001B：网页、PDF 和终端会隐藏或误显示这些字符，请删除 [CB111]",
        ],
    ),
    (
        "home-address",
        [
            "home-address.yaml:29: facts: 含门牌级住址 “3栋2单元501室”，发布前必须删除 [CB312]",
        ],
    ),
    (
        "mobile-number",
        [
            "mobile-number.yaml:29: facts: 含手机号码 “13812345678”，发布前必须删除 [CB303]",
        ],
    ),
    (
        "multiline-subtitle",
        [
            "multiline-subtitle.yaml:4: subtitle: 只能写一行，不能换行 [CB109]",
        ],
    ),
    (
        "related-missing",
        [
            "related-missing.yaml:52: related[0]: 相关案例 “2020-no-such-case” 不存在 [CB203]",
        ],
    ),
    (
        "related-self",
        [
            "related-self.yaml:52: related[0]: 相关案例不能是本案自身 [CB207]",
        ],
    ),
    (
        "syntax-error",
        [
            "syntax-error.yaml:3: title: YAML 语法错误（第 8 列）：这一行开头的引号没有闭合：在值的末尾补上同样的引号 [CB001]",
        ],
    ),
    (
        "tab-indent",
        [
            "tab-indent.yaml:9: publication: YAML 语法错误：第 1 列有 Tab 字符：YAML 缩进只能用空格 [CB001]",
        ],
    ),
    (
        "too-many-keywords",
        [
            "too-many-keywords.yaml:5: keywords: 最多 7 项，实际 8 项 [CB106]",
        ],
    ),
    (
        "unknown-key",
        [
            "unknown-key.yaml:3: titel: 未知字段 “titel”；是否应为 “title”？ [CB101]",
            "unknown-key.yaml:50: title: 缺少必填字段（案例标题）；文件中没有 title，可加在文件末尾（第 50 行之后） [CB102]",
        ],
    ),
    (
        "unmasked-name",
        [
            "unmasked-name.yaml:29: facts: “谢守廉” 像是未打码的真实姓名，公开案例不能发布：请改为化名（如 谢某某）；"
            "若来源本身公开此姓名且确需保留，在 published_names 中写明姓名和理由 [CB308]",
        ],
    ),
    (
        "published-name-unused",
        [
            "published-name-unused.yaml:52: published_names[0].name: 声明公开的姓名 “王建国” 没有出现在任何文字中 [CB309 警告]",
        ],
    ),
    (
        "ruling-in-facts",
        [
            "ruling-in-facts.yaml:29: facts: 学员研判前读到的文字点明了处理结果（“予以容错”）："
            "请改写为中性表述，结果只写在处理结果（outcome）中 [CB311 警告]",
        ],
    ),
    (
        "utf16-encoding",
        [
            "utf16-encoding.yaml: -: 文件是 UTF-16 编码，请另存为 UTF-8（无 BOM） [CB002]",
        ],
    ),
    (
        "withdrawn-incomplete",
        [
            "withdrawn-incomplete.yaml:15: publication.status: 已撤回的案例须写明撤回日期 withdrawn 和原因 reason [CB206]",
        ],
    ),
    (
        "wrong-type",
        [
            "wrong-type.yaml:5: keywords: 应为列表（每项以 - 开头），实际是文字 [CB103]",
        ],
    ),
    (
        "duplicate-id",
        [
            "duplicate-id/2024/duplicate-id.yaml:2: id: 编号 “duplicate-id” 与 tests/fixtures/broken/duplicate-id/2025/duplicate-id.yaml 重复 [CB201]",
            "duplicate-id/2025/duplicate-id.yaml:2: id: 编号 “duplicate-id” 与 tests/fixtures/broken/duplicate-id/2024/duplicate-id.yaml 重复 [CB201]",
        ],
    ),
]

# Collections are checked against the cases they cite: (fixture, exact lines) with the site fixtures' cases.
COLLECTION_TABLE = [
    ("unknown-case", ["unknown-case.yaml:7: cases[1].case: 案例 “2030-no-such-case” 不存在 [CB401]"]),
    (
        "internal-in-public",
        ["internal-in-public.yaml:7: cases[0].case: 公开专题不能收入内部案例 “2018-site-internal” [CB402]"],
    ),
    (
        "repeated-case",
        ["repeated-case.yaml:8: cases[2].case: 案例 “2025-site-renfang” 在本专题中重复（第 1 项已列出） [CB403]"],
    ),
    (
        "withdrawn-case",
        ["withdrawn-case.yaml:6: cases[0].case: 案例 “2023-site-withdrawn” 已撤回，不宜用于教学 [CB404 警告]"],
    ),
    (
        "ruling-in-prompt",
        [
            "ruling-in-prompt.yaml:7: cases[0].prompt: 学员版的标题点明了处理结果（“获容错免责”）："
            "请改写为中性表述，结果只写在处理结果（outcome）中 [CB311]"
        ],
    ),
    (
        # The introduction's lines are joined as the booklet prints them: 当事人⏎获澄清正名 is found,
        # and each finding points to the line the editor wrote it on.
        "giveaway-in-introduction",
        [
            "giveaway-in-introduction.yaml:7: introduction: 学员版的导语按位置说出了案例的结果（“最后一案……澄清”）："
            "请不要告诉学员哪几个案例怎样处理 [CB311]",
            "giveaway-in-introduction.yaml:7: introduction: 学员版的导语提到了学员版没有的内容（“翻开处理结果”）："
            "学员版只印标题、案情、涉及的规定和讨论题，请改为不依赖这些内容的说法（如“再由教师讲评”） [CB311]",
            "giveaway-in-introduction.yaml:8: introduction: 学员版的导语点明了处理结果（“获澄清正名”）："
            "请改写为中性表述，结果只写在处理结果（outcome）中 [CB311]",
        ],
    ),
]

WARNING_ONLY = {"company-name", "published-name-unused", "ruling-in-facts"}


def _fixture_path(name: str) -> Path:
    folder = BROKEN / name
    return folder if folder.is_dir() else BROKEN / f"{name}.yaml"


@pytest.mark.parametrize(("name", "expected"), BROKEN_TABLE, ids=[row[0] for row in BROKEN_TABLE])
def test_broken_fixture_gives_exact_messages(name: str, expected: list[str]) -> None:
    corpus = load_corpus([_fixture_path(name)], today=TODAY)
    assert [str(p) for p in corpus.problems] == [PREFIX + line for line in expected]


@pytest.mark.parametrize(("name", "expected"), BROKEN_TABLE, ids=[row[0] for row in BROKEN_TABLE])
def test_cli_exits_nonzero_on_each_broken_fixture(name: str, expected: list[str]) -> None:
    path = str(_fixture_path(name).relative_to(Path.cwd()))
    result = CliRunner().invoke(main, ["validate", "--strict", path])
    assert result.exit_code == 1, result.output
    for line in expected:
        assert PREFIX + line in result.output
    plain = CliRunner().invoke(main, ["validate", path])
    assert plain.exit_code == (0 if name in WARNING_ONLY else 1), plain.output


@pytest.mark.parametrize(("name", "expected"), COLLECTION_TABLE, ids=[row[0] for row in COLLECTION_TABLE])
def test_broken_collection_gives_exact_messages(name: str, expected: list[str]) -> None:
    corpus = load_corpus([SITE_CASES, BROKEN / "collections" / f"{name}.yaml"], today=TODAY)
    assert [str(p) for p in corpus.problems] == [PREFIX + "collections/" + line for line in expected]


def test_collection_alone_is_checked_against_the_cases_beside_it() -> None:
    corpus = load_corpus([FIXTURES / "site" / "collections"], today=TODAY)
    assert corpus.problems == ()
    assert [entry.case for entry in corpus.collections[0].collection.cases] == [
        "2025-site-renfang", "2019-site-cleared", "2024-site-injection"
    ]  # fmt: skip


def test_every_error_code_has_a_fixture_or_a_test() -> None:
    rows = BROKEN_TABLE + COLLECTION_TABLE
    covered = {line.rsplit("[", 1)[1].split()[0].rstrip("]") for _, lines in rows for line in lines}
    # built in tmp_path or from a raw error below, or hostile files and encodings in tests/adversarial/test_inputs.py
    tested_elsewhere = {"CB007", "CB009", "CB110", "CB010", "CB011", "CB012"}
    assert set(CODES) == covered | tested_elsewhere


def test_unforeseen_pydantic_error_keeps_its_location_and_message() -> None:
    error = {"type": "some_future_type", "loc": ("outcome", "wording"), "msg": "Value error, 奇怪的值", "input": 1}
    assert _translate(error) == (("outcome", "wording"), "CB110", "奇怪的值")


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("notes: " + "很" * (MAX_FILE_BYTES // 3 + 10), encoding="utf-8")
    [problem] = load_corpus([tmp_path], today=TODAY).problems
    assert (problem.code, problem.field) == ("CB007", "-")
    assert "超过上限 262144 字节" in problem.message


def test_unreadable_file_is_reported_not_raised(tmp_path: Path) -> None:
    os.symlink(tmp_path / "missing-target.yaml", tmp_path / "dangling.yaml")
    [problem] = load_corpus([tmp_path], today=TODAY).problems
    assert problem.code == "CB009"
    assert problem.message.startswith("无法读取文件")


def test_all_problems_of_all_files_are_collected_in_one_run() -> None:
    corpus = load_corpus([BROKEN], today=TODAY)
    files_with_problems = {p.file for p in corpus.problems}
    fixtures = {str(p.relative_to(Path.cwd())) for p in BROKEN.rglob("*.yaml")}  # collections cite absent cases
    assert files_with_problems == fixtures


def test_good_fixture_has_no_problem() -> None:
    corpus = load_corpus([FIXTURES / "good"], today=TODAY)
    assert corpus.problems == ()
    assert [c.case.id for c in corpus.cases] == ["2024-fixture-rongque"]


def test_json_output_lists_problems_with_codes_and_lines() -> None:
    result = CliRunner().invoke(main, ["validate", "--json", str(BROKEN / "enum-typo.yaml")])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    [problem] = report["problems"]
    assert problem["code"] == "CB104"
    assert problem["line"] == 43
    assert problem["field"] == "outcome.result"
    assert "exempted" in problem["message"]


def test_syntax_errors_keep_line_and_column() -> None:
    [problem] = load_corpus([BROKEN / "syntax-error.yaml"], today=TODAY).problems
    assert (problem.line, problem.column) == (3, 8)


def test_gbk_file_is_explained_not_misread() -> None:
    [problem] = load_corpus([BROKEN / "gbk-encoding.yaml"], today=TODAY).problems
    assert "iconv -f GB18030 -t UTF-8" in problem.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    source = (FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_bytes()
    target = tmp_path / "2024-fixture-rongque.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + source)
    assert load_corpus([target], today=TODAY).problems == ()


def test_real_collections_are_varied() -> None:
    corpus = load_corpus([REAL_CASES, REAL_COLLECTIONS])
    collections = {c.collection.id: c.collection for c in corpus.collections}
    assert len(collections) >= 3
    cases = {c.case.id: c.case for c in corpus.cases}
    for collection in collections.values():
        assert all(entry.prompt and entry.teaching_notes for entry in collection.cases), collection.id
        for entry in collection.cases:
            # a student's title must not give the ruling away
            assert not re.search("容错|免责|减责|从轻|免予|问责|处分|澄清|正名|不实|失实", entry.prompt or ""), (
                entry.prompt
            )
    distinctions = {d.distinction for c in collections["sange-qufen-bianjie"].cases for d in cases[c.case].distinctions}
    assert distinctions == {"experience", "exploration", "motive"}


def test_real_corpus_covers_the_vocabulary() -> None:
    corpus = load_corpus([REAL_CASES])
    cases = [c.case for c in corpus.cases]
    assert len(cases) >= 56
    outcomes = Counter(c.outcome.result for c in cases)
    # The sources support every outcome but one: none reports a ruling that refused
    # tolerance (不予容错); sanctions reported without a 容错 ruling are "sanctioned".
    assert set(outcomes) == set(vocab.ids("outcomes")) - {"accountable"}
    assert outcomes["sanctioned"] >= 7
    distinctions = Counter(d.distinction for c in cases for d in c.distinctions)
    assert set(distinctions) == {"experience", "exploration", "motive"}
    huaian = next(c for c in cases if c.region.city == "淮安市" and "人防" in c.facts)
    assert huaian.person.alias == "谢某某"
    assert huaian.outcome.result == "exempted"
    assert all(c.publication.sources for c in cases)


def test_internal_cases_are_validated_like_public_ones(tmp_path: Path) -> None:
    source = (BROKEN / "mobile-number.yaml").read_text(encoding="utf-8")
    target = tmp_path / "mobile-number.yaml"
    target.write_text(source.replace("visibility: public", "visibility: internal"), encoding="utf-8")
    codes = [p.code for p in load_corpus([target], today=TODAY).problems]
    assert codes == ["CB303"]


def test_today_is_what_the_command_line_or_the_environment_says() -> None:
    path = str((FIXTURES / "good").relative_to(Path.cwd()))
    pinned = {ENVIRONMENT_VARIABLE: TODAY.isoformat()}
    assert CliRunner().invoke(main, ["validate", "--strict", path], env=pinned).exit_code == 0
    earlier = CliRunner().invoke(main, ["--today", "2019-01-01", "validate", path], env=pinned)
    assert earlier.exit_code == 1
    assert "晚于今天（2019-01-01） [CB205]" in earlier.output
    from_environment = CliRunner().invoke(main, ["validate", path], env={ENVIRONMENT_VARIABLE: "2019-01-01"})
    assert "晚于今天（2019-01-01） [CB205]" in from_environment.output


@pytest.mark.parametrize("args, env", [(["--today", "2026-02-30"], {}), ([], {ENVIRONMENT_VARIABLE: "明天"})])
def test_an_impossible_today_is_a_usage_error(args: list[str], env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        main, [*args, "validate", "cases"], env={ENVIRONMENT_VARIABLE: TODAY.isoformat(), **env}
    )
    assert result.exit_code == 2
    assert "不是有效的日期：应写作 YYYY-MM-DD" in result.output


# (field as written, label an editor types, id the case holds)
LABELS = [
    ("result: exempted", "result: 容错免责", ("outcome", "result"), "exempted"),
    ("result: exempted", "result: 问责处理(未见容错认定)", ("outcome", "result"), "sanctioned"),
    ("domain: approval_services", "domain: 审批服务", ("domain",), "approval_services"),
    ("    value: favourable", "    value: 有利", ("six_looks", "motive", "value"), "favourable"),
    ("  motive:\n    value", "  主观动机:\n    value", ("six_looks", "motive", "value"), "favourable"),
]


@pytest.mark.parametrize(("old", "new", "path", "term"), LABELS, ids=[row[1] for row in LABELS])
def test_a_vocabulary_label_reads_as_its_id(tmp_path: Path, old: str, new: str, path: tuple, term: str) -> None:
    good = next((FIXTURES / "good").rglob("*.yaml"))
    text = good.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / good.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    corpus = load_corpus([target], today=TODAY)
    assert corpus.problems == ()
    value = corpus.cases[0].case.model_dump()
    for part in path:
        value = value[part]
    assert value == term


def test_validating_one_file_finds_the_cases_it_relates_to_beside_it(tmp_path: Path) -> None:
    one = REAL_CASES / "2025" / "2025-huaian-renfang-rongque.yaml"
    assert load_corpus([one], today=TODAY).problems == ()
    folder = tmp_path / "cases" / "2025"
    folder.mkdir(parents=True)
    (folder / one.name).write_text(
        one.read_text(encoding="utf-8").replace("2024-yichang-zigui-fengxian-baobei", "2024-no-such-case"),
        encoding="utf-8",
    )
    (folder / "2025-kunming-songming-rongcuo-baobei.yaml").write_text("id: x\n", encoding="utf-8")
    problems = load_corpus([folder / one.name], today=TODAY).problems
    assert [(p.code, p.message) for p in problems] == [("CB203", "相关案例 “2024-no-such-case” 不存在")]
