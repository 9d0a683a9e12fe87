"""The dashboard's "next scheduled crawl" is the worker scheduler's own next firing."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from core.db import make_engine
from core.jobs import JobQueue
from core.store import utcnow
from kennisbrug.scheduling import build_scheduler
from search_ui.admin.dashboard import planned_run


def test_the_worker_records_its_next_firing_and_the_dashboard_shows_it(tmp_path: Path) -> None:
    queue = JobQueue(make_engine(f"sqlite:///{tmp_path / 'state.db'}"))
    started = utcnow()
    scheduler = build_scheduler(queue, {"ekic": IntervalTrigger(minutes=240)})
    scheduler.start()
    try:
        deadline = time.monotonic() + 10
        while "ekic" not in queue.next_runs() and time.monotonic() < deadline:
            time.sleep(0.05)
        job = scheduler.get_job("crawl:ekic")
        assert job is not None
        recorded = queue.next_runs()["ekic"]
        assert recorded == job.next_run_time  # exactly the worker's plan ...
    finally:
        scheduler.shutdown(wait=True)
    assert recorded is not None
    assert started + timedelta(minutes=239) < recorded < started + timedelta(minutes=241)
    # ... which a web process an hour later still shows (computing it afresh there
    # gave "now + 4 h" every time: the finding of issue #13).
    later = started + timedelta(hours=1)
    assert planned_run(recorded, later) == recorded
    assert planned_run(recorded, recorded + timedelta(seconds=1)) is None  # stale: compute
