"""The adversarial suite: bad input and faults fed to the real commands.

Every test records what it tried in a ledger; the run ends with one table:
inputs tried per category, how many were handled as documented, files lost
and leaks found.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.corpora import FIXTURES

GOOD_CASE = FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml"

CATEGORIES = (
    "格式与模式错误",
    "编码",
    "资源攻击",
    "身份攻击",
    "文件攻击",
    "注入",
    "个人信息",
    "泄露",
    "故障",
)


@dataclass
class Row:
    tried: int = 0
    handled: int = 0
    lost: int = 0
    leaks: int = 0


@dataclass
class Detection:
    """Planted findings and clean inputs of one detector."""

    planted: int = 0
    caught: int = 0
    clean: int = 0
    false_alarms: int = 0
    published: int = 0  # planted items that passed and then stood in a built artifact


DETECTORS = ("姓名", "处理结果", "议题探针")


class Ledger:
    """What the suite fed in and what came out, per category."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = defaultdict(Row)
        self.notes: list[str] = []
        self.detections: dict[str, Detection] = defaultdict(Detection)

    def detect(self, detector: str, planted: bool, flagged: bool, published: bool = False) -> None:
        """One input to a detector: ``planted`` says whether it holds what the detector must find;
        ``published`` whether it then stood in a built site, export, search or finder file or PDF."""
        assert detector in DETECTORS, detector
        row = self.detections[detector]
        if planted:
            row.planted += 1
            row.caught += flagged
            row.published += published
        else:
            row.clean += 1
            row.false_alarms += flagged

    def record(self, category: str, handled: bool, *, lost: int = 0, leaks: int = 0) -> None:
        assert category in CATEGORIES, category
        row = self.rows[category]
        row.tried += 1
        row.handled += bool(handled)
        row.lost += lost
        row.leaks += leaks

    def note(self, line: str) -> None:
        """A line printed under the summary table (what a count alone does not say)."""
        self.notes.append(line)


_LEDGER = Ledger()


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    return _LEDGER


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _LEDGER.rows and not _LEDGER.detections:
        return
    write = terminalreporter.write_line
    terminalreporter.section("对抗测试汇总 adversarial summary")
    write(f"{'类别':<12}{'输入':>6}{'按约定处理':>10}{'丢失文件':>8}{'泄露':>6}")
    total = Row()
    for category in CATEGORIES:
        row = _LEDGER.rows.get(category)
        if row is None:
            continue
        write(f"{category:<12}{row.tried:>8}{row.handled:>12}{row.lost:>10}{row.leaks:>8}")
        total.tried += row.tried
        total.handled += row.handled
        total.lost += row.lost
        total.leaks += row.leaks
    write(f"{'合计':<12}{total.tried:>8}{total.handled:>12}{total.lost:>10}{total.leaks:>8}")
    if _LEDGER.detections:
        write("")
        write(f"{'检测':<12}{'植入':>6}{'检出':>6}{'干净输入':>8}{'误报':>6}{'发布':>6}")
        for detector in DETECTORS:
            d = _LEDGER.detections.get(detector)
            if d is not None:
                write(f"{detector:<12}{d.planted:>8}{d.caught:>8}{d.clean:>12}{d.false_alarms:>8}{d.published:>8}")
    for line in _LEDGER.notes:
        write(line)


def good_case_data() -> dict[str, Any]:
    """A valid case as plain data, to be broken in one place."""
    return copy.deepcopy(yaml.safe_load(GOOD_CASE.read_text(encoding="utf-8")))


def write_case(folder: Path, data: dict[str, Any], name: str | None = None) -> Path:
    """Write case data as YAML under ``folder/<year>/<id>.yaml`` (or ``name``)."""
    year = str(data.get("publication", {}).get("published", "2024"))[:4]
    target = folder / year / (name or f"{data['id']}.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
