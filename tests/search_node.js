/* casebook-search.js in Node, over a folder of search data (no browser): the fast check of the page script.
 *
 *   node tests/search_node.js <site root> <casebook-search.js> < queries.json
 *
 * Reads a JSON list of queries on stdin and prints, per query, what the page would draw from it:
 * the typed words, the cases in order with their tiers and how they hold each word, the notes and
 * the tier summary, and the section and hits of the snippet of each case on the first page.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [root, script] = process.argv.slice(2);
global.window = global;
const registry = new Map();

function LoadError(file, reason) {
  this.file = file;
  this.reason = reason;
  this.message = file + ": " + reason;
}

global.CasebookData = {
  LoadError: LoadError,
  channel(callback, dir) {
    global[callback] = (name, data) => registry.set(name, data);
    return {
      get: (name) => registry.get(name),
      loader: () => (name) => {
        if (!registry.has(name)) {
          const file = path.join(root, dir, name + ".js");
          if (!fs.existsSync(file)) return Promise.reject(new LoadError(dir + name + ".js", "文件缺失或无法读取"));
          vm.runInThisContext(fs.readFileSync(file, "utf8"));
        }
        return Promise.resolve(registry.get(name));
      },
    };
  },
};
require(path.resolve(script));

async function main() {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const search = window.CasebookSearch;
  const index = await search.open("");
  const out = {};
  for (const q of queries) {
    const found = await index.search({ q: q });
    const docs = await Promise.all(found.hits.map((n) => index.doc(n)));
    out[q] = {
      typed: found.typed,
      hits: found.hits,
      ids: docs.map((d) => d.id),
      tiers: { 1: found.tiers[1] || 0, 2: found.tiers[2] || 0, 3: found.tiers[3] || 0 },
      holdings: found.hits.map((n) => {
        const h = found.holdings.get(n);
        return { ways: h.ways, forms: h.forms, score: h.score, spread: h.spread, tier: h.tier };
      }),
      notes: search.queryNotes(found.typed, found.phrases),
      summary: search.tierSummary(found.typed, found.tiers, false),
      snippets: docs.slice(0, 10).map((d, k) => {
        const passes = search.snippetPasses(found.typed, found.found, found.hits[k]);
        const pick = search.pickSnippet(d.fields, passes, index.terms, index.meta.snippet.fields);
        return pick.section ? [pick.section[1], pick.hits] : null;
      }),
    };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
