"""The dashboard's source cards (health, last run, index counts, next scheduled run)
and its Elasticsearch panel (cluster health, nodes, unassigned shards).

Reads only: the job table (last and active crawl per source), the document store
(counts) and Elasticsearch (documents per source in the alias, cluster health and
node list). Elasticsearch being down makes the index count "unknown" and the panel
"unreachable", never the page fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

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
    #: Live documents per province in the store (a joint page counts under each).
    per_provincie: list[tuple[str, int]]


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
    per_provincie: dict[str, list[tuple[str, int]]] = {}
    for row in store.counts():
        if row.live:
            per_provincie.setdefault(row.source, []).append((row.provincie, row.live))
    now = utcnow()
    planned = queue.next_runs()  # the worker's scheduler's own plan, when it runs
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
                next_run=planned_run(planned.get(name), now) or next_run(
                    profile.schedule, timezone, now=now,
                    last=scheduled[0].enqueued_at if scheduled else None),
                hold=holds.get(name),
                per_provincie=per_provincie.get(name, []),
            )
        )  # fmt: skip
    return cards


def planned_run(at: datetime | None, now: datetime) -> datetime | None:
    """The worker's recorded next firing while it is still ahead (else: compute it)."""
    return at if at is not None and at >= now else None


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


#: Dutch words for the cluster colours, and what each means for search.
CLUSTER_LABELS: dict[str, tuple[str, str]] = {
    "green": ("groen", "alle shards en hun kopieën zijn beschikbaar"),
    "yellow": ("geel", "zoeken werkt; niet elke shard heeft nu een kopie op een andere node"),
    "red": ("rood", "een deel van de index is niet beschikbaar"),
    "unreachable": ("onbereikbaar", "geen enkele node antwoordt"),
}


@dataclass(frozen=True, kw_only=True)
class ClusterPanel:
    status: str  # green | yellow | red | unreachable
    label: str
    meaning: str
    name: str = ""
    nodes: int | None = None
    unassigned_shards: int = 0
    node_names: tuple[tuple[str, bool], ...] = ()  # (name, elected master)
    reason: str = ""
    index_missing: bool = False  # the alias does not exist yet (before the first sync)


def cluster_panel(es: Elasticsearch | None, alias: str = "") -> ClusterPanel:
    """Cluster-wide health, the nodes that are in the cluster right now, and whether
    the alias searches use exists yet."""
    if es is None:
        return _panel("unreachable", reason="geen Elasticsearch ingesteld")
    try:
        health = dict(es.options(ignore_status=408).cluster.health().body)
    except Exception as exc:
        # Any client or transport error: the panel says so instead of failing the page.
        log.warning("cluster health unavailable: %s", exc)
        return _panel("unreachable", reason=str(exc)[:200])
    try:
        rows: list[dict[str, str]] = cast(
            list[dict[str, str]], es.cat.nodes(format="json", h="name,master").body
        )
        names = tuple(sorted((str(r["name"]), r.get("master") == "*") for r in rows))
    except Exception as exc:
        log.warning("node list unavailable: %s", exc)
        names = ()
    try:
        missing = bool(alias) and not es.indices.exists(index=alias)
    except Exception as exc:
        log.warning("alias check unavailable: %s", exc)
        missing = False
    return _panel(
        str(health.get("status", "red")),
        name=str(health.get("cluster_name", "")),
        nodes=int(health.get("number_of_nodes", 0)),
        unassigned_shards=int(health.get("unassigned_shards", 0)),
        node_names=names,
        index_missing=missing,
    )


def _panel(status: str, **values: Any) -> ClusterPanel:
    label, meaning = CLUSTER_LABELS.get(status, (status, ""))
    return ClusterPanel(status=status, label=label, meaning=meaning, **values)
