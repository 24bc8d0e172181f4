"""The controlled vocabularies, read from ``vocabularies.yaml``.

The file is read on first use, never at import time, so that a broken
vocabulary file is reported by the command that needs it.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

VOCABULARY_NAMES = (
    "distinctions",
    "distinction_sides",
    "distinction_sources",
    "factors",
    "factor_values",
    "outcome_groups",
    "outcomes",
    "domains",
    "roles",
    "levels",
    "procedure_steps",
)


@functools.cache
def vocabularies() -> dict[str, dict[str, Any]]:
    """Return every vocabulary as ``{name: {id: entry}}``.

    An entry is either a plain Chinese label or a mapping with a ``label``.
    """
    text = resources.files("casebook.schema").joinpath("vocabularies.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    missing = [name for name in (*VOCABULARY_NAMES, "titles") if name not in data]
    missing += [f"titles.{name}" for name in VOCABULARY_NAMES if name not in data.get("titles", {})]
    if missing:
        raise RuntimeError(f"vocabularies.yaml lacks: {', '.join(missing)}")
    return data


def title(vocabulary: str) -> str:
    """What readers call the vocabulary itself (``outcomes`` → 处理结果)."""
    return str(vocabularies()["titles"][vocabulary])


def ids(vocabulary: str) -> list[str]:
    """The ids of one vocabulary, in file order."""
    return list(vocabularies()[vocabulary])


def label(vocabulary: str, term: str) -> str:
    """The Chinese label of ``term``; the id itself when it is unknown."""
    entry = vocabularies()[vocabulary].get(term, term)
    return entry["label"] if isinstance(entry, dict) else str(entry)


def short_label(vocabulary: str, term: str) -> str:
    """The short label for tables and charts, falling back to the label."""
    entry = vocabularies()[vocabulary].get(term)
    return str(entry.get("short") or entry["label"]) if isinstance(entry, dict) else label(vocabulary, term)


def outcome_group(outcome: str) -> str:
    """The group id (``outcome_groups``) an outcome belongs to; ``unknown`` if unset."""
    entry = vocabularies()["outcomes"].get(outcome)
    return str(entry.get("group", "unknown")) if isinstance(entry, dict) else "unknown"


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@functools.cache
def _by_label(vocabulary: str) -> dict[str, str]:
    """Every label and short label of ``vocabulary`` (full-width forms folded) → its id."""
    found: dict[str, str] = {}
    for term in ids(vocabulary):
        for name in (label(vocabulary, term), short_label(vocabulary, term)):
            found.setdefault(_folded(name), term)
    return found


def term_for(vocabulary: str, text: str) -> str | None:
    """The id ``text`` names in ``vocabulary``: the id itself, or its label or short label (容错免责 → exempted)."""
    if text in vocabularies()[vocabulary]:
        return text
    return _by_label(vocabulary).get(_folded(text))


def nearest(vocabulary: str, value: str) -> str | None:
    """The valid id closest to a mistyped ``value``, matching labels too."""
    terms = ids(vocabulary)
    by_label = {label(vocabulary, term): term for term in terms}
    if value in by_label:
        return by_label[value]
    close = difflib.get_close_matches(value, terms, n=1, cutoff=0.5)
    if close:
        return close[0]
    close = difflib.get_close_matches(value, list(by_label), n=1, cutoff=0.4)
    return by_label[close[0]] if close else None


@dataclass(frozen=True)
class Term:
    """Annotation marking a ``str`` field as an id from one vocabulary.

    Use as ``Annotated[str, Term("outcomes")]``. Validation checks membership
    (suggesting the nearest id on a typo) and the generated JSON Schema lists
    the ids as an ``enum`` so that editors can complete them.
    """

    vocabulary: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["enum"] = ids(self.vocabulary)
        labels = "; ".join(f"{t} = {label(self.vocabulary, t)}" for t in ids(self.vocabulary))
        json_schema["markdownDescription"] = (json_schema.get("description", "") + "\n\n" + labels).strip()
        return json_schema

    def _check(self, value: str) -> str:
        # An editor may write the Chinese label (result: 容错免责); the case holds the id, and fmt writes it.
        term = term_for(self.vocabulary, value)
        if term is not None:
            return term
        if not value.strip():
            raise PydanticCustomError(
                "vocabulary", "尚未填写；可选值：{choices}", {"choices": "、".join(ids(self.vocabulary))}
            )
        suggestion = nearest(self.vocabulary, value)
        hint = f"；是否应为 “{suggestion}”（{label(self.vocabulary, suggestion)}）？" if suggestion else "。"
        raise PydanticCustomError(
            "vocabulary",
            "“{value}” 不是 {vocabulary} 词表中的取值{hint}可选值：{choices}",
            {
                "value": value,
                "vocabulary": self.vocabulary,
                "hint": hint,
                "choices": "、".join(ids(self.vocabulary)),
                "suggestion": suggestion or "",
            },
        )
