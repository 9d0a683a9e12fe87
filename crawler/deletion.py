"""Safe deletion: when a crawl may remove documents, and only of its own source.

The last step of a crawl run (crawler.run). Two ways out of the index, both counted
in the store so one bad night never empties a source:

* a 404/410 for a stored page counts towards ``gone_confirmations`` (default 2);
* a live document absent from ``missing_runs`` consecutive *healthy* runs.

A run is unhealthy when too large a share of its requests failed, when it saw far
fewer pages than the last finished run, or when it was cancelled; it then deletes
nothing through the missing rule and says why in the report. 304 is never "gone".
"""

from __future__ import annotations

from core.sources import DeletionPolicy, SourceProfile
from core.store import DocumentStore
from crawler.report import CrawlReport


def judge_health(
    report: CrawlReport, policy: DeletionPolicy, previous_seen: int | None
) -> tuple[bool, str]:
    """(healthy, reason) for a finished run, from its own counts and the last run's."""
    if report.cancelled:
        return False, "run was cancelled before it finished"
    if report.requested and report.error_ratio > policy.max_error_ratio:
        return False, (
            f"{report.failed} of {report.requested} requests failed "
            f"({report.error_ratio:.0%} > {policy.max_error_ratio:.0%})"
        )
    if previous_seen and report.seen < previous_seen * policy.min_seen_ratio:
        return False, (
            f"saw {report.seen} pages, last run saw {previous_seen} "
            f"(below {policy.min_seen_ratio:.0%})"
        )
    return True, ""


def record_gone(store: DocumentStore, profile: SourceProfile, doc_id: str) -> bool:
    """Count one 404/410 for a stored document of this source; True if it is now deleted."""
    stored = store.get(doc_id)
    if stored is None or stored.document.source != profile.name:
        return False
    return store.record_gone(doc_id, confirmations=profile.deletion.gone_confirmations)


def apply_missing(
    store: DocumentStore,
    profile: SourceProfile,
    report: CrawlReport,
    present_ids: set[str],
    previous_seen: int | None,
) -> list[str]:
    """After the run: judge its health and, only if healthy, apply the missing-runs rule."""
    healthy, reason = judge_health(report, profile.deletion, previous_seen)
    report.healthy, report.health_reason = healthy, reason
    if not healthy:
        report.deletion_note = "unhealthy run: nothing deleted for missing pages"
        return []
    deleted = store.record_missing(
        profile.name, present_ids, confirmations=profile.deletion.missing_runs
    )
    report.count("deleted", len(deleted))
    if deleted:
        report.deletion_note = (
            f"{len(deleted)} document(s) missing from {profile.deletion.missing_runs} runs deleted"
        )
    return deleted
