"""One visit of one URL within a crawl run: fetch + parse (worker thread), then record it.

Part of crawler.run. ``run_visit`` runs in a worker thread and touches no shared
state except reads; ``handle_outcome`` runs in the run's main thread and does every
store write (one transaction each), the counting and the link expansion.

URL identity: a stored document is refetched by the URL that answered last time
(``Document.url``), not by its canonical form; if that now answers 404/410 and the
URL as found this run differs, the found form is tried once before it counts as gone.
``rel=canonical`` only folds duplicates: a page pointing at another URL waits for that
URL's outcome in this run and becomes its alias only if it turned out to be a live
page; a canonical loop, or one pointing at a missing or failing page, falls back to
storing the fetched page under its own URL. An exact duplicate (same content hash)
of a live document of the same source is counted as an alias and not stored again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from core import reasons
from core.errors import ExtractError, FetchError, GoneError, SkippedError
from core.models import Document, doc_id
from core.reasons import Reason
from core.runs import HubPage, HubPages
from core.sources import SourceProfile
from core.store import Change, DocumentStore, StoredDocument
from core.url_state import UrlState
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
    known: dict[str, StoredDocument]  # the source's stored documents by id
    parser: Parser | None = None
    present: set[str] = field(default_factory=set)  # stored ids that still exist on the site
    gone: set[str] = field(default_factory=set)  # stored ids that answered 404/410 this run
    parents: dict[str, str] = field(default_factory=dict)  # attachment URL -> page doc id
    warned: set[str] = field(default_factory=set)
    # canonical URL -> True when it ended this run as a live page (stored, unchanged,
    # 304, skipped by lastmod), False when it did not (gone, failed, out of scope)
    outcomes: dict[str, bool] = field(default_factory=dict)
    # canonical target -> pages whose rel=canonical points there, waiting for its outcome
    waiting: dict[str, list[tuple[Visit, FetchedPage, PageResult]]] = field(default_factory=dict)
    waiting_on: dict[str, str] = field(default_factory=dict)  # page URL -> its canonical
    by_hash: dict[str, str] = field(default_factory=dict)  # content hash -> canonical URL
    states: dict[str, UrlState] = field(default_factory=dict)  # url_state rows at the start
    must_verify: set[str] = field(default_factory=set)  # due: no lastmod skip this run
    # what this run learnt per canonical URL: (depth, verdict new/changed/unchanged or "")
    learnt: dict[str, tuple[int, str]] = field(default_factory=dict)
    gone_hubs: set[str] = field(default_factory=set)  # listing pages that answered 404/410

    def __post_init__(self) -> None:
        for stored in self.known.values():
            if not stored.deleted:
                url = canonical_url(stored.url, self.profile)
                self.by_hash.setdefault(stored.content_hash, url)

    def in_scope(self, url: str) -> bool:
        """Scope check for every redirect hop, before it is requested."""
        return self.profile.in_scope(canonical_url(url, self.profile))

    def stored(self, url: str) -> StoredDocument | None:
        found = self.known.get(doc_id(url))
        return found if found is not None and not found.deleted else None

    def wait_for(self, target: str, visit: Visit, page: FetchedPage, result: PageResult) -> None:
        """Let this page's fate follow ``target``'s outcome in this run (see module doc)."""
        self.waiting_on[visit.url] = target
        self.waiting.setdefault(target, []).append((visit, page, result))
        if target in self.outcomes:
            self.settled(target, self.outcomes[target])

    def settled(self, url: str, live: bool) -> None:
        """Record ``url``'s outcome and resolve the pages waiting on it: aliases of a live
        page, else kept under their own URL."""
        self.outcomes.setdefault(url, live)
        for visit, page, result in self.waiting.pop(url, []):
            self.waiting_on.pop(visit.url, None)
            if self.outcomes[url]:
                self.report.count("aliases")
                self.report.count("seen")
                self.outcomes.setdefault(visit.url, True)
            else:
                _keep_own_url(self, visit, page, result, fold=False)
                self.settled(visit.url, self.outcomes.get(visit.url, False))

    def learn(self, url: str, depth: int, verdict: str = "") -> None:
        old = self.learnt.get(url)
        self.learnt[url] = (
            min(depth, old[0]) if old else depth,
            verdict or (old[1] if old else ""),
        )

    def flush_waiting(self) -> None:
        """The frontier is empty: targets never confirmed keep their waiting pages."""
        while self.waiting:
            self.settled(next(iter(self.waiting)), False)

    def skip_by_lastmod(self, visit: Visit) -> bool:
        """Sitemap/feed date unchanged since the stored visit: do not request the page."""
        stored = self.stored(visit.url)
        if self.full or not visit.hint or stored is None or stored.lastmod_hint != visit.hint:
            return False
        if visit.url in self.must_verify:  # due under the revisit schedule
            self.report.count("revisited")
            return False
        _confirm(self, stored)
        self.report.count("skipped_by_lastmod")
        self.report.count("seen")
        self.settled(visit.url, True)
        return True


def run_visit(ctx: VisitContext, visit: Visit) -> Outcome:
    """Fetch (conditionally) and parse one URL; errors are returned, not raised."""
    stored, hub = ctx.stored(visit.url), ctx.hubs.get(visit.url)
    validators = stored or hub
    etag = validators.etag if validators is not None and not ctx.full else None
    modified = validators.last_modified if validators is not None and not ctx.full else None
    # A stored document is asked for by the URL that answered last time.
    target = stored.url if stored is not None else visit.target
    try:
        try:
            page = ctx.fetcher.fetch(
                target, etag=etag, last_modified=modified, in_scope=ctx.in_scope
            )
        except GoneError:
            if target == visit.target:
                raise
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
    if visit.url not in ctx.waiting_on:
        ctx.settled(visit.url, ctx.outcomes.get(visit.url, False))


def _failed(
    ctx: VisitContext, visit: Visit, stored: StoredDocument | None, error: FetchError | ExtractError
) -> None:
    if isinstance(error, GoneError):
        ctx.report.count("gone")
        if stored is not None:  # evidence only; crawler.deletion decides after the run
            ctx.gone.add(stored.id)
        if visit.url in ctx.hubs:
            ctx.gone_hubs.add(visit.url)
        return
    if isinstance(error, SkippedError):
        # Our own rule, not the site's fault: listed, never a failure, and a stored
        # document behind it is not "missing".
        ctx.report.skip(visit.target, error.kind, str(error), error.status, code=error.code)
    elif isinstance(error, FetchError):
        ctx.report.fail(visit.target, error.status, str(error), code=error.code)
    else:
        ctx.report.fail(visit.target, None, str(error))
    if stored is not None:  # broken today is not gone: keep it out of the missing count
        ctx.present.add(stored.id)


def _not_modified(
    ctx: VisitContext, visit: Visit, stored: StoredDocument | None, page: FetchedPage
) -> None:
    ctx.report.count("not_modified")
    ctx.report.count("seen")
    if stored is not None:
        _confirm(ctx, stored, etag=page.etag, last_modified=page.last_modified, hint=visit.hint)
        ctx.outcomes.setdefault(visit.url, True)
        ctx.learn(visit.url, visit.depth, "unchanged")
    hub = ctx.hubs.get(visit.url)
    if hub is not None:
        ctx.learn(visit.url, visit.depth)
    if hub is not None and ctx.follow:
        _expand(ctx, hub.links, visit.depth)


def _fetched(ctx: VisitContext, visit: Visit, page: FetchedPage, result: PageResult) -> None:
    url = result.url
    if url != visit.url and not ctx.frontier.claim(url):
        ctx.report.count("aliases")  # redirected to a page this run already has
        ctx.report.count("seen")
        return
    if not ctx.profile.in_scope(url):  # the fetcher checks every hop; this is a backstop
        away = reasons.reason("redirected_out_of_scope", url=url)
        ctx.report.skip(visit.url, "off_scope", reasons.describe(away), page.status, code=away)
        return
    _keep_own_url(ctx, visit, page, result, fold=True)


def _keep_own_url(
    ctx: VisitContext, visit: Visit, page: FetchedPage, result: PageResult, *, fold: bool
) -> None:
    """Record a fetched page under its own (canonical) URL — a document or a listing —
    unless (``fold``) it is a duplicate to wait on: its rel=canonical names another
    in-scope page, or its content equals a live document's of this source."""
    url = result.url
    if fold and result.document is not None:
        target = result.canonical
        if not (target and target != url and ctx.profile.in_scope(target)):
            new = ctx.stored(url) is None
            target = ctx.by_hash.get(result.document.content_hash) if new else None
        if target and target != url and ctx.waiting_on.get(target) == url:
            # A loop (target waits on this page): one of the two must stay. Keep the one
            # already stored, else this one; the other becomes its alias.
            if ctx.stored(url) is None and ctx.stored(target) is not None:
                ctx.settled(url, False)  # releases target, which is kept under its URL
                ctx.wait_for(target, visit, page, result)
                return
        elif target and target != url:
            add_link(ctx.frontier, ctx.profile, target, visit.depth)
            ctx.wait_for(target, visit, page, result)
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
        ctx.learn(url, visit.depth)
        return
    _store(ctx, visit, page, result, result.document)
    ctx.settled(url, ctx.outcomes.get(url, False))


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
        ctx.report.warn(reasons.reason("page_problem", url=result.url, problem=problem))
        if previous is not None:
            ctx.present.add(previous.document.id)
        return
    for warning in result.warnings:
        said = reasons.describe(warning)
        if said not in ctx.warned:
            ctx.warned.add(said)
            ctx.report.warn(reasons.reason("first_seen", warning=warning, url=result.url))
    change = ctx.store.save(
        doc.with_fetched_at(ctx.clock()),
        etag=page.etag,
        last_modified=page.last_modified,
        lastmod_hint=visit.hint or ctx.frontier.hint(result.url),
    )
    if change is Change.FOREIGN:
        owner = ctx.store.get(doc.id)
        kept = reasons.reason("overlap", source=owner.document.source if owner else "?")
        ctx.report.skip(result.url, "overlap", reasons.describe(kept), code=kept)
        return
    ctx.present.add(doc.id)
    ctx.by_hash.setdefault(doc.content_hash, result.url)
    ctx.outcomes.setdefault(result.url, True)
    verdict = {Change.NEW: "new", Change.CHANGED: "changed"}.get(change, "unchanged")
    ctx.learn(result.url, visit.depth, verdict)
    ctx.report.count(verdict)


def _profile_problem(
    doc: Document, result: PageResult, previous: StoredDocument | None
) -> Reason | None:
    """Why this extraction must not replace what we have (None when it may)."""
    had_text = previous is not None and bool(previous.document.body)
    if not doc.body:
        return reasons.reason("empty_extraction_kept") if had_text else EMPTY_EXTRACTION
    if had_text and any(w.get("code") == "body_fallback" for w in result.warnings):
        return reasons.reason("selectors_lost_text")
    return None


def _expand(ctx: VisitContext, links: tuple[str, ...], depth: int) -> None:
    for link in links:  # PDFs among them go to the frontier's attachment queue
        add_link(ctx.frontier, ctx.profile, link, depth + 1)


def _noindex(ctx: VisitContext, url: str) -> None:
    """The page asks not to be indexed: never stored; a stored copy goes the way of a
    404 (deleted after the source's ``gone_confirmations``)."""
    ctx.report.count("noindex")
    stored = ctx.stored(url)
    if stored is not None:  # evidence only; crawler.deletion decides after the run
        ctx.gone.add(stored.id)


def _confirm(
    ctx: VisitContext,
    stored: StoredDocument,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    hint: str | None = None,
) -> None:
    """Seen and unchanged: write only when something to remember changed (cheap recrawls)."""
    ident = stored.id
    ctx.present.add(ident)
    needed = (
        stored.gone_count
        or stored.missing_runs
        or (hint is not None and hint != stored.lastmod_hint)
        or (etag is not None and etag != stored.etag)
        or (last_modified is not None and last_modified != stored.last_modified)
    )
    if needed:
        ctx.store.mark_seen(ident, etag=etag, last_modified=last_modified, lastmod_hint=hint)
