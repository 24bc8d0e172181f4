/* casebook: the reader of the site's search index (written by builder/siteindex.py).
 *
 * Plain JavaScript, no library, no build step. The index is a set of small
 * scripts under search-data/ that each call window.__casebookSearch(name, data);
 * casebook-data.js (which the page loads first) loads them by <script> tags, so
 * the site searches from a file copy too. Only what a query needs is loaded:
 * meta.js, the dictionary shards of the query's characters, the postings
 * shards of its terms, the places of the terms whose neighbours matter and the
 * cases shown. A list stays a string until its term is looked up.
 *
 *   const index = await CasebookSearch.open(rootUrl);    // loads search-data/meta.js
 *   const words = await index.segment("人防 容缺");        // [[word, known], ...]
 *   const found = await index.search({q, filters, sort}); // {typed, hits, holdings, tiers, found, scores, counts, total}
 *   const hits = await index.find({q, filters, sort});    // the same without counts; index.count(found) adds them later
 *   const doc = await index.doc(found.hits[0]);           // title, url, fields ([field, label, text, spans])
 *   CasebookSearch.highlights(text, spans, terms, index.terms, phrases) // [[start, end], ...] in code points
 *
 * Segmentation is the algorithm of search/segment.py, and reading the query and
 * ranking the cases that of search/tiers.py (the tests hold each pair equal, in
 * Node and in the browser): typed words (runs of Han characters or of Latin
 * letters and digits), each matched as a word of the index or, when the index
 * does not hold it, as a phrase (its pieces side by side in one sentence), and
 * through the words of its thesaurus ring; tier 1 the cases holding every typed
 * word, tier 2 those holding some only through all their parts in one sentence,
 * tier 3 the rest; then more words held whole, held at all, held as typed,
 * parts nearer together, the higher score, the newer case.
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
  var FORMAT = 3;
  var RUN = new RegExp("[" + HAN + "]+|[A-Za-z0-9]+(?:\\.[0-9]+)?%?", "g");
  // Set from meta.js when an index opens (configure): how a place packs its field, sentence and offset
  // (search/tokenize.py), what a phrase found adds to a score, and the tiers' names (search/tiers.py).
  var OFFSET = 0;
  var FIELD_SPAN = 0;
  var PHRASE_SCORE = 0;
  var TIER_NAMES = {};
  var WHOLE = "whole";
  var EQUIVALENT = "equivalent";
  var PARTS = "parts";

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

  /* A run of Han characters by maximum matching (search/segment.split_run). */
  function splitRun(run, known, longest) {
    var f = forward(run, known, longest);
    var b = backward(run, known, longest);
    var cf = cost(f);
    var cb = cost(b);
    var forwardWins = !sameWords(f, b) && (cf[0] < cb[0] || (cf[0] === cb[0] && cf[1] < cb[1]));
    return forwardWins ? f : b;
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
      words.push.apply(words, splitRun(run, known, longest));
    });
    return words;
  }

  /* --- reading the query (mirrors search/tiers.py) --- */

  function unique(list) {
    return Array.from(new Set(list));
  }

  function makeForm(text, term, pieces, cut, unread, possible) {
    return { text: text, term: term, pieces: pieces, cut: cut, unread: unread, possible: possible };
  }

  /* The form of a run: a word of the index (term) or a phrase of pieces; null for stop words only. */
  function formOf(text, known, longest) {
    if (!IS_HAN.test(text)) {
      var word = text.toLowerCase();
      var flags = known.get(word);
      if (flags === STOP) return null;
      if (flags === undefined) return makeForm(word, null, [], [], [], false);
      return makeForm(word, typeof flags === "string" ? flags : word, [], [], [], true);
    }
    var value = known.get(text);
    if (value === STOP) return null;
    if (value !== undefined) return makeForm(text, text, [], [], [], true);
    var cut = splitRun(text, known, longest).map(function (p) { return p[0]; });
    var stop = cut.map(function (piece) { return known.get(piece) === STOP; });
    if (stop.every(Boolean)) return null;
    var first = stop.indexOf(false);
    var last = stop.length - stop.slice().reverse().indexOf(false);
    var unread = cut.slice(0, first).concat(cut.slice(last));
    var pieces = [];
    var offset = 0;
    for (var k = first; k < last; k++) {
      if (!stop[k]) pieces.push([cut[k], offset]);
      offset += cut[k].length;
    }
    var possible = pieces.every(function (p) { return known.has(p[0]); });
    if (pieces.length === 1 && possible && offset === pieces[0][0].length) {
      return makeForm(text, pieces[0][0], [], cut, unread, true);
    }
    return makeForm(text, null, pieces, cut, unread, possible);
  }

  function covers(word, parts, starts) {
    var covered = new Set();
    parts.forEach(function (part, k) {
      for (var i = starts[k]; i < starts[k] + part.length; i++) covered.add(i);
    });
    return covered.size === word.length;
  }

  /* [parts, partial] of a typed word (search/tiers._parts). */
  function partsOf(form, known) {
    var terms;
    if (form.term !== null && !form.cut.length) {
      var word = form.term;
      if (!IS_HAN.test(word) || word.length <= 2) return [[], []];
      var windows = [];
      var i;
      for (i = 0; i + 2 <= word.length; i++) windows.push([i, word.slice(i, i + 2)]);
      if (word.length > 3) for (i = 0; i + 3 <= word.length; i++) windows.push([i, word.slice(i, i + 3)]);
      var grams = windows.filter(function (w) {
        var flags = known.get(w[1]);
        return typeof flags === "number" && (flags & GRAM);
      });
      terms = unique(grams.map(function (g) { return g[1]; }));
      var covered = covers(word, grams.map(function (g) { return g[1]; }), grams.map(function (g) { return g[0]; }));
      return [covered ? terms : [], terms];
    }
    if (form.term !== null) return [[], []];
    terms = unique(form.pieces.filter(function (p) { return p[0].length >= 2; }).map(function (p) { return p[0]; }));
    var whole = form.possible && form.pieces.every(function (p) { return p[0].length >= 2; });
    return [whole ? terms : [], terms];
  }

  /* The typed words of a query; rings maps a word to its thesaurus ring. */
  function typedWords(query, known, rings, longest) {
    var runs = query.match(RUN) || [];
    return runs.map(function (run) {
      if (run.length === 1 && IS_HAN.test(run) && runs.length > 1) {
        return { text: run, kind: "single", forms: [], parts: [], partial: [] };
      }
      var form = formOf(run, known, longest);
      if (!form) return { text: run, kind: "stop", forms: [], parts: [], partial: [] };
      var equivalents = (rings.get(form.text) || [])
        .filter(function (e) { return e !== form.text; })
        .map(function (e) { return formOf(e, known, longest); })
        .filter(Boolean);
      var split = partsOf(form, known);
      return { text: form.text, kind: "word", forms: [form].concat(equivalents), parts: split[0], partial: split[1] };
    });
  }

  function counted(words) {
    return words.filter(function (w) { return w.kind === "word"; });
  }

  function scoringTerms(words) {
    var terms = [];
    counted(words).forEach(function (w) {
      w.forms.forEach(function (f) { if (f.term !== null) terms.push(f.term); });
      terms.push.apply(terms, w.partial);
    });
    return unique(terms);
  }

  function phraseForms(words) {
    var byText = new Map();
    counted(words).forEach(function (w) {
      w.forms.forEach(function (f) {
        if (f.term === null && f.possible && f.pieces.length && !byText.has(f.text)) byText.set(f.text, f);
      });
    });
    return Array.from(byText.values());
  }

  function placedTerms(words) {
    var terms = [];
    phraseForms(words).forEach(function (f) { f.pieces.forEach(function (p) { terms.push(p[0]); }); });
    counted(words).forEach(function (w) { if (w.parts.length > 1) terms.push.apply(terms, w.parts); });
    return unique(terms);
  }

  /* Per case, how often a phrase occurs: its pieces side by side, in order, in one sentence. */
  function phraseCounts(form, places) {
    var lists = form.pieces.map(function (p) { return [places(p[0]), p[1]]; });
    var first = lists[0][0];
    var firstOffset = lists[0][1];
    var lastOffset = form.pieces[form.pieces.length - 1][1];
    var counts = new Map();
    first.forEach(function (positions, doc) {
      var others = [];
      for (var k = 1; k < lists.length; k++) {
        var where = lists[k][0].get(doc);
        if (!where) return;
        others.push([new Set(where), lists[k][1]]);
      }
      var n = 0;
      positions.forEach(function (position) {
        var start = position - firstOffset;
        if ((position & OFFSET) < firstOffset || (start & OFFSET) + lastOffset > OFFSET) return;
        if (others.every(function (o) { return o[0].has(start + o[1]); })) n++;
      });
      if (n) counts.set(doc, n);
    });
    return counts;
  }

  function findPhrases(words, places) {
    var found = new Map();
    phraseForms(words).forEach(function (f) { found.set(f.text, phraseCounts(f, places)); });
    return found;
  }

  /* The narrowest stretch of one sentence holding every part, or null. */
  function spread(parts, doc, places) {
    var lists = parts.map(function (part) { return places(part).get(doc); });
    if (!lists.every(function (l) { return l && l.length; })) return null;
    var bySentence = new Map();
    lists.forEach(function (positions, k) {
      positions.forEach(function (position) {
        var sentence = Math.floor(position / (OFFSET + 1));
        if (!bySentence.has(sentence)) bySentence.set(sentence, []);
        bySentence.get(sentence).push([position & OFFSET, k]);
      });
    });
    var best = null;
    Array.from(bySentence.keys()).sort(function (a, b) { return a - b; }).forEach(function (sentence) {
      var entries = bySentence.get(sentence).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var inside = new Map();
      var left = 0;
      entries.forEach(function (entry) {
        inside.set(entry[1], (inside.get(entry[1]) || 0) + 1);
        while (inside.size === parts.length) {
          var stretch = entry[0] - entries[left][0];
          if (best === null || stretch < best) best = stretch;
          var gone = entries[left][1];
          inside.set(gone, inside.get(gone) - 1);
          if (!inside.get(gone)) inside.delete(gone);
          left++;
        }
      });
    });
    return best;
  }

  function throughParts(word, doc, holds, places) {
    if (word.parts.length === 1) return holds(word.parts[0]) ? 0 : null;
    return word.parts.length ? spread(word.parts, doc, places) : null;
  }

  /* How a case holds the counted words (search/tiers.holding): score(term) is its score for a term (0: not
   * held); the case's score is each word's best form plus the words' partial terms. */
  function holding(words, doc, score, found, places) {
    var holds = function (term) { return score(term) > 0; };
    var words_ = counted(words);
    var ways = [];
    var forms = [];
    var stretch = 0;
    var total = 0;
    words_.forEach(function (word) {
      var way = null;
      var formFound = null;
      var best = 0;
      word.forms.forEach(function (form, n) {
        var value = form.term !== null ? score(form.term)
          : PHRASE_SCORE * ((found.get(form.text) || new Map()).get(doc) || 0);
        if (value > 0 && way === null) {
          way = n === 0 ? WHOLE : EQUIVALENT;
          formFound = form.text;
        }
        best = Math.max(best, value);
      });
      if (way === null) {
        var gap = throughParts(word, doc, holds, places);
        if (gap !== null) {
          way = PARTS;
          stretch += gap;
        }
      }
      ways.push(way);
      forms.push(formFound);
      total += best;
    });
    var asForms = new Set();
    words_.forEach(function (w) { w.forms.forEach(function (f) { asForms.add(f.term); }); });
    var partial = [];
    words_.forEach(function (w) { partial.push.apply(partial, w.partial); });
    unique(partial).forEach(function (t) { if (!asForms.has(t)) total += score(t); });
    var whole = ways.filter(function (w) { return w === WHOLE || w === EQUIVALENT; }).length;
    var heldCount = ways.filter(function (w) { return w !== null; }).length;
    var asTyped = ways.filter(function (w) { return w === WHOLE; }).length;
    var tier = whole === ways.length ? 1 : heldCount === ways.length ? 2 : 3;
    return {
      ways: ways, forms: forms, spread: stretch, score: total,
      whole: whole, held: heldCount, asTyped: asTyped, tier: tier,
    };
  }

  /* Sorts as the ranking does: tier, words whole, held, as typed, parts nearer, score, then newer (doc). */
  function compareHoldings(a, b, docA, docB) {
    return a.tier - b.tier || b.whole - a.whole || b.held - a.held || b.asTyped - a.asTyped ||
      a.spread - b.spread || b.score - a.score || docA - docB;
  }

  function quoted(words) {
    return words.map(function (w) { return "“" + w + "”"; }).join("");
  }

  /* What the reader is told about how the query was read (search/tiers.query_notes). */
  function queryNotes(words, found) {
    var notes = [];
    words.forEach(function (word) {
      if (word.kind === "single") {
        notes.push("单字“" + word.text + "”与其他词一起输入时不单独检索。");
        return;
      }
      if (word.kind !== "word") return;
      var form = word.forms[0];
      if (form.term === null && form.cut.length > 1) {
        var note = "“" + form.text + "”未收录为词语，已按" + quoted(form.cut) + "相邻查找";
        notes.push(note + (found[form.text] ? "。" : "，没有案例含“" + form.text + "”。"));
      } else if (form.term === null) {
        notes.push("“" + form.text + "”未出现在任何案例中。");
      }
      if (form.unread.length) notes.push("“" + form.text + "”中的" + quoted(form.unread) + "是虚词，未参与检索。");
      if (word.forms.length > 1) {
        var others = word.forms.slice(1).map(function (f) { return f.text; }).join("、");
        notes.push("按同义词一并查找：" + form.text + " ≈ " + others + "。");
      }
    });
    return notes;
  }

  /* How the cases found fall into tiers, in one sentence (search/tiers.tier_summary). */
  function tierSummary(words, tiers, byDate) {
    var words_ = counted(words);
    var first = tiers[1] || 0;
    var second = tiers[2] || 0;
    var third = tiers[3] || 0;
    if (!(second || third)) return words_.length > 1 && first ? "每个案例都含全部检索词。" : "";
    var partsOf_ = words_.filter(function (w) { return w.parts.length > 1; })
      .map(function (w) { return quoted(w.parts) + "同在一句"; }).join("；");
    var lead = "没有案例同时含全部检索词";
    if (first) lead = "其中 " + first + " 个案例含全部检索词" + (byDate ? "" : "，排在前面");
    var rest = [];
    if (second) rest.push(second + " 个只含检索词的组成部分" + (partsOf_ ? "（" + partsOf_ + "）" : ""));
    if (third) rest.push(third + " 个只含部分检索词");
    return lead + "；" + rest.join("，") + "。";
  }

  /* What a case's snippet marks, tried in turn (search/tiers.snippet_passes). */
  function snippetPasses(words, found, doc) {
    var words_ = counted(words);
    var whole = [];
    var held = [];
    var partial = [];
    words_.forEach(function (w) {
      w.forms.forEach(function (f) {
        if (f.term !== null) whole.push(f.term);
        else if ((found.get(f.text) || new Map()).get(doc)) held.push(f.text);
      });
      partial.push.apply(partial, w.partial);
    });
    return [[unique(whole), unique(held)], [unique(partial), []]];
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

  /* Where the terms occur as whole words (or as jieba's sub-words), and where the phrases stand, in a
   * field: [[start, end]] in code points, merged (search/analysis.highlights). */
  function highlights(text, spans, terms, known, phrases) {
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
    (phrases || []).forEach(function (phrase) {
      var target = Array.from(phrase);
      for (var at = 0; at + target.length <= chars.length; at++) {
        var k = 0;
        while (k < target.length && chars[at + k] === target[k]) k++;
        if (k === target.length) hits.push([at, at + target.length]);
      }
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

  /* The section a snippet is taken from and its hits (search/analysis.pick_snippet): the first section, in
   * the order of fields, holding what a pass looks for; with none, the subtitle or the facts, unmarked. */
  function pickSnippet(sections, passes, known, fields) {
    var ordered = [];
    fields.forEach(function (field) {
      sections.forEach(function (s) { if (s[0] === field) ordered.push(s); });
    });
    for (var p = 0; p < passes.length; p++) {
      var terms = passes[p][0];
      var phrases = passes[p][1];
      if (!terms.length && !phrases.length) continue;
      for (var k = 0; k < ordered.length; k++) {
        var found = highlights(ordered[k][2], ordered[k][3], terms, known, phrases);
        if (found.length) return { section: ordered[k], hits: found };
      }
    }
    var fallback = null;
    ["subtitle", "facts"].forEach(function (field) {
      sections.forEach(function (s) { if (!fallback && s[0] === field) fallback = s; });
    });
    return { section: fallback, hits: [] };
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
    this.rings = new Map();
    var rings = this.rings;
    (meta.rings || []).forEach(function (ring) { ring.forEach(function (term) { rings.set(term, ring); }); });
    this.places = new Map(); // term -> Map(case -> places), decoded once
  }

  Index.prototype.termShard = function (ch) {
    return ch.codePointAt(0) % this.meta.shards.terms;
  };

  /* Load the dictionary shards the query's characters need, and those of its words' ring mates. */
  Index.prototype.prepare = function (query) {
    var self = this;
    var needed = new Set();
    chunks(query).forEach(function (run) {
      var text = IS_HAN.test(run) ? run : run.toLowerCase().slice(0, 1);
      for (var ch of text) needed.add(self.termShard(ch));
      (self.rings.get(IS_HAN.test(run) ? run : run.toLowerCase()) || []).forEach(function (term) {
        for (var c of term) needed.add(self.termShard(c));
      });
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

  /* The numbers of a list (search/siteindex.encode_numbers), checked: a broken file names itself. */
  function decodeNumbers(text, file) {
    var out = [];
    var value = 0;
    var scale = 1;
    for (var k = 0; k < text.length; k++) {
      var digit = NUMBER_VALUE[text.charCodeAt(k)];
      if (!(digit >= 0)) throw new LoadError(file, "文件内容损坏");
      if (digit >= 32) {
        value += (digit - 32) * scale;
        scale *= 32;
        continue;
      }
      out.push(value + digit * scale);
      value = 0;
      scale = 1;
    }
    if (scale !== 1) throw new LoadError(file, "文件内容损坏");
    return out;
  }

  /* Add one postings list (case-gap, score, ...) to the scores and to the term's own. */
  function addPostings(text, scores, own, file) {
    var numbers = decodeNumbers(text, file);
    if (numbers.length % 2) throw new LoadError(file, "文件内容损坏");
    var doc = 0;
    for (var k = 0; k < numbers.length; k += 2) {
      doc += numbers[k];
      if (doc >= scores.length) throw new LoadError(file, "文件内容损坏");
      scores[doc] += numbers[k + 1];
      own[doc] = numbers[k + 1];
    }
  }

  function shardOf(prefix, term, shards) {
    return prefix + (fnv1a(term) % shards);
  }

  /* Scores of the cases holding any of the terms (OR), and each term's own scores. */
  Index.prototype.score = function (terms) {
    var self = this;
    var shards = this.meta.shards.postings;
    var names = unique(terms.map(function (t) { return shardOf("p/", t, shards); }));
    return Promise.all(names.map(function (name) { return self.load(name); })).then(function () {
      var scores = new Float64Array(self.meta.count);
      var byTerm = new Map();
      terms.forEach(function (term) {
        var name = shardOf("p/", term, shards);
        var text = data.get(name)[term];
        var own = new Float64Array(self.meta.count);
        if (text) addPostings(text, scores, own, "search-data/" + name + ".js");
        byTerm.set(term, own);
      });
      return { scores: scores, byTerm: byTerm };
    });
  };

  /* Load the places of the terms, decoded on first use: per case and field (in order), case-gap, field,
   * count, first place, place-gaps; a place then carries its field above its sentence (FIELD_SHIFT). */
  Index.prototype.loadPlaces = function (terms) {
    var self = this;
    var shards = this.meta.shards.places;
    var names = unique(terms.map(function (t) { return shardOf("x/", t, shards); }));
    return Promise.all(names.map(function (name) { return self.load(name); })).then(function () {
      return function (term) {
        if (self.places.has(term)) return self.places.get(term);
        var name = shardOf("x/", term, shards);
        if (!data.get(name)) return new Map(); // not asked for: no case needs this term's places
        var text = data.get(name)[term];
        var where = new Map();
        if (text) {
          var file = "search-data/" + name + ".js";
          var numbers = decodeNumbers(text, file);
          var doc = 0;
          for (var k = 0; k < numbers.length;) {
            doc += numbers[k];
            var base = numbers[k + 1] * FIELD_SPAN;
            var count = numbers[k + 2];
            if (doc >= self.meta.count || !(count > 0) || k + 3 + count > numbers.length) {
              throw new LoadError(file, "文件内容损坏");
            }
            var list = where.get(doc) || [];
            var place = numbers[k + 3];
            list.push(base + place);
            for (var p = 1; p < count; p++) {
              place += numbers[k + 3 + p];
              list.push(base + place);
            }
            where.set(doc, list);
            k += 3 + count;
          }
        }
        self.places.set(term, where);
        return where;
      };
    });
  };

  /* The terms whose places a query needs: a phrase's pieces when some case holds them all; the parts of a
   * word when some case holds them all but not the word (only such a case is ranked by how near they
   * stand). held: term -> its scores by case (0: not held). Any other case ranks without places. */
  function neededPlaces(words, held, count) {
    var needed = [];
    function some(test) {
      for (var doc = 0; doc < count; doc++) if (test(doc)) return true;
      return false;
    }
    phraseForms(words).forEach(function (form) {
      var lists = form.pieces.map(function (p) { return held.get(p[0]); });
      if (some(function (doc) { return lists.every(function (l) { return l[doc] > 0; }); })) {
        form.pieces.forEach(function (p) { needed.push(p[0]); });
      }
    });
    counted(words).forEach(function (word) {
      if (word.parts.length < 2) return;
      var parts = word.parts.map(function (p) { return held.get(p); });
      var wholes = word.forms.filter(function (f) { return f.term !== null; }).map(function (f) { return held.get(f.term); });
      var alone = function (doc) {
        return parts.every(function (l) { return l[doc] > 0; }) && !wholes.some(function (l) { return l[doc] > 0; });
      };
      if (some(alone)) needed.push.apply(needed, word.parts);
    });
    return unique(needed);
  }

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

  /* filters: {facet: [value index, ...]}; values of one facet are alternatives, facets all hold.
   * The hits, ranked, without the facet counts: count() adds them (the page asks for the cases
   * to show in between, so that counting overlaps their loading). */
  Index.prototype.find = function (request) {
    var self = this;
    var q = (request.q || "").trim();
    var sort = request.sort === "date" || !q ? "date" : "relevance";
    var filters = request.filters || {};
    var typed = [];
    var scoring = Promise.resolve(null);
    if (q) {
      // The terms' lists first (the pieces of phrases too, to see whether any case holds them all), then
      // only the places some case needs: the places of common words are the largest files a query reads.
      scoring = this.prepare(q).then(function () {
        typed = typedWords(q, self.terms, self.rings, self.meta.longest);
        var scoring = scoringTerms(typed);
        var pieces = placedTerms(typed).filter(function (t) { return scoring.indexOf(t) < 0; });
        return Promise.all([self.score(scoring), self.score(pieces)]);
      }).then(function (lists) {
        var held = new Map(lists[0].byTerm);
        lists[1].byTerm.forEach(function (own, term) { held.set(term, own); });
        return self.loadPlaces(neededPlaces(typed, held, self.meta.count)).then(function (places) {
          return [lists[0], places];
        });
      });
    }
    return scoring.then(function (loaded) {
      var n = self.meta.count;
      var byTerm = loaded ? loaded[0].byTerm : null;
      var places = loaded ? loaded[1] : null;
      var found = places ? findPhrases(typed, places) : new Map();
      var scores = loaded ? loaded[0].scores : null; // any term or phrase found: the case is listed
      found.forEach(function (counts) {
        counts.forEach(function (count, doc) { scores[doc] += PHRASE_SCORE * count; });
      });
      var columns = self.facets.map(function (f) { return self.meta.columns[f.name]; });
      var selected = selection(self.facets, filters);
      var failed = { failed: -1 };
      var hits = [];
      var holdings = new Map();
      var tiers = { 1: 0, 2: 0, 3: 0 };
      var phrasesListed = {};
      found.forEach(function (counts, text) { phrasesListed[text] = 0; });
      for (var doc = 0; doc < n; doc++) {
        if (scores && !(scores[doc] > 0)) continue;
        if (failures(columns, selected, doc, failed) !== 0) continue;
        hits.push(doc);
        if (!scores) continue;
        var caseDoc = doc;
        var hold = holding(typed, doc, function (term) {
          var own = byTerm.get(term);
          return own ? own[caseDoc] : 0;
        }, found, places);
        holdings.set(doc, hold);
        tiers[hold.tier]++;
        found.forEach(function (counts, text) { if (counts.get(caseDoc)) phrasesListed[text]++; });
      }
      if (sort === "relevance") {
        hits.sort(function (a, b) { return compareHoldings(holdings.get(a), holdings.get(b), a, b); });
      }
      return {
        typed: typed, hits: hits, holdings: holdings, tiers: tiers, found: found, phrases: phrasesListed,
        scores: scores, counts: null, total: hits.length, sort: sort, filters: filters,
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

  function configure(meta) {
    OFFSET = (1 << meta.places.sentence_bits) - 1;
    FIELD_SPAN = Math.pow(2, meta.places.field_shift);
    PHRASE_SCORE = meta.phrase_score;
    TIER_NAMES = meta.tiers;
    window.CasebookSearch.TIER_NAMES = TIER_NAMES;
  }

  function open(root) {
    var load = loader(root, "");
    return load("meta").then(function (meta) {
      if (!meta || meta.format !== FORMAT) throw new LoadError("search-data/meta.js", "格式版本不符");
      configure(meta);
      return new Index(meta, loader(root, meta.version));
    });
  }

  window.CasebookSearch = {
    open: open,
    segmentWith: segmentWith,
    typedWords: typedWords,
    scoringTerms: scoringTerms,
    placedTerms: placedTerms,
    queryNotes: queryNotes,
    tierSummary: tierSummary,
    snippetPasses: snippetPasses,
    pickSnippet: pickSnippet,
    highlights: highlights,
    asRead: asRead,
    decodeSpans: decodeSpans,
    fnv1a: fnv1a,
    LoadError: LoadError,
    GRAM: GRAM,
    STOP: STOP,
    TIER_NAMES: TIER_NAMES,
    EQUIVALENT: EQUIVALENT,
  };
})();
