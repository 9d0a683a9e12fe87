"""The worker: the job runner and the scheduler in one process (``kennisbrug worker``).

Composition root of background work. On start it re-queues the jobs a dead worker
left ``running``; then runner threads claim jobs from the queue (``core.jobs``
keeps them from overlapping) and run them through ``kennisbrug.job_handlers``,
while an APScheduler BackgroundScheduler enqueues the scheduled crawls. A
heartbeat thread keeps the rows of running jobs fresh so that another worker can
tell this one is alive. SIGTERM stops claiming, interrupts running jobs at their
next progress report and queues them again, so a deploy loses nothing.
"""

from __future__ import annotations

import logging
import signal
import threading
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from core.jobs import STALE_AFTER, Job, JobQueue, JobState, WorkerIdentity
from kennisbrug.job_context import (
    JobCancelledError,
    JobContext,
    JobFailedError,
    WorkerStoppingError,
)

log = logging.getLogger("kennisbrug.worker")

#: A handler runs one job and returns its report (JSON-able).
Handler = Callable[[JobContext], dict[str, Any]]


@dataclass(kw_only=True)
class Worker:
    queue: JobQueue
    handlers: Mapping[str, Handler]
    concurrency: int = 2
    poll_seconds: float = 1.0
    heartbeat_seconds: float = 15.0
    #: A running job whose heartbeat is older than this is taken over (see JobQueue.recover).
    stale_after: timedelta = STALE_AFTER
    progress_every: float = 1.0
    identity: WorkerIdentity = field(default_factory=WorkerIdentity.current)
    stopping: threading.Event = field(default_factory=threading.Event)
    _running: dict[int, Job] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def recover(self) -> list[Job]:
        requeued = self.queue.recover(self.identity, stale_after=self.stale_after)
        for job in requeued:
            log.warning("re-queued %s after its worker stopped (retry of #%s)", job, job.retry_of)
        return requeued

    def serve(self, *, grace_seconds: float = 30.0) -> None:
        """Run until ``stopping`` is set; then give running jobs ``grace_seconds`` to yield."""
        self.recover()
        threads = [
            threading.Thread(target=self._runner, name=f"runner-{n}", daemon=True)
            for n in range(self.concurrency)
        ]
        threads.append(threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True))
        for thread in threads:
            thread.start()
        self.stopping.wait()
        for thread in threads:
            thread.join(timeout=grace_seconds)

    def run_one(self, job: Job) -> Job:
        """Run a claimed job to its final state (used by runner threads and ``--now``)."""
        handler = self.handlers.get(job.kind)
        if handler is None:
            return self.queue.finish(job.id, JobState.FAILED, error=f"no handler for {job.kind}")
        context = JobContext(
            job=job, queue=self.queue, stopping=self.stopping, every=self.progress_every
        )
        with self._lock:
            self._running[job.id] = job
        try:
            return self._execute(job, handler, context)
        finally:
            with self._lock:
                self._running.pop(job.id, None)

    def _execute(self, job: Job, handler: Handler, context: JobContext) -> Job:
        log.info("running %s", job)
        try:
            report = handler(context)
        except JobCancelledError as exc:
            return self.queue.finish(job.id, JobState.CANCELLED, error=str(exc))
        except JobFailedError as exc:
            return self.queue.finish(job.id, JobState.FAILED, report=exc.report, error=str(exc))
        except WorkerStoppingError:
            self.queue.requeue(job, reason="the worker was stopped; queued again")
            return self.queue.get(job.id)
        except Exception as exc:
            # Any failure of one job is recorded on its row, with its traceback (a
            # programming error must leave a trace); the worker keeps serving.
            log.error("%s failed: %s", job, exc, exc_info=exc)
            detail = "".join(traceback.format_exception_only(exc)).strip()
            trace = "".join(traceback.format_exception(exc))
            return self.queue.finish(job.id, JobState.FAILED, error=detail, error_traceback=trace)
        finished = self.queue.finish(job.id, JobState.DONE, report=report)
        log.info("finished %s", finished)
        return finished

    def _runner(self) -> None:
        while not self.stopping.is_set():
            try:
                job = self.queue.claim_next(self.identity)
            except Exception as exc:
                # The database may be briefly away (restart, failover): wait and retry.
                log.error("cannot claim a job: %s", exc)
                job = None
            if job is None:
                self.stopping.wait(self.poll_seconds)
                continue
            self.run_one(job)

    def _heartbeat(self) -> None:
        while not self.stopping.wait(self.heartbeat_seconds):
            with self._lock:
                ids = list(self._running)
            try:
                self.queue.heartbeat(ids)
                self.recover()  # also adopt jobs of workers on other hosts that died
            except Exception as exc:
                log.error("heartbeat failed: %s", exc)


def install_signal_handlers(stopping: threading.Event) -> None:
    """SIGTERM and SIGINT ask the worker to stop gracefully."""

    def _stop(signum: int, _frame: Any) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
