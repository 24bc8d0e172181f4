"""Injection, personal data and leaks: in every text field, through build, print and report."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.builder.publish import BuildError
from casebook.schema import load_corpus
from tests.adversarial.conftest import Ledger, good_case_data, write_case
from tests.corpora import REAL_CASES, REAL_COLLECTIONS, SITE_CASES, TODAY
from tests.site_helpers import build

Setter = Callable[[dict[str, Any], str], None]


def _set(*path: str | int) -> Setter:
    def setter(data: dict[str, Any], value: str) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return setter


def _fill_case(data: dict[str, Any]) -> None:
    """Give the good case every optional text field, so that each can carry a payload."""
    data["publication"]["date_note"] = "日期说明"
    data["person"]["position"] = "职务"
    data["rules_breached"][0]["summary"] = "说明"
    data["six_looks"]["motive"]["note"] = "说明"
    data["outcome"]["decided_by"] = "某区纪委监委"
    data.update(correction=["纠错"], use_of_result=["运用"], lessons=["启示"], questions=["问题"], notes="编者说明")
    data["procedure"][0].update(body="某区纪委监委", note="说明")


# Every text field of a case: (name, setter, single line?)
TEXT_FIELDS: list[tuple[str, Setter, bool]] = [
    ("title", _set("title"), True),
    ("subtitle", _set("subtitle"), True),
    ("keywords", _set("keywords", 0), True),
    ("publisher", _set("publication", "publisher"), True),
    ("date_note", _set("publication", "date_note"), True),
    ("source title", _set("publication", "sources", 0, "title"), True),
    ("province", _set("region", "province"), True),
    ("district", _set("region", "district"), True),
    ("position", _set("person", "position"), True),
    ("facts", _set("facts"), False),
    ("regulation", _set("rules_breached", 0, "regulation"), True),
    ("rule summary", _set("rules_breached", 0, "summary"), False),
    ("reasoning", _set("distinctions", 0, "reasoning"), False),
    ("six looks note", _set("six_looks", "motive", "note"), False),
    ("outcome wording", _set("outcome", "wording"), False),
    ("decided by", _set("outcome", "decided_by"), True),
    ("correction", _set("correction", 0), False),
    ("use of result", _set("use_of_result", 0), False),
    ("procedure note", _set("procedure", 0, "note"), False),
    ("key point", _set("key_point"), False),
    ("lessons", _set("lessons", 0), False),
    ("questions", _set("questions", 0), False),
    ("notes", _set("notes"), False),
]

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=alert('x2')>",
    '" onmouseover="alert(\'x3\')" data-x="',
    "<a href=\"javascript:alert('x4')\">点我</a>",
    "[点我](javascript:alert('x5'))",
    '<iframe src="https://evil.example.org/x6"></iframe>',
    "<style>body{display:none}</style>x7",
    "{{ config.site_name }} {% include 'x8' %}",
    "{: onclick=\"alert('x9')\" }",
    "![x10](https://evil.example.org/x10.png)",
    "<svg onload=alert('x11')><b>x11</b></svg>",
    "--- title: x12 被改写 ---",
    "---\ntitle: x13\n---",
    "</div></details><script>alert('x14')</script>",
    "&lt;script&gt;alert('x15')&lt;/script&gt;",
]


def _payload_case(n: int, payload: str) -> dict[str, Any]:
    data = good_case_data()
    _fill_case(data)
    data["id"] = f"2024-inject-{n:02d}"
    for _, setter, single_line in TEXT_FIELDS:
        value = payload.replace("\n", " ") if single_line else payload
        setter(data, value[:50] if single_line else value)
    data["person"]["alias"] = "谢某某"
    return data


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site, a printed casebook and a retrieval report made from cases full of payloads."""
    tmp = tmp_path_factory.mktemp("inject")
    cases = tmp / "cases"
    for n, payload in enumerate(PAYLOADS):
        write_case(cases, _payload_case(n, payload))
    collection = {
        "id": "inject-teaching",
        "title": PAYLOADS[0],
        "audience": PAYLOADS[1],
        "introduction": PAYLOADS[13],
        "cases": [{"case": f"2024-inject-{n:02d}", "prompt": p.replace("\n", " "), "teaching_notes": p, "questions": [p]}
                  for n, p in enumerate(PAYLOADS)],
    }  # fmt: skip
    (tmp / "collections").mkdir()
    (tmp / "collections" / "inject-teaching.yaml").write_text(yaml.safe_dump(collection, allow_unicode=True), "utf-8")
    corpus = load_corpus([cases, tmp / "collections"], today=TODAY)
    assert corpus.errors == [], corpus.errors[:3]
    build(tmp, cases)
    args = ["--cases", str(cases), "--collections", str(tmp / "collections")]
    for edition in ("student", "teacher"):
        out = tmp / "site" / f"print-{edition}.html"
        result = CliRunner().invoke(
            main, ["print", "inject-teaching", "--edition", edition, "--format", "html", "-o", str(out), *args]
        )
        assert result.exit_code == 0, result.output
    report = CliRunner().invoke(
        main,
        [
            "similar",
            "--text",
            "注入",
            "--report",
            str(tmp / "site" / "report.md"),
            "--cases",
            str(cases),
            "--cache",
            str(tmp / "cache"),
        ],
    )
    assert report.exit_code == 0, report.output
    return tmp / "site"


def _live_markup(page: BeautifulSoup) -> Iterator[str]:
    """Anything in a page that a payload could have made live.

    Attributes and scripts are checked over the whole page; embedded elements
    within the content (the theme's own search form sits outside it).
    """
    content = page.find("article") or page.body or page
    for element in content.find_all(["iframe", "object", "embed", "img", "base", "form"]):
        yield f"<{element.name}>"
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                yield f"<{element.name} {name}>"
            if name.lower() in ("href", "src", "action", "formaction", "data") and re.match(
                r"\s*(javascript|data|vbscript):", str(value), re.I
            ):
                yield f"<{element.name} {name}={value}>"
        if element.name in ("script", "style") and re.search(r"alert|display:none", element.get_text()):
            yield f"<{element.name}>{element.get_text()[:40]}"


def test_no_payload_becomes_live_markup_anywhere(injected: Path, ledger: Ledger) -> None:
    pages = sorted(injected.rglob("*.html"))
    live = {
        str(p.relative_to(injected)): list(_live_markup(BeautifulSoup(p.read_text("utf-8"), "html.parser")))
        for p in pages
    }
    live = {k: v for k, v in live.items() if v}
    for _ in PAYLOADS:
        ledger.record("注入", not live, leaks=len(live))
    assert live == {}


@pytest.mark.parametrize(("n", "payload"), list(enumerate(PAYLOADS)))
def test_payload_reads_as_text_on_its_page(n: int, payload: str, injected: Path) -> None:
    page = BeautifulSoup((injected / "cases" / f"2024-inject-{n:02d}.html").read_text("utf-8"), "html.parser")
    facts = page.find(id="facts").find_next("div").get_text()
    shown = " ".join(payload.split())  # the page shows paragraphs; white space is folded
    assert " ".join(facts.split()) == shown or shown in " ".join(facts.split())


def test_report_and_data_hold_payloads_as_inert_text(injected: Path, ledger: Ledger) -> None:
    report = (injected / "report.md").read_text(encoding="utf-8")
    body = report.split("## 二、检索方法", 1)[1]  # the query block above is a fenced code block
    raw_tags = re.findall(r"<(script|img|iframe|style|svg|a)\b", body)
    ledger.record("注入", not raw_tags)
    assert raw_tags == []
    rows = (injected / "data" / "cases.csv").read_text(encoding="utf-8-sig").splitlines()
    assert all(not re.search(r",[=+\-@]", row) for row in rows[1:])


# --- 6. personal data ----------------------------------------------------------------

PERSONAL = [
    ("身份证 11010519491231002X", "CB302"),
    ("电话 13812345678", "CB303"),
    ("手机 138\u200b1234\u200b5678", "CB303"),  # hidden by zero-width spaces
    ("手机 １３８１２３４５６７８", "CB303"),  # full-width digits
    ("座机 0517-83456789", "CB304"),
    ("邮箱 someone@example.com", "CB305"),
    ("车牌 苏H12345", "CB306"),
    ("卡号 6222020200112233446", "CB307"),
    ("谢守廉 同志", "CB308"),  # the unmasked name of 谢某某
]


@pytest.mark.parametrize(("field", "setter", "single_line"), TEXT_FIELDS, ids=[f[0] for f in TEXT_FIELDS])
def test_personal_data_is_caught_in_every_text_field(
    field: str, setter: Setter, single_line: bool, tmp_path: Path, ledger: Ledger
) -> None:
    for n, (text, code) in enumerate(PERSONAL):
        data = good_case_data()
        _fill_case(data)
        data["id"] = f"2024-personal-{n}"
        setter(data, text)
        path = write_case(tmp_path / str(n), data)
        problems = load_corpus([path], today=TODAY).problems
        caught = any(p.code == code for p in problems)
        ledger.record("个人信息", caught, leaks=0 if caught else 1)
        assert caught, (field, text, [str(p) for p in problems])


def test_unmasked_alias_is_an_error(tmp_path: Path, ledger: Ledger) -> None:
    data = good_case_data()
    data["person"]["alias"] = "谢守廉"
    codes = [p.code for p in load_corpus([write_case(tmp_path, data)], today=TODAY).errors]
    ledger.record("个人信息", codes == ["CB301"])
    assert codes == ["CB301"]


def test_build_refuses_to_publish_a_case_with_personal_data(tmp_path: Path, ledger: Ledger) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(SITE_CASES, cases)
    data = good_case_data()
    data["facts"] += "当事人手机13812345678。"
    write_case(cases, data)
    with pytest.raises(BuildError, match="CB303"):
        build(tmp_path, cases)
    published = (tmp_path / "site").exists()
    ledger.record("个人信息", not published, leaks=int(published))
    assert not published


# --- 7. leaks ------------------------------------------------------------------------

INTERNAL_PHRASES = ("内部核对暗语青松白鹤", "仅供裁定参阅的鲁班锁档案", "内部编号甲子九号")


@pytest.fixture(scope="module")
def public_outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The frozen real cases plus three internal ones; every public output made from them."""
    tmp = tmp_path_factory.mktemp("leaks")
    cases = tmp / "cases"
    shutil.copytree(REAL_CASES, cases)
    shutil.copytree(REAL_COLLECTIONS, tmp / "collections")
    internal = []
    for n, phrase in enumerate(INTERNAL_PHRASES):
        data = good_case_data()
        data["id"] = f"2024-internal-{n}"
        data["title"] = f"内部案例{phrase}"
        data["facts"] += phrase
        data["keywords"] = [phrase]
        data["publication"]["visibility"] = "internal"
        write_case(cases, data)
        internal.append(data)
    # a public case names an internal one as related: the link must vanish, not leak
    related = cases / "2025" / "2025-huaian-renfang-rongque.yaml"
    related.write_text(related.read_text("utf-8").replace("related:\n", "related:\n  - 2024-internal-0\n"), "utf-8")
    build(tmp, cases)
    out = tmp / "site"
    args = ["--cases", str(cases), "--collections", str(tmp / "collections")]
    for collection in (tmp / "collections").glob("*.yaml"):
        for edition in ("student", "teacher"):
            target = out / "print" / f"{collection.stem}-{edition}.html"
            result = CliRunner().invoke(
                main, ["print", collection.stem, "--edition", edition, "--format", "html", "-o", str(target), *args]
            )
            assert result.exit_code == 0, result.output
    for words in ("青松白鹤", "鲁班锁", "甲子九号", "内部案例"):
        result = CliRunner().invoke(
            main, ["search", words, "--json", "--cases", str(cases), "--cache", str(tmp / "cache")]
        )
        (out / f"search-{words}.json").write_text(result.output, "utf-8")
    result = CliRunner().invoke(
        main, ["similar", "--text", "容缺审批人防事项 内部", "--json", "--report", str(out / "report.md"),
               "--cases", str(cases), "--cache", str(tmp / "cache")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (out / "similar.json").write_text(result.output, "utf-8")
    return out, internal


def test_no_public_output_names_an_internal_case(public_outputs, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    out, internal = public_outputs
    markers = [m for data in internal for m in (data["id"], data["title"])] + list(INTERNAL_PHRASES)
    files = [
        p
        for p in out.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".js", ".md", ".txt"}
    ]
    hits = [(str(p.relative_to(out)), m) for p in files for m in markers if m in p.read_text("utf-8", errors="replace")]
    for path in files:
        ledger.record(
            "泄露",
            not any(h[0] == str(path.relative_to(out)) for h in hits),
            leaks=sum(h[0] == str(path.relative_to(out)) for h in hits),
        )
    assert len(files) > 100
    assert hits == []


# --- 7b. editors' notes and declared names --------------------------------------------

EDITOR_MARKS = ("编辑暗记松风竹影", "核对暗记霜桥月笛", "声明暗记云岫鹤汀")


def _editor_texts(cases: Path) -> list[str]:
    """Every editors' note (and declared-name reason) of the cases in ``cases``: none may be published."""
    texts = []
    for path in cases.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        texts += [data["editor_notes"]] if data.get("editor_notes") else []
        texts += [d["reason"] for d in data.get("published_names", [])]
    return texts


@pytest.fixture(scope="module")
def edited_outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The frozen real cases with their editors' notes, plus planted ones; every artifact built from them, both editions."""
    tmp = tmp_path_factory.mktemp("editors")
    cases = tmp / "cases"
    shutil.copytree(REAL_CASES, cases)
    shutil.copytree(REAL_COLLECTIONS, tmp / "collections")
    anchor = cases / "2025" / "2025-huaian-renfang-rongque.yaml"
    data = yaml.safe_load(anchor.read_text("utf-8"))
    data["facts"] += "\n区委书记王建国在新闻发布会上介绍了本案。"
    data["editor_notes"] = f"{EDITOR_MARKS[0]}:所见摘录未能读全。{EDITOR_MARKS[1]}:见 casefacts 001,未经原文核对。"
    data["published_names"] = [{"name": "王建国", "reason": f"{EDITOR_MARKS[2]}:区委书记以职务身份公开介绍"}]
    anchor.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    corpus = load_corpus([cases, tmp / "collections"], today=TODAY)
    assert corpus.ok(strict=True), [str(p) for p in corpus.problems][:5]
    for edition in ("public", "internal"):
        (tmp / edition).mkdir()
        build(tmp / edition, cases, edition=edition)
    out = tmp / "public" / "site"
    args = ["--cases", str(cases), "--collections", str(tmp / "collections")]
    for collection in (tmp / "collections").glob("*.yaml"):
        for edition in ("student", "teacher"):
            for fmt in ("html", "pdf") if collection.stem == "rongque-banli-shenpi" else ("html",):
                target = out / "print" / f"{collection.stem}-{edition}.{fmt}"
                result = CliRunner().invoke(
                    main, ["print", collection.stem, "--edition", edition, "--format", fmt, "-o", str(target), *args]
                )
                assert result.exit_code == 0, result.output
    cache = tmp / "cache"
    for words in ("松风竹影", "霜桥月笛", "云岫鹤汀", "casefacts", "摘录"):
        result = CliRunner().invoke(
            main, ["search", words, "--json", "--include-internal", *args[:2], "--cache", str(cache)]
        )
        assert result.exit_code == 0, result.output
        (out / f"search-{words}.json").write_text(result.output, "utf-8")
    result = CliRunner().invoke(
        main, ["similar", "--text", "容缺审批人防事项", "--json", "--report", str(out / "report.md"), *args[:2],
               "--cache", str(cache)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (out / "similar.json").write_text(result.output, "utf-8")
    return tmp, cache, _editor_texts(cases)


def plain_text(path: Path) -> str:
    if path.suffix == ".pdf":
        import subprocess

        text = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout
    else:
        text = path.read_text("utf-8", errors="replace")
    return re.sub(r"\s+", "", text)


def note_fragments(note: str) -> list[str]:
    """Pieces of a note long enough to be its own (a sentence or clause of at least eight characters)."""
    return [part for part in re.split(r"[,,。;;::()()]", re.sub(r"\s+", "", note)) if len(part) >= 8]


def test_no_artifact_holds_an_editors_note(edited_outputs, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    tmp, _, notes = edited_outputs
    fragments = sorted({f for note in notes for f in note_fragments(note)}) + list(EDITOR_MARKS)
    files = [
        p
        for site in (tmp / "public" / "site", tmp / "internal" / "site")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".js", ".md", ".txt", ".pdf"}
    ]
    hits = []
    for path in files:
        text = plain_text(path)
        found = [f for f in fragments if f in text]
        ledger.record("泄露", not found, leaks=len(found))
        hits += [(str(path.relative_to(tmp)), f) for f in found]
    assert len(notes) >= 20  # the real cases keep their research remarks in editor_notes
    assert any(p.suffix == ".pdf" for p in files) and any(p.name == "sitemap.xml" for p in files)
    assert any("search-data" in p.parts for p in files) and any(p.name == "cases.csv" for p in files)
    assert hits == []


def test_search_index_holds_no_editors_note(edited_outputs, ledger: Ledger) -> None:  # type: ignore[no-untyped-def]
    from whoosh import index as whoosh_index

    from casebook.search.tokenize import tokens

    _, cache, notes = edited_outputs
    marks = {t for mark in ("松风竹影", "霜桥月笛", "云岫鹤汀") for t in tokens(mark) if len(t) >= 2} | {"casefacts"}
    folder = next(p.parent for p in cache.rglob("*.toc"))
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        reader = searcher.reader()
        terms = {text.decode("utf-8") if isinstance(text, bytes) else text for _, text in reader.all_terms()}
        stored = "".join(str(fields) for fields in reader.all_stored_fields())
    leaked = sorted(marks & terms) + [m for m in EDITOR_MARKS if m in stored]
    leaked += [f for note in notes for f in note_fragments(note) if f in re.sub(r"\s+", "", stored)]
    ledger.record("泄露", not leaked, leaks=len(leaked))
    assert terms and leaked == []


# --- 6b. names in any context, rulings in study texts ----------------------------------

# Every text field a reader sees (the alias has its own check, CB301).
NAME_FIELDS = TEXT_FIELDS


def _planted_cases(sentences: list[str]) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """Cases holding ``sentences``, one per text field; yields the data and which sentence sits in which field."""
    for chunk in range(0, len(sentences), len(NAME_FIELDS)):
        data = good_case_data()
        _fill_case(data)
        data["id"] = f"2024-names-{chunk:03d}"
        placed = {}
        for (field, setter, _), sentence in zip(NAME_FIELDS, sentences[chunk : chunk + len(NAME_FIELDS)], strict=False):
            setter(data, sentence)
            placed[field] = sentence
        yield data, placed


_FIELD_PATHS = {
    "title": "title", "subtitle": "subtitle", "keywords": "keywords[0]", "publisher": "publication.publisher",
    "date_note": "publication.date_note", "source title": "publication.sources[0].title",
    "province": "region.province", "district": "region.district", "position": "person.position", "facts": "facts",
    "regulation": "rules_breached[0].regulation", "rule summary": "rules_breached[0].summary",
    "reasoning": "distinctions[0].reasoning", "six looks note": "six_looks.motive.note",
    "outcome wording": "outcome.wording", "decided by": "outcome.decided_by", "correction": "correction[0]",
    "use of result": "use_of_result[0]", "procedure note": "procedure[0].note", "key point": "key_point",
    "lessons": "lessons[0]", "questions": "questions[0]", "notes": "notes",
}  # fmt: skip


def _flagged_fields(tmp_path: Path, data: dict[str, Any], code: str) -> set[str]:
    path = write_case(tmp_path / data["id"], data)
    problems = load_corpus([path], today=TODAY).problems
    by_path = {v: k for k, v in _FIELD_PATHS.items()}
    return {by_path.get(p.field, p.field) for p in problems if p.code == code and p.severity == "error"}


def test_names_in_varied_contexts_are_errors_in_every_field(tmp_path: Path, ledger: Ledger) -> None:
    from tests.name_table import HELD_OUT_NAMED, NAMED

    planted = [sentence for sentence, _ in NAMED + HELD_OUT_NAMED]
    missed = []
    for data, placed in _planted_cases(planted):
        flagged = _flagged_fields(tmp_path, data, "CB308")
        for field, sentence in placed.items():
            ledger.detect("姓名", True, field in flagged)
            if field not in flagged:
                missed.append((field, sentence))
    assert len(missed) <= 0.05 * len(planted), missed


def test_clean_sentences_raise_no_name_in_any_field(tmp_path: Path, ledger: Ledger) -> None:
    from tests.name_table import CLEAN, HELD_OUT_CLEAN

    alarms = []
    for data, placed in _planted_cases(CLEAN + HELD_OUT_CLEAN):
        flagged = _flagged_fields(tmp_path, data, "CB308")
        for field, sentence in placed.items():
            ledger.detect("姓名", False, field in flagged)
            if field in flagged:
                alarms.append((field, sentence))
    assert len(alarms) <= 0.02 * len(CLEAN + HELD_OUT_CLEAN), alarms


def test_build_refuses_to_publish_a_case_with_a_real_name(tmp_path: Path, ledger: Ledger) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(SITE_CASES, cases)
    data = good_case_data()
    data["facts"] += "镇长张建国提请镇党委会议研究。"
    write_case(cases, data)
    with pytest.raises(BuildError, match="CB308"):
        build(tmp_path, cases)
    published = (tmp_path / "site").exists()
    ledger.record("个人信息", not published, leaks=int(published))
    assert not published


RULING_PLANTS = [
    ("facts", "区纪委监委经研究,对其予以容错免责。"),
    ("facts", "中央纪委国家监委的指导性案例题为“对林某予以容错免责案”。"),
    ("questions", "本案为何是减责而不是免责?"),
    ("questions", "对其免予处分是否妥当?"),
    ("regulation", "《某县干部容错纠错办法》(据此从轻处理)"),
    ("rule summary", "对违规行为减轻处理。"),
    ("facts", "经审查,决定不予容错。"),
    ("questions", "对当事人从轻处理的依据是什么?"),
]
RULING_CLEAN = [
    ("facts", "单位党组织向区容错免责裁定委员会提出申请。"),
    ("regulation", "《某市容错免责实施办法》"),
    ("questions", "本案是否予以容错,应看哪些因素?"),
    ("facts", "镇党委研究后,为其申请容错免责。"),
    ("questions", "对照容错纠错机制,本案涉及哪一条区分?"),
]


def _study_flags(tmp_path: Path, n: int, field: str, sentence: str) -> bool:
    data = good_case_data()
    _fill_case(data)
    data["id"] = f"2024-ruling-{n:02d}"
    dict((f, s) for f, s, _ in TEXT_FIELDS)[field](data, sentence)
    path = write_case(tmp_path / str(n), data)
    return any(p.code == "CB311" for p in load_corpus([path], today=TODAY).problems)


def test_a_study_text_that_states_the_ruling_is_caught(tmp_path: Path, ledger: Ledger) -> None:
    caught = [_study_flags(tmp_path, n, field, sentence) for n, (field, sentence) in enumerate(RULING_PLANTS)]
    clean = [_study_flags(tmp_path, 50 + n, f, s) for n, (f, s) in enumerate(RULING_CLEAN)]
    for flag in caught:
        ledger.detect("处理结果", True, flag)
    for flag in clean:
        ledger.detect("处理结果", False, flag)
    assert all(caught) and not any(clean)


def test_student_edition_refuses_a_prompt_that_states_the_ruling(tmp_path: Path, ledger: Ledger) -> None:
    collections = tmp_path / "collections"
    collections.mkdir()
    (collections / "leaky.yaml").write_text(
        "id: leaky\ntitle: 泄题专题\naudience: 测试\nintroduction: 测试。\ncases:\n"
        "  - case: 2025-site-renfang\n    prompt: 区管干部容缺审批人防事项获容错免责\n",
        "utf-8",
    )
    target = tmp_path / "student.html"
    result = CliRunner().invoke(
        main,
        ["print", "leaky", "--edition", "student", "--format", "html", "-o", str(target),
         "--cases", str(SITE_CASES), "--collections", str(collections)],
    )  # fmt: skip
    refused = result.exit_code == 1 and "CB311" in result.output and not target.exists()
    ledger.detect("处理结果", True, refused)
    assert refused, result.output


# --- 6c. every probe of issue 19: planted, caught, false alarms, published ---------------------

# (where it is planted, the text, the code it must raise, what would show it published)
ISSUE_PROBES: list[tuple[str, str, str, str]] = [
    ("facts", "镇长张\n建国提请镇党委会议研究。", "CB308", "张建国"),
    ("facts", "副镇长王长春、科员张家伟参与审批。", "CB308", "王长春"),
    ("facts", "县住建局副局长孙毅分管建筑市场监管。", "CB308", "孙毅"),
    ("facts", "区财政局局长赵冬梅在审批表上签字。", "CB308", "赵冬梅"),
    ("facts", "人武部部长王援朝全程参与抢险指挥。", "CB308", "王援朝"),
    ("facts", "村党支部书记刘向东在会上通报了账目。", "CB308", "刘向东"),
    ("facts", "执法大队大队长石磊带队拆除了违建。", "CB308", "石磊"),
    ("facts", "街道党工委副书记张家伟牵头房屋征收。", "CB308", "张家伟"),
    ("facts", "副县长刘家豪当天赶到堤坝查看险情。", "CB308", "刘家豪"),
    ("facts", "谢某某陪同赵立新到现场查看。", "CB308", "赵立新"),
    ("facts", "群众多次向慕容雪反映情况。", "CB308", "慕容雪"),
    ("facts", "鎮長張建國提請鎮黨委會議研究。", "CB308", "張建國"),
    ("facts", "經劉德華同意，施工隊先行進場。", "CB308", "劉德華"),
    ("facts", "村主任阿依古丽·吐尔逊多次上门调解。", "CB308", "吐尔逊"),
    ("facts", "对扎西多吉反映的草场纠纷已核查。", "CB308", "扎西多吉"),
    ("facts", "镇纪委书记次仁卓玛带队逐户核实。", "CB308", "次仁卓玛"),
    ("facts", "嘎查党支部书记巴特尔作了书面汇报。", "CB308", "巴特尔"),
    ("facts", "买买提·艾力等村干部参与了入户核查。", "CB308", "买买提"),
    ("facts", "项目负责人 Zhang Jianguo 已提交书面说明。", "CB308", "ZhangJianguo"),
    ("facts", "镇长张\u034f建国提请会议研究。", "CB308", "张建国"),
    ("facts", "镇长张\ufe00建国提请会议研究。", "CB308", "张建国"),
    ("facts", "镇长张\U000e0100建国提请会议研究。", "CB308", "张建国"),
    ("facts", "镇长张\u3164建国提请会议研究。", "CB308", "张建国"),
    ("facts", "举报人手机138\n12345678。", "CB303", "13812345678"),
    ("facts", "联系电话138—1234—5678。", "CB303", "13812345678"),
    ("facts", "联系电话138‐1234‐5678。", "CB303", "13812345678"),
    ("facts", "联系电话138.1234.5678。", "CB303", "13812345678"),
    ("facts", "联系电话13 812 345 678。", "CB303", "13812345678"),
    ("facts", "联系电话一三八一二三四五六七八。", "CB303", "一三八一二三四五六七八"),
    ("facts", "联系电话幺三八幺二三四五六七八。", "CB303", "幺三八幺二三四五六七八"),
    ("facts", "住宅电话0517 83456789。", "CB304", "051783456789"),
    ("facts", "住宅电话051783456789。", "CB304", "051783456789"),
    ("facts", "身份证号320802 19750315 104X。", "CB302", "32080219750315104"),
    ("facts", "身份证号320802-19750315-104X。", "CB302", "32080219750315104"),
    ("facts", "老身份证号110105491231002。", "CB302", "110105491231002"),
    ("facts", "银行卡号622202 0200112233446。", "CB307", "6222020200112233446"),
    ("facts", "车牌苏 H12345登记在其名下。", "CB306", "H12345"),
    ("facts", "车牌苏H-12345登记在其名下。", "CB306", "H12345"),
    ("facts", "邮箱someone@example。com。", "CB305", "someone@example"),
    ("facts", "邮箱张三@example.com。", "CB305", "张三@example"),
    ("url", "https://example.org/reply.jsp?tel=13812345678", "CB303", "13812345678"),
    ("url", "https://example.org/attach/32080219750315104X.html", "CB302", "32080219750315104"),
    ("facts", "报告中夹着\x1b[31m红字\x07。", "CB111", "\x1b"),
]
# Clean probes: what the issue saw flagged wrongly.
ISSUE_CLEAN = ["张 书记当场表态，先救人。", "王 主任把材料转给了镇纪委。"]


def _literal_blocks(data: dict[str, Any]) -> str:
    """Case data as YAML, multi-line texts as ``|-`` blocks (the way editors write them)."""

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value and all(c.isprintable() or c == "\n" for c in value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False)


def _skeleton(text: str) -> tuple[str, str]:
    """An artifact's text as the probes are looked for in it: folded, no blanks; and its digits alone."""
    from casebook.schema.reading import fold

    folded = re.sub(r"\s+", "", fold(text))
    return folded, re.sub(r"\D", "", folded)


@pytest.mark.slow
def test_the_probes_of_the_issue_are_caught_and_never_published(tmp_path: Path, ledger: Ledger) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(REAL_CASES, cases)
    shutil.copytree(REAL_COLLECTIONS, tmp_path / "collections")
    files = sorted(cases.rglob("*.yaml"))
    assert len(files) >= len(ISSUE_PROBES) + len(ISSUE_CLEAN)
    originals = {path: path.read_text("utf-8") for path in files}
    planted: dict[Path, tuple[str, str, str, str]] = {}
    for path, probe in zip(files, [*ISSUE_PROBES, *((("facts", t, "", "")) for t in ISSUE_CLEAN)], strict=False):
        data = yaml.safe_load(originals[path])
        if probe[0] == "url":
            data["publication"]["sources"][0]["url"] = probe[1]
        else:
            data["facts"] = data["facts"].rstrip("\n") + "\n" + probe[1]
        path.write_text(_literal_blocks(data), "utf-8")
        planted[path] = probe
    corpus = load_corpus([cases, tmp_path / "collections"], today=TODAY)
    personal = {"CB111", "CB302", "CB303", "CB304", "CB305", "CB306", "CB307", "CB308"}
    by_file: dict[str, set[str]] = {}
    for problem in corpus.problems:
        if problem.code in personal:
            by_file.setdefault(problem.file, set()).add(problem.code)
    caught = {}
    for path, (_, _, code, _) in planted.items():
        shown = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
        codes = by_file.get(shown, set())
        caught[path] = bool(code) and code in codes
        extra = codes - {code}
        if not code:
            ledger.detect("议题探针", False, bool(codes))
        elif extra:
            ledger.detect("议题探针", False, True)  # a finding beside the planted one: a false alarm
        if caught[path]:
            path.write_text(originals[path], "utf-8")  # caught: the build would refuse it anyway
    # What passed stays planted; the build, the printed casebooks and the search data show what a reader gets.
    build(tmp_path, cases)
    site = tmp_path / "site"
    for collection in (tmp_path / "collections").glob("*.yaml"):
        fmt = "pdf" if collection.stem == "rongque-banli-shenpi" else "html"
        target = site / "print" / f"{collection.stem}-teacher.{fmt}"
        args = ["--cases", str(cases), "--collections", str(tmp_path / "collections"), "-o", str(target)]
        result = CliRunner().invoke(main, ["print", collection.stem, "--edition", "teacher", "--format", fmt, *args])
        assert result.exit_code == 0, result.output
    texts = [
        _skeleton(plain_text(p) if p.suffix == ".pdf" else p.read_text("utf-8", errors="replace"))
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".js", ".txt", ".pdf"}
    ]
    assert texts and any(_skeleton("谢某某")[0] in folded for folded, _ in texts)  # the scan does see case text
    missed = []
    for path, (_, text, code, marker) in planted.items():
        if not code:
            continue
        key, digits = _skeleton(marker)
        published = not caught[path] and any(
            (digits and len(digits) == len(key) and digits in all_digits) or key in folded
            for folded, all_digits in texts
        )
        ledger.detect("议题探针", True, caught[path], published)
        if not caught[path]:
            missed.append((text, published))
    ledger.note(f"议题探针：植入 {len(ISSUE_PROBES)} 处，检出 {sum(caught.values())} 处，未检出 {missed}")
    assert missed == []
