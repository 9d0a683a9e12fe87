"""Several real ``kennisbrug worker`` processes on one PostgreSQL, as compose scales them.

* Three workers share a queue of crawls (two sources), a single-URL fetch, a reindex and
  syncs: every job runs exactly once, a source never has two crawls at a time, and a
  reindex overlaps no other job — checked on the job rows' own start and end times, and
  parallelism is shown to have happened (else the rules were never put to the test).
* A worker SIGKILLed mid-crawl: another takes the job over within the takeover timeout,
  and nothing is lost or stored twice (store, outbox and index agree with a reference
  crawl).

Run as root (CI), every worker gets its own hostname in its own UTS namespace, like a
compose replica in its container: a dead worker is then recognised by its missing
heartbeat only, not by its pid. Heartbeat and takeover timeout are shortened through
their settings. Deadlines only keep a broken run from hanging.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy import Engine, select

from core.db import crawl_runs, documents, make_engine
from core.jobs import Job, JobQueue, JobState
from core.settings import REPO_ROOT
from core.store import DocumentStore, utcnow
from demo.ekic_layout import article_url
from demo.server import RunningSite, serve
from demo.sites import build_bnbibliotheek, build_ekic
from tests.integration.crawlkit import crawl, profile_for, sources_file_for, store_at

HEARTBEAT = 1.0
STALE_AFTER = 6.0
OWN_HOSTNAMES = os.geteuid() == 0 and shutil.which("unshare") is not None


def wait_for(condition: Callable[[], bool], what: str, deadline: float = 240.0) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def sites() -> Iterator[dict[str, RunningSite]]:
    running = {
        "ekic": serve(build_ekic(), port=0, politeness=False),
        "bnbibliotheek": serve(build_bnbibliotheek(), port=0, politeness=False),
    }
    yield running
    for site in running.values():
        site.close()


class Workers:
    """``kennisbrug worker`` processes with one environment; all stopped at the end."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, n: int, *, concurrency: int | None = None) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "kennisbrug", "worker", "--no-schedule"]
        if concurrency is not None:
            command += ["--concurrency", str(concurrency)]
        if OWN_HOSTNAMES:
            script = f'hostname worker-{n} && exec "$0" "$@"'
            command = ["unshare", "--uts", "sh", "-c", script, *command]
        with open(self.folder / f"worker-{n}.log", "wb") as log:
            proc = subprocess.Popen(
                command, env=self.env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        self.procs.append(proc)
        return proc

    def wait_ready(self) -> None:
        """Until every started worker has said it is running (it claims jobs from then on)."""
        logs = [self.folder / f"worker-{n}.log" for n in range(1, len(self.procs) + 1)]
        wait_for(lambda: all(" running (" in log.read_text() for log in logs), "the workers")

    def by_pid(self, pid: int | None) -> subprocess.Popen[bytes]:
        return next(p for p in self.procs if p.pid == pid)

    def logs(self) -> str:
        return "\n".join(p.read_text()[-1500:] for p in sorted(self.folder.glob("worker-*.log")))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def setup(
    tmp_path: Path,
    sites: dict[str, RunningSite],
    pg_url: str,
    es_url: str,
    index_prefix: str,
) -> Iterator[tuple[Workers, Engine, str]]:
    base_urls = {name: site.base_url for name, site in sites.items()}
    sources = sources_file_for(tmp_path, base_urls, delay=0.05)
    alias = f"{index_prefix}workers-{tmp_path.name[-12:]}".lower()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KENNISBRUG_")}
    env.update(
        KENNISBRUG_DB_URL=pg_url,
        KENNISBRUG_ES_URL=es_url,
        KENNISBRUG_INDEX_ALIAS=alias,
        KENNISBRUG_HOME=str(tmp_path / "home"),
        KENNISBRUG_SOURCES_FILE=str(sources),
        KENNISBRUG_WORKER_HEARTBEAT=str(HEARTBEAT),
        KENNISBRUG_WORKER_STALE_AFTER=str(STALE_AFTER),
    )
    workers = Workers(tmp_path, env)
    try:
        yield workers, make_engine(pg_url), alias
    finally:
        workers.stop()


def _all_jobs(queue: JobQueue) -> list[Job]:
    return queue.find(limit=1000)


def _overlap(a: Job, b: Job) -> bool:
    assert a.started_at and a.finished_at and b.started_at and b.finished_at
    return a.started_at < b.finished_at and b.started_at < a.finished_at


def _index_count(es_url: str, alias: str) -> int:
    client = Elasticsearch(es_url, request_timeout=30)
    try:
        client.indices.refresh(index=alias)
        return int(client.count(index=alias)["count"])
    finally:
        client.close()


def test_three_workers_run_every_job_once_and_keep_the_rules(
    setup: tuple[Workers, Engine, str], sites: dict[str, RunningSite], es_url: str
) -> None:
    workers, engine, alias = setup
    queue = JobQueue(engine)
    ekic_article = next(e for e in build_ekic().entries.values() if e.kind == "artikel")
    # One job at a time per worker, all three up before the jobs arrive: otherwise the
    # first worker to start can take both crawls while the others still import.
    for n in (1, 2, 3):
        workers.start(n, concurrency=1)
    workers.wait_ready()
    enqueued = [
        queue.enqueue("crawl", source="ekic", params={"full": True}, enqueued_by="test"),
        queue.enqueue("crawl", source="bnbibliotheek", params={"full": True}, enqueued_by="test"),
        queue.enqueue("crawl_url", source="ekic", enqueued_by="test",
                      params={"url": sites["ekic"].base_url + article_url(ekic_article)}),
        queue.enqueue("reindex", enqueued_by="test"),
    ]  # fmt: skip
    most_at_once = 0

    def watch_until(condition: Callable[[], bool], what: str) -> None:
        def check() -> bool:
            nonlocal most_at_once
            running = queue.find(states=[JobState.RUNNING])
            most_at_once = max(most_at_once, len(running))
            return condition()

        wait_for(check, what)

    reindex = enqueued[3]
    watch_until(lambda: queue.get(reindex.id).state != JobState.QUEUED, "the reindex to start")
    # Queued behind the running (or finished) reindex: these must not overlap it.
    enqueued += [
        queue.enqueue("crawl", source="ekic", enqueued_by="test"),
        queue.enqueue("crawl", source="bnbibliotheek", enqueued_by="test"),
    ]
    watch_until(lambda: not any(j.active for j in _all_jobs(queue)), "every job to finish")

    jobs = _all_jobs(queue)
    assert {j.id for j in enqueued} <= {j.id for j in jobs}
    assert [j for j in jobs if j.state != JobState.DONE] == [], workers.logs()
    assert len({j.worker_id for j in jobs}) >= 2  # the work was shared
    assert most_at_once >= 2  # and jobs did run side by side
    for a in jobs:
        for b in jobs:
            if a.id >= b.id or not _overlap(a, b):
                continue
            assert "reindex" not in (a.kind, b.kind), f"{a} overlapped {b}"
            crawlish = {"crawl", "crawl_url"}
            same_source = a.kind in crawlish and b.kind in crawlish and a.source == b.source
            assert not same_source, f"{a} overlapped {b}"
    # Exactly once: one crawl run per crawl job, each finished normally.
    with engine.connect() as conn:
        runs = conn.execute(select(crawl_runs.c.job_id, crawl_runs.c.status)).all()
    crawl_ids = sorted(j.id for j in jobs if j.kind == "crawl")
    assert sorted(r.job_id for r in runs) == crawl_ids
    assert {r.status for r in runs} == {"done"}
    store = DocumentStore(engine)
    assert store.outbox_counts() == {}
    assert _index_count(es_url, alias) == store.count_live() > 0


def test_a_worker_killed_mid_crawl_is_taken_over_within_the_timeout(
    setup: tuple[Workers, Engine, str],
    sites: dict[str, RunningSite],
    tmp_path: Path,
    es_url: str,
) -> None:
    workers, engine, alias = setup
    reference = tmp_path / "reference.db"
    crawl(profile_for(sites["ekic"], "ekic"), store_at(reference), full=True)
    expected = {d.url for d in store_at(reference).iter_live("ekic")}
    queue = JobQueue(engine)
    job = queue.enqueue("crawl", source="ekic", params={"full": True}, enqueued_by="test")
    workers.start(1)
    workers.start(2)

    def stored() -> int:
        with engine.connect() as conn:
            return len(conn.execute(select(documents.c.id)).all())

    wait_for(lambda: queue.get(job.id).state == JobState.RUNNING and stored() >= 3, "the crawl")
    victim = queue.get(job.id)
    workers.by_pid(victim.worker_pid).send_signal(signal.SIGKILL)
    killed_at = utcnow()
    assert 3 <= stored() < len(expected)  # killed in the middle

    def retry() -> Job | None:
        found = [j for j in queue.find(kind="crawl") if j.retry_of == job.id]
        return found[0] if found else None

    wait_for(lambda: (r := retry()) is not None and r.started_at is not None, "the takeover")
    taken = retry()
    assert taken is not None and taken.started_at is not None
    assert queue.get(job.id).state == JobState.INTERRUPTED
    assert taken.worker_id != victim.worker_id
    if OWN_HOSTNAMES:  # another "container": only the missing heartbeat gave it away
        assert taken.worker_host != victim.worker_host
    # Within the takeover timeout (plus one heartbeat to notice, plus a margin for a
    # loaded machine): a bound the product promises, not a speed measurement.
    assert taken.started_at - killed_at < timedelta(seconds=STALE_AFTER + HEARTBEAT + 20)
    wait_for(lambda: not any(j.active for j in queue.find(limit=100)), "the resumed crawl")
    assert queue.get(taken.id).state == JobState.DONE, workers.logs()

    store = DocumentStore(engine)
    urls = [d.url for d in store.iter_live("ekic")]
    assert sorted(urls) == sorted(expected)  # nothing lost, nothing extra, nothing twice
    with engine.connect() as conn:
        versions = {r.version for r in conn.execute(select(documents.c.version))}
        statuses = sorted(r.status for r in conn.execute(select(crawl_runs.c.status)))
    assert versions == {1}  # the resumed crawl stored no second version of a page
    assert statuses == ["done", "interrupted"]
    assert store.outbox_counts() == {}
    assert _index_count(es_url, alias) == len(expected)
