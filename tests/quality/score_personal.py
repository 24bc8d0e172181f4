"""Score the name and number checks of the anonymisation lint on the quality sets.

Each row's text goes through the lint's own path: :func:`casebook.schema.reading.read`
(joined and folded as a reader gets it), then :func:`casebook.schema.names.find_names`
and :func:`casebook.schema.numbers.find_numbers`. A finding is mapped back to
the text as written, so that it is compared with the row's expected substring.

- Names: a planted name counts as caught when a finding overlaps it; a clean
  row with any finding is a false alarm (findings in a named row that touch no
  planted name are counted apart, as stray findings).
- Numbers: a planted number counts as caught when a finding covers its whole
  expected span; a clean row with any finding is a false alarm.
- Shipped cases: every CB302–CB308 problem ``casebook validate`` reports on
  ``cases/`` and ``collections/`` is a false alarm (they are published anonymised).

Run ``python -m tests.quality.score_personal`` for the development figures;
``--holdout`` adds the held-aside part (read it once, at the end: see README.md).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.schema import load_corpus
from casebook.schema.names import find_names
from casebook.schema.numbers import find_numbers
from casebook.schema.reading import Reading, read

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PERSONAL_CODES = {"CB302", "CB303", "CB304", "CB305", "CB306", "CB307", "CB308"}


def rows(name: str) -> list[dict[str, Any]]:
    """The rows of one quality file (``names_dev`` …)."""
    data = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(data["rows"])


def _raw_span(reading: Reading, start: int, end: int) -> tuple[int, int]:
    """The span of the written text that reading positions ``start:end`` come from."""
    return reading.raw_offset(start), reading.raw_offset(end - 1) + 1


def _expected_spans(text: str, wanted: list[str]) -> list[tuple[int, int]]:
    spans = []
    for piece in wanted:
        at = text.find(piece)
        spans.append((at, at + len(piece)))
    return spans


@dataclass
class Score:
    """Planted items caught, clean rows flagged, and the rows behind each figure."""

    planted: int = 0
    caught: int = 0
    clean: int = 0
    false_alarms: int = 0
    stray: int = 0
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.planted if self.planted else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0


def score_names(table: list[dict[str, Any]]) -> Score:
    score = Score()
    for row in table:
        reading = read(row["text"])
        found = [_raw_span(reading, f.start, f.start + len(f.name)) for f in find_names(reading.text)]
        names = [found_name.name for found_name in find_names(reading.text)]
        if not row["names"]:
            score.clean += 1
            if found:
                score.false_alarms += 1
                score.alarms.append(f"{row['id']} {row['kind']}: {row['text']!r} → {names}")
            continue
        expected = _expected_spans(row["text"], row["names"])
        for name, (start, end) in zip(row["names"], expected, strict=True):
            score.planted += 1
            if any(a < end and start < b for a, b in found):
                score.caught += 1
            else:
                score.missed.append(f"{row['id']} {row['kind']}: {name!r} in {row['text']!r} → {names}")
        score.stray += sum(1 for a, b in found if not any(a < e and s < b for s, e in expected))
    return score


def score_numbers(table: list[dict[str, Any]]) -> Score:
    score = Score()
    for row in table:
        reading = read(row["text"])
        findings = find_numbers(reading.text)
        found = [_raw_span(reading, f.start, f.end) for f in findings]
        shown = [(f.code, f.text) for f in findings]
        if row["expected"] is None:
            score.clean += 1
            if found:
                score.false_alarms += 1
                score.alarms.append(f"{row['id']} {row['kind']}: {row['text']!r} → {shown}")
            continue
        score.planted += 1
        start = row["text"].find(row["expected"])
        end = start + len(row["expected"])
        if any(a <= start and end <= b for a, b in found):
            score.caught += 1
        else:
            score.missed.append(f"{row['id']} {row['kind']}: {row['expected']!r} in {row['text']!r} → {shown}")
    return score


def shipped_alarms() -> list[str]:
    """Every personal-data problem the lint raises on the shipped cases and collections."""
    corpus = load_corpus([ROOT / "cases", ROOT / "collections"])
    return [str(p) for p in corpus.problems if p.code in PERSONAL_CODES]


def _report(title: str, score: Score, verbose: bool) -> None:
    print(
        f"{title}: 植入 {score.planted}，检出 {score.caught}（{score.recall:.1%}）；"
        f"干净 {score.clean} 行，误报 {score.false_alarms} 行（{score.false_alarm_rate:.1%}）"
        + (f"；含姓名的行中另有 {score.stray} 处多报" if score.stray else "")
    )
    if verbose:
        for line in score.missed:
            print("  漏检", line)
        for line in score.alarms:
            print("  误报", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="also score the HOLDOUT files (once, at the end)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the development rows missed or flagged")
    args = parser.parse_args(argv)
    _report("姓名（开发集）", score_names(rows("names_dev")), args.verbose)
    _report("号码（开发集）", score_numbers(rows("numbers_dev")), args.verbose)
    if args.holdout:
        # Figures only: the rows of the held-aside part are never printed.
        _report("姓名（留出集）", score_names(rows("names_holdout")), False)
        _report("号码（留出集）", score_numbers(rows("numbers_holdout")), False)
    shipped = shipped_alarms()
    print(f"随附案例（cases/ 与 collections/）：个人信息误报 {len(shipped)} 处")
    for line in shipped:
        print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
