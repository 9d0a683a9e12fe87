"""Safe deletion: when a crawl may remove documents, and only of its own source.

The last step of a crawl run (crawler.run). A document leaves the index only on
positive evidence gathered by *healthy, complete* runs:

* it answered 404/410 in ``gone_confirmations`` such runs (default 2), or
* it was absent (not reached at all) from ``missing_runs`` such runs (default 3).

A run is **partial** (``CrawlReport.partial``) when it did not cover the whole source:
cut short by ``max_pages``, cancelled or killed, a host given up or deferred. A run is
**unhealthy** when too large a share of its requests failed, when it was cancelled, or
when it saw far fewer pages than the *baseline*: the last run that was itself healthy
and complete (so one bad night cannot lower the bar for the next). Partial and
unhealthy runs count nothing: 404s, 410s and absences seen in them are not evidence.

Even with evidence, a run that would delete more than ``max_drop_ratio`` of the
source's live documents (a sudden drop, default 20 %) deletes nothing: the list is
held for an admin to confirm or reject in /beheer (core.deletion_holds). 304 is never
"gone"; a document of another source is never touched. The admin's one-URL recrawl
(crawler.single) is no run at all: its 404s are reported, never counted here.
"""

from __future__ import annotations

from core.deletion_holds import DeletionHolds, HeldItem
from core.reasons import Reason, describe, reason
from core.sources import DeletionPolicy, SourceProfile
from core.store import DocumentStore
from crawler.report import CrawlReport


def judge_health(
    report: CrawlReport, policy: DeletionPolicy, baseline_seen: int | None
) -> tuple[bool, Reason | None]:
    """(healthy, why not) for a finished run, from its own counts and the baseline's."""
    if report.cancelled:
        return False, reason("run_cancelled")
    if report.requested and report.error_ratio > policy.max_error_ratio:
        return False, reason(
            "error_ratio", failed=report.failed, requested=report.requested,
            ratio=report.error_ratio, limit=policy.max_error_ratio,
        )  # fmt: skip
    if baseline_seen and report.seen < baseline_seen * policy.min_seen_ratio:
        return False, reason(
            "seen_drop", seen=report.seen, baseline=baseline_seen, limit=policy.min_seen_ratio
        )
    return True, None


def _note(report: CrawlReport, note: Reason) -> None:
    report.deletion_note, report.deletion_code = describe(note), note


def settle(
    store: DocumentStore,
    profile: SourceProfile,
    report: CrawlReport,
    *,
    present: set[str],
    gone: set[str],
    baseline_seen: int | None,
    run_id: int | None = None,
) -> list[str]:
    """After the run: judge it and, only if healthy and complete, count the evidence and
    delete what reached its limit — or hold the list when it is a sudden drop."""
    healthy, why = judge_health(report, profile.deletion, baseline_seen)
    report.healthy, report.health_code = healthy, why
    report.health_reason = describe(why) if why else ""
    if report.partial:
        _note(report, reason("deletion_partial", reasons=list(report.partial_codes)))
        return []
    if not healthy:
        _note(report, reason("deletion_unhealthy"))
        return []
    policy = profile.deletion
    due = store.record_evidence(
        profile.name, gone=gone, present=present,
        gone_confirmations=policy.gone_confirmations, missing_runs=policy.missing_runs,
    )  # fmt: skip
    if not due:
        return []
    live = store.count_live(profile.name)
    if len(due) > policy.max_drop_ratio * live:
        holds = DeletionHolds(store.engine, clock=store.clock)
        drop = reason("sudden_drop", due=len(due), live=live, limit=policy.max_drop_ratio)
        hold = holds.hold(
            profile.name,
            [HeldItem(id=i, url=u, why=why) for i, u, why in due],
            reason=drop,
            live=live,
            run_id=run_id,
        )
        report.held = len(due)
        _note(report, reason("deletion_held", n=len(due), hold=hold.id, reason=drop))
        return []
    deleted = store.delete_many(i for i, _, _ in due)
    report.count("deleted", len(deleted))
    _note(report, reason("deletions_done", n=len(deleted)))
    return deleted
