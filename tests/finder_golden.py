"""The golden file of the finder's parity: what Python reads, ranks and says for every query, to check in Node.

    python -m tests.finder_golden OUT_DIR [--cases cases]   # writes OUT_DIR/site (data, scripts) and golden.json
    node tests/finder_parity.js OUT_DIR/site OUT_DIR/golden.json

For each corpus (the shipped cases as the public site holds them; a generated
corpus larger than the finder's candidate pool, in its internal edition) the
finder's data files are written as the build writes them, and for each query
the golden file records the facets read, the ranked ids, every score part,
every number and every sentence ``casebook similar`` would say. The queries
are every row of the cue table (``tests/test_cues.py``), every description of
the development set, the issue's descriptions, the page benchmark's queries,
and queries with facets set, regulations, characters outside the Basic
Multilingual Plane and a long text. ``tests/test_finder_parity.py`` runs both
sides in the fast test loop.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from casebook.builder.finderdata import edition_records, finder_data
from casebook.schema import Case, load_corpus
from casebook.search import explain
from casebook.search.finder import Description, read_query
from casebook.search.similar import Precedents

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "builder" / "docs" / "assets" / "javascripts"
TOP = 10

# The descriptions issue 21 was filed on, as a committee member typed them (the retold anchor in our words).
ISSUE_DESCRIPTIONS = {
    "flood": "某镇党委副书记在汛期暴雨中，为抢通被冲毁的村道，未经招标直接委托附近施工队抢修，事后补办了手续，"
    "花费比预算多出十几万元，没有发现个人得利。",
    "anchor_retold": "某区一名分管人民防空审批的区管干部，为让一个重大产业项目早日开工，在部分技术参数还没有定下来、"
    "人民防空工程指标无法核定的情况下，让企业先写下限期补交材料的承诺，审查先行通过，材料随后补交。"
    "项目因此提前约三个月拿到施工许可，企业省下两百多万元；后来材料补齐，正式手续也办完了，没有发现他谋取私利。",
    "epidemic": "某街道在疫情封控期间，为保障居民生活，未按程序采购了一批生活物资。",
    "bribery": "某县住建局副局长在审批工程项目时，多次收受施工企业负责人所送礼金共计8万元。",
}


def _description(query: dict[str, Any]) -> Description:
    """A page query ({text, factors, distinctions: [[d, side]], domain, rules, role, level}) as the command reads it."""
    return Description(
        text=query.get("text"),
        factors=query.get("factors", {}),
        distinctions=tuple(f"{d}={side}" if side else d for d, side in query.get("distinctions", [])),
        domain=query.get("domain"),
        rules=tuple(query.get("rules", [])),
        role=query.get("role"),
        level=query.get("level"),
    )


def queries() -> list[tuple[str, dict[str, Any]]]:
    """Every query the parity is checked on, named."""
    from tests.bench.bench_site_finder import QUERIES
    from tests.test_cues import ROWS

    found: list[tuple[str, dict[str, Any]]] = []
    found += [(f"cue-{n}", {"text": text}) for n, (text, _) in enumerate(ROWS)]
    rows = yaml.safe_load((ROOT / "tests" / "quality" / "finder_development.yaml").read_text(encoding="utf-8"))["rows"]
    found += [(row["id"], {"text": row["text"]}) for row in rows]
    found += [(f"issue-{name}", {"text": text}) for name, text in ISSUE_DESCRIPTIONS.items()]
    for n, query in enumerate(QUERIES):
        page = {k: v for k, v in query.items() if k not in ("distinction", "motive")}
        if "motive" in query:
            page["factors"] = {"motive": query["motive"]}
        if "distinction" in query:
            d, _, side = query["distinction"].partition(":")
            page["distinctions"] = [[d, side or None]]
        found.append((f"bench-{n}", page))
    found += [
        (
            "facets-only",
            {"factors": {"motive": "favourable", "procedure": "unfavourable"}, "domain": "village_affairs"},
        ),
        ("sides-only", {"distinctions": [["experience", "tolerated"]], "role": "village_cadre"}),
        ("side-unknown", {"text": "疫情期间紧急采购防疫物资，程序不完备", "distinctions": [["exploration", None]]}),
        ("factor-unknown", {"text": "村干部未经集体研究出借集体资金", "factors": {"procedure": "unknown"}}),
        ("rule", {"text": "人防审批先行放行", "rules": ["《江苏省实施〈中华人民共和国人民防空法〉办法》"]}),
        ("rule-read", {"text": "违反《中华人民共和国招标投标法》，把工程拆分成小标段"}),
        ("astral", {"text": "调查没有𠮷𠮷𠮷𠮷𠮷谋取私利，他出于公心推进𠮷项目"}),
        ("astral-window", {"text": "没有𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷谋取私利"}),
        ("whitespace", {"text": "\u3000\u3000村支书未经集体研究，\n出借村集体资金。\n\n\u2003事后收回。\u3000"}),
        ("long", {"text": "村支书未经集体研究，从村集体资金中借款给承包户，本人没有获利，借款已按期收回。" * 120}),
        ("nothing", {"text": "今天天气很好，大家心情愉快"}),
    ]
    return found


def python_result(precedents: Precedents, query: dict[str, Any], k: int = TOP) -> dict[str, Any]:
    """What ``casebook similar`` reads, ranks and says for one page query, in the shape the Node check builds."""
    read = read_query(_description(query))
    record = read.record
    finding = precedents.similar(read.against(precedents), k, include_internal=True)
    has_text = bool(read.text.strip())
    return {
        "read": [
            {key: row[key] for key in ("facet", "label", "value", "phrases")} for row in explain.read_facets(read)
        ],
        "record": {
            "kind": record.kind,
            "looks": dict(sorted(record.looks.items())),
            "distinctions": [list(pair) for pair in record.distinctions] if record.distinctions is not None else None,
            "lean": record.lean,
            "domain": record.domain,
            "role": record.role,
            "level": record.level,
            "rules": list(record.rules),
            "exclusions": list(record.exclusions),
        },
        "exclusion_lines": explain.exclusion_lines(read),
        "matches": [
            {
                "id": m.record.id,
                "score": m.score,
                "parts": [[name, value] for name, value in m.parts.items()],
                "text": m.text,
                "why": explain.why(m, finding.exclusions),
                "score_line": explain.score_line(m),
                "side_line": explain.side_line(m),
                "looks_line": explain.looks_line(m),
                "looks_summary": explain.looks_summary(m) + explain.looks_detail(m),
                "shared_terms": m.shared_terms,
                "shared_rules": m.shared_rules,
                "shared_exclusions": m.shared_exclusions,
            }
            for m in finding.matches
        ],
        "distribution": [
            {"group": g.group, "count": g.count, "weighted": g.weighted, "scores": list(g.scores)}
            for g in finding.distribution
        ],
        "vote": finding.vote,
        "strength": explain.strength(finding),
        "notes": explain.honesty_notes(finding, has_text),
        "different": explain.different_line(finding.nearest_different) if finding.nearest_different else None,
        "candidates": finding.candidates,
    }


def write_corpus(site: Path, name: str, cases: list[Case], edition: str) -> list[dict[str, Any]]:
    """The finder data of ``cases`` under ``site/name``, and every query's expected result on it."""
    for path, content in finder_data(cases, edition).items():
        target = site / name / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    precedents = Precedents(edition_records(cases, edition))
    return [
        {"name": label, "description": query, "expected": python_result(precedents, query)}
        for label, query in queries()
    ]


def write_golden(out: Path, corpora: dict[str, tuple[list[Case], str]]) -> Path:
    """``out/site`` (the page scripts and each corpus's data) and ``out/golden.json``; returns the golden file."""
    site = out / "site"
    scripts = site / "assets" / "javascripts"
    scripts.mkdir(parents=True, exist_ok=True)
    for script in ("casebook-finder.js", "casebook-finder-words.js"):
        shutil.copy(SCRIPTS / script, scripts / script)
    golden = {
        "k": TOP,
        "corpora": [
            {"dir": name, "queries": write_corpus(site, name, cases, edition)}
            for name, (cases, edition) in corpora.items()
        ],
    }
    path = out / "golden.json"
    path.write_text(json.dumps(golden, ensure_ascii=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="写出类案查找的对照文件（Python 的结果），供 Node 逐项核对")
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    args = parser.parse_args()
    cases = [c.case for c in load_corpus([args.cases]).cases]
    print(write_golden(args.out, {"shipped": (cases, "public")}))


if __name__ == "__main__":
    main()
