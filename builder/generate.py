"""Everything the builder adds to a site, as ``{path: content}``: a pure function of the cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from casebook.builder import exports, render
from casebook.builder.render import Neighbour
from casebook.schema import Case, Collection
from casebook.schema.jsonschema import render_json_schema

SITE_EDITIONS = ("public", "internal")


def edition_cases(cases: Sequence[Case], edition: str) -> list[Case]:
    """The cases an edition may show: the public edition never holds an internal case.

    References to cases outside the edition are dropped too, so that not even
    the id of an internal case reaches a public page or export.
    """
    if edition not in SITE_EDITIONS:
        raise ValueError(f"unknown edition {edition!r}")
    shown = [c for c in cases if edition == "internal" or c.is_public]
    ids = {c.id for c in shown}
    return [
        c if set(c.related) <= ids else c.model_copy(update={"related": [r for r in c.related if r in ids]})
        for c in shown
    ]


def site_url(case: Case) -> str:
    """The address of a case page relative to the site root."""
    return render.case_path(case).removesuffix(".md") + ".html"


def edition_collections(collections: Sequence[Collection], edition: str) -> list[Collection]:
    """Collections an edition may show (validation already keeps internal cases out of public ones)."""
    return [c for c in collections if edition == "internal" or c.visibility == "public"]


def generate(
    cases: Sequence[Case],
    edition: str = "public",
    similar: Mapping[str, Sequence[Neighbour]] | None = None,
    collections: Sequence[Collection] = (),
) -> dict[str, str]:
    """All generated pages and data files of an edition of the site.

    ``similar`` gives each case's most similar cases (computed by the search
    package over the same edition, so never a case the edition hides).
    """
    shown = edition_cases(cases, edition)
    by_id = {case.id: case for case in shown}
    files: dict[str, str] = {}
    for case in shown:
        related = [Neighbour(by_id[r]) for r in case.related]
        nearest = [n for n in (similar or {}).get(case.id, ()) if n.case.id in by_id]
        files[render.case_path(case)] = render.render_case(case, related, nearest)
    files.update(render.render_browse(shown))
    shown_collections = [c for c in edition_collections(collections, edition) if all(e.case in by_id for e in c.cases)]
    for collection in shown_collections:
        files[render.collection_path(collection)] = render.render_collection(collection, by_id)
    files["collections/index.md"] = render.render_collections_index(shown_collections)
    files["index.md"] = render.render_home(shown, edition)
    files["stats.md"] = render.render_stats(shown)
    files["data/cases.json"] = exports.cases_json(shown, site_url)
    files["data/cases.csv"] = exports.cases_csv(shown, site_url)
    files["data/case.schema.json"] = render_json_schema()
    sizes = {
        path: len(files[path].encode("utf-8"))
        for path in ("data/cases.json", "data/cases.csv", "data/case.schema.json")
    }
    files["data.md"] = render.render_data_page(len(shown), sizes)
    return files
