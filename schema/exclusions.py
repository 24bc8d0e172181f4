"""What cannot be tolerated (``exclusions.yaml``): circumstances published rules exclude whatever the motive.

The precedent finder reads a description for them (``search.cues``) and
weighs them (``search.similar``); what it shows names each circumstance and
the rules it was read in. This module only loads and checks the data; the
file's header says what each field means. Read on first use, never at import.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

BASES = {"stated": "规定明文列出", "implied": "据规定推定"}
_CIRCUMSTANCE_KEYS = {"id", "label", "phrases", "together", "unless", "example", "sources"}
_SOURCE_KEYS = {"rule", "article", "basis", "reading"}


@dataclass(frozen=True)
class Source:
    """Where a circumstance was read: the rule, its article, the address, and what it says (in our words)."""

    rule: str  # the rule's name, with its 书名号
    url: str
    article: str
    basis: str  # stated / implied
    reading: str


@dataclass(frozen=True)
class Circumstance:
    id: str
    label: str
    phrases: tuple[str, ...]
    together: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...]
    example: str
    sources: tuple[Source, ...]

    def as_data(self) -> dict[str, Any]:
        """The circumstance as plain data (for the page, which reads descriptions as the Python side does)."""
        return {
            "id": self.id,
            "label": self.label,
            "phrases": list(self.phrases),
            "together": [list(group) for group in self.together],
            "unless": list(self.unless),
            "sources": [vars(source) for source in self.sources],
        }


@dataclass(frozen=True)
class Exclusions:
    circumstances: tuple[Circumstance, ...]

    def ids(self) -> list[str]:
        return [c.id for c in self.circumstances]

    def get(self, circumstance: str) -> Circumstance:
        return next(c for c in self.circumstances if c.id == circumstance)


def _words(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValueError(f"{where} 应为非空词语的列表")
    return tuple(value)


def _source(entry: Any, rules: dict[str, Any], where: str) -> Source:
    if not isinstance(entry, dict) or set(entry) != _SOURCE_KEYS:
        raise ValueError(f"{where} 应恰有 {', '.join(sorted(_SOURCE_KEYS))} 四项")
    rule = rules.get(entry["rule"])
    if not isinstance(rule, dict) or not {"name", "url"} <= set(rule):
        raise ValueError(f"{where} 引用的规定 “{entry['rule']}” 不在 rules 中（或缺少 name、url）")
    if entry["basis"] not in BASES:
        raise ValueError(f"{where} 的 basis 应为 {' / '.join(BASES)} 之一")
    if not str(rule["url"]).startswith(("http://", "https://")):
        raise ValueError(f"{where} 引用的规定 “{entry['rule']}” 的网址应以 http:// 或 https:// 开头")
    return Source(str(rule["name"]), str(rule["url"]), str(entry["article"]), entry["basis"], str(entry["reading"]))


def _circumstance(entry: Any, rules: dict[str, Any], n: int) -> Circumstance:
    where = f"exclusions.yaml 第 {n} 项"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} 应为映射")
    unknown = sorted(set(entry) - _CIRCUMSTANCE_KEYS)
    missing = sorted({"id", "label", "example", "sources"} - set(entry))
    if unknown or missing:
        problems = [*(f"未知的键 {k}" for k in unknown), *(f"缺少 {k}" for k in missing)]
        raise ValueError(f"{where}：" + "；".join(problems))
    where = f"{where}（{entry['label']}）"
    phrases = _words(entry["phrases"], f"{where} phrases") if "phrases" in entry else ()
    together = tuple(_words(group, f"{where} together") for group in entry.get("together") or ())
    if not phrases and len(together) < 2:
        raise ValueError(f"{where} 需要 phrases，或至少两组 together")
    sources = entry["sources"]
    if not isinstance(sources, list) or not sources:
        raise ValueError(f"{where} 至少要有一处来源")
    return Circumstance(
        id=str(entry["id"]),
        label=str(entry["label"]),
        phrases=phrases,
        together=together,
        unless=_words(entry["unless"], f"{where} unless") if "unless" in entry else (),
        example=str(entry["example"]),
        sources=tuple(_source(s, rules, f"{where} 第 {k} 处来源") for k, s in enumerate(sources, 1)),
    )


def build_exclusions(data: Any) -> Exclusions:
    """The circumstances of the parsed ``exclusions.yaml`` (raises ``ValueError`` naming a bad entry)."""
    if not isinstance(data, dict) or not isinstance(data.get("circumstances"), list):
        raise ValueError("exclusions.yaml：顶层应有 circumstances 列表")
    rules = data.get("rules") or {}
    found = [_circumstance(entry, rules, n) for n, entry in enumerate(data["circumstances"], start=1)]
    ids = [c.id for c in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"exclusions.yaml：编号重复 {'、'.join(repeated)}")
    return Exclusions(tuple(found))


@functools.cache
def exclusions() -> Exclusions:
    """The shipped circumstances (read on first use)."""
    text = resources.files("casebook.schema").joinpath("exclusions.yaml").read_text("utf-8")
    return build_exclusions(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
