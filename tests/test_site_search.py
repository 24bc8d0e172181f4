"""The site's own search index (builder/siteindex.py), read as the browser reads it.

The browser's reader is tested in tests/test_browser_search.py; here the
index files are read by the few lines below, which do what the reader does.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.builder.siteindex import (
    DATA_DIR,
    GRAM,
    STOP,
    analysed_tokens,
    decode_numbers,
    dictionary_terms,
    encode_numbers,
    segment,
    site_index,
)
from casebook.schema import Case
from casebook.search.fields import text_fields
from casebook.search.query import parse, search
from casebook.search.tiers import typed_words
from casebook.search.tokenize import tokens
from tests.corpora import REAL_CASES
from tests.site_search import SiteIndex, run_page_script, typed_data, write_files

# Queries of the issue and of the README, plus phrases a committee member types.
QUERIES = [
    "人防", "陷害", "免责", "集体研究", "低保", "人防工程验收", "容缺办理", "澄清正名 诬告", "村集体资金",
    "工程款 拨付", "招投标", "诬告陷害", "容错免责", "从轻处理", "未经集体研究", "主动整改", "出于公心",
    "谋取私利", "先行先试", "恶意举报", "不实举报", "疫情防控", "防汛", "拆迁", "环境整治", "土地", "扶贫",
    "村支书", "网络举报", "匿名信", "EPC", "2023",
]  # fmt: skip


@pytest.fixture(scope="module")
def page_index(real_cases: list[Case]) -> SiteIndex:
    """The 案例检索 page's index of the frozen real cases."""
    return SiteIndex(site_index(real_cases, "public"))


def _cli_ids(real_index, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.id for hit in search(real_index, query, limit=1000).hits}


@pytest.mark.parametrize("query", QUERIES)
def test_same_cases_as_casebook_search(page_index: SiteIndex, real_index, query: str) -> None:  # type: ignore[no-untyped-def]
    assert page_index.matching(query) == _cli_ids(real_index, query)


def test_the_issues_examples_find_what_the_text_holds(page_index: SiteIndex, real_cases: list[Case]) -> None:
    def holding(word: str) -> set[str]:
        return {c.id for c in real_cases if c.is_public and word in " ".join(text_fields(c).values())}

    # 陷害 and 免责 occur in case text that Material's box never indexed.
    assert page_index.matching("陷害") and page_index.matching("陷害") <= holding("陷害")
    assert page_index.matching("免责") and page_index.matching("免责") <= holding("免责")
    # Whole terms only: 人防 never finds a case for its 人员 or 人事.
    renfang = page_index.matching("人防")
    assert renfang == {c for c in renfang if c in holding("人防")}
    assert holding("人员") - holding("人防"), "the corpus should hold cases with 人员 and no 人防"
    assert not (holding("人员") - holding("人防")) & renfang


def test_the_command_line_agrees_in_json(page_index: SiteIndex, real_index_cache: Path) -> None:
    for query in ("人防", "澄清正名 诬告"):
        args = ["--cases", str(REAL_CASES), "--cache", str(real_index_cache)]
        result = CliRunner().invoke(main, ["search", *query.split(), "--json", "-n", "1000", *args])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output[result.output.index("{") :])
        assert {hit["id"] for hit in data["hits"]} == page_index.matching(query)
        assert data["total"] == len(page_index.matching(query))


def test_keywords_and_place_names_stay_whole(page_index: SiteIndex, real_cases: list[Case]) -> None:
    """The corpus dictionary: every keyword and place name of a public case is one word, for jieba and the page."""
    extra = dictionary_terms(real_cases)
    public = [c for c in real_cases if c.is_public]
    texts = {k for c in public for k in c.keywords} | {
        p for c in public for p in (c.region.province, c.region.city, c.region.district) if p
    }
    words = {w for text in texts for w in re.findall(r"[\u4e00-\u9fd5A-Za-z0-9]+", text)}  # 虎丘区(苏州高新区)
    for word in sorted(w for w in words if 2 <= len(w) <= 12):
        assert word.lower() in tokens(word, extra), word
        if all("\u4e00" <= ch <= "\u9fd5" for ch in word):  # a Latin letter always splits a run (A市: a, 市)
            assert segment(word, page_index.known) == [(word, True)], word
    assert "清江浦区" in tokens("淮安市清江浦区", extra) and "清江浦区" in words
    assert "容缺" in tokens(
        "实行分步容缺", extra
    )  # jieba's search mode emits the shipped dictionary's term inside 分步容缺


def _fragments(cases: list[Case]) -> list[str]:
    """Pieces cut from the middle of sentences, as a reader pastes them: 3 to 9 characters at fixed places."""
    pieces = []
    for n, case in enumerate(c for c in cases if c.is_public):
        run = max(case.facts.replace("，", "。").split("。"), key=len)
        for k, length in enumerate((3, 5, 7, 9)):
            start = (n * 7 + k * 11) % max(1, len(run) - length)
            pieces.append(run[start : start + length])
    return [p for p in dict.fromkeys(pieces) if p.strip()]


@pytest.mark.slow
def test_the_command_line_segments_queries_with_the_pages_dictionary(
    page_index: SiteIndex, real_cases: list[Case], real_index
) -> None:  # type: ignore[no-untyped-def]
    """Parity by construction: one term dictionary, one segmenter, the same words and cases for every query."""
    assert real_index.known() == page_index.known
    queries = [*QUERIES, *_fragments(real_cases)]
    assert len(queries) > 200
    for query in queries:
        assert typed_data(parse(real_index, query).typed) == typed_data(page_index.typed(query)), query
        found = search(real_index, query, limit=1000)
        assert {hit.id: (hit.matched, hit.tier) for hit in found.hits} == {
            case: (held, page_index.tiers(query)[case]) for case, held in page_index.matched(query).items()
        }, query


# Queries that exercise the reading of a query: phrases, single characters, stop words, equivalents, Latin.
READINGS = [
    "集体研究", "防汛 道路", "虚报冒领", "人民防空", "最低生活保障", "道", "防汛 道", "人防工程验收",
    "没有谋取私利", "人防EPC项目15.5%", "研究生命", "村干部违规出借集体资金", "审批的谢某某", "谢某某",
    "招投标", "的", "xyz 人防",
]  # fmt: skip


def test_the_page_script_reads_and_ranks_as_python(
    page_index: SiteIndex, real_cases: list[Case], tmp_path: Path
) -> None:
    """casebook-search.js in Node (no browser) over the same files: the same words, order, tiers, notes, snippets."""
    queries = [*QUERIES, *READINGS, *_fragments(real_cases)[:120]]
    page = run_page_script(write_files(page_index.files, tmp_path), queries)
    for query in queries:
        assert page[query] == page_index.page(query), query


def _holding(cases: list[Case], word: str) -> set[str]:
    return {c.id for c in cases if c.is_public and word in " ".join(text_fields(c).values())}


@pytest.mark.parametrize("word", ["容缺", "低保", "陷害", "清江浦区", "人防"])
def test_golden_queries_find_every_case_that_holds_the_word(
    page_index: SiteIndex, real_cases: list[Case], real_index, word: str
) -> None:  # type: ignore[no-untyped-def]
    holding = _holding(real_cases, word)
    assert holding, f"the real corpus should hold {word}"
    assert _cli_ids(real_index, word) == page_index.matching(word) == holding


def test_golden_queries_name_the_cases_a_reader_expects(real_cases: list[Case], real_index) -> None:  # type: ignore[no-untyped-def]
    huaian = {c.id for c in real_cases if c.is_public and c.region.district == "清江浦区"}
    assert "2025-huaian-renfang-rongque" in huaian <= _cli_ids(real_index, "清江浦区")
    assert "2025-huaian-renfang-rongque" in _cli_ids(real_index, "人防")
    step = {c.id for c in real_cases if c.is_public and "分步容缺" in " ".join(text_fields(c).values())}
    assert step and step <= _cli_ids(real_index, "容缺")
    only_renyuan = _holding(real_cases, "人员") - _holding(real_cases, "人防")
    assert only_renyuan and not only_renyuan & _cli_ids(real_index, "人防")


@pytest.mark.parametrize("query", ["集体研究 容缺", "人防 审批", "低保 诬告 举报", "村集体资金 借款"])
def test_cases_holding_every_word_come_first(page_index: SiteIndex, real_index, query: str) -> None:  # type: ignore[no-untyped-def]
    hits = search(real_index, query, limit=1000).hits
    words = parse(real_index, query).words
    assert words == query.split()
    # Tiers first, then more words held whole: a case holding a word only in part never leads one holding it.
    keys = [(hit.tier, -sum(1 for way in hit.held if way in ("whole", "equivalent"))) for hit in hits]
    assert keys == sorted(keys)
    for hit in hits:  # a word held whole is held as a term of the case
        for word, way in zip(words, hit.held, strict=True):
            if way == "whole":
                assert hit.id in page_index.cases_with(word), (hit.id, word)
    assert len(set(keys)) > 1, "the query should find cases holding some of its words only"


def _vocabulary_explanations() -> list[str]:
    """Text a page takes from the vocabulary to explain a value, the same on every page showing it:
    the six looks' names, poles and findings, what each outcome means and its group."""
    from casebook.schema import vocabulary as vocab

    factors = vocab.vocabularies()["factors"]
    outcomes = vocab.vocabularies()["outcomes"]
    return [
        *(vocab.label("factors", f) for f in factors),
        *(str(factors[f].get(pole, "")) for f in factors for pole in ("favourable", "unfavourable")),
        *(vocab.label("factor_values", v) for v in vocab.ids("factor_values")),
        *(vocab.label("outcome_groups", g) for g in vocab.ids("outcome_groups")),
        *(str(entry.get("description", "")) for entry in outcomes.values() if isinstance(entry, dict)),
    ]


def _page_words(page: Path, case: Case, extra: tuple[str, ...]) -> dict[str, str]:
    """The words of a case page as a reader sees them, each with the text it stands in.

    Left out: what is not this case's words (the sections listing other cases,
    headings and table headers, the heading marks, what the page writes where
    a case has nothing, marked ``cb-none``) and what is no word (dates,
    addresses, the case id).
    """
    from bs4 import BeautifulSoup

    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None
    for heading in article.select("h2#related, h2#similar"):
        heading.find_next_sibling("div").decompose()
    for furniture in article.select("h2, th, .admonition-title, .headerlink, code, .cb-none"):
        furniture.decompose()
    words = {}
    for text in article.get_text("\n").splitlines():
        text = re.sub(r"\d{4}-\d{2}(-\d{2})?", " ", text.replace(case.id, " "))
        for term in tokens(text, extra):
            words.setdefault(term, text)
    return words


def test_every_word_a_case_page_shows_finds_the_case(site: Path, fixture_cases: list[Case]) -> None:
    """The oracle is the page as built: a word of it that search does not find is a section missing from
    the search text (``schema.sections``). Words the page uses on every case page, or takes from the
    vocabulary to explain a value, are the page's own, not the case's."""
    index = SiteIndex({p.relative_to(site).as_posix(): p.read_text("utf-8") for p in (site / DATA_DIR).rglob("*.js")})
    public = [c for c in fixture_cases if c.is_public]
    extra = dictionary_terms(fixture_cases)
    pages = {case.id: _page_words(site / "cases" / f"{case.id}.html", case, extra) for case in public}
    everywhere = set.intersection(*(set(words) for words in pages.values()))
    explained = {term for text in _vocabulary_explanations() for term in tokens(text, extra)}
    assert len(public) >= 3 and all(pages.values())
    for case in public:
        missing = {
            term: text
            for term, text in pages[case.id].items()
            if term not in everywhere | explained and case.id not in index.cases_with(term)
        }
        assert not missing, (case.id, missing)


def test_the_site_index_holds_every_term_of_the_search_text(page_index: SiteIndex, real_cases: list[Case]) -> None:
    public = [c for c in real_cases if c.is_public]
    for case in public[:10]:
        for name, text in text_fields(case).items():
            for term in set(tokens(text, dictionary_terms(real_cases))):
                assert case.id in page_index.cases_with(term), (case.id, name, term)
    # Fields beyond the old header index: the masked alias, the publisher, the editor's public note.
    case = next(c for c in public if c.notes)
    for text in (case.person.alias, case.publication.publisher, case.notes or ""):
        assert case.id in page_index.matching(text)


def test_the_quick_tokenizer_is_the_cli_analyzer(real_cases: list[Case]) -> None:
    extra = dictionary_terms(real_cases)
    for case in real_cases:
        for text in text_fields(case).values():
            assert [term for term, *_ in analysed_tokens(text, extra)] == tokens(text, extra), case.id


def test_real_editor_notes_reach_no_index_file(page_index: SiteIndex, real_cases: list[Case]) -> None:
    notes = [c.editor_notes for c in real_cases if c.editor_notes]
    assert notes, "the real corpus should carry editors' research remarks"
    text = "".join(page_index.files.values())
    for note in notes:
        for line in note.splitlines():
            assert len(line) < 12 or line not in text


def test_public_index_holds_no_internal_case_and_no_editor_notes(fixture_cases: list[Case]) -> None:
    secret = "编辑部核对备注甲乙丙丁"
    cases = [c.model_copy(update={"editor_notes": secret}) for c in fixture_cases]
    public = site_index(cases, "public")
    text = "".join(public.values())
    assert secret not in text and "编辑部核对" not in text
    assert "2018-site-internal" not in text and "玄武湖畔秘密仓储点" not in text
    index = SiteIndex(public)
    assert sorted(index.ids) == sorted(c.id for c in fixture_cases if c.is_public)
    internal = SiteIndex(site_index(cases, "internal"))
    assert "2018-site-internal" in internal.matching("玄武湖畔秘密仓储点")
    number = internal.ids.index("2018-site-internal")
    assert internal.data(f"d/{number}")["internal"] is True
    assert secret not in "".join(site_index(cases, "internal").values())
    assert [f["name"] for f in internal.meta["facets"]][-1] == "visibility"


def test_cases_are_numbered_newest_first_and_facets_count_them(page_index: SiteIndex, real_cases: list[Case]) -> None:
    public = [c for c in real_cases if c.is_public]
    dates = [page_index.data(f"d/{n}")["date"] for n in range(len(public))]
    assert dates == sorted(dates, reverse=True)
    facets = {f["name"]: f for f in page_index.meta["facets"]}
    assert list(facets) == ["outcome", "distinction", "domain", "region", "year", "role", "level"]
    outcome = facets["outcome"]
    column = page_index.meta["columns"]["outcome"]
    for position, (key, _label, _parent) in enumerate(outcome["values"]):
        assert column.count(position) == sum(1 for c in public if c.outcome.result == key)
    regions = [v[0] for v in facets["region"]["values"]]
    huaian = next(c for c in public if c.region.city == "淮安市")
    assert f"{huaian.region.province}/淮安市" in regions
    sides = [v for v in facets["distinction"]["values"] if "/" in v[0]]
    assert sides and all(parent == key.split("/")[0] for key, _, parent in sides)


def test_highlight_spans_are_the_words_of_the_text(fixture_cases: list[Case]) -> None:
    index = SiteIndex(site_index(fixture_cases, "public"))
    number = index.ids.index("2025-site-renfang")
    doc = index.data(f"d/{number}")
    fields = {name: (text, spans) for name, _label, text, spans in doc["fields"]}
    title, spans = fields["title"]
    digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    words, last = [], 0
    for k in range(0, len(spans), 2):
        start = last + digits.index(spans[k])
        last = start + digits.index(spans[k + 1])
        words.append(title[start:last])
    assert all(word and word in title for word in words)
    assert "人防事项" in words and "审批" in words  # whole words (人防 is a sub-word of 人防事项, not a span)
    labels = [label for _, label, _, _ in doc["fields"]]
    assert labels[:2] == ["标题", "副标题"] and "处理结果" in labels and "工作领域" in labels
    sections = {label: text for _, label, text, _ in doc["fields"]}
    assert sections["当事人"].startswith("谢某某") and "清江浦区纪委监委" in sections["发布机关"]


def test_postings_are_compact_strings_that_read_back_exactly(fixture_cases: list[Case]) -> None:
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 2**20, 2**31 + 5, 7]
    assert decode_numbers(encode_numbers(numbers)) == numbers
    assert encode_numbers([1, 31, 32]) == "1VW1"  # one digit below 32, two from 32
    with pytest.raises(ValueError, match="cut short"):
        decode_numbers("W")
    with pytest.raises(ValueError, match="negative"):
        encode_numbers([-1])
    index = SiteIndex(site_index(fixture_cases, "public"))
    # Every list is gaps and scores, in pairs, numbering cases that exist.
    for term, flat in index.postings.items():
        assert len(flat) % 2 == 0 and sum(flat[0::2]) < index.meta["count"], term
        assert all(score >= 1 for score in flat[1::2]), term


@pytest.mark.parametrize(
    ("query", "known", "words"),
    [
        ("人防工程验收", {"人防": 1, "工程": 1, "人防工程": 0, "验收": 1}, [("人防工程", True), ("验收", True)]),
        # Forward 研究生/命 and backward 研究/生命: two words each, no single character: backward wins.
        ("研究生命", {"研究": 1, "研究生": 1, "生命": 1, "命": 0}, [("研究", True), ("生命", True)]),
        # Forward 研究生/命 (two words) beats backward 研/究/生命 (three).
        ("研究生命", {"研究生": 1, "生命": 1}, [("研究生", True), ("命", False)]),
        # Forward 结合/成分/子 and backward 结/合成/分子 cost the same: backward wins.
        ("结合成分子", {"结合": 1, "合成": 1, "成分": 1, "分子": 1}, [("结", False), ("合成", True), ("分子", True)]),
        ("人防 EPC项目", {"人防": 1, "epc": 0, "项目": 1}, [("人防", True), ("epc", True), ("项目", True)]),
        ("<img src=x>", {}, [("img", False), ("src", False), ("x", False)]),
        ("增长15.5%", {"增长": 1, "15.5%": 0}, [("增长", True), ("15.5%", True)]),
        ("", {}, []),
    ],
)
def test_segmentation_by_maximum_matching(query: str, known: dict[str, int], words: list[tuple[str, bool]]) -> None:
    assert segment(query, known) == words


def test_typed_words_are_words_phrases_parts_and_equivalents() -> None:
    known: dict[str, int | str] = {"人防": GRAM, "工程": GRAM, "人防工程": 0, "验收": GRAM, "没有": STOP, "的": STOP}
    known |= {"集体": GRAM, "研究": GRAM, "集体研究": 0, "道": 0, "project": 0, "projects": "project"}
    rings = {"人民防空": ("人防", "人民防空"), "人防": ("人防", "人民防空")}
    words = typed_words("集体研究 人防工程验收 道路 没有验收 道 projects", known, lambda w: rings.get(w, ()))
    by_text = {w.text: w for w in words}
    assert by_text["集体研究"].forms[0].term == "集体研究" and by_text["集体研究"].parts == ("集体", "研究")
    phrase = by_text["人防工程验收"].forms[0]
    assert phrase.term is None and phrase.pieces == (("人防工程", 0), ("验收", 4)) and phrase.possible
    assert by_text["人防工程验收"].parts == ("人防工程", "验收")
    road = by_text["道路"]  # 路 is no term: the phrase cannot occur, and single characters are no parts
    assert road.forms[0].cut == ("道", "路") and not road.forms[0].possible and road.parts == road.partial == ()
    assert by_text["没有验收"].forms[0].term == "验收" and by_text["没有验收"].forms[0].unread == ("没有",)
    assert by_text["道"].kind == "single"  # typed beside other words
    assert by_text["projects"].forms[0].term == "project"
    assert typed_words("道", known)[0].counts  # typed alone, it is the query
    assert [f.text for f in typed_words("人民防空", known, lambda w: rings.get(w, ()))[0].forms] == ["人民防空", "人防"]


def test_site_build_writes_the_index_and_the_search_page(site: Path) -> None:
    assert (site / "search.html").exists()
    assert (site / DATA_DIR / "meta.js").exists()
    assert not (site / "search" / "search_index.json").exists()  # no second search
    page = (site / "search.html").read_text(encoding="utf-8")
    assert "assets/javascripts/casebook-search.js" in page and 'id="cb-search"' in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/javascripts/casebook-header.js" in home
    assert "案例检索" in home  # in the top navigation
