"""Fetching one URL politely: robots.txt, pacing, retries, redirects, size cap, 304s.

First stage of the crawl: the crawl run hands a URL (plus the validators it stored
last time) to ``Fetcher.fetch`` and gets a ``FetchedPage`` back for extraction, or
one of the ``core.errors`` fetch errors to record in its report:

* ``GoneError``            404 / 410 (``status`` set): a deletion candidate;
* ``TransientFetchError``  timeout, connection error, 5xx, 429/503 after the retries,
                           robots.txt unreachable: try again next run;
* ``BlockedError``         robots.txt disallows, body larger than ``max_bytes``,
                           redirect loop or too many hops, non-http(s) URL;
* ``FetchError``           any other answer (401, 403, 400 ...).

Redirects are followed by hand so that every hop is checked against robots.txt,
paced, counted and recorded. 429 and 503 (and 502/504) are retried after the
server's Retry-After (capped) or an exponential backoff; that wait pauses the whole
host. A plain 500 and timeouts are not retried within the run: they are usually not
momentary, and the next run asks again anyway. Safe to call from several threads.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from core.errors import BlockedError, FetchError, GoneError, TransientFetchError
from crawler.fetched import FetchedPage, FetchStats, media_type
from crawler.politeness import HostPacer, parse_retry_after, retry_wait
from crawler.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules, RobotsState
from crawler.urls import host_of, is_web_url, resolve

__all__ = ["FetchStats", "FetchedPage", "Fetcher"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class _Answer:
    """What one HTTP exchange produced, read inside the host slot."""

    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes


def _is_timeout(exc: requests.RequestException) -> bool:
    # A read timeout while streaming the body surfaces as requests.ConnectionError
    # wrapping urllib3's ReadTimeoutError, not as requests.Timeout.
    return isinstance(exc, requests.Timeout) or any(
        isinstance(arg, urllib3.exceptions.TimeoutError) for arg in exc.args
    )


def _new_session(pool: int) -> requests.Session:
    session = requests.Session()
    # Retries are ours (they must pause the host and honour Retry-After), so none here.
    adapter = HTTPAdapter(pool_connections=8, pool_maxsize=pool, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class Fetcher:
    """Polite HTTP for one crawl: robots.txt, per-host pacing and limits, retries."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 10.0,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        per_host_concurrency: int = 2,
        min_delay: float = 0.0,
        max_retries: int = 3,
        max_retry_after: float = 30.0,
        max_crawl_delay: float = 60.0,
        backoff_base: float = 1.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        respect_robots: bool = True,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("user_agent must identify the crawler")
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.max_retries = max_retries
        self.max_retry_after = max_retry_after
        self.max_crawl_delay = max_crawl_delay
        self.backoff_base = backoff_base
        self.respect_robots = respect_robots
        self._owns_session = session is None
        self._session = session or _new_session(max(10, per_host_concurrency * 4))
        self._clock = clock
        self._jitter = jitter
        self.pacer = HostPacer(
            concurrency=per_host_concurrency, min_delay=min_delay, sleep=sleep, clock=clock
        )
        self.robots = RobotsCache(user_agent, self._download_robots, clock=clock)
        self.stats = FetchStats()

    @classmethod
    def from_profile(cls, politeness: object, user_agent: str, **overrides: Any) -> Fetcher:
        """Build from a profile's politeness settings (any object with these attributes:
        ``min_delay``/``delay``, ``concurrency``/``per_host_concurrency``, ``timeout``,
        ``max_bytes``, ``max_redirects``, ``max_retries``, ``max_retry_after``,
        ``respect_robots``; missing ones keep the defaults)."""
        aliases = {"delay": "min_delay", "concurrency": "per_host_concurrency"}
        names = (
            "min_delay", "per_host_concurrency", "timeout", "max_bytes", "max_redirects",
            "max_retries", "max_retry_after", "respect_robots", *aliases,
        )  # fmt: skip
        kwargs: dict[str, Any] = {}
        for name in names:
            value = getattr(politeness, name, None)
            if value is not None:
                kwargs.setdefault(aliases.get(name, name), value)
        kwargs.update(overrides)
        return cls(user_agent=user_agent, **kwargs)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    # -- robots.txt ---------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """May we fetch ``url`` per its robots.txt? (False while robots.txt is unreachable.)"""
        if not is_web_url(url):
            return False
        if not self.respect_robots:
            return True
        return self._robots_rules(url).allows(url, self.robots.agent)

    def _robots_rules(self, url: str) -> RobotsRules:
        rules = self.robots.rules_for(url)
        delay = rules.crawl_delay(self.robots.agent)
        if delay is not None:
            self.pacer.set_crawl_delay(host_of(url), min(delay, self.max_crawl_delay))
        return rules

    def _check_robots(self, url: str) -> None:
        if not self.respect_robots:
            return
        rules = self._robots_rules(url)
        if rules.state is RobotsState.UNREACHABLE:
            raise TransientFetchError(
                f"robots.txt unreachable ({rules.reason}); not fetching for now", url=url
            )
        if not rules.allows(url, self.robots.agent):
            self.stats.add(blocked=1)
            raise BlockedError("disallowed by robots.txt", url=url)

    def _download_robots(self, url: str) -> tuple[int, bytes]:
        with self.pacer.slot(host_of(url)):
            self.stats.add(requests=1, robots_requests=1)
            response = self._session.get(
                url, headers=self._headers(), timeout=self.timeout, stream=True
            )
            with response:
                body = response.raw.read(ROBOTS_MAX_BYTES, decode_content=True)
        self.stats.add_status(response.status_code)
        return response.status_code, body or b""

    # -- pages --------------------------------------------------------------------

    def _headers(self, etag: str | None = None, last_modified: str | None = None) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        """GET ``url`` (conditionally when validators are given), following redirects."""
        started = self._clock()
        headers = self._headers(etag, last_modified)
        chain = [url]
        while True:
            current = chain[-1]
            if not is_web_url(current):
                self.stats.add(blocked=1)
                raise BlockedError(f"not an http(s) URL: {current}", url=url)
            self._check_robots(current)
            answer = self._exchange_with_retries(current, headers)
            location = answer.headers.get("Location")
            if answer.status in REDIRECT_STATUSES and location:
                self.stats.add(redirects=1)
                chain.append(self._next_hop(url, chain, resolve(current, location)))
                continue
            return self._page(url, chain, answer, started, etag, last_modified)

    def _next_hop(self, url: str, chain: list[str], target: str) -> str:
        # A loop is the same URL twice in one chain; exact strings, because canonical
        # forms would call "/thema" -> "/thema/" a loop when it is a normal redirect.
        if target in chain:
            self.stats.add(blocked=1)
            raise BlockedError(f"redirect loop: {' -> '.join([*chain, target])}", url=url)
        if len(chain) > self.max_redirects:
            self.stats.add(blocked=1)
            raise BlockedError(f"more than {self.max_redirects} redirects", url=url)
        return target

    def _page(
        self,
        url: str,
        chain: list[str],
        answer: _Answer,
        started: float,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchedPage:
        status = answer.status
        if status in GONE_STATUSES:
            raise GoneError(f"HTTP {status}", url=url, status=status)
        if status in RETRY_STATUSES or status >= 500:
            raise TransientFetchError(f"HTTP {status}", url=url, status=status)
        if status != 304 and not 200 <= status < 300:
            raise FetchError(f"HTTP {status}", url=url, status=status)
        if status == 304:
            self.stats.add(not_modified=1)
        content_type, charset = media_type(answer.headers.get("Content-Type"))
        return FetchedPage(
            url=chain[-1],
            requested_url=url,
            status=status,
            content=answer.body if status != 304 else b"",
            content_type=content_type,
            charset=charset,
            etag=answer.headers.get("ETag") or (etag if status == 304 else None),
            last_modified=answer.headers.get("Last-Modified")
            or (last_modified if status == 304 else None),
            redirects=tuple(chain[1:]),
            elapsed=self._clock() - started,
        )

    def _exchange_with_retries(self, url: str, headers: dict[str, str]) -> _Answer:
        host = host_of(url)
        attempt = 0
        while True:
            answer = self._exchange(url, headers)
            if answer.status not in RETRY_STATUSES or attempt >= self.max_retries:
                return answer
            wait = retry_wait(
                attempt,
                retry_after=parse_retry_after(answer.headers.get("Retry-After")),
                base=self.backoff_base,
                cap=self.max_retry_after,
                jitter=self._jitter(),
            )
            # Pausing the host (not just sleeping here) keeps the other threads away too.
            self.pacer.pause(host, wait)
            self.stats.add(retries=1)
            attempt += 1

    def _exchange(self, url: str, headers: dict[str, str]) -> _Answer:
        with self.pacer.slot(host_of(url)):
            self.stats.add(requests=1)
            started = self._clock()
            try:
                response = self._session.get(
                    url, headers=headers, timeout=self.timeout, stream=True, allow_redirects=False
                )
                with response:
                    body = self._read_body(url, response, started)
            except requests.RequestException as exc:
                if _is_timeout(exc):
                    self.stats.add(timeouts=1)
                    raise TransientFetchError(f"timed out after {self.timeout}s", url=url) from exc
                raise TransientFetchError(f"{type(exc).__name__}: {exc}", url=url) from exc
        self.stats.add_status(response.status_code)
        self.stats.add(bytes=len(body))
        return _Answer(response.status_code, response.headers, body)

    def _read_body(self, url: str, response: requests.Response, started: float) -> bytes:
        """The body of a 2xx (capped), a little of anything else so the connection is reused."""
        if not 200 <= response.status_code < 300:
            # Small error and redirect bodies are drained to keep the connection alive;
            # large ones are dropped with the connection.
            for _ in zip(range(1), response.iter_content(_CHUNK), strict=False):
                pass
            return b""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            self.stats.add(blocked=1)
            raise BlockedError(
                f"body of {declared} bytes exceeds the cap of {self.max_bytes}", url=url
            )
        chunks: list[bytes] = []
        size = 0
        # The read timeout is per chunk; a page trickling in forever hits this deadline.
        deadline = started + 3 * self.timeout
        for chunk in response.iter_content(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                self.stats.add(blocked=1)
                raise BlockedError(f"body exceeds the cap of {self.max_bytes} bytes", url=url)
            if self._clock() > deadline:
                raise TransientFetchError(f"body still arriving after {3 * self.timeout}s", url=url)
            chunks.append(chunk)
        return b"".join(chunks)
