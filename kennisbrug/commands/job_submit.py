"""``kennisbrug jobs crawl|crawl-url|sync|reindex``: run work through the job queue.

Enqueue-and-wait by default: the job is queued under the queue's rules (never a
second crawl of a source, a reindex alone) and its progress followed until it
ends; the worker runs it. ``--now`` runs it in this process instead, still as a
job row with the same rules, for machines without a running worker.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from core.errors import ConfigError
from core.settings import Settings
from kennisbrug.job_handlers import Runtime, make_handlers
from kennisbrug.job_waiting import enqueue_and_wait, raise_unless_done, run_now

NOW = typer.Option("--now", help="Run in this process instead of waiting for the worker.")


def _submit(kind: str, *, now: bool, source: str | None = None, **params: Any) -> None:
    runtime = Runtime(settings=Settings.from_env())
    if source is not None and source not in runtime.profiles:
        known = ", ".join(sorted(runtime.profiles))
        raise ConfigError(f"unknown source {source!r}; configured: {known}")
    if now:
        job = run_now(runtime.queue, make_handlers(runtime), kind, source=source, params=params)
    else:
        job = enqueue_and_wait(runtime.queue, kind, source=source, params=params)
    raise_unless_done(job)


def crawl_job(
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Revisit every page.")] = False,
    now: Annotated[bool, NOW] = False,
) -> None:
    """Crawl one or all sources as jobs (a sync of the changes follows each)."""
    sources = [source] if source else sorted(Runtime(settings=Settings.from_env()).profiles)
    for name in sources:
        _submit("crawl", now=now, source=name, full=full)


def crawl_url_job(
    url: Annotated[str, typer.Argument(help="A page inside a configured source.")],
    source: Annotated[str, typer.Option("--source", help="The source the page belongs to.")],
    now: Annotated[bool, NOW] = False,
) -> None:
    """Fetch one page again as a job (refused outside the source's site)."""
    runtime = Runtime(settings=Settings.from_env())
    if not runtime.profile(source).in_scope(url):
        raise ConfigError(f"{url} does not belong to source {source}; nothing fetched")
    _submit("crawl_url", now=now, source=source, url=url)


def sync_job(now: Annotated[bool, NOW] = False) -> None:
    """Send pending changes to Elasticsearch as a job."""
    _submit("sync", now=now)


def reindex_job(now: Annotated[bool, NOW] = False) -> None:
    """Rebuild the index from the store as a job (runs alone, blue/green)."""
    _submit("reindex", now=now)


def register(jobs_app: typer.Typer) -> None:
    jobs_app.command("crawl")(crawl_job)
    jobs_app.command("crawl-url")(crawl_url_job)
    jobs_app.command("sync")(sync_job)
    jobs_app.command("reindex")(reindex_job)
