/* casebook: the 类案查找 page (finder.html) over CasebookFinder (casebook-finder.js).
 *
 * The query is in the address, so a link reproduces it:
 *   ?text=…                         the description
 *   &motive=favourable …            a six-looks factor (favourable / unfavourable / mixed / unknown)
 *   &distinction=motive:not_tolerated   a distinction and its side (repeatable; "motive" alone: side unknown)
 *   &domain=…&role=…&level=…        vocabulary ids
 *   &rule=《…》                      a regulation breached (repeatable)
 * The explanations are those of search/present.py and the print view is the
 * retrieval report of search/report.py. Text from the address or from a case
 * is only ever set as text (textContent), never parsed as markup.
 */
(function () {
  "use strict";

  var TOP = 10;
  var MAX_TEXT = 20000;
  var script = document.currentScript;
  var root = new URL("../../", script.src).href;
  var app = document.getElementById("cb-finder");
  var finder = null;
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

  /* Python's format(x, ".2f"): as toFixed (both round the exact binary value), but an exact tie goes to even */
  function fixed(x, digits) {
    var exact = Math.abs(x).toFixed(100), point = exact.indexOf(".");
    var kept = exact.slice(0, digits ? point + 1 + digits : point), tail = exact.slice(point + 1 + digits);
    if (/^50*$/.test(tail) && "02468".indexOf(kept[kept.length - 1]) >= 0) return (x < 0 ? "-" : "") + kept;
    return x.toFixed(digits);
  }
  function percent(x) { return fixed(x * 100, 0) + "%"; }

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

  /* --- explanations (search/present.py) ------------------------------------------ */

  function outcomeLabel(record) { return record.outcome ? finder.label("outcomes", record.outcome) : "未知"; }
  function groupLabel(group) { return finder.label("outcome_groups", group); }

  /* side_line */
  function sideLine(match) {
    return match.sides.map(function (c) {
      var name = finder.shortLabel("distinctions", c.distinction);
      if (c.verdict === "同侧") return name + " 同侧（均在" + sideWords(c.query) + "）";
      if (c.verdict === "相反") return name + " 相反（本案在" + sideWords(c.query) + "，先例在" + sideWords(c.precedent) + "）";
      if (c.verdict === "仅本案涉及") return name + " 仅本案涉及（" + sideWords(c.query) + "）";
      if (c.verdict === "仅先例涉及") return name + " 仅先例涉及（" + sideWords(c.precedent) + "）";
      return name + " 双方均涉及，侧别不明";
    }).join("；");
  }

  /* why */
  function why(match) {
    var reasons = [];
    match.parts.forEach(function (value, name) {
      var detail = "";
      if (name === "kind") detail = "（先例为" + (finder.meta.kinds[match.record.kind || ""] || "类型不明") + "）";
      if (name === "distinctions" && match.sides.length) detail = "（" + sideLine(match) + "）";
      if (name === "domain" && match.sameDomain) detail = "（均为" + finder.label("domains", match.record.domain) + "）";
      if (name === "rules" && match.sharedRules.length) detail = "（均违反" + match.sharedRules.join("、") + "）";
      reasons.push(finder.meta.component_labels[name] + " " + fixed(value, 2) + detail);
    });
    return reasons;
  }

  /* strength */
  function strength(finding) {
    if (!finding.matches.length) return "";
    var parts = finding.distribution.map(function (share) {
      var close = share.count === 1 ? "相似度 " + fixed(share.scores[0], 2)
        : "相似度 " + fixed(share.scores[0], 2) + "–" + fixed(share.scores[1], 2);
      return groupLabel(share.group) + " " + share.count + " 个（按相似度加权 " + percent(share.weighted) + "，" + close + "）";
    });
    var line = "前 " + finding.matches.length + " 个先例的处理结果：" + parts.join("；") + "。";
    var top = finding.distribution.find(function (g) { return g.group === finding.vote; }) || finding.distribution[0];
    if (finding.vote === null) line += "没有哪一种结果占优。";
    else if (top.weighted >= 0.75 && top.count >= 3) line += "多数为“" + groupLabel(finding.vote) + "”，较为一致。";
    else if (top.weighted >= 0.5) line += "“" + groupLabel(finding.vote) + "”稍多，但并不一致。";
    else line += "结果分散，“" + groupLabel(finding.vote) + "”只是相对较多。";
    return line;
  }

  /* honesty_notes */
  function honestyNotes(finding) {
    var c = finder.meta.constants, notes = [];
    if (!finding.matches.length) {
      notes.push("检索范围内没有可以作为参照的先例（所有案例的相似度都低于 " + fixed(c.MIN_SCORE, 2) + ")。");
      return notes;
    }
    if (finding.best < c.WEAK_SCORE) {
      notes.push("最相似的先例相似度只有 " + fixed(finding.best, 2) + "（低于 " + fixed(c.WEAK_SCORE, 2) +
        "）：本库中没有与本案接近的先例，下列先例只能作一般了解，不宜作为参照。");
    }
    if (finding.queryLean && !finding.sideListed) {
      var where = finding.sideInCorpus ? "所列先例中" : "本库中";
      notes.push("描述指向" + sideWords(finding.queryLean) + "（见读出的三个区分开来），但" + where +
        "没有落在这一侧的先例；所列先例的处理结果不能说明本案会怎样处理。");
    }
    return notes;
  }

  /* read_facets: the facets taken from the text, with their phrases */
  function readFacets(query) {
    var heads = ["kind", "distinction", "looks", "domain", "role", "level", "rules"];
    var facets = Array.from(query.readFromText).sort(function (a, b) {
      return heads.indexOf(a.split(".")[0]) - heads.indexOf(b.split(".")[0]) || (a < b ? -1 : a > b ? 1 : 0);
    });
    var record = query.record;
    return facets.map(function (facet) {
      var head = facet.split(".")[0], tail = facet.split(".")[1], label, value;
      if (head === "looks") { label = "六看 " + finder.label("factors", tail); value = lookLabel(record.looks[tail] || "unknown"); }
      else if (head === "distinction") {
        label = facetTitle("distinction") + " " + finder.shortLabel("distinctions", tail);
        var side = (record.distinctions || []).find(function (p) { return p[0] === tail; });
        value = sideWords(side ? side[1] : null);
      } else if (facet === "kind") { label = "案件类型"; value = finder.meta.kinds[record.kind || ""] || "不明"; }
      else if (facet === "rules") { label = facetTitle("rule"); value = record.rules.join("、"); }
      else {
        label = facetTitle(facet);
        value = record[facet] ? finder.label(facetVocabulary(facet), record[facet]) : "未说明";
      }
      var phrases = query.reading.phrases.get(facet) || (facet === "rules" ? record.rules : []);
      return { facet: facet, label: label, value: value, phrases: phrases };
    });
  }

  /* --- rendering ---------------------------------------------------------------- */

  function readingBlock(query) {
    var rows = readFacets(query), box = el("section", "cb-finder-reading");
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

  function matchCard(n, match) {
    var record = match.record, doc = match.doc, card = el("article", "cb-finder-hit");
    card.dataset.id = record.id;
    var title = el("h3");
    title.appendChild(document.createTextNode(n + ". "));
    var link = el("a", null, doc.title);
    link.href = root + doc.url;
    title.appendChild(link);
    if (doc.internal) title.appendChild(el("span", "cb-finder-mark", "内部"));
    title.appendChild(el("span", "cb-finder-score", "相似度 " + fixed(match.score, 2)));
    card.appendChild(title);
    card.appendChild(el("p", "cb-finder-meta", "编号 " + record.id + " · 处理结果：" + outcomeLabel(record) + " · " +
      doc.region + " · " + doc.year + " 年"));
    var parts = el("ul", "cb-finder-parts");
    why(match).forEach(function (reason) { parts.appendChild(el("li", null, reason)); });
    card.appendChild(el("p", "cb-finder-label", "相似之处："));
    card.appendChild(parts);
    if (match.sharedTerms.length) card.appendChild(el("p", "cb-finder-terms", "共同关键词：" + match.sharedTerms.join("、")));
    if (match.sharedRules.length) card.appendChild(el("p", "cb-finder-shared-rules", "共同违反的规定：" + match.sharedRules.join("、")));
    card.appendChild(looksTable(match));
    if (doc.key_point) card.appendChild(el("p", "cb-finder-keypoint", "要旨：" + doc.key_point));
    return card;
  }

  function resultsBlock(finding, scope) {
    var box = el("section", "cb-finder-results");
    box.appendChild(el("p", "cb-finder-scope", "在" + scope + "中检索，按相似度列出前 " + finding.matches.length +
      " 个先例。先例仅供参考，不代替集体研究决定。"));
    honestyNotes(finding).forEach(function (note) { box.appendChild(message("warning", "注意：" + note)); });
    if (finding.matches.length) {
      box.appendChild(el("p", "cb-finder-strength", strength(finding)));
      if (finding.nearest) {
        var other = finding.nearest;
        box.appendChild(el("p", "cb-finder-different", "结果不同的最近先例：" + other.doc.title + "（" + outcomeLabel(other.record) +
          "，编号 " + other.record.id + "，相似度 " + fixed(other.score, 2) + "）"));
      } else if (finding.vote) {
        box.appendChild(el("p", "cb-finder-different", "结果不同的最近先例：检索范围内没有相似度够得上的、结果不同的先例。"));
      }
    }
    var list = el("div", "cb-finder-list");
    finding.matches.forEach(function (m, i) { list.appendChild(matchCard(i + 1, m)); });
    box.appendChild(list);
    if (finding.nearest && finding.matches.indexOf(finding.nearest) < 0) {
      box.appendChild(el("h2", null, "结果不同的最近先例"));
      box.appendChild(matchCard(1, finding.nearest));
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
    box.appendChild(reportMatter());
    box.appendChild(el("p", "cb-report-caution", R.caution));
    var part = box.appendChild(el("div", "cb-report-part"));
    part.appendChild(el("h2", null, S.query));
    part.appendChild(el("pre", "cb-finder-conditions", conditionLines(state).join("\n")));
    var read = readFacets(query);
    if (read.length) {
      part.appendChild(el("p", "cb-report-lead", R.reading + "："));
      part.appendChild(grid("cb-report-reading", R.reading_columns, read.map(function (r) {
        return [r.label, r.value, r.phrases.slice(0, 4).join("、")];
      })));
    }
    part = box.appendChild(el("div", "cb-report-part"));
    part.appendChild(el("h2", null, S.method));
    part.appendChild(el("p", null, "相似度由文本和结构化要素共同计算（0 至 1，越大越相似），方法与命令行 casebook similar 相同；" +
      "查询未涉及的要素不参与计算，其余要素按下表权重加权平均（最低为 0）；相似度低于 " + fixed(meta.constants.MIN_SCORE, 2) +
      " 的案例不列为先例，最相似先例低于 " + fixed(meta.constants.WEAK_SCORE, 2) + " 时报告注明“相似先例较弱”。"));
    part.appendChild(grid("cb-report-weights",
      [R.weights_columns[0]].concat(meta.components.map(function (n) { return meta.component_labels[n]; })),
      [[R.weights_columns[1]].concat(meta.components.map(function (n) { return fixed(meta.weights[n], 2); }))]));
    part = box.appendChild(el("div", "cb-report-part"));
    part.appendChild(el("h2", null, S.results));
    honestyNotes(finding).forEach(function (note) { part.appendChild(el("p", "cb-finder-note", "注意：" + note)); });
    if (finding.matches.length) {
      part.appendChild(el("p", null, strength(finding)));
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
    } else if (!honestyNotes(finding).length) {
      part.appendChild(el("p", null, "检索范围内没有可比较的先例。"));
    }
    box.appendChild(el("h2", "cb-report-cases", S.precedents));
    finding.matches.forEach(function (m, i) { box.appendChild(reportSection(i + 1, m)); });
    if (finding.nearest) {
      box.appendChild(el("h2", "cb-report-cases", S.different));
      if (finding.matches.indexOf(finding.nearest) < 0) box.appendChild(reportSection(1, finding.nearest));
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

  function reportSection(n, match) {
    var R = finder.meta.report, record = match.record, doc = match.doc, part = el("div", "cb-finder-report-case cb-report-case");
    var title = part.appendChild(el("h3", null, n + ". " + doc.title + (doc.internal ? "（内部）" : "")));
    title.appendChild(el("span", "cb-report-score", "相似度 " + fixed(match.score, 2)));
    part.appendChild(el("p", "cb-report-meta", "编号 " + record.id + "；地区：" + doc.region + "；年份：" + doc.year +
      "；处理结果：" + outcomeLabel(record)));
    part.appendChild(el("p", null, "相似之处：" + why(match).join("；")));
    if (match.sides.length) part.appendChild(el("p", null, "三个区分开来：" + sideLine(match)));
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
      output.appendChild(readingBlock(query));
      output.appendChild(resultsBlock(finding, scope));
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
  var scripts = [["CasebookData", "casebook-data.js"], ["CasebookFinder", "casebook-finder.js"]];
  var missing = scripts.filter(function (s) { return !window[s[0]]; })[0];
  if (missing) {
    fail({ file: "assets/javascripts/" + missing[1], reason: "文件缺失或无法读取" });
    return;
  }
  CasebookFinder.open(root).then(function (opened) {
    finder = opened;
    start();
  }).catch(fail);
})();
