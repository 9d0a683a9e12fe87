"""``kennisbrug crawl | crawl-url | extract``: the crawler from the shell.

Composition root for the crawler: reads the settings and the source profiles once,
opens the document store, shows a rich progress bar per source and prints each
crawl report. Errors become one readable line via the root app in ``kennisbrug.cli``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from core import reasons
from core.errors import ConfigError
from core.settings import Settings
from core.sources import SourceProfile, load_profiles
from crawler.extract import PageResult
from crawler.run import make_fetcher
from crawler.single import preview_url

console = Console()


def _profiles(settings: Settings, only: str | None = None) -> list[SourceProfile]:
    profiles = load_profiles(settings.sources_file)
    if only is None:
        return list(profiles.values())
    if only not in profiles:
        raise ConfigError(f"unknown source {only!r}; configured: {', '.join(profiles)}")
    return [profiles[only]]


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
        table.add_row("provincie", ", ".join(doc.provincie))
        for name in ("type", "title", "author", "published", "modified", "language", "summary"):
            table.add_row(name, str(getattr(doc, name) or ""))
        table.add_row("tags", ", ".join(doc.tags))
        table.add_row("headings", " | ".join(doc.headings))
        table.add_row("body", doc.body[:1500] + (" …" if len(doc.body) > 1500 else ""))
    elif result.noindex:
        table.add_row("document", "nee: de pagina vraagt noindex (meta robots / X-Robots-Tag)")
    else:
        table.add_row("document", "nee (alleen gevolgd voor links: scope.documents)")
    table.add_row("canonical", result.canonical or "")
    table.add_row("attachments", "\n".join(result.attachments))
    table.add_row("links", str(len(result.links)))
    for warning in result.warnings:
        table.add_row("waarschuwing", reasons.describe(warning))
    return table


def register(app: typer.Typer) -> None:
    # crawl and crawl-url go through the job queue: kennisbrug/commands/job_submit.py.
    app.command("extract")(extract)
