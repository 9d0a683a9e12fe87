"""The start of a crawl run: sitemaps, feeds, start URLs and what the store already knows.

Part of the crawl run (crawler.run): fills its frontier before any page is visited.
Sitemap ``lastmod`` and feed ``updated`` dates travel with their URLs as hints, so a
page whose date did not change since the last visit is not requested at all. Known
documents are always revisited (conditionally), so a page that vanished from every
listing is still checked and a 404 can be confirmed; listing pages are revisited only
when the profile follows links in this run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from core.errors import FetchError
from core.runs import HubPage
from core.sources import SourceProfile
from core.store import StoredDocument
from crawler.discover import parse_feed, parse_sitemap
from crawler.extract import canonical_url
from crawler.fetch import Fetcher
from crawler.frontier import Frontier
from crawler.report import CrawlReport
from crawler.traps import trap_reason
from crawler.urls import host_of, is_pdf_url

MAX_SITEMAPS = 50
MAX_FEED_PAGES = 200


def is_attachment_url(url: str) -> bool:
    return is_pdf_url(url)


def add_link(
    frontier: Frontier,
    profile: SourceProfile,
    url: str,
    depth: int,
    hint: str | None = None,
    *,
    known: bool = False,
) -> None:
    """Queue ``url`` (raw or canonical) when it belongs to the source and, unless it is
    a ``known`` (stored) page, when depth and the trap rules (crawler.traps) allow."""
    canonical = canonical_url(url, profile)
    if not profile.in_scope(canonical) or canonical in frontier:
        return
    if not known:
        if depth > profile.scope.max_depth:
            return
        reason = trap_reason(canonical, profile)
        if reason is not None:
            frontier.refuse(canonical, reason)
            return
    if frontier.quotas is not None:
        reason = frontier.quotas.take(canonical, force=known)
        if reason is not None:
            frontier.refuse(canonical, reason)
            return
    attachment = is_attachment_url(canonical)
    frontier.add(canonical, depth, hint, attachment=attachment, fetch_url=url)


def seed(
    frontier: Frontier,
    profile: SourceProfile,
    fetcher: Fetcher,
    report: CrawlReport,
    *,
    known: Iterable[StoredDocument],
    hubs: Iterable[HubPage],
    follow: bool,
    depths: Mapping[str, int] | None = None,
) -> None:
    """Fill the frontier; known documents and listings come back at their stored depth."""
    depths = depths or {}
    for sitemap in profile.sitemaps:
        _read_sitemaps(frontier, profile, fetcher, report, profile.absolute(sitemap))
    for feed in profile.feeds:
        _read_feed(frontier, profile, fetcher, report, profile.absolute(feed))
    if follow:
        for start in profile.start_urls:
            add_link(frontier, profile, profile.absolute(start), 0)
    for stored in known:
        if not stored.deleted:
            url = stored.url
            depth = depths.get(canonical_url(url, profile), 0)
            add_link(frontier, profile, url, depth, known=True)
    if follow:
        for hub in hubs:
            add_link(frontier, profile, hub.fetch_url or hub.url, depths.get(hub.url, 1))


def _same_site(profile: SourceProfile, configured: str) -> Callable[[str], bool]:
    """Hops a sitemap or feed may redirect to: the source's host or the configured one's."""
    hosts = {host_of(profile.base_url), host_of(configured)}
    return lambda hop: host_of(hop) in hosts


def _read_sitemaps(
    frontier: Frontier, profile: SourceProfile, fetcher: Fetcher, report: CrawlReport, url: str
) -> None:
    pending, done = [url], 0
    while pending and done < MAX_SITEMAPS:
        current = pending.pop(0)
        done += 1
        try:
            page = fetcher.fetch(current, any_type=True, in_scope=_same_site(profile, url))
        except FetchError as exc:
            report.fail(current, exc.status, f"sitemap: {exc}")
            continue
        sitemap = parse_sitemap(page.content, page.url)
        pending += [child.url for child in sitemap.sitemaps]
        for entry in sitemap.urls:
            hint = entry.lastmod.isoformat() if entry.lastmod else None
            add_link(frontier, profile, entry.url, 0, hint)


def _read_feed(
    frontier: Frontier, profile: SourceProfile, fetcher: Fetcher, report: CrawlReport, url: str
) -> None:
    next_url: str | None = url
    seen: set[str] = set()
    while next_url and next_url not in seen and len(seen) < MAX_FEED_PAGES:
        seen.add(next_url)
        try:
            page = fetcher.fetch(next_url, any_type=True, in_scope=_same_site(profile, url))
        except FetchError as exc:
            report.fail(next_url, exc.status, f"feed: {exc}")
            return
        feed = parse_feed(page.content, page.url)
        for entry in feed.entries:
            hint = entry.updated.isoformat() if entry.updated else None
            add_link(frontier, profile, entry.url, 0, hint)
        next_url = feed.next_url
