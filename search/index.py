"""The search index: Whoosh (full text, facets) plus the finder's records, kept fresh by content hash.

Layout of the cache folder (``.cache/index`` by default)::

    whoosh/          the Whoosh index (jieba analyzer with the corpus dictionary, BM25F)
    records.json     one finder record per case, with its terms
    text-model.json  the finder's text model of every case, and of the public cases alone
    lexicon.json     per case, the terms of its text fields (and Latin stems)
    known.json       the query segmenter's term dictionary, per edition (``search.segment``)
    manifest.json    per file: mtime, size, sha256, case id and the terms it adds to the dictionary

``refresh`` compares the case files with the manifest: files whose size and
mtime are unchanged are trusted, others are hashed, and only files whose
content changed are validated and re-indexed. A file that no longer
validates leaves the index (its problems are reported), so the index never
holds stale or invalid text.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import marshal
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import fields, index
from whoosh.index import Index

from casebook.schema import Case, Problem, discover
from casebook.schema.cache import code_version
from casebook.schema.facets import INTERNAL_SEARCH
from casebook.schema.jsonfile import read_json, write_atomically, write_json
from casebook.schema.progress import Progress, Silent
from casebook.schema.validate import load_case_file
from casebook.search.analysis import analyse, doc_sections
from casebook.search.dictionary import case_terms, extra_terms
from casebook.search.fields import FIELD_BOOSTS, fields_of, text_sections
from casebook.search.records import Record, record_of
from casebook.search.segment import term_dictionary
from casebook.search.similar import Precedents, TextModel, build_text_model, information
from casebook.search.termcache import dictionary_version
from casebook.search.tokenize import Extra, analyzer, prepare_jieba


@functools.cache
def index_version() -> str:
    """What the index is made by: the search package (code and word lists) and the schema (models, cues).

    A change to either rebuilds the index from the case files.
    """
    return code_version("casebook.search", "casebook.schema")


DEFAULT_CACHE = Path(".cache")


def whoosh_schema(extra: Extra = ()) -> fields.Schema:
    """The index's fields; text is segmented with the domain dictionary plus the corpus terms ``extra``."""
    text = analyzer(extra)
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        path=fields.ID(stored=True),
        title=fields.TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["title"]),
        subtitle=fields.TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["subtitle"]),
        keywords=fields.TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["keywords"]),
        key_point=fields.TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["key_point"]),
        rules=fields.TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["rules"]),
        facts=fields.TEXT(analyzer=text, stored=True),
        body=fields.TEXT(analyzer=text),
        sections=fields.STORED,  # the labelled sections and their word spans, for snippets (search.analysis)
        # Every facet of the search page, with its children (江苏省, 江苏省/淮安市), comma-separated.
        **{facet.id: fields.KEYWORD(stored=True, commas=True) for facet in INTERNAL_SEARCH},
        state=fields.ID(stored=True),
        published=fields.ID(stored=True, sortable=True),
    )


def document_of(case: Case, path: str, extra: Extra = ()) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The Whoosh document of a case: its reader-visible fields (``search.fields``), their sections as the
    results list shows them, and its facets (``schema.facets``); with each field's analysis (``search.analysis``)."""
    sections = text_sections(case)
    texts = fields_of(sections)
    analysed = {name: analyse(text, extra) for name, text in texts.items()}
    document = {
        "id": case.id,
        "path": path,
        **texts,
        "sections": json.dumps(doc_sections(sections, analysed), ensure_ascii=False),
        **{facet.id: ",".join(facet.paths(case)) for facet in INTERNAL_SEARCH},
        "state": case.publication.status.state,
        "published": case.publication.published,
    }
    return document, analysed


@dataclass
class RefreshReport:
    files: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    rebuilt: bool = False  # every case segmented again: the corpus dictionary changed

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class CaseIndex:
    """An open, up-to-date index: Whoosh for search, records and text model for the finder."""

    folder: Path
    whoosh: Index
    fingerprint: str
    _precedents: Precedents | None = None
    _public_model: TextModel | None = None
    _public_information: dict[str, float] | None = None
    _public_precedents: Precedents | None = None
    _known: dict[str, dict[str, int | str]] | None = None

    def known(self, include_internal: bool = False) -> dict[str, int | str]:
        """The term dictionary queries are segmented with: the public cases' or every case's."""
        if self._known is None:
            self._known = _read_json(self.folder / "known.json")
        return self._known.get("internal" if include_internal else "public", {})

    def facet_values(self, facet: str) -> list[str]:
        """Every value the index holds for one facet (``region``, ``outcome`` …), children included, unordered."""
        with self.whoosh.reader() as reader:
            return [term.decode("utf-8") for term in reader.lexicon(facet)]

    @property
    def precedents(self) -> Precedents:
        """The finder over every indexed case (loaded on first use)."""
        if self._precedents is None:
            found = _read_finder(self.folder)
            if found is None:
                stored = _read_json(self.folder / "records.json")
                models = _read_json(self.folder / "text-model.json")
                records = [Record.from_dict(stored[i]) for i in sorted(stored)]
                public = models.get("public")
                found = (
                    Precedents(records, TextModel.from_dict(models["all"])),
                    TextModel.from_dict(public) if public else None,
                    None,
                )
            self._precedents, self._public_model, self._public_information = found
        return self._precedents

    def precedents_for(self, include_internal: bool) -> Precedents:
        """The finder a query searches: every case, or the public cases with their own text model.

        Leaving internal cases out means their words weigh nothing either, so
        that a query ranks exactly as on the public site's 类案查找 page (whose
        data holds public cases alone).
        """
        every = self.precedents
        if include_internal or self._public_model is None:
            return every
        if self._public_precedents is None:
            public = [r for r in every.records if r.public]
            self._public_precedents = Precedents(public, self._public_model, self._public_information)
        return self._public_precedents


# The finder's records and model, postings included, in Python's own fast serialisation: a query
# in a fresh process loads them in a fraction of the time JSON takes. The name carries the
# interpreter's tag (the format is tied to it); the JSON files stay the portable copy.
FINDER_FILE = f"finder-{sys.implementation.cache_tag}.marshal"
_RECORD_FIELDS = [f.name for f in dataclasses.fields(Record) if f.name != "term_counts"]


def _write_finder(folder: Path, records: list[Record], model: TextModel, public: TextModel | None) -> None:
    rows = [tuple(getattr(r, name) for name in _RECORD_FIELDS) for r in records]
    info = information(records), information([r for r in records if r.public]) if public else None
    public_part = (public.as_dict(), public.postings) if public else None
    payload = marshal.dumps((index_version(), rows, model.as_dict(), model.postings, public_part, info))
    write_atomically(folder / FINDER_FILE, payload)


def _model(data: dict, postings: dict) -> TextModel:
    return TextModel(data["documents"], data["average_length"], data["df"], data["vectors"], postings)


def _read_finder(folder: Path) -> tuple[Precedents, TextModel | None, dict[str, float] | None] | None:
    """The finder over every case, the public cases' text model and information table (when they differ)."""
    try:
        version, rows, data, postings, public_part, info = marshal.loads((folder / FINDER_FILE).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != index_version():
        return None
    public = _model(*public_part) if public_part else None
    return Precedents([Record(*row) for row in rows], _model(data, postings), info[0]), public, info[1]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_json(path: Path) -> dict:
    stored = read_json(path)
    return stored if isinstance(stored, dict) else {}


def fingerprint(manifest_files: dict[str, dict]) -> str:
    """A content hash of the corpus: same cases, same fingerprint (the report's corpus version)."""
    digest = hashlib.sha256()
    for path in sorted(manifest_files):
        digest.update(f"{path}\0{manifest_files[path]['sha256']}\n".encode())
    return digest.hexdigest()[:16]


def open_index(
    cases_dir: Path, cache_dir: Path = DEFAULT_CACHE, progress: Progress | None = None
) -> tuple[CaseIndex, RefreshReport]:
    """Open the index for ``cases_dir``, bringing it up to date first."""
    prepare_jieba(cache_dir / "jieba")
    folder = cache_dir / "index"
    report = refresh(cases_dir, folder, progress or Silent())
    manifest = _read_json(folder / "manifest.json")
    return CaseIndex(folder, index.open_dir(str(folder / "whoosh")), fingerprint(manifest["files"])), report


def _scan(cases_dir: Path, known: dict[str, dict], report: RefreshReport) -> dict[str, tuple[Case | None, dict]]:
    """Every case file: unchanged ones keep their manifest entry (case ``None``), changed ones are validated."""
    scanned: dict[str, tuple[Case | None, dict]] = {}
    for path in discover([cases_dir]):
        rel = str(path.relative_to(cases_dir))
        report.files += 1
        stat = path.stat()
        entry = known.get(rel)
        if entry and entry["mtime_ns"] == stat.st_mtime_ns and entry["size"] == stat.st_size:
            scanned[rel] = (None, entry)
            continue
        digest = _sha256(path)
        if entry and entry["sha256"] == digest:
            scanned[rel] = (None, {**entry, "mtime_ns": stat.st_mtime_ns, "size": stat.st_size})
            continue
        loaded, problems = load_case_file(path)
        usable = loaded is not None and not any(p.severity == "error" for p in problems)
        case = loaded.case if loaded is not None and usable else None
        report.problems += problems
        new_entry = {
            "mtime_ns": stat.st_mtime_ns,
            "size": stat.st_size,
            "sha256": digest,
            "id": case.id if case else None,
            "terms": case_terms(case) if case else [],
            "changed": True,
        }
        scanned[rel] = (case, new_entry)
    return scanned


def refresh(cases_dir: Path, folder: Path, progress: Progress | None = None) -> RefreshReport:
    """Bring the index in ``folder`` up to date with the case files under ``cases_dir``.

    The dictionary holds the terms of every public case: when a change adds or
    removes one, every case is segmented again (the index is rebuilt).
    """
    manifest = _read_json(folder / "manifest.json")
    known: dict[str, dict] = manifest.get("files", {})
    previous = known
    report = RefreshReport()
    scanned = _scan(cases_dir, known, report)
    edited = {rel for rel, (_, entry) in scanned.items() if entry.get("changed")}
    extra = tuple(extra_terms({t for _, entry in scanned.values() for t in entry.get("terms", [])}))
    stamp = {
        "version": index_version(),
        "dictionary": dictionary_version(),
        "corpus_terms": hashlib.sha256("\n".join(extra).encode("utf-8")).hexdigest()[:16],
        "cases": str(cases_dir.resolve()),
    }
    whoosh_dir = folder / "whoosh"
    stale = any(manifest.get(key) != value for key, value in stamp.items())
    if stale or not index.exists_in(str(whoosh_dir)):
        shutil.rmtree(folder, ignore_errors=True)
        if known:  # every case is indexed afresh: read the unchanged files too
            report = RefreshReport(rebuilt=True)
            scanned = {**_scan(cases_dir, {}, report), **{r: v for r, v in scanned.items() if v[1].get("changed")}}
        known = {}
        whoosh_dir.mkdir(parents=True, exist_ok=True)
        index.create_in(str(whoosh_dir), whoosh_schema(extra))

    current = {rel: {k: v for k, v in entry.items() if k != "changed"} for rel, (_, entry) in scanned.items()}
    changed = {rel: (case, current[rel]) for rel, (case, entry) in scanned.items() if entry.get("changed")}
    removed = [rel for rel in known if rel not in current]
    if not changed and not removed and current == known:
        return report
    # Read only when something changed: an up-to-date index opens without them (they are large).
    records: dict[str, dict] = _read_json(folder / "records.json") if known else {}
    terms: dict[str, dict[str, int]] = _read_json(folder / "terms.json") if known else {}
    words: dict[str, dict] = _read_json(folder / "lexicon.json") if known else {}
    progress = progress or Silent()
    progress.start("更新索引", len(changed) + len(removed))
    ix = index.open_dir(str(whoosh_dir))
    writer = ix.writer()
    for rel in removed:
        old_id = known[rel].get("id")
        if old_id:
            writer.delete_by_term("id", old_id)
            for table in (records, terms, words):
                table.pop(old_id, None)
    for rel, (case, _) in changed.items():
        old_id = known.get(rel, {}).get("id")
        if old_id:
            writer.delete_by_term("id", old_id)
            for table in (records, terms, words):
                table.pop(old_id, None)
        if case is None:
            continue
        progress.advance()
        document, analysed = document_of(case, rel, extra)
        writer.update_document(**document)
        record = record_of(case)
        records[case.id] = record.as_dict()
        terms[case.id] = record.term_counts
        case_words = sorted({term for found in analysed.values() for term in found["c"]})
        stems = {surface: root for found in analysed.values() for surface, root in found["s"].items()}
        words[case.id] = {"terms": case_words, "stems": stems, "public": case.is_public}
    _count(report, previous, edited, {rel: case for rel, (case, _) in scanned.items()})
    writer.commit()
    progress.finish()
    ids = sorted(records)  # record order, as the finder numbers cases
    model = build_text_model([terms[k] for k in ids])
    public_ids = [k for k in ids if records[k]["public"]]
    # Only a corpus with internal cases needs a second model; otherwise the two are one.
    public = build_text_model([terms[k] for k in public_ids]) if len(public_ids) < len(records) else None
    write_json(folder / "text-model.json", {"all": model.as_dict(), "public": public.as_dict() if public else None})
    _write_finder(folder, [Record.from_dict(records[k]) for k in ids], model, public)
    write_json(folder / "records.json", records)
    write_json(folder / "terms.json", terms)
    write_json(folder / "lexicon.json", words)
    write_json(folder / "known.json", _known_terms(words, extra))
    write_json(folder / "manifest.json", {**stamp, "files": current})
    return report


def _count(report: RefreshReport, previous: dict[str, dict], edited: set[str], cases: dict[str, Case | None]) -> None:
    """What changed in the corpus since the last refresh (a rebuild for a new dictionary changes nothing here)."""
    report.removed += sum(1 for rel in previous if rel not in cases)
    for rel in edited:
        old_id = previous.get(rel, {}).get("id")
        if cases[rel] is None:
            report.removed += bool(old_id)
        elif old_id:
            report.updated += 1
        else:
            report.added += 1


def _known_terms(words: dict[str, dict], extra: Extra) -> dict[str, dict[str, int | str]]:
    """The query segmenter's term dictionary of the public cases and of every case (as the site builds it)."""
    out = {}
    for edition in ("public", "internal"):
        shown = [w for w in words.values() if edition == "internal" or w["public"]]
        terms = {t for w in shown for t in w["terms"]}
        stems = {surface: root for w in shown for surface, root in w["stems"].items()}
        out[edition] = term_dictionary(terms, stems, extra)
    return out


def corpus_version(cases_dir: Path, fingerprint_: str) -> str:
    """The git commit of the cases (with a mark if they have local changes), and the content hash."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(cases_dir), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(cases_dir), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"内容哈希 {fingerprint_}"
    return f"git {commit}{'(有未提交的修改)' if dirty else ''}，内容哈希 {fingerprint_}"
