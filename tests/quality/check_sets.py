"""Check that the quality sets in this folder stay well formed.

The sets are data written apart from the code they measure (see README.md).
This script checks their shape only, never what a detector or the finder
makes of them: row counts against the minimums, unique ids, known case ids
and vocabulary ids, the holdout split, and the rules of the finder
paraphrases (no run of six characters shared with the source case, no
outcome word). It reads nothing of the product except ``casebook.schema``
(the vocabularies and the frozen copy of the real cases).

Run it as ``python -m tests.quality.check_sets``: it prints the counts and
every problem, and exits 1 when there is a problem.
"""

from __future__ import annotations

import functools
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from casebook.schema import load_corpus
from casebook.schema.vocabulary import vocabularies

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The cases the sets were written against: the frozen copy of the real cases (tests/corpora.py),
# so that a case an editor adds to cases/ asks nothing of the sets (no paraphrase, no new copy check).
CASES = ROOT / "tests" / "fixtures" / "real" / "cases"

# A text written "in its own words" shares no run this long with any case's
# facts, title or subtitle (rule names in 《》 aside: they are facts).
COPY_RUN = 12
# The finder paraphrases are held to a stricter bound (issue 21, point 6).
PARAPHRASE_RUN = 6
# Words that state a ruling: a paraphrase describes the facts before any.
OUTCOME_WORDS = (
    "容错",
    "免责",
    "减责",
    "免予",
    "免于",
    "处分",
    "问责",
    "追责",
    "追究",
    "澄清",
    "正名",
    "警告",
    "诫勉",
    "从轻",
    "减轻",
    "撤职",
    "免职",
    "开除",
    "处理决定",
    "不予",
    "报备",
    "备案",
    "撤回起诉",
    "撤诉",
    "纪律处理",
    "谈话提醒",
    "批评教育",
    "通报批评",
)

# The short labels of the circumstances the finder sets name (expected.exclusion).
EXCLUSIONS = (
    "收受财物",
    "谋取私利",
    "虚报冒领",
    "重复报账",
    "弄虚作假",
    "擅自改变专项资金用途",
    "违反八项规定",
    "经提醒仍不纠正",
    "明令禁止后仍然实施",
    "重大安全事故",
)
TOLERANCE_OUTCOMES = ("exempted", "lighter", "mitigated", "no_sanction")

Row = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    file: str
    row: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.row}: {self.message}" if self.row else f"{self.file}: {self.message}"


@functools.cache
def shipped_cases() -> dict[str, dict[str, str]]:
    """Every shipped case's id with the texts a set must not copy from."""
    corpus = load_corpus([CASES])
    return {
        loaded.case.id: {
            "facts": joined(loaded.case.facts),
            "title": joined(loaded.case.title),
            "subtitle": joined(loaded.case.subtitle or ""),
        }
        for loaded in corpus.cases
    }


def joined(text: str) -> str:
    """A text as a reader gets it: folded lines joined, no spaces between Chinese characters."""
    return re.sub(r"\s*\n\s*", "", text)


def without_titles(text: str) -> str:
    """Rule and document names (《…》) blanked: quoting them is not copying."""
    return re.sub(r"《[^》]*》", "\u0000", text)


def longest_shared_run(text: str, source: str) -> str:
    """The longest substring of ``text`` that also occurs in ``source`` (first found)."""
    best = ""
    for start in range(len(text)):
        end = start + len(best) + 1
        while end <= len(text) and text[start:end] in source:
            best = text[start:end]
            end += 1
    return best


def copied_run(text: str, sources: Iterable[str], bound: int) -> str | None:
    """A run of ``bound`` or more characters ``text`` shares with a source, if any."""
    mine = without_titles(joined(text))
    for source in sources:
        run = longest_shared_run(mine, without_titles(source))
        if len(run) >= bound and "\u0000" not in run:
            return run
    return None


def load(path: Path) -> list[Row]:
    """The rows of one set file (a mapping with ``rows``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise ValueError(f"{path.name}: expected a mapping with a list under 'rows'")
    return data["rows"]


def vocabulary_ids(name: str) -> set[str]:
    return set(vocabularies()[name])


# ---------------------------------------------------------------- row checks


def check_keys(name: str, row: Row, required: set[str], optional: frozenset[str] = frozenset()) -> list[Problem]:
    keys = set(row)
    problems = [Problem(name, str(row.get("id", "?")), f"missing field '{k}'") for k in sorted(required - keys)]
    problems += [
        Problem(name, str(row.get("id", "?")), f"unknown field '{k}'") for k in sorted(keys - required - optional)
    ]
    return problems


def check_ids(files: dict[str, list[Row]]) -> list[Problem]:
    """Ids are short, present and unique across the files of one set."""
    seen: Counter[str] = Counter(str(r.get("id")) for rows in files.values() for r in rows)
    problems = []
    for name, rows in files.items():
        for r in rows:
            rid = str(r.get("id"))
            if not re.fullmatch(r"[a-z][a-z0-9-]{1,40}", rid):
                problems.append(Problem(name, rid, "id must be short, lower case letters, digits and '-'"))
            if seen[rid] > 1:
                problems.append(Problem(name, rid, "id is not unique"))
    return problems


def check_split(
    set_name: str, dev: list[Row], holdout: list[Row], is_planted: Callable[[Row], bool], share: tuple[float, float]
) -> list[Problem]:
    """Every kind in both parts; planted and clean rows each held out in about the given share."""
    problems = []
    dev_kinds = {r["kind"] for r in dev}
    hold_kinds = {r["kind"] for r in holdout}
    for kind in sorted(dev_kinds ^ hold_kinds):
        part = "holdout" if kind in dev_kinds else "dev"
        problems.append(Problem(set_name, "", f"kind '{kind}' has no row in the {part} part"))
    for label, pick in (("planted", is_planted), ("clean", lambda r: not is_planted(r))):
        n_dev = sum(1 for r in dev if pick(r))
        n_hold = sum(1 for r in holdout if pick(r))
        total = n_dev + n_hold
        if total and not share[0] <= n_hold / total <= share[1]:
            problems.append(
                Problem(
                    set_name,
                    "",
                    f"{label} rows: {n_hold} of {total} held out, outside {share[0]:.0%}–{share[1]:.0%}",
                )
            )
    return problems


def check_own_words(name: str, rows: list[Row], field: str = "text") -> list[Problem]:
    """No text shares a long run with any shipped case (written in its own words)."""
    sources = [t for case in shipped_cases().values() for t in case.values() if t]
    problems = []
    for r in rows:
        run = copied_run(str(r.get(field, "")), sources, COPY_RUN)
        if run:
            problems.append(Problem(name, str(r.get("id")), f"shares 「{run}」 with a shipped case"))
    return problems


# ---------------------------------------------------------------- the sets


def check_names(dev: list[Row], holdout: list[Row]) -> list[Problem]:
    files = {"names_dev.yaml": dev, "names_holdout.yaml": holdout}
    problems = check_ids(files)
    for name, rows in files.items():
        for r in rows:
            problems += check_keys(name, r, {"id", "kind", "text", "names"})
            names = r.get("names")
            if not isinstance(names, list):
                problems.append(Problem(name, str(r.get("id")), "names must be a list ([] for a clean row)"))
                continue
            for n in names:
                if not isinstance(n, str) or not n or n not in str(r.get("text", "")):
                    problems.append(Problem(name, str(r.get("id")), f"name {n!r} is not a substring of the text"))
        problems += check_own_words(name, rows)
    rows = dev + holdout
    named = [r for r in rows if r.get("names")]
    clean = [r for r in rows if not r.get("names")]
    named_kinds = {r["kind"] for r in named}
    if len(named) < 330:
        problems.append(Problem("names", "", f"{len(named)} rows with a name, at least 330 wanted"))
    if len(clean) < 330:
        problems.append(Problem("names", "", f"{len(clean)} clean rows, at least 330 wanted"))
    if len(named_kinds) < 22:
        problems.append(Problem("names", "", f"{len(named_kinds)} kinds of context, at least 22 wanted"))
    problems += check_split("names", dev, holdout, lambda r: bool(r.get("names")), (0.28, 0.38))
    return problems


def check_numbers(dev: list[Row], holdout: list[Row]) -> list[Problem]:
    files = {"numbers_dev.yaml": dev, "numbers_holdout.yaml": holdout}
    problems = check_ids(files)
    for name, rows in files.items():
        for r in rows:
            problems += check_keys(name, r, {"id", "kind", "text", "expected"}, frozenset({"note"}))
            expected = r.get("expected")
            if expected is not None and (not isinstance(expected, str) or expected not in str(r.get("text", ""))):
                problems.append(Problem(name, str(r.get("id")), f"expected {expected!r} is not a substring"))
        problems += check_own_words(name, rows)
    rows = dev + holdout
    planted = sum(1 for r in rows if r.get("expected"))
    if planted < 90:
        problems.append(Problem("numbers", "", f"{planted} planted rows, at least 90 wanted"))
    if len(rows) - planted < 60:
        problems.append(Problem("numbers", "", f"{len(rows) - planted} clean rows, at least 60 wanted"))
    problems += check_split("numbers", dev, holdout, lambda r: bool(r.get("expected")), (0.28, 0.45))
    return problems


def check_expected(name: str, rid: str, expected: Any) -> list[Problem]:
    """One finder row's judgment: every id from the vocabularies, the outcome inside its group."""
    if not isinstance(expected, dict):
        return [Problem(name, rid, "expected must be a mapping")]
    problems = check_keys(
        name,
        {"id": rid, **expected},
        {"id", "outcome_group", "kind", "distinctions", "factors", "domain", "exclusion"},
        frozenset({"outcome"}),
    )
    vocab = vocabularies()
    group = expected.get("outcome_group")
    if group not in vocab["outcome_groups"]:
        problems.append(Problem(name, rid, f"unknown outcome_group {group!r}"))
    outcome = expected.get("outcome")
    if outcome is not None:
        entry = vocab["outcomes"].get(outcome)
        if entry is None:
            problems.append(Problem(name, rid, f"unknown outcome {outcome!r}"))
        elif entry.get("group") != group:
            problems.append(Problem(name, rid, f"outcome {outcome!r} is not in group {group!r}"))
    if expected.get("kind") not in ("mistake", "accusation"):
        problems.append(Problem(name, rid, "kind must be mistake or accusation"))
    for item in expected.get("distinctions") or []:
        if not isinstance(item, dict) or item.get("distinction") not in vocab["distinctions"]:
            problems.append(Problem(name, rid, f"unknown distinction {item!r}"))
        elif item.get("side") not in vocab["distinction_sides"]:
            problems.append(Problem(name, rid, f"unknown side in {item!r}"))
    factors = expected.get("factors") or {}
    for factor, value in factors.items() if isinstance(factors, dict) else []:
        if factor not in vocab["factors"]:
            problems.append(Problem(name, rid, f"unknown factor {factor!r}"))
        if value not in ("favourable", "unfavourable", "mixed"):
            problems.append(Problem(name, rid, f"factor {factor}: {value!r} is not favourable/unfavourable/mixed"))
    if expected.get("domain") not in vocab["domains"]:
        problems.append(Problem(name, rid, f"unknown domain {expected.get('domain')!r}"))
    exclusion = expected.get("exclusion")
    if exclusion is not None and exclusion not in EXCLUSIONS:
        problems.append(Problem(name, rid, f"exclusion {exclusion!r} is not one of the labels in README.md"))
    return problems


def check_case_ids(name: str, rid: str, ids: Any) -> list[Problem]:
    if not isinstance(ids, list):
        return [Problem(name, rid, "expected a list of case ids")]
    known = shipped_cases()
    return [Problem(name, rid, f"no shipped case {i!r}") for i in ids if i not in known]


def sentences(text: str) -> int:
    return len([s for s in re.split(r"[。！？!?]", text) if s.strip()])


def check_finder_development(rows: list[Row]) -> list[Problem]:
    name = "finder_development.yaml"
    problems = check_ids({name: rows})
    for r in rows:
        rid = str(r.get("id"))
        problems += check_keys(name, r, {"id", "text", "expected", "similar_to"})
        problems += check_expected(name, rid, r.get("expected"))
        problems += check_case_ids(name, rid, r.get("similar_to"))
        if not 1 <= sentences(str(r.get("text", ""))) <= 4:
            problems.append(Problem(name, rid, "a description has one to four sentences"))
    problems += check_own_words(name, rows)
    expected = [r["expected"] for r in rows if isinstance(r.get("expected"), dict)]
    if len(rows) < 48:
        problems.append(Problem(name, "", f"{len(rows)} descriptions, at least 48 wanted"))
    wanted = {
        "outcome group": (set(vocabularies()["outcome_groups"]), {e.get("outcome_group") for e in expected}),
        "tolerance type": (set(TOLERANCE_OUTCOMES), {e.get("outcome") for e in expected}),
        "kind": ({"mistake", "accusation"}, {e.get("kind") for e in expected}),
    }
    for label, (need, have) in wanted.items():
        for missing in sorted(need - have):
            problems.append(Problem(name, "", f"no description for {label} {missing!r}"))
    if sum(1 for e in expected if e.get("exclusion")) < 6:
        problems.append(Problem(name, "", "fewer than 6 descriptions on an excluded circumstance"))
    if not any(e.get("outcome") == "pre_filed" for e in expected):
        problems.append(Problem(name, "", "no pre-filing description"))
    if len({e.get("domain") for e in expected}) < 12:
        problems.append(Problem(name, "", "descriptions span fewer than 12 domains"))
    return problems


QUERY_KINDS = ("word", "phrase", "two_words", "place", "rule_name", "unknown_word", "alias_only", "synonym")


def check_search_queries(rows: list[Row]) -> list[Problem]:
    name = "search_queries.yaml"
    problems = check_ids({name: rows})
    seen: Counter[str] = Counter(str(r.get("query")) for r in rows)
    for r in rows:
        rid = str(r.get("id"))
        problems += check_keys(name, r, {"id", "query", "kind", "relevant"}, frozenset({"note"}))
        problems += check_case_ids(name, rid, r.get("relevant"))
        query, kind = str(r.get("query", "")), r.get("kind")
        if kind not in QUERY_KINDS:
            problems.append(Problem(name, rid, f"kind {kind!r} is not one of {', '.join(QUERY_KINDS)}"))
        if seen[query] > 1:
            problems.append(Problem(name, rid, f"query {query!r} appears twice"))
        if (kind == "two_words") != (len(query.split()) == 2):
            problems.append(Problem(name, rid, "a two_words query, and only it, has two words"))
        if kind == "synonym" and not r.get("note"):
            problems.append(Problem(name, rid, "a synonym query says in its note which synonym it relies on"))
    if len(rows) < 44:
        problems.append(Problem(name, "", f"{len(rows)} queries, at least 44 wanted"))
    for kind in sorted(set(QUERY_KINDS) - {r.get("kind") for r in rows}):
        problems.append(Problem(name, "", f"no query of kind {kind!r}"))
    return problems


def check_retelling(name: str, r: Row, case: dict[str, str]) -> list[Problem]:
    """A text told apart from its source case: no 6-character run with it, no outcome word."""
    rid, text = str(r.get("id")), joined(str(r.get("text", "")))
    problems = []
    for field in ("facts", "title", "subtitle"):
        run = longest_shared_run(text, case[field])
        if len(run) >= PARAPHRASE_RUN:
            problems.append(Problem(name, rid, f"shares 「{run}」 with the {field} of {r.get('source')}"))
    for word in OUTCOME_WORDS:
        if word in text:
            problems.append(Problem(name, rid, f"holds the outcome word 「{word}」"))
    return problems


def check_finder_paraphrases(rows: list[Row]) -> list[Problem]:
    name = "finder_paraphrases.yaml"
    problems = check_ids({name: rows})
    cases = shipped_cases()
    sources = Counter(str(r.get("source")) for r in rows)
    for r in rows:
        problems += check_keys(name, r, {"id", "source", "text"})
        if r.get("source") not in cases:
            problems.append(Problem(name, str(r.get("id")), f"no shipped case {r.get('source')!r}"))
            continue
        problems += check_retelling(name, r, cases[r["source"]])
    for case_id in sorted(set(cases) - set(sources)):
        problems.append(Problem(name, "", f"no paraphrase of {case_id}"))
    for case_id, n in sorted(sources.items()):
        if n > 1:
            problems.append(Problem(name, "", f"{n} paraphrases of {case_id}, one wanted"))
    return problems


def check_finder_transfers(rows: list[Row]) -> list[Problem]:
    name = "finder_transfers.yaml"
    problems = check_ids({name: rows})
    cases = shipped_cases()
    vocab = vocabularies()
    for r in rows:
        rid = str(r.get("id"))
        problems += check_keys(name, r, {"id", "source", "text", "expected"})
        given = r.get("expected")
        expected: dict[str, Any] = given if isinstance(given, dict) else {}
        problems += check_keys(name, {"id": rid, **expected}, {"id", "outcome_group"}, frozenset({"domain"}))
        if expected.get("outcome_group") not in vocab["outcome_groups"]:
            problems.append(Problem(name, rid, f"unknown outcome_group {expected.get('outcome_group')!r}"))
        if "domain" in expected and expected["domain"] not in vocab["domains"]:
            problems.append(Problem(name, rid, f"unknown domain {expected['domain']!r}"))
        if r.get("source") not in cases:
            problems.append(Problem(name, rid, f"no shipped case {r.get('source')!r}"))
            continue
        problems += check_retelling(name, r, cases[r["source"]])
    if len(rows) < 24:
        problems.append(Problem(name, "", f"{len(rows)} transfers, at least 24 wanted"))
    groups = {r["expected"].get("outcome_group") for r in rows if isinstance(r.get("expected"), dict)}
    for group in sorted(set(vocab["outcome_groups"]) - groups):
        problems.append(Problem(name, "", f"no transfer of outcome group {group!r}"))
    return problems


# ---------------------------------------------------------------- driver

SETS: dict[str, tuple[tuple[str, ...], Callable[..., list[Problem]]]] = {
    "names": (("names_dev.yaml", "names_holdout.yaml"), check_names),
    "numbers": (("numbers_dev.yaml", "numbers_holdout.yaml"), check_numbers),
    "finder_development": (("finder_development.yaml",), check_finder_development),
    "search_queries": (("search_queries.yaml",), check_search_queries),
    "finder_paraphrases": (("finder_paraphrases.yaml",), check_finder_paraphrases),
    "finder_transfers": (("finder_transfers.yaml",), check_finder_transfers),
}


def counts() -> dict[str, int]:
    """Rows per file, for the report."""
    return {file: len(load(HERE / file)) for files, _ in SETS.values() for file in files if (HERE / file).exists()}


def check_all() -> list[Problem]:
    """Every problem in every set (a missing file is a problem too)."""
    problems: list[Problem] = []
    for files, check in SETS.values():
        missing = [f for f in files if not (HERE / f).exists()]
        if missing:
            problems += [Problem(f, "", "file is missing") for f in missing]
            continue
        try:
            loaded = [load(HERE / f) for f in files]
        except (ValueError, yaml.YAMLError) as error:
            problems.append(Problem(files[0], "", f"cannot be read: {error}"))
            continue
        problems += check(*loaded)
    return problems


def main() -> int:
    for file, n in counts().items():
        print(f"{file}: {n} rows")
    problems = check_all()
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
