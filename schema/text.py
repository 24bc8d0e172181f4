"""Case prose conventions: a blank line separates paragraphs; a single newline is only a wrap."""

from __future__ import annotations

import re

# Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts colour and cursor
# sequences, BEL rings), DEL, and the bidirectional overrides that reorder what is shown.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
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


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as a visible sign (ESC → ␛, U+202E → <U+202E>), so that
    case text printed to a terminal can neither colour, move nor hide what follows. Line breaks and tabs stay."""
    return _TERMINAL_CONTROLS.sub(_control_picture, text)


def _control_picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode's control pictures: ␀ … ␟
    return "\u2421" if code == 0x7F else f"<U+{code:04X}>"
