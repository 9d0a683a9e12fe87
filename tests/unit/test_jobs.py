"""Job queue rules on SQLite and PostgreSQL: coalescing, one crawl per source, exclusive reindex, recovery."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest

from core.db import make_engine
from core.errors import JobError
from core.jobs import MAX_TRACEBACK_CHARS, JobQueue, JobState, WorkerIdentity, truncate_traceback
from kennisbrug.job_context import JobContext
from kennisbrug.worker import Worker


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2010, 11, 11, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(clock: Clock, db_url: str) -> JobQueue:
    return JobQueue(make_engine(db_url), clock=clock)


def worker(n: int = 1, host: str = "host-a", pid: int = 1000) -> WorkerIdentity:
    return WorkerIdentity(id=f"w{n}", host=host, pid=pid + n)


def test_two_triggers_while_queued_give_one_job(queue: JobQueue) -> None:
    first = queue.enqueue("crawl", source="ekic", enqueued_by="scheduler")
    second = queue.enqueue("crawl", source="ekic", enqueued_by="admin:anne")
    assert first.id == second.id
    assert len(queue.find(states=["queued"])) == 1
    assert queue.claim_next(worker(1)) is not None
    assert queue.claim_next(worker(2)) is None  # nothing else to run


def test_full_request_upgrades_a_queued_incremental_crawl(queue: JobQueue) -> None:
    queued = queue.enqueue("crawl", source="ekic", enqueued_by="scheduler")
    upgraded = queue.enqueue("crawl", source="ekic", params={"full": True}, enqueued_by="cli")
    assert upgraded.id == queued.id and upgraded.params["full"] is True


def test_different_sources_and_urls_do_not_coalesce(queue: JobQueue) -> None:
    a = queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    b = queue.enqueue("crawl", source="bnbibliotheek", enqueued_by="cli")
    u1 = queue.enqueue("crawl_url", source="ekic", params={"url": "http://x/1"}, enqueued_by="cli")
    u2 = queue.enqueue("crawl_url", source="ekic", params={"url": "http://x/2"}, enqueued_by="cli")
    assert len({a.id, b.id, u1.id, u2.id}) == 4


def test_a_source_never_has_two_running_crawls(queue: JobQueue) -> None:
    first = queue.enqueue("crawl", source="ekic", enqueued_by="scheduler")
    assert queue.claim_next(worker(1)) == queue.get(first.id)
    # A new request while the first runs is queued (it may see newer pages) ...
    second = queue.enqueue("crawl", source="ekic", enqueued_by="admin:anne")
    url_job = queue.enqueue(
        "crawl_url", source="ekic", params={"url": "http://e/1"}, enqueued_by="admin:anne"
    )
    other = queue.enqueue("crawl", source="bnbibliotheek", enqueued_by="scheduler")
    # ... but does not start: the other source's crawl goes first.
    claimed = queue.claim_next(worker(2))
    assert claimed is not None and claimed.id == other.id
    assert queue.claim_next(worker(3)) is None
    queue.finish(first.id, JobState.DONE, report={"new": 3})
    assert queue.claim_next(worker(3)).id == second.id  # type: ignore[union-attr]
    assert queue.claim_next(worker(4)) is None
    queue.finish(second.id, JobState.DONE)
    assert queue.claim_next(worker(4)).id == url_job.id  # type: ignore[union-attr]


def test_claim_takes_the_oldest_runnable_job(queue: JobQueue) -> None:
    ids = [queue.enqueue("crawl", source=s, enqueued_by="cli").id for s in ("a", "b", "c")]
    claimed = [queue.claim_next(worker(n)) for n in range(3)]
    assert [j.id for j in claimed if j] == ids
    assert all(j and j.state == JobState.RUNNING and j.worker_id for j in claimed)


def test_reindex_waits_for_running_jobs_and_then_runs_alone(queue: JobQueue) -> None:
    crawl = queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    queue.claim_next(worker(1))
    reindex = queue.enqueue("reindex", enqueued_by="admin:anne")
    later = queue.enqueue("crawl", source="bnbibliotheek", enqueued_by="scheduler")
    assert queue.claim_next(worker(2)) is None  # reindex waits, and holds back later jobs
    with pytest.raises(JobError, match="must wait"):
        queue.claim(reindex.id, worker(2))
    queue.finish(crawl.id, JobState.DONE)
    assert queue.claim_next(worker(2)).id == reindex.id  # type: ignore[union-attr]
    sync = queue.enqueue("sync", enqueued_by="cli")
    assert queue.claim_next(worker(3)) is None  # nothing runs beside a reindex
    queue.finish(reindex.id, JobState.DONE)
    assert queue.claim_next(worker(3)).id == later.id  # type: ignore[union-attr]
    assert queue.claim_next(worker(4)).id == sync.id  # type: ignore[union-attr]


def test_cancel_queued_and_request_cancel_of_running(queue: JobQueue) -> None:
    queued = queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    assert queue.cancel(queued.id).state == JobState.CANCELLED
    assert queue.claim_next(worker(1)) is None
    running = queue.enqueue("sync", enqueued_by="cli")
    queue.claim_next(worker(1))
    assert queue.progress(running.id, done=1, total=10) is False
    assert queue.cancel(running.id).cancel_requested
    assert queue.progress(running.id, done=2) is True
    queue.finish(running.id, JobState.CANCELLED)
    with pytest.raises(JobError, match="already cancelled"):
        queue.cancel(running.id)


def test_progress_is_recorded(queue: JobQueue, clock: Clock) -> None:
    job = queue.enqueue("sync", enqueued_by="cli")
    queue.claim_next(worker(1))
    clock.advance(5)
    queue.progress(job.id, done=40, total=80, message="eKIC: artikel.php?id=40")
    seen = queue.get(job.id)
    assert (seen.progress_done, seen.progress_total, seen.percent) == (40, 80, 50)
    assert seen.heartbeat_at == clock.now


def test_a_dead_workers_job_is_interrupted_and_requeued(queue: JobQueue, clock: Clock) -> None:
    job = queue.enqueue("crawl", source="ekic", params={"full": True}, enqueued_by="cli")
    queue.claim_next(worker(1, pid=4000))
    restarted = worker(2, pid=5000)
    # Same host, pid no longer alive: interrupted at once, no need to wait for staleness.
    requeued = queue.recover(restarted, is_alive=lambda pid: False)
    assert queue.get(job.id).state == JobState.INTERRUPTED
    assert len(requeued) == 1 and requeued[0].retry_of == job.id
    assert requeued[0].params == {"full": True} and requeued[0].attempt == 2
    assert queue.claim_next(restarted).id == requeued[0].id  # type: ignore[union-attr]


def test_a_live_worker_on_another_host_is_left_alone_until_stale(
    queue: JobQueue, clock: Clock
) -> None:
    job = queue.enqueue("sync", enqueued_by="cli")
    queue.claim_next(worker(1, host="host-a"))
    elsewhere = worker(2, host="host-b")
    assert queue.recover(elsewhere) == []
    clock.advance(60)
    queue.heartbeat([job.id])
    clock.advance(60)
    assert queue.recover(elsewhere) == []
    clock.advance(60)
    assert len(queue.recover(elsewhere)) == 1
    assert queue.get(job.id).state == JobState.INTERRUPTED


def test_a_job_that_keeps_killing_its_worker_stops_being_retried(queue: JobQueue) -> None:
    queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    for n in range(1, 4):
        queue.claim_next(worker(n))
        queue.recover(worker(n + 1), is_alive=lambda pid: False)
    states = [j.state for j in queue.find()]
    assert states == [JobState.INTERRUPTED] * 3
    assert queue.claim_next(worker(9)) is None


def test_unknown_kinds_and_missing_sources_are_refused(queue: JobQueue) -> None:
    with pytest.raises(JobError, match="unknown job kind"):
        queue.enqueue("purge", enqueued_by="cli")
    with pytest.raises(JobError, match="needs a source"):
        queue.enqueue("crawl", enqueued_by="cli")
    with pytest.raises(JobError, match="url"):
        queue.enqueue("crawl_url", source="ekic", enqueued_by="cli")


def test_concurrent_triggers_and_claims_on_one_database(db_url: str) -> None:
    """Many threads with their own connections: one queued job, exactly one claimer."""
    queue = JobQueue(make_engine(db_url))
    barrier = threading.Barrier(8)
    enqueued: list[int] = []
    claimed: list[int] = []

    def trigger_and_claim(n: int) -> None:
        barrier.wait()
        enqueued.append(queue.enqueue("crawl", source="ekic", enqueued_by=f"t{n}").id)
        barrier.wait()
        job = queue.claim_next(worker(n))
        if job is not None:
            claimed.append(job.id)

    threads = [threading.Thread(target=trigger_and_claim, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(enqueued)) == 1
    assert claimed == [enqueued[0]]


def _broken_handler(context: JobContext) -> dict[str, object]:
    counts: dict[str, int] = {}
    return {"seen": counts["pages"]}  # a programming error: KeyError


def test_a_failed_job_keeps_its_traceback_on_the_row_and_in_the_log(
    queue: JobQueue, caplog: pytest.LogCaptureFixture
) -> None:
    job = queue.enqueue("sync", enqueued_by="cli")
    claimed = queue.claim_next(worker(1))
    assert claimed is not None
    runner = Worker(queue=queue, handlers={"sync": _broken_handler}, identity=worker(1))
    with caplog.at_level(logging.ERROR, logger="kennisbrug.worker"):
        failed = runner.run_one(claimed)
    assert failed.state == JobState.FAILED and failed.error == "KeyError: 'pages'"
    stored = queue.get(job.id).error_traceback or ""
    assert "_broken_handler" in stored and 'counts["pages"]' in stored
    assert stored.rstrip().endswith("KeyError: 'pages'")
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info is not None and logged[0].exc_info[0] is KeyError


def test_a_long_traceback_keeps_its_end() -> None:
    text = "".join(f"frame {n}\n" for n in range(5000)) + "ValueError: the cause"
    kept = truncate_traceback(text)
    assert len(kept) == MAX_TRACEBACK_CHARS and kept.endswith("ValueError: the cause")
    assert kept.startswith("[… earlier frames cut]") and "frame 0\n" not in kept
    assert truncate_traceback("short") == "short"
