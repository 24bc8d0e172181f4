"""Find where a broken YAML file goes wrong, reading its lines as a person would.

libyaml reports where parsing became impossible, which is often a line
after the mistake and with advice that fits another mistake (an
over-indented key reads to it as a colon inside a value). When a file does
not parse, :func:`layout_problem` walks the lines of the file the way the
case files are written (block mappings of ``key: value``, lists of ``- ``
items, ``|`` text blocks) and names the first line that breaks that shape:
a full-width colon, a key not aligned with its siblings, a line without a
colon. It runs only on files that failed to parse, and its finding is used
only when it lies at or before the line libyaml stopped at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULL_COLON = "\uff1a"
_KEY = re.compile(
    r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][A-Za-z0-9_]*) *(?P<colon>\uff1a|:(?= |$))(?P<value>.*)$"
)
_BLOCK = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")


@dataclass(frozen=True)
class LayoutProblem:
    """A 1-based line, the field it belongs to and what to do about it."""

    line: int
    field: str
    message: str


@dataclass
class _Level:
    indent: int
    key: str  # the latest key at this level ("" for a list)
    line: int
    has_value: bool
    first: bool  # the level's only key so far
    is_list: bool = False
    items: int = -1
    prev_empty: bool = False  # the key before this level's latest key had no value at all
    prev_key: str = ""  # that key


def _path(levels: list[_Level]) -> str:
    text = ""
    for level in levels:
        if level.is_list:
            text += f"[{max(level.items, 0)}]"
        elif level.key:
            text += f".{level.key}" if text else level.key
    return text or "-"


def _field_at(levels: list[_Level], indent: int, key: str) -> str:
    """The field path of ``key`` written at column ``indent``."""
    parent = _path([level for level in levels if level.indent < indent])
    if not key:
        return parent
    return key if parent == "-" else f"{parent}.{key}"


def _sibling_misaligned(levels: list[_Level], line: int, key: str, indent: int) -> LayoutProblem | None:
    """A key deeper than the key above, which already has a value: decide which of the two is misplaced."""
    above = levels[-1]
    parent = levels[-2] if len(levels) > 1 else None
    if above.prev_empty and not above.first:
        # the key belongs under the key before it (six_looks.duty.value, not six_looks.value)
        owner = _path([*levels[:-1], _Level(above.indent, above.prev_key, above.line, False, False)])
        return LayoutProblem(
            above.line,
            f"{owner}.{above.key}",
            f"“{above.key}” 少缩进了 {indent - above.indent} 格：它上面的键还没有取值，"
            f"“{above.key}” 应属于它，与下一行的 “{key}” 一样缩进 {indent} 格",
        )
    if above.first and parent is not None and not parent.is_list:
        # the first key under a parent, followed by a key deeper than it: the first one is off
        return LayoutProblem(
            above.line,
            _path(levels),
            f"“{above.key}” 缩进了 {above.indent} 格，与下一行同属 “{parent.key}” 的 “{key}”（{indent} 格）没有对齐；"
            "同一层的键必须左端对齐",
        )
    return LayoutProblem(
        line,
        _path([*levels[:-1], _Level(indent, key, line, True, False)]),
        f"“{key}” 比上一行的 “{above.key}” 多缩进了 {indent - above.indent} 格：上一行已经写了取值，"
        f"下面不能再有下一层；若 “{key}” 与 “{above.key}” 同级，请删去多出的空格",
    )


def layout_problem(text: str) -> LayoutProblem | None:
    """The first line of ``text`` that breaks the shape of a case file, or ``None``."""
    levels: list[_Level] = []
    opened: _Level | None = None  # the last key had no value: a nested block may follow
    block_owner: int | None = None  # inside a | or > block, owned by a key at this indent
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        if block_owner is not None:
            if not stripped or indent > block_owner:
                continue
            block_owner = None
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        if raw[indent : indent + 1] == "\t":
            return LayoutProblem(number, _path(levels), f"第 {indent + 1} 列有 Tab 字符：YAML 缩进只能用空格")
        match = _KEY.match(raw)
        dash = bool(match and match.group("dash")) or (not match and (stripped == "-" or stripped.startswith("- ")))
        if not match and not dash:
            if levels and indent > levels[-1].indent and opened is None:
                continue  # the continuation of a long plain value
            if FULL_COLON in stripped:
                head = stripped.split(FULL_COLON, 1)[0].strip()
                return LayoutProblem(
                    number,
                    _path(levels),
                    f"“{head}” 后面用了全角冒号“{FULL_COLON}”：YAML 只认半角冒号“:”，冒号后加一个空格",
                )
            word = stripped.split()[0] if stripped.split() else stripped
            if re.fullmatch(r"[A-Za-z_]\w*:\S.*", stripped):
                return LayoutProblem(
                    number,
                    _field_at(levels, indent, word.split(":")[0]),
                    f"“{word.split(':')[0]}” 的冒号后面缺少空格：应写成“键: 值”",
                )
            key = word if re.fullmatch(r"[A-Za-z_]\w*", word) else ""
            return LayoutProblem(
                number, _field_at(levels, indent, key), f"这一行不是“键: 值”：“{word}” 后面缺少冒号“:”"
            )
        if match and match.group("colon") == FULL_COLON:
            key = match.group("key")
            return LayoutProblem(
                number,
                _field_at(levels, indent, key),
                f"“{key}” 后面用了全角冒号“{FULL_COLON}”：YAML 只认半角冒号“:”，冒号后加一个空格",
            )
        if dash:
            found = _list_item(levels, opened, number, indent)
            if found is not None:
                return found
            opened = None
            if match is None:
                continue
            key_indent = indent + len(match.group("dash"))
            levels.append(_Level(key_indent, match.group("key"), number, False, True))
        else:
            assert match is not None
            key_indent = indent
            popped = False
            while levels and (
                levels[-1].indent > key_indent or (levels[-1].is_list and levels[-1].indent >= key_indent)
            ):
                levels.pop()
                popped = True
            if opened is not None and (not levels or key_indent > levels[-1].indent):
                opened.has_value = True
                levels.append(_Level(key_indent, "", number, False, True))
            elif levels and key_indent > levels[-1].indent:
                if popped:
                    aligned = "、".join(f"{lv.indent} 格" for lv in levels if not lv.is_list)
                    return LayoutProblem(
                        number,
                        _path(levels),
                        f"“{match.group('key')}” 缩进了 {key_indent} 格，"
                        f"与上面各层的键都对不齐（上面各层是 {aligned}）",
                    )
                return _sibling_misaligned(levels, number, match.group("key"), key_indent)
            elif not levels:
                levels.append(_Level(key_indent, "", number, False, True))
            else:
                levels[-1].first = False
                levels[-1].prev_empty = not levels[-1].has_value
                levels[-1].prev_key = levels[-1].key
        level = levels[-1]
        level.key, level.line = match.group("key"), number
        value = match.group("value").strip()
        level.has_value = bool(value) and not value.startswith("#")
        opened = None if level.has_value else level
        if _BLOCK.match(value):
            block_owner = key_indent
            opened = None
    return None


def _list_item(levels: list[_Level], opened: _Level | None, number: int, indent: int) -> LayoutProblem | None:
    """Place a ``- `` line: a list under the key just opened, or the next item of a list above."""
    while levels and levels[-1].indent > indent:
        levels.pop()
    if levels and levels[-1].is_list and levels[-1].indent == indent:
        levels[-1].items += 1
        return None
    if opened is not None and levels and indent >= opened.indent:
        opened.has_value = True
        levels.append(_Level(indent, "", number, False, True, is_list=True, items=0))
        return None
    return LayoutProblem(number, _path(levels), "列表项 “- ” 的缩进与上面的列表对不齐，或上一行的键已经有取值")


def key_near(text: str, line: int) -> str:
    """The key written on 1-based ``line``, or on the nearest key line above it ("（顶层）" if none)."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)), 0, -1):
        match = _KEY.match(lines[number - 1])
        if match:
            return match.group("key")
    return "（顶层）"
