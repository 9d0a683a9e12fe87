"""Job values: what a row of the ``jobs`` table means, as plain immutable data.

Shared by the queue (``core.jobs``), the worker and the admin pages, so that a
job's state names, its coalescing key and its progress read the same everywhere.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from core.errors import JobError

KINDS = ("crawl", "crawl_url", "sync", "reindex", "preview")


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"


ACTIVE = frozenset({JobState.QUEUED, JobState.RUNNING})


@dataclass(frozen=True, kw_only=True)
class WorkerIdentity:
    """Who runs a job: host and pid let a restarted worker tell a dead one for sure."""

    id: str
    host: str
    pid: int

    @classmethod
    def current(cls, label: str = "worker") -> WorkerIdentity:
        host, pid = socket.gethostname(), os.getpid()
        return cls(id=f"{label}@{host}:{pid}:{uuid.uuid4().hex[:8]}", host=host, pid=pid)


@dataclass(frozen=True, kw_only=True)
class Job:
    id: int
    kind: str
    source: str | None
    params: dict[str, Any]
    state: JobState
    enqueued_by: str
    enqueued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    worker_id: str | None = None
    worker_host: str | None = None
    worker_pid: int | None = None
    progress_done: int = 0
    progress_total: int | None = None
    progress_message: str | None = None
    report: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    error_traceback: str | None = None
    cancel_requested: bool = False
    attempt: int = 1
    retry_of: int | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def duration(self) -> timedelta | None:
        if self.started_at is None:
            return None
        return (self.finished_at or datetime.now(UTC)) - self.started_at

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def label(self) -> str:
        """Short human label, e.g. ``crawl ekic (volledig)``."""
        parts = [self.kind]
        if self.source:
            parts.append(self.source)
        if self.params.get("full"):
            parts.append("(volledig)")
        if self.params.get("url"):
            parts.append(str(self.params["url"]))
        return " ".join(parts)

    def __str__(self) -> str:
        return f"#{self.id} {self.label} [{self.state}]"

    def to_json(self) -> dict[str, Any]:
        """The JSON form served to the admin pages' progress poller and the API."""
        dates = ("enqueued_at", "started_at", "finished_at", "heartbeat_at")
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "source": self.source,
            "params": self.params,
            "state": str(self.state),
            "enqueued_by": self.enqueued_by,
            "progress": {
                "done": self.progress_done,
                "total": self.progress_total,
                "percent": self.percent,
                "message": self.progress_message,
            },
            "report": self.report,
            "error": self.error,
            "error_traceback": self.error_traceback,
            "attempt": self.attempt,
            "retry_of": self.retry_of,
        }
        for key in dates:
            value = getattr(self, key)
            data[key] = value.isoformat() if value else None
        return data


def coalesce_key(kind: str, source: str | None, params: Mapping[str, Any]) -> str:
    """Requests with the same key are the same work; ``full`` is merged, not keyed."""
    if kind in ("crawl_url", "preview"):
        return f"{kind}:{source}:{params.get('url', '')}"[:600]
    if kind == "crawl":
        return f"crawl:{source}"
    extra = {k: v for k, v in params.items() if k != "full"}
    suffix = json.dumps(extra, sort_keys=True) if extra else ""
    return f"{kind}:{source or ''}:{suffix}"[:600]


def job_from_row(m: Any) -> Job:
    return Job(
        id=int(m["id"]),
        kind=m["kind"],
        source=m["source"],
        params=dict(m["params"] or {}),
        state=JobState(m["state"]),
        enqueued_by=m["enqueued_by"],
        enqueued_at=aware(m["enqueued_at"]) or datetime.now(UTC),
        started_at=aware(m["started_at"]),
        finished_at=aware(m["finished_at"]),
        heartbeat_at=aware(m["heartbeat_at"]),
        worker_id=m["worker_id"],
        worker_host=m["worker_host"],
        worker_pid=m["worker_pid"],
        progress_done=int(m["progress_done"] or 0),
        progress_total=m["progress_total"],
        progress_message=m["progress_message"],
        report=dict(m["report"] or {}),
        error=m["error"],
        error_traceback=m["error_traceback"],
        cancel_requested=bool(m["cancel_requested"]),
        attempt=int(m["attempt"] or 1),
        retry_of=m["retry_of"],
    )


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def blocked_by(job: Job, running: list[Job]) -> Job | None:
    """The running job that keeps ``job`` from starting now, if any."""
    for other in running:
        if other.kind == "reindex" or job.kind == "reindex":
            return other
        crawls = {"crawl", "crawl_url"}
        if job.kind in crawls and other.kind in crawls and job.source == other.source:
            return other
        if job.kind == other.kind == "sync":
            return other
    return None


def validate_request(kind: str, source: str | None, params: dict[str, Any]) -> None:
    if kind not in KINDS:
        raise JobError(f"unknown job kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind in {"crawl", "crawl_url", "preview"} and not source:
        raise JobError(f"a {kind} job needs a source")
    if kind in {"crawl_url", "preview"} and not params.get("url"):
        raise JobError(f"a {kind} job needs params['url']")
