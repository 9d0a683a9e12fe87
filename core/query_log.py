"""The query log: what staff searched for, so editors see what they cannot find.

The search UI hands each search typed by a person to a ``QueryLogWriter``, which
writes them in batches from a background thread (never on the request path, and
one short transaction per batch instead of one per search); the admin "search
insight" page reads the top queries and the zero-result queries of the last days.
Only the normalised query text, the hit count and the chosen filters (capped) are
kept, never who searched. Rows older than the retention period, and the oldest
beyond a row cap, are pruned by the same thread.
"""

from __future__ import annotations

import atexit
import logging
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from core.account_tables import query_log
from core.db import reading, writing
from core.errors import StoreError
from core.store import utcnow


@dataclass(frozen=True, kw_only=True)
class QueryStat:
    q: str
    count: int
    hits: int  # the most hits any of these searches got


log = logging.getLogger(__name__)
#: Filters kept per row: at most this many values per facet, each this long.
MAX_FILTER_VALUES = 5
MAX_FILTER_CHARS = 60


def normalise(q: str) -> str:
    return " ".join(q.split()).lower()[:200]


def capped_filters(filters: dict[str, Any] | None) -> dict[str, list[str]]:
    """The chosen filters, small: a few short values per facet (a row stays ~1 KB at most)."""
    kept: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if values:
            kept[str(name)[:20]] = [
                str(v)[:MAX_FILTER_CHARS] for v in list(values)[:MAX_FILTER_VALUES]
            ]
    return kept


def _engine(store_or_engine: Any) -> Engine:
    engine: Engine = getattr(store_or_engine, "engine", store_or_engine)
    return engine


def record_query(
    store_or_engine: Any,
    q: str,
    hits: int,
    filters: dict[str, Any] | None = None,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Log one search; empty queries (browsing by filter) are not logged."""
    text = normalise(q)
    if not text:
        return
    engine = _engine(store_or_engine)
    with writing(engine) as conn:
        conn.execute(
            insert(query_log).values(
                at=clock(), q=text, hits=int(hits), filters=capped_filters(filters)
            )
        )


def prune(
    store_or_engine: Any, *, days: int, max_rows: int, clock: Callable[[], datetime] = utcnow
) -> int:
    """Delete rows older than ``days`` and the oldest beyond ``max_rows``; returns how many."""
    engine = _engine(store_or_engine)
    with writing(engine) as conn:
        removed = conn.execute(
            delete(query_log).where(query_log.c.at < clock() - timedelta(days=days))
        ).rowcount
        newest = conn.execute(select(func.max(query_log.c.id))).scalar()
        if newest is not None and max_rows > 0:
            removed += conn.execute(
                delete(query_log).where(query_log.c.id <= int(newest) - max_rows)
            ).rowcount
    return int(removed or 0)


class QueryLogWriter:
    """Collects searches in memory and writes them in batches on a background thread.

    ``submit`` never blocks and never touches the database: when the buffer is full
    (the database is unreachable for a long time) further searches are dropped and
    counted in ``dropped``, since search must not slow down for its statistics.
    The thread starts on the first ``submit``; ``close`` writes what is left.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        days: int = 90,
        max_rows: int = 1_000_000,
        flush_seconds: float = 2.0,
        linger: float = 0.5,
        batch: int = 500,
        buffer: int = 10_000,
        prune_seconds: float = 600.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.days, self.max_rows = days, max_rows
        self.flush_seconds, self.batch, self.prune_seconds = flush_seconds, batch, prune_seconds
        self.linger = linger
        self.clock = clock
        self.dropped = 0
        self.written = 0
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=buffer)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._flushed = threading.Condition()
        self._last_prune = -math.inf

    def submit(self, q: str, hits: int, filters: dict[str, Any] | None = None) -> None:
        text = normalise(q)
        if not text:
            return
        row = {"at": self.clock(), "q": text, "hits": int(hits), "filters": capped_filters(filters)}
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self.dropped += 1
            return
        if self._thread is None:
            self._start()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="query-log-writer", daemon=True
                )
                self._thread.start()
                atexit.register(self.close)

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything submitted so far is written (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            with self._flushed:
                self._flushed.wait(0.05)

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.flush_seconds)
            except queue.Empty:
                self._maybe_prune()
                continue
            if first is not None:
                time.sleep(self.linger)  # let a batch gather: one transaction, many rows
            taken, rows, stopping = 1, [] if first is None else [first], first is None
            while not stopping and len(rows) < self.batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                taken += 1
                if more is None:
                    stopping = True
                else:
                    rows.append(more)
            self._write(rows)
            self._maybe_prune()
            self._done(taken)
            if stopping:
                return

    def _write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        try:
            with writing(self.engine) as conn:
                conn.execute(insert(query_log), rows)
            self.written += len(rows)
        except (SQLAlchemyError, StoreError) as exc:
            log.warning("query log: %d searches not recorded: %s", len(rows), exc)

    def _done(self, count: int) -> None:
        for _ in range(count):
            self._queue.task_done()
        with self._flushed:
            self._flushed.notify_all()

    def _maybe_prune(self) -> None:
        now = time.monotonic()
        if now - self._last_prune < self.prune_seconds:
            return
        self._last_prune = now
        try:
            prune(self.engine, days=self.days, max_rows=self.max_rows, clock=self.clock)
        except (SQLAlchemyError, StoreError) as exc:
            log.warning("query log: pruning failed: %s", exc)


def top_queries(
    store_or_engine: Any,
    *,
    days: int = 30,
    limit: int = 20,
    zero_only: bool = False,
    clock: Callable[[], datetime] = utcnow,
) -> list[QueryStat]:
    """Most frequent queries since ``days`` ago; with ``zero_only`` those that found nothing."""
    engine = _engine(store_or_engine)
    since = clock() - timedelta(days=days)
    count = func.count().label("n")
    query = (
        select(query_log.c.q, count, func.max(query_log.c.hits))
        .where(query_log.c.at >= since)
        .group_by(query_log.c.q)
        .order_by(count.desc(), query_log.c.q)
        .limit(limit)
    )
    if zero_only:
        query = query.where(query_log.c.hits == 0)
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [QueryStat(q=str(r[0]), count=int(r[1]), hits=int(r[2])) for r in rows]
