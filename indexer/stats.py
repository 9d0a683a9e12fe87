"""Index status: does the index hold what the store says it should?

Read-only view over both ends of the indexer: per source and provincie the live
documents in the store against the documents in the index, plus the outbox rows
still pending and those that failed. Used by ``kennisbrug index-status`` and the
admin pages; a difference means a sync is due (or a reindex, if it persists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from core.settings import Settings
from core.store import DocumentStore
from indexer.client import es_error
from indexer.lifecycle import concrete_indices, current_index, index_mapping_version
from indexer.mapping import MAPPING_VERSION


@dataclass(frozen=True, kw_only=True)
class SourceStatus:
    source: str
    provincie: str
    in_store: int
    in_index: int
    deleted_in_store: int
    pending: int
    failed: int

    @property
    def in_sync(self) -> bool:
        return self.in_store == self.in_index and self.pending == 0


@dataclass(frozen=True, kw_only=True)
class IndexStatus:
    alias: str
    index: str | None  # the concrete index behind the alias
    kept: tuple[str, ...]  # other indices of the alias (the rollback target)
    mapping_version: int | None
    expected_mapping_version: int
    rows: tuple[SourceStatus, ...]

    @property
    def pending(self) -> int:
        return sum(r.pending for r in self.rows)

    @property
    def failed(self) -> int:
        return sum(r.failed for r in self.rows)

    @property
    def in_sync(self) -> bool:
        return all(r.in_sync for r in self.rows)


def index_status(store: DocumentStore, client: Elasticsearch, settings: Settings) -> IndexStatus:
    """Counts from both sides; raises ``IndexingError`` when Elasticsearch is unreachable."""
    alias = settings.index_alias
    index = current_index(client, alias)
    in_index = _index_counts(client, alias) if index else {}
    outbox = store.outbox_counts()
    rows: list[SourceStatus] = []
    seen: set[tuple[str, str]] = set()
    for counts in store.counts():
        key = (counts.source, counts.provincie)
        seen.add(key)
        pending, failed = outbox.get(counts.source, (0, 0))
        rows.append(
            SourceStatus(
                source=counts.source,
                provincie=counts.provincie,
                in_store=counts.live,
                in_index=in_index.get(key, 0),
                deleted_in_store=counts.deleted,
                pending=pending,
                failed=failed,
            )
        )
    # Documents in the index that the store does not know (stale index) are shown too.
    for (source, provincie), n in sorted(in_index.items()):
        if (source, provincie) not in seen:
            rows.append(
                SourceStatus(
                    source=source,
                    provincie=provincie,
                    in_store=0,
                    in_index=n,
                    deleted_in_store=0,
                    pending=0,
                    failed=0,
                )
            )
    return IndexStatus(
        alias=alias,
        index=index,
        kept=tuple(n for n in concrete_indices(client, alias) if n != index),
        mapping_version=index_mapping_version(client, index) if index else None,
        expected_mapping_version=MAPPING_VERSION,
        rows=tuple(rows),
    )


def _index_counts(client: Elasticsearch, alias: str) -> dict[tuple[str, str], int]:
    aggs: dict[str, Any] = {
        "bron": {
            "terms": {"field": "source", "size": 1000},
            "aggs": {"provincie": {"terms": {"field": "provincie", "size": 10}}},
        }
    }
    try:
        answer = client.search(index=alias, size=0, aggs=aggs, track_total_hits=True)
    except (TransportError, ApiError) as exc:
        raise es_error(exc, f"counting documents in {alias}", client=client) from exc
    counts: dict[tuple[str, str], int] = {}
    for bucket in answer.body["aggregations"]["bron"]["buckets"]:
        for sub in bucket["provincie"]["buckets"]:
            counts[(bucket["key"], sub["key"])] = int(sub["doc_count"])
    return counts
