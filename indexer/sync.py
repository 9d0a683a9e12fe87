"""Outbox sync: move pending document changes from the store into the index.

The store queues one outbox row per changed or deleted document; ``sync_outbox``
drains those rows page by page with ``helpers.streaming_bulk`` through the alias.
A row is acknowledged (removed) only after Elasticsearch accepted exactly that
version; a refused document keeps its row with the reason (retried next time);
Elasticsearch going away stops the sync with an ``IndexingError`` after the rows
already accepted were acknowledged, so nothing is lost and the next sync resumes.
Ids are the document ids, so sending a row twice never makes a duplicate.

While Elasticsearch indexes one page, a helper thread already reads, converts and
serialises the next one (orjson) and removes the acknowledged rows of the previous
one in a single ``outbox_ack`` call, so the Python side mostly overlaps with the
server instead of adding to its time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from elasticsearch import ApiError, ConnectionError, ConnectionTimeout, Elasticsearch, helpers
from elasticsearch import TransportError as ESTransportError

from core.errors import IndexingError
from core.settings import Settings
from core.store import DocumentStore, OutboxItem
from indexer.client import RETRY_STATUSES, client_url, describe_item_error, es_error
from indexer.lifecycle import ensure_index
from indexer.mapping import to_source

Progress = Callable[[str, int, int], None]
Action = tuple[dict[str, Any], Any]
# Failures shown in a report; all of them are stored in the outbox anyway.
_REPORT_FAILURES = 20

log = logging.getLogger(__name__)


def _silent(what: str, done: int, total: int) -> None:
    """Default progress sink."""


@dataclass(frozen=True, kw_only=True)
class BulkOptions:
    """How a sync talks to Elasticsearch; the defaults suit one node and 2 cores."""

    page_size: int = 2000  # outbox rows read (and acknowledged) at a time
    chunk_size: int = 500  # documents per bulk request ...
    max_chunk_bytes: int = 8 * 1024 * 1024  # ... or fewer when they are large
    item_retries: int = 5  # per-document retries on 429/5xx inside a bulk answer
    initial_backoff: float = 1.0
    max_backoff: float = 30.0
    connection_retries: int = 3  # whole-page retries after the transport gave up
    request_timeout: float = 120.0  # a big bulk request under load needs longer than a search
    sleep: Callable[[float], None] = time.sleep


@dataclass(kw_only=True)
class SyncReport:
    index: str = ""
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    pending_before: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (doc id, reason), first few

    @property
    def done(self) -> int:
        return self.indexed + self.deleted


@dataclass(frozen=True, kw_only=True)
class _Page:
    """One page of outbox rows, ready to send: actions plus what to record locally."""

    items: dict[str, OutboxItem]
    actions: list[Action]  # (header, body pre-serialised with orjson)
    broken: list[tuple[str, int, str]]  # rows that cannot be sent at all
    last_id: str


class _Recorder:
    """Writes acks and failures to the store on the helper thread, in order.

    The acknowledged rows of one page are removed in one ``outbox_ack`` call while
    Elasticsearch already works on the next page; ``flush`` waits for every write
    (and re-raises a store error) before the sync returns or raises.
    """

    def __init__(self, store: DocumentStore, worker: ThreadPoolExecutor, report: SyncReport):
        self.store, self.worker, self.report = store, worker, report
        self.writes: list[Future[None]] = []

    def record(self, acked: list[tuple[str, int]], failed: list[tuple[str, int, str]]) -> None:
        if acked:
            self.writes.append(self.worker.submit(self._ack, acked))
        if failed:
            self.writes.append(self.worker.submit(self.store.outbox_fail, failed))
            self.report.failed += len(failed)
            room = max(_REPORT_FAILURES - len(self.report.failures), 0)
            self.report.failures.extend((i, reason) for i, _, reason in failed[:room])

    def _ack(self, acked: list[tuple[str, int]]) -> None:
        self.store.outbox_ack(acked)

    def flush(self) -> None:
        writes, self.writes = self.writes, []
        for write in writes:
            write.result()


def sync_outbox(
    store: DocumentStore,
    client: Elasticsearch,
    settings: Settings,
    *,
    progress: Progress = _silent,
    options: BulkOptions | None = None,
) -> SyncReport:
    """Drain the outbox into the alias; see the module docstring for the guarantees."""
    options = options or BulkOptions()
    started = time.monotonic()
    report = SyncReport(index=ensure_index(client, settings))
    report.pending_before = sum(n for n, _ in store.outbox_counts().values())
    progress("syncing", 0, report.pending_before)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox") as worker:
        recorder = _Recorder(store, worker, report)
        try:
            upcoming = worker.submit(_read_page, store, "", options)
            while (page := upcoming.result()).items or page.broken:
                # Read ahead while Elasticsearch works on this page.
                upcoming = worker.submit(_read_page, store, page.last_id, options)
                _send_page(client, settings, page, recorder, options)
                progress("syncing", report.done + report.failed, report.pending_before)
        finally:
            recorder.flush()
    if report.done:
        # A sync is what people wait for after "Nu crawlen": make its changes searchable
        # now rather than at the next scheduled refresh (one cheap call per sync).
        _refresh(client, report.index)
    report.seconds = time.monotonic() - started
    return report


def _refresh(client: Elasticsearch, index: str) -> None:
    try:
        client.indices.refresh(index=index)
    except (ConnectionError, ConnectionTimeout, ESTransportError, ApiError) as exc:
        # The documents are stored and acknowledged; visibility follows the next refresh.
        log.warning("refresh after sync failed (documents become visible later): %s", exc)


def _read_page(store: DocumentStore, after: str, options: BulkOptions) -> _Page:
    rows = store.outbox_pending(limit=options.page_size, after=after)
    items: dict[str, OutboxItem] = {}
    actions: list[Action] = []
    broken: list[tuple[str, int, str]] = []
    for row in rows:
        if row.op == "delete":
            actions.append(({"delete": {"_id": row.doc_id}}, None))
        elif row.document is not None:
            body = orjson.dumps(to_source(row.document))
            actions.append(({"index": {"_id": row.doc_id}}, body))
        else:
            broken.append((row.doc_id, row.version, "document row missing from the store"))
            continue
        items[row.doc_id] = row
    last_id = rows[-1].doc_id if rows else after
    return _Page(items=items, actions=actions, broken=broken, last_id=last_id)


def _send_page(
    client: Elasticsearch,
    settings: Settings,
    page: _Page,
    recorder: _Recorder,
    options: BulkOptions,
) -> None:
    """Send one page, retrying the unanswered part after connection failures."""
    recorder.record([], page.broken)
    remaining = dict(page.items)
    for attempt in range(options.connection_retries + 1):
        actions = [a for a in page.actions if _action_id(a) in remaining]
        try:
            _stream(client, settings, actions, remaining, recorder, options)
            return
        except (ConnectionError, ConnectionTimeout) as exc:
            if attempt == options.connection_retries:
                raise _down(exc, client, recorder.report, len(remaining)) from exc
            options.sleep(min(options.max_backoff, options.initial_backoff * 2**attempt))
        except (ESTransportError, ApiError) as exc:
            raise es_error(exc, "sync", client=client) from exc


def _down(exc: Exception, client: Elasticsearch, report: SyncReport, left: int) -> IndexingError:
    return IndexingError(
        f"sync stopped: Elasticsearch at {client_url(client)} could not be reached "
        f"({type(exc).__name__}). {report.done} changes were synced; {left} in this batch and "
        "the rest stay queued and are sent by the next `kennisbrug sync`"
    )


def _stream(
    client: Elasticsearch,
    settings: Settings,
    actions: list[Action],
    remaining: dict[str, OutboxItem],
    recorder: _Recorder,
    options: BulkOptions,
) -> None:
    """streaming_bulk over ``actions``; what was answered is recorded even on an exception."""
    acked: list[tuple[str, int]] = []
    failed: list[tuple[str, int, str]] = []
    report = recorder.report
    try:
        for ok, result in helpers.streaming_bulk(
            client.options(request_timeout=options.request_timeout),
            cast(list[Any], actions),
            index=settings.index_alias,
            chunk_size=options.chunk_size,
            max_chunk_bytes=options.max_chunk_bytes,
            expand_action_callback=_expand,
            raise_on_error=False,
            raise_on_exception=False,
            max_retries=options.item_retries,
            initial_backoff=options.initial_backoff,
            max_backoff=options.max_backoff,
            retry_on_status=RETRY_STATUSES,
        ):
            op, info = next(iter(result.items()))
            item = remaining.pop(info["_id"])
            # Deleting what is not there is what we wanted anyway.
            if ok or (op == "delete" and info.get("status") == 404):
                acked.append((item.doc_id, item.version))
                if op == "delete":
                    report.deleted += 1
                else:
                    report.indexed += 1
            else:
                reason = f"{info.get('status')} {describe_item_error(info.get('error'))}"
                failed.append((item.doc_id, item.version, reason))
    finally:
        recorder.record(acked, failed)


def _action_id(action: Action) -> str:
    return str(next(iter(action[0].values()))["_id"])


def _expand(action: Any) -> Any:
    """Actions are already (header, body) pairs; skip the helper's per-key copying."""
    return action
