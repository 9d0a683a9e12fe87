/* Kennisbrug progressive enhancement. Everything works without this file:
   - the filter form applies itself on every change (no page reload), keeping focus;
   - the search box becomes an ARIA 1.2 combobox with suggestions, limited to the
     chosen provincie. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // ---- filters: apply on change, swap the results area, keep keyboard focus ----
  // The search the results area shows (path and query). A fragment link (the skip link,
  // "Filters") fires popstate too; it must not fetch again or move the focus it set.
  function here() { return window.location.pathname + window.location.search; }
  var shown = here();

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
        shown = here();
        syncSearchBox(doc);
        document.dispatchEvent(new CustomEvent("kb:results"));
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
    if (here() === shown) { return; }  // only the fragment changed
    if (document.getElementById("resultaten-gebied")) {
      swapResults(window.location.href, null, false).catch(function () { window.location.reload(); });
    }
  });

  // ---- counterparts: "Vergelijkbaar in ..." under each hit, fetched after the page ----
  // Without script every hit links to its document page, which lists them.
  function loadCounterparts() {
    var slots = document.querySelectorAll("[data-counterparts]:not([data-loaded])");
    if (!slots.length) { return; }
    var params = new URLSearchParams();
    slots.forEach(function (el) { el.setAttribute("data-loaded", "1"); params.append("id", el.getAttribute("data-counterparts")); });
    var list = document.querySelector("ol.hits");
    var alsoIn = list ? list.getAttribute("data-also-in") || "" : "";
    fetch("/api/counterparts?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        slots.forEach(function (slot) {
          var found = (data.counterparts || {})[slot.getAttribute("data-counterparts")] || [];
          var link = slot.querySelector("a[href*='#vergelijkbaar']");
          if (!found.length || !link) { return; }
          var box = document.createElement("div");
          box.className = "counterparts";
          var heading = document.createElement("p");
          heading.className = "counterparts__head";
          heading.textContent = link.firstChild ? link.firstChild.textContent : "";
          box.appendChild(heading);
          var ul = document.createElement("ul");
          found.forEach(function (c) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = c.page;
            a.textContent = c.title;  // text, never markup
            li.appendChild(a);
            if (c.near_identical && alsoIn) {
              var mark = document.createElement("strong");
              mark.className = "twin";
              mark.textContent = " " + alsoIn.replace("@", c.source_label || c.source);
              li.appendChild(mark);
            }
            ul.appendChild(li);
          });
          box.appendChild(ul);
          slot.parentNode.insertBefore(box, slot.nextSibling);
          link.hidden = true;
        });
      })
      .catch(function () { /* the links to the document pages stay */ });
  }
  loadCounterparts();
  document.addEventListener("kb:results", loadCounterparts);

  // ---- autocomplete: ARIA 1.2 combobox with two groups (searches, documents) ----
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
    all[active].scrollIntoView({ block: "nearest" });
  }

  function choose(option) {
    var href = option.getAttribute("data-href");
    close();
    if (href) { window.location.href = href; return; }  // a document: open it
    input.value = option.getAttribute("data-value");       // a search: run it
    form.submit();
  }

  function chosenProvinces() {
    // The provincie filters of the current search travel as hidden fields of this form.
    return Array.prototype.map.call(
      form.querySelectorAll("input[type=hidden][name=provincie]"),
      function (el) { return el.value; });
  }

  function part(text, className) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;  // text, never markup
    return span;
  }

  // The same slug as core/provinces.py: badge colours come from /provinces.css.
  function slug(label) {
    return String(label).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9_]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function badge(provincie, spoken) {
    // What a screen reader hears is its own part, after a pause: ", alleen in <provincie>".
    var span = part(provincie, "badge badge--" + slug(provincie));
    span.setAttribute("aria-hidden", "true");
    var hidden = part(", " + spoken, "visually-hidden");
    var wrap = document.createElement("span");
    wrap.appendChild(hidden);
    wrap.appendChild(span);
    return wrap;
  }

  function group(key, label, items, build) {
    if (!items.length) { return; }
    var box = document.createElement("div");
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", "q-groep-" + key);
    box.className = "suggestions__group";
    var head = part(label, "suggestions__head");
    head.id = "q-groep-" + key;
    head.setAttribute("role", "presentation");
    box.appendChild(head);
    items.forEach(function (item, i) {
      var option = document.createElement("div");
      option.id = "q-" + key + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      build(option, item);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
      box.appendChild(option);
    });
    list.appendChild(box);
  }

  function show(data) {
    list.innerHTML = "";
    var only = list.getAttribute("data-label-only") || "@";
    group("zoek", list.getAttribute("data-label-queries"), data.completions || [], function (option, item) {
      option.setAttribute("data-value", item.text);
      option.appendChild(part(item.text, "suggestion__text"));
      if (item.provincie) { option.appendChild(badge(item.provincie, only.replace("@", item.provincie))); }
    });
    group("doc", list.getAttribute("data-label-documents"), data.documents || [], function (option, item) {
      option.setAttribute("data-href", item.url);
      option.appendChild(part(item.title, "suggestion__text"));
      if (item.type) { option.appendChild(part(", " + item.type, "suggestion__type")); }
      [].concat(item.provincie || []).forEach(function (label) {
        option.appendChild(badge(label, label));
      });
    });
    var count = options().length;
    active = -1;
    list.hidden = count === 0;
    input.setAttribute("aria-expanded", count ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  }

  function fetchSuggestions() {
    var text = input.value;
    if (text.trim().length < 2) { close(); return; }
    var params = new URLSearchParams({ q: text });
    chosenProvinces().forEach(function (p) { params.append("provincie", p); });
    var ticket = ++latest;
    fetch(endpoint + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) { if (ticket === latest) { show(data); } })
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
