"""Build the site beside the published one, then swap: a failed build changes nothing.

Only one build may write a given output folder at a time (a lock file beside
it); a second build fails at once with a clear message instead of mixing
files. The swap is one atomic exchange of the two folders where Linux offers
it (renameat2); elsewhere it takes two renames, and a crash between them is
repaired by the next build, which puts the previous site back first.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from casebook.builder.incremental import (
    DropDirtyWarning,
    PreviousBuild,
    config_fingerprint,
    link_assets,
    manifest_path,
    read_manifest,
    write_manifest,
)
from casebook.builder.plugin import CasebookPlugin, blocking_problems, describe
from casebook.schema.problems import write_error_message
from casebook.schema.progress import Progress


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
            raise BuildError(f"另一个构建正在写入 {site_dir}，请等它结束后再试") from None
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


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        if error in (errno.ENOSYS, errno.EINVAL):
            return False
        raise OSError(error, os.strerror(error), str(b))
    return True


def _swap_in(new: Path, site_dir: Path) -> None:
    """Put ``new`` in place of ``site_dir``: readers and crashes see the old site or the new, never neither."""
    previous = _sibling(site_dir, "previous")
    if site_dir.exists() and _exchange(new, site_dir):
        shutil.rmtree(new)  # now holds the previous site
        return
    if site_dir.exists():
        site_dir.rename(previous)  # a crash between the two renames is repaired by recover()
    new.rename(site_dir)
    if previous.exists():
        shutil.rmtree(previous)


def build_site(
    config_file: Path,
    site_dir: Path | None = None,
    edition: str = "public",
    *,
    incremental: bool = True,
    progress: Progress | None = None,
    into_public_dir: bool = False,
) -> BuildReport:
    """Validate the cases and build the site into ``site_dir`` (default: the config's).

    Raises :class:`BuildError` with the reason (bad cases, mkdocs warnings in
    strict mode, an unwritable folder, the internal edition aimed at the public
    site's folder without ``into_public_dir``); the folder then holds exactly
    what it held before.
    """
    started = time.perf_counter()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), strict=True)
    except ConfigurationError as error:
        raise BuildError(f"{config_file}: 配置有误：{error}") from None
    target = (site_dir or Path(config.site_dir)).resolve()
    if edition == "internal" and target == Path(config.site_dir).resolve() and not into_public_dir:
        raise BuildError(
            f"内部版含内部案例，不能写入公开版的输出目录 {target.name}/（{config_file} 的 site_dir）："
            "请换一个目录（默认 site-internal/）；确需如此请加 --into-public-dir"
        )
    plugin = config.plugins.get("casebook")
    if not isinstance(plugin, CasebookPlugin):
        raise BuildError(f"{config_file}: plugins 中没有启用 casebook 插件")
    plugin.config["edition"] = edition
    if progress is not None:
        plugin.progress = progress
    problems = blocking_problems(plugin.load(config), strict=True)
    if problems:
        raise BuildError(describe(problems))
    manifest = manifest_path(plugin.root(config) / plugin.config.cache_dir, target, edition)
    fingerprint = config_fingerprint(config, edition)
    try:
        with exclusive(target):
            recover(target)
            pages = _build_and_swap(config, target, plugin, manifest, fingerprint, incremental)
    except OSError as error:  # the lock, the recovery or the swap could not write
        raise BuildError(_explain(error, target)) from None
    return BuildReport(target, edition, pages, time.perf_counter() - started)


def _build_and_swap(
    config: MkDocsConfig, target: Path, plugin: CasebookPlugin, manifest: Path, fingerprint: str, incremental: bool
) -> int:
    """Build beside ``target`` and swap it in; the number of pages. Cleans up whatever fails.

    With a manifest from the last build under the same fingerprint, the build
    starts from a copy of the published site and renders only changed pages.
    """
    building = _sibling(target, "building")
    config.site_dir = str(building)
    previous_pages = read_manifest(manifest, fingerprint) if incremental and target.is_dir() else None
    if previous_pages is not None:
        plugin.previous = PreviousBuild(previous_pages, target)
        link_assets(plugin.previous, building)
    dirty = plugin.previous is not None
    config.plugins.on_startup(command="build", dirty=False)  # as the mkdocs command does around a build
    quiet = DropDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        mkdocs_build(config, dirty=dirty)
    except PluginError as error:
        shutil.rmtree(building, ignore_errors=True)
        raise BuildError(str(error)) from None
    except (Abort, OSError) as error:
        shutil.rmtree(building, ignore_errors=True)
        raise BuildError(_explain(error, target)) from None
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    pages = sum(1 for _ in building.rglob("*.html"))
    try:
        _swap_in(building, target)
    except OSError:
        recover(target)
        raise
    write_manifest(manifest, fingerprint, plugin.source_hashes)
    return pages


def _explain(error: BaseException, target: Path) -> str:
    if isinstance(error, OSError):
        return write_error_message(error, target.parent)
    return f"构建中止：{error}（严格模式下，mkdocs 的警告也会中止构建，详见上方日志）"
