"""Per-host pacing: how often and how many at once we may ask one web server.

Used by crawler.fetch around every HTTP request (pages, redirects hops, robots.txt).
The crawl run calls the fetcher from a thread pool, so this is the one place that
makes the threads polite together:

* at most ``concurrency`` requests in flight per host (a semaphore per host);
* a request to one host starts at least ``delay`` seconds after the previous one
  started *and* after the previous one finished, where the delay is the larger of
  the profile's minimum and the host's robots.txt Crawl-delay;
* ``pause(host, seconds)`` (after a 429/503 with Retry-After) holds back every
  thread's next request to that host, not only the one that was told to wait.

Clock and sleep are injected so that unit tests need no real waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass
class _HostState:
    slots: threading.BoundedSemaphore
    delay: float
    next_start: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    waited: float = 0.0


@dataclass
class HostPacer:
    """Spaces and bounds requests per host; thread-safe."""

    concurrency: int = 2
    min_delay: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _hosts: dict[str, _HostState] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {self.concurrency}")
        if self.min_delay < 0:
            raise ValueError(f"min_delay must be >= 0, got {self.min_delay}")

    def _state(self, host: str) -> _HostState:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = _HostState(threading.BoundedSemaphore(self.concurrency), self.min_delay)
                self._hosts[host] = state
            return state

    def set_crawl_delay(self, host: str, crawl_delay: float | None) -> None:
        """Apply a robots.txt Crawl-delay; the profile minimum still wins when larger."""
        state = self._state(host)
        with self._lock:
            new = max(self.min_delay, crawl_delay or 0.0)
            # The request that fetched robots.txt was paced with the old delay; stretch
            # its reservation so the first page also keeps the new distance.
            state.next_start += max(0.0, new - state.delay)
            state.delay = new

    def delay_for(self, host: str) -> float:
        return self._state(host).delay

    def pause(self, host: str, seconds: float) -> None:
        """No request to ``host`` starts within the next ``seconds`` (Retry-After)."""
        state = self._state(host)
        with self._lock:
            state.next_start = max(state.next_start, self.clock() + max(0.0, seconds))

    def _wait_turn(self, state: _HostState) -> None:
        # Re-check after every sleep: another thread may have taken the turn, or a
        # Retry-After pause may have pushed the next start further out meanwhile.
        while True:
            with self._lock:
                now = self.clock()
                wait = state.next_start - now
                if wait <= 0:
                    state.next_start = now + state.delay
                    return
                state.waited += wait
            self.sleep(wait)

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's request slots, started no earlier than its pace allows."""
        state = self._state(host)
        state.slots.acquire()
        try:
            self._wait_turn(state)
            with self._lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                yield
            finally:
                with self._lock:
                    state.in_flight -= 1
                    # Also count the delay from the *end* of a request: a slow answer
                    # must not let the next request follow it at once (the server sees
                    # arrivals, and connection setup shifts them by milliseconds).
                    state.next_start = max(state.next_start, self.clock() + state.delay)
        finally:
            state.slots.release()

    def max_in_flight(self, host: str) -> int:
        """Highest number of simultaneous requests seen for ``host`` (for reports and tests)."""
        return self._state(host).max_in_flight


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent/bad."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def retry_wait(
    attempt: int,
    *,
    retry_after: float | None,
    base: float,
    cap: float,
    jitter: float,
) -> float:
    """Wait before retry number ``attempt`` (0-based): exponential backoff, at least the
    server's Retry-After, at most ``cap``, plus ``jitter`` (0..1) of half a base step so
    that threads told to wait together do not all come back in the same instant."""
    backoff = base * (2**attempt)
    wait = min(cap, max(backoff, retry_after or 0.0))
    return float(wait + jitter * base / 2)
