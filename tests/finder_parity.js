/* Node check of the 类案查找 page's finder against Python's golden file (no browser).
 *
 *   node tests/finder_parity.js <site-root> <golden.json>
 *
 * <site-root> holds assets/javascripts/ (the page scripts) and finder-data/ (as the build writes them);
 * the golden file, written by tests/finder_golden.py, holds for every query what `casebook similar`
 * reads, ranks and says. The page's own scripts run here unchanged: window is the global object and
 * casebook-data.js's loader is replaced by one that reads the data files from disk. Every value is
 * compared with exact equality (numbers as the very same doubles, strings as the very same text);
 * the first differences are printed, and the exit status is 1 when there is any.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [root, goldenPath] = process.argv.slice(2);
const started = process.hrtime.bigint();

globalThis.window = globalThis;
class LoadError extends Error {
  constructor(file, reason) { super(file + ": " + reason); this.file = file; this.reason = reason; }
}
globalThis.CasebookData = {
  LoadError,
  channel(callback, dir) {
    // One registry per site root: a page holds one corpus, this check several.
    const registry = new Map();
    let reading = null;
    globalThis[callback] = (name, data) => registry.set(reading + "\u0000" + name, data);
    return {
      loader: (base) => (name) => {
        const key = base + "\u0000" + name;
        if (!registry.has(key)) {
          reading = base;
          vm.runInThisContext(fs.readFileSync(path.join(base, dir, name + ".js"), "utf8"));
        }
        if (!registry.has(key)) return Promise.reject(new LoadError(dir + name + ".js", "文件内容不完整"));
        return Promise.resolve(registry.get(key));
      },
    };
  },
};
for (const script of ["casebook-finder.js", "casebook-finder-words.js"]) {
  vm.runInThisContext(fs.readFileSync(path.join(root, "assets", "javascripts", script), "utf8"), { filename: script });
}

/* What the page finds and says for one query, in the golden file's shape (tests/finder_golden.py). */
function result(finder, words, description, k) {
  const query = finder.queryOf(description);
  return finder.similar(query, k).then((finding) => {
    const record = query.record;
    const hasText = !!query.text.trim();
    return {
      read: words.readFacets(query).map((r) => ({ facet: r.facet, label: r.label, value: r.value, phrases: r.phrases })),
      record: {
        kind: record.kind,
        looks: Object.fromEntries(Object.keys(record.looks).sort().map((f) => [f, record.looks[f]])),
        distinctions: record.distinctions,
        lean: record.lean,
        domain: record.domain,
        role: record.role,
        level: record.level,
        rules: record.rules,
        exclusions: record.exclusions,
      },
      exclusion_lines: words.exclusionLines(query),
      matches: finding.matches.map((m) => explained(words, m, finding)),
      distribution: finding.distribution.map((g) => ({ group: g.group, count: g.count, weighted: g.weighted, scores: g.scores })),
      vote: finding.vote,
      strength: words.strength(finding),
      notes: words.honestyNotes(finding, hasText),
      different: finding.nearest ? words.differentLine(finding.nearest) : null,
      candidates: finding.candidates,
    };
  });
}

function explained(words, m, finding) {
  return {
    id: m.record.id,
    score: m.score,
    parts: Array.from(m.parts.entries()),
    text: m.text,
    why: words.why(m, finding.exclusions),
    score_line: words.scoreLine(m),
    side_line: words.sideLine(m),
    looks_line: words.looksLine(m),
    looks_summary: words.looksSummary(m) + words.looksDetail(m),
    shared_terms: m.sharedTerms,
    shared_rules: m.sharedRules,
    shared_exclusions: m.sharedExclusions,
  };
}

/* The first place two values differ (exact equality; -0 and 0 told apart as Python's repr does). */
function difference(expected, actual, where) {
  if (typeof expected === "number" && typeof actual === "number") {
    return Object.is(expected, actual) || (expected === 0 && actual === 0) ? null : `${where}: ${expected} ≠ ${actual}`;
  }
  if (expected === null || actual === null || typeof expected !== "object" || typeof actual !== "object") {
    return expected === actual ? null : `${where}: ${JSON.stringify(expected)} ≠ ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${where}: ${JSON.stringify(expected)} ≠ ${JSON.stringify(actual)}`;
  const keys = Array.from(new Set(Object.keys(expected).concat(Object.keys(actual))));
  if (Array.isArray(expected) && expected.length !== actual.length) {
    return `${where}: ${expected.length} items ≠ ${actual.length}: ${JSON.stringify(expected).slice(0, 300)} ≠ ${JSON.stringify(actual).slice(0, 300)}`;
  }
  for (const key of keys) {
    const found = difference(expected[key], actual[key], `${where}.${key}`);
    if (found) return found;
  }
  return null;
}

async function main() {
  const golden = JSON.parse(fs.readFileSync(goldenPath, "utf8"));
  let checked = 0;
  const failures = [];
  for (const corpus of golden.corpora) {
    const finder = await CasebookFinder.open(path.join(root, corpus.dir) + path.sep);
    const words = CasebookFinderWords.of(finder);
    for (const entry of corpus.queries) {
      let found;
      try {
        found = difference(entry.expected, await result(finder, words, entry.description, golden.k), `${corpus.dir} ${entry.name}`);
      } catch (error) {
        found = `${corpus.dir} ${entry.name}: ${error && error.stack}`;
      }
      checked++;
      if (found) failures.push(found);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`parity: ${checked} queries, ${failures.length} different, ${seconds.toFixed(2)} s in Node`);
  failures.slice(0, 10).forEach((f) => console.log("  " + f));
  process.exit(failures.length ? 1 : 0);
}

main().catch((error) => { console.error(error); process.exit(2); });
