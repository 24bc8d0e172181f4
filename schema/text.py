"""Case prose conventions: a blank line separates paragraphs; a single newline is only a wrap.

A wrap is joined as a reader expects: with nothing next to a Chinese character,
so the wrap in 尚未定下来，⏎无法证明 leaves no trace, and with a space between
Latin words, so PPP⏎project reads PPP project. A blank between two Chinese characters inside a
line is dropped too: YAML's folded style (``facts: >``) and plain multi-line
scalars fold every wrap into a space before the text reaches the models, and in
Chinese prose such a blank is never meant. Every page, snippet, PDF, export and
the publication-safety lint read text through :func:`paragraphs`.
"""

from __future__ import annotations

import re

# Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts colour and cursor
# sequences, BEL rings), DEL, and the bidirectional overrides that reorder what is shown.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters set solid in Chinese text: Han, CJK symbols and punctuation, full-width forms, and the
# quotation marks, dashes, ellipsis and middle dot Chinese prose shares with Western text.
WIDE = (
    "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003134f\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
)
_BLANK_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE}])\\s+(?=[{WIDE}])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_IS_WIDE = re.compile(f"[{WIDE}]")


def join_wide(text: str) -> str:
    """``text`` without the blanks between two Chinese characters (or Chinese punctuation)."""
    return _BLANK_BETWEEN_WIDE.sub("", text)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``, each on one line (wraps joined as a reader reads them)."""
    out = []
    for block in _PARAGRAPH_BREAK.split(text.strip()):
        joined = ""
        for line in (part.strip() for part in block.splitlines()):
            if line:
                joined += line if not joined or _IS_WIDE.match(joined[-1]) or _IS_WIDE.match(line) else " " + line
        if joined:
            out.append(join_wide(joined))
    return out


def unwrap(text: str) -> str:
    """``text`` on one line: its paragraphs joined (by a space only where a Latin letter meets one)."""
    return join_wide(" ".join(paragraphs(text)))


def reflow(text: str) -> str:
    """``text`` with each paragraph on one line and a blank line between paragraphs (its own form, unwrapped)."""
    return "\n\n".join(paragraphs(text))


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
