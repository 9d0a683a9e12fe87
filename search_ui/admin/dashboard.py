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
from core.reasons import Reason, as_reason, reason, text
from core.schedules import next_run
from core.sources import SourceProfile
from core.store import DocumentStore, utcnow
from search_ui.admin.labels import HOST_STATES, N_

log = logging.getLogger(__name__)

#: The counts of a crawl run: (stable code, English label, report keys added up).
COUNT_LABELS = (
    ("nieuw", N_("new"), ("new",)),
    ("gewijzigd", N_("changed"), ("changed",)),
    ("ongewijzigd", N_("unchanged"), ("unchanged", "not_modified", "skipped_by_lastmod")),
    ("verwijderd", N_("deleted"), ("deleted",)),
    ("mislukt", N_("failed"), ("failed",)),
)


@dataclass(frozen=True, kw_only=True)
class SourceCard:
    name: str
    label: str
    provincie: str
    base_url: str
    health: str  # gezond | waarschuwing | mislukt | onbekend
    health_reason: Reason | None  # rendered in the page's language (core.reasons)
    last: Job | None
    active: Job | None
    counts: list[tuple[str, str, int]]
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
        health, why = health_of(last)
        cards.append(
            SourceCard(
                name=name, label=profile.label, provincie=profile.provincie,
                base_url=profile.base_url, health=health, health_reason=why, last=last,
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


def health_of(last: Job | None) -> tuple[str, Reason | None]:
    """Healthy, warning or failing, from the last finished crawl and its report; the
    reason as a code (core.reasons) that the page renders in its language."""
    if last is None:
        return "onbekend", None
    if last.state in (JobState.FAILED, JobState.INTERRUPTED):
        return "mislukt", text((last.error or "")[:200]) if last.error else None
    if last.state == JobState.CANCELLED:
        return "waarschuwing", reason("last_crawl_cancelled")
    report = last.report
    hosts = report.get("hosts") or {}
    if hosts:  # deferred (Retry-After) or given up (failures in a row): a partial run
        named = [
            reason(f"host_state_{t.get('state')}", host=host)
            if t.get("state") in HOST_STATES
            else text(f"{host} {t.get('state')}")
            for host, t in hosts.items()
        ]
        return "waarschuwing", reason("partial_hosts", hosts=named)
    if report.get("healthy") is False:
        stored = report.get("health_code") or report.get("health_reason")
        return "waarschuwing", as_reason(stored) if stored else reason("run_unhealthy")
    if report.get("partial"):
        codes = report.get("partial_codes") or report.get("partial_reasons") or []
        return "waarschuwing", reason("partial_run", reasons=[as_reason(r) for r in codes])
    if report.get("failed"):
        return "waarschuwing", reason("urls_failed", n=int(report["failed"]))
    if report.get("profile_warnings"):
        return "waarschuwing", reason("profile_problems")
    return "gezond", None


def run_counts(job: Job | None) -> list[tuple[str, str, int]]:
    if job is None or not job.report:
        return []
    report: dict[str, Any] = job.report
    return [
        (code, label, sum(int(report.get(k) or 0) for k in keys))
        for code, label, keys in COUNT_LABELS
    ]


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


#: The cluster colours, and what each means for search (English message ids).
CLUSTER_LABELS: dict[str, tuple[str, str]] = {
    "green": (N_("green"), N_("all shards and their copies are available")),
    "yellow": (
        N_("yellow"),
        N_("search works; not every shard has a copy on another node right now"),
    ),
    "red": (N_("red"), N_("part of the index is not available")),
    "unreachable": (N_("unreachable"), N_("no node answers")),
}


@dataclass(frozen=True, kw_only=True)
class ClusterPanel:
    status: str  # green | yellow | red | unreachable
    label: str  # message ids: the page translates them
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
        return _panel("unreachable", reason=N_("no Elasticsearch configured"))
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
