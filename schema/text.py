"""Case prose conventions: a blank line separates paragraphs; a single newline is only a wrap."""

from __future__ import annotations

import re

_CJK_END = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]$")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``, each on one line (wraps removed: no space after Chinese)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        joined = ""
        for line in (part.strip() for part in block.splitlines()):
            joined += ("" if not joined or _CJK_END.search(joined) else " ") + line
        if joined:
            out.append(joined)
    return out


def unwrap(text: str) -> str:
    """``text`` on one line: paragraphs joined by a space."""
    return " ".join(paragraphs(text))


def place_name(*parts: str | None) -> str:
    """Province, city and district as one name, each level once: a municipality is both province and city
    (重庆市 + 重庆市 + 永川区 reads 重庆市永川区)."""
    named: list[str] = []
    for part in parts:
        if part and part not in named:
            named.append(part)
    return "".join(named)
