"""``kennisbrug crawl|crawl-url|sync|reindex``: run work through the job queue.

Enqueue-and-wait by default: the job is queued under the queue's rules (never a
second crawl of a source, a reindex alone) and its progress followed until it
ends; the worker runs it. ``--now`` runs it in this process instead, still as a
job row with the same rules, for machines without a running worker.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from core.errors import ConfigError
from core.jobs import Job
from core.settings import Settings
from crawler.single import source_for_url
from kennisbrug.job_handlers import Runtime, make_handlers
from kennisbrug.job_waiting import enqueue_and_wait, raise_unless_done, run_now

console = Console()

NOW = typer.Option("--now", help="Run in this process instead of waiting for the worker.")


def submit(kind: str, *, now: bool, source: str | None = None, **params: Any) -> None:
    runtime = Runtime(settings=Settings.from_env())
    if source is not None and source not in runtime.profiles:
        known = ", ".join(sorted(runtime.profiles))
        raise ConfigError(f"unknown source {source!r}; configured: {known}")
    if now:
        job = run_now(runtime.queue, make_handlers(runtime), kind, source=source, params=params)
    else:
        job = enqueue_and_wait(runtime.queue, kind, source=source, params=params)
    print_job(job, console)
    raise_unless_done(job)


def crawl_job(
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Revisit every page.")] = False,
    now: Annotated[bool, NOW] = False,
) -> None:
    """Crawl one or all sources as jobs (a sync of the changes follows each)."""
    sources = [source] if source else sorted(Runtime(settings=Settings.from_env()).profiles)
    for name in sources:
        submit("crawl", now=now, source=name, full=full)


def crawl_url_job(
    url: Annotated[str, typer.Argument(help="A page inside a configured source.")],
    now: Annotated[bool, NOW] = False,
) -> None:
    """Fetch one page again as a job (refused outside every configured source)."""
    runtime = Runtime(settings=Settings.from_env())
    profile = source_for_url(url, runtime.profiles.values())  # ConfigError: nothing is fetched
    submit("crawl_url", now=now, source=profile.name, url=url)


def sync_job(now: Annotated[bool, NOW] = False) -> None:
    """Send pending changes to Elasticsearch as a job."""
    submit("sync", now=now)


def reindex_job(
    rollback_: Annotated[
        bool, typer.Option("--rollback", help="Point the alias back at the previous index.")
    ] = False,
    now: Annotated[bool, NOW] = False,
) -> None:
    """Rebuild the index from the store as a job (runs alone, blue/green)."""
    if rollback_:
        from kennisbrug.commands.index import rollback_alias

        rollback_alias()
        return
    submit("reindex", now=now)


def print_job(job: Job, out: Console) -> None:
    """A job with its progress, report and failed URLs (CLI and ``jobs show``)."""
    out.print(f"[bold]{job}[/] enqueued by {job.enqueued_by} at {job.enqueued_at:%c}")
    if job.started_at:
        out.print(f"started {job.started_at:%c} on {job.worker_id}")
    if job.finished_at:
        out.print(f"finished {job.finished_at:%c}")
    out.print(
        f"progress {job.progress_done}/{job.progress_total or '?'} {job.progress_message or ''}"
    )
    if job.error:
        out.print(f"[red]error:[/] {job.error}")
    if job.retry_of:
        out.print(f"retry of job #{job.retry_of} (attempt {job.attempt})")
    for key, value in job.report.items():
        if key not in ("failures", "skips"):
            out.print(f"  {key}: {value}")
    failures = job.report.get("failures") or []
    if failures:
        table = Table("url", "status", "reden", title="mislukt")
        for f in failures:
            table.add_row(
                str(f.get("url", f.get("id", ""))),
                str(f.get("status") or "-"),
                str(f.get("reason", "")),
            )
        out.print(table)
    skips = job.report.get("skips") or []
    if skips:
        table = Table("url", "reden", title="overgeslagen (geen fout)")
        for f in skips:
            table.add_row(str(f.get("url", "")), str(f.get("reason", "")))
        out.print(table)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_job)
    app.command("crawl-url")(crawl_url_job)
    app.command("sync")(sync_job)
    app.command("reindex")(reindex_job)
