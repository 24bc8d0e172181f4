"""A draft case as YAML text, each inferred field under a comment quoting the words it came from."""

from __future__ import annotations

import re
from typing import Any

import yaml

from casebook.schema.authoring import SCHEMA_HEADER

INFERRED = "# 据原文推断，请核对："
_DATE_KEYS = {"published", "issued"}
_SENTENCE = re.compile(r"(?<=[。！？；])")

Path_ = tuple[str | int, ...]


def _scalar(key: str | int, value: Any) -> str:
    if isinstance(value, str) and key in _DATE_KEYS and re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        return value
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _block(value: str, pad: str) -> list[str]:
    """Long text as a ``|-`` block, one sentence a line (the site joins the lines again)."""
    lines = [line for line in _SENTENCE.split(value) if line.strip()]
    return [f"{pad}  {line.strip()}" for line in lines]


def _comment(notes: dict[Path_, str], path: Path_, pad: str) -> list[str]:
    quote = notes.get(path)
    return [f"{pad}{INFERRED}“{quote}”"] if quote else []


def _emit(value: dict[str, Any], path: Path_, indent: int, out: list[str], notes: dict[Path_, str]) -> None:
    pad = " " * indent
    for key, child in value.items():
        here = (*path, key)
        out += _comment(notes, here, pad)
        if isinstance(child, dict) and not child:
            out.append(f"{pad}{key}: {{}}")
        elif isinstance(child, dict):
            out.append(f"{pad}{key}:")
            _emit(child, here, indent + 2, out, notes)
        elif isinstance(child, list):
            _emit_list(key, child, here, indent, out, notes)
        elif isinstance(child, str) and len(child) > 60 and "。" in child[:-1]:
            out.append(f"{pad}{key}: |-")
            out += _block(child, pad)
        else:
            out.append(f"{pad}{key}: {_scalar(key, child)}")


def _emit_list(key: str, items: list[Any], path: Path_, indent: int, out: list[str], notes: dict[Path_, str]) -> None:
    pad = " " * indent
    if not items:
        out.append(f"{pad}{key}: []")
        return
    out.append(f"{pad}{key}:")
    for n, item in enumerate(items):
        here = (*path, n)
        if isinstance(item, dict):
            inner: list[str] = []
            _emit(item, here, indent + 4, inner, notes)
            first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
            inner[first] = f"{pad}  - {inner[first].lstrip()}"
            out += inner
        else:
            out += _comment(notes, here, pad + "  ")
            out.append(f"{pad}  - {_scalar(n, item)}")


def draft_text(data: dict[str, Any], notes: dict[Path_, str], intro: list[str]) -> str:
    """The YAML of a draft: the schema header, ``intro`` comments, then the fields with their notes."""
    out = [SCHEMA_HEADER, *(f"# {line}" for line in intro)]
    _emit(data, (), 0, out, notes)
    return "\n".join(out) + "\n"
