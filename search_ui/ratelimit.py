"""A generous per-address limit on anonymous searches (``Settings.search_rate_per_minute``).

A token bucket per client address, in the memory of each web process: checking it
costs a dict lookup on the search hot path, where a database round trip would cost
more than the search. Each process enforces the limit on its own (so N processes
allow up to N times the rate in total), which is acceptable for a flood brake;
signed-in users and API tokens are not limited. The sign-in limits, which must hold
across processes, live in the database instead (``core.accounts``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from core.errors import KennisbrugError

#: Buckets kept at most; idle ones are forgotten first when there are more.
MAX_ADDRESSES = 50_000


class SearchRateLimitedError(KennisbrugError):
    """Too many anonymous searches from one address; try again in ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many searches; retry after {retry_after} s")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str) -> None:
        """Take one search from ``address``'s bucket, or raise SearchRateLimitedError."""
        if self.capacity <= 0:
            return
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

    def _forget_idle(self, now: float) -> None:
        full_after = self.capacity / self.refill
        for key in [k for k, (_, last) in self._buckets.items() if now - last > full_after]:
            del self._buckets[key]
        while len(self._buckets) > MAX_ADDRESSES:
            self._buckets.pop(next(iter(self._buckets)))
