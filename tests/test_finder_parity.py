"""The 类案查找 page's finder equals ``casebook similar`` exactly: every query of the golden file, checked in Node.

Python writes what it reads, ranks and says (``tests/finder_golden.py``); the page's own scripts run in
Node over the same data files and must give the very same facets, ids, numbers and sentences. No
browser: the whole check takes seconds, so it runs in the fast loop.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from casebook.schema import load_corpus
from tests.corpora import REAL_CASES
from tests.finder_golden import ROOT, queries, write_golden

NODE = shutil.which("node")


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.bench.corpus import write_corpus

    generated = tmp_path_factory.mktemp("generated") / "cases"
    write_corpus(120, generated)  # more cases than the finder's candidate pool (80), internal ones among them
    corpora = {
        "shipped": ([c.case for c in load_corpus([REAL_CASES]).cases], "public"),
        "generated": ([c.case for c in load_corpus([generated]).cases], "internal"),
    }
    return write_golden(tmp_path_factory.mktemp("golden"), corpora)


@pytest.mark.skipif(NODE is None, reason="Node is not installed")
def test_the_page_reads_ranks_and_says_exactly_what_casebook_similar_does(golden: Path) -> None:
    result = subprocess.run(
        [NODE, str(ROOT / "tests" / "finder_parity.js"), str(golden.parent / "site"), str(golden)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"parity: {2 * len(queries())} queries, 0 different" in result.stdout


def test_the_golden_file_holds_what_the_check_needs(golden: Path) -> None:
    data = json.loads(golden.read_text(encoding="utf-8"))
    shipped, generated = data["corpora"]
    entries = {entry["name"]: entry["expected"] for entry in shipped["queries"]}
    # The descriptions are among them, with every score part and sentence.
    flood = entries["issue-flood"]
    assert flood["matches"] and all(m["parts"] and m["why"] and m["score_line"] for m in flood["matches"])
    assert entries["issue-bribery"]["exclusion_lines"]
    # A window counted in code points: 没有 stands seven characters before 谋取私利, within the ten of the window.
    astral = {row["facet"]: row for row in entries["astral"]["read"]}
    assert astral["looks.motive"]["value"] == "有利" and "没有𠮷𠮷𠮷𠮷𠮷谋取私利" in astral["looks.motive"]["phrases"]
    # The generated corpus is larger than the candidate pool, so the page takes the same 80 candidates.
    assert any(e["expected"]["candidates"] for e in generated["queries"])
    assert len({e["expected"]["matches"][0]["id"] for e in generated["queries"] if e["expected"]["matches"]}) > 10
