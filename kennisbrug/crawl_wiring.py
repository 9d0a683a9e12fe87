"""Adapter between job handlers and the crawler: fetcher, progress, cancel, one URL.

Kept apart from ``kennisbrug.job_handlers`` so that the crawler's call shape is
known in one place. ``crawl_one_url`` serves "Eén URL opnieuw ophalen": it
re-fetches a single page of a source without discovery and without the
missing-page deletion of a full run (one page says nothing about the others).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.errors import JobError
from core.runs import HubPages
from core.settings import Settings
from core.sources import SourceProfile
from core.store import DocumentStore
from crawler.extract import canonical_url
from crawler.fetch import Fetcher
from crawler.frontier import Frontier, Visit
from crawler.parsing import Parser
from crawler.report import CrawlReport
from crawler.run import CrawlProgress, crawl_source
from crawler.seeds import is_attachment_url
from crawler.visit import VisitContext, handle_outcome, run_visit
from kennisbrug.job_context import JobContext


def make_fetcher(settings: Settings, profile: SourceProfile) -> Fetcher:
    return Fetcher.from_profile(profile.politeness, settings.user_agent)


def crawl_for_job(
    settings: Settings, profile: SourceProfile, store: DocumentStore, ctx: JobContext, *, full: bool
) -> CrawlReport:
    """``crawl_source`` with the job's progress and stop signals wired in."""

    def progress(p: CrawlProgress) -> None:
        ctx.record(p.done, p.total, f"{p.source}: {p.done} van {p.total} URL's")

    with make_fetcher(settings, profile) as fetcher:
        return crawl_source(
            profile,
            store=store,
            fetcher=fetcher,
            full=full,
            progress=progress,
            cancel=ctx.should_stop,
            job_id=ctx.job.id,
        )


def in_source(profile: SourceProfile, url: str) -> str:
    """The canonical form of ``url`` if it belongs to ``profile``; JobError otherwise."""
    if not url.startswith(("http://", "https://")):
        raise JobError(f"{url!r} is not an http(s) URL")
    canonical = canonical_url(url, profile)
    if not profile.in_scope(canonical):
        raise JobError(f"{url} does not belong to source {profile.name}; not fetched")
    return canonical


def crawl_one_url(
    settings: Settings, profile: SourceProfile, store: DocumentStore, url: str, ctx: JobContext
) -> dict[str, Any]:
    """Fetch and store one URL of ``profile`` unconditionally; returns the crawl report."""
    canonical = in_source(profile, url)
    report = CrawlReport(source=profile.name, full=True)
    clock = _utcnow
    hub_store = HubPages(store.engine, clock=clock)
    known = {s.document.url: s for s in store.by_source(profile.name).values()}
    frontier = Frontier(max_pages=1)
    frontier.add(canonical, 0, attachment=is_attachment_url(canonical))
    ctx.record(0, 1, canonical)
    with make_fetcher(settings, profile) as fetcher, Parser(profile) as parser:
        visit_ctx = VisitContext(
            profile=profile, store=store, fetcher=fetcher, report=report, frontier=frontier,
            full=True, follow=False, clock=clock, hub_store=hub_store,
            hubs=hub_store.load(profile.name), by_url=known, parser=parser,
        )  # fmt: skip
        visit = Visit(url=canonical, depth=0, attachment=is_attachment_url(canonical))
        report.count("requested")
        handle_outcome(visit_ctx, visit, run_visit(visit_ctx, visit))
    ctx.record(1, 1, canonical)
    data: dict[str, Any] = report.to_json()
    data["url"] = canonical
    return data


def _utcnow() -> datetime:
    return datetime.now(UTC)
