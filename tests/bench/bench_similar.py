"""Benchmark of the precedent finder: quality on the real cases, speed on generated corpora.

    .venv/bin/python -m tests.bench.bench_similar            # quality: leave-one-out on cases/, development set
    .venv/bin/python -m tests.bench.bench_similar --holdout  # … and the HOLDOUT paraphrases and transfers (at the end only)
    .venv/bin/python -m tests.bench.bench_similar --speed 1000 10000
    .venv/bin/python -m tests.bench.bench_similar --cases tests/fixtures/site/cases --speed 20 --smoke

Quality: every shipped case in turn is the query against all the others, in
two modes:

* **草稿(draft)** — what a draft case file holds before a decision: facts,
  rules, distinctions with sides, six looks, domain, role (outcome, title,
  key point and other outcome-revealing text hidden);
* **仅案情(facts only)** — the facts as a committee would write them and
  nothing else: kind, looks, sides, domain and role are read from the text.

Reported for the tolerance-type cases (every case but name clearing) and for
all: top-1 of the same kind (a mistake to judge vs an accusation to verify),
top-1 in the same outcome group, and the top-5 vote (the group with the
largest similarity-weighted share) equal to the real group; cases whose
outcome was not published count for the kind only. Beside: always the
corpus's most common group, always the most common group of the case's own
kind (a baseline that is told the kind), and plain BM25F over the facts
(Whoosh). Then the private-gain check: for each description read as falling
on the not-tolerated side, is an accountable precedent in the top 3 (when the
corpus holds one)?

Development set (``tests/quality/finder_development.yaml``, what the cue
lexicon, exclusions and weights were grown on): what is read from each
description (kind, domain, six looks, sides, circumstances that cannot be
tolerated), the author's similar cases among the top 5, and the top-5 vote
against the author's outcome group beside three constant answers (the
corpus's commonest group, the set's commonest, the commonest once the kind
is known). HOLDOUT (``--holdout``, the paraphrases and transfers written
apart, read by nothing else): the rank of the retold case (top-1, top-3,
MRR); for a structure moved to another field, the source among the top 5
and the vote.

Speed: index build from scratch, ``similar`` latency (warm, median and 95th
percentile over 200 queries, facts only), the command's cold start and a
100,000-character description. Run by hand; never a timed unit test.
``--smoke`` times the cold start once (after the run that writes the
bytecode): with a tiny corpus it proves that every step still runs
(tests/test_bench_smoke.py), its figures mean nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = ("本方法", "仅文本(同一模型)", "BM25F 全文(Whoosh)", "总是全库多数结果", "总是同类型多数结果")


def _majority(values: list[str]) -> str | None:
    counts = Counter(values)
    return max(counts, key=lambda o: (counts[o], -values.index(o))) if counts else None


def quality(cases_dir: Path) -> None:
    from whoosh.query import Or, Term

    from casebook.schema import load_corpus
    from casebook.schema import vocabulary as vocab
    from casebook.search.finder import Description, query_of
    from casebook.search.index import open_index
    from casebook.search.records import kind_of_outcome
    from casebook.search.similar import TEXT_ONLY, WEIGHTS
    from casebook.search.tokenize import terms

    cases = [c.case for c in load_corpus([cases_dir]).cases if c.case.publication.status.state == "current"]
    group = {c.id: vocab.outcome_group(c.outcome.result) for c in cases}
    kind = {c.id: kind_of_outcome(c.outcome.result) for c in cases}
    with tempfile.TemporaryDirectory() as cache:
        index, _ = open_index(cases_dir, Path(cache))
        precedents = index.precedents
        for mode in ("草稿", "仅案情"):
            table: dict[str, dict[str, Counter[str]]] = {r: {"tol": Counter(), "all": Counter()} for r in ROWS}
            private = Counter()
            for case in cases:
                description = Description(text=case.facts)
                query = query_of(case, Description()) if mode == "草稿" else query_of(None, description)
                record = query.against(precedents)
                others = [c for c in cases if c.id != case.id]
                found = {}
                for name, weights in (("本方法", WEIGHTS), ("仅文本(同一模型)", TEXT_ONLY)):
                    finding = precedents.similar(record, 5, include_internal=True, weights=weights, exclude=[case.id])
                    found[name] = ([m.record.id for m in finding.matches], finding.vote)
                    if name == "本方法" and record.lean == "not_tolerated":
                        has = any(group[c.id] == "accountable" for c in others)
                        private["queries"] += 1
                        private["possible"] += has
                        private["hit"] += has and any(group[i] == "accountable" for i in found[name][0][:3])
                words = Counter(terms(case.facts))
                with index.whoosh.searcher() as searcher:
                    hits = searcher.search(Or([Term("facts", w) for w in words]), limit=None)
                    # Withdrawn cases are no precedents, for the baseline as for the method.
                    ids = [h["id"] for h in hits if h["id"] != case.id and h["id"] in group][:5]
                found["BM25F 全文(Whoosh)"] = (ids, _majority([group[i] for i in ids if group[i] != "unknown"]))
                common = _majority([group[c.id] for c in others if group[c.id] != "unknown"])
                same_kind = _majority(
                    [group[c.id] for c in others if kind[c.id] == kind[case.id] and group[c.id] != "unknown"]
                )
                for scope in ("tol", "all"):
                    if scope == "tol" and kind[case.id] != "mistake":
                        continue
                    for name, (ids, voted) in found.items():
                        _score(table[name][scope], case.id, ids, voted, group, kind)
                    for name, guess in (("总是全库多数结果", common), ("总是同类型多数结果", same_kind)):
                        row = table[name][scope]
                        row["n"] += 1
                        if group[case.id] != "unknown":
                            row["known"] += 1
                            row["group1"] += guess == group[case.id]
                            row["vote"] += guess == group[case.id]
            _print(mode, table, private, cases, kind)


def _score(row: Counter[str], case_id: str, ids: list[str], voted: str | None, group, kind) -> None:  # type: ignore[no-untyped-def]
    row["n"] += 1
    row["kind1"] += bool(ids) and kind[ids[0]] == kind[case_id]
    if group[case_id] != "unknown":
        row["known"] += 1
        row["group1"] += bool(ids) and group[ids[0]] == group[case_id]
        row["vote"] += voted == group[case_id]


def _print(mode, table, private, cases, kind) -> None:  # type: ignore[no-untyped-def]
    tolerance = sum(1 for c in cases if kind[c.id] == "mistake")
    print(f"\n模式:{mode}(留一法,{len(cases)} 个案例,其中容错类 {tolerance} 个)")
    print(
        "| 方法 | 容错类 首位同类型 | 容错类 首位同结果组 | 容错类 前5投票 | 全部 首位同类型 | 全部 首位同结果组 | 全部 前5投票 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, scopes in table.items():
        cells = []
        for scope in ("tol", "all"):
            row = scopes[scope]
            kind1 = "—" if name.startswith("总是") else f"{row['kind1'] / row['n']:.0%}"
            known = row["known"] or 1
            cells += [kind1, f"{row['group1'] / known:.0%}", f"{row['vote'] / known:.0%}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    known = table["本方法"]["tol"]["known"]
    print(f"(结果组与投票只计处理结果已公布的案例:容错类 {known} 个,全部 {table['本方法']['all']['known']} 个)")
    print(
        f"读作不可容错一侧的描述 {private['queries']} 个,其中库中另有问责先例的 {private['possible']} 个,"
        f"前 3 名含问责先例的 {private['hit']} 个"
    )


def speed(n: int, cold_runs: int = 3) -> None:
    from casebook.schema import load_corpus
    from casebook.search.finder import Description, query_of
    from casebook.search.index import open_index
    from casebook.search.query import search
    from tests.bench.corpus import write_corpus

    with tempfile.TemporaryDirectory() as folder:
        cases_dir, cache = Path(folder) / "cases", Path(folder) / "cache"
        write_corpus(n, cases_dir)
        started = time.perf_counter()
        index, report = open_index(cases_dir, cache)
        built = time.perf_counter() - started
        started = time.perf_counter()
        index, _ = open_index(cases_dir, cache)
        index.precedents  # noqa: B018 - load the finder's model
        reopened = time.perf_counter() - started
        texts = [c.case.facts for c in load_corpus([cases_dir]).cases[:200]]
        similar_times = []
        for text in texts:  # facts only: read, cut into the model's terms, scored (what the command does)
            started = time.perf_counter()
            query = query_of(None, Description(text=text))
            index.precedents.similar(query.against(index.precedents), 10)
            similar_times.append(time.perf_counter() - started)
        search_times = []
        for words in ["人防", "容缺办理", "澄清正名 诬告", "村集体资金", "工程款 拨付", "招投标"] * 34:
            started = time.perf_counter()
            search(index, words, {}, limit=10)
            search_times.append(time.perf_counter() - started)
        cold = []
        casebook = str(Path(sys.executable).with_name("casebook"))
        # As a user's install runs: bytecode cached (the first run writes it and is not counted).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for run in range(cold_runs + 1):
            started = time.perf_counter()
            subprocess.run(
                [casebook, "similar", "--text", "村干部违规出借集体资金", "--factor", "motive=favourable",
                 "--cases", str(cases_dir), "--cache", str(cache)],
                check=True, capture_output=True, env=env,
            )  # fmt: skip
            if run:
                cold.append(time.perf_counter() - started)
        long_text = ("村支书未经集体研究,从村集体资金中借款给承包户,本人没有获利。" * 3500)[:100_000]
        started = time.perf_counter()
        measured = subprocess.run(
            [sys.executable, "-c", _LONG_RUN, casebook, str(cases_dir), str(cache)],
            input=long_text, check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        long_seconds = time.perf_counter() - started
        long_memory = int(measured.stdout.split()[-1]) / 1024
        size = sum(p.stat().st_size for p in (cache / "index").rglob("*") if p.is_file())
        shutil.rmtree(cache)

    def stats(times: list[float]) -> str:
        ordered = sorted(times)
        return f"{statistics.median(ordered) * 1000:.0f} / {ordered[int(len(ordered) * 0.95) - 1] * 1000:.0f} ms"

    print(f"\n合成 {n} 个案例({report.added} 个入索引):")
    print(f"  建索引(从零):{built:.1f} 秒;索引大小 {size / 2**20:.1f} MiB;打开并确认最新:{reopened:.2f} 秒")
    print(f"  similar 中位数 / 95%:{stats(similar_times)}(热)")
    print(f"  search  中位数 / 95%:{stats(search_times)}(热)")
    print(f"  casebook similar 冷启动:{statistics.median(cold):.2f} 秒({cold_runs} 次中位数)")
    print(f"  100,000 字的描述:{long_seconds:.2f} 秒,峰值内存 {long_memory:.0f} MiB")


# Runs `casebook similar --text -` (the text on stdin: one argument may not exceed 128 KiB) in a child and prints its peak memory (KiB): the bound on a long description.
_LONG_RUN = """
import resource, subprocess, sys
text = sys.stdin.read()
subprocess.run([sys.argv[1], "similar", "--text", "-", "--cases", sys.argv[2], "--cache", sys.argv[3]],
               input=text, text=True, check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


DEVELOPMENT = ROOT / "tests" / "quality" / "finder_development.yaml"


def _rows(path: Path) -> list[dict]:
    import yaml

    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["rows"])


def development(cases_dir: Path, path: Path = DEVELOPMENT) -> None:
    """The development set: what is read from each description, and where its precedents point.

    Reading: kind, domain, each six-looks factor the author judged, each side, the exclusion.
    Ranking: the author's similar cases among the top 5 and the rank of the first.
    Outcome: the top-5 vote against the author's outcome group, beside three constant answers.
    """
    from casebook.schema import load_corpus
    from casebook.schema import vocabulary as vocab
    from casebook.search.finder import Description, read_query
    from casebook.search.index import open_index

    rows = _rows(path)
    cases = [c.case for c in load_corpus([cases_dir]).cases if c.case.publication.status.state == "current"]
    groups = [vocab.outcome_group(c.outcome.result) for c in cases]
    corpus_majority = _majority([g for g in groups if g != "unknown"])
    expected = [r["expected"]["outcome_group"] for r in rows]
    set_majority = _majority([g for g in expected if g != "unknown"])
    read = Counter()
    with tempfile.TemporaryDirectory() as cache:
        index, _ = open_index(cases_dir, Path(cache))
        precedents = index.precedents
        for row in rows:
            want = row["expected"]
            query = read_query(Description(text=row["text"]))
            record = query.record
            read["kind"] += record.kind == want["kind"]
            read["domain"] += record.domain == want["domain"]
            for factor, value in want.get("factors", {}).items():
                read["looks"] += record.looks.get(factor) == value
                read["looks_n"] += 1
            sides = dict(record.distinctions or ())
            for pair in want.get("distinctions") or []:
                read["sides"] += sides.get(pair["distinction"]) == pair["side"]
                read["sides_n"] += 1
            circumstances = getattr(query.record, "exclusions", None)
            if circumstances is not None:
                found = set(circumstances)
                if want.get("exclusion"):
                    read["excl_pos"] += 1
                    read["excl_hit"] += bool(found)
                else:
                    read["excl_neg"] += 1
                    read["excl_false"] += bool(found)
            finding = precedents.similar(query.against(precedents), 10)
            ids = [m.record.id for m in finding.matches]
            similar = set(row.get("similar_to") or [])
            if similar:
                read["sim_rows"] += 1
                read["sim_top5"] += bool(similar & set(ids[:5]))
                read["sim_recall"] += len(similar & set(ids[:5])) / min(5, len(similar))
                rank = next((n for n, i in enumerate(ids, 1) if i in similar), None)
                read["sim_mrr"] += 1 / rank if rank else 0
            group = want["outcome_group"]
            if group == "unknown":
                continue
            five = precedents.similar(query.against(precedents), 5)
            read["known"] += 1
            read["vote"] += five.vote == group
            read["corpus_majority"] += corpus_majority == group
            read["set_majority"] += set_majority == group
            kind_majority = "cleared" if want["kind"] == "accusation" else set_majority
            read["kind_majority"] += kind_majority == group
            read[f"vote_{group}"] += five.vote == group
            read[f"n_{group}"] += 1
    n = len(rows)
    print(f"\n开发集(tests/quality/finder_development.yaml,{n} 条描述;在 {len(cases)} 个现行案例中检索)")
    print(
        f"读出:案件类型 {read['kind'] / n:.0%};工作领域 {read['domain'] / n:.0%};"
        f"六看 {read['looks'] / max(1, read['looks_n']):.0%}({read['looks_n']} 项);"
        f"区分侧别 {read['sides'] / max(1, read['sides_n']):.0%}({read['sides_n']} 项)"
    )
    if read["excl_pos"] or read["excl_neg"]:
        print(
            f"不予容错情形:应读出 {read['excl_pos']} 条,读出 {read['excl_hit']} 条;"
            f"不应读出 {read['excl_neg']} 条,误读 {read['excl_false']} 条"
        )
    rows_sim = max(1, read["sim_rows"])
    print(
        f"作者所列相似案例:前 5 名含其一 {read['sim_top5'] / rows_sim:.0%};前 5 名召回 {read['sim_recall'] / rows_sim:.0%};"
        f"MRR {read['sim_mrr'] / rows_sim:.2f}({read['sim_rows']} 条)"
    )
    known = max(1, read["known"])
    per_group = ",".join(
        f"{vocab.label('outcome_groups', g)} {read[f'vote_{g}']}/{read[f'n_{g}']}"
        for g in ("tolerated", "accountable", "cleared")
    )
    print(f"结果组(前 5 投票,{read['known']} 条结果已知):本方法 {read['vote'] / known:.0%}({per_group})")
    print(
        f"  对照:总是本库多数结果({vocab.label('outcome_groups', corpus_majority)}) {read['corpus_majority'] / known:.0%};"
        f"总是开发集多数结果({vocab.label('outcome_groups', set_majority)}) {read['set_majority'] / known:.0%};"
        f"告知类型后的多数结果 {read['kind_majority'] / known:.0%}"
    )


HOLDOUT = {
    "paraphrases": ROOT / "tests" / "quality" / "finder_paraphrases.yaml",
    "transfers": ROOT / "tests" / "quality" / "finder_transfers.yaml",
}


def holdout(cases_dir: Path) -> None:
    """The HOLDOUT sets (read only here, and only when asked): retold cases and the same structure in another field.

    Paraphrases: the rank of the source case among all the shipped cases (top-1, top-3, MRR).
    Transfers: the source case among the top 5, the top-5 vote against the source's outcome group,
    and the domain read against the new field's.
    """
    from casebook.search.finder import Description, read_query
    from casebook.search.index import open_index

    with tempfile.TemporaryDirectory() as cache:
        index, _ = open_index(cases_dir, Path(cache))
        precedents = index.precedents
        rows = _rows(HOLDOUT["paraphrases"])
        ranks = []
        for row in rows:
            query = read_query(Description(text=row["text"])).against(precedents)
            ids = [m.record.id for m in precedents.similar(query, len(precedents.records)).matches]
            ranks.append(ids.index(row["source"]) + 1 if row["source"] in ids else None)
        n = len(ranks)
        top1 = sum(1 for r in ranks if r == 1)
        top3 = sum(1 for r in ranks if r and r <= 3)
        mrr = sum(1 / r for r in ranks if r) / n
        print(
            f"\n复述(HOLDOUT,{n} 条,在 {len(precedents.records)} 个案例中找原案):"
            f"首位 {top1 / n:.0%}({top1}/{n});前 3 {top3 / n:.0%}({top3}/{n});MRR {mrr:.2f}"
        )
        misses = [(row["id"], row["source"], r) for row, r in zip(rows, ranks, strict=True) if r != 1]
        print("  未排第一:" + ("、".join(f"{i}→{s} 第 {r} 位" for i, s, r in misses) or "无"))
        rows = _rows(HOLDOUT["transfers"])
        found = Counter()
        for row in rows:
            query = read_query(Description(text=row["text"]))
            finding = precedents.similar(query.against(precedents), 5)
            found["top5"] += row["source"] in [m.record.id for m in finding.matches]
            found["domain"] += query.record.domain == row["expected"]["domain"]
            group = row["expected"]["outcome_group"]
            if group != "unknown":
                found["known"] += 1
                found["vote"] += finding.vote == group
        n = len(rows)
        print(
            f"移植(HOLDOUT,{n} 条):前 5 含原案 {found['top5'] / n:.0%}({found['top5']}/{n});"
            f"结果组投票 {found['vote'] / max(1, found['known']):.0%}({found['vote']}/{found['known']},结果已知);"
            f"读出新领域 {found['domain'] / n:.0%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="类案检索质量与速度测试")
    parser.add_argument("--speed", nargs="*", type=int, default=None, help="合成语料规模，如 1000 10000")
    parser.add_argument("--cases", type=Path, default=ROOT / "cases")
    parser.add_argument("--holdout", action="store_true", help="也在 HOLDOUT 集(复述与移植)上测量：只在最后测量时使用")
    parser.add_argument("--smoke", action="store_true", help="冒烟运行：冷启动只测一次（只检查每一步都能运行）")
    args = parser.parse_args()
    quality(args.cases)
    development(args.cases)
    if args.holdout:
        holdout(args.cases)
    for n in args.speed or []:
        speed(n, 1 if args.smoke else 3)


if __name__ == "__main__":
    main()
