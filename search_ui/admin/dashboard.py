"""The dashboard's source cards: health, last run, index counts, next scheduled run.

Reads only: the job table (last and active crawl per source), the document store
(counts) and Elasticsearch (documents per source in the alias). Elasticsearch
being down makes the index count "unknown", never the page fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch

from core.deletion_holds import DeletionHold, DeletionHolds
from core.jobs import Job, JobQueue, JobState
from core.schedules import next_run
from core.sources import SourceProfile
from core.store import DocumentStore, utcnow

log = logging.getLogger(__name__)

COUNT_LABELS = (
    ("nieuw", ("new",)),
    ("gewijzigd", ("changed",)),
    ("ongewijzigd", ("unchanged", "not_modified", "skipped_by_lastmod")),
    ("verwijderd", ("deleted",)),
    ("mislukt", ("failed",)),
)


@dataclass(frozen=True, kw_only=True)
class SourceCard:
    name: str
    label: str
    provincie: str
    base_url: str
    health: str  # gezond | waarschuwing | mislukt | onbekend
    health_reason: str
    last: Job | None
    active: Job | None
    counts: list[tuple[str, int]]
    indexed: int | None
    stored: int
    next_run: datetime | None
    hold: DeletionHold | None = None  # deletions waiting for an admin's decision


def source_cards(
    profiles: dict[str, SourceProfile],
    queue: JobQueue,
    store: DocumentStore,
    es: Elasticsearch | None,
    *,
    alias: str,
    timezone: str,
) -> list[SourceCard]:
    indexed = index_counts(es, alias)
    holds = {h.source: h for h in DeletionHolds(store.engine).pending()}
    now = utcnow()
    cards = []
    for name, profile in profiles.items():
        last = queue.last_finished("crawl", name)
        active = queue.find(states=[JobState.RUNNING, JobState.QUEUED], source=name, limit=1)
        scheduled = queue.find(kind="crawl", source=name, enqueued_by="scheduler", limit=1)
        health, reason = health_of(last)
        cards.append(
            SourceCard(
                name=name, label=profile.label, provincie=profile.provincie,
                base_url=profile.base_url, health=health, health_reason=reason, last=last,
                active=active[0] if active else None, counts=run_counts(last),
                indexed=None if indexed is None else indexed.get(name, 0),
                stored=store.count_live(name),
                next_run=next_run(profile.schedule, timezone, now=now,
                                  last=scheduled[0].enqueued_at if scheduled else None),
                hold=holds.get(name),
            )
        )  # fmt: skip
    return cards


def health_of(last: Job | None) -> tuple[str, str]:
    """Healthy, warning or failing, from the last finished crawl and its report."""
    if last is None:
        return "onbekend", ""
    if last.state in (JobState.FAILED, JobState.INTERRUPTED):
        return "mislukt", (last.error or "")[:200]
    if last.state == JobState.CANCELLED:
        return "waarschuwing", "laatste crawl geannuleerd"
    report = last.report
    hosts = report.get("hosts") or {}
    if hosts:  # deferred (Retry-After) or given up (failures in a row): a partial run
        states = {"deferred": "uitgesteld", "given_up": "opgegeven"}
        named = ", ".join(
            f"{host} {states.get(str(t.get('state')), t.get('state'))}" for host, t in hosts.items()
        )
        return "waarschuwing", f"gedeeltelijke run, niets verwijderd: host {named}"
    if report.get("healthy") is False:
        return "waarschuwing", str(report.get("health_reason") or "run niet gezond")
    if report.get("partial"):
        reasons = "; ".join(str(r) for r in report.get("partial_reasons") or [])
        return "waarschuwing", f"onvolledige run, niets verwijderd ({reasons})"[:300]
    if report.get("failed"):
        return "waarschuwing", f"{report['failed']} URL's mislukt"
    if report.get("profile_warnings"):
        return "waarschuwing", "profielproblemen: zie de laatste crawl"
    return "gezond", ""


def run_counts(job: Job | None) -> list[tuple[str, int]]:
    if job is None or not job.report:
        return []
    report: dict[str, Any] = job.report
    return [(label, sum(int(report.get(k) or 0) for k in keys)) for label, keys in COUNT_LABELS]


def index_counts(es: Elasticsearch | None, alias: str) -> dict[str, int] | None:
    """Documents per source in the alias; None when Elasticsearch cannot say."""
    if es is None:
        return None
    try:
        body = es.search(
            index=alias, size=0, aggs={"bron": {"terms": {"field": "source", "size": 50}}}
        )
    except Exception as exc:
        # Any client or transport error: the dashboard shows "unknown" instead.
        log.warning("index counts unavailable: %s", exc)
        return None
    buckets = body.get("aggregations", {}).get("bron", {}).get("buckets", [])
    return {str(b["key"]): int(b["doc_count"]) for b in buckets}
