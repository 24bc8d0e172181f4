"""The site's search data read in Python as the page reads it: the twin the page script is held to.

``SiteIndex`` reads the files ``builder.siteindex.site_index`` writes and ranks
with ``search.tiers``, as ``casebook-search.js`` does; ``run_page_script``
runs that script in Node over the same files. The tests hold the three equal:
the page script, this twin, and ``casebook search`` (Whoosh).
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from casebook.builder.siteindex import DATA_DIR, decode_numbers, read_script
from casebook.search.analysis import pick_snippet
from casebook.search.tiers import (
    Holding,
    Places,
    Typed,
    find_phrases,
    holding,
    placed_terms,
    query_notes,
    scoring_terms,
    snippet_passes,
    tier_summary,
    typed_words,
)
from casebook.search.tokenize import FIELD_SHIFT
from tests.site_helpers import ROOT

NODE_HARNESS = ROOT / "tests" / "search_node.js"
PAGE_SCRIPT = ROOT / "builder" / "docs" / "assets" / "javascripts" / "casebook-search.js"


@dataclass(frozen=True)
class Ranked:
    typed: list[Typed]
    hits: list[int]  # case numbers, in the page's order
    holdings: dict[int, Holding]
    tiers: dict[int, int]
    found: dict[str, dict[int, int]]  # phrase → case → occurrences


class SiteIndex:
    """The index files of one edition, looked up as casebook-search.js does."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = files
        self.meta = self.data("meta")
        self.known: dict[str, int | str] = {}
        self.postings: dict[str, list[int]] = {}  # decoded
        self.place_lists: dict[str, str] = {}
        for text in files.values():
            name, data = read_script(text)
            if name.startswith("t/"):
                self.known.update(data)
            elif name.startswith("p/"):
                self.postings.update((term, decode_numbers(text)) for term, text in data.items())
            elif name.startswith("x/"):
                self.place_lists.update(data)
        self.ids = [self.data(f"d/{n}")["id"] for n in range(self.meta["count"])]
        self.rings = {term: ring for ring in self.meta["rings"] for term in ring}
        self._places: dict[str, dict[int, list[int]]] = {}

    def data(self, name: str) -> Any:
        return read_script(self.files[f"{DATA_DIR}/{name}.js"])[1]

    def scores(self, term: str) -> dict[int, int]:
        """Case number → score × 100 of one term."""
        flat, number, out = self.postings.get(term, []), 0, {}
        for k in range(0, len(flat), 2):
            number += flat[k]
            out[number] = flat[k + 1]
        return out

    def cases_with(self, term: str) -> set[str]:
        return {self.ids[number] for number in self.scores(term)}

    def places(self, term: str) -> Places:
        if term not in self._places:
            flat, number, k = decode_numbers(self.place_lists.get(term, "")), 0, 0
            out: dict[int, list[int]] = {}
            while k < len(flat):
                number += flat[k]
                field, count = flat[k + 1] << FIELD_SHIFT, flat[k + 2]
                place = flat[k + 3]
                found = out.setdefault(number, [])
                found.append(field | place)
                for gap in flat[k + 4 : k + 3 + count]:
                    place += gap
                    found.append(field | place)
                k += 3 + count
            self._places[term] = out
        return self._places[term]

    def typed(self, query: str) -> list[Typed]:
        return typed_words(query, self.known, lambda word: self.rings.get(word, ()), self.meta["longest"])

    def search(self, query: str, filters: dict[str, list[int]] | None = None) -> Ranked:
        """The cases found for ``query`` within ``filters``, ranked as the page ranks them."""
        typed = self.typed(query)
        terms = scoring_terms(typed)
        by_term = {term: self.scores(term) for term in terms}
        scores: dict[int, float] = defaultdict(float)
        for found_scores in by_term.values():
            for number, score in found_scores.items():
                scores[number] += score
        placed = set(placed_terms(typed))
        found = find_phrases(typed, lambda term: self.places(term) if term in placed else {})
        candidates = set(scores) | {number for counts in found.values() for number in counts}
        holdings = {
            number: holding(
                typed,
                number,
                lambda term, n=number: by_term.get(term, {}).get(n, 0),  # type: ignore[misc]
                found,
                self.places,
                self.meta["phrase_score"],
            )
            for number in candidates
            if not self.failing(number, filters or {})
        }
        hits = sorted(holdings, key=lambda n: (*holdings[n].key(), n))
        tiers: dict[int, int] = defaultdict(int)
        for held in holdings.values():
            tiers[held.tier] += 1
        return Ranked(typed, hits, holdings, dict(tiers), found)

    def ranked(self, query: str) -> list[int]:
        return self.search(query).hits

    def matching(self, query: str) -> set[str]:
        return {self.ids[number] for number in self.search(query).hits}

    def matched(self, query: str) -> dict[str, int]:
        """Each case found, with how many of the typed words it holds (whole or through their parts)."""
        ranked = self.search(query)
        return {self.ids[n]: ranked.holdings[n].held for n in ranked.hits}

    def tiers(self, query: str) -> dict[str, int]:
        ranked = self.search(query)
        return {self.ids[n]: ranked.holdings[n].tier for n in ranked.hits}

    def page(self, query: str) -> dict[str, Any]:
        """What the search page draws for ``query``, as the Node harness reports it from the page script."""
        ranked = self.search(query)
        listed = {phrase: sum(1 for n in ranked.hits if cases.get(n)) for phrase, cases in ranked.found.items()}
        snippets = []
        for number in ranked.hits[:10]:
            passes = snippet_passes(ranked.typed, ranked.found, number)
            section, hits = pick_snippet(self.data(f"d/{number}")["fields"], passes, self.known)
            snippets.append([section[1], hits] if section else None)
        return {
            "typed": typed_data(ranked.typed),
            "hits": ranked.hits,
            "ids": [self.ids[n] for n in ranked.hits],
            "tiers": {str(tier): ranked.tiers.get(tier, 0) for tier in (1, 2, 3)},
            "holdings": [
                {
                    "ways": list(held.ways),
                    "forms": list(held.forms),
                    "score": held.score,
                    "spread": held.spread,
                    "tier": held.tier,
                }
                for held in (ranked.holdings[n] for n in ranked.hits)
            ],
            "notes": query_notes(ranked.typed, listed),
            "summary": tier_summary(ranked.typed, ranked.tiers),
            "snippets": snippets,
        }

    def values(self, facet: str, number: int) -> set[int]:
        value = self.meta["columns"][facet][number]
        return set(value) if isinstance(value, list) else {value}

    def failing(self, number: int, filters: dict[str, list[int]]) -> list[str]:
        """The facets whose selection a case does not meet (values of one facet are alternatives)."""
        return [f for f, chosen in filters.items() if chosen and not self.values(f, number) & set(chosen)]

    def facet_counts(self, numbers: Sequence[int], filters: dict[str, list[int]]) -> dict[str, list[int]]:
        """Per facet value, the cases found that hold it and pass every other facet's selection."""
        counts = {f["name"]: [0] * len(f["values"]) for f in self.meta["facets"]}
        for number in numbers:
            failing = self.failing(number, filters)
            for name, row in counts.items():
                if not failing or failing == [name]:
                    for value in self.values(name, number):
                        row[value] += 1
        return counts


def typed_data(typed: Sequence[Typed]) -> list[dict[str, Any]]:
    """Typed words as plain data, as the page script keeps them (for comparing the two)."""
    return json.loads(json.dumps([asdict(word) for word in typed], ensure_ascii=False))


def write_files(files: Mapping[str, str], folder: Path) -> Path:
    """The data files in ``folder`` (the site's root), as a build writes them."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def run_page_script(root: Path, queries: Sequence[str]) -> dict[str, Any]:
    """casebook-search.js run in Node over the search data under ``root``: what it finds for each query."""
    done = subprocess.run(
        ["node", str(NODE_HARNESS), str(root), str(PAGE_SCRIPT)],
        input=json.dumps(list(queries), ensure_ascii=False),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
