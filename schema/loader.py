"""Read a case file into plain data plus the line of every field.

PyYAML composes the node tree (with libyaml when available); we construct
the Python values ourselves so that we can keep each node's line, refuse
aliases and duplicate keys, and bound the nesting depth. Case files never
need aliases, and refusing them defeats "billion laughs" bombs before any
expansion happens.
"""

from __future__ import annotations

import codecs
import errno
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.schema.layout import key_near, layout_problem
from casebook.schema.problems import Problem, field_path
from casebook.schema.reading import align
from casebook.schema.text import join_wide

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024
_STR_TAG = "tag:yaml.org,2002:str"
MAX_DEPTH = 20

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedFile:
    """The data of one YAML file and the 1-based line of each field path."""

    path: Path
    display: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    # Text that spans several lines (a ``facts: |`` block): its first and last line and first column; the file's lines.
    spans: dict[Path_, tuple[int, int, int]] = field(default_factory=dict)
    text_lines: tuple[str, ...] = ()

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def line_at(self, path: Path_, value: str, offset: int) -> int | None:
        """The line where character ``offset`` of ``value`` (the text at ``path``) stands in the file.

        A text written over several lines (``facts: |`` and its wrapped lines)
        is matched against the file's own lines, indentation and folding aside.
        """
        span = self.spans.get(tuple(path))
        if span is None:
            return self.line_of(path)
        first, last, column = span
        written = "\n".join(self.text_lines[first - 1 : last])[column:]
        positions = align(value[: offset + 1], written)
        if not positions:
            return first
        return first + written.count("\n", 0, positions[-1])

    def line_for_missing(self, path: Path_) -> int | None:
        """Where a missing field belongs: under its parent, or for a top-level field the file's last line."""
        if len(path) > 1:
            return self.line_of(path[:-1])
        last = len(self.text_lines)
        while last > 1 and not self.text_lines[last - 1].strip():
            last -= 1
        return last or self.line_of(())


class _LoadError(Exception):
    def __init__(self, code: str, message: str, line: int | None, field_: str = "-", column: int | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.field, self.column = code, message, line, field_, column


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is accepted); name any other encoding, and where a stray NUL byte stands."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    wide = _wide_encoding(raw)
    if wide is not None:
        raise _LoadError("CB002", f"文件是 {wide} 编码，请另存为 UTF-8（无 BOM）", None)
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line = raw[:at].count(b"\n") + 1
        column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
        message = f"第 {column} 列有 NUL 字节（U+0000）：文件已损坏或不是文本，请删除它"
        raise _LoadError("CB012", message, line, column=column)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _LoadError("CB002", _legacy_encoding_advice(raw), line) from None


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-32 or UTF-16, told by the byte order mark or, without one, by where the zero bytes fall."""
    if raw.startswith(_UTF32_BOMS):
        return "UTF-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    sample = raw[:4096]
    if len(sample) < 8 or sample.count(0) * 4 < len(sample):
        return None  # few zero bytes: no wide encoding
    quads = [sample[i::4].count(0) / len(sample[i::4]) for i in range(4)]
    if (quads[2] > 0.9 and quads[3] > 0.9 and quads[0] < 0.5) or (quads[0] > 0.9 and quads[1] > 0.9 and quads[3] < 0.5):
        return "UTF-32"  # the two high bytes of each character are zero (below U+10000)
    pairs = [sample[i::2].count(0) / len(sample[i::2]) for i in range(2)]
    return "UTF-16" if max(pairs) > 0.3 and min(pairs) < 0.1 else None


def _legacy_encoding_advice(raw: bytes) -> str:
    """Which Chinese legacy encoding the bytes are in (charset-normalizer tells GB18030 from Big5), how to convert."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:65536]).best()
    encoding = best.encoding.lower().replace("_", "") if best is not None else ""
    if encoding in ("big5", "big5hkscs", "cp950"):
        return "文件似乎是 Big5（繁体）编码，请转换为 UTF-8 后再校验，例如：iconv -f BIG5 -t UTF-8 原文件 > 新文件"
    if encoding in ("gb18030", "gbk", "gb2312", "hz", "cp936"):
        return "文件似乎是 GBK/GB18030 编码，请转换为 UTF-8 后再校验，例如：iconv -f GB18030 -t UTF-8 原文件 > 新文件"
    return "文件不是 UTF-8 编码，请另存为 UTF-8"


_SYNTAX_HINTS = (
    ("while scanning a quoted scalar", "这一行开头的引号没有闭合：在值的末尾补上同样的引号"),
    ("mapping values are not allowed", "这里不能出现“: ”；值里含冒号时请给整个值加引号"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("did not find expected key", "缩进不一致，或在映射中写了不是“键: 值”的内容"),
    ("did not find expected '-' indicator", "列表缩进不一致"),
    ("found undefined alias", "使用了未定义的别名（*）"),
)


def _syntax_problem(error: yaml.YAMLError, text: str) -> _LoadError:
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    at_end = "end of stream" in problem
    mark = context_mark if (at_end and context_mark) else (problem_mark or context_mark)
    if mark is None:
        return _LoadError("CB001", f"YAML 语法错误：{problem}", None, "（顶层）")
    # libyaml stops where parsing became impossible; a reading of the lines
    # names the line that broke the shape of the file, often one earlier.
    layout = layout_problem(text)
    if layout is not None and layout.line <= mark.line + 1:
        field_ = layout.field if layout.field != "-" else "（顶层）"
        return _LoadError("CB001", f"YAML 语法错误：{layout.message}", layout.line, field_)
    line_text = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    if "\t" in line_text[: mark.column + 1] or "tab" in problem.lower():
        return _LoadError(
            "CB001",
            f"第 {mark.column + 1} 列有 Tab 字符：YAML 缩进只能用空格",
            mark.line + 1,
            key_near(text, mark.line + 1),
            column=mark.column + 1,
        )
    hint = next((chinese for english, chinese in _SYNTAX_HINTS if english in f"{context} {problem}"), None)
    detail = hint or f"无法解析这一行（libyaml:{f'{context} {problem}'.strip()}）"
    return _LoadError(
        "CB001",
        f"YAML 语法错误（第 {mark.column + 1} 列）：{detail}",
        mark.line + 1,
        key_near(text, mark.line + 1),
        column=mark.column + 1,
    )


@functools.cache
def _constructor() -> yaml.constructor.SafeConstructor:
    """One constructor for the few non-string scalars (dates, numbers, booleans) of every file."""
    return yaml.constructor.SafeConstructor()


class _Builder:
    """Turns a composed node tree into Python values, recording lines."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.spans: dict[Path_, tuple[int, int, int]] = {}
        self.seen: set[int] = set()
        self.constructor = _constructor()
        self.duplicates: list[_LoadError] = []

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _LoadError(
                "CB006", f"嵌套超过 {MAX_DEPTH} 层，案例文件不需要这么深", node.start_mark.line + 1, field_path(path)
            )
        if id(node) in self.seen:
            raise _LoadError(
                "CB005",
                "案例文件不允许使用锚点（&）和别名（*），请直接写出内容",
                node.start_mark.line + 1,
                field_path(path),
            )
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.end_mark.line > node.start_mark.line:
            self.spans[path] = (node.start_mark.line + 1, node.end_mark.line + 1, node.start_mark.column)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _LoadError("CB001", "键必须是简单文字", key_node.start_mark.line + 1, field_path(path))
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            child = (*path, key)
            if key in result:
                self.duplicates.append(
                    _LoadError(
                        "CB008",
                        f"键 “{key}” 重复（第 {self.lines[child]} 行已写过），后一个会覆盖前一个",
                        key_node.start_mark.line + 1,
                        field_path(child),
                    )
                )
                continue
            self.lines[child] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:  # most scalars: skip the constructor's dispatch
            if isinstance(node, yaml.ScalarNode) and node.style != "|" and node.end_mark.line > node.start_mark.line:
                # Folded, plain and quoted styles turn each wrap into a blank: none between Chinese characters.
                return join_wide(node.value)
            return node.value
        try:
            value = self.constructor.construct_object(node)
            self.constructor.constructed_objects.clear()  # scalars need no memo; keep memory flat
            return value
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2023-02-30 resolves as a timestamp but is no date: keep the
            # text so that validation reports it against its field.
            return node.value


_KINDS = (
    (stat.S_ISDIR, "目录"),
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)
_READ_ERRORS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在",
    errno.ELOOP: "符号链接循环",
    errno.EIO: "磁盘读取出错（I/O 错误）",
    errno.ENAMETOOLONG: "路径过长",
}


class SourceError(Exception):
    """A case file that is not read: what is wrong, with a stable code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _not_regular(mode: int) -> str | None:
    return next((kind for test, kind in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "特殊文件")


def read_source(path: Path) -> bytes:
    """The bytes of a case or collection file, read only if it is a regular file of at most 256 KiB.

    The kind and size are checked before reading (a FIFO would block, /dev/zero
    never ends), and again on the opened file, so that a file swapped in between
    is caught too. Raises :class:`SourceError` with a Chinese message.
    """
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind is not None:
            raise SourceError("CB011", f"不是普通文件而是{kind}，未读取：案例文件只能是普通的 YAML 文件")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        reason = _READ_ERRORS.get(error.errno or 0, f"无法读取（{error.strerror}）")
        raise SourceError("CB009", f"无法读取文件：{reason}") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        kind = _not_regular(opened.st_mode)
        if kind is not None:
            raise SourceError("CB011", f"不是普通文件而是{kind}，未读取：案例文件只能是普通的 YAML 文件")
        if opened.st_size > MAX_FILE_BYTES:
            raise SourceError("CB007", f"文件有 {opened.st_size} 字节，超过上限 {MAX_FILE_BYTES} 字节（256 KiB）")
        try:
            raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            reason = _READ_ERRORS.get(error.errno or 0, f"无法读取（{error.strerror}）")
            raise SourceError("CB009", f"无法读取文件：{reason}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SourceError("CB007", f"文件超过上限 {MAX_FILE_BYTES} 字节（256 KiB）")
    return raw


def load_file(path: Path, display: str | None = None) -> tuple[LoadedFile | None, list[Problem]]:
    """Read one YAML file. Returns the loaded file (or ``None``) and the problems found."""
    shown = display or str(path)
    try:
        text = decode(read_source(path))
    except SourceError as error:
        return None, [Problem(shown, None, "-", error.code, error.message)]
    except _LoadError as error:
        return None, [_problem(shown, error)]
    return load_text(text, shown, path)


def _could_nest_deeply(text: str) -> bool:
    """A cheap upper bound: only text with deep indentation, many dashes or brackets can nest deeply."""
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    dashes = max((line.count("- ") + line.count("? ") for line in text.splitlines()), default=0)
    return indent + dashes + text.count("[") + text.count("{") > MAX_DEPTH


def _nesting_problem(text: str) -> _LoadError | None:
    """Measure nesting on the event stream (no recursion) before composing.

    libyaml's composer recurses once per level: a few hundred thousand
    brackets overflow the C stack and kill the process, so depth is checked
    first, from events, whenever the cheap bound says it might be high.
    """
    # One entry per open container: [is_mapping, current key or index, expecting a key]
    stack: list[list] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) and len(stack) >= MAX_DEPTH + 1:
                _enter_value(stack)
                return _too_deep(event.start_mark, stack)
            _follow(stack, event)
    except yaml.YAMLError as error:
        # libyaml 0.2.6 refuses 1,000 flow levels in its own scanner, before
        # any event shows them: the same problem, so the same code and message.
        if "maximum nesting depth" in (getattr(error, "problem", None) or ""):
            return _too_deep(getattr(error, "problem_mark", None), stack)
        raise
    return None


def _too_deep(mark: Any, stack: list[list]) -> _LoadError:
    path = tuple(entry[1] for entry in stack[: MAX_DEPTH + 1])
    line = mark.line + 1 if mark else None
    return _LoadError("CB006", f"嵌套超过 {MAX_DEPTH} 层，案例文件不需要这么深", line, field_path(path))


def _enter_value(stack: list[list]) -> None:
    if stack and not stack[-1][0]:
        stack[-1][1] += 1


def _follow(stack: list[list], event: yaml.Event) -> None:
    """Track the open containers (and the key or index within each) along the event stream."""
    top = stack[-1] if stack else None
    if isinstance(event, yaml.ScalarEvent):
        if top and top[0] and top[2]:
            top[1], top[2] = event.value, False
        else:
            _enter_value(stack)
            if top and top[0]:
                top[2] = True
    elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        _enter_value(stack)
        is_mapping = isinstance(event, yaml.MappingStartEvent)
        stack.append([is_mapping, None if is_mapping else -1, True])
    elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
        stack.pop()
        if stack and stack[-1][0]:
            stack[-1][2] = True


def load_text(text: str, shown: str, path: Path | None = None) -> tuple[LoadedFile | None, list[Problem]]:
    """Parse YAML ``text`` (already decoded); see :func:`load_file`."""
    try:
        deep = _nesting_problem(text) if _could_nest_deeply(text) else None
        if deep is not None:
            return None, [_problem(shown, deep)]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError:
        return None, [_problem(shown, _control_problem(text))]
    except yaml.YAMLError as error:
        return None, [_problem(shown, _syntax_problem(error, text))]
    except RecursionError:
        return None, [Problem(shown, None, "-", "CB006", f"嵌套超过 {MAX_DEPTH} 层，案例文件不需要这么深")]
    if node is None:
        return None, [Problem(shown, 1, "-", "CB003", "文件是空的：请用 casebook new 生成模板后填写")]
    builder = _Builder()
    try:
        data = builder.build(node, (), 0)
    except _LoadError as error:
        return None, [_problem(shown, error)]
    problems = [_problem(shown, duplicate) for duplicate in builder.duplicates]
    if not isinstance(data, dict):
        kind = "列表" if isinstance(data, list) else "单个值"
        return None, [*problems, Problem(shown, 1, "-", "CB004", f"文件顶层应是“键: 值”的映射，实际是{kind}")]
    return LoadedFile(
        path or Path(shown), shown, data, builder.lines, builder.spans, tuple(text.splitlines())
    ), problems


_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff")


def _control_problem(text: str) -> _LoadError:
    """Where the character libyaml refused stands (a control character such as ESC), named by code point."""
    found = _UNPRINTABLE.search(text[1:] if text.startswith("\ufeff") else text)
    if found is None:
        return _LoadError("CB012", "文件含 YAML 不允许的字符", None)
    at = found.start() + (1 if text.startswith("\ufeff") else 0)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = ord(found.group())
    name = f"U+{code:04X}" + (f"（{_CONTROL_NAMES[code]}）" if code in _CONTROL_NAMES else "")
    message = f"第 {column} 列有控制字符 {name}：YAML 文件中不允许出现，请删除它"
    return _LoadError("CB012", message, line, key_near(text, line), column=column)


def _problem(shown: str, error: _LoadError) -> Problem:
    return Problem(shown, error.line, error.field, error.code, error.message, column=error.column)
