/* Live progress on the admin pages. Without this file the pages refresh themselves
   (meta refresh) while jobs are active; with it, every element with data-job (job
   table rows and the dashboard's source cards) is updated in place from
   /beheer/taken.json every 2 s, durations of running jobs tick every second, and
   the page reloads once when an active job ends, so cards show the new counts.
   No words live here: the duration units come from the script tag's data-minute /
   data-second (rendered by the server in the page's language) and the progress bar's
   label from the JSON's "labels". */
(function () {
  "use strict";
  var script = document.currentScript;
  var units = {
    minute: (script && script.getAttribute("data-minute")) || "{n} min",
    second: (script && script.getAttribute("data-second")) || "{n} s"
  };
  var labels = { progress: "" };
  var holders = document.querySelectorAll("[data-job]");
  var watching = false;
  holders.forEach(function (el) {
    var state = el.getAttribute("data-state");
    if (state === "queued" || state === "running") { watching = true; }
  });

  function durationLabel(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(total / 60);
    var rest = total % 60;
    var second = units.second.replace("{n}", rest);
    return minutes ? units.minute.replace("{n}", minutes) + " " + second : second;
  }

  function tickDurations() {
    document.querySelectorAll('[data-field="duration"][data-started]').forEach(function (cell) {
      var started = cell.getAttribute("data-started");
      if (!started || cell.getAttribute("data-finished")) { return; }
      cell.textContent = durationLabel((Date.now() - Date.parse(started)) / 1000);
    });
  }

  // Counts in the page's language, as the server writes them ("1.234" / "1,234").
  function count(n) { return Number(n).toLocaleString(document.documentElement.lang || "nl"); }

  function field(el, name) { return el.querySelector('[data-field="' + name + '"]'); }

  function showProgress(cell, job) {
    var p = job.progress;
    cell.textContent = "";
    if (job.state !== "running" && !(job.state === "done" && p.total)) { return; }
    if (job.state === "running") {
      var bar = document.createElement("progress");
      bar.max = p.total || 1;
      bar.value = p.total ? p.done : 0;
      if (labels.progress) { bar.setAttribute("aria-label", labels.progress); }
      cell.appendChild(bar);
      cell.appendChild(document.createTextNode(" "));
    }
    var text = document.createElement("span");
    text.textContent = count(p.done) + (p.total ? " / " + count(p.total) : "");
    cell.appendChild(text);
  }

  function update(el, job) {
    var state = field(el, "state");
    if (state) {
      state.textContent = job.state_label;
      state.className = "state state--" + job.state;
    }
    var progress = field(el, "progress");
    if (progress) { showProgress(progress, job); }
    var message = field(el, "message");
    if (message && job.progress.message) { message.textContent = job.progress.message; }
    var duration = field(el, "duration");
    if (duration) {
      if (job.started_at) { duration.setAttribute("data-started", job.started_at); }
      if (job.finished_at) { duration.setAttribute("data-finished", job.finished_at); }
    }
    el.setAttribute("data-state", job.state);
  }

  function poll() {
    fetch("/beheer/taken.json", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var ended = false;
        if (data.labels) { labels = data.labels; }
        data.jobs.forEach(function (job) {
          var isActive = job.state === "queued" || job.state === "running";
          document.querySelectorAll('[data-job="' + job.id + '"]').forEach(function (el) {
            var before = el.getAttribute("data-state");
            update(el, job);
            if ((before === "queued" || before === "running") && !isActive) { ended = true; }
          });
        });
        tickDurations();
        if (ended) { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  tickDurations();
  if (watching) {
    window.setInterval(tickDurations, 1000);
    window.setTimeout(poll, 1000);
  }
})();
