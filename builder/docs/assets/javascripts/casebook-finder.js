/* casebook: the precedent finder in the browser (data written by builder/finderdata.py).
 *
 * A line-by-line port of the Python finder, so that the 类案查找 page ranks as
 * `casebook similar` does: search/cues.py (reading a description),
 * search/finder.py (query_of), search/similar.py (TextModel.read_terms, vector,
 * components, combine, similar, distribution, vote). The Python function
 * names are given in comments. Plain JavaScript, no library; the data files
 * call window.__casebookFinder(name, data) and casebook-data.js (loaded first)
 * loads them by <script> tags, so the page works from a file copy too. A query loads meta.js, the term shards of
 * its characters and (at the same time) the few facet files, then the
 * postings shards of its terms, then the cases shown.
 *
 * Strings are indexed by code point, as Python indexes them: a description is
 * read as an array of code points (each astral character stands as one
 * private-use character in the text the patterns run over, and is given back
 * when a phrase is shown), so that a window of ten characters is ten here too.
 * No logarithm is computed here: the idf and the information of every value
 * come with the data, computed once by Python.
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
  function startsWithAt(text, word, at) { return text.substr(at, word.length) === word; }

  /* Python's comparison of strings: by code point (JavaScript's < compares UTF-16 units) */
  var SURROGATE = /[\uD800-\uDFFF]/;
  function cmp(a, b) {
    if (SURROGATE.test(a) || SURROGATE.test(b)) {
      var x = Array.from(a), y = Array.from(b);
      for (var i = 0; i < x.length && i < y.length; i++) {
        var d = x[i].codePointAt(0) - y[i].codePointAt(0);
        if (d) return d < 0 ? -1 : 1;
      }
      return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function byLengthThenText(a, b) { return Array.from(b).length - Array.from(a).length || cmp(a, b); }
  function sortedText(list) { return list.slice().sort(cmp); }

  /* FNV-1a over code points: builder/siteindex.term_hash */
  function termHash(term) {
    var value = 0x811c9dc5;
    for (var ch of term) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return value >>> 0;
  }

  /* A text as Python indexes it: its code points, and a string of one unit per code point to match in */
  var STAND_IN = "\uE000";
  function codePoints(text) {
    var cps = Array.from(text);
    return { cps: cps, flat: cps.map(function (c) { return c.length > 1 ? STAND_IN : c; }).join("") };
  }
  function slice(t, start, end) { return t.cps.slice(start, end).join(""); }

  /* --- search/cues.py ------------------------------------------------------ */

  // Python's str.isspace(), which its strip() and \s use.
  var WS = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var STRIP = new RegExp("^[" + WS + "]+|[" + WS + "]+$", "g");
  var PARAGRAPH = new RegExp("\\n[" + WS + "]*\\n[" + WS + "]*", "g");

  /* flow */
  function flow(text) {
    return text.replace(STRIP, "").replace(PARAGRAPH, "。").replace(/[ \t]*\n[ \t]*/g, "");
  }
  var RULE_NAME = /《[^《》\n]{2,60}》/g;

  /* _alternation */
  function alternation(words, flags) {
    var ordered = words.slice().sort(byLengthThenText);
    return ordered.length ? new RegExp(ordered.map(escapeRegex).join("|"), flags) : null;
  }

  /* _phrase_table */
  function phraseTable(cues, clauseEnds, constants) {
    var gap = "[^" + escapeRegex(clauseEnds) + "]{0," + constants.GAP_CHARS + "}?";
    var phrases = new Map();
    cues.forEach(function (cue) {
      if (!phrases.has(cue.phrase)) phrases.set(cue.phrase, []);
      phrases.get(cue.phrase).push(cue);
    });
    var byFirst = new Map();
    phrases.forEach(function (triggered, text) {
      var hasGap = text.indexOf(constants.GAP) >= 0;
      var regex = hasGap ? new RegExp(text.split(constants.GAP).map(escapeRegex).join(gap), "y") : null;
      var first = text[0];
      if (!byFirst.has(first)) byFirst.set(first, []);
      byFirst.get(first).push({ text: text, length: text.split(constants.GAP).join("").length, regex: regex, cues: triggered });
    });
    byFirst.forEach(function (list) {
      list.sort(function (a, b) { return b.length - a.length || cmp(a.text, b.text); });
    });
    return byFirst;
  }

  /* _exclusion_cues */
  function exclusionCues(circumstances) {
    var cues = [];
    circumstances.forEach(function (c) {
      var parts = [["any", c.phrases]];
      c.together.forEach(function (group, k) { parts.push(["g" + k, group]); });
      parts.push(["unless", c.unless]);
      parts.forEach(function (part) {
        part[1].forEach(function (phrase) {
          cues.push({ phrase: phrase, facet: "exclusion." + c.id, value: part[0], negated: null, weight: 1.0 });
        });
      });
    });
    return cues;
  }

  /* build_lexicon */
  function buildLexicon(data, constants) {
    var negation = data.negation, allegation = data.allegation;
    var clauseEnds = negation.clause_ends;
    var cues = [];
    data.cues.forEach(function (entry) {
      entry.phrases.forEach(function (phrase) {
        cues.push({ phrase: phrase, facet: entry.facet, value: entry.value, negated: entry.negated || null, weight: entry.weight });
      });
    });
    var marks = Array.from(new Set(allegation.starts.concat(allegation.ends)));
    var groups = new Map();
    data.exclusions.forEach(function (c) { groups.set(c.id, c.together.length); });
    var markPattern = alternation(marks, "");
    return {
      byFirst: phraseTable(cues, clauseEnds, constants),
      exclusionFirst: phraseTable(exclusionCues(data.exclusions), clauseEnds, constants),
      negations: alternation(negation.words, "g"),
      compounds: negation.compounds,
      window: negation.window,
      clauseEnds: clauseEnds,
      breakers: negation.breakers,
      allegation: new RegExp(markPattern.source + "|[" + escapeRegex(allegation.sentence_ends) + "]", "g"),
      allegationStarts: new Set(allegation.starts),
      sentenceEnds: allegation.sentence_ends,
      denials: alternation(negation.after || [], ""),
      groups: groups,
    };
  }

  /* _negation_start (over the one-unit-per-code-point text) */
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

  /* _denial_end */
  function denialEnd(text, end, lex) {
    if (lex.denials === null) return null;
    var stop = end;
    while (stop < text.length && lex.clauseEnds.indexOf(text[stop]) < 0) stop++;
    var m = lex.denials.exec(text.slice(end, stop));
    return m ? end + m.index + m[0].length : null;
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
  function matches(text, byFirst) {
    var out = [], i = 0, n = text.length;
    while (i < n) {
      var end = 0;
      var list = byFirst.get(text[i]) || [];
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

  /* _hits */
  function scan(t, lex, byFirst, alleged) {
    var text = t.flat, found = [];
    var lastEnd = -1, lastNegation = null, lastKeys = new Set();
    matches(text, byFirst).forEach(function (item) {
      var start = item[0], end = item[1], phrase = item[2];
      var inAllegation = alleged.some(function (s) { return s[0] <= start && start < s[1]; });
      var negation = negationStart(text, start, lex);
      var keys = new Set(phrase.cues.map(function (c) { return c.facet + "\u0000" + c.value; }));
      var shared = false;
      keys.forEach(function (k) { if (lastKeys.has(k)) shared = true; });
      if (negation !== null && negation < lastEnd && !(negation === lastNegation && shared)) negation = null;
      lastEnd = end; lastNegation = negation; lastKeys = keys;
      var denied = negation === null ? denialEnd(text, end, lex) : null;
      var words = negation === null ? slice(t, start, end) : slice(t, negation, end);
      if (denied !== null) words = slice(t, start, denied);
      phrase.cues.forEach(function (cue) {
        var facet = cue.facet;
        if (inAllegation && (facet.indexOf("looks.") === 0 || facet.indexOf("distinction.") === 0 || facet.indexOf("exclusion.") === 0)) return;
        if (negation === null && denied === null) {
          found.push({ facet: facet, value: cue.value, phrase: words, start: start, weight: cue.weight });
        } else if (cue.negated) {
          found.push({ facet: facet, value: cue.negated, phrase: words, start: start, weight: cue.weight });
        }
      });
    });
    return found;
  }

  /* hits */
  function hits(t, lex) {
    var alleged = allegedSpans(t.flat, lex);
    return scan(t, lex, lex.byFirst, alleged).concat(scan(t, lex, lex.exclusionFirst, alleged));
  }

  /* read_exclusions */
  function readExclusions(t, found, lex) {
    var text = t.flat, sentence = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      sentence.push(n);
      if (lex.sentenceEnds.indexOf(text[i]) >= 0) n++;
    }
    var parts = new Map();
    found.forEach(function (hit) {
      if (hit.facet.indexOf("exclusion.") !== 0) return;
      var circumstance = hit.facet.slice("exclusion.".length);
      var key = sentence[hit.start] + "\u0000" + circumstance;
      if (!parts.has(key)) parts.set(key, { circumstance: circumstance, byPart: new Map() });
      var byPart = parts.get(key).byPart;
      if (!byPart.has(hit.value)) byPart.set(hit.value, []);
      byPart.get(hit.value).push(hit.phrase);
    });
    var read = new Map();
    parts.forEach(function (entry) {
      var byPart = entry.byPart, groups = [];
      for (var k = 0; k < (lex.groups.get(entry.circumstance) || 0); k++) groups.push("g" + k);
      if (byPart.has("unless")) return;
      var words;
      if (byPart.has("any")) words = byPart.get("any");
      else if (groups.length && groups.every(function (g) { return byPart.has(g); })) {
        words = groups.map(function (g) { return byPart.get(g)[0]; });
      } else return;
      if (!read.has(entry.circumstance)) read.set(entry.circumstance, []);
      var kept = read.get(entry.circumstance);
      words.forEach(function (w) { if (kept.indexOf(w) < 0) kept.push(w); });
    });
    return read;
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
    var t = codePoints(flow(text));
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
    var cueHits = hits(t, lex);
    cueHits.forEach(function (hit) {
      if (hit.facet.indexOf("exclusion.") === 0) return;
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
    var excluded = readExclusions(t, cueHits, lex);
    var kindWeights = getMap(weights, "kind");
    if ((decided.get("kind") === undefined || decided.get("kind") === null) && !kindWeights.get("accusation")) {
      var stated = [];
      phrases.forEach(function (entry) {
        if (entry.facet.indexOf("looks.") === 0) stated.push.apply(stated, entry.list);
      });
      excluded.forEach(function (words) { stated.push.apply(stated, words); });
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
      rules: [], phrases: new Map(), exclusions: excluded };
    decided.forEach(function (value, facet) {
      if (facet.indexOf("looks.") === 0 && value) reading.looks.set(facet.slice(6), value);
      if (facet.indexOf("distinction.") === 0) reading.distinctions.set(facet.slice(12), value);
    });
    var rules = [], m;
    RULE_NAME.lastIndex = 0;
    while ((m = RULE_NAME.exec(t.flat)) !== null) {
      var rule = slice(t, m.index, m.index + m[0].length);
      if (rules.indexOf(rule) < 0) rules.push(rule);
    }
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

  /* _get: the information of a value among the cases of the query's kind (or all), or that of a value none holds */
  function information(info, key, kind) {
    var scope = kind ? kind + "|" : "";
    return info.has(scope + key) ? info.get(scope + key) : info.get(scope);
  }

  function sideMap(distinctions) {
    var map = new Map();
    (distinctions || []).forEach(function (p) { map.set(p[0], p[1]); });
    return map;
  }

  /* _side_evidence */
  function sideEvidence(q, p, info, w, distinctions) {
    var mine = sideMap(q.distinctions), theirs = sideMap(p.distinctions), evidence = 0.0;
    distinctions.forEach(function (d) {
      if (!mine.has(d)) return;
      var side = mine.get(d);
      if (theirs.has(d)) {
        var other = theirs.get(d);
        if (side === null || other === null) evidence += 0.5 * w.sides * information(info, "distinction:" + d, q.kind);
        else if (side === other) evidence += w.sides * information(info, "side:" + d + ":" + side, q.kind);
        else evidence -= w.opposite_side;
      } else if (side !== null && side === p.lean) {
        evidence += 0.5 * w.sides * information(info, "lean:" + side, q.kind);
      }
    });
    return evidence;
  }

  /* _look_evidence */
  function lookEvidence(q, p, info, w, factors) {
    var evidence = 0.0;
    factors.forEach(function (f) {
      var mine = q.looks[f], theirs = p.looks[f];
      if (mine === undefined || theirs === undefined) return;
      if (mine === theirs) evidence += w.looks * information(info, "look:" + f + ":" + mine, q.kind);
      else if (mine !== "mixed" && theirs !== "mixed") evidence -= w.opposite_look;
    });
    return evidence;
  }

  /* _exclusion_evidence */
  function exclusionEvidence(q, p, info, w, group) {
    var evidence = 0.0, shared = false;
    q.exclusions.forEach(function (c) {
      if (p.exclusions.indexOf(c) >= 0) {
        evidence += w.exclusion * information(info, "exclusion:" + c, q.kind);
        shared = true;
      }
    });
    if (q.exclusions.length && !shared) {
      if (group === "tolerated") evidence -= w.excluded_against;
      else if (p.lean === "not_tolerated") evidence += 0.5 * w.exclusion * information(info, "lean:not_tolerated", q.kind);
    } else if (!q.exclusions.length && p.exclusions.length && q.kind === "mistake" && group === "accountable") {
      evidence -= w.excluded_against;
    }
    return evidence;
  }

  /* components */
  function components(q, p, text, info, w, vocab, group) {
    var parts = new Map();
    if (text !== null) parts.set("text", w.text * text);
    if (q.kind && p.kind) {
      parts.set("kind", q.kind === p.kind ? w.kind * information(info, "kind:" + q.kind) : -w.kind_differs);
    }
    if (q.distinctions && q.distinctions.length) parts.set("distinctions", sideEvidence(q, p, info, w, vocab.distinctions.ids));
    if (Object.keys(q.looks).length) parts.set("looks", lookEvidence(q, p, info, w, vocab.factors.ids));
    if (q.domain) parts.set("domain", q.domain === p.domain ? w.domain * information(info, "domain:" + q.domain, q.kind) : 0.0);
    if (q.rules.length) {
      var evidence = 0.0, theirs = new Set(p.rules);
      sortedText(Array.from(new Set(q.rules))).forEach(function (r) {
        if (theirs.has(r)) evidence += w.rules * information(info, "rule:" + r, q.kind);
      });
      parts.set("rules", evidence);
    }
    if (q.role || q.level) {
      var role = q.role && q.role === p.role ? w.role * information(info, "role:" + q.role, q.kind) : 0.0;
      var level = q.level && q.level === p.level ? w.level * information(info, "level:" + q.level, q.kind) : 0.0;
      parts.set("role", role + level);
    }
    if (q.exclusions.length || (p.exclusions.length && q.kind === "mistake")) {
      parts.set("exclusion", exclusionEvidence(q, p, info, w, group));
    }
    return parts;
  }

  /* combine */
  function combine(parts, w, order) {
    var evidence = 0.0;
    order.forEach(function (name) { if (parts.has(name)) evidence += parts.get(name); });
    return evidence > 0 ? evidence / (evidence + w.scale) : 0.0;
  }

  /* TextModel.read_terms: the known terms of a query's text with their counts (a Map), and the words written */
  function readTerms(text, known, aliases, longest) {
    var cps = Array.from(text), n = cps.length;
    var bestPieces = [0], bestWeight = [0], back = [0];
    for (var x = 1; x <= n; x++) { bestPieces.push(n + 1); bestWeight.push(0); back.push(0); }
    function better(p, w, j) { return p < bestPieces[j] || (p === bestPieces[j] && w < bestWeight[j]); }
    function head(word) { return aliases.has(word) ? aliases.get(word) : word; }
    for (var i = 0; i < n; i++) {
      var pieces = bestPieces[i], weight = bestWeight[i];
      if (better(pieces + 1, weight, i + 1)) { bestPieces[i + 1] = pieces + 1; bestWeight[i + 1] = weight; back[i + 1] = i; }
      var last = Math.min(n, i + longest), word = cps[i];
      for (var j = i + 2; j <= last; j++) {
        word += cps[j - 1];
        var df = known.get(head(word));
        if (df !== undefined && better(pieces + 1, weight - df, j)) {
          bestPieces[j] = pieces + 1; bestWeight[j] = weight - df; back[j] = i;
        }
      }
    }
    var cut = [], end = n;
    while (end > 0) {
      cut.push(cps.slice(back[end], end));
      end = back[end];
    }
    var counts = new Map(), written = new Map();
    function bump(t) { counts.set(t, (counts.get(t) || 0) + 1); }
    for (var c = cut.length - 1; c >= 0; c--) {
      var chars = cut[c], whole = chars.join(""), main = head(whole);
      if (!known.has(main)) continue;
      bump(main);
      if (main !== whole && !written.has(main)) written.set(main, whole);
      for (var length = 2; length < chars.length; length++) {
        for (var k = 0; k + length <= chars.length; k++) {
          var inner = head(chars.slice(k, k + length).join(""));
          if (known.has(inner)) bump(inner);
        }
      }
    }
    return { counts: counts, written: written };
  }

  /* TextModel.vector (the idf from the data's table) */
  function vector(counts, df, idf, averageLength, limit, c) {
    var length = 0;
    counts.forEach(function (tf) { length += tf; });
    length = length || 1;
    var weights = [];
    counts.forEach(function (tf, term) {
      var saturation = (tf * (c.K1 + 1)) / (tf + c.K1 * (1 - c.B + (c.B * length) / (averageLength || 1)));
      weights.push([term, idf.get(df.get(term)) * saturation]);
    });
    weights.sort(function (a, b) { return b[1] - a[1] || cmp(b[0], a[0]); });
    var top = weights.slice(0, limit || weights.length);
    var norm = 0;
    top.forEach(function (kv) { norm += kv[1] * kv[1]; });
    norm = Math.sqrt(norm) || 1.0;
    return top.map(function (kv) { return [kv[0], kv[1] / norm]; });
  }

  /* whole_terms: the first terms, a word and not also its part (one of exactly one other term) */
  function wholeTerms(ranked, limit) {
    return ranked.filter(function (term) {
      var holders = ranked.filter(function (other) { return other !== term && other.indexOf(term) >= 0; });
      return holders.length !== 1;
    }).slice(0, limit);
  }

  /* _shared_terms: the eight strongest terms both hold (a word, not also its parts), as the two texts write them */
  function sharedTerms(vec, written, doc, equivalence) {
    var mine = new Map(vec), shared = [];
    doc.vector.forEach(function (kv) { if (mine.has(kv[0])) shared.push([mine.get(kv[0]) * kv[1], kv[0]]); });
    shared.sort(function (a, b) { return b[0] - a[0] || cmp(b[1], a[1]); });
    return wholeTerms(shared.map(function (x) { return x[1]; }), 8).map(function (term) {
      var a = written.has(term) ? written.get(term) : term;
      var b = doc.forms && doc.forms[term] !== undefined ? doc.forms[term] : term;
      return a === b ? a : equivalence.replace("{written}", a).replace("{matched}", b);
    });
  }

  /* _look_verdict */
  function lookVerdict(q, p) {
    if (q === "unknown") return "查询未说明";
    if (p === "unknown") return "先例未说明";
    if (q === p) return "相同";
    if (q === "mixed" || p === "mixed") return "部分相同";
    return "相反";
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
    this.idf = new Map(meta.idf);
    this.info = new Map(Object.keys(meta.information).map(function (k) { return [k, meta.information[k]]; }));
    var aliases = new Map();
    meta.thesaurus.forEach(function (ring) {
      ring.terms.forEach(function (term, i) { if (i) aliases.set(term, ring.terms[0]); });
    });
    this.aliases = aliases;
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
    var rules = sortedText(given.length ? given : reading.rules);
    if (rules.length && !given.length) fromText.add("rules");
    var excluded = kind === "accusation" ? [] : Array.from(reading.exclusions.keys());
    var lean = leanOf(distinctions, null, this.outcomeGroup.bind(this));
    if (excluded.length) lean = "not_tolerated";
    var record = {
      id: null, outcome: null, kind: kind || null, looks: looks, distinctions: distinctions, lean: lean,
      domain: pick("domain", description.domain, reading.domain),
      rules: rules,
      role: pick("role", description.role, reading.role),
      level: pick("level", description.level, reading.level),
      exclusions: excluded,
    };
    return { record: record, text: prose, reading: reading, readFromText: fromText, truncated: truncated };
  };

  /* the df of every term the segmenter may look up in text: the shards of its characters, and of the
     first character of every ring whose words it holds (最低生活保障 needs the shard of 低保) */
  Finder.prototype.loadTerms = function (text) {
    var self = this, count = this.meta.shards.terms, wanted = new Set();
    function want(ch) {
      var k = ch.codePointAt(0) % count;
      if (!self.loadedTermShards.has(k)) wanted.add(k);
    }
    for (var ch of text) want(ch);
    this.aliases.forEach(function (main, word) { if (text.indexOf(word) >= 0) want(main); });
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
    var circumstances = this.meta.lexicon.exclusions.map(function (c) { return c.id; });
    var chunks = [];
    for (var n = 0; n < this.meta.shards.features; n++) chunks.push(n);
    var loads = chunks.map(function (k) { return self.load("f/" + k); });
    loads.push(withRules ? self.load("rules") : Promise.resolve({ names: [], information: {} }));
    function at(list, i) { return i === null ? null : list[i]; }
    return Promise.all(loads).then(function (loaded) {
      var rules = loaded.pop(), decoded = new Map();
      Object.keys(rules.information).forEach(function (scope) {
        rules.names.forEach(function (name, i) {
          if (rules.information[scope][i] !== null) self.info.set(scope + "rule:" + name, rules.information[scope][i]);
        });
      });
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
          rules: row[7].map(function (i) { return rules.names[i]; }),
          lean: at(v.distinction_sides.ids, row[8]),
          public: (row[9] & 1) === 1, current: (row[9] & 2) === 2,
          exclusions: row[10].map(function (i) { return circumstances[i]; }),
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
    var vec = [], written = new Map();
    return this.loadTerms(query.text).then(function () {
      var terms = query.text ? readTerms(query.text, self.df, self.aliases, c.LONGEST_FINDER_TERM) : { counts: new Map(), written: new Map() };
      written = terms.written;
      vec = terms.counts.size ? vector(terms.counts, self.df, self.idf, meta.average_length, c.QUERY_TERMS, c) : [];
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
          var text = vec.length ? scores.get(i) || 0.0 : null;
          var group = other.outcome ? self.outcomeGroup(other.outcome) : null;
          var parts = components(record, other, text, self.info, meta.weights, meta.vocab, group);
          var score = combine(parts, meta.weights, meta.components);
          if (score >= c.MIN_SCORE) scored.push({ score: score, number: i, record: other, parts: parts, text: scores.get(i) || 0.0 });
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
            return self.explain(query, vec, written, item, docs[j]);
          });
          var matches = explained.slice(0, top.length);
          var nearest = different ? explained[top.indexOf(different) >= 0 ? top.indexOf(different) : top.length] : null;
          var lean = record.lean;
          return {
            matches: matches, distribution: shares, vote: chosen, nearest: nearest, candidates: scored.length,
            queryLean: lean, sideListed: !!lean && matches.some(function (m) { return m.record.lean === lean; }),
            sideInCorpus: !!lean && (meta.leans[lean] || 0) > 0,
            best: matches.length ? matches[0].score : 0.0,
            exclusions: record.exclusions,
            terms: vec.map(function (kv) { return kv[0]; }),
          };
        });
      });
    });
  };

  /* Precedents._explain */
  Finder.prototype.explain = function (query, vec, written, item, doc) {
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
      return { factor: f, query: a, precedent: b, verdict: lookVerdict(a, b), compared: a !== "unknown" && b !== "unknown" };
    });
    var rules = new Set(p.rules);
    return {
      record: p, doc: doc, score: item.score, parts: item.parts, text: item.text, looks: looks, sides: sides,
      sharedTerms: vec.length ? sharedTerms(vec, written, doc, this.meta.equivalence) : [],
      sharedRules: sortedText(Array.from(new Set(q.rules)).filter(function (r) { return rules.has(r); })),
      sameDomain: !!q.domain && q.domain === p.domain,
      sharedExclusions: q.exclusions.filter(function (x) { return p.exclusions.indexOf(x) >= 0; }),
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
      if (!meta || meta.format !== 2) throw new LoadError("finder-data/meta.js", "数据格式不符");
      return new Finder(root, meta);
    });
  }

  window.CasebookFinder = {
    open: open,
    LoadError: LoadError,
    flow: flow,
    read: read,
    readTerms: readTerms,
    termHash: termHash,
    cmp: cmp,
  };
})();
