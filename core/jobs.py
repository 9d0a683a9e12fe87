"""The job queue: crawls, syncs and reindexes as durable rows in the state database.

The admin pages, the CLI and the scheduler only *enqueue* here; the worker claims
and runs. Every rule that keeps jobs from overlapping is enforced in this module,
inside one transaction that first takes a lock row, so it holds on SQLite (the
write lock is taken at the first write) and on PostgreSQL (the row lock
serialises claimers) alike, with any number of worker processes:

* a source never has two running crawls (``crawl`` and ``crawl_url`` share a source);
* a reindex runs alone: it waits for running jobs, and nothing queued after it
  starts before it has finished;
* an identical request while one is queued returns the queued job (coalescing);
* jobs of a dead worker become ``interrupted`` and are queued again (``recover``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from core.db import reading, writing
from core.errors import JobError, StoreError
from core.job_model import (
    ACTIVE,
    Job,
    JobState,
    WorkerIdentity,
    aware,
    blocked_by,
    coalesce_key,
    job_from_row,
    pid_alive,
    validate_request,
)
from core.job_tables import job_lock, jobs, schedule_next_runs
from core.store import utcnow

#: Retries after a worker died mid-job; a job that kills its worker every time stops here.
MAX_ATTEMPTS = 3
#: How much of a failed job's traceback its row keeps (the end, where the error is).
MAX_TRACEBACK_CHARS = 8000
#: A running job whose heartbeat is older than this belongs to a dead worker.
STALE_AFTER = timedelta(seconds=90)

__all__ = ["MAX_ATTEMPTS", "STALE_AFTER", "Job", "JobQueue", "JobState", "WorkerIdentity"]


class JobQueue:
    """Typed, rule-keeping access to the ``jobs`` table."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    # -- the scheduler's plan -----------------------------------------------------------
    def record_next_runs(self, plan: dict[str, datetime | None]) -> None:
        """The worker's scheduler: when each source's crawl is enqueued next."""
        now = self.clock()
        with writing(self.engine) as conn:
            conn.execute(delete(schedule_next_runs))
            if plan:
                conn.execute(
                    insert(schedule_next_runs),
                    [{"source": s, "next_run_at": at, "updated_at": now} for s, at in plan.items()],
                )

    def next_runs(self) -> dict[str, datetime | None]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(schedule_next_runs)).all()
        return {str(r.source): aware(r.next_run_at) for r in rows}

    # -- enqueue ------------------------------------------------------------------
    def enqueue(
        self,
        kind: str,
        *,
        source: str | None = None,
        params: dict[str, Any] | None = None,
        enqueued_by: str,
    ) -> Job:
        """Queue a job, or return the identical one already waiting (coalescing)."""
        params = dict(params or {})
        validate_request(kind, source, params)
        key = coalesce_key(kind, source, params)
        with self._locked() as conn:
            waiting = conn.execute(
                select(jobs).where(jobs.c.state == JobState.QUEUED, jobs.c.coalesce_key == key)
            ).first()
            if waiting is not None:
                # A full crawl covers an incremental one; upgrade the waiting job.
                if kind == "crawl" and params.get("full") and not waiting.params.get("full"):
                    merged = {**waiting.params, "full": True}
                    conn.execute(update(jobs).where(jobs.c.id == waiting.id).values(params=merged))
                return self._get(conn, int(waiting.id))
            job_id = self._insert(conn, kind, source, params, key, enqueued_by)
            return self._get(conn, job_id)

    # -- reads ----------------------------------------------------------------------
    def get(self, job_id: int) -> Job:
        with reading(self.engine) as conn:
            return self._get(conn, job_id)

    def find(
        self,
        *,
        states: Iterable[str] | None = None,
        kind: str | None = None,
        source: str | None = None,
        enqueued_by: str | None = None,
        limit: int = 50,
    ) -> list[Job]:
        """Newest first."""
        query = select(jobs).order_by(jobs.c.id.desc()).limit(limit)
        if states is not None:
            query = query.where(jobs.c.state.in_(list(states)))
        if kind is not None:
            query = query.where(jobs.c.kind == kind)
        if source is not None:
            query = query.where(jobs.c.source == source)
        if enqueued_by is not None:
            query = query.where(jobs.c.enqueued_by == enqueued_by)
        with reading(self.engine) as conn:
            return [job_from_row(r._mapping) for r in conn.execute(query).all()]

    def last_finished(self, kind: str, source: str | None = None) -> Job | None:
        finished = [s.value for s in JobState if s not in ACTIVE]
        found = self.find(states=finished, kind=kind, source=source, limit=1)
        return found[0] if found else None

    # -- claim ----------------------------------------------------------------------
    def claim_next(self, worker: WorkerIdentity) -> Job | None:
        """Atomically take the oldest job that may run now, or None."""
        with self._locked() as conn:
            running = self._running(conn)
            queued = conn.execute(
                select(jobs).where(jobs.c.state == JobState.QUEUED).order_by(jobs.c.id).limit(500)
            ).all()
            for row in queued:
                job = job_from_row(row._mapping)
                if blocked_by(job, running) is None:
                    return self._start(conn, job.id, worker)
                if job.kind == "reindex":
                    return None  # a barrier: later jobs wait until the reindex has run
            return None

    def claim(self, job_id: int, worker: WorkerIdentity) -> Job:
        """Take one specific queued job (the CLI's ``--now``); JobError if it may not run."""
        with self._locked() as conn:
            job = self._get(conn, job_id)
            if job.state != JobState.QUEUED:
                raise JobError(f"job {job_id} is {job.state}, not queued")
            blocker = blocked_by(job, self._running(conn))
            if blocker is not None:
                raise JobError(f"job {job_id} must wait for running job {blocker.id} ({blocker})")
            return self._start(conn, job_id, worker)

    # -- while running -----------------------------------------------------------------
    def progress(
        self,
        job_id: int,
        *,
        done: int | None = None,
        total: int | None = None,
        message: str | None = None,
    ) -> bool:
        """Record progress and a heartbeat; True when someone asked to cancel the job."""
        values: dict[str, Any] = {"heartbeat_at": self.clock()}
        if done is not None:
            values["progress_done"] = done
        if total is not None:
            values["progress_total"] = total
        if message is not None:
            values["progress_message"] = message[:500]
        with writing(self.engine) as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))
            flag = conn.execute(select(jobs.c.cancel_requested).where(jobs.c.id == job_id))
            return bool(flag.scalar_one_or_none())

    def heartbeat(self, job_ids: Iterable[int]) -> None:
        ids = list(job_ids)
        if not ids:
            return
        with writing(self.engine) as conn:
            conn.execute(
                update(jobs)
                .where(jobs.c.id.in_(ids), jobs.c.state == JobState.RUNNING)
                .values(heartbeat_at=self.clock())
            )

    def finish(
        self,
        job_id: int,
        state: JobState,
        *,
        report: dict[str, Any] | None = None,
        error: str | None = None,
        error_traceback: str | None = None,
    ) -> Job:
        """End a running job as done, failed, cancelled or interrupted.

        ``error_traceback`` keeps its last ``MAX_TRACEBACK_CHARS`` (the innermost
        frames and the exception itself are at the end).
        """
        if state in ACTIVE:
            raise JobError(f"{state} is not a final state")
        with writing(self.engine) as conn:
            values: dict[str, Any] = {"state": state, "finished_at": self.clock()}
            if report is not None:
                values["report"] = report
            if error is not None:
                values["error"] = error[:4000]
            if error_traceback is not None:
                values["error_traceback"] = truncate_traceback(error_traceback)
            conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.state == JobState.RUNNING)
                .values(**values)
            )
            return self._get(conn, job_id)

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued job now; ask a running one to stop at its next progress report."""
        with self._locked() as conn:
            job = self._get(conn, job_id)
            if job.state == JobState.QUEUED:
                values: dict[str, Any] = {"state": JobState.CANCELLED, "finished_at": self.clock()}
            elif job.state == JobState.RUNNING:
                values = {"cancel_requested": 1}
            else:
                raise JobError(f"job {job_id} is already {job.state}")
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))
            return self._get(conn, job_id)

    def requeue(self, job: Job, *, reason: str) -> Job | None:
        """Mark a running job interrupted and queue it again (graceful shutdown)."""
        with self._locked() as conn:
            return self._interrupt(conn, job, reason)

    # -- recovery ----------------------------------------------------------------------
    def recover(
        self,
        worker: WorkerIdentity,
        *,
        stale_after: timedelta = STALE_AFTER,
        is_alive: Callable[[int], bool] = pid_alive,
    ) -> list[Job]:
        """Interrupt and re-queue jobs whose worker is gone; returns the new queued jobs."""
        now = self.clock()
        requeued: list[Job] = []
        with self._locked() as conn:
            for job in self._running(conn):
                if job.worker_id == worker.id:
                    continue
                same_host = job.worker_host == worker.host and job.worker_pid is not None
                # On one host a pid tells for sure (a container restart reuses pid 1,
                # so our own pid under another worker id is a previous incarnation).
                dead_here = same_host and (
                    job.worker_pid == worker.pid or not is_alive(int(job.worker_pid or 0))
                )
                beat = job.heartbeat_at or job.started_at or now
                if dead_here or now - beat > stale_after:
                    new = self._interrupt(
                        conn, job, f"worker {job.worker_id} stopped during the job"
                    )
                    if new is not None:
                        requeued.append(new)
        return requeued

    # -- plumbing ------------------------------------------------------------------------
    def _interrupt(self, conn: Connection, job: Job, reason: str) -> Job | None:
        now = self.clock()
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job.id)
            .values(state=JobState.INTERRUPTED, finished_at=now, error=reason)
        )
        if job.attempt >= MAX_ATTEMPTS:
            return None
        key = coalesce_key(job.kind, job.source, job.params)
        waiting = conn.execute(
            select(jobs.c.id).where(jobs.c.state == JobState.QUEUED, jobs.c.coalesce_key == key)
        ).first()
        if waiting is not None:
            return self._get(conn, int(waiting.id))
        new_id = self._insert(
            conn, job.kind, job.source, job.params, key, job.enqueued_by, retry_of=job
        )
        return self._get(conn, new_id)

    def _insert(
        self,
        conn: Connection,
        kind: str,
        source: str | None,
        params: dict[str, Any],
        key: str,
        enqueued_by: str,
        *,
        retry_of: Job | None = None,
    ) -> int:
        result = conn.execute(
            insert(jobs).values(
                kind=kind,
                source=source,
                params=params,
                coalesce_key=key,
                state=JobState.QUEUED,
                enqueued_by=enqueued_by[:128],
                enqueued_at=self.clock(),
                progress_done=0,
                cancel_requested=0,
                attempt=retry_of.attempt + 1 if retry_of else 1,
                retry_of=retry_of.id if retry_of else None,
            )
        )
        key_row = result.inserted_primary_key
        if key_row is None:
            raise StoreError("the database did not return the new job's id")
        return int(key_row[0])

    def _start(self, conn: Connection, job_id: int, worker: WorkerIdentity) -> Job:
        now = self.clock()
        conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == JobState.QUEUED)
            .values(
                state=JobState.RUNNING,
                started_at=now,
                heartbeat_at=now,
                worker_id=worker.id,
                worker_host=worker.host,
                worker_pid=worker.pid,
            )
        )
        return self._get(conn, job_id)

    def _running(self, conn: Connection) -> list[Job]:
        rows = conn.execute(select(jobs).where(jobs.c.state == JobState.RUNNING)).all()
        return [job_from_row(r._mapping) for r in rows]

    def _get(self, conn: Connection, job_id: int) -> Job:
        row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None:
            raise JobError(f"no job with id {job_id}")
        return job_from_row(row._mapping)

    @contextmanager
    def _locked(self) -> Iterator[Connection]:
        """A transaction that first takes the queue lock (see the module docstring)."""
        with writing(self.engine) as conn:
            conn.execute(
                update(job_lock)
                .where(job_lock.c.name == "queue")
                .values(generation=job_lock.c.generation + 1)
            )
            yield conn


def truncate_traceback(text: str, limit: int = MAX_TRACEBACK_CHARS) -> str:
    """The last ``limit`` characters of ``text``, marked as cut when it was longer."""
    if len(text) <= limit:
        return text
    marker = "[… earlier frames cut]\n"
    return marker + text[len(text) - (limit - len(marker)) :]
