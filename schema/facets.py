"""The facets: the ways cases are grouped, counted and filtered, defined once.

Every reader of facets iterates this table: the statistics and browse pages
(``builder/stats.py``, ``builder/render.py``), the site's search data
(``builder/siteindex.py``), the command line's index, filters and output
(``search/index.py``, ``search/query.py``, ``search/present.py``) and the
finder's data. A facet says which values a case has, what readers call them,
in which order they are listed, and which key stands for "none".

Two facets are hierarchical: a region is a province and, below it, a city; a
distinction has a side. A child value is written ``parent/child`` as the
search page's address writes it, for example ``江苏省/淮安市`` or
``motive/tolerated``. Statistics count the parents only.

Labels come from ``vocabularies.yaml`` (read on first use, never at import).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.schema import vocabulary as vocab
from casebook.schema.models import Case
from casebook.schema.text import place_name

SEPARATOR = "/"


@dataclass(frozen=True)
class Facet:
    """A way of grouping cases.

    ``read`` gives a case's values (empty when it has none: it then sits
    under ``none``); ``children`` its ``(parent, child)`` pairs below them.
    Values of a ``vocabulary`` are its ids, labelled and ordered as the
    vocabulary lists them; other values are ordered by ``sort_key``.
    """

    id: str
    read: Callable[[Case], Sequence[str]]
    vocabulary: str | None = None
    name: str = ""  # what readers call the facet when it is not a vocabulary
    short: bool = False  # label values with the vocabulary's short labels
    none: str | None = None
    none_label: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)  # labels of values outside a vocabulary
    label_format: str = "{}"
    sort_key: Callable[[str], Any] = str
    descending: bool = False
    children: Callable[[Case], Sequence[tuple[str, str]]] | None = None
    child_vocabulary: str | None = None
    many: bool = False  # many values: the search page lists them by count, children only under a ticked parent

    @property
    def title(self) -> str:
        """What readers call the facet (处理结果 or 地区 …)."""
        return vocab.title(self.vocabulary) if self.vocabulary else self.name

    def keys(self, case: Case) -> list[str]:
        """The facet's top-level values of ``case`` (the none key when it has none)."""
        found = list(dict.fromkeys(self.read(case)))
        return found or ([self.none] if self.none is not None else [])

    def paths(self, case: Case) -> list[str]:
        """The values of ``case``, each followed by its children (``江苏省``, ``江苏省/淮安市``)."""
        pairs = self.children(case) if self.children is not None else ()
        found = []
        for key in self.keys(case):
            found += [key, *(f"{key}{SEPARATOR}{child}" for parent, child in pairs if parent == key)]
        return list(dict.fromkeys(found))

    def label(self, key: str) -> str:
        """A value as readers see it; a child by its own part (淮安市 or 可容错一侧)."""
        _, child = self._split(key)
        if child:
            return vocab.label(self.child_vocabulary, child) if self.child_vocabulary else child
        if key == self.none:
            return self.none_label
        if key in self.labels:
            return self.labels[key]
        if self.vocabulary:
            label = vocab.short_label if self.short else vocab.label
            return label(self.vocabulary, key)
        return self.label_format.format(key)

    def ordered(self, keys: Iterable[str]) -> list[str]:
        """``keys`` in the facet's order: each parent followed by its children, the none key last."""
        present = set(keys)
        below: dict[str, list[str]] = {}
        for key in present:
            parent, child = self._split(key)
            below.setdefault(parent, [])
            if child:
                below[parent].append(child)
        out = []
        for parent in self._parent_order(set(below)):
            if parent in present:
                out.append(parent)
            out += [f"{parent}{SEPARATOR}{child}" for child in self._child_order(below.get(parent, []))]
        return out

    def parent(self, key: str) -> str:
        """The parent of a child value; empty for a top-level one."""
        parent, child = self._split(key)
        return parent if child else ""

    def _split(self, key: str) -> tuple[str, str]:
        """``(parent, child)`` of a child value, ``(key, "")`` of a top-level one."""
        if self.children is None:
            return key, ""
        parent, _, child = key.partition(SEPARATOR)
        return parent, child

    def _parent_order(self, keys: set[str]) -> list[str]:
        rest = keys - {self.none}
        if self.vocabulary:
            known = vocab.ids(self.vocabulary)
            ordered = [k for k in known if k in rest] + sorted(rest - set(known))
        else:
            ordered = sorted(rest, key=self.sort_key, reverse=self.descending)
        return ordered + ([self.none] if self.none in keys and self.none is not None else [])

    def _child_order(self, children: list[str]) -> list[str]:
        if self.child_vocabulary:
            known = vocab.ids(self.child_vocabulary)
            return [c for c in known if c in children] + sorted(set(children) - set(known))
        return sorted(children)


# --- regions ----------------------------------------------------------------

NO_REGION = "未标明"

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


def _national_order(province: str) -> tuple[int, str]:
    """Provinces in the national order, names outside the list after them."""
    return _PROVINCE_ORDER.get(province, len(_PROVINCE_ORDER)), province


def region_name(case: Case | Any) -> str:
    """Where a case (or a draft) happened as one name (重庆市永川区: a municipality named once), or 未标明.

    The one way every page, printed casebook, search result and precedent names a place.
    """
    region = case.region
    named = place_name(region.province, region.city, region.district) if region is not None else ""
    return named or NO_REGION


def _province(case: Case) -> list[str]:
    return [case.region.province] if case.region.province else []


def _city(case: Case) -> list[tuple[str, str]]:
    return [(case.region.province or NO_REGION, case.region.city)] if case.region.city else []


def match_regions(known: Iterable[str], given: str) -> list[str]:
    """The region values ``given`` names: a province or ``province/city``, each part by its beginning.

    ``湖北`` names 湖北省 and ``江苏/淮安`` names 江苏省/淮安市. A city alone such as ``淮安``
    names its province/city when no province begins so. ``known`` are the values
    a corpus holds (``REGION.paths`` of its cases).
    """
    wanted = [part.strip() for part in unicodedata.normalize("NFKC", given).split(SEPARATOR)]
    if not all(wanted) or len(wanted) > 2:
        return []
    values = [value.split(SEPARATOR) for value in REGION.ordered(known)]
    found = [parts for parts in values if len(parts) == len(wanted) and _begin(parts, wanted)]
    if not found and len(wanted) == 1:  # a city named alone: 淮安 names 江苏省/淮安市
        found = [parts for parts in values if len(parts) == 2 and parts[1].startswith(wanted[0])]
    return [SEPARATOR.join(parts) for parts in found]


def _begin(parts: list[str], wanted: list[str]) -> bool:
    return all(have.startswith(want) for have, want in zip(parts, wanted, strict=True))


# --- the table ----------------------------------------------------------------


def _distinctions(case: Case) -> list[str]:
    return [d.distinction for d in case.distinctions]


def _sides(case: Case) -> list[tuple[str, str]]:
    return [(d.distinction, d.side) for d in case.distinctions]


def _rules(case: Case) -> list[str]:
    """Regulations breached, by name: the same regulation groups across cases."""
    return sorted({r.regulation for r in case.rules_breached})


DISTINCTION = Facet(
    "distinction",
    _distinctions,
    vocabulary="distinctions",
    short=True,
    none="none",
    none_label="未涉及（如澄清正名）",
    children=_sides,
    child_vocabulary="distinction_sides",
)
OUTCOME = Facet("outcome", lambda c: [c.outcome.result], vocabulary="outcomes")
DOMAIN = Facet("domain", lambda c: [c.domain], vocabulary="domains")
REGION = Facet(
    "region",
    _province,
    name="地区",
    none=NO_REGION,
    none_label=NO_REGION,
    sort_key=_national_order,
    children=_city,
    many=True,
)
YEAR = Facet("year", lambda c: [str(c.year)], name="发布年份", label_format="{} 年", descending=True)
RULE = Facet("rule", _rules, name="违反的规定", none="未载明具体规定", none_label="未载明具体规定")
ROLE = Facet("role", lambda c: [c.person.role], vocabulary="roles")
LEVEL = Facet("level", lambda c: [c.person.level], vocabulary="levels")
VISIBILITY = Facet(
    "visibility",
    lambda c: [c.publication.visibility],
    name="公开范围",
    labels={"public": "公开", "internal": "内部"},
)

FACETS: tuple[Facet, ...] = (DISTINCTION, OUTCOME, DOMAIN, REGION, YEAR, RULE, ROLE, LEVEL, VISIBILITY)
FACET_BY_ID = {facet.id: facet for facet in FACETS}

# The facets each reader lists, in its order.
BROWSE = (DISTINCTION, OUTCOME, DOMAIN, REGION, YEAR, RULE)  # the browse pages
SEARCH = (OUTCOME, DISTINCTION, DOMAIN, REGION, YEAR, ROLE, LEVEL)  # the search page and `casebook search`
INTERNAL_SEARCH = (*SEARCH, VISIBILITY)  # the internal edition's search page, `casebook search --include-internal`
FINDER_FACETS = (DISTINCTION, DOMAIN, ROLE, LEVEL, RULE)  # what the precedent finder's page lets a committee give


def search_facets(include_internal: bool) -> tuple[Facet, ...]:
    """The facets a search lists: the internal edition adds 公开范围."""
    return INTERNAL_SEARCH if include_internal else SEARCH
