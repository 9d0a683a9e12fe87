"""A generous per-address limit on anonymous searches (``Settings.search_rate_per_minute``),
shared by every web process through the state database, with no database work on the
request path.

On the request path (``RateLimiter.check``) only memory is touched: the process's own
token bucket per address, the addresses the last flush found over the limit across all
processes, and the totals it read for the addresses it is seeing. A background thread
(``SharedCounts``), about once a second while searches arrive, adds the searches this
process admitted to ``core.search_rate`` (one upsert) and reads back the last minute's
totals over all processes.

The bound: the shared view is at most one flush old (``flush_seconds`` plus one round
trip). Between flushes each process admits on its own what its bucket and the last
known total allow, so an address can exceed the limit by what the *other* processes
admitted for it since the last flush: at a steady rate r, at most (N-1) x r x
flush_seconds; a burst faster than one flush, at most (N-1) x the limit in the worst
case (each process's bucket holds one minute's allowance). After that flush it is
refused everywhere until its last minute's total falls under the limit. When the
database is unreachable each process still enforces the limit alone (at most N times
the rate), and search never waits for the database. Signed-in users and API tokens are
not limited. The sign-in limits, which must hold exactly, live in the database
(``core.accounts``).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine

from core import search_rate
from core.errors import KennisbrugError, StoreError

log = logging.getLogger(__name__)

#: Buckets kept at most; idle ones are forgotten first when there are more.
MAX_ADDRESSES = 50_000


class SearchRateLimitedError(KennisbrugError):
    """Too many anonymous searches from one address; try again in ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many searches; retry after {retry_after} s")
        self.retry_after = retry_after


class SharedCounts:
    """This process's side of the shared count: admitted searches waiting to be added,
    and what the last flush read back. ``note``/``over_limit`` touch memory only.

    The thread starts with the first search and keeps flushing every ``flush_seconds``
    while searches arrived in the last minute (an idle process does not poll).
    """

    def __init__(
        self,
        engine: Engine,
        per_minute: int,
        *,
        flush_seconds: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.limit = per_minute
        self.flush_seconds = flush_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._flushing = threading.Lock()  # one flush at a time (the thread, close, tests)
        self._pending: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}  # taken by the running flush, not yet read back
        self._totals = search_rate.Totals(searches={}, oldest={})
        self._seen: dict[str, float] = {}  # address -> last search (clock), last minute
        self._last_search = -math.inf
        self._last_cleanup = -math.inf
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def over_limit(self, address: str) -> int | None:
        """Seconds until ``address`` may search again if all processes together used its
        last minute's allowance (as far as this process knows), else None."""
        now = self.clock()
        with self._lock:
            self._active(now)  # a refused client keeps the totals fresh, so its refusal ends
            known = self._totals.searches.get(address, 0)
            mine = self._pending.get(address, 0) + self._in_flight.get(address, 0)
            oldest = self._totals.oldest.get(address)
        if known + mine < self.limit:
            return None
        if oldest is None:  # over on this process's unflushed searches alone
            return search_rate.WINDOW_SECONDS
        frees_at = oldest + search_rate.SPAN_WINDOWS * search_rate.WINDOW_SECONDS
        return max(1, math.ceil(frees_at - now))

    def note(self, address: str) -> None:
        """Count one admitted search of ``address`` (added to the table at the next flush)."""
        now = self.clock()
        with self._lock:
            self._pending[address] = self._pending.get(address, 0) + 1
            self._seen[address] = now
            self._active(now)

    def _active(self, now: float) -> None:
        """Searches are arriving: (re)start the flush thread if it is not running.
        Called with the lock held."""
        self._last_search = now
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-rate-flush", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop the thread after one last flush (the app's shutdown)."""
        self._stopping.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.wait(self.flush_seconds):
            if self.clock() - self._last_search > 60:
                with self._lock:  # idle: stop; the next search starts a new thread
                    if self.clock() - self._last_search > 60:
                        self._thread = None
                        # Totals a minute old say nothing about the next minute.
                        self._totals = search_rate.Totals(searches={}, oldest={})
                        return
            self.flush()
        self.flush()

    def flush(self) -> None:
        """Add what was admitted since the last flush, read back the shared totals."""
        with self._flushing:
            self._flush()

    def _flush(self) -> None:
        now = self.clock()
        with self._lock:
            self._in_flight, self._pending = self._pending, {}
            self._seen = {a: t for a, t in self._seen.items() if now - t <= 60}
            tracked = list(self._seen)
        try:
            totals = search_rate.add_and_read(
                self.engine, self._in_flight, now=now, limit=self.limit, tracked=tracked
            )
            if now - self._last_cleanup > 60:
                search_rate.forget_old(self.engine, now=now)
                self._last_cleanup = now
        except StoreError as exc:
            # These counts are not shared, and stale totals would refuse for too long:
            # until the database answers again each process limits alone (its buckets).
            log.warning("shared search limit not updated (this process limits alone): %s", exc)
            with self._lock:
                self._in_flight = {}
                self._totals = search_rate.Totals(searches={}, oldest={})
            return
        with self._lock:
            self._totals = totals
            self._in_flight = {}


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedCounts | None = None,
    ) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self.clock = clock
        self.shared = shared
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str) -> None:
        """Take one search from ``address``'s bucket, or raise SearchRateLimitedError."""
        if self.capacity <= 0:
            return
        if self.shared is not None:
            wait = self.shared.over_limit(address)
            if wait is not None:
                raise SearchRateLimitedError(wait)
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill)
            if tokens < 1.0:
                self._buckets[address] = (tokens, now)
                raise SearchRateLimitedError(max(1, math.ceil((1.0 - tokens) / self.refill)))
            self._buckets[address] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_ADDRESSES:
                self._forget_idle(now)
        if self.shared is not None:
            self.shared.note(address)

    def _forget_idle(self, now: float) -> None:
        full_after = self.capacity / self.refill
        for key in [k for k, (_, last) in self._buckets.items() if now - last > full_after]:
            del self._buckets[key]
        while len(self._buckets) > MAX_ADDRESSES:
            self._buckets.pop(next(iter(self._buckets)))
