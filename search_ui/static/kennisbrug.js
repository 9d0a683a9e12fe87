/* Kennisbrug progressive enhancement. Everything works without this file:
   - the filter form applies itself on every change (no page reload), keeping focus;
   - the search box becomes an ARIA 1.2 combobox with suggestions, limited to the
     chosen provincie. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // ---- filters: apply on change, swap the results area, keep keyboard focus ----
  function swapResults(url, focusId, push) {
    return fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var fresh = doc.getElementById("resultaten-gebied");
        var area = document.getElementById("resultaten-gebied");
        if (!fresh || !area) { window.location.href = url; return; }
        area.replaceWith(document.importNode(fresh, true));
        document.title = doc.title;
        if (push) { history.pushState({ kb: true }, "", url); }
        syncSearchBox(doc);
        // The same checkbox again; if its value is gone, the filters heading.
        var target = (focusId && document.getElementById(focusId)) ||
          document.getElementById("filters-kop");
        if (target) {
          var details = target.closest("details");
          if (details) { details.open = true; }
          target.focus();
        }
        var status = document.querySelector(".results__status");
        var live = document.getElementById("live");
        if (status && live) { live.textContent = status.textContent.trim(); }
      });
  }

  function syncSearchBox(doc) {
    // The search box carries the current filters as hidden fields: take the new ones.
    var mine = document.querySelector("form.searchbox");
    var theirs = doc.querySelector("form.searchbox");
    if (!mine || !theirs) { return; }
    mine.querySelectorAll("input[type=hidden]").forEach(function (el) { el.remove(); });
    var button = mine.querySelector("button[type=submit]");
    theirs.querySelectorAll("input[type=hidden]").forEach(function (el) {
      mine.insertBefore(document.importNode(el, true), button);
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") { return; }
    var form = box.form;
    if (!form || form.id !== "filters") { return; }
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.getAttribute("action") + (query ? "?" + query : "");
    swapResults(url, box.id, true).catch(function () { form.submit(); });
  });

  window.addEventListener("popstate", function () {
    if (document.getElementById("resultaten-gebied")) {
      swapResults(window.location.href, null, false).catch(function () { window.location.reload(); });
    }
  });

  // ---- autocomplete: ARIA 1.2 combobox on the search box ----
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggesties");
  if (!input || !list) { return; }
  var form = input.form;
  var endpoint = form.getAttribute("data-suggest");
  var active = -1;
  var timer = null;
  var latest = 0;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var all = options();
    if (!all.length) { return; }
    active = (index + all.length) % all.length;
    all.forEach(function (el, i) { el.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[active].id);
  }

  function choose(option) {
    input.value = option.getAttribute("data-value");
    close();
    form.submit();
  }

  function chosenProvinces() {
    // The provincie filters of the current search travel as hidden fields of this form.
    return Array.prototype.map.call(
      form.querySelectorAll("input[type=hidden][name=provincie]"),
      function (el) { return el.value; });
  }

  function show(items) {
    list.innerHTML = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "q-suggestie-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-value", item.text);
      li.textContent = item.text;  // text, never markup
      if (item.provincie) {
        var badge = document.createElement("span");
        badge.className = "badge badge--" + (item.provincie === "Limburg" ? "limburg" : "brabant");
        badge.textContent = item.provincie;
        li.appendChild(badge);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
      list.appendChild(li);
    });
    active = -1;
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  }

  function fetchSuggestions() {
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    var params = new URLSearchParams({ q: text });
    chosenProvinces().forEach(function (p) { params.append("provincie", p); });
    var ticket = ++latest;
    fetch(endpoint + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (ticket === latest) { show(data.suggestions || []); } })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (open) { highlight(active + 1); } else { fetchSuggestions(); }
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(options()[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
