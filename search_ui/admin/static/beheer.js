/* Live progress on the admin pages. Without this file the pages refresh themselves
   (meta refresh) while jobs are active; with it, rows update in place every 2 s and
   the page reloads once when an active job ends, so cards show the new counts. */
(function () {
  "use strict";
  var rows = document.querySelectorAll("tr[data-job]");
  var cards = document.querySelectorAll(".card .active-job");
  var active = {};
  rows.forEach(function (row) {
    var state = row.getAttribute("data-state");
    if (state === "queued" || state === "running") { active[row.getAttribute("data-job")] = row; }
  });
  if (!Object.keys(active).length && !cards.length) { return; }
  function progressCell(job) {
    var p = job.progress;
    if (job.state !== "running") { return p.total ? p.done + " / " + p.total : ""; }
    var bar = '<progress max="' + (p.total || 1) + '" value="' + (p.total ? p.done : 0) + '"></progress> ';
    return bar + "<span>" + p.done + (p.total ? " / " + p.total : "") + "</span>";
  }
  function tick() {
    fetch("/beheer/taken.json", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var ended = false;
        var stillActive = false;
        data.jobs.forEach(function (job) {
          var row = document.querySelector('tr[data-job="' + job.id + '"]');
          var isActive = job.state === "queued" || job.state === "running";
          if (isActive) { stillActive = true; }
          if (!row) { return; }
          var before = row.getAttribute("data-state");
          row.setAttribute("data-state", job.state);
          var state = row.querySelector('[data-field="state"]');
          state.textContent = job.state_label;
          state.className = "state state--" + job.state;
          row.querySelector('[data-field="progress"]').innerHTML = progressCell(job);
          if ((before === "queued" || before === "running") && !isActive) { ended = true; }
        });
        if (ended || (cards.length && !stillActive)) { window.location.reload(); return; }
        window.setTimeout(tick, 2000);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1000);
})();
