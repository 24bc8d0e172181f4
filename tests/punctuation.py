"""Full-width punctuation in Chinese prose: find (and fix) half-width , : ; ( ) ? ! beside Chinese text.

    python -m tests.punctuation          # list what needs fixing (exit 1 if anything)
    python -m tests.punctuation --fix    # rewrite the files in place

Looks at the user-facing text of the project: string literals in the Python
packages (regular expressions and raw strings are left alone), the Markdown
pages and README outside code, the vocabulary file and the theme templates.
A colon followed by a space stays half-width: it stands for YAML's own
``键: 值`` and for the ``文件:行: 字段:`` format of problems.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "(": "\uff08", ")": "\uff09", "?": "\uff1f", "!": "\uff01"}


def _cjk(char: str) -> bool:
    code = ord(char) if char else 0
    return 0x3400 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E


def _before_ok(char: str) -> bool:
    """A character after which Chinese punctuation belongs (a Chinese character, 》, ” …)."""
    return _cjk(char) or char == "\u201d"


def _after_ok(char: str) -> bool:
    return _cjk(char) or char == "\u201c"


# Notation, not prose: the problem format 文件:行: 字段: and YAML's 键: 值.
KEEP = ("文件:行",)


def _protected(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    keep = [False] * len(text)
    for start, end in spans:
        for i in range(start, end):
            keep[i] = True
    for word in KEEP:
        for found in re.finditer(re.escape(word), text):
            for i in range(*found.span()):
                keep[i] = True
    return keep


def fix_text(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """See :func:`_fix_once`; a second pass sees the punctuation the first made full-width."""
    once = _fix_once(text, spans)
    return _fix_once(once, spans)


def _fix_once(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """``text`` with half-width punctuation beside Chinese characters made full-width.

    ``spans`` are ranges left untouched (code, f-string expressions). A pair
    of parentheses turns full-width together, when it holds Chinese or
    follows it.
    """
    keep = _protected(text, spans or [])
    chars = list(text)

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < len(text) and text[j] == "*" and not keep[j]:  # **bold**: look through the stars
            j += step
        if not 0 <= j < len(text):
            return ""
        return "\x00" if keep[j] else text[j]  # code or a {placeholder}: a word, not a space

    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, char in enumerate(text):
        if keep[i]:
            continue
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            pairs[stack.pop()] = i
    has_cjk = any(_cjk(c) for c in text)
    full_pair: set[int] = set()
    for start, end in pairs.items():
        inside = any(_cjk(text[k]) for k in range(start + 1, end) if not keep[k])
        lead = neighbour(start, -1)
        at_line_start = not text[:start].strip(" ")  # an indented line of Markdown or YAML
        after_placeholder = has_cjk and lead == "\x00"  # f"……：{title}({detail})" in a Chinese message
        if _before_ok(lead) or (inside and (lead != " " or at_line_start)) or after_placeholder:
            full_pair |= {start, end}  # "The six looks (六看)" keeps its brackets
    paired = set(pairs) | set(pairs.values())
    for i, char in enumerate(text):
        if keep[i] or char not in FULL:
            continue
        before, after = neighbour(i, -1), neighbour(i, 1)
        if char in "()":
            full = i in full_pair if i in paired else _before_ok(before) if char == ")" else _after_ok(after)
        elif char == ":":
            closing = text.find("}", i)
            notation = closing > 0 and text[closing + 1 : closing + 3] == ": "  # f"{path}:{line}: …" is 文件:行:
            between = has_cjk and text[i - 1 : i] == "}" and text[i + 1 : i + 2] == "{" and not notation
            full = between or ((_before_ok(before) or _after_ok(after)) and after != " " and before != " ")
        elif char in ",;":
            # Before a {placeholder} in a Chinese message (f"，{count} 页") the mark is Chinese too.
            placeholder = has_cjk and after == "\x00" and before not in (" ", "\x00")
            full = _before_ok(before) or (_after_ok(after) and before != " ") or placeholder
        else:
            full = _before_ok(before)
        if full:
            chars[i] = FULL[char]
    return "".join(chars)


# Signs of a regular expression: such strings are never prose.
_REGEX_HINTS = ("(?", "[^", "\\d", "\\s", "\\w", "\\b", "\\S", "\\D", "\\u", "\\x")
_PATTERN_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "finditer", "findall"}


_PUNCTUATION_RUN = re.compile("[,;:()、。“”\uff0c\uff1b\uff1a\uff08\uff09]{3,}")


def _character_set(literal: str) -> bool:
    """A set of characters for code to match (such as "，。；："), not prose: a run of marks, no words."""
    return bool(_PUNCTUATION_RUN.search(literal)) and not re.search("[\u4e00-\u9fff]", literal)


def fix_python(source: str) -> str:
    """Fix the string literals of a Python module (not raw strings, not patterns)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    out, last = [], 0
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)]
    for index, token in enumerate(significant):
        if token.type != tokenize.STRING:
            continue
        prefix = re.match(r"[A-Za-z]*", token.string).group().lower()
        if "r" in prefix or "b" in prefix or any(hint in token.string for hint in _REGEX_HINTS):
            continue
        if _character_set(token.string):
            continue
        called = [t.string for t in significant[max(index - 2, 0) : index]]
        if called[-1:] == ["("] and called[0] in _PATTERN_CALLS:
            continue
        start = offsets[token.start[0] - 1] + token.start[1]
        end = offsets[token.end[0] - 1] + token.end[1]
        spans = [m.span() for m in re.finditer(r"\{[^{}]*\}", token.string)] if "f" in prefix else []
        fixed = fix_text(token.string, spans)
        if fixed != token.string:
            out.append(source[last:start] + fixed)
            last = end
    return "".join(out) + source[last:]


_JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def fix_javascript(source: str) -> str:
    """Fix the double-quoted string literals of a page script (comments and patterns are left alone)."""
    out, last = [], 0
    for found in _JS_STRING.finditer(source):
        literal = found.group()
        line_start = source.rfind("\n", 0, found.start()) + 1
        if source[line_start : found.start()].lstrip().startswith(("//", "*", "/*")):
            continue
        if any(hint in literal for hint in _REGEX_HINTS) or _character_set(literal):
            continue
        fixed = fix_text(literal)
        if fixed != literal:
            out.append(source[last : found.start()] + fixed)
            last = found.end()
    return "".join(out) + source[last:]


def fix_markdown(text: str) -> str:
    """Fix Markdown prose, leaving fenced code blocks and `code` spans as they are."""
    out, fenced = [], False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        out.append(fix_text(line, [m.span() for m in re.finditer(r"`[^`]*`", line)]))
    return "".join(out)


def fix_lines(text: str) -> str:
    """Fix a YAML or template file line by line (comments and values alike)."""
    return "".join(fix_text(line) for line in text.splitlines(keepends=True))


# Being rewritten on another branch at the same time: they join the check once
# those land, so that the edits do not collide. (builder/draft/ landed while the
# check learned to read subpackages; its docstrings join with its next change.)
PENDING: set[str] = {"builder/draft/"}


def targets() -> list[tuple[Path, object]]:
    """Every file whose text users read, with the function that fixes it."""
    found: list[tuple[Path, object]] = []
    for package in ("schema", "builder", "search"):
        found += [
            (path, fix_python)
            for path in sorted((ROOT / package).rglob("*.py"))
            if not str(path.relative_to(ROOT)).startswith(tuple(PENDING))
        ]
    found += [(ROOT / "README.md", fix_markdown)]
    found += [(path, fix_markdown) for path in sorted((ROOT / "builder" / "docs").rglob("*.md"))]
    found += [(ROOT / "schema" / "vocabularies.yaml", fix_lines)]
    found += [(path, fix_lines) for path in sorted((ROOT / "builder" / "overrides").rglob("*.html"))]
    scripts = sorted((ROOT / "builder" / "docs" / "assets" / "javascripts").glob("*.js"))
    found += [(path, fix_javascript) for path in scripts if path.name != "iframe-worker-shim.js"]  # not ours
    return found


def unfixed() -> list[str]:
    """``path:line: text`` for every line that still needs fixing."""
    problems = []
    for path, fix in targets():
        text = path.read_text(encoding="utf-8")
        fixed = fix(text)  # type: ignore[operator]
        if fixed != text:
            for number, (old, new) in enumerate(zip(text.splitlines(), fixed.splitlines(), strict=True), 1):
                if old != new:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {old.strip()}")
    return problems


def main(argv: list[str]) -> int:
    if "--fix" in argv:
        for path, fix in targets():
            text = path.read_text(encoding="utf-8")
            fixed = fix(text)  # type: ignore[operator]
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"已改为全角标点\uff1a{path.relative_to(ROOT)}")
        return 0
    problems = unfixed()
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
