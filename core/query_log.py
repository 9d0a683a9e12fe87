"""The query log: what staff searched for, so editors see what they cannot find.

The search UI records one row per search (``record_query``); the admin "search
insight" page reads the top queries and the zero-result queries of the last days.
Only the normalised query text, the hit count and the filters are kept: no user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select

from core.account_tables import query_log
from core.db import reading, writing
from core.store import utcnow


@dataclass(frozen=True, kw_only=True)
class QueryStat:
    q: str
    count: int
    hits: int  # the most hits any of these searches got


def normalise(q: str) -> str:
    return " ".join(q.split()).lower()[:200]


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
            insert(query_log).values(at=clock(), q=text, hits=int(hits), filters=filters or {})
        )


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
