"""What a running job sees: its row, a throttled progress reporter and its stop signals.

Job handlers (``kennisbrug.job_handlers``) hand ``JobContext.progress`` to the
crawler and the indexer as their progress callback. Each call may write the
progress to the job row (at most every ``every`` seconds, so a fast crawl does not
turn into a write storm) and is the point where a job notices that an admin asked
to cancel it or that the worker is shutting down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import JobError
from core.jobs import Job, JobQueue


class JobCancelledError(JobError):
    """An admin cancelled the running job; it ends as ``cancelled``."""


class JobFailedError(JobError):
    """The job ran but its outcome is a failure (e.g. an unhealthy crawl); keeps the report."""

    def __init__(self, message: str, report: dict[str, Any]) -> None:
        super().__init__(message)
        self.report = report


class WorkerStoppingError(JobError):
    """The worker is shutting down; the job ends ``interrupted`` and is queued again."""


@dataclass(kw_only=True)
class JobContext:
    job: Job
    queue: JobQueue
    stopping: threading.Event = field(default_factory=threading.Event)
    every: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _last: float = field(default=float("-inf"), init=False)

    _cancelled: bool = field(default=False, init=False)

    def record(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress (throttled) without raising; see ``should_stop``."""
        now = self.clock()
        finished_step = total is not None and done >= total
        if now - self._last >= self.every or finished_step:
            self._last = now
            self._cancelled = self.queue.progress(
                self.job.id, done=done, total=total, message=message
            )

    def should_stop(self) -> bool:
        """True once an admin cancelled the job or the worker is shutting down."""
        return self._cancelled or self.stopping.is_set()

    def raise_if_stopping(self) -> None:
        if self._cancelled:
            raise JobCancelledError(f"job {self.job.id} was cancelled")
        if self.stopping.is_set():
            raise WorkerStoppingError("the worker is shutting down")

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress; raises when the job must stop (cancelled or shutting down)."""
        self.record(done, total, message)
        self.raise_if_stopping()

    def step(self, what: str, done: int, total: int) -> None:
        """The indexer's callback shape: (what, done, total)."""
        self.progress(done, total or None, what)
