/* casebook: the 案例检索 page (search.html) over CasebookSearch (casebook-search.js).
 *
 * The whole state is in the address (?q=…&outcome=…&region=江苏省/淮安市&sort=date&page=2),
 * so a link reproduces a search. Text from the address or from a case is only
 * ever set as text (textContent), never parsed as markup.
 *
 * The page runs this script, after casebook-search.js and meta.js, first thing in its head
 * (front matter early_scripts), so the first search begins at once: the dictionary, the
 * postings and the cases to show load while the styles and the body still arrive; the results
 * are drawn once the body is parsed.
 */
(function () {
  "use strict";

  var MAX_QUERY = 200;
  var PAGE_SIZE = 10;
  var script = document.currentScript;
  var root = new URL("../../", script.src).href;
  var READER = "assets/javascripts/casebook-search.js";
  var app = null; // #cb-search, once the body is parsed

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function message(kind, text) {
    var box = el("div", "cb-search-message cb-search-" + kind);
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    box.textContent = text;
    return box;
  }

  /* --- state <-> address --- */

  /* A table keyed by names from the address or the data: no inherited keys, so that
     ?toString=1 or ?__proto__=1 is an unknown parameter like any other. */
  function table(from) { return Object.assign(Object.create(null), from || {}); }

  function readState(index, search) {
    var params = new URLSearchParams(search);
    var state = { q: (params.get("q") || "").trim(), sort: params.get("sort") === "date" ? "date" : "relevance",
                  page: 1, filters: table(), notes: [] };
    var page = parseInt(params.get("page") || "1", 10);
    state.page = page > 0 ? page : 1;
    var byName = table();
    index.facets.forEach(function (f) { byName[f.name] = f; });
    params.forEach(function (value, name) {
      if (name === "q" || name === "sort" || name === "page") return;
      var facet = byName[name];
      if (!facet) {
        state.notes.push("链接中的参数“" + name + "”无法识别，已忽略。");
        return;
      }
      var position = facet.values.findIndex(function (v) { return v[0] === value; });
      if (position < 0) {
        state.notes.push("链接中的筛选条件“" + facet.label + " = " + value + "”不是本库已有的取值，已忽略。");
        return;
      }
      var list = state.filters[name] || (state.filters[name] = []);
      if (list.indexOf(position) < 0) list.push(position);
    });
    return state;
  }

  function address(index, state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    index.facets.forEach(function (f) {
      (state.filters[f.name] || []).forEach(function (position) { params.append(f.name, f.values[position][0]); });
    });
    if (state.sort === "date" && state.q) params.set("sort", "date");
    if (state.page > 1) params.set("page", String(state.page));
    var text = params.toString();
    return location.pathname + (text ? "?" + text : "");
  }

  function go(index, state) {
    history.pushState(null, "", address(index, state));
    run(index, state);
  }

  /* --- pieces of the page --- */

  function form(index, state) {
    var node = el("form", "cb-search-form");
    node.setAttribute("role", "search");
    var input = el("input", "cb-search-input");
    input.type = "search";
    input.name = "q";
    input.value = state.q;
    input.placeholder = "输入词语，如 人防 容缺办理 诬告";
    input.setAttribute("aria-label", "检索词");
    var button = el("button", "md-button md-button--primary cb-search-button", "检索");
    button.type = "submit";
    var sort = el("select", "cb-search-sort");
    sort.setAttribute("aria-label", "排序");
    [["relevance", "按相关度"], ["date", "按发布日期"]].forEach(function (o) {
      var option = el("option", "", o[1]);
      option.value = o[0];
      option.selected = state.sort === o[0];
      sort.appendChild(option);
    });
    node.appendChild(input);
    node.appendChild(button);
    node.appendChild(sort);
    // The dictionary shards of the words being typed load meanwhile: the search itself then waits less.
    input.addEventListener("input", function () {
      if (input.value.length <= MAX_QUERY) index.prepare(input.value).catch(function () {});
    });
    node.addEventListener("submit", function (event) {
      event.preventDefault();
      go(index, Object.assign({}, state, { q: input.value.trim(), page: 1, notes: [] }));
    });
    sort.addEventListener("change", function () {
      go(index, Object.assign({}, state, { sort: sort.value, page: 1, notes: [] }));
    });
    return node;
  }

  function facetPanel(index, state, counts) {
    var panel = el("details", "cb-facets");
    panel.open = window.matchMedia("(min-width: 60em)").matches || Object.keys(state.filters).length > 0;
    panel.appendChild(el("summary", "", "筛选"));
    index.facets.forEach(function (facet) {
      var selected = new Set(state.filters[facet.name] || []);
      var row = counts[facet.name];
      var shownParents = new Set();
      facet.values.forEach(function (v, position) {
        if (selected.has(position) && v[2]) shownParents.add(v[2]);
        if (selected.has(position) && !v[2]) shownParents.add(v[0]);
      });
      // Parents in the index's order, a facet of many values (regions) by count, each followed by its children.
      var byCount = function (a, b) { return row[b] - row[a] || a - b; };
      var parents = [];
      var children = table();
      facet.values.forEach(function (v, position) {
        if (v[2]) (children[v[2]] = children[v[2]] || []).push(position);
        else parents.push(position);
      });
      if (facet.many) parents.sort(byCount);
      var order = [];
      parents.forEach(function (position) {
        order.push(position);
        var own = children[facet.values[position][0]] || [];
        if (facet.many) own.sort(byCount);
        order.push.apply(order, own);
      });
      var group = el("fieldset", "cb-facet");
      group.dataset.facet = facet.name;
      group.appendChild(el("legend", "", facet.label));
      var any = false;
      order.forEach(function (position) {
        var value = facet.values[position];
        var child = Boolean(value[2]);
        if (!row[position] && !selected.has(position)) return;
        if (child && facet.many && !shownParents.has(value[2])) return;
        any = true;
        var label = el("label", child ? "cb-facet-value cb-facet-child" : "cb-facet-value");
        var box = el("input");
        box.type = "checkbox";
        box.checked = selected.has(position);
        box.dataset.value = value[0];
        box.addEventListener("change", function () {
          var filters = table(state.filters);
          var list = (filters[facet.name] || []).filter(function (p) { return p !== position; });
          if (box.checked) list.push(position);
          if (list.length) filters[facet.name] = list;
          else delete filters[facet.name];
          go(index, Object.assign({}, state, { filters: filters, page: 1, notes: [] }));
        });
        label.appendChild(box);
        label.appendChild(el("span", "cb-facet-label", value[1]));
        label.appendChild(el("span", "cb-facet-count", row[position]));
        group.appendChild(label);
      });
      if (any) panel.appendChild(group);
    });
    if (Object.keys(state.filters).length) {
      var clear = el("button", "md-button cb-facets-clear", "清除全部筛选");
      clear.type = "button";
      clear.addEventListener("click", function () {
        go(index, Object.assign({}, state, { filters: table(), page: 1, notes: [] }));
      });
      panel.appendChild(clear);
    }
    return panel;
  }

  /* Text with the hits as <mark>, built node by node (never as markup). */
  function marked(chars, from, to, hits) {
    var node = document.createDocumentFragment();
    var at = from;
    hits.forEach(function (h) {
      var start = Math.max(h[0], from);
      var end = Math.min(h[1], to);
      if (end <= start) return;
      if (start > at) node.appendChild(document.createTextNode(chars.slice(at, start).join("")));
      node.appendChild(el("mark", "", chars.slice(start, end).join("")));
      at = end;
    });
    if (to > at) node.appendChild(document.createTextNode(chars.slice(at, to).join("")));
    return node;
  }

  /* The snippet of a case: the section holding the typed words (their parts if none), named by its
   * label, cut around the first hit (CasebookSearch.pickSnippet, as `casebook search` prints it). */
  function snippet(index, doc, passes) {
    var box = el("p", "cb-hit-snippet");
    var layout = index.meta.snippet;
    var pick = CasebookSearch.pickSnippet(doc.fields, passes, index.terms, layout.fields);
    if (!pick.section) return box;
    var hits = pick.hits;
    var chars = CasebookSearch.asRead(Array.from(pick.section[2]), index.meta.wide);
    var first = hits.length ? hits[0][0] : 0;
    var from = Math.max(0, first - layout.before);
    var to = Math.min(chars.length, from + layout.length);
    if (hits.length && pick.section[0] !== "subtitle") box.appendChild(el("span", "cb-hit-field", pick.section[1] + "："));
    if (from > 0) box.appendChild(document.createTextNode("…"));
    box.appendChild(marked(chars, from, to, hits));
    if (to < chars.length) box.appendChild(document.createTextNode("…"));
    return box;
  }

  /* One result: its title (the typed words marked), its tier and the equivalents it was found by. */
  function hitItem(index, doc, found, number) {
    var item = el("li", "cb-hit");
    item.dataset.id = doc.id;
    var held = found.holdings.get(number);
    var title = el("a", "cb-hit-title");
    title.href = root + doc.url;
    var titleField = doc.fields.find(function (f) { return f[0] === "title"; });
    var chars = Array.from(doc.title);
    var passes = held ? CasebookSearch.snippetPasses(found.typed, found.found, number) : [];
    var hits = titleField && passes.length
      ? CasebookSearch.highlights(titleField[2], titleField[3], passes[0][0], index.terms, passes[0][1])
      : [];
    title.appendChild(marked(chars, 0, chars.length, hits));
    var head = el("h3", "cb-hit-head");
    head.appendChild(title);
    if (doc.withdrawn) head.appendChild(el("span", "cb-badge cb-badge-withdrawn", "已撤回"));
    if (doc.internal) head.appendChild(el("span", "cb-badge cb-badge-internal", "内部"));
    if (held && held.tier > 1) {
      item.classList.add("cb-hit-partial");
      item.dataset.tier = String(held.tier);
      head.appendChild(el("span", "cb-badge cb-badge-partial cb-badge-tier" + held.tier, CasebookSearch.TIER_NAMES[held.tier]));
    }
    if (held) {
      var used = held.forms.filter(function (form, k) { return held.ways[k] === CasebookSearch.EQUIVALENT && form; });
      if (used.length) head.appendChild(el("span", "cb-badge cb-badge-equivalent", "同义词：" + used.join("、")));
    }
    item.appendChild(head);
    item.appendChild(el("p", "cb-hit-meta", [doc.outcome, doc.domain, doc.region, doc.date].join(" · ")));
    item.appendChild(snippet(index, doc, passes));
    return item;
  }

  function pager(index, state, total) {
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    var nav = el("nav", "cb-pager");
    nav.setAttribute("aria-label", "翻页");
    function button(text, page, disabled) {
      var b = el("button", "md-button", text);
      b.type = "button";
      b.disabled = disabled;
      b.addEventListener("click", function () {
        go(index, Object.assign({}, state, { page: page, notes: [] }));
        window.scrollTo(0, 0);
      });
      return b;
    }
    nav.appendChild(button("上一页", state.page - 1, state.page <= 1));
    nav.appendChild(el("span", "cb-pager-position", "第 " + state.page + " 页，共 " + pages + " 页"));
    nav.appendChild(button("下一页", state.page + 1, state.page >= pages));
    return nav;
  }

  /* The status line: what was searched, how many found, how the query was read, how the tiers fall. */
  function describeQuery(state, found) {
    var parts = [];
    var words = found.typed.filter(function (w) { return w.kind === "word"; });
    var notes = CasebookSearch.queryNotes(found.typed, found.phrases || {});
    var head = state.q ? "“" + state.q + "”：" : "未输入检索词，列出全部案例：";
    parts.push(head + "共 " + found.total + " 个案例" + (found.total ? (found.sort === "date" ? "，按发布日期排列" : "，按相关度排列") : "") + "。");
    if (words.length) parts.push("检索词：" + words.map(function (w) { return w.text; }).join(" · ") + "。");
    if (found.total) parts.push(CasebookSearch.tierSummary(found.typed, found.tiers, found.sort === "date"));
    return { text: parts.join(""), notes: notes };
  }

  function emptyState(state, described) {
    var box = el("div", "cb-search-empty");
    box.setAttribute("role", "status");
    box.appendChild(el("p", "cb-search-empty-title", state.q ? "没有找到与“" + state.q + "”相符的案例。" : "没有符合所选条件的案例。"));
    var tips = el("ul");
    if (Object.keys(state.filters).length) tips.appendChild(el("li", "", "去掉部分筛选条件再试。"));
    if (described.notes.length) tips.appendChild(el("li", "", "可换一个说法，或减少检索词。"));
    tips.appendChild(el("li", "", "检索按完整词语匹配：例如“人防”不会匹配“人员”，“道路”不会拆成“道”“路”单独查找。"));
    box.appendChild(tips);
    return box;
  }

  function showError(error) {
    app.textContent = "";
    var text = error && error.file
      ? "检索数据文件 " + error.file + " 无法加载（" + error.reason + "）。网站可能没有完整复制，请重新生成网站或完整复制 site 文件夹后再试。"
      : "检索出错：" + (error && error.message ? error.message : String(error)) + "。请刷新页面重试。";
    app.appendChild(message("error", text));
    app.dataset.state = "error";
    startTheme();
  }

  /* --- one search --- */

  var generation = 0;

  /* The hits of a search and the cases of its page; the facets are counted while those load. */
  function fetchResults(index, state) {
    return index.find(state).then(function (found) {
      var start = (state.page - 1) * PAGE_SIZE;
      var shown = found.hits.slice(start, start + PAGE_SIZE);
      var loading = Promise.all(shown.map(function (n) { return index.doc(n); }));
      index.count(found);
      return loading.then(function (docs) { return { found: found, start: start, shown: shown, docs: docs }; });
    });
  }

  /* Draw a search; fetched is its fetchResults() when already begun (the first search). */
  function run(index, state, fetched) {
    var mine = ++generation;
    app.dataset.state = "loading";
    var header = document.querySelector(".cb-header-search input");
    if (header) header.value = state.q;
    var view = document.createDocumentFragment();
    view.appendChild(form(index, state));
    state.notes.forEach(function (note) { view.appendChild(message("warning", note)); });
    if (state.q.length > MAX_QUERY) {
      view.appendChild(message("warning", "检索词太长（共 " + state.q.length + " 个字符），请缩短到 " + MAX_QUERY + " 个字符以内再检索。"));
      app.textContent = "";
      app.appendChild(view);
      app.dataset.state = "ready";
      return Promise.resolve().then(startTheme);
    }
    return (fetched || fetchResults(index, state)).then(function (result) {
      if (mine !== generation) return;
      var found = result.found;
      var start = result.start;
      var shown = result.shown;
      var docs = result.docs;
      var described = describeQuery(state, found);
      var layout = el("div", "cb-search-layout");
      layout.appendChild(facetPanel(index, state, found.counts));
      var results = el("section", "cb-search-results");
      results.setAttribute("aria-live", "polite");
      results.appendChild(el("p", "cb-search-status", described.text));
      if (described.notes.length) {
        var notes = el("ul", "cb-search-notes");
        described.notes.forEach(function (note) { notes.appendChild(el("li", "", note)); });
        results.appendChild(notes);
      }
      if (!found.total) {
        results.appendChild(emptyState(state, described));
      } else if (!shown.length) {
        results.appendChild(message("warning", "第 " + state.page + " 页没有结果：共 " + found.total + " 个案例。"));
      } else {
        var list = el("ol", "cb-hits");
        list.start = start + 1;
        docs.forEach(function (doc, k) { list.appendChild(hitItem(index, doc, found, shown[k])); });
        results.appendChild(list);
        if (found.total > PAGE_SIZE) results.appendChild(pager(index, state, found.total));
      }
      layout.appendChild(results);
      view.appendChild(layout);
      app.textContent = "";
      app.appendChild(view);
      app.dataset.state = "ready";
      window.__casebookSearchReady = { ms: performance.now(), total: found.total };
    }).catch(function (error) {
      if (mine === generation) showError(error);
    }).then(startTheme);
  }

  /* Material's page script is held back on this page (see overrides/main.html) so that the first
   * results do not wait for it; it starts once they are shown, or after THEME_WAIT_MS at most. */
  var THEME_WAIT_MS = 2000;

  function startTheme() {
    var held = document.querySelector("script[data-cb-held-src]");
    if (!held) return;
    held.remove();
    loadScript(held.getAttribute("data-cb-held-src"), document.body).then(function () {
      // Material starts on DOMContentLoaded, long past by now; document$ is its own way in.
      if (document.readyState !== "loading" && window.document$) window.document$.next(document);
    }, function () {});
  }

  /* Run the script at src (a tag added to parent): resolves once it has run, rejects if it cannot load. */
  function loadScript(src, parent) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.onload = resolve;
      tag.onerror = reject;
      tag.src = src;
      parent.appendChild(tag);
    });
  }

  function parsed() {
    return new Promise(function (resolve) {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve, { once: true });
      else resolve();
    });
  }

  /* casebook-search.js, loaded by the page before this script (or now, if it did not run). */
  function reader() {
    if (window.CasebookSearch) return Promise.resolve(window.CasebookSearch);
    if (!window.CasebookData) return Promise.reject({ file: "assets/javascripts/casebook-data.js", reason: "文件缺失或无法读取" });
    var missing = { file: READER, reason: "文件缺失或无法读取" };
    return loadScript(root + READER, document.head).then(function () {
      if (window.CasebookSearch) return window.CasebookSearch;
      throw missing;
    }, function () { throw missing; });
  }

  function start() {
    setTimeout(startTheme, THEME_WAIT_MS);
    var begun = reader().then(function (search) {
      return search.open(root);
    }).then(function (index) {
      var state = readState(index, location.search);
      var fetched = state.q.length > MAX_QUERY ? null : fetchResults(index, state);
      if (fetched) fetched.catch(function () {}); // reported when drawn
      return { index: index, state: state, fetched: fetched };
    });
    begun.catch(function () {}); // reported once the body is there
    parsed().then(function () {
      app = document.getElementById("cb-search");
      if (!app) return;
      begun.then(function (first) {
        var index = first.index;
        if (index.meta.edition === "internal") {
          app.parentNode.insertBefore(message("warning", "内部版：检索范围包括内部案例（标有“内部”），不得对外提供。"), app);
        }
        run(index, first.state, first.fetched);
        window.addEventListener("popstate", function () { run(index, readState(index, location.search)); });
      }, showError);
    });
  }

  start();
})();
