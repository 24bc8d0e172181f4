"""Build the site beside the published one, then swap: a failed build changes nothing.

Only one build may write a given output folder at a time (a lock file beside
it); a second build fails at once with a clear message instead of mixing
files. A crash between the two renames of the swap is repaired by the next
build, which puts the previous site back before it starts.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from builder.plugin import CasebookPlugin, blocking_problems, describe


class BuildError(Exception):
    """The site could not be built; the previously published site is untouched."""


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    edition: str
    pages: int
    seconds: float


def _sibling(site_dir: Path, kind: str) -> Path:
    return site_dir.with_name(f".{site_dir.name}.{kind}")


@contextlib.contextmanager
def exclusive(site_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock, or raise BuildError if another build holds it."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sibling(site_dir, "lock")
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"另一个构建正在写入 {site_dir},请等它结束后再试") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def recover(site_dir: Path) -> None:
    """Undo what an interrupted build left: restore a swapped-out site, drop half-built ones."""
    previous = _sibling(site_dir, "previous")
    if previous.exists():
        if site_dir.exists():
            shutil.rmtree(previous)
        else:
            previous.rename(site_dir)
    building = _sibling(site_dir, "building")
    if building.exists():
        shutil.rmtree(building)


def _swap_in(new: Path, site_dir: Path) -> None:
    previous = _sibling(site_dir, "previous")
    if site_dir.exists():
        site_dir.rename(previous)
    new.rename(site_dir)
    if previous.exists():
        shutil.rmtree(previous)


def build_site(config_file: Path, site_dir: Path | None = None, edition: str = "public") -> BuildReport:
    """Validate the cases and build the site into ``site_dir`` (default: the config's).

    Raises :class:`BuildError` with the reason (bad cases, mkdocs warnings in
    strict mode, an unwritable folder); the folder then holds exactly what it
    held before.
    """
    started = time.perf_counter()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), strict=True)
    except ConfigurationError as error:
        raise BuildError(f"{config_file}: 配置有误:{error}") from None
    target = (site_dir or Path(config.site_dir)).resolve()
    plugin = config.plugins.get("casebook")
    if not isinstance(plugin, CasebookPlugin):
        raise BuildError(f"{config_file}: plugins 中没有启用 casebook 插件")
    plugin.config["edition"] = edition
    problems = blocking_problems(plugin.load(config), strict=True)
    if problems:
        raise BuildError(describe(problems))
    with exclusive(target):
        recover(target)
        building = _sibling(target, "building")
        config.site_dir = str(building)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        except PluginError as error:
            shutil.rmtree(building, ignore_errors=True)
            raise BuildError(str(error)) from None
        except (Abort, OSError) as error:
            shutil.rmtree(building, ignore_errors=True)
            raise BuildError(_explain(error, target)) from None
        finally:
            config.plugins.on_shutdown()
        pages = sum(1 for _ in building.rglob("*.html"))
        try:
            _swap_in(building, target)
        except OSError as error:
            recover(target)
            raise BuildError(_explain(error, target)) from None
    return BuildReport(target, edition, pages, time.perf_counter() - started)


def _explain(error: BaseException, target: Path) -> str:
    if isinstance(error, OSError):
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"无法写入 {target.parent}:没有写权限(或是只读文件系统)"
        if error.errno == errno.ENOSPC:
            return f"无法写入 {target.parent}:磁盘空间不足"
        return f"写入 {target.parent} 失败:{error.strerror}"
    return f"构建中止:{error}(严格模式下,mkdocs 的警告也会中止构建,详见上方日志)"
