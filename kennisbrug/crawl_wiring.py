"""Adapter between job handlers and the crawler: fetcher, progress, cancel, one URL.

Kept apart from ``kennisbrug.job_handlers`` so that the crawler's call shape is
known in one place. ``crawl_one_url`` serves "Eén URL opnieuw ophalen": it checks
that the URL lies inside the source's site before ``crawler.single.recrawl_url``
fetches it, so a job can never make the worker fetch an arbitrary host.
"""

from __future__ import annotations

from typing import Any

from core import reasons
from core.errors import JobError
from core.settings import Settings
from core.sources import SourceProfile
from core.store import DocumentStore
from crawler.extract import canonical_url
from crawler.report import CrawlReport
from crawler.run import CrawlProgress, crawl_source, make_fetcher
from crawler.single import preview_url, recrawl_url
from kennisbrug.job_context import JobContext


def crawl_for_job(
    settings: Settings, profile: SourceProfile, store: DocumentStore, ctx: JobContext, *, full: bool
) -> CrawlReport:
    """``crawl_source`` with the job's progress and stop signals wired in."""

    def progress(p: CrawlProgress) -> None:
        # A step name, not a sentence: /beheer translates it and shows the counts itself.
        ctx.record(p.done, p.total, "crawling")

    with make_fetcher(profile, settings.user_agent) as fetcher:
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


def preview_one_url(settings: Settings, profile: SourceProfile, url: str) -> dict[str, Any]:
    """What ``profile`` would extract from ``url`` (scope-checked), stored nowhere."""
    canonical = in_source(profile, url)
    with make_fetcher(profile, settings.user_agent) as fetcher:
        result = preview_url(canonical, profile, fetcher)
    doc = result.document
    return {
        "url": result.url,
        "canonical": result.canonical,
        "document": None
        if doc is None
        else {
            "title": doc.title,
            "provincie": list(doc.provincie),
            "type": doc.type,
            "published": doc.published.isoformat() if doc.published else None,
            "modified": doc.modified.isoformat() if doc.modified else None,
            "author": doc.author,
            "tags": list(doc.tags),
            "headings": list(doc.headings),
            "body": doc.body[:1500],
        },
        "attachments": list(result.attachments),
        "links": len(result.links),
        "profile_warnings": [reasons.describe(w) for w in result.warnings],
        "profile_warning_codes": list(result.warnings),
    }


def crawl_one_url(
    settings: Settings, profile: SourceProfile, store: DocumentStore, url: str, ctx: JobContext
) -> dict[str, Any]:
    """Fetch and store one URL of ``profile`` unconditionally; returns the crawl report."""
    canonical = in_source(profile, url)  # checked again here: the job row may be old
    ctx.record(0, 1, canonical)
    with make_fetcher(profile, settings.user_agent) as fetcher:
        # the URL as given: a new page keeps its trailing slash (the canonical form
        # drops it, and some servers answer only "/dir/page/")
        report = recrawl_url(url, profile, store=store, fetcher=fetcher)
    ctx.record(1, 1, canonical)
    data: dict[str, Any] = report.to_json()
    data["url"] = canonical
    return data
