"""``kennisbrug sync | reindex [--rollback] | index-status``: the indexer from the shell.

Composition root for the indexer: reads the settings once, opens the document
store and the Elasticsearch client, shows rich progress and tables, and leaves
error reporting (one line, no stack trace) to the root app in ``kennisbrug.cli``.
"""

from __future__ import annotations

import typer
from elasticsearch import Elasticsearch
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from core.db import make_engine
from core.settings import Settings
from core.store import DocumentStore
from indexer.client import make_client
from indexer.lifecycle import reindex, rollback
from indexer.stats import IndexStatus, index_status
from indexer.sync import SyncReport, sync_outbox

console = Console()


class _Steps:
    """Maps the indexer's (what, done, total) callbacks onto one rich task per step."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.what = ""

    def __call__(self, what: str, done: int, total: int) -> None:
        if what != self.what or self.task is None:
            self.task = self.progress.add_task(what, total=total or None)
            self.what = what
        self.progress.update(self.task, completed=done, total=total or None)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _open() -> tuple[Settings, DocumentStore, Elasticsearch]:
    settings = Settings.from_env()
    store = DocumentStore(make_engine(settings.database_url))
    return settings, store, make_client(settings)


def sync() -> None:
    """Send pending document changes (the outbox) to Elasticsearch."""
    settings, store, client = _open()
    with _progress() as progress:
        report = sync_outbox(store, client, settings, progress=_Steps(progress))
    _print_sync(report)
    if report.failed:
        raise typer.Exit(1)


def _print_sync(report: SyncReport) -> None:
    console.print(
        f"synced into [bold]{report.index}[/]: {report.indexed} indexed, "
        f"{report.deleted} deleted, {report.failed} failed in {report.seconds:.1f}s"
    )
    if report.failures:
        table = Table("document", "reason", title="refused by Elasticsearch (kept in the outbox)")
        for doc_id, reason in report.failures:
            table.add_row(doc_id, reason)
        console.print(table)


def reindex_command(
    rollback_: bool = typer.Option(
        False, "--rollback", help="Point the alias back at the previous index instead."
    ),
) -> None:
    """Rebuild the index from the document store and swap the alias (blue/green)."""
    settings, store, client = _open()
    if rollback_:
        current, target = rollback(client, settings)
        console.print(f"alias [bold]{settings.index_alias}[/] moved back: {current} -> {target}")
        console.print(
            "changes synced after the reindex are not in the previous index; "
            "run `kennisbrug reindex` once the new index is fixed"
        )
        return
    with _progress() as progress:
        report = reindex(store, client, settings, progress=_Steps(progress))
    console.print(
        f"alias [bold]{settings.index_alias}[/] now points at {report.index} "
        f"({report.docs} documents); kept for rollback: {report.previous or 'none'}"
    )
    if report.deleted_indices:
        console.print(f"deleted older indices: {', '.join(report.deleted_indices)}")


def index_status_command() -> None:
    """Documents per source and provincie in the store and in the index; outbox rows."""
    settings, store, client = _open()
    _print_status(index_status(store, client, settings))


def _print_status(status: IndexStatus) -> None:
    table = Table(
        "bron", "provincie", "store", "index", "deleted", "pending", "failed",
        title=f"alias {status.alias} -> {status.index or '(none)'}",
    )  # fmt: skip
    for row in status.rows:
        style = "" if row.in_sync else "yellow"
        table.add_row(
            row.source,
            row.provincie,
            str(row.in_store),
            str(row.in_index),
            str(row.deleted_in_store),
            str(row.pending),
            str(row.failed),
            style=style,
        )
    console.print(table)
    if status.kept:
        console.print(f"kept for rollback: {', '.join(status.kept)}")
    if status.index and status.mapping_version != status.expected_mapping_version:
        console.print(
            f"[yellow]index mapping version {status.mapping_version}, expected "
            f"{status.expected_mapping_version}: run `kennisbrug reindex`[/]"
        )
    if status.failed:
        console.print(f"[yellow]{status.failed} outbox rows failed; they are retried by sync[/]")
    console.print("in sync" if status.in_sync else "[yellow]not in sync: run `kennisbrug sync`[/]")


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
    app.command("reindex")(reindex_command)
    app.command("index-status")(index_status_command)
