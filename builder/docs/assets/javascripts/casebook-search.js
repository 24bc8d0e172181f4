/* casebook: the reader of the site's search index (written by builder/siteindex.py).
 *
 * Plain JavaScript, no library, no build step. The index is a set of small
 * scripts under search-data/ that each call window.__casebookSearch(name, data);
 * casebook-data.js (which the page loads first) loads them by <script> tags, so
 * the site searches from a file copy too. Only what a query needs is loaded:
 * meta.js, the dictionary shards of the query's characters, the postings
 * shards of its terms and the cases shown. A postings list stays a string
 * until its term is looked up, so a shard costs little to load.
 *
 *   const index = await CasebookSearch.open(rootUrl);    // loads search-data/meta.js
 *   const words = await index.segment("人防 容缺");        // [[word, known], ...]
 *   const found = await index.search({q, filters, sort}); // {words, terms, heads, hits, scores, matched, complete, counts, total}
 *   const hits = await index.find({q, filters, sort});    // the same without counts; index.count(found) adds them later
 *   const doc = await index.doc(found.hits[0]);           // title, url, fields (text and word spans)
 *   CasebookSearch.highlights(text, spans, terms, index.terms) // [[start, end], ...] in code points
 *
 * Segmentation is the algorithm of builder/siteindex.segment (the tests hold
 * the two equal): runs of Han characters are split by forward and backward
 * maximum matching over the index's terms (fewer words wins, then fewer
 * single characters, then backward); a run of Latin letters and digits is one
 * lowercased word. Each word then counts with the sub-words jieba's search
 * mode emits inside it (flag GRAM), so the terms are those of `casebook search`.
 * Ranking (as `casebook search`): every case holding a term is found; cases
 * holding all of the query's words (heads) come first, then those holding fewer,
 * each group by score, then newest first. `complete` counts the first group.
 * Every failure (a missing or broken file, a timeout) rejects with a LoadError
 * that names the file.
 */
(function () {
  "use strict";

  var GRAM = 1;
  var STOP = 2;
  var HAN = "\u4e00-\u9fd5"; // jieba's range of Han characters
  var CHUNK = new RegExp("[" + HAN + "]+|[A-Za-z0-9]+(?:\\.[0-9]+)?%?", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]");
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  // Postings are strings of these digits (siteindex.encode_numbers): five bits each, low bits
  // first; a digit of 32 or more says that more follow.
  var NUMBER_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var NUMBER_VALUE = new Int8Array(128).fill(-1);
  for (var digit = 0; digit < NUMBER_DIGITS.length; digit++) NUMBER_VALUE[NUMBER_DIGITS.charCodeAt(digit)] = digit;
  var FORMAT = 2;

  // The data files, loaded by casebook-data.js (each file once, a LoadError naming any that fails).
  var data = CasebookData.channel("__casebookSearch", "search-data/");
  var loader = data.loader;
  var LoadError = CasebookData.LoadError;

  /* --- segmentation (mirrors builder/siteindex.py) --- */

  function forward(run, known, longest) {
    var out = [];
    var i = 0;
    while (i < run.length) {
      var found = false;
      for (var j = Math.min(run.length, i + longest); j > i; j--) {
        if (known.has(run.slice(i, j))) {
          out.push([run.slice(i, j), true]);
          i = j;
          found = true;
          break;
        }
      }
      if (!found) {
        out.push([run[i], false]);
        i += 1;
      }
    }
    return out;
  }

  function backward(run, known, longest) {
    var out = [];
    var j = run.length;
    while (j > 0) {
      var found = false;
      for (var i = Math.max(0, j - longest); i < j; i++) {
        if (known.has(run.slice(i, j))) {
          out.push([run.slice(i, j), true]);
          j = i;
          found = true;
          break;
        }
      }
      if (!found) {
        out.push([run[j - 1], false]);
        j -= 1;
      }
    }
    return out.reverse();
  }

  function cost(words) {
    var singles = 0;
    for (var k = 0; k < words.length; k++) if (words[k][0].length === 1) singles++;
    return [words.length, singles];
  }

  function sameWords(a, b) {
    if (a.length !== b.length) return false;
    for (var k = 0; k < a.length; k++) if (a[k][0] !== b[k][0] || a[k][1] !== b[k][1]) return false;
    return true;
  }

  function chunks(query) {
    return query.match(CHUNK) || [];
  }

  /* The words of a query, given the dictionary as a Map (term -> flags or stem). */
  function segmentWith(query, known, longest) {
    var words = [];
    chunks(query).forEach(function (run) {
      if (!IS_HAN.test(run)) {
        var word = run.toLowerCase();
        words.push([word, known.has(word)]);
        return;
      }
      var f = forward(run, known, longest);
      var b = backward(run, known, longest);
      var cf = cost(f);
      var cb = cost(b);
      var forwardWins = !sameWords(f, b) && (cf[0] < cb[0] || (cf[0] === cb[0] && cf[1] < cb[1]));
      words.push.apply(words, forwardWins ? f : b);
    });
    return words;
  }

  /* The index terms a segmented query looks up (jieba's search mode on the index's words). */
  function queryTerms(words, known) {
    var terms = [];
    words.forEach(function (entry) {
      var word = entry[0];
      if (!entry[1]) return;
      var value = known.get(word);
      if (value === STOP) return;
      if (typeof value === "string") {
        terms.push(value);
        return;
      }
      var grams = [];
      var k;
      if (word.length > 2) for (k = 0; k + 2 <= word.length; k++) grams.push(word.slice(k, k + 2));
      if (word.length > 3) for (k = 0; k + 3 <= word.length; k++) grams.push(word.slice(k, k + 3));
      grams.forEach(function (g) {
        var flags = known.get(g);
        if (typeof flags === "number" && flags & GRAM) terms.push(g);
      });
      terms.push(word);
    });
    return Array.from(new Set(terms));
  }

  /* The query's words as index terms (a Latin word as its stem): a case holding all of them ranks first. */
  function queryHeads(words, known) {
    var heads = [];
    words.forEach(function (entry) {
      if (!entry[1]) return;
      var value = known.get(entry[0]);
      if (value === undefined || value === STOP) return;
      heads.push(typeof value === "string" ? value : entry[0]);
    });
    return Array.from(new Set(heads));
  }

  /* --- highlighting --- */

  function decodeSpans(spans) {
    var words = [];
    var last = 0;
    for (var k = 0; k + 1 < spans.length; k += 2) {
      var start = last + DIGITS.indexOf(spans[k]);
      var end = start + DIGITS.indexOf(spans[k + 1]);
      if (end > start) words.push([start, end]);
      last = end;
    }
    return words;
  }

  /* Where the terms occur as whole words (or as jieba's sub-words) in a field: [[start, end]] in code points. */
  function highlights(text, spans, terms, known) {
    var chars = Array.from(text);
    var wanted = new Set(terms);
    var hits = [];
    decodeSpans(spans).forEach(function (span) {
      var word = chars.slice(span[0], span[1]).join("");
      var lower = word.toLowerCase();
      var stem = known.get(lower);
      if (wanted.has(lower) || (typeof stem === "string" && wanted.has(stem))) {
        hits.push([span[0], span[1]]);
        return;
      }
      terms.forEach(function (term) {
        var flags = known.get(term);
        if (typeof flags !== "number" || !(flags & GRAM) || word.length <= term.length) return;
        for (var at = word.indexOf(term); at >= 0; at = word.indexOf(term, at + 1)) {
          hits.push([span[0] + at, span[0] + at + term.length]);
        }
      });
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    hits.forEach(function (h) {
      var top = merged[merged.length - 1];
      if (top && h[0] < top[1]) top[1] = Math.max(top[1], h[1]);
      else merged.push([h[0], h[1]]);
    });
    return merged;
  }

  /* A field's characters as the page shows them, position for position: a line break joins two
   * Chinese characters with nothing and anything else with a space (schema/text.py's join). */
  function asRead(chars, wide) {
    var isWide = new RegExp("^[" + wide + "]$", "u");
    return chars.map(function (ch, k) {
      if (ch !== "\n") return ch;
      return isWide.test(chars[k - 1] || "") && isWide.test(chars[k + 1] || "") ? "" : " ";
    });
  }

  /* --- the index --- */

  function fnv1a(term) {
    var value = 0x811c9dc5;
    for (var ch of term) {
      value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    }
    return value >>> 0;
  }

  function Index(meta, load) {
    this.meta = meta;
    this.load = load;
    this.terms = new Map();
    this.loadedTermShards = new Set();
    this.facets = meta.facets;
  }

  Index.prototype.termShard = function (ch) {
    return ch.codePointAt(0) % this.meta.shards.terms;
  };

  /* Load the dictionary shards the query's characters need. */
  Index.prototype.prepare = function (query) {
    var self = this;
    var needed = new Set();
    chunks(query).forEach(function (run) {
      var text = IS_HAN.test(run) ? run : run.toLowerCase().slice(0, 1);
      for (var ch of text) needed.add(self.termShard(ch));
    });
    var missing = Array.from(needed).filter(function (k) { return !self.loadedTermShards.has(k); });
    return Promise.all(
      missing.map(function (k) {
        return self.load("t/" + k).then(function (data) {
          Object.keys(data).forEach(function (term) { self.terms.set(term, data[term]); });
          self.loadedTermShards.add(k);
        });
      })
    );
  };

  Index.prototype.segment = function (query) {
    var self = this;
    return this.prepare(query).then(function () {
      return segmentWith(query, self.terms, self.meta.longest);
    });
  };

  /* Add one postings list (case-gap, score, ...) to the scores; count a head's cases in matched. */
  function addPostings(text, scores, matched, head, file) {
    var doc = 0;
    var value = 0;
    var scale = 1;
    var isGap = true;
    for (var k = 0; k < text.length; k++) {
      var digit = NUMBER_VALUE[text.charCodeAt(k)];
      if (!(digit >= 0)) throw new LoadError(file, "文件内容损坏");
      if (digit >= 32) {
        value += (digit - 32) * scale;
        scale *= 32;
        continue;
      }
      value += digit * scale;
      if (isGap) {
        doc += value;
        if (doc >= scores.length) throw new LoadError(file, "文件内容损坏");
      } else {
        scores[doc] += value;
        if (head) matched[doc]++;
      }
      isGap = !isGap;
      value = 0;
      scale = 1;
    }
    if (scale !== 1 || !isGap) throw new LoadError(file, "文件内容损坏");
  }

  /* Scores of the cases holding any of the terms (OR), and how many of the heads each holds. */
  Index.prototype.score = function (terms, heads) {
    var self = this;
    var shards = this.meta.shards.postings;
    var names = Array.from(new Set(terms.map(function (t) { return "p/" + (fnv1a(t) % shards); })));
    return Promise.all(names.map(function (name) { return self.load(name); })).then(function () {
      var scores = new Float64Array(self.meta.count);
      var matched = new Uint8Array(self.meta.count);
      var wanted = new Set(heads || []);
      terms.forEach(function (term) {
        var name = "p/" + (fnv1a(term) % shards);
        var text = data.get(name)[term];
        if (text) addPostings(text, scores, matched, wanted.has(term), "search-data/" + name + ".js");
      });
      return { scores: scores, matched: matched };
    });
  };

  /* Per facet, one flag per value: 1 where the request selects it. */
  function selection(facets, filters) {
    return facets.map(function (f) {
      var chosen = filters[f.name] || [];
      if (!chosen.length) return null;
      var flags = new Uint8Array(f.values.length);
      chosen.forEach(function (position) { flags[position] = 1; });
      return flags;
    });
  }

  function holds(value, flags) {
    if (typeof value === "number") return flags[value] === 1;
    for (var k = 0; k < value.length; k++) if (flags[value[k]] === 1) return true;
    return false;
  }

  /* How many of the selected facets a case fails (0, 1 or 2 for "more"), and the one it fails. */
  function failures(columns, selected, doc, out) {
    var count = 0;
    for (var f = 0; f < columns.length; f++) {
      if (selected[f] && !holds(columns[f][doc], selected[f])) {
        out.failed = f;
        if (++count > 1) break;
      }
    }
    return count;
  }

  /* A key that sorts as the ranking: more heads held, then the higher score, then the lower
   * number (newer). Packed in one float so that a typed array sorts it natively: heads take
   * 8 bits, scores 24 (a higher one is cut, and then ties fall to date), numbers 21. */
  function rankKey(matched, score, doc) {
    var top = 16777215;
    return ((255 - matched) * 16777216 + (top - Math.min(top, Math.round(score)))) * 2097152 + doc;
  }

  /* filters: {facet: [value index, ...]}; values of one facet are alternatives, facets all hold.
   * The hits, ranked, without the facet counts: count() adds them (the page asks for the cases
   * to show in between, so that counting overlaps their loading). */
  Index.prototype.find = function (request) {
    var self = this;
    var q = (request.q || "").trim();
    var sort = request.sort === "date" || !q ? "date" : "relevance";
    var filters = request.filters || {};
    var words = [];
    var terms = [];
    var heads = [];
    var scoring = Promise.resolve(null);
    if (q) {
      scoring = this.segment(q).then(function (w) {
        words = w;
        terms = queryTerms(w, self.terms);
        heads = queryHeads(w, self.terms);
        return self.score(terms, heads);
      });
    }
    return scoring.then(function (scored) {
      var scores = scored && scored.scores;
      var matched = scored && scored.matched;
      var n = self.meta.count;
      var columns = self.facets.map(function (f) { return self.meta.columns[f.name]; });
      var selected = selection(self.facets, filters);
      var failed = { failed: -1 };
      var hits = [];
      for (var doc = 0; doc < n; doc++) {
        if (scores && !(scores[doc] > 0)) continue;
        if (failures(columns, selected, doc, failed) === 0) hits.push(doc);
      }
      if (sort === "relevance" && n > 2097152) {
        hits.sort(function (a, b) { return matched[b] - matched[a] || scores[b] - scores[a] || a - b; });
      } else if (sort === "relevance") {
        var keys = new Float64Array(hits.length);
        for (var h = 0; h < hits.length; h++) keys[h] = rankKey(matched[hits[h]], scores[hits[h]], hits[h]);
        keys.sort();
        for (h = 0; h < hits.length; h++) hits[h] = keys[h] % 2097152;
      }
      var complete = 0;
      if (matched) for (var c = 0; c < hits.length; c++) if (matched[hits[c]] === heads.length) complete++;
      return {
        words: words, terms: terms, heads: heads, hits: hits, scores: scores, matched: matched,
        complete: complete, counts: null, total: hits.length, sort: sort, filters: filters,
      };
    });
  };

  /* Facet counts of a find(): a value counts the cases that hold it and pass every other facet
   * (so that ticking it would find them). Sets found.counts and returns it. */
  Index.prototype.count = function (found) {
    var self = this;
    var scores = found.scores;
    var columns = this.facets.map(function (f) { return self.meta.columns[f.name]; });
    var selected = selection(this.facets, found.filters);
    var rows = this.facets.map(function (f) { return new Array(f.values.length).fill(0); });
    var failed = { failed: -1 };
    for (var doc = 0; doc < this.meta.count; doc++) {
      if (scores && !(scores[doc] > 0)) continue;
      var failing = failures(columns, selected, doc, failed);
      if (failing > 1) continue;
      for (var f = 0; f < columns.length; f++) {
        if (failing === 1 && f !== failed.failed) continue;
        var value = columns[f][doc];
        var row = rows[f];
        if (typeof value === "number") row[value]++;
        else for (var v = 0; v < value.length; v++) row[value[v]]++;
      }
    }
    var counts = {};
    this.facets.forEach(function (f, k) { counts[f.name] = rows[k]; });
    found.counts = counts;
    return counts;
  };

  Index.prototype.search = function (request) {
    var self = this;
    return this.find(request).then(function (found) {
      self.count(found);
      return found;
    });
  };

  Index.prototype.doc = function (number) {
    return this.load("d/" + number);
  };

  function open(root) {
    var load = loader(root, "");
    return load("meta").then(function (meta) {
      if (!meta || meta.format !== FORMAT) throw new LoadError("search-data/meta.js", "格式版本不符");
      return new Index(meta, loader(root, meta.version));
    });
  }

  window.CasebookSearch = {
    open: open,
    segmentWith: segmentWith,
    queryTerms: queryTerms,
    queryHeads: queryHeads,
    highlights: highlights,
    asRead: asRead,
    decodeSpans: decodeSpans,
    fnv1a: fnv1a,
    LoadError: LoadError,
    GRAM: GRAM,
    STOP: STOP,
  };
})();
