"""Rebuilding only what changed: mkdocs' dirty build driven by content hashes.

After a full build, a manifest in the cache records the hash of every page's
source (generated Markdown included) and a fingerprint of everything else a
page depends on (mkdocs.yml, the theme version, the static pages, the
edition). The next ``casebook build`` under the same fingerprint builds into
a fresh folder in which mkdocs renders only the pages whose hash changed;
every other file is hard-linked from the published site. Any doubt (no
manifest, another fingerprint) means a full build.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from casebook.schema.cache import code_version
from casebook.schema.jsonfile import read_json, write_json


@dataclass
class PreviousBuild:
    """What the last successful build of this output folder was made from."""

    pages: dict[str, str]
    site: Path


def manifest_path(cache_dir: Path, target: Path, edition: str) -> Path:
    key = hashlib.sha256(f"{target.resolve()}\0{edition}".encode()).hexdigest()[:16]
    return cache_dir / "builds" / f"{key}.json"


def config_fingerprint(config: MkDocsConfig, edition: str) -> str:
    """Everything besides a page's own source that shapes its HTML: the builder's own code included."""
    digest = hashlib.sha256()
    digest.update(edition.encode())
    digest.update(code_version("casebook.builder").encode())
    for package in ("mkdocs", "mkdocs-material"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    folders = [Path(config.docs_dir)]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))  # the theme overrides (404 page, footer)
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def read_manifest(path: Path, fingerprint: str) -> dict[str, str] | None:
    """The page hashes of the last build, if it was made under the same fingerprint."""
    data = read_json(path)
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return None
    return data.get("pages")


def write_manifest(path: Path, fingerprint: str, pages: dict[str, str]) -> None:
    write_json(path, {"fingerprint": fingerprint, "pages": pages})


def source_hash(file: File) -> str:
    if file.generated_by is not None or file.abs_src_path is None:
        content = file.content_bytes
    else:
        content = Path(file.abs_src_path).read_bytes()
    return hashlib.sha256(content).hexdigest()


def hash_sources(files: Files) -> dict[str, str]:
    """The hash of every page and generated file, by source path."""
    return {f.src_uri: source_hash(f) for f in files if f.is_documentation_page() or f.generated_by is not None}


def mark_unchanged(files: Files, hashes: dict[str, str], previous: PreviousBuild) -> None:
    """Tell mkdocs' dirty build which files it may leave as they are."""
    for file in files:
        if file.src_uri not in hashes:
            continue
        changed = previous.pages.get(file.src_uri) != hashes[file.src_uri]
        file.is_modified = _always(changed)  # type: ignore[method-assign]


def _always(value: bool) -> Callable[[], bool]:
    return lambda: value


def link_assets(previous: PreviousBuild, site_dir: Path) -> None:
    """Before the build: hard-link the theme's and the site's static assets from the published site.

    mkdocs' dirty build copies a static file only when its source is newer
    than the copy, so it will not write into these links.
    """
    assets = previous.site / "assets"
    if assets.is_dir():
        shutil.copytree(assets, site_dir / "assets", copy_function=os.link, dirs_exist_ok=True)


def link_unchanged(previous: PreviousBuild, site_dir: Path) -> None:
    """Bring every file mkdocs did not write this time over from the published site.

    Hard links cost nothing and are safe: mkdocs wrote its files into this
    fresh folder before, so no later write can reach a linked file.
    """
    for old in previous.site.rglob("*"):
        new = site_dir / old.relative_to(previous.site)
        if old.is_dir() or new.exists():
            continue
        new.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old, new)
        except OSError:
            shutil.copy2(old, new)


def remove_stale(site_dir: Path, previous: PreviousBuild, files: Files) -> None:
    """Delete the output of pages and data files that no longer exist."""
    current = {f.src_uri for f in files}
    for src_uri in set(previous.pages) - current:
        dest = File(src_uri, "", str(site_dir), use_directory_urls=False).dest_uri
        (site_dir / dest).unlink(missing_ok=True)


class DropDirtyWarning(logging.Filter):
    """mkdocs warns that --dirty builds may be inaccurate: ours is driven by content hashes.

    Dropping that one message keeps strict mode from failing on it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()
