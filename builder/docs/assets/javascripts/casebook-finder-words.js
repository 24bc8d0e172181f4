/* casebook: the precedent finder's words in the browser, a port of search/explain.py.
 *
 * Every sentence comes from the finder's data (meta.wording, meta.labels, the
 * vocabularies), never typed here: the page says what `casebook similar`
 * says. Numbers are formatted as Python formats them (two decimals, a sign
 * for evidence, whole percentages; a tie between two decimals goes to the
 * even one, as Python rounds the binary value). No DOM: the page renders
 * these strings, and tests run them in Node against Python's golden file.
 *
 *   var words = CasebookFinderWords.of(finder);
 *   words.why(match, finding.exclusions); words.strength(finding); …
 */
(function () {
  "use strict";

  /* Python's format(x, ".2f"): as toFixed (both round the exact binary value), but an exact tie goes to even */
  function fixed(x, digits) {
    var exact = Math.abs(x).toFixed(100), point = exact.indexOf(".");
    var kept = exact.slice(0, digits ? point + 1 + digits : point), tail = exact.slice(point + 1 + digits);
    if (/^50*$/.test(tail) && "02468".indexOf(kept[kept.length - 1]) >= 0) return (x < 0 ? "-" : "") + kept;
    return x.toFixed(digits);
  }
  function number(x) { return fixed(x, 2); }
  /* f"{x:+.2f}": the sign of x itself (-0.001 is "-0.00") */
  function signed(x) { return (x < 0 || Object.is(x, -0) ? "-" : "+") + fixed(Math.abs(x), 2); }
  /* f"{x:.0%}" */
  function percent(x) { return fixed(x * 100, 0) + "%"; }

  function of(finder) {
    var meta = finder.meta, wording = meta.wording, labels = meta.labels, c = meta.constants;
    var circumstances = new Map(meta.lexicon.exclusions.map(function (x) { return [x.id, x]; }));
    var SEPARATOR = "；";

    /* say */
    function say(key, values) {
      return wording[key].replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
    }
    function quoted(phrases) {
      return phrases.slice(0, 4).map(function (p) { return "“" + p + "”"; }).join("、");
    }
    function outcome(record) { return record.outcome ? finder.label("outcomes", record.outcome) : "未知"; }
    function group(g) { return finder.label("outcome_groups", g); }
    function side(s) { return s ? finder.label("distinction_sides", s) : wording["side.unknown"]; }
    function lookLabel(v) { return finder.label("factor_values", v); }
    function circumstanceLabels(list) {
      return list.map(function (x) { return circumstances.get(x).label; }).join("、");
    }

    /* exclusion_lines */
    function exclusionLines(query) {
      var read = query.record.exclusions;
      if (!read.length) return [];
      var items = read.map(function (x) {
        return say("exclusion.item", { label: circumstances.get(x).label, phrases: quoted(query.reading.exclusions.get(x)) });
      });
      var lines = [say("exclusion.head", { labels: items.join("、") })];
      read.forEach(function (x) {
        circumstances.get(x).sources.forEach(function (s) {
          lines.push("  " + say("exclusion.source", { rule: s.rule, article: s.article, basis: labels.bases[s.basis],
            reading: s.reading, url: s.url }));
        });
      });
      return lines;
    }

    /* side_line */
    function sideLine(match) {
      var keys = { "同侧": "same", "相反": "opposite", "仅本案涉及": "only_query", "仅先例涉及": "only_precedent" };
      return match.sides.map(function (s) {
        var name = finder.shortLabel("distinctions", s.distinction);
        return say("side." + (keys[s.verdict] || "unclear"),
          { name: name, side: side(s.query), mine: side(s.query), theirs: side(s.precedent) });
      }).join(SEPARATOR);
    }

    function looksSame(match) { return match.looks.filter(function (l) { return l.compared && l.verdict === "相同"; }).length; }
    function looksCompared(match) { return match.looks.filter(function (l) { return l.compared; }).length; }

    /* looks_summary */
    function looksSummary(match) { return say("looks.summary", { same: looksSame(match), factors: match.looks.length }); }

    /* looks_detail */
    function looksDetail(match) {
      var opposite = match.looks.filter(function (l) { return l.verdict === "相反"; }).length;
      return say("why.looks", { compared: looksCompared(match), opposite: opposite ? say("looks.opposite", { count: opposite }) : "" });
    }

    /* _exclusion_detail */
    function exclusionDetail(match, queryExclusions) {
      var record = match.record;
      if (match.sharedExclusions.length) return say("why.exclusion.shared", { labels: circumstanceLabels(match.sharedExclusions) });
      var g = record.outcome ? finder.outcomeGroup(record.outcome) : null;
      if (queryExclusions.length && g === "tolerated") return say("why.exclusion.tolerated", { labels: circumstanceLabels(queryExclusions) });
      if (queryExclusions.length && record.lean === "not_tolerated") return say("why.exclusion.excluded_side", {});
      if (!queryExclusions.length && record.exclusions.length) {
        return say("why.exclusion.accountable", { labels: circumstanceLabels(record.exclusions) });
      }
      return "";
    }

    /* why */
    function why(match, queryExclusions) {
      var reasons = [];
      match.parts.forEach(function (value, name) {
        var detail = "", label = meta.component_labels[name];
        if (name === "text") detail = say("why.text", { cosine: number(match.text) });
        if (name === "kind") detail = say("why.kind", { kind: meta.kinds[match.record.kind || ""] || "类型不明" });
        if (name === "distinctions" && match.sides.length) detail = say("why.sides", { sides: sideLine(match) });
        if (name === "looks") { label = looksSummary(match); detail = looksDetail(match); }
        if (name === "domain" && match.sameDomain) detail = say("why.domain", { domain: finder.label("domains", match.record.domain) });
        if (name === "rules" && match.sharedRules.length) detail = say("why.rules", { rules: match.sharedRules.join("、") });
        if (name === "exclusion") detail = exclusionDetail(match, queryExclusions || []);
        reasons.push(say("why", { label: label, value: signed(value), detail: detail }));
      });
      return reasons;
    }

    /* looks_line */
    function looksLine(match) {
      return match.looks.filter(function (l) { return l.query !== "unknown" || l.precedent !== "unknown"; }).map(function (l) {
        return say("looks.row", { factor: finder.label("factors", l.factor), mine: lookLabel(l.query),
          theirs: lookLabel(l.precedent), verdict: l.verdict });
      }).join(SEPARATOR);
    }

    /* strength_label */
    function strengthLabel(match) {
      var words = !match.parts.has("text") || match.text >= c.THIN_TEXT;
      var key = match.score >= c.STRONG_SCORE && words ? "strong" : match.score >= c.WEAK_SCORE ? "fair" : "weak";
      return labels.strength[key];
    }

    /* score_line */
    function scoreLine(match) { return say("score", { score: number(match.score), strength: strengthLabel(match) }); }

    /* read_facets: the facets taken from the text, with their phrases */
    function readFacets(query) {
      var heads = ["kind", "distinction", "looks", "domain", "role", "level", "rules"];
      var facets = Array.from(query.readFromText).sort(function (a, b) {
        return heads.indexOf(a.split(".")[0]) - heads.indexOf(b.split(".")[0]) || CasebookFinder.cmp(a, b);
      });
      var record = query.record;
      return facets.map(function (facet) {
        var head = facet.split(".")[0], tail = facet.split(".")[1], label, value;
        if (head === "looks") { label = say("facet.looks", { factor: finder.label("factors", tail) }); value = lookLabel(record.looks[tail] || "unknown"); }
        else if (head === "distinction") {
          label = say("facet.distinction", { title: labels.facets.distinction, distinction: finder.shortLabel("distinctions", tail) });
          var pair = (record.distinctions || []).find(function (p) { return p[0] === tail; });
          value = side(pair ? pair[1] : null);
        } else if (facet === "kind") { label = labels.facets.kind; value = meta.kinds[record.kind || ""] || wording.unknown_kind; }
        else if (facet === "rules") { label = labels.facets.rules; value = record.rules.join("、"); }
        else {
          label = labels.facets[facet];
          var vocabulary = { domain: "domains", role: "roles", level: "levels" }[facet];
          value = record[facet] ? finder.label(vocabulary, record[facet]) : wording.unknown_value;
        }
        var phrases = query.reading.phrases.get(facet) || (facet === "rules" ? record.rules : []);
        return { facet: facet, label: label, value: value, phrases: phrases };
      });
    }

    /* strength: the outcome distribution in words, and how firmly */
    function strength(finding) {
      if (!finding.matches.length) return "";
      var parts = finding.distribution.map(function (share) {
        var close = share.count === 1 ? say("outcomes.close_one", { high: number(share.scores[0]) })
          : say("outcomes.close_range", { high: number(share.scores[0]), low: number(share.scores[1]) });
        return say("outcomes.part", { group: group(share.group), count: share.count, share: percent(share.weighted), close: close });
      });
      var line = say("outcomes.head", { n: finding.matches.length, parts: parts.join(SEPARATOR) });
      var top = finding.distribution.find(function (g) { return g.group === finding.vote; }) || finding.distribution[0];
      var close = finding.matches.filter(function (m) {
        return m.score >= c.WEAK_SCORE && finder.outcomeGroup(m.record.outcome || "") === finding.vote;
      }).length;
      if (finding.best < c.WEAK_SCORE) return line + say("outcomes.thin", {});
      if (finding.vote === null) return line + say("outcomes.no_vote", {});
      if (finding.vote === "tolerated" && finding.queryLean === "not_tolerated") return line + say("outcomes.excluded", { group: group(finding.vote) });
      if (top.weighted >= 0.75 && close >= 3) return line + say("outcomes.consistent", { group: group(finding.vote) });
      if (top.weighted >= 0.5) return line + say("outcomes.more", { group: group(finding.vote) });
      return line + say("outcomes.scattered", { group: group(finding.vote) });
    }

    /* honesty_notes */
    function honestyNotes(finding, hasText) {
      var notes = [];
      if (!finding.matches.length) notes.push(say("note.none", { floor: number(c.MIN_SCORE) }));
      else if (finding.best < c.WEAK_SCORE) notes.push(say("note.weak", { best: number(finding.best), weak: number(c.WEAK_SCORE) }));
      else if (hasText && finding.matches[0].text < c.THIN_TEXT) notes.push(say("note.thin", { cosine: number(finding.matches[0].text) }));
      if (finding.queryLean && !finding.sideListed) {
        notes.push(say("note.side", {
          side: side(finding.queryLean),
          why: say(finding.exclusions.length ? "note.side.why_excluded" : "note.side.why_read", {}),
          where: say(finding.sideInCorpus ? "note.side.listed" : "note.side.corpus", {}),
        }));
      }
      return notes;
    }

    /* different_line */
    function differentLine(other) {
      return say("different", { title: other.doc.title, outcome: outcome(other.record), id: other.record.id, score: number(other.score) });
    }

    return {
      say: say, number: number, signed: signed, percent: percent, fixed: fixed,
      exclusionLines: exclusionLines, sideLine: sideLine, looksSummary: looksSummary, looksDetail: looksDetail,
      why: why, looksLine: looksLine, strengthLabel: strengthLabel, scoreLine: scoreLine, readFacets: readFacets,
      strength: strength, honestyNotes: honestyNotes, differentLine: differentLine, outcome: outcome, group: group,
      lookLabel: lookLabel, side: side,
    };
  }

  window.CasebookFinderWords = { of: of, fixed: fixed };
})();
