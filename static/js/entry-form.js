/* Waspada entry forms: draft autosave, one submit per click, confirmations, small toggles.
 *
 * - form[data-draft-key]: every change is kept in localStorage under "waspada:draft:<key>" (not
 *   files, not the CSRF token, not the hidden idempotency key or version), and put back when the
 *   page is opened again without server-side errors. [data-clear-draft="<key>"] on the next page
 *   (rendered after a successful save) removes it.
 * - form[data-guard-submit]: a second submit while the first is on its way is ignored (the hidden
 *   idempotency_key makes the server land a repeated create once anyway).
 * - form[data-confirm]: asks before submitting.
 * - [data-show-when="name=value"]: shown only while the named radio/select has that value.
 * - [data-formset]: "Tambah" clones the <template data-formset-empty> row.
 * No framework, no network beyond the page itself.
 */
(function () {
  "use strict";

  var PREFIX = "waspada:draft:";
  var SKIP = { csrfmiddlewaretoken: 1, idempotency_key: 1, version: 1 };

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or disabled: forms still work, without drafts
    }
  }

  function draftable(el) {
    if (!el.name || SKIP[el.name] || el.disabled) return false;
    if (el.type === "file" || el.type === "password" || el.type === "submit" || el.type === "button") return false;
    if (el.hasAttribute("data-no-draft")) return false;
    if (el.type === "hidden" && el.name.indexOf("-TOTAL_FORMS") === -1) return false;
    return true;
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (!values[el.name]) values[el.name] = [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function ensureRows(form, values) {
    // Add formset rows the draft needs before filling them.
    Array.prototype.forEach.call(form.querySelectorAll("[data-formset]"), function (box) {
      var total = box.querySelector('input[name$="-TOTAL_FORMS"]');
      if (!total || values[total.name] === undefined) return;
      var wanted = parseInt(values[total.name], 10) || 0;
      while (parseInt(total.value, 10) < wanted) addRow(box);
    });
  }

  function apply(form, values) {
    ensureRows(form, values);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el) || !(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else if (el.type !== "hidden") {
        el.value = value;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function setupDraft(form, store) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var status = form.querySelector("[data-draft-status]");
    var note = document.querySelector("[data-draft-note]");
    var hasServerErrors = document.querySelector(".field-error, [data-testid=form-errors]") !== null;
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && saved.values && !hasServerErrors) {
      apply(form, saved.values);
      if (note) note.hidden = false;
    }
    var timer = null;
    function save() {
      timer = null;
      store.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), values: collect(form) }));
      if (status) status.textContent = "Draf tersimpan di perangkat ini " + new Date().toLocaleTimeString();
    }
    function later() {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, 400);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    var discard = document.querySelector("[data-discard-draft]");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(key);
        window.location.reload();
      });
    }
  }

  function guardSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      if (form.getAttribute("data-submitting") === "1") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-submitting", "1");
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll('button[type="submit"]'), function (b) {
          b.disabled = true;
          b.setAttribute("aria-busy", "true");
        });
      }, 0);
    });
  }

  function confirmSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    }, true);
  }

  function showWhen(el) {
    var rule = el.getAttribute("data-show-when").split("=");
    var name = rule[0];
    var value = rule[1];
    var form = el.closest("form") || document;
    function current() {
      var checked = form.querySelector('[name="' + name + '"]:checked');
      if (checked) return checked.value;
      var other = form.querySelector('select[name="' + name + '"]');
      return other ? other.value : "";
    }
    function update() { el.hidden = current() !== value; }
    form.addEventListener("change", function (e) { if (e.target.name === name) update(); });
    update();
  }

  function addRow(box) {
    var total = box.querySelector('input[name$="-TOTAL_FORMS"]');
    var template = box.querySelector("template[data-formset-empty]");
    var rows = box.querySelector("[data-formset-rows]");
    if (!total || !template || !rows) return null;
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  function setupFormset(box) {
    var button = box.querySelector("[data-formset-add]");
    if (!button) return;
    button.addEventListener("click", function () {
      var row = addRow(box);
      if (row) {
        var first = row.querySelector("input, select, textarea");
        if (first) first.focus();
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function init() {
    var store = storage();
    if (store) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-clear-draft]"), function (el) {
        store.removeItem(PREFIX + el.getAttribute("data-clear-draft"));
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), setupFormset);
    Array.prototype.forEach.call(document.querySelectorAll("[data-show-when]"), showWhen);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), confirmSubmit);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-guard-submit]"), guardSubmit);
    if (store) {
      Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), function (f) {
        setupDraft(f, store);
      });
    }
  }

  // Coming back with the browser's back button must not leave buttons disabled.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), function (f) {
      f.removeAttribute("data-submitting");
      Array.prototype.forEach.call(f.querySelectorAll('button[type="submit"]'), function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
