"""Job handlers: what each job kind does, wired to the crawler and the indexer.

The composition step between the queue and the work: a handler gets a
``JobContext``, calls the crawler or indexer with ``context.progress`` as the
progress callback and returns the report that is stored on the job row. A crawl
(of a source or of one URL) queues a sync of its changes when it ends, so new
documents reach the index without anyone asking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from elasticsearch import Elasticsearch

from core.db import make_engine
from core.errors import JobError
from core.jobs import JobQueue
from core.settings import Settings
from core.sources import SourceProfile, load_profiles
from core.store import DocumentStore
from kennisbrug.job_context import JobContext, JobFailedError
from kennisbrug.worker import Handler


@dataclass(kw_only=True)
class Runtime:
    """The long-lived things job handlers share: settings, store, queue, profiles, client."""

    settings: Settings
    profiles_loader: Callable[[Settings], dict[str, SourceProfile]] | None = None
    _client: Elasticsearch | None = field(default=None, init=False)

    @cached_property
    def store(self) -> DocumentStore:
        return DocumentStore(make_engine(self.settings.database_url))

    @cached_property
    def queue(self) -> JobQueue:
        return JobQueue(self.store.engine)

    @cached_property
    def profiles(self) -> dict[str, SourceProfile]:
        if self.profiles_loader is not None:
            return self.profiles_loader(self.settings)
        return load_profiles(self.settings.sources_file)

    def profile(self, source: str | None) -> SourceProfile:
        if not source or source not in self.profiles:
            known = ", ".join(sorted(self.profiles))
            raise JobError(f"unknown source {source!r}; known sources: {known}")
        return self.profiles[source]

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            from indexer.client import make_client

            self._client = make_client(self.settings)
        return self._client


def make_handlers(runtime: Runtime) -> dict[str, Handler]:
    return {
        "crawl": lambda ctx: run_crawl(runtime, ctx),
        "crawl_url": lambda ctx: run_crawl_url(runtime, ctx),
        "sync": lambda ctx: run_sync(runtime, ctx),
        "reindex": lambda ctx: run_reindex(runtime, ctx),
        "preview": lambda ctx: run_preview(runtime, ctx),
    }


def run_preview(runtime: Runtime, ctx: JobContext) -> dict[str, Any]:
    """``/beheer``'s profile preview: what one page would become, nothing stored."""
    from kennisbrug.crawl_wiring import preview_one_url

    profile = runtime.profile(ctx.job.source)
    url = str(ctx.job.params.get("url", ""))
    ctx.record(0, 1, url)
    return preview_one_url(runtime.settings, profile, url)


def run_crawl(runtime: Runtime, ctx: JobContext) -> dict[str, Any]:
    from kennisbrug.crawl_wiring import crawl_for_job

    profile = runtime.profile(ctx.job.source)
    full = bool(ctx.job.params.get("full"))
    try:
        report = crawl_for_job(runtime.settings, profile, runtime.store, ctx, full=full)
    finally:
        _follow_with_sync(runtime, ctx)
    if report.cancelled:
        ctx.raise_if_stopping()  # ends the job cancelled, or interrupted and queued again
    return report.to_json()


def run_crawl_url(runtime: Runtime, ctx: JobContext) -> dict[str, Any]:
    from kennisbrug.crawl_wiring import crawl_one_url

    profile = runtime.profile(ctx.job.source)
    url = str(ctx.job.params.get("url", ""))
    try:
        report = crawl_one_url(runtime.settings, profile, runtime.store, url, ctx)
    finally:
        _follow_with_sync(runtime, ctx)
    if report.get("failed"):
        reason = "; ".join(f"[{f['status'] or '-'}] {f['reason']}" for f in report["failures"])
        raise JobFailedError(f"{url} could not be fetched: {reason}", report)
    return report


def run_sync(runtime: Runtime, ctx: JobContext) -> dict[str, Any]:
    from indexer.sync import sync_outbox

    report = sync_outbox(runtime.store, runtime.client, runtime.settings, progress=ctx.step)
    data = {
        "index": report.index,
        "indexed": report.indexed,
        "deleted": report.deleted,
        "failed": report.failed,
        "pending_before": report.pending_before,
        "seconds": round(report.seconds, 2),
        "failures": [{"id": d, "reason": r} for d, r in report.failures],
    }
    if report.failed:
        raise JobFailedError(f"Elasticsearch refused {report.failed} documents", data)
    return data


def run_reindex(runtime: Runtime, ctx: JobContext) -> dict[str, Any]:
    from indexer.lifecycle import reindex

    report = reindex(runtime.store, runtime.client, runtime.settings, progress=ctx.step)
    return {
        "index": report.index,
        "previous": report.previous,
        "docs": report.docs,
        "deleted_indices": list(report.deleted_indices),
    }


def _follow_with_sync(runtime: Runtime, ctx: JobContext) -> None:
    # Also after a failed or interrupted crawl: what it stored is valid and belongs
    # in the index. The queue coalesces, so many crawls give one sync.
    runtime.queue.enqueue("sync", enqueued_by=f"job:{ctx.job.id}")
