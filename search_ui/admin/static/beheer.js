/* Live progress on the admin pages. Without this file the pages refresh themselves
   (meta refresh) while jobs are active; with it, every element with data-job (job
   table rows and the dashboard's source cards) is updated in place from
   /beheer/taken.json every 2 s, durations of running jobs tick every second, and
   the page reloads once when an active job ends, so cards show the new counts. */
(function () {
  "use strict";
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
    return minutes ? minutes + " min " + rest + " s" : rest + " s";
  }

  function tickDurations() {
    document.querySelectorAll('[data-field="duration"][data-started]').forEach(function (cell) {
      var started = cell.getAttribute("data-started");
      if (!started || cell.getAttribute("data-finished")) { return; }
      cell.textContent = durationLabel((Date.now() - Date.parse(started)) / 1000);
    });
  }

  function field(el, name) { return el.querySelector('[data-field="' + name + '"]'); }

  function showProgress(cell, job) {
    var p = job.progress;
    cell.textContent = "";
    if (job.state !== "running" && !(job.state === "done" && p.total)) { return; }
    if (job.state === "running") {
      var bar = document.createElement("progress");
      bar.max = p.total || 1;
      bar.value = p.total ? p.done : 0;
      bar.setAttribute("aria-label", "Voortgang");
      cell.appendChild(bar);
      cell.appendChild(document.createTextNode(" "));
    }
    var text = document.createElement("span");
    text.textContent = p.done + (p.total ? " / " + p.total : "");
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
