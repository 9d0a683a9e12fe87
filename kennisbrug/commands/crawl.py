"""``kennisbrug crawl | crawl-url | extract``: the crawler from the shell.

Composition root for the crawler: reads the settings and the source profiles once,
opens the document store, shows a rich progress bar per source and prints each
crawl report. Errors become one readable line via the root app in ``kennisbrug.cli``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.db import make_engine
from core.errors import ConfigError
from core.settings import Settings
from core.sources import SourceProfile, load_profiles
from core.store import DocumentStore
from crawler.extract import PageResult
from crawler.report import CrawlReport
from crawler.run import CrawlProgress, crawl_source, make_fetcher
from crawler.single import preview_url, recrawl_url, source_for_url

console = Console()


def _profiles(settings: Settings, only: str | None = None) -> list[SourceProfile]:
    profiles = load_profiles(settings.sources_file)
    if only is None:
        return list(profiles.values())
    if only not in profiles:
        raise ConfigError(f"unknown source {only!r}; configured: {', '.join(profiles)}")
    return [profiles[only]]


def _print_report(report: CrawlReport) -> None:
    style = "green" if report.healthy and not report.failed else "yellow"
    for i, line in enumerate(report.summary_lines()):
        console.print(line, style=style if i == 0 else None, highlight=False, markup=False)


def crawl(
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    full: Annotated[bool, typer.Option("--full", help="Revisit every page, no shortcuts.")] = False,
    processes: Annotated[
        int, typer.Option("--processes", min=0, help="Extraction processes (0 = in-process).")
    ] = 0,
) -> None:
    """Crawl one or all sources into the document store (incremental unless --full)."""
    settings = Settings.from_env()
    profiles = _profiles(settings, source)
    store = DocumentStore(make_engine(settings.database_url))
    reports = []
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        for profile in profiles:
            task = bar.add_task(profile.label, total=None)

            def show(p: CrawlProgress, task: int = task) -> None:
                bar.update(task, completed=p.done, total=max(p.total, p.done))  # type: ignore[arg-type]

            with make_fetcher(profile, settings.user_agent) as fetcher:
                reports.append(
                    crawl_source(
                        profile, store=store, fetcher=fetcher, full=full, progress=show,
                        processes=processes,
                    )
                )  # fmt: skip
    for report in reports:
        _print_report(report)
    if any(r.failed and not r.healthy for r in reports):
        raise typer.Exit(code=2)


def crawl_url(url: Annotated[str, typer.Argument(help="A page of a configured source.")]) -> None:
    """Recrawl one page now (only URLs inside a configured source)."""
    settings = Settings.from_env()
    profile = source_for_url(url, _profiles(settings))
    store = DocumentStore(make_engine(settings.database_url))
    with make_fetcher(profile, settings.user_agent) as fetcher:
        report = recrawl_url(url, profile, store=store, fetcher=fetcher)
    _print_report(report)
    if report.failed:
        raise typer.Exit(code=2)


def extract(
    url: Annotated[str, typer.Argument(help="The page to read.")],
    source: Annotated[str, typer.Option("--source", help="Profile to read it with.")],
) -> None:
    """Show what a profile extracts from one page, without storing anything."""
    settings = Settings.from_env()
    profile = _profiles(settings, source)[0]
    with make_fetcher(profile, settings.user_agent) as fetcher:
        result = preview_url(url, profile, fetcher)
    console.print(_result_table(result))


def _result_table(result: PageResult) -> Table:
    table = Table(title=result.url, show_header=False)
    table.add_column("veld", style="bold")
    table.add_column("waarde", overflow="fold")
    doc = result.document
    if doc is not None:
        for name in ("type", "title", "author", "published", "modified", "language", "summary"):
            table.add_row(name, str(getattr(doc, name) or ""))
        table.add_row("tags", ", ".join(doc.tags))
        table.add_row("headings", " | ".join(doc.headings))
        table.add_row("body", doc.body[:1500] + (" …" if len(doc.body) > 1500 else ""))
    else:
        table.add_row("document", "nee (alleen gevolgd voor links: scope.documents)")
    table.add_row("canonical", result.canonical or "")
    table.add_row("attachments", "\n".join(result.attachments))
    table.add_row("links", str(len(result.links)))
    for warning in result.warnings:
        table.add_row("waarschuwing", warning)
    return table


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
    app.command("crawl-url")(crawl_url)
    app.command("extract")(extract)
