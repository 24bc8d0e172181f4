"""The mkdocs plugin: validates ``cases/`` and adds the generated pages.

With it, plain ``mkdocs build`` and ``mkdocs serve`` (reloading when a case
changes) work as mkdocs users expect; ``casebook build`` adds an atomic swap
of the output folder on top.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from casebook.builder.finderdata import finder_data
from casebook.builder.generate import SITE_EDITIONS, edition_cases, edition_collections, generate
from casebook.builder.incremental import (
    PreviousBuild,
    hash_sources,
    link_unchanged,
    mark_unchanged,
    remove_stale,
)
from casebook.builder.neighbours import similar_lists
from casebook.builder.render import join_wraps
from casebook.builder.siteindex import AnalysisCache, dictionary_terms, site_index
from casebook.schema import Case, Collection, Corpus, Problem, load_corpus, release
from casebook.schema import jiebadict as jiebadict
from casebook.schema.progress import Progress, Silent
from casebook.search import TermCache

log = logging.getLogger("mkdocs.plugins.casebook")


class CasebookConfig(Config):
    cases = config_options.Type(str, default="cases")
    collections = config_options.Type(str, default="collections")
    edition = config_options.Choice(SITE_EDITIONS, default="public")
    cache_dir = config_options.Type(str, default=".cache")
    # The 案例检索 page's index (builder/siteindex.py); off only to measure a build without it.
    search_index = config_options.Type(bool, default=True)
    # The 类案查找 page's data (builder/finderdata.py); off only to measure a build without it.
    finder_data = config_options.Type(bool, default=True)


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Turns the validated corpus into pages; refuses to build from bad data."""

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.generated: dict[str, str] = {}
        self.downloads: dict[str, bytes] = {}  # the printed casebooks (PDF) of the collections shown
        # Set by casebook build for an incremental build; the hashes are kept for the next one.
        self.previous: PreviousBuild | None = None
        self.source_hashes: dict[str, str] = {}
        self.progress: Progress = Silent()  # casebook build shows a bar on a terminal

    def root(self, config: MkDocsConfig) -> Path:
        """The project folder: where mkdocs.yml is."""
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = self.root(config)
        cache = root / self.config.cache_dir / "jieba"
        _point_jieba_cache_at(cache)
        # Links inside the generated raw HTML are computed for .html pages,
        # and the offline plugin needs the same setting.
        config.use_directory_urls = False
        if self.config.edition == "internal":
            config.site_name = f"{config.site_name}（内部版）"
        corpus = self.corpus or self.load(config)
        problems = blocking_problems(corpus, config.strict)
        if problems:
            raise PluginError(describe(problems))
        cases = [c.case for c in corpus.cases]
        collections = [c.collection for c in corpus.collections]
        shown = edition_cases(cases, self.config.edition)
        config.extra["casebook"] = {"version": release.version(), "updated": last_updated(shown)}
        self.generated = site_files(cases, collections, self.config.edition, root / self.config.cache_dir)
        if self.config.search_index:
            self.generated.update(search_files(cases, self.config.edition, root / self.config.cache_dir))
        if self.config.finder_data:
            terms = TermCache(root / self.config.cache_dir / "terms.json")
            self.generated.update(finder_data(cases, self.config.edition, terms))  # the 类案查找 page's data
        self.downloads = printed_casebooks(cases, collections, self.config.edition, root / self.config.cache_dir)
        log.info(f"casebook: {len(corpus.cases)} 个案例，生成 {len(self.generated)} 个文件（{self.config.edition}）")
        return config

    def load(self, config: MkDocsConfig) -> Corpus:
        """Read and validate the cases this site is built from (kept for the build that follows)."""
        root = self.root(config)
        folders = [root / self.config.cases, root / self.config.collections]
        cache = root / self.config.cache_dir / "validated.json"
        self.corpus = load_corpus([folder for folder in folders if folder.exists()] or folders[:1], cache=cache)
        return self.corpus

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.progress.finish()
        self.corpus = None  # the next build (mkdocs serve) reads the cases afresh
        if self.previous is not None:
            link_unchanged(self.previous, Path(config.site_dir))
            remove_stale(Path(config.site_dir), self.previous, self.files)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        contents: dict[str, str | bytes] = {**self.generated, **self.downloads}
        for path, content in contents.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=content))
        self.files = files
        # Each footer shows the version and the corpus's latest date: a page built under another footer is stale.
        footer = json.dumps(config.extra.get("casebook", {}), sort_keys=True, ensure_ascii=False)
        self.source_hashes = {
            path: hashlib.sha256(f"{digest}\0{footer}".encode()).hexdigest()
            for path, digest in hash_sources(files).items()
        }
        if self.previous is not None:
            mark_unchanged(files, self.source_hashes, self.previous)
        pages = [f for f in files.documentation_pages() if self.previous is None or f.is_modified()]
        self.progress.start("生成页面", len(pages))
        return files

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
        return join_wraps(html)  # the guide's and home page's wrapped Chinese lines read without stray spaces

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:  # type: ignore[no-untyped-def]
        self.progress.advance()
        return output

    def on_serve(self, server, *, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
        for folder in (self.config.cases, self.config.collections):
            if (self.root(config) / folder).exists():
                server.watch(str(self.root(config) / folder))
        return server


def last_updated(cases: list[Case]) -> str:
    """The latest date the corpus records (published, added or revised): the same on every machine and day."""
    dates = [
        date
        for case in cases
        for date in (case.publication.published, case.publication.status.issued, case.publication.status.modified)
        if date
    ]
    return max(dates, default="")


def site_files(cases: list[Case], collections: list[Collection], edition: str, cache_dir: Path) -> dict[str, str]:
    """Every generated page and data file of an edition, with each case's similar cases."""
    return generate(cases, edition, similar_lists(cases, edition, cache_dir), collections)


def search_files(cases: list[Case], edition: str, cache_dir: Path) -> dict[str, str]:
    """The 案例检索 page's index files of ``edition``, with jieba's work cached by text hash."""
    cache = AnalysisCache(cache_dir / f"site-index-{edition}.json", dictionary_terms(cases))
    files = site_index(cases, edition, cache)
    cache.save()
    return files


def printed_casebooks(
    cases: list[Case], collections: list[Collection], edition: str, cache_dir: Path
) -> dict[str, bytes]:
    """Student and teacher PDFs of each collection the edition shows, dated by the corpus's latest date."""
    from casebook.builder.printing import site_downloads

    shown = edition_cases(cases, edition)
    by_id = {case.id: case for case in shown}
    chosen = [c for c in edition_collections(collections, edition) if all(e.case in by_id for e in c.cases)]
    updated = last_updated(shown)
    day = dt.date.fromisoformat(updated[:10]) if len(updated) >= 10 else dt.date(int(updated[:4] or 2000), 1, 1)
    return site_downloads(chosen, by_id, day, cache_dir / "pdf")


def blocking_problems(corpus: Corpus, strict: bool) -> list[Problem]:
    """What stops a build: errors, and in strict mode warnings too."""
    return list(corpus.problems if strict else corpus.errors)


def describe(problems: list[Problem]) -> str:
    lines = "\n".join(str(p) for p in problems)
    return f"案例校验未通过，未生成网站（{len(problems)} 个问题）：\n{lines}"


def _point_jieba_cache_at(folder: Path) -> None:
    """Keep jieba's caches (its own 9 MB one and the fast copy of its dictionary) in the project's cache."""
    folder.mkdir(parents=True, exist_ok=True)
    jiebadict.use_cache_dir(folder)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(folder)
