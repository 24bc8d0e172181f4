"""Printed casebooks: the student edition hides the ruling, the teacher edition holds everything."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.schema import Case, Collection, load_corpus
from tests.corpora import SITE_CASES, SITE_COLLECTIONS

ARGS = ["--cases", str(SITE_CASES), "--collections", str(SITE_COLLECTIONS)]


def plain(text: str) -> str:
    """Text without any white space: PDF extraction breaks lines anywhere."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def teaching() -> tuple[Collection, dict[str, Case]]:
    corpus = load_corpus([SITE_CASES, SITE_COLLECTIONS])
    return corpus.collections[0].collection, {c.case.id: c.case for c in corpus.cases}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("print")
    files = {}
    for edition in ("student", "teacher"):
        for fmt in ("pdf", "html"):
            target = folder / f"{edition}.{fmt}"
            result = CliRunner().invoke(
                main, ["print", "site-teaching", "--edition", edition, "--format", fmt, "-o", str(target), *ARGS]
            )
            assert result.exit_code == 0, result.output
            if fmt == "pdf":  # the page count joins the message with a Chinese comma (was 「11 个案例,13 页」)
                assert re.search(r"\d+ 个案例，\d+ 页，用时", result.output), result.output
            files[f"{edition}.{fmt}"] = target
    return files


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout


def ruling_texts(collection: Collection, cases: dict[str, Case]) -> list[str]:
    """Everything that gives a ruling away or belongs to the teacher only."""
    texts = []
    for entry in collection.cases:
        case = cases[entry.case]
        texts += [case.outcome.wording, case.key_point, *case.use_of_result, *case.lessons]
        texts += [d.reasoning for d in case.distinctions]
        texts += [f.note for f in case.six_looks.values() if f.note]
        texts += [entry.teaching_notes] if entry.teaching_notes else []
    return texts


def test_student_edition_holds_no_outcome_or_analysis(printed, teaching) -> None:  # type: ignore[no-untyped-def]
    collection, cases = teaching
    text = plain(pdf_text(printed["student.pdf"]))
    html = plain(printed["student.html"].read_text(encoding="utf-8"))
    for ruling in ruling_texts(collection, cases):
        assert plain(ruling) not in text, ruling
    assert "本案例已" not in text
    for entry in collection.cases:
        case = cases[entry.case]
        assert plain(entry.prompt or case.title) in text  # the title students see
        assert plain(case.facts[:30]) in text
        if entry.prompt:
            assert plain(case.title) not in text  # the real title tells the ruling
    assert "我的研判" in text
    assert html.count('class="answer"') >= 3 * 8  # ruled space for answers


def test_teacher_edition_holds_all_of_it(printed, teaching) -> None:  # type: ignore[no-untyped-def]
    collection, cases = teaching
    text = plain(pdf_text(printed["teacher.pdf"]))
    for ruling in ruling_texts(collection, cases):
        assert plain(ruling) in text, ruling
    assert "教学提示甲乙丙" in text
    for entry in collection.cases:
        assert plain(cases[entry.case].title) in text


def test_pdf_pages_render_with_chinese_fonts(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = printed["teacher.pdf"]
    pages = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        )[1]
    )
    assert pages >= 2 + 3  # cover, introduction and contents, a page per case at least
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    assert all(image.stat().st_size > 2000 for image in images)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # Chinese set in a CJK font, so it prints as Chinese, not as boxes
    first_case_page = pdf_text(pdf).split("\f")[2]
    assert "区管干部分步容缺审批人防事项被容错免责案" in plain(first_case_page)


def test_each_case_starts_on_a_new_page(printed, teaching) -> None:  # type: ignore[no-untyped-def]
    collection, cases = teaching
    pages = pdf_text(printed["student.pdf"]).split("\f")
    for n, entry in enumerate(collection.cases, start=1):
        heading = plain(f"案例{n}{entry.prompt or cases[entry.case].title}")
        starts = [i for i, page in enumerate(pages) if plain(page).startswith(heading)]
        assert starts, heading


def test_html_edition_is_self_contained_and_inert(printed) -> None:  # type: ignore[no-untyped-def]
    html = printed["teacher.html"].read_text(encoding="utf-8")
    assert "<style>" in html
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", html)
    assert "<script" not in html.lower()
    assert "&#60;script&#62;alert" in html  # the injected title prints as text


def test_print_refuses_unknown_collections_and_case_paths(tmp_path: Path) -> None:
    unknown = CliRunner().invoke(main, ["print", "no-such-collection", *ARGS])
    assert unknown.exit_code == 2
    assert "site-teaching" in unknown.output
    target = SITE_CASES / "2025" / "x.yaml"
    refused = CliRunner().invoke(main, ["print", "site-teaching", "--format", "html", "-o", str(target), *ARGS])
    assert refused.exit_code == 2
    assert not target.exists()
