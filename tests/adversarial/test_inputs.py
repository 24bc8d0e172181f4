"""Malformed YAML, encodings, resource attacks and identity attacks, through the real commands."""

from __future__ import annotations

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
from tests.conftest import FIXTURES, SITE_CASES, TODAY
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
