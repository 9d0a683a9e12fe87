"""Index lifecycle: the alias, the concrete timestamped indices, blue/green reindex.

Searches and the outbox sync go through the alias (``Settings.index_alias``); the
data lives in ``<alias>-<UTC timestamp>``. ``reindex`` rebuilds a complete index
from the document store (never from the sites), checks it and then moves the alias
with a single ``update_aliases`` call, so a search sees either the old or the new
index, never none or both. The previous index is kept for ``rollback``; older ones
are deleted. Nothing is touched behind the alias until the new index is proven.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from core.errors import ConfigError, IndexingError
from core.models import Document
from core.settings import Settings
from core.store import DocumentStore
from indexer.client import describe_item_error, es_error, health
from indexer.mapping import (
    MAPPING_VERSION,
    index_body,
    mapping_version,
    serving_settings,
    to_source,
)
from indexer.readahead import read_ahead

Progress = Callable[[str, int, int], None]
Clock = Callable[[], datetime]

_STAMP = "%Y%m%d-%H%M%S-%f"
_STAMP_RE = r"\d{8}-\d{6}-\d{6}"
#: Bulk load chunking of a reindex (the sync has its own, see indexer.sync).
LOAD_CHUNK_DOCS = 500
LOAD_CHUNK_BYTES = 10 * 1024 * 1024
#: Seconds an index creation may take (it waits for the primary shards to start).
CREATE_TIMEOUT = 60.0


def _silent(what: str, done: int, total: int) -> None:
    """Default progress sink."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class ReindexReport:
    index: str
    previous: str | None
    docs: int
    deleted_indices: tuple[str, ...] = field(default=())


def index_name(alias: str, when: datetime) -> str:
    """``<alias>-<UTC timestamp>``, lexically sortable by creation time."""
    return f"{alias}-{when.astimezone(UTC).strftime(_STAMP)}"


def concrete_indices(client: Elasticsearch, alias: str) -> list[str]:
    """Our timestamped indices for ``alias``, oldest first (others are never touched)."""
    pattern = re.compile(rf"{re.escape(alias)}-{_STAMP_RE}")
    try:
        answer = client.indices.get(index=f"{alias}-*", expand_wildcards="open,closed")
    except NotFoundError:
        return []
    except (TransportError, ApiError) as exc:
        raise es_error(exc, f"listing the indices of {alias}", client=client) from exc
    return sorted(name for name in answer.body if pattern.fullmatch(name))


def alias_targets(client: Elasticsearch, alias: str) -> list[str]:
    """The indices the alias points at (normally exactly one)."""
    try:
        answer = client.indices.get_alias(name=alias)
    except NotFoundError:
        return []
    except (TransportError, ApiError) as exc:
        raise es_error(exc, f"reading alias {alias}", client=client) from exc
    return sorted(answer.body)


def current_index(client: Elasticsearch, alias: str) -> str | None:
    targets = alias_targets(client, alias)
    if len(targets) > 1:
        raise IndexingError(
            f"alias {alias} points at {len(targets)} indices ({', '.join(targets)}); "
            "fix it with `kennisbrug reindex`"
        )
    return targets[0] if targets else None


def index_mapping_version(client: Elasticsearch, index: str) -> int | None:
    try:
        answer = client.indices.get_mapping(index=index)
    except (TransportError, ApiError) as exc:
        raise es_error(exc, f"reading the mapping of {index}", client=client) from exc
    return mapping_version(answer.body[index])


def shard_layout(settings: Settings) -> tuple[int, int]:
    """(primary shards, replicas) from the settings; ConfigError naming a bad one."""
    if settings.index_shards < 1:
        raise ConfigError(
            f"KENNISBRUG_INDEX_SHARDS={settings.index_shards} is not valid: expected 1 or more"
        )
    if settings.index_replicas < 0:
        raise ConfigError(
            f"KENNISBRUG_INDEX_REPLICAS={settings.index_replicas} is not valid: expected 0 or more"
        )
    return settings.index_shards, settings.index_replicas


def create_index(
    client: Elasticsearch,
    name: str,
    *,
    settings: Settings,
    alias: str | None = None,
    loading: bool = False,
) -> None:
    """Create ``name`` with our settings and mapping (and the alias in the same request).

    Shards and replicas follow ``settings`` (see ``shard_layout``). Creating waits for
    the primaries to start, which on a busy cluster can take longer than a search may,
    so the request gets ``CREATE_TIMEOUT`` at least. If an attempt timed out but went
    through, the client's retry finds the index already there: names carry the time
    to the microsecond, so that index is this very request's and counts as created.
    """
    shards, replicas = shard_layout(settings)
    body = index_body(shards=shards, replicas=replicas, loading=loading)
    if alias:
        body["aliases"] = {alias: {}}
    patient = client.options(request_timeout=max(settings.es_timeout, CREATE_TIMEOUT))
    try:
        patient.indices.create(index=name, **body)
    except ApiError as exc:
        if not (_already_exists(exc) and _created_by_retry(client, name, alias)):
            raise es_error(exc, f"creating index {name}", client=client) from exc
    except TransportError as exc:
        raise es_error(exc, f"creating index {name}", client=client) from exc


def _already_exists(exc: ApiError) -> bool:
    info: Any = exc.info
    error = info.get("error") if isinstance(info, dict) else None
    return isinstance(error, dict) and error.get("type") == "resource_already_exists_exception"


def _created_by_retry(client: Elasticsearch, name: str, alias: str | None) -> bool:
    """Whether ``name`` exists (with ``alias`` on it, when one was asked for)."""
    if not alias:
        return bool(client.indices.exists(index=name))
    return name in alias_targets(client, alias)


def ensure_index(client: Elasticsearch, settings: Settings, *, clock: Clock = _utcnow) -> str:
    """The index behind the alias; the first one (and the alias) is created when missing.

    Refuses an index built with another mapping version: writes into it would fail
    or be searched wrongly, and a reindex fixes it.
    """
    alias = settings.index_alias
    current = current_index(client, alias)
    if current is None:
        if client.indices.exists(index=alias):
            raise IndexingError(
                f"{alias} is a concrete index, not an alias; delete it or choose another "
                "KENNISBRUG_INDEX_ALIAS"
            )
        current = index_name(alias, clock())
        create_index(client, current, settings=settings, alias=alias)
        return current
    version = index_mapping_version(client, current)
    if version != MAPPING_VERSION:
        raise IndexingError(
            f"index {current} has mapping version {version}, this Kennisbrug needs "
            f"{MAPPING_VERSION}; run `kennisbrug reindex` to rebuild it"
        )
    return current


def swap_alias(client: Elasticsearch, alias: str, new: str, old: list[str]) -> None:
    """Point ``alias`` at ``new`` only, in one atomic ``update_aliases`` call."""
    actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old if name != new]
    try:
        client.indices.update_aliases(actions=actions)
    except (TransportError, ApiError) as exc:
        raise es_error(exc, f"moving alias {alias} to {new}", client=client) from exc


def reindex(
    store: DocumentStore,
    client: Elasticsearch,
    settings: Settings,
    *,
    progress: Progress = _silent,
    clock: Clock = _utcnow,
) -> ReindexReport:
    """Build a new index from the store's live documents and move the alias to it."""
    alias = settings.index_alias
    previous = current_index(client, alias)
    new = index_name(alias, clock())
    create_index(client, new, settings=settings, loading=True)
    try:
        docs = _load(store, client, new, progress)
        _finish(client, store, new, docs, progress, replicas=shard_layout(settings)[1])
    except BaseException as exc:
        # Before the swap nothing points at the half-built index: drop it, keep the alias.
        _drop_quietly(client, new)
        if isinstance(exc, (TransportError, ApiError)):
            raise es_error(exc, f"reindex into {new}", client=client) from exc
        raise
    progress("moving the alias", 0, 0)
    swap_alias(client, alias, new, alias_targets(client, alias))
    deleted = _delete_old(client, alias, keep={new, previous})
    return ReindexReport(index=new, previous=previous, docs=docs, deleted_indices=deleted)


def _load(store: DocumentStore, client: Elasticsearch, index: str, progress: Progress) -> int:
    total = store.count_live()
    progress("loading documents", 0, total)
    done = 0
    for ok, item in helpers.streaming_bulk(
        client,
        cast(Iterator[Any], read_ahead(_actions(store.iter_live(batch=2000)))),
        index=index,
        chunk_size=LOAD_CHUNK_DOCS,
        max_chunk_bytes=LOAD_CHUNK_BYTES,
        expand_action_callback=_expand,
        raise_on_error=False,
        raise_on_exception=False,
        max_retries=5,
        initial_backoff=1,
        max_backoff=30,
        retry_on_status=(429, 502, 503, 504),
    ):
        if not ok:
            _op, info = next(iter(item.items()))
            raise IndexingError(
                f"reindex into {index} failed: document {info.get('_id')} was refused: "
                f"{describe_item_error(info.get('error'))}"
            )
        done += 1
        if done % 500 == 0:
            progress("loading documents", done, total)
    progress("loading documents", done, total)
    return done


def _actions(docs: Iterator[Document]) -> Iterator[tuple[dict[str, Any], bytes]]:
    # Serialised here (on the read-ahead thread) with orjson, as the sync does.
    for doc in docs:
        yield {"index": {"_id": doc.id}}, orjson.dumps(to_source(doc))


def _expand(action: Any) -> Any:
    """Actions are already (header, body) pairs; skip the helper's per-key copying."""
    return action


def _finish(
    client: Elasticsearch,
    store: DocumentStore,
    index: str,
    loaded: int,
    progress: Progress,
    *,
    replicas: int,
) -> None:
    """Serving settings back (with the configured replicas), refresh, health, count check."""
    progress("refreshing", 0, 0)
    client.indices.put_settings(index=index, settings=serving_settings(replicas))
    client.indices.refresh(index=index)
    health(client, index=index, wait_seconds=60)
    indexed = int(client.count(index=index).body["count"])
    expected = store.count_live()
    if indexed != expected or indexed != loaded:
        raise IndexingError(
            f"reindex into {index} stopped before the swap: the index holds {indexed} "
            f"documents, the store {expected} (loaded {loaded}); the alias was not moved"
        )


def _drop_quietly(client: Elasticsearch, index: str) -> None:
    """Delete a half-built index; if even that fails, say so in the error chain only."""
    try:
        client.options(ignore_status=404).indices.delete(index=index)
    except (TransportError, ApiError):
        # The node is likely down; the orphan has no alias and is removed by the
        # next successful reindex (it is older than the index that reindex builds).
        return


def _delete_old(client: Elasticsearch, alias: str, *, keep: set[str | None]) -> tuple[str, ...]:
    old = [name for name in concrete_indices(client, alias) if name not in keep]
    for name in old:
        try:
            client.options(ignore_status=404).indices.delete(index=name)
        except (TransportError, ApiError) as exc:
            raise es_error(exc, f"deleting old index {name}", client=client) from exc
    return tuple(old)


def rollback(client: Elasticsearch, settings: Settings) -> tuple[str, str]:
    """Point the alias back at the kept previous index; returns (from, to)."""
    alias = settings.index_alias
    current = current_index(client, alias)
    if current is None:
        raise IndexingError(f"alias {alias} does not exist yet; nothing to roll back")
    older = [name for name in concrete_indices(client, alias) if name < current]
    if not older:
        raise IndexingError(f"no index older than {current} is kept; nothing to roll back to")
    target = older[-1]
    swap_alias(client, alias, target, [current])
    return current, target
