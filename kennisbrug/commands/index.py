"""``kennisbrug sync | reindex [--rollback] | index-status``: the indexer from the shell.

Composition root for the indexer: reads the settings once, opens the document
store and the Elasticsearch client, shows rich progress and tables, and leaves
error reporting (one line, no stack trace) to the root app in ``kennisbrug.cli``.
"""

from __future__ import annotations

import typer
from elasticsearch import Elasticsearch
from rich.console import Console
from rich.table import Table

from core.db import make_engine
from core.settings import Settings
from core.store import DocumentStore
from indexer.client import make_client
from indexer.lifecycle import rollback
from indexer.stats import IndexStatus, index_status

console = Console()


def _open() -> tuple[Settings, DocumentStore, Elasticsearch]:
    settings = Settings.from_env()
    store = DocumentStore(make_engine(settings.database_url))
    return settings, store, make_client(settings)


def rollback_alias() -> None:
    """Point the alias back at the index kept by the last reindex."""
    settings, _store, client = _open()
    current, target = rollback(client, settings)
    console.print(f"alias [bold]{settings.index_alias}[/] moved back: {current} -> {target}")
    console.print(
        "changes synced after the reindex are not in the previous index; "
        "run `kennisbrug reindex` once the new index is fixed"
    )


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
    # sync and reindex go through the job queue: kennisbrug/commands/job_submit.py.
    app.command("index-status")(index_status_command)
