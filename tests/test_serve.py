"""``casebook serve`` as a publicity officer uses it: address at start, problems in Chinese, no hanging browser."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.corpora import SITE_CASES
from tests.site_helpers import ROOT, site_config

# Each test starts a preview server and waits for real builds.
pytestmark = pytest.mark.slow

GOOD = "2025/2025-site-renfang.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """A running ``casebook serve`` whose output lines arrive on a queue."""

    def __init__(self, tmp: Path, cases: Path) -> None:
        self.port = _free_port()
        config = site_config(tmp, cases)
        command = [
            sys.executable,
            "-m",
            "casebook.builder.cli",
            "serve",
            "-f",
            str(config),
            "-a",
            f"127.0.0.1:{self.port}",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, words: str, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if words in line:
                return line
        raise AssertionError(f"no “{words}” in:\n" + "\n".join(self.seen))

    def get(self, path: str = "index.html") -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=20) as response:
            return response.read().decode("utf-8")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def _cases(tmp: Path) -> Path:
    cases = tmp / "cases"
    shutil.copytree(SITE_CASES, cases)
    shutil.copytree(SITE_CASES.parent / "collections", tmp / "collections")
    return cases


def test_serve_prints_the_address_reports_a_bad_edit_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    cases = _cases(tmp_path)
    preview = Preview(tmp_path, cases)
    try:
        line = preview.wait_for("预览地址")
        assert f"http://127.0.0.1:{preview.port}/" in line
        assert "容错纠错典型案例库" in preview.get()
        case = cases / GOOD
        good = case.read_text(encoding="utf-8")
        case.write_text(good.replace("domain: ", "domain\uff1a", 1), encoding="utf-8")
        problem = preview.wait_for("CB001")
        assert f"{GOOD.split('/')[1]}:" in problem and "全角冒号" in problem
        preview.wait_for("上一次成功生成的网站")
        page = BeautifulSoup(preview.get(), "html.parser")  # answered at once, not held until a fix
        assert "容错纠错典型案例库" in page.get_text()
        banner = page.find(id="casebook-problems")
        assert banner is not None and "案例有错误" in banner.get_text()
        assert "全角冒号" in banner.get_text() and GOOD.split("/")[1] in banner.get_text()
        case.write_text(good, encoding="utf-8")
        preview.wait_for("已生成网站")
        page = BeautifulSoup(preview.get(), "html.parser")
        assert "容错纠错典型案例库" in page.get_text() and page.find(id="casebook-problems") is None
    finally:
        preview.stop()
    assert not any("Aborted" in line or "Traceback" in line or "Serving on" in line for line in preview.seen)


def test_serve_with_a_broken_case_at_start_shows_the_problems_and_waits(tmp_path: Path) -> None:
    cases = _cases(tmp_path)
    case = cases / GOOD
    good = case.read_text(encoding="utf-8")
    case.write_text(good.replace("domain: ", "domain\uff1a", 1), encoding="utf-8")
    preview = Preview(tmp_path, cases)
    try:
        preview.wait_for("CB001")
        preview.wait_for("预览地址")
        page = preview.get()
        assert "案例有错误" in page and "全角冒号" in page
        case.write_text(good, encoding="utf-8")
        preview.wait_for("已生成网站")
        assert "容错纠错典型案例库" in preview.get()
    finally:
        preview.stop()
