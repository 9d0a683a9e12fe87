"""The worker for real: the scheduler on a fast clock, and a worker SIGKILLed mid-crawl.

The crawl runs against the eKIC demo site served over HTTP on port 0, slowed down by
the profile's politeness delay so that the kill lands in the middle of the run.
Waiting uses generous deadlines only to avoid hanging; nothing asserts on speed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, func, select

from core.db import documents, make_engine
from core.jobs import Job, JobQueue, JobState, WorkerIdentity
from core.settings import REPO_ROOT
from core.sources import load_profiles
from core.store import DocumentStore, utcnow
from crawler.fetch import Fetcher
from crawler.run import crawl_source
from demo.ekic_layout import article_url
from demo.server import RunningSite, serve
from demo.sites import build_ekic
from kennisbrug.scheduling import SCHEDULER, build_scheduler


def wait_for(condition: Callable[[], bool], *, deadline: float = 120.0, what: str = "") -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def queue(tmp_path: Path) -> JobQueue:
    return JobQueue(make_engine(f"sqlite:///{tmp_path / 'state.db'}"))


class Firings:
    """Counts executions of the scheduler's jobs (the enqueue calls)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, event: JobExecutionEvent) -> None:
        with self.lock:
            self.count += 1


def test_scheduler_enqueues_on_a_fast_schedule_and_repeats_coalesce(queue: JobQueue) -> None:
    scheduler = build_scheduler(queue, {"ekic": IntervalTrigger(seconds=1)})
    firings = Firings()
    scheduler.add_listener(firings, EVENT_JOB_EXECUTED)
    scheduler.start()
    try:
        wait_for(lambda: firings.count >= 3, what="three scheduled firings")
    finally:
        scheduler.shutdown(wait=True)
    queued = queue.find(states=[JobState.QUEUED])
    assert len(queued) == 1  # three firings, one waiting crawl: the queue coalesced them
    assert queued[0].enqueued_by == SCHEDULER and queued[0].source == "ekic"


def test_misfires_after_downtime_coalesce_into_one_run(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'state.db'}")
    # The last scheduled crawl was an hour ago; with a 5-minute interval the worker
    # was down for about 12 fire times.
    past = JobQueue(engine, clock=lambda: utcnow() - timedelta(hours=1))
    old = past.enqueue("crawl", source="ekic", enqueued_by=SCHEDULER)
    past.claim_next(past_worker())
    past.finish(old.id, JobState.DONE)
    queue = JobQueue(engine)
    scheduler = build_scheduler(queue, {"ekic": IntervalTrigger(minutes=5)})
    firings = Firings()
    scheduler.add_listener(firings, EVENT_JOB_EXECUTED)
    scheduler.start()
    try:
        wait_for(lambda: firings.count >= 1, what="the catch-up run")
        job = scheduler.get_job("crawl:ekic")
        assert job is not None and job.next_run_time > utcnow()  # the rest were dropped
    finally:
        scheduler.shutdown(wait=True)
    assert firings.count == 1
    assert len(queue.find(states=[JobState.QUEUED], enqueued_by=SCHEDULER)) == 1


def past_worker() -> WorkerIdentity:
    return WorkerIdentity(id="old-worker", host="elsewhere", pid=1)


# -- SIGKILL in the middle of a crawl ------------------------------------------------------


@pytest.fixture
def ekic_site() -> Iterator[RunningSite]:
    site = serve(build_ekic(), port=0, politeness=False)
    yield site
    site.close()


def sources_file(tmp_path: Path, base_url: str, delay: float) -> Path:
    text = (REPO_ROOT / "config" / "sources.toml").read_text(encoding="utf-8")
    text = text.replace("http://127.0.0.1:8101", base_url).replace(
        "delay = 1.0", f"delay = {delay}"
    )
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def start_worker(home: Path, sources: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        KENNISBRUG_HOME=str(home),
        KENNISBRUG_SOURCES_FILE=str(sources),
        KENNISBRUG_ES_URL="http://127.0.0.1:9",  # syncs fail fast; the store is what we check
    )
    command = [sys.executable, "-m", "kennisbrug", "worker", "--no-schedule", "--concurrency", "1"]
    return subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=open(home / "worker.log", "ab"))  # fmt: skip


def stored_urls(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [
            r.url for r in conn.execute(select(documents.c.url).where(documents.c.source == "ekic"))
        ]


def test_a_worker_killed_mid_crawl_is_recovered_without_loss(
    tmp_path: Path, ekic_site: RunningSite
) -> None:
    reference = reference_crawl(tmp_path / "reference", ekic_site.base_url)
    home = tmp_path / "home"
    home.mkdir()
    sources = sources_file(tmp_path, ekic_site.base_url, delay=0.15)
    engine = make_engine(f"sqlite:///{home / 'kennisbrug.db'}")
    queue = JobQueue(engine)
    crawl = queue.enqueue("crawl", source="ekic", params={"full": True}, enqueued_by="cli")

    first = start_worker(home, sources)
    try:
        wait_for(lambda: len(stored_urls(engine)) >= 5, what="the first documents")
        assert queue.get(crawl.id).state == JobState.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    kept = set(stored_urls(engine))
    assert queue.get(crawl.id).state == JobState.RUNNING  # nobody has noticed yet
    assert 5 <= len(kept) < len(reference)

    second = start_worker(home, sources)
    try:
        wait_for(lambda: _retry_of(queue, crawl.id) is not None, what="the re-queued crawl")
        retry = _retry_of(queue, crawl.id)
        assert retry is not None
        wait_for(lambda: not queue.get(retry.id).active, deadline=300, what="the resumed crawl")
        assert queue.get(retry.id).state == JobState.DONE
        assert queue.get(crawl.id).state == JobState.INTERRUPTED
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    urls = stored_urls(engine)
    assert len(urls) == len(set(urls))  # nothing stored twice
    assert set(urls) == reference  # nothing lost, nothing extra
    assert kept <= set(urls)
    with engine.connect() as conn:
        deleted = conn.execute(
            select(func.count()).select_from(documents).where(documents.c.deleted_at.is_not(None))
        ).scalar_one()
    assert deleted == 0


def _first_article() -> str:
    entry = next(e for e in build_ekic().entries.values() if e.kind == "artikel")
    return article_url(entry)


def _retry_of(queue: JobQueue, job_id: int) -> Job | None:
    found = [j for j in queue.find(kind="crawl", source="ekic") if j.retry_of == job_id]
    return found[0] if found else None


def reference_crawl(folder: Path, base_url: str) -> set[str]:
    """The URLs one uninterrupted crawl of the same site stores."""
    folder.mkdir()
    profiles = load_profiles(sources_file(folder, base_url, delay=0.0))
    store = DocumentStore(make_engine(f"sqlite:///{folder / 'state.db'}"))
    profile = profiles["ekic"]
    with Fetcher.from_profile(profile.politeness, "KennisbrugTest/1.0") as fetcher:
        crawl_source(profile, store=store, fetcher=fetcher, full=True)
    return set(stored_urls(store.engine))


def test_a_queued_url_outside_the_source_is_never_fetched(
    tmp_path: Path, ekic_site: RunningSite
) -> None:
    """The worker checks again: a job row written by anyone cannot fetch another host."""
    from core.settings import Settings
    from kennisbrug.job_handlers import Runtime, make_handlers
    from kennisbrug.worker import Worker

    outside = serve(build_ekic(), port=0, politeness=False)  # a live host that is not eKIC
    try:
        settings = Settings.from_env(
            {}, home=tmp_path, sources_file=sources_file(tmp_path, ekic_site.base_url, 0.0),
            es_url="http://127.0.0.1:9",
        )  # fmt: skip
        runtime = Runtime(settings=settings)
        worker = Worker(queue=runtime.queue, handlers=make_handlers(runtime))
        url = f"{outside.base_url}/artikel.php?id=1"
        job = runtime.queue.enqueue(
            "crawl_url", source="ekic", params={"url": url}, enqueued_by="x"
        )
        finished = worker.run_one(runtime.queue.claim(job.id, worker.identity))
        assert finished.state == JobState.FAILED and "does not belong" in (finished.error or "")
        assert outside.requests_for("/artikel.php") == []
        assert runtime.store.count_live("ekic") == 0
        inside = runtime.queue.enqueue(
            "crawl_url", source="ekic", params={"url": ekic_site.base_url + _first_article()},
            enqueued_by="x",
        )  # fmt: skip
        assert job.id != inside.id
        claimed = runtime.queue.claim(inside.id, worker.identity)
        assert worker.run_one(claimed).state == JobState.DONE
        assert runtime.store.count_live("ekic") == 1
    finally:
        outside.close()
