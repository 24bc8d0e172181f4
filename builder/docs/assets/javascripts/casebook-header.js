/* casebook: the search box in the header of every page hands its words to the 案例检索 page.
 *
 * There is one search on the site: this box is a plain form that opens
 * search.html?q=… (which works from a file copy too). The site's root is
 * found from this script's own address (assets/javascripts/ under the root).
 */
(function () {
  "use strict";
  var root = new URL("../../", document.currentScript.src).href;

  function insert() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".cb-header-search")) return;
    var form = document.createElement("form");
    form.className = "cb-header-search";
    form.setAttribute("role", "search");
    form.action = root + "search.html";
    form.method = "get";
    var input = document.createElement("input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "检索案例";
    input.setAttribute("aria-label", "检索案例（回车后在案例检索页显示结果）");
    input.value = new URLSearchParams(location.search).get("q") || "";
    form.appendChild(input);
    form.addEventListener("submit", function (event) {
      // Built by hand so that the address never carries an empty q or a trailing '?'.
      event.preventDefault();
      var words = input.value.trim();
      location.href = root + "search.html" + (words ? "?q=" + encodeURIComponent(words) : "");
    });
    var source = header.querySelector(".md-header__source");
    header.insertBefore(form, source);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", insert);
  else insert();
})();
