/* Area picker: type a name, pick an area from the user's scope; the code goes into the form.
 *
 * <div data-area-picker data-input="id_area" [data-scope="mine"] [data-within="62.71"]>
 *   ...the code <input id="id_area"> with its label stays usable without JavaScript...
 * </div>
 *
 * Adds a search box (a combobox: arrows move, Enter picks, Escape closes) that asks
 * /api/v1/areas/search/?q=…&scope=mine and lists at most 10 areas (only those inside
 * data-within when given), and shows the chosen area's name. Listens for "area:set" events
 * (from the map pin) to show the name of an area filled in by reverse geocoding.
 */
(function () {
  "use strict";

  var SEARCH = "/api/v1/areas/search/";
  var DETAIL = "/api/v1/areas/";
  var counter = 0;

  function within(code, ancestor) {
    return !ancestor || code === ancestor || code.indexOf(ancestor + ".") === 0;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  function setup(box) {
    var input = document.getElementById(box.getAttribute("data-input"));
    if (!input) return;
    var ancestor = box.getAttribute("data-within") || "";
    var scope = box.getAttribute("data-scope") || "mine";
    var id = "area-picker-" + (++counter);

    var wrap = document.createElement("div");
    wrap.className = "area-picker";
    wrap.innerHTML =
      '<label for="' + id + '">Cari wilayah menurut nama</label>' +
      '<input type="search" id="' + id + '" role="combobox" autocomplete="off" aria-autocomplete="list"' +
      ' aria-expanded="false" aria-controls="' + id + '-list" data-testid="area-picker" data-no-draft' +
      ' placeholder="mis. Jekan Raya, Palangka">' +
      '<ul class="search-results area-options" role="listbox" id="' + id + '-list" hidden data-testid="area-options"></ul>' +
      '<p class="area-name muted" aria-live="polite" data-testid="area-name"></p>';
    var field = input.closest(".field") || input;
    field.parentNode.insertBefore(wrap, field);
    var search = wrap.querySelector("input");
    var list = wrap.querySelector("ul");
    var nameBox = wrap.querySelector(".area-name");
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function showName(area) {
      nameBox.textContent = area ? area.display_name + " (" + area.code + ")" + (area.path && area.level !== "province" ? " · " + area.path : "") : "";
    }

    function close() {
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      Array.prototype.forEach.call(options, function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (options[index]) {
        search.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(area) {
      input.value = area.code;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      showName(area);
      search.value = "";
      close();
      input.focus();
    }

    function render() {
      list.innerHTML = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "Tidak ada wilayah yang cocok di cakupan Anda.";
        list.appendChild(none);
      }
      results.forEach(function (area, i) {
        var li = document.createElement("li");
        li.id = id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-code", area.code);
        li.textContent = area.display_name + " · " + area.level_name + " · " + area.code;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(area); });
        list.appendChild(li);
      });
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var q = search.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++asked;
      getJSON(SEARCH + "?scope=" + encodeURIComponent(scope) + "&limit=20&q=" + encodeURIComponent(q)).then(function (data) {
        if (mine !== asked) return; // an older answer arriving late
        results = ((data && data.results) || []).filter(function (a) { return within(a.code, ancestor); }).slice(0, 10);
        render();
      });
    }

    search.addEventListener("input", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && results.length) { e.preventDefault(); if (list.hidden) render(); highlight(Math.min(active + 1, results.length - 1)); }
      else if (e.key === "ArrowUp" && results.length) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && !list.hidden) {
        e.preventDefault(); // never submit the form from the search box
        if (results[active >= 0 ? active : 0]) choose(results[active >= 0 ? active : 0]);
      } else if (e.key === "Escape") { close(); }
    });
    search.addEventListener("blur", function () { window.setTimeout(close, 150); });

    function lookup() {
      var code = input.value.trim();
      if (!/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/.test(code)) { showName(null); return; }
      getJSON(DETAIL + code + "/").then(showName);
    }
    input.addEventListener("change", function () { if (!nameBox.textContent || nameBox.textContent.indexOf("(" + input.value + ")") === -1) lookup(); });
    box.addEventListener("area:set", function (e) { if (e.detail) showName(e.detail); });
    lookup();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-area-picker]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
