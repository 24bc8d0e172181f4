/* casebook: the 类案查找 page (finder.html) over CasebookFinder (casebook-finder.js).
 *
 * The query is in the address, so a link reproduces it:
 *   ?text=…                         the description
 *   &motive=favourable …            a six-looks factor (favourable / unfavourable / mixed / unknown)
 *   &distinction=motive:not_tolerated   a distinction and its side (repeatable; "motive" alone: side unknown)
 *   &domain=…&role=…&level=…        vocabulary ids
 *   &rule=《…》                      a regulation breached (repeatable)
 * Every sentence is search/explain.py's, said by casebook-finder-words.js from the
 * data (what cannot be tolerated first, then what was read, then the precedents),
 * and the print view is the retrieval report of search/report.py. Text from the
 * address or from a case is only ever set as text (textContent), never parsed as markup.
 */
(function () {
  "use strict";

  var TOP = 10;
  var MAX_TEXT = 20000;
  var script = document.currentScript;
  var root = new URL("../../", script.src).href;
  var app = document.getElementById("cb-finder");
  var finder = null;
  var words = null; // CasebookFinderWords.of(finder): the finder's sentences, from its data
  // Who ran the search, when, and the matter to decide: typed before printing, never in the address.
  var filled = { by: "", date: "", matter: "" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function message(kind, text) {
    var box = el("div", "cb-finder-message cb-finder-" + kind, text);
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    return box;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function fixed(x, digits) { return CasebookFinderWords.fixed(x, digits); }

  /* --- state <-> address ---------------------------------------------------- */

  /* Labels and titles come with the finder's data (schema/vocabularies.yaml, schema/facets.py): never typed here. */
  function lookLabel(value) { return finder.label("factor_values", value); }
  function sideWords(side) { return side ? finder.label("distinction_sides", side) : "侧别不明"; }
  function facetTitle(name) { return finder.meta.facets[name].title; }
  function facetVocabulary(name) { return finder.meta.facets[name].vocabulary; }

  function readState(search) {
    var meta = finder.meta, params = new URLSearchParams(search), problems = [];
    var state = { text: params.get("text") || "", factors: {}, distinctions: [], domain: null, role: null,
      level: null, rules: [] };
    var factors = meta.vocab.factors.ids;
    params.forEach(function (value, name) {
      if (name === "text") return;
      if (factors.indexOf(name) >= 0) {
        if (!finder.known("factor_values", value)) problems.push("六看“" + finder.label("factors", name) + "”没有取值“" + value + "”");
        else state.factors[name] = value;
      } else if (name === "distinction") {
        var parts = value.split(":"), d = parts[0], side = parts[1] || null;
        if (!finder.known("distinctions", d)) problems.push("没有名为“" + d + "”的" + facetTitle("distinction"));
        else if (side !== null && !finder.known("distinction_sides", side)) problems.push(facetTitle("distinction") + "没有侧别“" + side + "”");
        else state.distinctions.push([d, side]);
      } else if (name === "domain" || name === "role" || name === "level") {
        if (!finder.known(facetVocabulary(name), value) || value === "unknown") problems.push(facetTitle(name) + "没有取值“" + value + "”");
        else state[name] = value;
      } else if (name === "rule") {
        if (value.trim()) state.rules.push(value.trim());
      } else {
        problems.push("无法识别的参数“" + name + "”");
      }
    });
    state.problems = problems;
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.text) params.set("text", state.text);
    Object.keys(state.factors).forEach(function (f) { params.set(f, state.factors[f]); });
    state.distinctions.forEach(function (p) { params.append("distinction", p[1] ? p[0] + ":" + p[1] : p[0]); });
    ["domain", "role", "level"].forEach(function (n) { if (state[n]) params.set(n, state[n]); });
    state.rules.forEach(function (r) { params.append("rule", r); });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  /* --- the form --------------------------------------------------------------- */

  function select(name, label, options, value) {
    var wrap = el("label", "cb-finder-field");
    wrap.appendChild(el("span", "cb-finder-label", label));
    var box = el("select");
    box.name = name;
    options.forEach(function (o) {
      var option = el("option", null, o[1]);
      option.value = o[0];
      if (o[0] === value) option.selected = true;
      box.appendChild(option);
    });
    wrap.appendChild(box);
    return wrap;
  }

  function vocabOptions(name, empty) {
    var v = finder.meta.vocab[name];
    return [["", empty]].concat(v.ids.filter(function (id) { return id !== "unknown"; }).map(function (id, i) {
      return [id, v.labels[v.ids.indexOf(id)]];
    }));
  }

  function buildForm(state) {
    var meta = finder.meta, form = el("form", "cb-finder-form");
    form.setAttribute("role", "search");
    var text = el("label", "cb-finder-field cb-finder-text");
    text.appendChild(el("span", "cb-finder-label", "案情描述"));
    var area = el("textarea");
    area.name = "text";
    area.rows = 6;
    area.maxLength = MAX_TEXT;
    area.placeholder = "用几句话写明新情况：做了什么、为什么做、是否经过集体研究、造成了什么后果……";
    area.value = state.text;
    text.appendChild(area);
    form.appendChild(text);

    var looks = el("fieldset", "cb-finder-group");
    looks.appendChild(el("legend", null, "六看（不填则据文字推断）"));
    meta.vocab.factors.ids.forEach(function (f, i) {
      var options = [["", "据文字推断"]].concat(meta.vocab.factor_values.ids.map(function (v) { return [v, lookLabel(v)]; }));
      looks.appendChild(select(f, meta.vocab.factors.labels[i], options, state.factors[f] || ""));
    });
    form.appendChild(looks);

    var sides = el("fieldset", "cb-finder-group");
    sides.appendChild(el("legend", null, facetTitle("distinction")));
    var given = new Map(state.distinctions.map(function (p) { return [p[0], p[1] || "any"]; }));
    meta.vocab.distinctions.ids.forEach(function (d, i) {
      var options = [["", "据文字推断"], ["any", "涉及，侧别不明"]].concat(
        meta.vocab.distinction_sides.ids.map(function (side) { return [side, sideWords(side)]; }));
      sides.appendChild(select("distinction." + d, meta.vocab.distinctions.short[i], options, given.get(d) || ""));
    });
    form.appendChild(sides);

    var other = el("fieldset", "cb-finder-group");
    other.appendChild(el("legend", null, "领域、身份与规定"));
    ["domain", "role", "level"].forEach(function (name) {
      other.appendChild(select(name, facetTitle(name), vocabOptions(facetVocabulary(name), "据文字推断"), state[name] || ""));
    });
    var rules = el("label", "cb-finder-field cb-finder-rules");
    rules.appendChild(el("span", "cb-finder-label", facetTitle("rule") + "（每行一项，如《……》）"));
    var rulesArea = el("textarea");
    rulesArea.name = "rules";
    rulesArea.rows = 2;
    rulesArea.value = state.rules.join("\n");
    rules.appendChild(rulesArea);
    other.appendChild(rules);
    form.appendChild(other);

    var buttons = el("div", "cb-finder-buttons");
    var submit = el("button", "md-button md-button--primary", "查找类案");
    submit.type = "submit";
    buttons.appendChild(submit);
    form.appendChild(buttons);

    /* What the printed report records besides the search: typed here, or by hand on paper. */
    var report = el("fieldset", "cb-finder-group cb-finder-report-fields");
    report.appendChild(el("legend", null, "检索报告（打印前可填写，不写则留空待手写）"));
    [["by", "检索人", "姓名或部门", 40], ["date", "检索日期", "YYYY-MM-DD", 20], ["matter", meta.report.matter, meta.report.matter_hint, 400]]
      .forEach(function (spec) {
        var name = spec[0], label = el("label", "cb-finder-field cb-finder-who" + (name === "matter" ? " cb-finder-rules" : ""));
        label.appendChild(el("span", "cb-finder-label", spec[1]));
        var input = el(name === "matter" ? "textarea" : "input");
        if (name === "matter") input.rows = 2; else input.type = "text";
        input.name = name;
        input.maxLength = spec[3];
        input.placeholder = spec[2];
        input.value = filled[name] || "";
        input.addEventListener("input", function () {
          filled[name] = input.value.trim();
          document.querySelectorAll(".cb-finder-fill-" + name).forEach(function (cell) {
            cell.textContent = filled[name] || (name === "matter" ? "" : meta.report.blank);
          });
          if (name === "date") pageStyle();
        });
        label.appendChild(input);
        report.appendChild(label);
      });
    var print = el("button", "md-button cb-finder-print", "打印检索报告");
    print.type = "button";
    print.addEventListener("click", function () { window.print(); });
    report.appendChild(print);
    form.appendChild(report);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var next = { text: area.value, factors: {}, distinctions: [], domain: null, role: null, level: null, rules: [], problems: [] };
      meta.vocab.factors.ids.forEach(function (f) {
        var v = form.elements[f].value;
        if (v) next.factors[f] = v;
      });
      meta.vocab.distinctions.ids.forEach(function (d) {
        var v = form.elements["distinction." + d].value;
        if (v) next.distinctions.push([d, v === "any" ? null : v]);
      });
      ["domain", "role", "level"].forEach(function (n) { next[n] = form.elements[n].value || null; });
      next.rules = rulesArea.value.split("\n").map(function (r) { return r.trim(); }).filter(Boolean);
      history.pushState(null, "", location.pathname + writeState(next));
      run(next);
    });
    return form;
  }

  /* --- explanations: casebook-finder-words.js (search/explain.py) ---------------- */

  function outcomeLabel(record) { return words.outcome(record); }
  function hasText(query) { return !!query.text.trim(); }

  /* --- rendering ---------------------------------------------------------------- */

  /* What cannot be tolerated, said before anything else: the circumstance, the words it was read from, its sources. */
  function exclusionBlock(query) {
    var lines = words.exclusionLines(query);
    if (!lines.length) return null;
    var box = el("section", "cb-finder-exclusion");
    box.setAttribute("role", "alert");
    box.appendChild(el("p", "cb-finder-exclusion-head", lines[0]));
    var list = el("ul", "cb-finder-exclusion-sources");
    lines.slice(1).forEach(function (line) { list.appendChild(el("li", null, line.trim())); });
    box.appendChild(list);
    return box;
  }

  function readingBlock(query) {
    var rows = words.readFacets(query), box = el("section", "cb-finder-reading");
    if (!rows.length) {
      box.appendChild(el("p", null, "从描述中没有读出案件要素（可在上面的表单中补充六看、三个区分开来等）。"));
      return box;
    }
    box.appendChild(el("h2", null, "从描述中读出的要素"));
    box.appendChild(el("p", "cb-finder-hint", "据文字推断，可在上面的表单中更正。"));
    var list = el("ul");
    rows.forEach(function (row) {
      var item = el("li");
      item.dataset.facet = row.facet;
      item.dataset.value = row.label + ":" + row.value;
      item.appendChild(el("span", "cb-finder-inferred", "据文字推断"));
      item.appendChild(document.createTextNode(" " + row.label + "：" + row.value));
      var phrases = row.phrases.slice(0, 4).map(function (p) { return "“" + p + "”"; }).join("、");
      if (phrases) item.appendChild(el("span", "cb-finder-phrases", "（据 " + phrases + "）"));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (query.truncated) box.appendChild(el("p", "cb-finder-hint", "描述很长，只读取了前 " + finder.meta.constants.LONGEST_DESCRIPTION + " 字。"));
    return box;
  }

  function looksTable(match) {
    var table = el("table", "cb-finder-looks"), head = el("tr");
    ["六看因素", "本案", "先例", "对照"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    match.looks.forEach(function (c) {
      var row = el("tr");
      [finder.label("factors", c.factor), lookLabel(c.query), lookLabel(c.precedent), c.verdict].forEach(function (v) {
        row.appendChild(el("td", null, v));
      });
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function matchCard(n, match, exclusions) {
    var record = match.record, doc = match.doc, card = el("article", "cb-finder-hit");
    card.dataset.id = record.id;
    var title = el("h3");
    title.appendChild(document.createTextNode(n + ". "));
    var link = el("a", null, doc.title);
    link.href = root + doc.url;
    title.appendChild(link);
    if (doc.internal) title.appendChild(el("span", "cb-finder-mark", "内部"));
    title.appendChild(el("span", "cb-finder-score", words.scoreLine(match)));
    card.appendChild(title);
    card.appendChild(el("p", "cb-finder-meta", "编号 " + record.id + " · 处理结果：" + outcomeLabel(record) + " · " +
      doc.region + " · " + doc.year + " 年"));
    var parts = el("ul", "cb-finder-parts");
    words.why(match, exclusions).forEach(function (reason) { parts.appendChild(el("li", null, reason)); });
    card.appendChild(el("p", "cb-finder-label", "相似之处："));
    card.appendChild(parts);
    if (match.sharedTerms.length) card.appendChild(el("p", "cb-finder-terms", "共同关键词：" + match.sharedTerms.join("、")));
    if (match.sharedRules.length) card.appendChild(el("p", "cb-finder-shared-rules", "共同违反的规定：" + match.sharedRules.join("、")));
    card.appendChild(looksTable(match));
    if (doc.key_point) card.appendChild(el("p", "cb-finder-keypoint", "要旨：" + doc.key_point));
    return card;
  }

  function resultsBlock(query, finding, scope) {
    var box = el("section", "cb-finder-results");
    box.appendChild(el("p", "cb-finder-scope", words.say("scope", { scope: scope, n: finding.matches.length })));
    words.honestyNotes(finding, hasText(query)).forEach(function (note) { box.appendChild(message("warning", "注意：" + note)); });
    if (finding.matches.length) {
      box.appendChild(el("p", "cb-finder-strength", words.strength(finding)));
      if (finding.nearest) box.appendChild(el("p", "cb-finder-different", words.differentLine(finding.nearest)));
      else if (finding.vote) box.appendChild(el("p", "cb-finder-different", words.say("different.none", {})));
    }
    var list = el("div", "cb-finder-list");
    finding.matches.forEach(function (m, i) { list.appendChild(matchCard(i + 1, m, finding.exclusions)); });
    box.appendChild(list);
    if (finding.nearest && finding.matches.indexOf(finding.nearest) < 0) {
      box.appendChild(el("h2", null, "结果不同的最近先例"));
      box.appendChild(matchCard(1, finding.nearest, finding.exclusions));
    }
    return box;
  }

  /* --- the retrieval report (search/report.py), shown only in print ---------------
   * Its form (title, head fields, sections, columns, marks) is search/report.py's LAYOUT,
   * received as finder.meta.report; its sentences are the explanations above. */

  function row(table, cells, header) {
    var tr = el("tr");
    cells.forEach(function (c) {
      var cell = el(header ? "th" : "td");
      if (c instanceof Node) cell.appendChild(c); else cell.textContent = c;
      tr.appendChild(cell);
    });
    table.appendChild(tr);
    return tr;
  }

  function grid(className, head, rows, widths) {
    var table = el("table", "cb-report-table " + className);
    if (widths) {
      var cols = table.appendChild(el("colgroup"));
      widths.forEach(function (w) { cols.appendChild(el("col")).style.width = w; });
    }
    row(table.appendChild(el("thead")), head, true);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (cells) { row(body, cells); });
    return table;
  }

  function marks() {
    var R = finder.meta.report;
    return R.marks.map(function (m) { return R.box + " " + m; }).join("\u3000");
  }

  /* A field the searcher fills in on the page, or by hand on paper. */
  function field(name) {
    return el("span", "cb-report-field cb-finder-fill cb-finder-fill-" + name, filled[name] || finder.meta.report.blank);
  }

  function conditionLines(state) {
    var lines = [];
    if (state.text) lines.push("文字描述：" + state.text);
    Object.keys(state.factors).forEach(function (f) {
      lines.push("六看 " + finder.label("factors", f) + "：" + finder.label("factor_values", state.factors[f]));
    });
    state.distinctions.forEach(function (p) {
      lines.push(facetTitle("distinction") + "：" + finder.label("distinctions", p[0]) + (p[1] ? "（" + finder.label("distinction_sides", p[1]) + "）" : ""));
    });
    if (state.domain) lines.push(facetTitle("domain") + "：" + finder.label("domains", state.domain));
    state.rules.forEach(function (r) { lines.push(facetTitle("rule") + "：" + r); });
    ["role", "level"].forEach(function (name) {
      if (state[name]) lines.push(facetTitle(name) + "：" + finder.label(facetVocabulary(name), state[name]));
    });
    return lines;
  }

  function reportHead(scope) {
    var meta = finder.meta, R = meta.report;
    var values = {
      by: field("by"),
      date: field("date"),
      platform: "容错纠错典型案例库网站 · 类案查找",
      version: "网站数据 " + meta.version + "（" + (meta.edition === "internal" ? "内部版" : "公开版") + "）",
      method: R.method_value,
      scope: scope
    };
    var head = el("table", "cb-report-table cb-report-head"), body = head.appendChild(el("tbody"));
    for (var i = 0; i < R.head.length; i += 2) {
      var tr = body.appendChild(el("tr"));
      R.head.slice(i, i + 2).forEach(function (pair) {
        tr.appendChild(el("th", null, pair[1]));
        var cell = tr.appendChild(el("td"));
        var value = values[pair[0]];
        if (value instanceof Node) cell.appendChild(value); else cell.textContent = value;
      });
    }
    return head;
  }

  function reportMatter() {
    var R = finder.meta.report, part = el("div", "cb-report-matter");
    part.appendChild(el("h2", null, R.matter));
    part.appendChild(el("p", "cb-report-hint", R.matter_hint));
    part.appendChild(el("div", "cb-report-box cb-finder-fill-matter", filled.matter || ""));
    return part;
  }

  function reportBlock(state, query, finding, scope) {
    var meta = finder.meta, R = meta.report, S = R.sections, box = el("section", "cb-finder-report cb-report");
    box.appendChild(el("h1", null, R.title));
    box.appendChild(reportHead(scope));
    var excluded = exclusionBlock(query);
    if (excluded) box.appendChild(excluded);
    box.appendChild(reportMatter());
    box.appendChild(el("p", "cb-report-caution", R.caution));
    var part = box.appendChild(el("div", "cb-report-part"));
    part.appendChild(el("h2", null, S.query));
    part.appendChild(el("pre", "cb-finder-conditions", conditionLines(state).join("\n")));
    var read = words.readFacets(query);
    if (read.length) {
      part.appendChild(el("p", "cb-report-lead", R.reading + "："));
      part.appendChild(grid("cb-report-reading", R.reading_columns, read.map(function (r) {
        return [r.label, r.value, r.phrases.slice(0, 4).join("、")];
      })));
    }
    part = box.appendChild(el("div", "cb-report-part"));
    part.appendChild(el("h2", null, S.method));
    var method = words.say("method", { floor: fixed(meta.constants.MIN_SCORE, 2), weak: fixed(meta.constants.WEAK_SCORE, 2) }).split("\n");
    part.appendChild(el("p", null, method[0]));
    var steps = part.appendChild(el("ul", "cb-report-method"));
    method.slice(1).forEach(function (line) { steps.appendChild(el("li", null, line.replace(/^- /, ""))); });
    // Two weights a row (as the head table pairs its fields): the table stays short on paper.
    var names = Object.keys(meta.weights), pairs = [];
    for (var i = 0; i < names.length; i += 2) {
      pairs.push(names.slice(i, i + 2).reduce(function (cells, n) {
        return cells.concat([meta.weight_labels[n], fixed(meta.weights[n], 2)]);
      }, []));
    }
    part.appendChild(grid("cb-report-weights", R.weights_columns.concat(R.weights_columns), pairs));
    part = box.appendChild(el("div", "cb-report-part"));
    part.appendChild(el("h2", null, S.results));
    var notes = words.honestyNotes(finding, hasText(query));
    notes.forEach(function (note) { part.appendChild(el("p", "cb-finder-note", "注意：" + note)); });
    if (finding.matches.length) {
      part.appendChild(el("p", null, words.strength(finding)));
      var counts = finder.outcomes(finding).map(function (o) { return finder.label("outcomes", o[0]) + " " + o[1] + " 个"; });
      part.appendChild(el("p", "cb-report-lead", "其中各处理结果：" + counts.join("、") + "。"));
      box.appendChild(grid("cb-report-overview", R.overview_columns, finding.matches.map(function (m, i) {
        var title = el("span");
        title.appendChild(el("span", "cb-report-name", m.doc.title + (m.doc.internal ? "（内部）" : "")));
        title.appendChild(el("span", "cb-report-id", m.record.id));
        var ticks = el("span", "cb-report-marks");
        R.marks.forEach(function (mark) { ticks.appendChild(el("span", "cb-report-mark", R.box + " " + mark)); });
        return [String(i + 1), title, outcomeLabel(m.record), fixed(m.score, 2), ticks];
      }), ["3.4em", null, "7.5em", "4.2em", "10.5em"]));
    } else if (!notes.length) {
      part.appendChild(el("p", null, "检索范围内没有可比较的先例。"));
    }
    box.appendChild(el("h2", "cb-report-cases", S.precedents));
    finding.matches.forEach(function (m, i) { box.appendChild(reportSection(i + 1, m, finding.exclusions)); });
    if (finding.nearest) {
      box.appendChild(el("h2", "cb-report-cases", S.different));
      if (finding.matches.indexOf(finding.nearest) < 0) box.appendChild(reportSection(1, finding.nearest, finding.exclusions));
      else box.appendChild(el("p", null, "即上列 " + finding.nearest.record.id + "。"));
    }
    var sign = box.appendChild(el("p", "cb-report-signature"));
    R.signature.forEach(function (label, i) {
      if (i) sign.appendChild(document.createTextNode("\u3000\u3000"));
      sign.appendChild(document.createTextNode(label + "："));
      sign.appendChild(el("span", "cb-report-line"));
    });
    return box;
  }

  /* The six looks side by side: a column per factor, a row for the query, the precedent and the verdict. */
  function reportLooks(match) {
    var R = finder.meta.report, c = match.looks;
    return grid("cb-report-looks", [R.looks_head].concat(c.map(function (x) { return finder.label("factors", x.factor); })), [
      [R.looks_rows[0]].concat(c.map(function (x) { return lookLabel(x.query); })),
      [R.looks_rows[1]].concat(c.map(function (x) { return lookLabel(x.precedent); })),
      [R.looks_rows[2]].concat(c.map(function (x) { return x.verdict; }))
    ]);
  }

  function reportSection(n, match, exclusions) {
    var R = finder.meta.report, record = match.record, doc = match.doc, part = el("div", "cb-finder-report-case cb-report-case");
    var title = part.appendChild(el("h3", null, n + ". " + doc.title + (doc.internal ? "（内部）" : "")));
    title.appendChild(el("span", "cb-report-score", words.scoreLine(match)));
    part.appendChild(el("p", "cb-report-meta", "编号 " + record.id + "；地区：" + doc.region + "；年份：" + doc.year +
      "；处理结果：" + outcomeLabel(record)));
    part.appendChild(el("p", null, "相似之处：" + words.why(match, exclusions).join("；")));
    if (match.sides.length) part.appendChild(el("p", null, facetTitle("distinction") + "：" + words.sideLine(match)));
    if (match.sharedTerms.length) part.appendChild(el("p", null, "共同关键词：" + match.sharedTerms.join("、")));
    if (doc.key_point) part.appendChild(el("p", null, "要旨：" + doc.key_point));
    if (match.looks.length) part.appendChild(reportLooks(match));
    var opinion = part.appendChild(el("p", "cb-report-opinion"));
    opinion.appendChild(el("strong", null, R.opinion + "："));
    opinion.appendChild(document.createTextNode(marks() + "\u3000" + R.reason + "："));
    opinion.appendChild(el("span", "cb-report-line"));
    return part;
  }

  /* The running head and foot of every printed page: the report's title, its date, the page number. */
  function cssString(text) {
    return '"' + Array.from(String(text)).map(function (c) {
      return /[0-9A-Za-z\u4e00-\u9fff]/.test(c) ? c : "\\" + c.codePointAt(0).toString(16) + " ";
    }).join("") + '"';
  }

  function pageStyle() {
    var R = finder.meta.report, style = document.getElementById("cb-report-page");
    if (!style) {
      style = document.head.appendChild(el("style"));
      style.id = "cb-report-page";
    }
    var dateLabel = R.head.filter(function (p) { return p[0] === "date"; })[0][1];
    var number = R.page.split(/(\{pages?\})/).map(function (piece) {
      return piece === "{page}" ? "counter(page)" : piece === "{pages}" ? "counter(pages)" : piece ? cssString(piece) : "";
    }).join(" ");
    var box = "font: 8pt sans-serif; color: #444;";
    style.textContent = "@media print { @page { size: A4; margin: 15mm 14mm 14mm; " +
      "@top-left { content: " + cssString(R.title) + "; " + box + " } " +
      "@top-right { content: " + cssString(dateLabel + " " + (filled.date || R.blank)) + "; " + box + " } " +
      "@bottom-center { content: " + number + "; " + box + " } } }";
  }

  function today() {
    var now = new Date(), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* --- running a query ---------------------------------------------------------- */

  function scopeOf() {
    var meta = finder.meta;
    return meta.edition === "internal"
      ? "全部现行案例 " + meta.eligible + " 个（其中内部案例 " + meta.internal + " 个）"
      : "公开案例 " + meta.eligible + " 个";
  }

  var output = null, generation = 0;

  function printable(yes) {
    var button = app.querySelector(".cb-finder-print");
    if (button) {
      button.disabled = !yes;
      button.title = yes ? "" : "查找出结果后才能打印检索报告";
    }
  }

  function run(state) {
    var mine = ++generation;
    clear(output);
    printable(false);
    app.dataset.state = "loading";
    if (state.problems.length) {
      output.appendChild(message("error", "链接中的检索条件有误：" + state.problems.join("；") + "。请在表单中重新选择。"));
      app.dataset.state = "error";
      return Promise.resolve();
    }
    var empty = !state.text.trim() && !Object.keys(state.factors).length && !state.distinctions.length &&
      !state.domain && !state.rules.length && !state.role && !state.level;
    if (empty) {
      output.appendChild(message("info", "请写下新情况的案情描述，或至少选择一项六看、三个区分开来、工作领域等条件，再点“查找类案”。"));
      app.dataset.state = "empty";
      return Promise.resolve();
    }
    output.appendChild(message("info", "正在查找……"));
    var query = finder.queryOf(state);
    return finder.similar(query, TOP).then(function (finding) {
      if (mine !== generation) return;
      clear(output);
      var scope = scopeOf();
      var excluded = exclusionBlock(query);
      if (excluded) output.appendChild(excluded);
      output.appendChild(readingBlock(query));
      output.appendChild(resultsBlock(query, finding, scope));
      output.appendChild(reportBlock(state, query, finding, scope));
      app.dataset.state = "done";
      printable(true);
      // For the benchmark (tests/bench/bench_site_finder.py): when the first results were drawn.
      if (!window.__casebookFinderReady) window.__casebookFinderReady = { ms: performance.now(), found: finding.matches.length };
    }).catch(function (error) { fail(error); });
  }

  function fail(error) {
    clear(output || app);
    var file = error && error.file ? "（" + error.file + ":" + error.reason + "）" : "";
    (output || app).appendChild(message("error", "类案查找的数据无法加载" + file + "，请重新生成网站或检查文件是否完整。"));
    app.dataset.state = "error";
    if (!(error && error.file) && window.console) console.error(error);
  }

  function start() {
    if (!filled.date) filled.date = today(); // the day of the search, as the reader's computer tells it
    pageStyle();
    clear(app);
    var state = readState(location.search);
    app.appendChild(buildForm(state));
    output = el("div", "cb-finder-output");
    output.setAttribute("aria-live", "polite");
    app.appendChild(output);
    run(state);
  }

  window.addEventListener("popstate", function () { if (finder) start(); });
  var scripts = [["CasebookData", "casebook-data.js"], ["CasebookFinder", "casebook-finder.js"],
    ["CasebookFinderWords", "casebook-finder-words.js"]];
  var missing = scripts.filter(function (s) { return !window[s[0]]; })[0];
  if (missing) {
    fail({ file: "assets/javascripts/" + missing[1], reason: "文件缺失或无法读取" });
    return;
  }
  CasebookFinder.open(root).then(function (opened) {
    finder = opened;
    words = CasebookFinderWords.of(finder);
    start();
  }).catch(fail);
})();
