"""Full-text search and the index: ranking, highlights, facets, filters, freshness."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.search.index import open_index
from casebook.search.query import search
from tests.corpora import SITE_CASES


@pytest.fixture(scope="module")
def fixture_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    cache = tmp_path_factory.mktemp("index-cache")
    index, report = open_index(SITE_CASES, cache)
    assert report.added == 5
    return index


def test_search_ranks_highlights_and_counts(fixture_index) -> None:  # type: ignore[no-untyped-def]
    result = search(fixture_index, "人防")
    assert result.hits[0].id == "2025-site-renfang"
    assert "【人防】" in result.hits[0].fragments
    assert dict(result.facets["outcome"]) == {hit.outcome: 1 for hit in result.hits}


def test_or_group_finds_cases_for_a_phrase_no_case_contains_whole(fixture_index) -> None:  # type: ignore[no-untyped-def]
    assert search(fixture_index, "人防工程验收").hits[0].id == "2025-site-renfang"


def test_filters_combine_with_the_query_and_facets_count_all_matches(fixture_index) -> None:  # type: ignore[no-untyped-def]
    everything = search(fixture_index, "", limit=100)
    assert everything.total == 4  # the internal case is left out
    assert len(search(fixture_index, "", limit=2).hits) == 2
    assert dict(everything.facets["outcome"]) == {"exempted": 2, "cleared": 1, "mitigated": 1}
    cleared = search(fixture_index, "", {"outcome": ["cleared"]})
    assert [hit.id for hit in cleared.hits] == ["2019-site-cleared"]
    both = search(fixture_index, "", {"outcome": ["cleared", "mitigated"], "year": ["2023"]})
    assert [hit.id for hit in both.hits] == ["2023-site-withdrawn"]
    assert both.hits[0].state == "withdrawn"


def test_internal_cases_only_when_asked(fixture_index) -> None:  # type: ignore[no-untyped-def]
    words = "玄武湖畔秘密仓储点"
    assert "2018-site-internal" not in [hit.id for hit in search(fixture_index, words).hits]
    assert search(fixture_index, words, include_internal=True).hits[0].id == "2018-site-internal"


def test_index_follows_every_change_and_rereads_only_changed_files(tmp_path: Path) -> None:
    cases, cache = tmp_path / "cases", tmp_path / "cache"
    shutil.copytree(SITE_CASES, cases)
    index, report = open_index(cases, cache)
    assert (report.added, report.updated, report.removed) == (5, 0, 0)

    renfang = cases / "2025" / "2025-site-renfang.yaml"
    stat = renfang.stat()
    os.utime(renfang, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, same content
    _, report = open_index(cases, cache)
    assert not report.changed

    renfang.write_text(renfang.read_text(encoding="utf-8").replace("分步容缺", "分段容缺"), encoding="utf-8")
    index, report = open_index(cases, cache)
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    assert search(index, "分段容缺").hits[0].id == "2025-site-renfang"

    cleared = cases / "2019" / "2019-site-cleared.yaml"
    cleared.write_text(
        cleared.read_text(encoding="utf-8").replace("result: cleared", "result: cleard"), encoding="utf-8"
    )
    index, report = open_index(cases, cache)
    assert report.removed == 1
    assert [p.code for p in report.problems] == ["CB104"]
    assert search(index, "", {"outcome": ["cleared"]}).total == 0

    (cases / "2023" / "2023-site-withdrawn.yaml").unlink()
    index, report = open_index(cases, cache)
    assert report.removed == 1
    assert {hit.id for hit in search(index, "", limit=50).hits} == {"2025-site-renfang", "2024-site-injection"}


def test_cli_search_json_and_filters(tmp_path: Path) -> None:
    args = ["--cases", str(SITE_CASES), "--cache", str(tmp_path)]
    result = CliRunner().invoke(main, ["search", "人防", "--json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hits"][0]["id"] == "2025-site-renfang"
    assert data["facets"]["region"] == {"江苏省": 1, "江苏省/淮安市": 1}
    text = CliRunner().invoke(main, ["search", "--outcome", "cleared", *args])
    assert "区民政局工作人员" in text.output
    assert "处理结果：澄清正名 1" in text.output
    text = CliRunner().invoke(main, ["search", "人防", *args])
    assert "地区：江苏省 1（淮安市 1）" in text.output


@pytest.mark.parametrize("include_internal", [False, True])
def test_every_filter_of_the_search_page_finds_in_the_cli_what_the_page_finds(
    fixture_index,  # type: ignore[no-untyped-def]
    include_internal: bool,
) -> None:
    """Each value of each facet the site's search page offers (江苏省/淮安市 included) filters the same cases here."""
    from casebook.builder.siteindex import read_script, site_index
    from casebook.schema import load_corpus

    cases = [c.case for c in load_corpus([SITE_CASES]).cases]
    files = site_index(cases, "internal" if include_internal else "public")
    _, meta = read_script(files["search-data/meta.js"])
    every = search(fixture_index, "", limit=100, include_internal=include_internal)
    assert [f["name"] for f in meta["facets"]] == list(every.facets)
    for facet in meta["facets"]:
        column = meta["columns"][facet["name"]]
        for position, (value, _label, _parent) in enumerate(facet["values"]):
            on_page = sum(1 for held in column if position == held or (isinstance(held, list) and position in held))
            found = search(fixture_index, "", {facet["name"]: [value]}, limit=100, include_internal=include_internal)
            assert found.total == on_page, (facet["name"], value)
            assert (value, on_page) in every.facets[facet["name"]]


def test_cli_region_is_a_province_or_a_province_and_city_as_on_the_site(tmp_path: Path) -> None:
    args = ["search", "--json", "--cases", str(SITE_CASES), "--cache", str(tmp_path)]
    for region in ("江苏省/淮安市", "江苏/淮安", "江苏", "淮安"):
        result = CliRunner().invoke(main, [*args, "--region", region])
        assert result.exit_code == 0, (region, result.output)
        assert [hit["id"] for hit in json.loads(result.output)["hits"]] == ["2025-site-renfang"], region
    hubei = json.loads(CliRunner().invoke(main, [*args, "--region", "湖北", "--region", "江苏省/淮安市"]).output)
    assert {hit["id"] for hit in hubei["hits"]} == {"2025-site-renfang", "2024-site-injection", "2023-site-withdrawn"}
    # A distinction's side filters as on the site (distinction=motive/tolerated there).
    by_side = {}
    for given in ("motive=tolerated", "motive"):
        result = CliRunner().invoke(main, [*args, "--distinction", given, "-n", "100"])
        assert result.exit_code == 0, result.output
        by_side[given] = {hit["id"] for hit in json.loads(result.output)["hits"]}
    assert "2025-site-renfang" in by_side["motive=tolerated"] <= by_side["motive"]
    wrong = CliRunner().invoke(main, [*args, "--region", "江苏省/苏州市"])
    assert wrong.exit_code == 2
    assert "没有地区为 “江苏省/苏州市” 的案例" in wrong.output and "省份/城市" in wrong.output


def test_cli_search_rejects_an_unknown_facet_value_with_a_suggestion(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["search", "--outcome", "exemptd", "--cache", str(tmp_path)])
    assert result.exit_code == 2
    assert "是否应为 “容错免责”（exempted）" in result.output


def test_cases_holding_every_word_come_first_and_the_rest_are_marked(tmp_path: Path) -> None:
    args = ["--cases", str(SITE_CASES), "--cache", str(tmp_path)]
    result = CliRunner().invoke(main, ["search", "人防", "审批", "--json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["words"] == ["人防", "审批"]
    assert (data["hits"][0]["id"], data["hits"][0]["matched"]) == ("2025-site-renfang", 2)
    assert {hit["matched"] for hit in data["hits"][1:]} == {1}
    text = CliRunner().invoke(main, ["search", "人防", "审批", *args]).output
    first, *rest = [line for line in text.splitlines() if line[:2] in {f"{n}." for n in range(1, 10)}]
    assert "只含部分检索词" not in first and rest and all("只含部分检索词" in line for line in rest)


def test_the_internal_edition_segments_with_the_dictionary_of_every_case(fixture_index) -> None:  # type: ignore[no-untyped-def]
    from casebook.builder.siteindex import read_script, site_index
    from casebook.schema import load_corpus

    cases = [c.case for c in load_corpus([SITE_CASES]).cases]
    for edition, internal in (("public", False), ("internal", True)):
        known: dict[str, int | str] = {}
        for text in site_index(cases, edition).values():
            name, data = read_script(text)
            if name.startswith("t/"):
                known.update(data)
        assert fixture_index.known(internal) == known, edition
    assert set(fixture_index.known(True)) > set(fixture_index.known())  # the internal case's words, only there
