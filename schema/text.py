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
