"""Writing cases: the commented scaffold and the canonical form.

Both are derived from the generated JSON Schema, so a new field or a new
vocabulary entry appears in the scaffold without touching this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from casebook.schema import clock, vocabulary
from casebook.schema.checks import LoadedCase
from casebook.schema.jsonfile import write_atomically
from casebook.schema.jsonschema import case_json_schema
from casebook.schema.loader import SourceError, load_text, read_source
from casebook.schema.models import Case

_HEADER_PREFIX = "# yaml-language-server: $schema="
SCHEMA_HEADER = _HEADER_PREFIX + "../../schema/case.schema.json"
_SCAFFOLD_INTRO = (
    "# 新案例模板：按每行注释填写；标“选填”的字段不知道就照原样留着（或删除），不算错误。",
    "# 写完后运行 casebook validate 校验，再运行 casebook fmt 整理格式。",
)
_VOCABULARY_OF = {
    "distinction": "distinctions",
    "side": "distinction_sides",
    "source": "distinction_sources",
    "value": "factor_values",
    "result": "outcomes",
    "domain": "domains",
    "role": "roles",
    "level": "levels",
    "step": "procedure_steps",
}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Follow ``$ref`` and unwrap ``anyOf [X, null]``; return (node, nullable)."""
    nullable = False
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        nullable = len(options) < len(node["anyOf"])
        node = {**options[0], **{k: v for k, v in node.items() if k != "anyOf"}}
    if "$ref" in node:
        target = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, nullable


def _comment(name: str, node: dict[str, Any], required: bool) -> str:
    text = node.get("description", name)
    if not required:
        text += "（选填）"
    if "enum" in node:
        vocab = _VOCABULARY_OF.get(name)
        if vocab:
            choices = ", ".join(f"{t}={vocabulary.label(vocab, t)}" for t in node["enum"])
        else:
            choices = ", ".join(node["enum"])
        text += f" 可选：{choices}"
    return f"# {text}"


def _scalar(name: str, node: dict[str, Any], nullable: bool, values: dict[str, str]) -> str:
    if name in values:
        return values[name]
    if "default" in node and node["default"] not in (None, [], {}):
        return str(node["default"])
    return "null" if nullable else '""'


def _emit(
    schema: dict[str, Any], node: dict[str, Any], indent: int, out: list[str], values: dict[str, str], first: str = ""
) -> None:
    """Write the properties of object ``node`` at ``indent``; ``first`` prefixes the first key (``- ``)."""
    required = set(node.get("required", ()))
    for position, (name, raw) in enumerate(node["properties"].items()):
        prop, nullable = _resolve(schema, raw)
        pad = " " * indent
        lead = first if position == 0 and first else pad
        comment_pad = " " * (len(first) - 2) if position == 0 and first else pad
        out.append(
            comment_pad + _comment(name, prop, name in required or ("default" in raw and raw["default"] is not None))
        )
        kind = prop.get("type")
        if kind == "object" and "properties" in prop:
            out.append(f"{lead}{name}:")
            _emit(schema, prop, indent + 2, out, values)
        elif kind == "object":  # six looks: one entry per factor
            out.append(f"{lead}{name}:")
            factor_schema, _ = _resolve(schema, prop["additionalProperties"])
            for factor in prop.get("propertyNames", {}).get("enum", []):
                out.append(f"{pad}  # {vocabulary.label('factors', factor)}")
                out.append(f"{pad}  {factor}:")
                _emit(schema, factor_schema, indent + 4, out, {"value": "unknown"})
        elif kind == "array":
            items, _ = _resolve(schema, prop["items"])
            out.append(f"{lead}{name}:")
            if items.get("type") == "object":
                _emit(schema, items, indent + 4, out, {}, first=pad + "  - ")
            else:
                out.append(f'{pad}  - ""')
        else:
            out.append(f"{lead}{name}: {_scalar(name, prop, nullable, values)}")


def scaffold(case_id: str, today: dt.date | None = None) -> str:
    """The commented YAML template of a new case with id ``case_id``."""
    today = today or clock.today()
    schema = case_json_schema()
    out = [SCHEMA_HEADER, *_SCAFFOLD_INTRO]
    _emit(schema, schema, 0, out, {"id": case_id, "issued": today.isoformat()})
    return "\n".join(out) + "\n"


def scaffold_path(cases_dir: Path, case_id: str, year: int) -> Path:
    """Where ``casebook new`` puts a case: ``cases/<year>/<id>.yaml``."""
    return cases_dir / str(year) / f"{case_id}.yaml"


def id_holders(cases_dir: Path, case_id: str) -> list[Path]:
    """The case files under ``cases_dir`` that already hold ``case_id``: by their name, or by their ``id:`` line."""
    from casebook.schema.validate import discover

    written = re.compile(rf"^id:[ \t]*([\"']?){re.escape(case_id)}\1[ \t]*(?:#.*)?$", re.MULTILINE)
    held = []
    for path in discover([cases_dir]) if cases_dir.is_dir() else []:
        if path.stem == case_id:
            held.append(path)
            continue
        try:
            raw = read_source(path)
        except SourceError:
            continue
        if case_id.encode() in raw and written.search(raw.decode("utf-8", errors="replace")):
            held.append(path)
    return held


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; refuse (FileExistsError) if it exists.

    The text is written to a temporary file first and linked into place, so a
    full disk leaves no half-written case (and no folder made for it) behind.
    """
    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temporary, path)  # never over an existing file
        finally:
            os.unlink(temporary)
    except OSError:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


# --- canonical form -------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as people write them by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = {"published", "issued", "modified", "withdrawn", "decided", "date"}


def _with_dates(value: Any, key: str = "") -> Any:
    """Write full dates unquoted (``2025-07-01``), as people type them."""
    if isinstance(value, dict):
        return {k: _with_dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_dates(v) for v in value]
    if key in _DATE_KEYS and isinstance(value, str) and _FULL_DATE.match(value):
        return dt.date.fromisoformat(value)
    return value


def canonical_data(case: Case) -> dict[str, Any]:
    """The case as plain data in canonical order, with empty optional parts left out."""
    data = case.model_dump(mode="json", exclude_none=True)
    order = vocabulary.ids("factors")
    data["six_looks"] = dict(sorted(data["six_looks"].items(), key=lambda kv: order.index(kv[0])))
    return {k: v for k, v in data.items() if v not in ([], {})}


def canonical_text(case: Case, header: str = SCHEMA_HEADER) -> str:
    """The one canonical YAML text of ``case``, headed by the schema comment."""
    body = yaml.dump(
        _with_dates(canonical_data(case)),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**6,
        indent=2,
    )
    return f"{header}\n{body}"


def _scaffold_comments() -> set[str]:
    return {line.strip() for line in scaffold("x").splitlines() if line.strip().startswith("#")}


_COMMENT_START = re.compile(r"(?:^|(?<=\s))#", re.MULTILINE)


@dataclass(frozen=True)
class Comment:
    """A comment in a case file: its 1-based line, its text from ``#`` on, and whether it follows a value."""

    line: int
    text: str
    trailing: bool


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Where the scalars are: a ``#`` in them is content. A block scalar starts after its header line
    (``facts: |- # 待核实`` has a comment on that line, not text)."""
    spans = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.ScalarToken):
            start = token.start_mark.index
            if token.style in ("|", ">"):
                start = text.find("\n", start) + 1 or token.end_mark.index
            spans.append((start, token.end_mark.index))
    return spans


def comments(text: str) -> list[Comment]:
    """Every comment a person wrote in ``text``: not the schema header, not the scaffold's guidance."""
    spans = _scalar_spans(text)
    guidance = _scaffold_comments()
    lines = text.splitlines()
    found: dict[int, Comment] = {}
    for match in _COMMENT_START.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        number = text.count("\n", 0, match.start()) + 1
        line = lines[number - 1]
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1)
        if number in found or line.strip() in guidance or line.startswith(_HEADER_PREFIX):
            continue
        found[number] = Comment(number, line[column:].rstrip(), bool(line[:column].strip()))
    return [found[n] for n in sorted(found)]


def user_comments(text: str) -> list[int]:
    """Lines (1-based) holding comments that are neither the header nor scaffold guidance."""
    return [c.line for c in comments(text)]


def _paths_by_line(lines: dict[tuple[str | int, ...], int]) -> dict[int, list[tuple[str | int, ...]]]:
    by_line: dict[int, list[tuple[str | int, ...]]] = {}
    for path, line in lines.items():
        if path:
            by_line.setdefault(line, []).append(path)
    return by_line


def with_comments(current: str, wanted: str) -> tuple[str, list[Comment]]:
    """``wanted`` (the canonical text) with the comments of ``current`` put back where they belong.

    A comment on its own line goes before the field that follows it (or at the end), a comment
    after a value stays after that field's value. Returns the text and the comments that had no
    place: their field is not in the canonical form (left empty, or written as ``null``).
    """
    found = comments(current)
    if not found:
        return wanted, []
    old, _ = load_text(current, "-")
    new, _ = load_text(wanted, "-")
    if old is None or new is None:
        return wanted, found
    at_line = _paths_by_line(old.lines)
    out = wanted.splitlines()
    before: dict[int, list[str]] = {}
    after: dict[int, str] = {}
    tail: list[str] = []
    lost: list[Comment] = []
    for comment in found:
        if comment.trailing:
            paths = at_line.get(comment.line, [])
            path = max(paths, key=len) if paths else None
        else:
            following = [n for n in at_line if n > comment.line]
            path = min(at_line[min(following)], key=len) if following else None
            if path is None:
                tail.append(comment.text)
                continue
        target = new.lines.get(path) if path is not None else None
        if target is None:
            lost.append(comment)
        elif comment.trailing:
            after[target] = comment.text
        else:
            line = out[target - 1]
            indent = len(line) - len(line.lstrip(" "))
            before.setdefault(target, []).append(" " * indent + comment.text)
    result = []
    for number, line in enumerate(out, 1):
        result += before.get(number, [])
        result.append(f"{line} {after[number]}" if number in after else line)
    return "\n".join(result + tail) + "\n", lost


def writes_into_cases(target: Path, cases_dir: Path) -> bool:
    """Whether writing ``target`` could overwrite a case: a YAML file, or any file inside the cases folder."""
    return target.suffix in (".yaml", ".yml") or target.resolve().is_relative_to(cases_dir.resolve())


def replace_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves the old or the new file, never half; a file's mode is kept."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    write_atomically(path, text.encode("utf-8"), mode=mode)


def rewrite_case_file(path: Path, text: str) -> None:
    """Replace the content of a case file and keep the file itself: through a symlink to its target, its mode,
    and its hard links (rewritten in place, with a copy of the old bytes beside it until the new ones are on disk)."""
    target = path.resolve(strict=True) if path.is_symlink() else path
    if target.stat().st_nlink < 2:
        replace_atomically(target, text)
        return
    handle, backup = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bak", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as copy:
            copy.write(target.read_bytes())
            os.fsync(copy.fileno())
        with target.open("r+", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.truncate()
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        raise  # the copy stays beside the file: nothing the editor wrote is lost
    else:
        Path(backup).unlink()


@dataclass(frozen=True)
class FormatResult:
    """What ``casebook fmt`` did, or would do, to one file."""

    display: str
    status: str  # "unchanged", "reformatted", "needs-format", "has-comments"
    comment_lines: tuple[int, ...] = ()


def format_case(loaded: LoadedCase, check: bool, drop_comments: bool) -> FormatResult:
    """Rewrite one valid case in canonical form, keeping the comments its author wrote, unless ``check``.

    ``check`` and a real run give the same status: a file is "needs-format" exactly when
    formatting would rewrite it. The canonical text is parsed and validated again and must
    give an equal case before anything is written, so formatting never changes content. A
    comment whose field is not in the canonical form has no place to go: such a file is left
    as it is ("has-comments", naming the lines) unless ``drop_comments``.
    """
    source = loaded.source
    current = source.path.read_text(encoding="utf-8-sig")
    first_line = current.split("\n", 1)[0]
    canonical = canonical_text(loaded.case, first_line if first_line.startswith(_HEADER_PREFIX) else SCHEMA_HEADER)
    wanted, lost = with_comments(current, canonical)
    if lost and not drop_comments:
        return FormatResult(source.display, "has-comments", tuple(c.line for c in lost))
    if current == wanted:
        return FormatResult(source.display, "unchanged")
    if check:
        return FormatResult(source.display, "needs-format")
    reloaded, problems = load_text(wanted, source.display, source.path)
    again = Case.model_validate(reloaded.data) if reloaded and not problems else None
    kept = sorted(c.text for c in comments(wanted))
    if again != loaded.case or kept != sorted(c.text for c in comments(current) if c not in lost):
        # pragma: no cover - a bug in canonical_text or with_comments, never user data
        raise RuntimeError(f"canonical form of {source.display} changes its content or its comments")
    rewrite_case_file(source.path, wanted)
    return FormatResult(source.display, "reformatted")
