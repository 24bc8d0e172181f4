"""Faults: killed builds, concurrent builds, full and read-only disks, and authoring that never loses text."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


# Bounded, and generous: a build of the slow project takes seconds on an idle machine, minutes on a busy one.
LIMIT_SECONDS = 900
# What a killed build leaves beside the site is marked, so that the next build's own staging folder tells apart.
LEFT_BY_A_KILL = ".left-by-a-killed-build"


def _fresh_staging(project: Path) -> Path | None:
    """The staging folder the running build made (not one a killed build left for it to clear)."""
    return next((p for p in _staging_folders(project) if not (p / LEFT_BY_A_KILL).exists()), None)


def _pages_in(folder: Path | None) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder is not None else 0


def _group_cpu_seconds(pid: int) -> float:
    """CPU time a build has used so far: its process, its live workers and the workers it has reaped.

    CPU time, not wall time: a busy machine stretches a build's wall time many times over,
    but not the work it does before writing the site.
    """
    pids = [pid]
    with contextlib.suppress(OSError):
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            pids += [int(child) for child in children.read_text().split()]
    ticks = 0
    for member in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if member == pid:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: the reaped workers
    return ticks / os.sysconf("SC_CLK_TCK")


def _due(
    phase: str, share: float, pid: int, project: Path, cpu_before_writing: float, pages: int
) -> Callable[[], bool]:
    """When a kill meant for ``share`` of ``phase`` (before the writing, or during it) is due."""
    if phase == "before":
        return lambda: _fresh_staging(project) is not None or _group_cpu_seconds(pid) >= share * cpu_before_writing

    def writing() -> bool:
        staging = _fresh_staging(project)
        return staging is not None and _pages_in(staging) >= share * pages

    return writing


def _wait_for(process: subprocess.Popen[str], reached: Callable[[], bool]) -> None:
    """Poll until ``reached()`` or the build ends, within the generous limit."""
    deadline = time.monotonic() + LIMIT_SECONDS
    while process.poll() is None and not reached():
        assert time.monotonic() < deadline, f"the build did not reach the moment within {LIMIT_SECONDS} s"
        time.sleep(0.02)


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_published_site(
    slow_project: Path, ledger: Ledger, tmp_path: Path
) -> None:
    """Kills land at moments the build itself reaches, whatever the machine's load.

    Each build gets an empty cache, so that it is a full build. One, run to the
    end, says how much CPU time a build spends before it starts writing the new
    site. Two kills then fall before the writing (at a quarter and at three fifths
    of that CPU time) and four during it (as soon as the new site's folder appears,
    and when it holds a quarter, half and three quarters of its pages). Each build is stopped
    (SIGSTOP) at its moment, so that what it was doing is recorded exactly, then
    killed (SIGKILL, the whole process group). A kill that misses its phase (a build
    faster than the calibration) is tried again, up to three times.
    """
    calibration = _start_build(slow_project, tmp_path / "cache-calibration")
    _wait_for(calibration, lambda: _fresh_staging(slow_project) is not None)
    cpu_before_writing = _group_cpu_seconds(calibration.pid)
    _, err = calibration.communicate(timeout=LIMIT_SECONDS)
    assert calibration.returncode == 0, err
    before = snapshot(slow_project / "site")
    pages = _pages_in(slow_project / "site")
    plan = [("before", 0.25), ("before", 0.6)] + [("writing", share) for share in (0.0, 0.25, 0.5, 0.75)]
    landed = {"before": 0, "writing": 0, "later": 0, "ended": 0}
    attempts = 0
    for phase, share in plan:
        for _ in range(3):
            process = _start_build(slow_project, tmp_path / f"cache-{attempts}")
            attempts += 1
            published = (slow_project / "site").stat().st_ino
            _wait_for(process, _due(phase, share, process.pid, slow_project, cpu_before_writing, pages))
            with contextlib.suppress(ProcessLookupError):  # a build that already ended is counted, not killed
                os.killpg(process.pid, signal.SIGSTOP)
            running = process.poll() is None
            staging = _fresh_staging(slow_project)
            swapped = (slow_project / "site").stat().st_ino != published
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            moment = "ended" if not running else "later" if swapped else "writing" if staging else "before"
            landed[moment] += 1
            for left in _staging_folders(slow_project):
                (left / LEFT_BY_A_KILL).touch()
            after = snapshot(slow_project / "site") if (slow_project / "site").exists() else {}
            intact = after == before
            ledger.record("故障", intact, lost=0 if intact else max(1, len(set(before) - set(after))))
            assert intact, (phase, share, moment)
            if moment == phase:
                break
            share /= 2  # too late for its phase: a little earlier next time
    ledger.note(
        f"强行终止构建 {attempts} 次（构建写入新网站前约用 {cpu_before_writing:.1f} 秒 CPU，新网站 {pages} 个页面）："
        f"{landed['before']} 次在写入前，{landed['writing']} 次正在写入新网站"
    )
    assert landed["before"] >= 2, landed
    assert landed["writing"] >= 4, landed
    finished = _start_build(slow_project)
    _, err = finished.communicate(timeout=LIMIT_SECONDS)
    ledger.record("故障", finished.returncode == 0)
    assert finished.returncode == 0, err
    assert not _staging_folders(slow_project)


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


@pytest.mark.slow  # sixty cases written, formatted and read back
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
