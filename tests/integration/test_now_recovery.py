"""A killed ``--now`` crawl does not block the next one: it is recovered at once (issue #9)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from core.db import make_engine
from core.jobs import JobQueue, JobState, WorkerIdentity
from kennisbrug.job_context import JobContext
from kennisbrug.job_waiting import run_now


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_dead_now_job_on_this_host_is_recovered_at_once(tmp_path: Path) -> None:
    queue = JobQueue(make_engine(f"sqlite:///{tmp_path / 'kb.db'}"))
    killed = queue.enqueue("crawl", source="ekic", enqueued_by="cli")
    # the process that ran it with --now was killed: its row still says "running", with
    # a fresh heartbeat, so the stale-heartbeat rule would make us wait minutes
    dead = WorkerIdentity(id="cli@old", host=socket.gethostname(), pid=_dead_pid())
    queue.claim(killed.id, dead)

    def crawl(context: JobContext) -> dict[str, Any]:
        return {"seen": 1}

    job = run_now(queue, {"crawl": crawl}, "crawl", source="ekic", console=Console(quiet=True))
    assert job.state == JobState.DONE
    assert queue.get(killed.id).state == JobState.INTERRUPTED
