/* casebook: the precedent finder in the browser (data written by builder/finderdata.py).
 *
 * A line-by-line port of the Python finder, so that the 类案查找 page ranks as
 * `casebook similar` does: search/cues.py (reading a description),
 * search/finder.py (query_of), search/similar.py (TextModel.count_terms, vector,
 * components, combine, similar, distribution, vote). The Python function
 * names are given in comments. Plain JavaScript, no library; the data files
 * call window.__casebookFinder(name, data) and casebook-data.js (loaded first)
 * loads them by <script> tags, so the page works from a file copy too. A query loads meta.js, the term shards of
 * its characters and (at the same time) the few facet files, then the
 * postings shards of its terms, then the cases shown.
 *
 *   const finder = await CasebookFinder.open(rootUrl);
 *   const query = finder.queryOf({text, factors, distinctions, domain, rules, role, level});
 *   const finding = await finder.similar(query, 10);
 *
 * Every failure to load rejects with a LoadError naming the file.
 */
(function () {
  "use strict";

  // The data files, loaded by casebook-data.js (each file once, a LoadError naming any that fails).
  var data = CasebookData.channel("__casebookFinder", "finder-data/");
  var loader = data.loader;
  var LoadError = CasebookData.LoadError;

  function escapeRegex(s) { return s.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"); }
  function byLengthThenText(a, b) { return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0); }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function startsWithAt(text, word, at) { return text.substr(at, word.length) === word; }

  /* FNV-1a over code points: builder/siteindex.term_hash */
  function termHash(term) {
    var value = 0x811c9dc5;
    for (var ch of term) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return value >>> 0;
  }

  /* --- search/cues.py ------------------------------------------------------ */

  /* flow */
  function flow(text) {
    return text.trim().replace(/\n\s*\n\s*/g, "。").replace(/[ \t]*\n[ \t]*/g, "");
  }
  var RULE_NAME = /《[^《》\n]{2,60}》/g;

  /* build_lexicon */
  function buildLexicon(data, constants) {
    var negation = data.negation, allegation = data.allegation;
    var clauseEnds = negation.clause_ends;
    var gap = "[^" + escapeRegex(clauseEnds) + "]{0," + constants.GAP_CHARS + "}";
    var phrases = new Map();
    data.cues.forEach(function (entry) {
      entry.phrases.forEach(function (phrase) {
        var cue = { phrase: phrase, facet: entry.facet, value: entry.value, negated: entry.negated || null, weight: entry.weight };
        if (!phrases.has(phrase)) phrases.set(phrase, []);
        phrases.get(phrase).push(cue);
      });
    });
    var byFirst = new Map();
    phrases.forEach(function (cues, text) {
      var hasGap = text.indexOf(constants.GAP) >= 0;
      var regex = hasGap ? new RegExp(text.split(constants.GAP).map(escapeRegex).join(gap), "y") : null;
      var first = text[0];
      if (!byFirst.has(first)) byFirst.set(first, []);
      byFirst.get(first).push({ text: text, length: text.split(constants.GAP).join("").length, regex: regex, cues: cues });
    });
    byFirst.forEach(function (list) {
      list.sort(function (a, b) { return b.length - a.length || cmp(a.text, b.text); });
    });
    var words = negation.words.slice().sort(byLengthThenText);
    var marks = Array.from(new Set(allegation.starts.concat(allegation.ends))).sort(byLengthThenText);
    return {
      byFirst: byFirst,
      negations: new RegExp(words.map(escapeRegex).join("|"), "g"),
      compounds: negation.compounds,
      window: negation.window,
      clauseEnds: clauseEnds,
      breakers: negation.breakers,
      allegation: new RegExp(marks.map(escapeRegex).join("|") + "|[" + escapeRegex(allegation.sentence_ends) + "]", "g"),
      allegationStarts: new Set(allegation.starts),
    };
  }

  /* _negation_start */
  function negationStart(text, start, lex) {
    var from = Math.max(0, start - lex.window);
    var before = text.slice(from, start);
    var cut = -1;
    for (var c of lex.clauseEnds) cut = Math.max(cut, before.lastIndexOf(c));
    var offset = start - before.length + cut + 1;
    var clause = before.slice(cut + 1);
    var found = null;
    lex.negations.lastIndex = 0;
    var m;
    while ((m = lex.negations.exec(clause)) !== null) {
      var position = offset + m.index;
      if (lex.compounds.some(function (w) { return startsWithAt(text, w, position); })) continue;
      var rest = clause.slice(m.index + m[0].length);
      if (!lex.breakers.some(function (b) { return rest.indexOf(b) >= 0; })) found = position;
    }
    return found;
  }

  /* _alleged_spans */
  function allegedSpans(text, lex) {
    var spans = [], opened = null, m;
    lex.allegation.lastIndex = 0;
    while ((m = lex.allegation.exec(text)) !== null) {
      var word = m[0];
      if (opened === null && lex.allegationStarts.has(word)) opened = m.index;
      else if (opened !== null && !lex.allegationStarts.has(word)) {
        spans.push([opened, m.index]);
        opened = null;
      }
    }
    if (opened !== null) spans.push([opened, text.length]);
    return spans;
  }

  /* _matches */
  function matches(text, lex) {
    var out = [], i = 0, n = text.length;
    while (i < n) {
      var end = 0;
      var list = lex.byFirst.get(text[i]) || [];
      for (var k = 0; k < list.length; k++) {
        var phrase = list[k];
        if (phrase.regex === null) {
          end = startsWithAt(text, phrase.text, i) ? i + phrase.length : 0;
        } else {
          phrase.regex.lastIndex = i;
          var m = phrase.regex.exec(text);
          end = m ? i + m[0].length : 0;
        }
        if (end) {
          out.push([i, end, phrase]);
          break;
        }
      }
      i = end || i + 1;
    }
    return out;
  }

  /* hits */
  function hits(text, lex) {
    var alleged = allegedSpans(text, lex);
    var found = [];
    var lastEnd = -1, lastNegation = null, lastKeys = new Set();
    matches(text, lex).forEach(function (item) {
      var start = item[0], end = item[1], phrase = item[2];
      var inAllegation = alleged.some(function (s) { return s[0] <= start && start < s[1]; });
      var negation = negationStart(text, start, lex);
      var keys = new Set(phrase.cues.map(function (c) { return c.facet + "\u0000" + c.value; }));
      var shared = false;
      keys.forEach(function (k) { if (lastKeys.has(k)) shared = true; });
      if (negation !== null && negation < lastEnd && !(negation === lastNegation && shared)) negation = null;
      lastEnd = end; lastNegation = negation; lastKeys = keys;
      phrase.cues.forEach(function (cue) {
        if (inAllegation && (cue.facet.indexOf("looks.") === 0 || cue.facet.indexOf("distinction.") === 0)) return;
        if (negation === null) {
          found.push({ facet: cue.facet, value: cue.value, phrase: text.slice(start, end), start: start, weight: cue.weight });
        } else if (cue.negated) {
          found.push({ facet: cue.facet, value: cue.negated, phrase: text.slice(negation, end), start: start, weight: cue.weight });
        }
      });
    });
    return found;
  }

  /* _poles */
  function poles(weights) {
    var values = Array.from(weights.entries());
    values.sort(function (a, b) { return b[1] - a[1]; }); // stable, as Python's sorted
    if (values.length === 1 || values[0][1] >= 2 * values[1][1]) return values[0][0];
    return null;
  }

  /* _heaviest */
  function heaviest(weights, first, ties) {
    var ranked = Array.from(weights.keys());
    ranked.sort(function (a, b) { return weights.get(b) - weights.get(a) || first.get(a) - first.get(b); });
    if (!ties && ranked.length > 1 && weights.get(ranked[0]) === weights.get(ranked[1])) return null;
    return ranked[0];
  }

  function getMap(map, key) {
    if (!map.has(key)) map.set(key, new Map());
    return map.get(key);
  }

  /* read: the facets a text states, each with its phrases */
  function read(text, lex) {
    text = flow(text);
    var weights = new Map(), first = new Map(), phrases = new Map();
    function phraseList(facet, value) {
      var key = facet + "\u0000" + value;
      if (!phrases.has(key)) phrases.set(key, { facet: facet, value: value, list: [] });
      return phrases.get(key).list;
    }
    function add(facet, value, weight, start, phrase) {
      var w = getMap(weights, facet);
      w.set(value, (w.get(value) || 0) + weight);
      var f = getMap(first, facet);
      if (!f.has(value)) f.set(value, start);
      var list = phraseList(facet, value);
      if (list.indexOf(phrase) < 0) list.push(phrase);
    }
    hits(text, lex).forEach(function (hit) {
      if (hit.facet.indexOf("looks.") === 0 && hit.value === "unfavourable" && hit.weight >= 2) {
        add("kind", "mistake", hit.weight / 2, hit.start, hit.phrase);
      }
      add(hit.facet, hit.value, hit.weight, hit.start, hit.phrase);
    });
    var decided = new Map();
    weights.forEach(function (byValue, facet) {
      if (facet.indexOf("looks.") === 0) decided.set(facet, poles(byValue) || "mixed");
      else if (facet.indexOf("distinction.") === 0) decided.set(facet, poles(byValue));
      else decided.set(facet, heaviest(byValue, first.get(facet), facet !== "kind"));
    });
    var kindWeights = getMap(weights, "kind");
    if ((decided.get("kind") === undefined || decided.get("kind") === null) && !kindWeights.get("accusation")) {
      var stated = [];
      phrases.forEach(function (entry) {
        if (entry.facet.indexOf("looks.") === 0) stated.push.apply(stated, entry.list);
      });
      if (stated.length) {
        decided.set("kind", "mistake");
        kindWeights.set("mistake", 0);
        phrases.set("kind\u0000mistake", { facet: "kind", value: "mistake", list: stated.slice(0, 3) });
      }
    }
    var shown = new Map();
    decided.forEach(function (value, facet) {
      var byValue = getMap(weights, facet);
      var values = byValue.has(value) ? [value] : Array.from(byValue.keys());
      var found = [];
      values.forEach(function (v) {
        var entry = phrases.get(facet + "\u0000" + v);
        if (entry) found.push.apply(found, entry.list);
      });
      shown.set(facet, found.filter(function (p) {
        return !found.some(function (q) { return p !== q && q.indexOf(p) >= 0; });
      }));
    });
    var reading = { kind: decided.get("kind") || null, looks: new Map(), distinctions: new Map(),
      domain: decided.get("domain") || null, role: decided.get("role") || null, level: decided.get("level") || null,
      rules: [], phrases: new Map() };
    decided.forEach(function (value, facet) {
      if (facet.indexOf("looks.") === 0 && value) reading.looks.set(facet.slice(6), value);
      if (facet.indexOf("distinction.") === 0) reading.distinctions.set(facet.slice(12), value);
    });
    var rules = [];
    (text.match(RULE_NAME) || []).forEach(function (r) { if (rules.indexOf(r) < 0) rules.push(r); });
    reading.rules = rules;
    shown.forEach(function (list, facet) {
      var value = decided.get(facet);
      if ((value !== null && value !== undefined) || facet.indexOf("distinction.") === 0) reading.phrases.set(facet, list);
    });
    return reading;
  }

  /* --- search/records.py ---------------------------------------------------- */

  /* lean_of */
  function leanOf(sides, outcome, groupOf) {
    var named = new Set();
    (sides || []).forEach(function (p) { if (p[1]) named.add(p[1]); });
    if (named.has("not_tolerated")) return "not_tolerated";
    var group = outcome ? groupOf(outcome) : null;
    if (group === "accountable") return "not_tolerated";
    if (group === "tolerated" || ((group === null || group === "unknown") && named.has("tolerated"))) return "tolerated";
    return null;
  }

  /* --- search/similar.py ---------------------------------------------------- */

  /* _agreement */
  function agreement(query, precedent) {
    if (precedent === "unknown") return 0.25;
    if (query === precedent) return 1.0;
    if (query === "mixed" || precedent === "mixed") return 0.5;
    return 0.0;
  }

  function jaccard(a, b) {
    var A = new Set(a), B = new Set(b), union = new Set(a.concat(b)), both = 0;
    A.forEach(function (x) { if (B.has(x)) both++; });
    return union.size ? both / union.size : 0.0;
  }

  function sideMap(distinctions) {
    var map = new Map();
    (distinctions || []).forEach(function (p) { map.set(p[0], p[1]); });
    return map;
  }

  /* side_agreement */
  function sideAgreement(query, precedent) {
    var mine = sideMap(query.distinctions), theirs = sideMap(precedent.distinctions);
    if (!mine.size && !theirs.size) return 1.0;
    var all = new Set(Array.from(mine.keys()).concat(Array.from(theirs.keys())));
    var total = 0.0;
    all.forEach(function (d) {
      var side = mine.has(d) ? mine.get(d) : null, other = theirs.has(d) ? theirs.get(d) : null;
      if (mine.has(d) && theirs.has(d)) {
        total += side === null || other === null ? 0.5 : side === other ? 1.0 : -1.0;
      } else if (side !== null && side === precedent.lean) {
        total += 0.5;
      }
    });
    return total / all.size;
  }

  /* components */
  function components(query, precedent, text) {
    var parts = new Map();
    if (text !== null) parts.set("text", text);
    if (query.kind) parts.set("kind", query.kind === precedent.kind ? 1.0 : 0.0);
    if (query.distinctions !== null) parts.set("distinctions", sideAgreement(query, precedent));
    var factors = Object.keys(query.looks);
    if (factors.length) {
      var sum = 0;
      factors.forEach(function (f) { sum += agreement(query.looks[f], precedent.looks[f] || "unknown"); });
      parts.set("looks", sum / factors.length);
    }
    if (query.domain) parts.set("domain", query.domain === precedent.domain ? 1.0 : 0.0);
    if (query.rules.length) parts.set("rules", jaccard(query.rules, precedent.rules));
    if (query.role || query.level) {
      var role = query.role ? 0.5 * (query.role === precedent.role ? 1 : 0) : 0.0;
      var level = query.level ? 0.5 * (query.level === precedent.level ? 1 : 0) : 0.0;
      parts.set("role", (role + level) / (0.5 * (query.role ? 1 : 0) + 0.5 * (query.level ? 1 : 0)));
    }
    return parts;
  }

  /* combine */
  function combine(parts, weights) {
    var total = 0, sum = 0;
    parts.forEach(function (_, name) { total += weights[name]; });
    parts.forEach(function (value, name) { sum += weights[name] * value; });
    var score = total ? sum / total : 0.0;
    return Math.max(0.0, score);
  }

  /* TextModel.count_terms: the known terms of a query's text, with counts (a Map in Python's order) */
  function countTerms(text, known, longest) {
    var n = text.length;
    var bestPieces = [0], bestWeight = [0], back = [0];
    for (var x = 1; x <= n; x++) { bestPieces.push(n + 1); bestWeight.push(0); back.push(0); }
    function better(p, w, j) { return p < bestPieces[j] || (p === bestPieces[j] && w < bestWeight[j]); }
    for (var i = 0; i < n; i++) {
      var pieces = bestPieces[i], weight = bestWeight[i];
      if (better(pieces + 1, weight, i + 1)) { bestPieces[i + 1] = pieces + 1; bestWeight[i + 1] = weight; back[i + 1] = i; }
      var last = Math.min(n, i + longest);
      for (var j = i + 2; j <= last; j++) {
        var df = known.get(text.slice(i, j));
        if (df !== undefined && better(pieces + 1, weight - df, j)) {
          bestPieces[j] = pieces + 1; bestWeight[j] = weight - df; back[j] = i;
        }
      }
    }
    var counts = new Map();
    function bump(t) { counts.set(t, (counts.get(t) || 0) + 1); }
    var end = n;
    while (end > 0) {
      var start = back[end];
      var word = text.slice(start, end);
      if (known.has(word)) {
        bump(word);
        for (var length = 2; length < word.length; length++) {
          for (var k = 0; k + length <= word.length; k++) {
            var part = word.slice(k, k + length);
            if (known.has(part)) bump(part);
          }
        }
      }
      end = start;
    }
    return counts;
  }

  /* TextModel.vector */
  function vector(counts, df, documents, averageLength, limit, c) {
    var length = 0;
    counts.forEach(function (tf) { length += tf; });
    length = length || 1;
    var weights = [];
    counts.forEach(function (tf, term) {
      var d = df.get(term) || 0;
      var idf = Math.log(1 + (documents - d + 0.5) / (d + 0.5));
      var saturation = (tf * (c.K1 + 1)) / (tf + c.K1 * (1 - c.B + (c.B * length) / (averageLength || 1)));
      weights.push([term, idf * saturation]);
    });
    weights.sort(function (a, b) { return b[1] - a[1] || cmp(b[0], a[0]); });
    var top = weights.slice(0, limit || weights.length);
    var norm = 0;
    top.forEach(function (kv) { norm += kv[1] * kv[1]; });
    norm = Math.sqrt(norm) || 1.0;
    return top.map(function (kv) { return [kv[0], kv[1] / norm]; });
  }

  /* _shared_terms */
  function sharedTerms(query, precedent, n) {
    var mine = new Map(query), shared = [];
    precedent.forEach(function (kv) { if (mine.has(kv[0])) shared.push([mine.get(kv[0]) * kv[1], kv[0]]); });
    shared.sort(function (a, b) { return b[0] - a[0] || cmp(b[1], a[1]); });
    return shared.slice(0, n || 8).map(function (x) { return x[1]; });
  }

  /* --- the finder ------------------------------------------------------------ */

  function Finder(root, meta) {
    this.root = root;
    this.meta = meta;
    this.load = loader(root, meta.version);
    this.lexicon = buildLexicon(meta.lexicon, meta.constants);
    var groups = new Map();
    meta.vocab.outcomes.ids.forEach(function (id, i) { groups.set(id, meta.vocab.outcomes.groups[i]); });
    this.groups = groups;
    this.df = new Map();
    this.loadedTermShards = new Set();
  }

  Finder.prototype.outcomeGroup = function (outcome) {
    return this.groups.get(outcome) || "unknown";
  };
  Finder.prototype.known = function (vocabulary, id) {
    return this.meta.vocab[vocabulary].ids.indexOf(id) >= 0;
  };
  Finder.prototype.label = function (vocabulary, id) {
    var v = this.meta.vocab[vocabulary], i = v.ids.indexOf(id);
    return i >= 0 ? v.labels[i] : id;
  };
  Finder.prototype.shortLabel = function (vocabulary, id) {
    var v = this.meta.vocab[vocabulary], i = v.ids.indexOf(id);
    return i >= 0 ? (v.short || v.labels)[i] : id;
  };
  Finder.prototype.read = function (text) { return read(text, this.lexicon); };

  /* finder.query_of (no draft): the text read, overridden by the options */
  Finder.prototype.queryOf = function (description) {
    var c = this.meta.constants;
    var prose = description.text || "";
    var truncated = Array.from(prose).length > c.LONGEST_DESCRIPTION;
    if (truncated) prose = Array.from(prose).slice(0, c.LONGEST_DESCRIPTION).join("");
    prose = flow(prose);
    var reading = read(prose, this.lexicon);
    var fromText = new Set();
    var looks = {};
    reading.looks.forEach(function (value, factor) {
      if (!(factor in looks)) { looks[factor] = value; fromText.add("looks." + factor); }
    });
    Object.keys(description.factors || {}).forEach(function (factor) {
      var value = description.factors[factor];
      fromText.delete("looks." + factor);
      if (value === "unknown") delete looks[factor];
      else looks[factor] = value;
    });
    var sides = new Map();
    reading.distinctions.forEach(function (side, d) {
      if (!sides.has(d)) { sides.set(d, side); fromText.add("distinction." + d); }
    });
    (description.distinctions || []).forEach(function (pair) {
      fromText.delete("distinction." + pair[0]);
      sides.set(pair[0], pair[1] || null);
    });
    var kind = reading.kind;
    if (kind) fromText.add("kind");
    else if (Object.keys(looks).length || sides.size) kind = "mistake";
    if (kind === "accusation") {
      Array.from(sides.keys()).forEach(function (d) {
        if (fromText.has("distinction." + d)) { sides.delete(d); fromText.delete("distinction." + d); }
      });
    }
    var pairs = Array.from(sides.entries()).sort(function (a, b) { return cmp(a[0], b[0]); });
    var distinctions = pairs.length ? pairs : null;
    if (distinctions === null && kind === "accusation") distinctions = [];
    function pick(name, given, found) {
      if (given) return given;
      if (found) fromText.add(name);
      return found || null;
    }
    var given = Array.from(new Set(description.rules || []));
    var rules = (given.length ? given : reading.rules.slice()).sort(cmp);
    if (rules.length && !given.length) fromText.add("rules");
    var record = {
      id: null, outcome: null, kind: kind || null, looks: looks, distinctions: distinctions,
      lean: leanOf(distinctions, null, this.outcomeGroup.bind(this)),
      domain: pick("domain", description.domain, reading.domain),
      rules: rules,
      role: pick("role", description.role, reading.role),
      level: pick("level", description.level, reading.level),
    };
    return { record: record, text: prose, reading: reading, readFromText: fromText, truncated: truncated };
  };

  /* the df of every term the segmenter may look up in text (the shards of its characters) */
  Finder.prototype.loadTerms = function (text) {
    var self = this, count = this.meta.shards.terms, wanted = new Set();
    for (var ch of text) {
      var k = ch.codePointAt(0) % count;
      if (!self.loadedTermShards.has(k)) wanted.add(k);
    }
    return Promise.all(Array.from(wanted).map(function (k) {
      return self.load("t/" + k).then(function (terms) {
        if (self.loadedTermShards.has(k)) return;
        self.loadedTermShards.add(k);
        Object.keys(terms).forEach(function (t) { self.df.set(t, terms[t]); });
      });
    }));
  };

  Finder.prototype.postings = function (terms) {
    var self = this, count = this.meta.shards.postings, out = new Map();
    var shards = Array.from(new Set(terms.map(function (t) { return termHash(t) % count; })));
    return Promise.all(shards.map(function (k) { return self.load("p/" + k); })).then(function (loaded) {
      var byShard = new Map();
      shards.forEach(function (k, i) { byShard.set(k, loaded[i]); });
      terms.forEach(function (t) { out.set(t, byShard.get(termHash(t) % count)[t] || []); });
      return out;
    });
  };

  /* the facets of cases (numbers), as Records (decoding finderdata._features) */
  Finder.prototype.features = function (withRules) {
    var self = this, size = this.meta.feature_chunk, v = this.meta.vocab;
    var factors = v.factors.ids, codes = { f: "favourable", u: "unfavourable", m: "mixed" };
    var kinds = Object.keys(this.meta.kinds);
    var chunks = [];
    for (var n = 0; n < this.meta.shards.features; n++) chunks.push(n);
    var loads = chunks.map(function (k) { return self.load("f/" + k); });
    loads.push(withRules ? self.load("rules") : Promise.resolve([]));
    function at(list, i) { return i === null ? null : list[i]; }
    return Promise.all(loads).then(function (loaded) {
      var rules = loaded.pop(), decoded = new Map();
      // Rows are decoded when scored (a query scores its 80 candidates, not the whole corpus).
      return { get: function (number) {
        if (decoded.has(number)) return decoded.get(number);
        var row = loaded[Math.floor(number / size)][number % size], looks = {};
        for (var f = 0; f < factors.length; f++) if (codes[row[5][f]]) looks[factors[f]] = codes[row[5][f]];
        var record = {
          number: number, id: null, kind: at(kinds, row[0]), outcome: at(v.outcomes.ids, row[1]),
          domain: at(v.domains.ids, row[2]), role: at(v.roles.ids, row[3]), level: at(v.levels.ids, row[4]),
          looks: looks,
          distinctions: row[6] === null ? null : row[6].map(function (p) {
            return [v.distinctions.ids[p[0]], at(v.distinction_sides.ids, p[1])];
          }),
          rules: row[7].map(function (i) { return rules[i]; }),
          lean: at(v.distinction_sides.ids, row[8]),
          public: (row[9] & 1) === 1, current: (row[9] & 2) === 2,
        };
        decoded.set(number, record);
        return record;
      } };
    });
  };

  /* Precedents.similar: the k precedents closest to a query, with all the explanations */
  Finder.prototype.similar = function (query, k) {
    var self = this, meta = this.meta, c = meta.constants, includeInternal = meta.edition === "internal";
    var record = query.record;
    // The facets of every case are needed whatever the terms (80 candidates touch every file): load them alongside.
    var features = this.features(record.rules.length > 0);
    var vec = [];
    return this.loadTerms(query.text).then(function () {
      var counts = query.text ? countTerms(query.text, self.df, c.LONGEST_FINDER_TERM) : new Map();
      vec = counts.size ? vector(counts, self.df, meta.documents, meta.average_length, c.QUERY_TERMS, c) : [];
      return self.postings(vec.map(function (kv) { return kv[0]; }));
    }).then(function (postings) {
      /* _text_scores */
      var scores = new Map();
      vec.forEach(function (kv) {
        var list = postings.get(kv[0]);
        for (var p = 0; p < list.length; p += 2) {
          scores.set(list[p], (scores.get(list[p]) || 0.0) + kv[1] * list[p + 1]);
        }
      });
      var pool;
      if (meta.cases > c.CANDIDATES && vec.length) {
        pool = Array.from(scores.keys());
        pool.sort(function (a, b) { return scores.get(b) - scores.get(a); }); // stable, as heapq.nlargest
        pool = pool.slice(0, c.CANDIDATES);
      } else {
        pool = [];
        for (var i = 0; i < meta.cases; i++) pool.push(i);
      }
      return features.then(function (records) {
        var scored = [];
        pool.forEach(function (i) {
          var other = records.get(i); // a case's facets, decoded
          if (!other.current || !(includeInternal || other.public)) return;
          var parts = components(record, other, vec.length ? scores.get(i) || 0.0 : null);
          var score = combine(parts, meta.weights);
          if (score >= c.MIN_SCORE) scored.push({ score: score, number: i, record: other, parts: parts });
        });
        // Python sorts by (-score, id); cases are numbered in id order.
        scored.sort(function (a, b) { return b.score - a.score || a.number - b.number; });
        var top = scored.slice(0, k);
        var shares = self.distribution(top);
        var chosen = vote(shares);
        var different = null;
        if (chosen) {
          different = scored.find(function (item) {
            var g = self.outcomeGroup(item.record.outcome || "");
            return g !== chosen && g !== "unknown";
          }) || null;
        }
        var shown = top.concat(different && top.indexOf(different) < 0 ? [different] : []);
        return Promise.all(shown.map(function (item) { return self.load("d/" + item.record.number); })).then(function (docs) {
          var explained = shown.map(function (item, j) {
            item.record.id = docs[j].id;
            return self.explain(query, vec, item, docs[j]);
          });
          var matches = explained.slice(0, top.length);
          var nearest = different ? explained[top.indexOf(different) >= 0 ? top.indexOf(different) : top.length] : null;
          var lean = record.lean;
          return {
            matches: matches, distribution: shares, vote: chosen, nearest: nearest, candidates: scored.length,
            queryLean: lean, sideListed: !!lean && matches.some(function (m) { return m.record.lean === lean; }),
            sideInCorpus: !!lean && (meta.leans[lean] || 0) > 0,
            best: matches.length ? matches[0].score : 0.0,
            terms: vec.map(function (kv) { return kv[0]; }),
          };
        });
      });
    });
  };

  /* Precedents._explain */
  Finder.prototype.explain = function (query, vec, item, doc) {
    var q = query.record, p = item.record, self = this;
    var mine = sideMap(q.distinctions), theirs = sideMap(p.distinctions);
    var sides = [];
    this.meta.vocab.distinctions.ids.forEach(function (d) {
      if (!mine.has(d) && !theirs.has(d)) return;
      var side = mine.has(d) ? mine.get(d) : null, other = theirs.has(d) ? theirs.get(d) : null, verdict;
      if (!theirs.has(d)) verdict = "仅本案涉及";
      else if (!mine.has(d)) verdict = "仅先例涉及";
      else if (side === null || other === null) verdict = "侧别不明";
      else verdict = side === other ? "同侧" : "相反";
      sides.push({ distinction: d, query: side, precedent: other, verdict: verdict });
    });
    var looks = this.meta.vocab.factors.ids.map(function (f) {
      var a = q.looks[f] || "unknown", b = p.looks[f] || "unknown";
      var value = a === "unknown" ? null : agreement(a, b);
      var verdict = value === null ? "查询未说明" : value === 1 ? "相同" : value === 0 ? "相反" : b === "unknown" ? "先例未说明" : "部分相同";
      return { factor: f, query: a, precedent: b, agreement: value, verdict: verdict };
    });
    var rules = new Set(p.rules);
    return {
      record: p, doc: doc, score: item.score, parts: item.parts, looks: looks, sides: sides,
      sharedTerms: vec.length ? sharedTerms(vec, doc.vector) : [],
      sharedRules: q.rules.filter(function (r) { return rules.has(r); }).sort(cmp),
      sameDomain: !!q.domain && q.domain === p.domain,
      group: self.outcomeGroup(p.outcome || ""),
    };
  };

  /* distribution */
  Finder.prototype.distribution = function (matches) {
    var self = this, total = 0;
    matches.forEach(function (m) { total += m.score; });
    total = total || 1.0;
    var groups = new Map();
    matches.forEach(function (m) {
      var g = self.outcomeGroup(m.record.outcome || "");
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(m);
    });
    var order = this.meta.vocab.outcome_groups.ids, shares = [];
    groups.forEach(function (members, group) {
      var outcomes = new Map(), sum = 0, high = -Infinity, low = Infinity;
      members.forEach(function (m) {
        if (m.record.outcome) outcomes.set(m.record.outcome, (outcomes.get(m.record.outcome) || 0) + 1);
        sum += m.score; high = Math.max(high, m.score); low = Math.min(low, m.score);
      });
      var list = Array.from(outcomes.entries()).sort(function (a, b) { return b[1] - a[1]; });
      shares.push({ group: group, count: members.length, weighted: sum / total, outcomes: list, scores: [high, low] });
    });
    shares.sort(function (a, b) {
      return b.weighted - a.weighted || b.count - a.count || order.indexOf(a.group) - order.indexOf(b.group);
    });
    return shares;
  };

  /* vote */
  function vote(shares) {
    var known = shares.filter(function (g) { return g.group !== "unknown"; });
    if (!known.length || (known.length > 1 && known[0].weighted === known[1].weighted)) return null;
    return known[0].group;
  }

  /* Finding.outcomes: counts per outcome over the listed precedents */
  Finder.prototype.outcomes = function (finding) {
    var counts = new Map(), order = this.meta.vocab.outcomes.ids;
    finding.matches.forEach(function (m) {
      if (m.record.outcome) counts.set(m.record.outcome, (counts.get(m.record.outcome) || 0) + 1);
    });
    return Array.from(counts.entries()).sort(function (a, b) {
      var ia = order.indexOf(a[0]), ib = order.indexOf(b[0]);
      return b[1] - a[1] || (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
  };

  function open(root) {
    var load = loader(root, "");
    return load("meta").then(function (meta) {
      if (!meta || meta.format !== 1) throw new LoadError("finder-data/meta.js", "数据格式不符");
      return new Finder(root, meta);
    });
  }

  window.CasebookFinder = {
    open: open,
    LoadError: LoadError,
    flow: flow,
    read: read,
    countTerms: countTerms,
    termHash: termHash,
  };
})();
