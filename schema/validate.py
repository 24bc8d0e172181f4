"""Load → validate → lint → check: the corpus every other stage consumes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from casebook.schema import clock, names, vocabulary
from casebook.schema.cache import ValidationCache
from casebook.schema.checks import LoadedCase, LoadedCollection, check_case, check_collections, check_corpus
from casebook.schema.lint import lint
from casebook.schema.loader import LoadedFile, Path_, SourceError, load_file, read_source
from casebook.schema.models import Case, Collection, DraftCase
from casebook.schema.parallel import parallel_map
from casebook.schema.problems import Problem, field_path

CASE_SUFFIXES = (".yaml", ".yml")
COLLECTIONS_FOLDER = "collections"
CASES_FOLDER = "cases"

# pydantic error type → (code, Chinese message template). ``{...}`` names come
# from the error's ``ctx`` plus ``input``.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("CB102", "缺少必填字段（{description}）"),
    "string_type": ("CB103", "应为文字，实际是{kind}"),
    "list_type": ("CB103", "应为列表（每项以 - 开头），实际是{kind}"),
    "dict_type": ("CB103", "应为映射（键: 值），实际是{kind}"),
    "model_type": ("CB103", "应为映射（键: 值），实际是{kind}"),
    "model_attributes_type": ("CB103", "应为映射（键: 值），实际是{kind}"),
    "string_too_short": ("CB106", "尚未填写（不能为空）"),
    "string_too_long": ("CB106", "最多 {max_length} 个字符，实际 {length} 个"),
    "too_short": ("CB106", "至少 {min_length} 项"),
    "too_long": ("CB106", "最多 {max_length} 项，实际 {actual_length} 项"),
    "string_pattern_mismatch": ("CB107", "“{input}” 格式不对"),
    "url_parsing": ("CB107", "“{input}” 不是有效网址"),
    "url_scheme": ("CB107", "“{input}” 不是 http(s) 网址"),
    "url_type": ("CB107", "网址应为文字"),
    "literal_error": ("CB104", "“{input}” 不是有效取值；可选值：{expected}"),
    "vocabulary": ("CB104", ""),
    "date_format": ("CB105", ""),
    "date_impossible": ("CB105", ""),
    "duplicate_item": ("CB108", ""),
    "single_line": ("CB109", ""),
}

_ID_HINT = "案例编号只能由小写字母、数字和连字符组成，如 2025-huaian-renfang-rongque"


def _odd_characters(text: str) -> str:
    """Name the characters a reader cannot see or tell apart, e.g. a zero-width space in an id."""
    odd = [
        ch for ch in text if unicodedata.category(ch) in ("Cf", "Zs", "Cc") or unicodedata.east_asian_width(ch) == "F"
    ]
    if not odd:
        return ""
    names = "、".join(
        f"U+{ord(ch):04X}" + ("（全角）" if unicodedata.east_asian_width(ch) == "F" else "") for ch in odd
    )
    return f"含不可见或全角字符 {names};"


def _kind(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "是/否"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, (dt.date, dt.datetime)):
        return "日期"
    return type(value).__name__


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``list[Rule]`` or ``Outcome | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found:
            return found
    return None


def _model_at(loc: Path_, root: type[BaseModel] = Case) -> type[BaseModel]:
    """The model that holds the last field of ``loc`` (list indexes and dict keys pass through)."""
    model: type[BaseModel] = root
    for part in loc[:-1]:
        info = model.model_fields.get(part) if isinstance(part, str) else None
        if info is not None:
            model = _model_in(info.annotation) or model
    return model


def _description(loc: Path_, root: type[BaseModel] = Case) -> str:
    if not loc:
        return ""
    info = _model_at(loc, root).model_fields.get(str(loc[-1]))
    return re.split(r"[::,,;;]", info.description)[0] if info and info.description else str(loc[-1])


def _translate(error: Mapping[str, Any], root: type[BaseModel] = Case) -> tuple[Path_, str, str]:
    """Turn one pydantic error into ``(path, code, Chinese message)``."""
    loc = tuple(part for part in error["loc"] if part != "[key]")
    kind = error["type"]
    ctx = {
        **(error.get("ctx") or {}),
        "input": error.get("input"),
        "kind": _kind(error.get("input")),
        "description": _description(loc, root),
    }
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        allowed = sorted(_model_at(loc, root).model_fields)
        nearest = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"；是否应为 “{nearest[0]}”？" if nearest else ""
        return loc, "CB101", f"未知字段 “{key}”{hint}"
    code, template = _MESSAGES.get(kind, ("CB110", ""))
    if kind in ("url_parsing", "string_pattern_mismatch") and error.get("input") == "":
        return loc, code, "尚未填写"
    if kind == "string_pattern_mismatch" and (loc[-1:] in (("id",), ("case",)) or "related" in loc):
        return loc, code, f"“{error.get('input')}” 格式不对：{_odd_characters(str(error.get('input')))}{_ID_HINT}"
    if kind in ("literal_error",):
        field = loc[-1] if loc else ""
        if field == "visibility":
            ctx["expected"] = "public（公开）、internal（内部）"
        if field == "state":
            ctx["expected"] = "current（现行）、withdrawn（已撤回）"
    if template:
        try:
            return loc, code, template.format(**ctx)
        except (KeyError, IndexError):
            pass
    return loc, code, str(error["msg"]).removeprefix("Value error, ")


def validate_loaded(loaded: LoadedFile, model: type[BaseModel] = Case) -> tuple[Any, list[Problem]]:
    """Validate one loaded file against ``model`` (a case by default) and the anonymisation lint."""
    problems = lint(loaded)
    try:
        case = model.model_validate(loaded.data)
    except ValidationError as error:
        for item in error.errors():
            path, code, message = _translate(item, model)
            line = loaded.line_of(path)
            if code == "CB102" and tuple(path) not in loaded.lines:
                # a missing field has no line: point where it would be written
                line = loaded.line_for_missing(tuple(path))
                if len(path) == 1:
                    message += f"；文件中没有 {path[0]}，可加在文件末尾（第 {line} 行之后）"
            problems.append(Problem(loaded.display, line, field_path(path), code, message))
        return None, problems
    return case, problems


def load_draft(path: Path) -> tuple[DraftCase | None, list[Problem]]:
    """Read a draft of a new case (the case schema, every field optional) for precedent search."""
    loaded, problems = load_file(path, _display(path))
    if loaded is None:
        return None, problems
    draft, found = validate_loaded(loaded, DraftCase)
    return draft, problems + found


@dataclass(frozen=True)
class Corpus:
    """The validated cases and every problem found on the way."""

    cases: tuple[LoadedCase, ...]
    problems: tuple[Problem, ...]
    files: int
    collections: tuple[LoadedCollection, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        """True when nothing stops a build (with ``strict``, no warnings either)."""
        return not (self.problems if strict else self.errors)

    def public(self) -> list[Case]:
        """Cases that may appear in a public artifact."""
        return [c.case for c in self.cases if c.case.is_public]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Every case file under ``paths`` (files are taken as given) that may be read, sorted.

    What may not be read — a symbolic link out of its folder, a FIFO, a device —
    is left out here and reported by :func:`walk`.
    """
    return walk(paths)[0]


_LINK_OUT = "是指向 {folder} 之外的符号链接，未读取：案例和专题文件只能放在 {folder} 之内"


def walk(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The files :func:`discover` finds, and a problem for each one that is answered but not read.

    A symbolic link is followed only to a file inside the folder it was found
    in (``cases/`` or ``collections/``, or the folder given); anything else
    that is not a regular file (a FIFO, a device, a socket) is never opened.
    """
    found: set[Path] = set()
    refused: dict[Path, Problem] = {}
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            root = path.resolve()
            for folder, dirs, files in os.walk(path):
                for name in [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
                    if not _inside(Path(folder) / name, root):
                        refused[Path(folder) / name] = _refusal(Path(folder) / name, "CB010", _LINK_OUT, root)
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))
                )
                for name in files:
                    if name.endswith(CASE_SUFFIXES) and not name.startswith("."):
                        _consider(Path(folder) / name, root, found, refused)
        else:
            _consider(path, _home(path), found, refused)
    return sorted(found), [refused[p] for p in sorted(refused)]


def _home(path: Path) -> Path | None:
    """The folder a file given by itself must stay in: its ``cases`` or ``collections`` folder, if it has one."""
    absolute = Path(os.path.abspath(path))
    for parent in absolute.parents:
        if parent.name in ("cases", COLLECTIONS_FOLDER):
            return parent.resolve()
    return None


def _inside(path: Path, root: Path | None) -> bool:
    """Whether a link at ``path`` leads inside ``root`` (without a root: to a YAML file the user named)."""
    try:
        target = path.resolve()  # a dangling link inside is read, and reported missing (CB009)
    except (OSError, RuntimeError):
        return False  # a loop of links
    return target.is_relative_to(root) if root is not None else target.name.endswith(CASE_SUFFIXES)


def _consider(path: Path, root: Path | None, found: set[Path], refused: dict[Path, Problem]) -> None:
    if path.is_symlink() and not _inside(path, root):
        refused[path] = _refusal(path, "CB010", _LINK_OUT, root)
        return
    try:
        mode = path.stat().st_mode
    except OSError:
        found.add(path)  # missing or unreadable: load_file says why
        return
    if stat.S_ISREG(mode):
        found.add(path)
    else:
        try:
            read_source(path)  # never opens it: names what it is
        except SourceError as error:
            refused[path] = Problem(_display(path), None, "-", error.code, error.message)


def _refusal(path: Path, code: str, template: str, root: Path | None) -> Problem:
    if root is None:
        return Problem(_display(path), None, "-", code, "是指向 YAML 文件以外（或已不存在）的符号链接，未读取")
    try:
        folder = f"{root.relative_to(Path.cwd().resolve())}/"
    except ValueError:
        folder = f"{root.name}/"
    return Problem(_display(path), None, "-", code, template.format(folder=folder))


def _display(path: Path, cwd: Path | None = None) -> str:
    """``path`` as users see it in messages: relative to the working folder when inside it."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return str(absolute.relative_to(cwd or Path.cwd()))
    except ValueError:
        return str(path)


def is_collection_file(path: Path) -> bool:
    """Collections live in a folder named ``collections`` (next to ``cases``)."""
    return COLLECTIONS_FOLDER in path.resolve().parent.parts


def _load(path: Path, model: type[BaseModel]) -> tuple[LoadedFile | None, Any, list[Problem]]:
    loaded, problems = load_file(path, _display(path))
    if loaded is None:
        return None, None, problems
    value, found = validate_loaded(loaded, model)
    return loaded, value, problems + found


def _ids_beside(case_files: list[Path]) -> frozenset[str]:
    """The ids of the case files not asked for in the ``cases`` folder the asked ones lie in (an id is its file's name).

    Validating one changed file then finds the cases it relates to without reading them.
    """
    roots = {parent for p in case_files for parent in p.resolve().parents if parent.name == CASES_FOLDER}
    asked = {p.resolve() for p in case_files}
    return frozenset(p.stem for p in discover(sorted(roots)) if p.resolve() not in asked)


def _reference_cases(collection_files: list[Path], case_files: list[Path]) -> list[Case]:
    """The cases a collection may cite when they were not asked for: the ``cases`` folder beside it."""
    loaded = {p.resolve() for p in case_files}
    folders = {p.resolve().parent.parent / "cases" for p in collection_files}
    extra = [p for p in discover([f for f in folders if f.is_dir()]) if p.resolve() not in loaded]
    return [loaded_case.case for loaded_case, _ in _parse_cases(extra) if loaded_case is not None]


# Below this many files one process is faster than starting a second one.
PARALLEL_FROM = 500


def load_case_file(path: Path, cwd: Path | None = None) -> tuple[LoadedCase | None, list[Problem]]:
    """One case file, read, validated and linted; the raw data is dropped once the model holds it."""
    loaded, problems = load_file(path, _display(path, cwd))
    if loaded is None:
        return None, problems
    case, found = validate_loaded(loaded, Case)
    if case is None:
        return None, problems + found
    return LoadedCase(case, dataclasses.replace(loaded, data=None)), problems + found


def _load_case_files(paths: list[Path], cwd: Path) -> list[tuple[LoadedCase | None, list[Problem]]]:
    return [load_case_file(path, cwd) for path in paths]


def _load_cases(
    paths: list[Path], cache: ValidationCache | None = None
) -> list[tuple[LoadedCase | None, list[Problem]]]:
    """Every case file: from the cache when its bytes are unchanged, else parsed and validated."""
    if cache is None:
        return _parse_cases(paths)
    cwd = Path.cwd()
    results: dict[Path, tuple[LoadedCase | None, list[Problem]]] = {}
    keys: dict[Path, str] = {}
    for path in paths:
        try:
            keys[path] = ValidationCache.key(read_source(path))
        except SourceError:
            continue  # parsed below, where load_file says why
        hit = cache.get(keys[path], path, _display(path, cwd))
        if hit is not None:
            results[path] = hit
    missing = [p for p in paths if p not in results]
    for path, result in zip(missing, _parse_cases(missing), strict=True):
        results[path] = result
        if path in keys:
            cache.put(keys[path], result)
    return [results[p] for p in paths]


def _parse_cases(paths: list[Path]) -> list[tuple[LoadedCase | None, list[Problem]]]:
    """Parse and validate case files, on both cores when there are many (YAML and the lint are CPU-bound)."""
    # The name lint's dictionary is loaded before forking, so that both workers share it.
    load = functools.partial(_load_case_files, cwd=Path.cwd())
    return parallel_map(load, paths, min_items=PARALLEL_FROM, prepare=names.prepare)


def load_corpus(paths: Sequence[Path], today: dt.date | None = None, cache: Path | None = None) -> Corpus:
    """Load, validate, lint and cross-check every case and collection file under ``paths``.

    Nothing is raised for bad data: every problem is collected, in file
    order, so that a user sees them all at once. With ``cache`` (a JSON
    file), files whose bytes did not change since the last run are not
    parsed again.
    """
    today = today or clock.today()
    files, refused = walk(paths)
    collection_files = [p for p in files if is_collection_file(p)]
    case_files = [p for p in files if not is_collection_file(p)]
    problems: list[Problem] = list(refused)
    cases: list[LoadedCase] = []
    validated = ValidationCache(cache) if cache is not None else None
    for loaded_case, found in _load_cases(case_files, validated):
        problems += found
        if loaded_case is not None:
            problems += check_case(loaded_case, today)
            cases.append(loaded_case)
    problems += check_corpus(cases, _ids_beside(case_files))
    collections: list[LoadedCollection] = []
    for path in collection_files:
        loaded, collection, found = _load(path, Collection)
        problems += found
        if loaded is not None and collection is not None:
            collections.append(LoadedCollection(collection, loaded))
    if collections:
        known = [c.case for c in cases] + _reference_cases(collection_files, case_files)
        problems += check_collections(collections, {case.id: case for case in known})
    problems.sort(key=lambda p: (p.file, p.line or 0, p.code))
    if validated is not None:
        validated.save()
    return Corpus(tuple(cases), tuple(problems), len(files) + len(refused), tuple(collections))


__all__ = ["Corpus", "LoadedCase", "discover", "load_case_file", "load_corpus", "validate_loaded", "vocabulary"]
