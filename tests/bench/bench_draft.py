"""How often ``casebook draft`` reads a field right, against the shipped case each notice reports.

    python -m tests.bench.bench_draft             # the notices the reader was tuned on
    python -m tests.bench.bench_draft --heldout   # and, apart, the notices kept aside until the end

Notices are in ``tests/fixtures/notices`` and ``expected.yaml`` says which shipped case each draft
should match. A field is right when the draft's value equals the shipped case's (a publisher
without its parenthesised note; the six looks one item per factor, unknown when not stated;
correction and use of the result right when both state one or neither does). Names: how many of
the planted names were masked, and how many are left anywhere in the drafts.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from typing import Any

import yaml

from casebook.builder.draft import draft_notice
from casebook.schema import load_corpus
from casebook.schema import vocabulary as vocab
from tests.corpora import FIXTURES, SHIPPED_CASES, TODAY

NOTICES = FIXTURES / "notices"
FIELDS = (
    "region.province",
    "region.city",
    "region.district",
    "publication.publisher",
    "publication.published",
    "person.alias",
    "person.position",
    "person.role",
    "person.level",
    "domain",
    "rule.regulation",
    "rule.article",
    "outcome.result",
    "distinctions",
    "six_looks",
    "correction stated",
    "use_of_result stated",
)


def _get(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _plain(value: Any) -> Any:
    text = str(value) if value is not None else None
    return re.sub(r"（[^）]*）$", "", text) if text else text


def _compare(draft: dict[str, Any], case: dict[str, Any], notice: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per field: (right, counted)."""
    scores: dict[str, tuple[int, int]] = {}
    for name in FIELDS[:10]:
        wanted = notice.get(name.split(".")[-1]) if name.startswith("publication") and notice else _get(case, name)
        if name == "person.level":
            wanted = wanted or "unknown"
        got = _get(draft, name) or ("unknown" if name == "person.level" else None)
        scores[name] = (int(_plain(got) == _plain(wanted)), 1)
    rules_wanted = case.get("rules_breached") or [{}]
    rules_got = draft.get("rules_breached") or [{}]
    for key in ("regulation", "article"):
        scores[f"rule.{key}"] = (int(rules_got[0].get(key) == rules_wanted[0].get(key)), 1)
    scores["outcome.result"] = (int(_get(draft, "outcome.result") == _get(case, "outcome.result")), 1)
    sides = {(d["distinction"], d["side"]) for d in case.get("distinctions", [])}
    scores["distinctions"] = (int(sides == {(d["distinction"], d["side"]) for d in draft.get("distinctions", [])}), 1)
    looks_wanted, looks_got = case.get("six_looks", {}), draft.get("six_looks") or {}
    right = sum(
        (looks_got.get(f, {}).get("value") or "unknown") == (looks_wanted.get(f, {}).get("value") or "unknown")
        for f in vocab.ids("factors")
    )
    scores["six_looks"] = (right, len(vocab.ids("factors")))
    for key in ("correction", "use_of_result"):
        scores[f"{key} stated"] = (int(bool(draft.get(key)) == bool(case.get(key))), 1)
    return scores


def measure(part: str) -> tuple[Counter[str], Counter[str], dict[str, int]]:
    """(right, counted) per field and name counts over one part (``tune`` or ``heldout``) of expected.yaml."""
    expected = yaml.safe_load((NOTICES / "expected.yaml").read_text(encoding="utf-8"))[part]
    shipped = {c.case.id: c.case.model_dump(mode="json") for c in load_corpus([SHIPPED_CASES], today=TODAY).cases}
    right: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    names = Counter(planted=0, masked=0, left=0, replacements=0, cases=0, drafts=0)
    for file, wanted in expected.items():
        drafted = draft_notice(NOTICES / file, TODAY)
        drafts = [yaml.safe_load(d.text) for d in drafted.drafts]
        names["drafts"] += len(drafts)
        names["cases"] += len(wanted["cases"])
        for draft, case_id in zip(drafts, wanted["cases"], strict=False):
            for name, (ok, of) in _compare(draft, shipped[case_id], wanted.get("notice", {})).items():
                right[name] += ok
                counted[name] += of
        for name in FIELDS:  # a case the reader did not find counts as wrong in every field
            missing = max(0, len(wanted["cases"]) - len(drafts))
            counted[name] += missing * (len(vocab.ids("factors")) if name == "six_looks" else 1)
        texts = [d.text for d in drafted.drafts]
        for real in wanted["names"]:
            names["planted"] += 1
            left = any(real in text for text in texts)
            names["left"] += left
            names["masked"] += any(r.name == real for r in drafted.replacements) and not left
        names["replacements"] += len(drafted.replacements)
    return right, counted, dict(names)


def _cell(right: int, counted: int) -> str:
    return f"{right}/{counted} ({100 * right / counted:.0f} %)" if counted else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also measure the notices kept aside")
    args = parser.parse_args()
    parts = ["tune", "heldout"] if args.heldout else ["tune"]
    results = {part: measure(part) for part in parts}
    print(f"{'field':24}" + "".join(f"{part:>20}" for part in parts))
    for name in FIELDS:
        print(f"{name:24}" + "".join(f"{_cell(results[p][0][name], results[p][1][name]):>20}" for p in parts))
    total = {p: (sum(results[p][0].values()), sum(results[p][1].values())) for p in parts}
    print(f"{'all fields':24}" + "".join(f"{_cell(*total[p]):>20}" for p in parts))
    for p in parts:
        n = results[p][2]
        print(
            f"{p}: {n['drafts']} drafts for {n['cases']} cases; names planted {n['planted']}, "
            f"masked {n['masked']}, left in a draft {n['left']}; replacements made {n['replacements']}"
        )


if __name__ == "__main__":
    main()
