"""One visit of one URL within a crawl run: fetch + parse (worker thread), then record it.

Part of crawler.run. ``run_visit`` runs in a worker thread and touches no shared
state except reads; ``handle_outcome`` runs in the run's main thread and does every
store write (one transaction each), the counting and the link expansion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from core.errors import ExtractError, FetchError, GoneError, SkippedError
from core.models import Document
from core.runs import HubPage, HubPages
from core.sources import SourceProfile
from core.store import Change, DocumentStore, StoredDocument
from crawler.extract import EMPTY_EXTRACTION, PageResult, canonical_url
from crawler.fetch import FetchedPage, Fetcher
from crawler.frontier import Frontier, Visit
from crawler.parsing import Parser
from crawler.report import CrawlReport
from crawler.seeds import add_link


@dataclass
class Outcome:
    page: FetchedPage | None = None
    result: PageResult | None = None
    error: FetchError | ExtractError | None = None


@dataclass
class VisitContext:
    profile: SourceProfile
    store: DocumentStore
    fetcher: Fetcher
    report: CrawlReport
    frontier: Frontier
    full: bool
    follow: bool
    clock: Callable[[], datetime]
    hub_store: HubPages
    hubs: dict[str, HubPage]
    by_url: dict[str, StoredDocument]
    parser: Parser | None = None
    present: set[str] = field(default_factory=set)  # stored ids that still exist on the site
    gone: set[str] = field(default_factory=set)  # stored ids that answered 404/410 this run
    parents: dict[str, str] = field(default_factory=dict)  # attachment URL -> page doc id
    warned: set[str] = field(default_factory=set)

    def in_scope(self, url: str) -> bool:
        """Scope check for every redirect hop, before it is requested."""
        return self.profile.in_scope(canonical_url(url, self.profile))

    def stored(self, url: str) -> StoredDocument | None:
        found = self.by_url.get(url)
        return found if found is not None and not found.deleted else None

    def skip_by_lastmod(self, visit: Visit) -> bool:
        """Sitemap/feed date unchanged since the stored visit: do not request the page."""
        stored = self.stored(visit.url)
        if self.full or not visit.hint or stored is None or stored.lastmod_hint != visit.hint:
            return False
        _confirm(self, stored)
        self.report.count("skipped_by_lastmod")
        self.report.count("seen")
        return True


def run_visit(ctx: VisitContext, visit: Visit) -> Outcome:
    """Fetch (conditionally) and parse one URL; errors are returned, not raised."""
    stored, hub = ctx.stored(visit.url), ctx.hubs.get(visit.url)
    validators = stored or hub
    etag = validators.etag if validators is not None and not ctx.full else None
    modified = validators.last_modified if validators is not None and not ctx.full else None
    try:
        page = ctx.fetcher.fetch(
            visit.target, etag=etag, last_modified=modified, in_scope=ctx.in_scope
        )
        if page.not_modified:
            return Outcome(page=page)
        final = canonical_url(page.url, ctx.profile)
        parent = ctx.parents.get(visit.url) or (stored.document.parent if stored else None)
        assert ctx.parser is not None
        result = ctx.parser.parse(page, parent=parent, as_document=ctx.profile.is_document(final))
        return Outcome(page=page, result=result)
    except (FetchError, ExtractError) as exc:
        return Outcome(error=exc)


def handle_outcome(ctx: VisitContext, visit: Visit, outcome: Outcome) -> None:
    stored = ctx.stored(visit.url)
    if outcome.error is not None:
        _failed(ctx, visit, stored, outcome.error)
    elif outcome.page is not None and outcome.page.not_modified:
        _not_modified(ctx, visit, stored, outcome.page)
    elif outcome.page is not None and outcome.result is not None:
        _fetched(ctx, visit, outcome.page, outcome.result)


def _failed(
    ctx: VisitContext, visit: Visit, stored: StoredDocument | None, error: FetchError | ExtractError
) -> None:
    if isinstance(error, GoneError):
        ctx.report.count("gone")
        if stored is not None:  # evidence only; crawler.deletion decides after the run
            ctx.gone.add(stored.document.id)
        return
    if isinstance(error, SkippedError):
        # Our own rule, not the site's fault: listed, never a failure, and a stored
        # document behind it is not "missing".
        ctx.report.skip(visit.target, error.kind, str(error), error.status)
    else:
        status = error.status if isinstance(error, FetchError) else None
        ctx.report.fail(visit.target, status, str(error))
    if stored is not None:  # broken today is not gone: keep it out of the missing count
        ctx.present.add(stored.document.id)


def _not_modified(
    ctx: VisitContext, visit: Visit, stored: StoredDocument | None, page: FetchedPage
) -> None:
    ctx.report.count("not_modified")
    ctx.report.count("seen")
    if stored is not None:
        _confirm(ctx, stored, etag=page.etag, last_modified=page.last_modified, hint=visit.hint)
    hub = ctx.hubs.get(visit.url)
    if hub is not None and ctx.follow:
        _expand(ctx, hub.links, visit.depth)


def _fetched(ctx: VisitContext, visit: Visit, page: FetchedPage, result: PageResult) -> None:
    url = result.url
    if url != visit.url and not ctx.frontier.claim(url):
        ctx.report.count("aliases")  # redirected to a page this run already has
        ctx.report.count("seen")
        return
    if not ctx.profile.in_scope(url):  # the fetcher checks every hop; this is a backstop
        ctx.report.skip(visit.url, "off_scope", f"redirected out of scope to {url}", page.status)
        return
    if result.canonical and result.canonical != url and ctx.profile.in_scope(result.canonical):
        ctx.report.count("aliases")
        ctx.report.count("seen")
        add_link(ctx.frontier, ctx.profile, result.canonical, visit.depth)
        return
    ctx.report.count("seen")
    if ctx.follow:
        _expand(ctx, result.links, visit.depth)
    for attachment in result.attachments:  # PDFs listed on any page, not only documents
        add_link(ctx.frontier, ctx.profile, attachment, visit.depth + 1)
    if result.noindex:
        _noindex(ctx, url)
    if result.document is None:
        ctx.report.count("followed_only")
        hub = HubPage(
            url=url,
            etag=page.etag,
            last_modified=page.last_modified,
            links=result.links,
            fetch_url=page.url if page.url != url else None,
        )
        ctx.hubs[url] = hub
        ctx.hub_store.save(ctx.profile.name, hub)
        return
    _store(ctx, visit, page, result, result.document)


def _store(
    ctx: VisitContext, visit: Visit, page: FetchedPage, result: PageResult, doc: Document
) -> None:
    previous = ctx.stored(result.url)
    for attachment in result.attachments:
        ctx.parents.setdefault(attachment, doc.id)
        add_link(ctx.frontier, ctx.profile, attachment, visit.depth + 1)
    problem = _profile_problem(doc, result, previous)
    if not doc.body:
        ctx.report.count("empty_extractions")
    if problem:
        ctx.report.warn(f"{result.url}: {problem}")
        if previous is not None:
            ctx.present.add(previous.document.id)
        return
    for warning in result.warnings:
        if warning not in ctx.warned:
            ctx.warned.add(warning)
            ctx.report.warn(f"{warning} (first seen on {result.url})")
    change = ctx.store.save(
        doc.with_fetched_at(ctx.clock()),
        etag=page.etag,
        last_modified=page.last_modified,
        lastmod_hint=visit.hint or ctx.frontier.hint(result.url),
    )
    ctx.present.add(doc.id)
    ctx.report.count({Change.NEW: "new", Change.CHANGED: "changed"}.get(change, "unchanged"))


def _profile_problem(doc: Document, result: PageResult, previous: StoredDocument | None) -> str:
    """Why this extraction must not replace what we have ('' when it may)."""
    had_text = previous is not None and bool(previous.document.body)
    if not doc.body:
        return EMPTY_EXTRACTION + ("; previous version kept" if had_text else "")
    if had_text and result.warnings:
        return "profile selectors found no main text (was there before); previous version kept"
    return ""


def _expand(ctx: VisitContext, links: tuple[str, ...], depth: int) -> None:
    for link in links:  # PDFs among them go to the frontier's attachment queue
        add_link(ctx.frontier, ctx.profile, link, depth + 1)


def _noindex(ctx: VisitContext, url: str) -> None:
    """The page asks not to be indexed: never stored; a stored copy goes the way of a
    404 (deleted after the source's ``gone_confirmations``)."""
    ctx.report.count("noindex")
    stored = ctx.stored(url)
    if stored is not None:  # evidence only; crawler.deletion decides after the run
        ctx.gone.add(stored.document.id)


def _confirm(
    ctx: VisitContext,
    stored: StoredDocument,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    hint: str | None = None,
) -> None:
    """Seen and unchanged: write only when something to remember changed (cheap recrawls)."""
    doc_id = stored.document.id
    ctx.present.add(doc_id)
    needed = (
        stored.gone_count
        or stored.missing_runs
        or (hint is not None and hint != stored.lastmod_hint)
        or (etag is not None and etag != stored.etag)
        or (last_modified is not None and last_modified != stored.last_modified)
    )
    if needed:
        ctx.store.mark_seen(doc_id, etag=etag, last_modified=last_modified, lastmod_hint=hint)
