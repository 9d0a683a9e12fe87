"""The shared search count (core.search_rate) on SQLite and PostgreSQL: one upsert adds
to what other processes added, the read-back sums the last minute, old windows go."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from core.db import make_engine
from core.search_rate import WINDOW_SECONDS, add_and_read, forget_old, search_rate_counts
from search_ui.ratelimit import RateLimiter, SearchRateLimitedError, SharedCounts

NOW = 1_800_000_005.0  # 5 s into a window


def test_counts_add_up_across_flushes_and_old_windows_go(db_url: str) -> None:
    engine = make_engine(db_url)
    add_and_read(engine, {"192.0.2.1": 4, "192.0.2.2": 1}, now=NOW, limit=10)
    # Another process, the same window: added to the same row (an upsert, not a second row).
    totals = add_and_read(engine, {"192.0.2.1": 3}, now=NOW + 1, limit=10, tracked=["192.0.2.1"])
    assert totals.searches == {"192.0.2.1": 7}  # tracked; .2 is neither tracked nor over
    # 30 s later: a new window; the minute's total spans both.
    totals = add_and_read(engine, {"192.0.2.1": 3}, now=NOW + 30, limit=10)
    assert totals.searches == {"192.0.2.1": 10}  # over the limit: read back untracked
    assert totals.oldest == {"192.0.2.1": int(NOW // WINDOW_SECONDS) * WINDOW_SECONDS}
    # A minute after the first window it no longer counts, and retention deletes it.
    later = NOW + 60
    assert add_and_read(engine, {}, now=later, limit=1, tracked=["192.0.2.1"]).searches == {
        "192.0.2.1": 3
    }
    assert forget_old(engine, now=later) == 2
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(search_rate_counts)).scalar() == 1


def test_a_process_refuses_what_the_others_used(db_url: str) -> None:
    engine = make_engine(db_url)
    clock = [NOW]
    # Another process already admitted 5 searches from this address in this minute.
    add_and_read(engine, {"198.51.100.7": 5}, now=NOW, limit=6)
    shared = SharedCounts(engine, 6, clock=lambda: clock[0])
    limiter = RateLimiter(6, shared=shared, clock=lambda: clock[0])
    limiter.check("198.51.100.7")  # its own bucket is full: admitted, counted
    shared.flush()  # (the background thread's job; called here to be deterministic)
    try:
        limiter.check("198.51.100.7")
    except SearchRateLimitedError as exc:
        assert 1 <= exc.retry_after <= 60
    else:
        raise AssertionError("the sixth search of the minute was admitted")
    limiter.check("198.51.100.8")  # another address is not affected
    # A minute later the windows no longer count: the next flush ends the refusal.
    clock[0] += 61
    shared.flush()
    limiter.check("198.51.100.7")
    shared.close()


def test_an_unreachable_database_leaves_each_process_its_own_limit(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    engine = create_engine(f"postgresql+psycopg://kennisbrug:x@127.0.0.1:{closed}/kennisbrug")
    clock = [NOW]
    shared = SharedCounts(engine, 3, clock=lambda: clock[0])
    limiter = RateLimiter(3, shared=shared, clock=lambda: clock[0])
    for _ in range(3):
        limiter.check("203.0.113.9")
    shared.flush()  # refused connection: logged, nothing raised
    with pytest.raises(SearchRateLimitedError):
        limiter.check("203.0.113.9")  # the process's own bucket still limits
    clock[0] += 61  # the bucket refills; unshared counts do not pile up into a refusal
    shared.flush()
    limiter.check("203.0.113.9")
    shared.close()
    engine.dispose()
