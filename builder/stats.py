"""Statistics of a set of cases: plain data, no formatting.

Every figure the site shows (home page, browse pages, statistics page, charts)
comes from here, so the tables, the charts and the counts always agree. The
facets counted are those of ``schema/facets.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from casebook.schema import Case
from casebook.schema import vocabulary as vocab
from casebook.schema.facets import OUTCOME, Facet


def count(cases: Sequence[Case], facet: Facet) -> list[tuple[str, int]]:
    """``(key, number of cases)`` for every key of ``facet``, in the facet's order."""
    counter = Counter(key for case in cases for key in facet.keys(case))
    return [(key, counter[key]) for key in facet.ordered(counter)]


def group(cases: Sequence[Case], facet: Facet) -> dict[str, list[Case]]:
    """The cases under each key of ``facet`` (a case may sit under several keys)."""
    groups: dict[str, list[Case]] = {}
    for case in cases:
        for key in facet.keys(case):
            groups.setdefault(key, []).append(case)
    return {key: groups[key] for key in facet.ordered(groups)}


@dataclass(frozen=True)
class CrossTable:
    """Counts of cases by row key (a facet) and column key (the outcome)."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int]

    def total(self, row: str) -> int:
        return sum(self.cells.get((row, column), 0) for column in self.columns)


def by_outcome(cases: Sequence[Case], facet: Facet) -> CrossTable:
    """Outcome counts under each key of ``facet``."""
    cells: Counter[tuple[str, str]] = Counter()
    for case in cases:
        for key in facet.keys(case):
            cells[(key, case.outcome.result)] += 1
    rows = facet.ordered(k for k, _ in cells)
    columns = OUTCOME.ordered(c for _, c in cells)
    return CrossTable(rows, columns, dict(cells))


def latest(cases: Sequence[Case], n: int) -> list[Case]:
    """The ``n`` most recently published cases (ties broken by id for a stable order)."""
    return sorted(cases, key=lambda c: (c.publication.published, c.id), reverse=True)[:n]


# --- coverage: which kinds of case a publisher has and has not yet published ---

# Outcomes that answer a distinction (a tolerance ruling or accountability).
# Name-clearings, pre-filings and unknown results say nothing about which side
# of a distinction a mistake fell on, so an empty cell there is no gap.
GAP_GROUPS = ("tolerated", "accountable")


@dataclass(frozen=True)
class Coverage:
    """Counts of cases by distinction, side and outcome, every combination of the vocabularies included.

    ``cells`` maps ``(distinction, side, outcome)`` to a number of cases (a case
    that turns on two distinctions counts under both); ``without_distinction``
    maps an outcome to the cases that invoke no distinction.
    """

    cases: int
    rows: list[tuple[str, str]]
    columns: list[str]
    cells: dict[tuple[str, str, str], int]
    without_distinction: dict[str, int]

    def count(self, distinction: str, side: str, outcome: str) -> int:
        return self.cells.get((distinction, side, outcome), 0)

    def row_total(self, distinction: str, side: str) -> int:
        return sum(self.count(distinction, side, outcome) for outcome in self.columns)

    def is_gap_column(self, outcome: str) -> bool:
        return vocab.outcome_group(outcome) in GAP_GROUPS

    def gaps(self) -> list[tuple[str, str, str]]:
        """The empty cells among outcomes that answer a distinction, in table order."""
        return [
            (distinction, side, outcome)
            for distinction, side in self.rows
            for outcome in self.columns
            if self.is_gap_column(outcome) and not self.count(distinction, side, outcome)
        ]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON: every row with its counts and gaps, labels included."""
        gaps = self.gaps()
        return {
            "cases": self.cases,
            "columns": [
                {"outcome": o, "label": vocab.label("outcomes", o), "group": vocab.outcome_group(o), "gap_column": g}
                for o in self.columns
                for g in [self.is_gap_column(o)]
            ],
            "rows": [
                {
                    "distinction": d,
                    "distinction_label": vocab.label("distinctions", d),
                    "side": s,
                    "side_label": vocab.label("distinction_sides", s),
                    "counts": {o: self.count(d, s, o) for o in self.columns},
                    "total": self.row_total(d, s),
                    "gaps": [o for dd, ss, o in gaps if (dd, ss) == (d, s)],
                }
                for d, s in self.rows
            ],
            "without_distinction": {
                "counts": {o: self.without_distinction.get(o, 0) for o in self.columns},
                "total": sum(self.without_distinction.values()),
            },
            "gaps": [
                {
                    "distinction": d,
                    "side": s,
                    "outcome": o,
                    "label": f"{vocab.short_label('distinctions', d)} · {vocab.label('distinction_sides', s)} · "
                    f"{vocab.label('outcomes', o)}",
                }
                for d, s, o in gaps
            ],
        }


def coverage(cases: Sequence[Case]) -> Coverage:
    """The distinction × side × outcome table of ``cases`` (callers pass the cases they count)."""
    cells: Counter[tuple[str, str, str]] = Counter()
    without: Counter[str] = Counter()
    for case in cases:
        for finding in case.distinctions:
            cells[(finding.distinction, finding.side, case.outcome.result)] += 1
        if not case.distinctions:
            without[case.outcome.result] += 1
    rows = [(d, s) for d in vocab.ids("distinctions") for s in vocab.ids("distinction_sides")]
    return Coverage(len(cases), rows, vocab.ids("outcomes"), dict(cells), dict(without))


def outcome_groups(cases: Sequence[Case]) -> list[tuple[str, int]]:
    """``(group id, number of cases)`` for every outcome group, in vocabulary order, empty groups included."""
    counter = Counter(vocab.outcome_group(case.outcome.result) for case in cases)
    return [(group_id, counter[group_id]) for group_id in vocab.ids("outcome_groups")]
