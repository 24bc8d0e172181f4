"""Faults: killed builds, concurrent builds, full and read-only disks, and authoring that never loses text."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from casebook.builder.cli import main
from casebook.builder.publish import BuildError, build_site
from casebook.schema import load_corpus
from casebook.schema.authoring import format_case
from casebook.schema.loader import load_text
from casebook.schema.models import Case
from tests.adversarial.conftest import Ledger, good_case_data
from tests.bench.corpus import write_corpus
from tests.corpora import SITE_CASES, TODAY
from tests.site_helpers import build, site_config, snapshot

CASEBOOK = str(Path(sys.executable).with_name("casebook"))


@pytest.fixture(scope="module")
def slow_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus big enough that a build takes a few seconds, already published once."""
    tmp = tmp_path_factory.mktemp("faults")
    write_corpus(300, tmp / "cases", seed=5)
    build(tmp, tmp / "cases")
    return tmp


def _start_build(project: Path, cache: Path | None = None) -> subprocess.Popen[str]:
    config = site_config(project, project / "cases", cache=cache)
    return subprocess.Popen(
        [CASEBOOK, "build", "-f", str(config), "-d", str(project / "site")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _staging_folders(project: Path) -> list[Path]:
    return [p for p in project.iterdir() if p.name.startswith(".site.") and p.is_dir()]


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_published_site(
    slow_project: Path, ledger: Ledger, tmp_path: Path
) -> None:
    before = snapshot(slow_project / "site")
    # Each build gets an empty cache, so that it is a full build; one of them,
    # run to the end, says when a build here starts writing the new site and
    # when it ends: two kills fall before the writing, four during it (timed
    # from the moment the new site's folder appears, so a slower run only
    # widens the window).
    started = time.monotonic()
    calibration = _start_build(slow_project, tmp_path / "cache-calibration")
    writing_from = None
    while calibration.poll() is None:
        if writing_from is None and _staging_folders(slow_project):
            writing_from = time.monotonic() - started
        time.sleep(0.02)
    assert calibration.returncode == 0
    duration = time.monotonic() - started
    writing_from = writing_from or 0.0
    before = snapshot(slow_project / "site")
    moments = random.Random(20261122)
    writing_for = duration - writing_from
    phases = ["before"] * 2 + ["writing"] * 4
    running_when_killed = writing_when_killed = 0
    kills = len(phases)
    for attempt, phase in enumerate(phases):
        process = _start_build(slow_project, tmp_path / f"cache-{attempt}")
        if phase == "before":
            # A moment before the writing, or the writing's first instant if it comes sooner.
            deadline = time.monotonic() + moments.uniform(0.1, 0.9) * writing_from
            while time.monotonic() < deadline and process.poll() is None and not _staging_folders(slow_project):
                time.sleep(0.01)
        else:
            while process.poll() is None and not _staging_folders(slow_project):
                time.sleep(0.01)
            time.sleep(moments.uniform(0.0, 0.5) * writing_for)
        running = process.poll() is None
        writing = running and bool(_staging_folders(slow_project))
        with contextlib.suppress(ProcessLookupError):  # a build that already ended is counted, not killed
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        running_when_killed += running
        writing_when_killed += writing
        after = snapshot(slow_project / "site") if (slow_project / "site").exists() else {}
        intact = after == before
        ledger.record("故障", intact, lost=0 if intact else max(1, len(set(before) - set(after))))
        assert intact
    ledger.note(
        f"强行终止构建 {kills} 次（一次完整构建约 {duration:.1f} 秒，第 {writing_from:.1f} 秒起写入新网站）："
        f"{running_when_killed} 次构建仍在进行，其中 {writing_when_killed} 次正在写入新网站"
    )
    assert running_when_killed >= kills - 1, "most kills must land while the build is still running"
    assert writing_when_killed >= 3, "most kills meant for the writing phase must land in it"
    assert running_when_killed - writing_when_killed >= 1, "some kills must land before the writing starts"
    finished = _start_build(slow_project)
    _, err = finished.communicate(timeout=300)
    ledger.record("故障", finished.returncode == 0)
    assert finished.returncode == 0, err
    assert not [p for p in slow_project.iterdir() if p.name.startswith(".site.") and p.is_dir()]


@pytest.mark.slow
def test_a_build_while_another_writes_fails_clearly(slow_project: Path, ledger: Ledger) -> None:
    # The test itself holds the folder's lock, as a build busy writing would:
    # whenever the second build arrives, the first is certainly still at it.
    before = snapshot(slow_project / "site")
    with (slow_project / ".site.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = _start_build(slow_project)
        _, err = second.communicate(timeout=300)
    ok = second.returncode == 1 and "另一个构建正在写入" in err and snapshot(slow_project / "site") == before
    ledger.record("故障", ok)
    assert ok, (second.returncode, err)


@pytest.mark.slow
def test_two_real_builds_at_once_leave_one_whole_site(slow_project: Path, ledger: Ledger) -> None:
    first, second = _start_build(slow_project), _start_build(slow_project)
    results = [(p.wait(timeout=300), p.stdout.read() + p.stderr.read()) for p in (first, second)]  # type: ignore[union-attr]
    # Whether the two overlap depends on timing; either way no build may break
    # the site, and a refused one must say why.
    refused = [text for code, text in results if code != 0]
    ok = len(refused) <= 1 and all("另一个构建正在写入" in text for text in refused)
    ledger.record("故障", ok)
    assert ok, results
    assert (slow_project / "site" / "index.html").exists()


def _mount_tmpfs(target: Path, size: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True
        ).returncode
        == 0
    )


def _unmount(target: Path) -> None:
    subprocess.run(["umount", str(target)], capture_output=True)


def _inject(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Where no file system can be mounted, make the build's writes fail as that one would."""

    def failing(config, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("casebook.builder.publish.mkdocs_build", failing)


def test_full_disk_gives_a_clear_error_and_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledger: Ledger
) -> None:
    disk = tmp_path / "full"
    mounted = _mount_tmpfs(disk, "600k")
    if not mounted:
        _inject(monkeypatch, errno.ENOSPC)
    try:
        with pytest.raises(BuildError, match="磁盘空间不足") as raised:
            build_site(site_config(tmp_path, SITE_CASES), disk / "site")
        leftovers = [p.name for p in disk.iterdir() if p.is_dir()]
        ledger.record("故障", leftovers == [] and "磁盘空间不足" in str(raised.value))
        assert leftovers == []
    finally:
        if mounted:
            _unmount(disk)


def test_read_only_folder_gives_a_clear_error_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledger: Ledger
) -> None:
    disk = tmp_path / "ro"
    mounted = _mount_tmpfs(disk, "50m")
    try:
        build_site(site_config(tmp_path, SITE_CASES), disk / "site")
        before = snapshot(disk / "site")
        if mounted:
            assert subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True).returncode == 0
        else:
            _inject(monkeypatch, errno.EROFS)
        with pytest.raises(BuildError, match=r"没有写权限|只读"):
            build_site(site_config(tmp_path, SITE_CASES), disk / "site")
        kept = snapshot(disk / "site") == before
        ledger.record("故障", kept, lost=0 if kept else 1)
        assert kept
    finally:
        if mounted:
            _unmount(disk)


# --- authoring never loses content -------------------------------------------------

_TEXT = st.text(
    alphabet=st.sampled_from(
        list("容错纠错案例村干部审批人防某事项，。；：“”《》（）、—")
        + list("abcXYZ <>&\"'#*[]{}|-:\\")
        + ["\n", " ", "\t"]
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(facts=_TEXT, key_point=_TEXT, title=_TEXT, keyword=_TEXT, note=_TEXT)
@example(facts=":", key_point=":", title=":", keyword=":", note=" #")  # a '#' in a value once passed for a comment
def test_fmt_keeps_every_character_that_matters(
    facts: str, key_point: str, title: str, keyword: str, note: str, tmp_path: Path, ledger: Ledger
) -> None:
    data = good_case_data()
    data.update(facts=facts, key_point=key_point, title=title.replace("\n", " "), keywords=[keyword.replace("\n", " ")])
    data["six_looks"]["motive"]["note"] = note
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=True, default_flow_style=True)
    loaded, problems = load_text(text, "x")
    assume(loaded is not None and not problems)
    try:
        original = Case.model_validate(loaded.data)
    except ValueError:
        assume(False)
    folder = tmp_path / "fmt"
    folder.mkdir(exist_ok=True)
    target = folder / "2024-fixture-rongque.yaml"
    target.write_text(text, encoding="utf-8")
    corpus = load_corpus([target], today=TODAY)
    assume(not corpus.problems)
    format_case(corpus.cases[0], check=False, drop_comments=False)
    again = load_corpus([target], today=TODAY)
    same = [c.case for c in again.cases] == [original]
    idempotent = format_case(again.cases[0], check=True, drop_comments=False).status == "unchanged"
    ledger.record("故障", same and idempotent, lost=0 if same else 1)
    assert same and idempotent


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=0, max_size=200))
def test_new_never_touches_an_existing_file(content: bytes, tmp_path: Path, ledger: Ledger) -> None:
    cases = tmp_path / "cases"
    target = cases / "2025" / "2025-existing-case.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    result = CliRunner().invoke(main, ["new", "2025-existing-case", "--year", "2025", "--dir", str(cases)])
    kept = target.read_bytes() == content
    ledger.record("故障", kept and result.exit_code == 1, lost=0 if kept else 1)
    assert kept and result.exit_code == 1
    shutil.rmtree(cases)
