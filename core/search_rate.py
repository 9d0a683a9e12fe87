"""Anonymous searches per client address, counted across every web process.

Each web process keeps its own token buckets in memory (``search_ui.ratelimit``) and,
from a background thread about once a second, adds the searches it admitted to this
table and reads back what all processes together admitted in the last minute. Counts
live in windows of ``WINDOW_SECONDS``; a window older than a minute counts for nothing
and is deleted. Plain SQL that SQLite and PostgreSQL both run: one upsert
(``INSERT ... ON CONFLICT DO UPDATE``) and one grouped read per flush.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Column, Engine, Index, Integer, String, Table, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from core.db import metadata, reading, writing

#: Width of one counting window; the limit is checked over the last SPAN_WINDOWS of them.
WINDOW_SECONDS: Final = 10
SPAN_WINDOWS: Final = 6  # 6 x 10 s = the last minute (the current window included)
#: Rows per upsert statement (three parameters each; SQLite allows 32,766 per statement).
MAX_ROWS_PER_STATEMENT: Final = 5_000
#: Addresses whose totals are read back by name; beyond this only those over the limit.
MAX_TRACKED: Final = 2_000

search_rate_counts = Table(
    "search_rate_counts",
    metadata,
    Column("address", String(64), primary_key=True),
    Column("window_start", Integer, primary_key=True),  # Unix seconds, a WINDOW_SECONDS multiple
    Column("searches", Integer, nullable=False),
)
Index("ix_search_rate_counts_window", search_rate_counts.c.window_start)


@dataclass(frozen=True, kw_only=True)
class Totals:
    """What every process admitted in the last minute, as of one flush."""

    searches: dict[str, int]  # per address: the tracked ones and every one over the limit
    oldest: dict[str, int]  # per address: start of its oldest window still counted


def window_of(now: float) -> int:
    return int(now // WINDOW_SECONDS) * WINDOW_SECONDS


def first_counted_window(now: float) -> int:
    return window_of(now) - (SPAN_WINDOWS - 1) * WINDOW_SECONDS


def _insert(engine: Engine) -> Any:
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(search_rate_counts)


def add_and_read(
    engine: Engine,
    admitted: Mapping[str, int],
    *,
    now: float,
    limit: int,
    tracked: Collection[str] = (),
) -> Totals:
    """Add ``admitted`` (searches per address since the last flush) to the current
    window, then read the last minute's totals of ``tracked`` addresses and of every
    address at or over ``limit``. Raises ``StoreError`` when the database is unreachable.
    """
    window = window_of(now)
    rows = [{"address": a, "window_start": window, "searches": n} for a, n in admitted.items()]
    table = search_rate_counts
    if rows:
        with writing(engine) as conn:
            for start in range(0, len(rows), MAX_ROWS_PER_STATEMENT):
                statement = _insert(engine).values(rows[start : start + MAX_ROWS_PER_STATEMENT])
                conn.execute(
                    statement.on_conflict_do_update(
                        index_elements=[table.c.address, table.c.window_start],
                        set_={"searches": table.c.searches + statement.excluded.searches},
                    )
                )
    names = list(tracked)[:MAX_TRACKED]
    total = func.sum(table.c.searches)
    having = total >= limit
    if names:
        having = or_(having, table.c.address.in_(names))
    query = (
        select(table.c.address, total, func.min(table.c.window_start))
        .where(table.c.window_start >= first_counted_window(now))
        .group_by(table.c.address)
        .having(having)
    )
    with reading(engine) as conn:
        found: list[Any] = list(conn.execute(query).all())
    return Totals(
        searches={str(a): int(n) for a, n, _ in found},
        oldest={str(a): int(w) for a, _, w in found},
    )


def forget_old(engine: Engine, *, now: float) -> int:
    """Delete the windows that no longer count; returns how many rows went."""
    with writing(engine) as conn:
        result = conn.execute(
            delete(search_rate_counts).where(
                search_rate_counts.c.window_start < first_counted_window(now)
            )
        )
    return int(result.rowcount or 0)
