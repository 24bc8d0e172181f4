"""Statistics of a set of cases: plain data, no formatting.

Every figure the site shows (home page, browse pages, statistics page, charts)
comes from here, so the tables, the charts and the counts always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from casebook.schema import Case
from casebook.schema import vocabulary as vocab

UNKNOWN_REGION = "未标明"
NO_DISTINCTION = "none"
NO_RULE = "未载明具体规定"


@dataclass(frozen=True)
class Facet:
    """A way of grouping cases: its id, Chinese name, and the keys of a case."""

    id: str
    name: str
    keys: Callable[[Case], Sequence[str]]
    label: Callable[[str], str]
    ordered: Callable[[Iterable[str]], list[str]]


def _vocab_order(name: str) -> Callable[[Iterable[str]], list[str]]:
    def order(keys: Iterable[str]) -> list[str]:
        known = vocab.ids(name)
        present = set(keys)
        return [k for k in known if k in present] + sorted(present - set(known))

    return order


def _sorted(keys: Iterable[str]) -> list[str]:
    return sorted(set(keys))


def _newest_first(keys: Iterable[str]) -> list[str]:
    return sorted(set(keys), reverse=True)


def _distinction_order(keys: Iterable[str]) -> list[str]:
    """The three distinctions in vocabulary order, then cases that invoke none."""
    present = set(keys)
    ordered = _vocab_order("distinctions")(present - {NO_DISTINCTION})
    return ordered + ([NO_DISTINCTION] if NO_DISTINCTION in present else [])


def distinction_keys(case: Case) -> list[str]:
    return [d.distinction for d in case.distinctions] or [NO_DISTINCTION]


def distinction_label(key: str) -> str:
    return "未涉及（如澄清正名）" if key == NO_DISTINCTION else vocab.short_label("distinctions", key)


# Provinces in the national order of administrative division codes (GB/T 2260), with a stable slug for addresses.
PROVINCES: tuple[tuple[str, str], ...] = (
    ("北京市", "beijing"),
    ("天津市", "tianjin"),
    ("河北省", "hebei"),
    ("山西省", "shanxi"),
    ("内蒙古自治区", "neimenggu"),
    ("辽宁省", "liaoning"),
    ("吉林省", "jilin"),
    ("黑龙江省", "heilongjiang"),
    ("上海市", "shanghai"),
    ("江苏省", "jiangsu"),
    ("浙江省", "zhejiang"),
    ("安徽省", "anhui"),
    ("福建省", "fujian"),
    ("江西省", "jiangxi"),
    ("山东省", "shandong"),
    ("河南省", "henan"),
    ("湖北省", "hubei"),
    ("湖南省", "hunan"),
    ("广东省", "guangdong"),
    ("广西壮族自治区", "guangxi"),
    ("海南省", "hainan"),
    ("重庆市", "chongqing"),
    ("四川省", "sichuan"),
    ("贵州省", "guizhou"),
    ("云南省", "yunnan"),
    ("西藏自治区", "xizang"),
    ("陕西省", "shaanxi"),
    ("甘肃省", "gansu"),
    ("青海省", "qinghai"),
    ("宁夏回族自治区", "ningxia"),
    ("新疆维吾尔自治区", "xinjiang"),
    ("台湾省", "taiwan"),
    ("香港特别行政区", "xianggang"),
    ("澳门特别行政区", "aomen"),
)
PROVINCE_SLUGS = dict(PROVINCES)
_PROVINCE_ORDER = {name: i for i, (name, _) in enumerate(PROVINCES)}


def region_order(keys: Iterable[str]) -> list[str]:
    """Provinces in the national order, names outside the list after them, 未标明 last."""
    present = set(keys)
    return sorted(
        present,
        key=lambda k: (k == UNKNOWN_REGION, _PROVINCE_ORDER.get(k, len(_PROVINCE_ORDER)), k),
    )


def region_key(case: Case) -> list[str]:
    return [case.region.province or UNKNOWN_REGION]


def rule_keys(case: Case) -> list[str]:
    """Regulations breached, by name: the same regulation groups across cases."""
    return sorted({r.regulation for r in case.rules_breached}) or [NO_RULE]


FACETS: tuple[Facet, ...] = (
    Facet("distinction", "三个区分开来", distinction_keys, distinction_label, _distinction_order),
    Facet(
        "outcome",
        "处理结果",
        lambda c: [c.outcome.result],
        lambda k: vocab.label("outcomes", k),
        _vocab_order("outcomes"),
    ),
    Facet("domain", "工作领域", lambda c: [c.domain], lambda k: vocab.label("domains", k), _vocab_order("domains")),
    Facet("region", "地区", region_key, lambda k: k, region_order),
    Facet("year", "发布年份", lambda c: [str(c.year)], lambda k: f"{k} 年", _newest_first),
    Facet("rule", "违反的规定", rule_keys, lambda k: k, _sorted),
)
FACET_BY_ID = {facet.id: facet for facet in FACETS}


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
    outcome = FACET_BY_ID["outcome"]
    cells: Counter[tuple[str, str]] = Counter()
    for case in cases:
        for key in facet.keys(case):
            cells[(key, case.outcome.result)] += 1
    rows = facet.ordered(k for k, _ in cells)
    columns = outcome.ordered(c for _, c in cells)
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
