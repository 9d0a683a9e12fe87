"""Recrawl or preview one URL of a configured source (admin "recrawl this page", CLI).

Beside the full crawl run (crawler.run): ``source_for_url`` finds the one profile a
URL belongs to (others are refused), ``recrawl_url`` fetches that page without
validators and stores it like a run would, ``preview_url`` only extracts.

A one-URL recrawl may add or update a document, never delete one: a 404, 410 or
noindex answer is reported (``CrawlReport.one_url``) but is not counted as evidence.
One fetch says nothing about the health of the site — a host that answers 404 to
everything looks exactly the same — so the document stays until healthy, complete
crawl runs confirm that it is gone under the normal rules (crawler.deletion).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from core import reasons
from core.errors import ConfigError, ExtractError, FetchError, GoneError, SkippedError
from core.models import doc_id
from core.sources import SourceProfile
from core.store import Change, DocumentStore, StoredDocument
from crawler.extract import PageResult, canonical_url, extract_page, fetch_form
from crawler.fetch import Fetcher
from crawler.report import CrawlReport


def source_for_url(url: str, profiles: Iterable[SourceProfile]) -> SourceProfile:
    """The profile whose scope holds ``url``; ConfigError naming the sources otherwise."""
    profiles = list(profiles)
    for profile in profiles:
        if profile.in_scope(canonical_url(url, profile)):
            return profile
    names = ", ".join(f"{p.name} ({p.base_url})" for p in profiles)
    raise ConfigError(f"{url} belongs to no configured source (sources: {names})")


def _scope(profile: SourceProfile) -> Callable[[str], bool]:
    """Asked before every redirect hop: a source's page may not lead us to another host."""
    return lambda hop: profile.in_scope(canonical_url(hop, profile))


def preview_url(url: str, profile: SourceProfile, fetcher: Fetcher) -> PageResult:
    """Fetch and extract ``url`` with ``profile``; nothing is stored. A redirect out of
    the source's scope is not followed (SkippedError)."""
    page = fetcher.fetch(url, in_scope=_scope(profile))
    final = canonical_url(page.url, profile)
    return extract_page(page, profile, as_document=profile.is_document(final))


def recrawl_url(
    url: str,
    profile: SourceProfile,
    *,
    store: DocumentStore,
    fetcher: Fetcher,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CrawlReport:
    """Fetch ``url`` again (no validators) and store what it holds now.

    A stored document is requested at the URL that answered before (``Document.url``,
    trailing slash kept), a new page at ``url`` minus session and tracking parameters;
    if the stored URL answers 404/410 and ``url`` is spelt otherwise, that form is tried
    once (as a crawl run tries the form it found linked).
    Every redirect hop is checked against the source's scope before it is requested;
    one that leaves it is listed in the report as skipped and nothing is fetched from
    or stored for it. A 404/410 or noindex answer deletes nothing (see the module)."""
    report = CrawlReport(source=profile.name)
    canonical = canonical_url(url, profile)
    stored = store.get(doc_id(canonical))
    given = fetch_form(url, profile)
    target = stored.url if stored is not None else given
    report.count("requested")
    try:
        try:
            page = fetcher.fetch(target, in_scope=_scope(profile))
        except GoneError:
            if target == given:
                raise
            page = fetcher.fetch(given, in_scope=_scope(profile))
        if not profile.in_scope(canonical_url(page.url, profile)):  # backstop
            away = reasons.reason("redirected_out_of_scope", url=page.url)
            raise SkippedError(reasons.describe(away), kind="off_scope", url=url, code=away)
        parent = stored.document.parent if stored else None
        result = extract_page(
            page, profile, parent=parent, as_document=profile.is_document(canonical)
        )
    except GoneError as exc:
        report.count("gone")
        _not_evidence(report, profile, stored, status=exc.status)
        return report
    except SkippedError as exc:
        report.skip(url, exc.kind, str(exc), exc.status, code=exc.code)
        return report
    except (FetchError, ExtractError) as exc:
        report.fail(url, getattr(exc, "status", None), str(exc))
        return report
    report.count("seen")
    if result.noindex:
        report.count("noindex")
        _not_evidence(report, profile, stored, status=page.status, noindex=True)
        return report
    if result.document is None:
        report.count("followed_only")
        report.warn(reasons.reason("not_document_page", url=url, source=profile.name))
        return report
    change = store.save(
        result.document.with_fetched_at(clock()),
        etag=page.etag,
        last_modified=page.last_modified,
        lastmod_hint=stored.lastmod_hint if stored else None,
    )
    if change is Change.FOREIGN:  # one owner per document: never moved to this source
        kept = reasons.reason("overlap_other")
        report.skip(url, "overlap", reasons.describe(kept), code=kept)
        return report
    report.count({Change.NEW: "new", Change.CHANGED: "changed"}.get(change, "unchanged"))
    return report


def _not_evidence(
    report: CrawlReport,
    profile: SourceProfile,
    stored: StoredDocument | None,
    *,
    status: int | None,
    noindex: bool = False,
) -> None:
    """Report a 404/410 (or noindex) answer without counting it toward a deletion."""
    kept = stored is not None and not stored.deleted
    report.one_url = {"status": status, "noindex": noindex, "kept": kept}
    answer = "asks not to be indexed" if noindex else f"answered {status}"
    if kept:
        report.deletion_note = (
            f"the page {answer}; one fetch is not evidence: the document stays until "
            f"{profile.deletion.gone_confirmations} healthy, complete crawl runs confirm it"
        )
    else:
        report.deletion_note = f"the page {answer}; nothing is stored for it"
