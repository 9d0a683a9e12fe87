"""Enqueue-and-wait for the CLI: ``kennisbrug crawl|sync|reindex`` through the job queue.

By default a CLI command queues its job (so it never overlaps with the worker's
jobs) and follows the job row with a rich progress bar until it ends; ``--now``
runs the job in this process instead, still as a job row with the same rules,
for machines without a running worker.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from core.errors import JobError
from core.jobs import Job, JobQueue, JobState, WorkerIdentity
from kennisbrug.worker import Handler, Worker

#: After this long in the queue without any worker activity we say so.
NO_WORKER_HINT_AFTER = 10.0


def enqueue_and_wait(
    queue: JobQueue,
    kind: str,
    *,
    source: str | None = None,
    params: dict[str, Any] | None = None,
    enqueued_by: str = "cli",
    console: Console | None = None,
    poll_seconds: float = 0.5,
) -> Job:
    """Queue a job (or join the identical queued one) and show its progress until it ends."""
    console = console or Console()
    job = queue.enqueue(kind, source=source, params=params, enqueued_by=enqueued_by)
    console.print(f"job {job} queued; the worker runs it (Ctrl-C stops waiting, not the job)")
    try:
        return follow(queue, job.id, console=console, poll_seconds=poll_seconds)
    except KeyboardInterrupt:
        console.print(f"stopped waiting; job #{job.id} continues (kennisbrug jobs show {job.id})")
        raise


def run_now(
    queue: JobQueue,
    handlers: dict[str, Handler],
    kind: str,
    *,
    source: str | None = None,
    params: dict[str, Any] | None = None,
    enqueued_by: str = "cli",
    console: Console | None = None,
) -> Job:
    """Run the job in this process (``--now``), still under the queue's rules."""
    console = console or Console()
    identity = WorkerIdentity.current("cli")
    # A job left running by a dead process on this host (a killed --now) would block
    # this one until a worker noticed: recover it at once (it is queued again).
    queue.recover(identity)
    job = queue.enqueue(kind, source=source, params=params, enqueued_by=enqueued_by)
    worker = Worker(queue=queue, handlers=handlers, identity=identity)
    claimed = queue.claim(job.id, worker.identity)  # JobError if it must wait
    thread = threading.Thread(target=worker.run_one, args=(claimed,), daemon=True)
    thread.start()
    try:
        return follow(queue, job.id, console=console, poll_seconds=0.3)
    except KeyboardInterrupt:
        worker.stopping.set()  # the job is interrupted and queued again for the worker
        thread.join(timeout=30)
        raise


def follow(queue: JobQueue, job_id: int, *, console: Console, poll_seconds: float = 0.5) -> Job:
    """Poll the job row and draw its progress until it reaches a final state."""
    started = time.monotonic()
    hinted = False
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task(f"job #{job_id}", total=None)
        while True:
            job = queue.get(job_id)
            description = f"#{job.id} {job.label}: {job.progress_message or job.state}"
            bar.update(task, description=description[:100], completed=job.progress_done,
                       total=job.progress_total)  # fmt: skip
            if not job.active:
                break
            waited = time.monotonic() - started
            if not hinted and job.state == JobState.QUEUED and waited > NO_WORKER_HINT_AFTER:
                hinted = True
                if not _worker_busy(queue):
                    console.print("no worker seems to run: start `kennisbrug worker` or use --now")
            time.sleep(poll_seconds)
    _print_outcome(job, console)
    return job


def _worker_busy(queue: JobQueue) -> bool:
    return bool(queue.find(states=[JobState.RUNNING], limit=1))


def _print_outcome(job: Job, console: Console) -> None:
    colour = {"done": "green", "failed": "red"}.get(str(job.state), "yellow")
    console.print(
        f"[{colour}]job #{job.id} {job.state}[/]" + (f": {job.error}" if job.error else "")
    )


def raise_unless_done(job: Job) -> None:
    """For commands that must exit non-zero when their job did not succeed."""
    if job.state != JobState.DONE:
        raise JobError(f"job #{job.id} ended {job.state}" + (f": {job.error}" if job.error else ""))
