/* casebook: the data files of the site's pages (search-data/, finder-data/), loaded by <script> tags.
 *
 * Each data file is one call of its page's global callback, window.<callback>(name, data), as
 * builder/siteindex.callback_script writes it: loaded by a <script> tag, it works from a file
 * copy too (browsers refuse fetch() on file://). A channel keeps what its files handed over;
 * its loader adds each file's tag once and settles when the file has run, or rejects with a
 * LoadError that names the file (missing, unreadable, incomplete or too slow).
 *
 *   var data = CasebookData.channel("__casebookSearch", "search-data/");
 *   var load = data.loader(rootUrl, version);   // version: appended as ?v= against stale caches
 *   load("p/3").then(function (shard) { ... }); // data.get("p/3") afterwards
 */
(function () {
  "use strict";

  var TIMEOUT_MS = 15000;

  function LoadError(file, reason) {
    this.name = "LoadError";
    this.file = file;
    this.reason = reason;
    this.message = file + ": " + reason;
  }
  LoadError.prototype = Object.create(Error.prototype);

  function channel(callback, dir) {
    var registry = new Map();
    window[callback] = function (name, data) {
      registry.set(name, data);
    };

    function loader(root, version) {
      var pending = new Map();
      return function load(name) {
        if (registry.has(name)) return Promise.resolve(registry.get(name));
        if (pending.has(name)) return pending.get(name);
        var file = dir + name + ".js";
        var promise = new Promise(function (resolve, reject) {
          var tag = document.createElement("script");
          var timer = setTimeout(function () { fail("加载超时"); }, TIMEOUT_MS);
          function fail(reason) {
            clearTimeout(timer);
            pending.delete(name);
            tag.remove();
            reject(new LoadError(file, reason));
          }
          tag.onload = function () {
            clearTimeout(timer);
            if (registry.has(name)) resolve(registry.get(name));
            else fail("文件内容不完整");
          };
          tag.onerror = function () { fail("文件缺失或无法读取"); };
          tag.src = root + file + (version ? "?v=" + version : "");
          document.head.appendChild(tag);
        });
        pending.set(name, promise);
        return promise;
      };
    }

    return {
      get: function (name) { return registry.get(name); },
      loader: loader,
    };
  }

  window.CasebookData = { channel: channel, LoadError: LoadError };
})();
