"""Fetching one URL politely: robots.txt, pacing, retries, redirects, size cap, 304s.

First stage of the crawl: the crawl run hands a URL (plus the validators it stored
last time) to ``Fetcher.fetch`` and gets a ``FetchedPage`` back for extraction, or
one of the ``core.errors`` fetch errors to record in its report:

* ``GoneError``            404 / 410 (``status`` set): a deletion candidate;
* ``TransientFetchError``  timeout, connection error, 5xx, 429/503 after the retries,
                           robots.txt unreachable: try again next run;
* ``SkippedError``         our own rule, nothing wrong with the site (``kind``):
                           ``robots`` (disallowed), ``off_scope`` (a redirect leaves the
                           caller's scope), ``content_type`` (not a document, decided
                           from the headers and the first bytes before the body is
                           read), ``host_deferred`` / ``host_given_up`` (see below);
* ``BlockedError``         body larger than ``max_bytes``, redirect loop or too many
                           hops, non-http(s) URL;
* ``FetchError``           any other answer (401, 403, 400 ...).

Redirects are followed by hand so that every hop is checked against the caller's
scope and robots.txt *before* it is requested, paced, counted and recorded. 429 and
503 (and 502/504) are retried after the server's Retry-After or an exponential
backoff; that wait pauses the whole host. A Retry-After longer than
``max_retry_after`` is not waited out and not retried: the host is *deferred* for the
rest of this fetcher's life (one run). ``max_host_failures`` failed exchanges in a row
(5xx, 429, timeouts, refused connections) *give the host up* for the run. Either way
no further request goes to that host, and ``host_trouble()`` tells the run, which
then counts as partial. A plain 500 and timeouts are not retried within the run:
they are usually not momentary, and the next run asks again anyway. The body
deadline (3 × timeout) holds for every transfer mode: the body is read with
``read1``, so a trickle returns control after each packet. Safe to call from several
threads.

Page requests go straight to urllib3's connection pools (one exchange each, no
redirects, no retries, no cookies: this module does all of that itself); requests'
session layer around the same pools cost more than half of the client CPU of a 304
(bench/README.md, Crawl). robots.txt, fetched once per host, still goes through a
requests session, which follows its redirects. Proxies come from the environment as
requests would read them (per origin, NO_PROXY honoured).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import certifi
import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.utils import default_headers, select_proxy

from core import reasons
from core.errors import BlockedError, FetchError, GoneError, SkippedError, TransientFetchError
from crawler.fetched import FetchedPage, FetchStats, media_type, robots_directives
from crawler.network import is_timeout, network_reason
from crawler.politeness import HostPacer, parse_retry_after, retry_wait
from crawler.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsRules, RobotsState, robots_url
from crawler.urls import host_of, is_web_url, resolve

__all__ = ["FetchStats", "FetchedPage", "Fetcher"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
GONE_STATUSES = frozenset({404, 410})
_CHUNK = 64 * 1024
_SNIFF = 1024

#: Media types whose body a page fetch reads; everything else is skipped unread,
#: except the vague ones below, where the first bytes decide.
DOCUMENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/pdf", "application/x-pdf"}
)
VAGUE_TYPES = frozenset(
    {"", "application/octet-stream", "binary/octet-stream", "application/force-download",
     "application/x-download", "application/download", "application/unknown", "text/plain"}
)  # fmt: skip
# Magic numbers of files that are never pages, whatever the header claims.
_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf",
    b"OggS", b"RIFF", b"\x00\x00\x00", b"\xd0\xcf\x11\xe0",
)  # fmt: skip
_HTML_START = (b"<!doctype", b"<html", b"<head", b"<body", b"<!--", b"<?xml", b"<meta", b"<title")

#: Decides whether a hop may be requested (a source's scope); None allows every URL.
ScopeCheck = Callable[[str], bool]


def sniff(content_type: str, first: bytes) -> str | None:
    """Why a body with this Content-Type and these first bytes is not a document
    (None when it is one: HTML, XHTML or PDF)."""
    if first.startswith(b"%PDF-"):
        return None
    if first.startswith(_BINARY_MAGIC):
        return f"binary content ({first[:4]!r}) served as {content_type or 'no type'}"
    if content_type in DOCUMENT_TYPES:
        return None
    if content_type in VAGUE_TYPES:
        head = first.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith(_HTML_START):
            return None
        return f"{content_type or 'no Content-Type'} that does not look like HTML or PDF"
    return f"not a document type: {content_type}"


@dataclass(frozen=True)
class _Answer:
    """What one HTTP exchange produced, read inside the host slot."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    skipped: str | None = None  # why the body was not read (sniff)


def _ca_bundle() -> str:
    """The CA certificates requests would use: REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE or certifi's."""
    return (
        os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or certifi.where()
    )


class _Pools:
    """urllib3 connection pools for page requests: a direct one and one per proxy."""

    def __init__(self, maxsize: int) -> None:
        bundle = _ca_bundle()
        where = {"ca_cert_dir": bundle} if os.path.isdir(bundle) else {"ca_certs": bundle}
        self._options: dict[str, Any] = {
            "num_pools": 8, "maxsize": maxsize, "block": False, "cert_reqs": "CERT_REQUIRED",
            **where,
        }  # fmt: skip
        self.direct = urllib3.PoolManager(**self._options)
        self._proxied: dict[str, urllib3.PoolManager] = {}
        self._lock = threading.Lock()

    def for_url(self, url: str, proxies: Mapping[str, str]) -> urllib3.PoolManager:
        proxy = select_proxy(url, dict(proxies)) if proxies else None
        if not proxy:
            return self.direct
        with self._lock:
            manager = self._proxied.get(proxy)
            if manager is None:
                manager = urllib3.proxy_from_url(proxy, **self._options)
                self._proxied[proxy] = manager
            return manager

    def clear(self) -> None:
        self.direct.clear()
        with self._lock:
            for manager in self._proxied.values():
                manager.clear()


#: What requests sends besides the User-Agent (Accept-Encoding: what urllib3 decodes).
_DEFAULT_HEADERS = {k: v for k, v in default_headers().items() if k != "User-Agent"}


def _new_session(pool: int) -> requests.Session:
    """The requests session for robots.txt (its redirects are followed by requests)."""
    session = requests.Session()
    # Retries are ours (they must pause the host and honour Retry-After), so none here.
    adapter = HTTPAdapter(pool_connections=8, pool_maxsize=pool, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # With trust_env, requests looks for a ~/.netrc (two stat calls and an import) and
    # re-reads the proxy variables on *every* request: a profiled 8 % of a crawl's CPU.
    # A crawler sends no credentials; proxies and the CA bundle are read from the
    # environment once (per origin for NO_PROXY, see Fetcher._proxies).
    session.trust_env = False
    session.verify = _ca_bundle()
    return session


def _release(response: urllib3.BaseHTTPResponse) -> None:
    """Give the connection back to its pool; one with unread body is closed first."""
    if not response.closed:
        response.close()
    response.release_conn()


@lru_cache(maxsize=1024)
def _environment_proxies(origin: str) -> dict[str, str]:
    """HTTP(S)_PROXY / NO_PROXY for one origin, as requests' trust_env would find them."""
    return dict(requests.utils.get_environ_proxies(origin))


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
        max_host_failures: int = 10,
        backoff_base: float = 1.0,
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
        self.max_host_failures = max_host_failures
        self.backoff_base = backoff_base
        self.respect_robots = respect_robots
        pool = max(10, per_host_concurrency * 4)
        self._session = _new_session(pool)
        self._pools = _Pools(pool)
        self._timeout = urllib3.Timeout(connect=timeout, read=timeout)
        self._clock = clock
        self._jitter = jitter
        self.pacer = HostPacer(
            concurrency=per_host_concurrency, min_delay=min_delay, sleep=sleep, clock=clock
        )
        self.robots = RobotsCache(user_agent, self._download_robots, clock=clock)
        self.stats = FetchStats()
        self._health_lock = threading.Lock()
        self._failures: dict[str, int] = {}  # consecutive failed exchanges per host
        self._trouble: dict[str, tuple[str, reasons.Reason]] = {}  # host -> (kind, reason)

    @classmethod
    def from_profile(cls, politeness: object, user_agent: str, **overrides: Any) -> Fetcher:
        """Build from a profile's politeness settings (any object with these attributes:
        ``min_delay``/``delay``, ``concurrency``/``per_host_concurrency``, ``timeout``,
        ``max_bytes``, ``max_redirects``, ``max_retries``, ``max_retry_after``,
        ``max_host_failures``, ``respect_robots``; missing ones keep the defaults)."""
        aliases = {"delay": "min_delay", "concurrency": "per_host_concurrency"}
        names = (
            "min_delay", "per_host_concurrency", "timeout", "max_bytes", "max_redirects",
            "max_retries", "max_retry_after", "max_host_failures", "respect_robots", *aliases,
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
        self._session.close()
        self._pools.clear()

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
            detail = (
                reasons.reason("robots_status", status=rules.status)
                if rules.status is not None
                else rules.failure or reasons.text(rules.reason)
            )
            code = reasons.reason("robots_unreachable", detail=detail)
            raise TransientFetchError(reasons.describe(code), url=url, code=code)
        if not rules.allows(url, self.robots.agent):
            self.stats.add(skipped=1)
            code = reasons.reason("robots_disallowed")
            raise SkippedError(reasons.describe(code), kind="robots", url=url, code=code)

    def _download_robots(self, url: str) -> tuple[int, bytes]:
        with self.pacer.slot(host_of(url)):
            self.stats.add(requests=1, robots_requests=1)
            response = self._session.get(
                url, headers=self._headers(), timeout=self.timeout, stream=True,
                proxies=self._proxies(url),
            )  # fmt: skip
            with response:
                body = response.raw.read(ROBOTS_MAX_BYTES, decode_content=True)
        self.stats.add_status(response.status_code)
        return response.status_code, body or b""

    # -- host health --------------------------------------------------------------

    def host_trouble(self) -> dict[str, dict[str, Any]]:
        """Hosts deferred or given up in this run:
        {host: {"state": ..., "reason": English text, "detail": the reason as a code}}."""
        with self._health_lock:
            return {
                h: {"state": k, "reason": reasons.describe(d), "detail": d}
                for h, (k, d) in self._trouble.items()
            }

    def _check_host(self, url: str, original: str) -> None:
        with self._health_lock:
            trouble = self._trouble.get(host_of(url))
        if trouble is not None:
            self.stats.add(skipped=1)
            kind, detail = trouble
            raise SkippedError(
                reasons.describe(detail), kind=f"host_{kind}", url=original, code=detail
            )

    def _set_trouble(self, host: str, kind: str, detail: reasons.Reason) -> None:
        with self._health_lock:
            self._trouble.setdefault(host, (kind, detail))

    def _record_health(self, host: str, *, failed: bool) -> None:
        with self._health_lock:
            count = self._failures.get(host, 0) + 1 if failed else 0
            self._failures[host] = count
        if count >= self.max_host_failures:
            self._set_trouble(
                host, "given_up", reasons.reason("host_given_up", host=host, count=count)
            )

    # -- pages --------------------------------------------------------------------

    def _headers(self, etag: str | None = None, last_modified: str | None = None) -> dict[str, str]:
        headers = {**_DEFAULT_HEADERS, "User-Agent": self.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        in_scope: ScopeCheck | None = None,
        any_type: bool = False,
    ) -> FetchedPage:
        """GET ``url`` (conditionally when validators are given), following redirects.

        ``in_scope`` is asked before every hop (the URL itself included) is requested;
        a hop it refuses is not requested (SkippedError ``off_scope``). Unless
        ``any_type`` (sitemaps, feeds), a 2xx body is read only when it is a document.
        """
        started = self._clock()
        headers = self._headers(etag, last_modified)
        chain = [url]
        while True:
            current = chain[-1]
            if not is_web_url(current):
                self.stats.add(blocked=1)
                raise BlockedError(f"not an http(s) URL: {current}", url=url)
            if in_scope is not None and not in_scope(current):
                self.stats.add(skipped=1)
                where = (
                    reasons.reason("redirected_out_of_scope", url=current)
                    if len(chain) > 1
                    else reasons.reason("out_of_scope")
                )
                raise SkippedError(reasons.describe(where), kind="off_scope", url=url, code=where)
            self._check_host(current, url)
            self._check_robots(current)
            answer = self._exchange_with_retries(current, headers, any_type=any_type)
            location = answer.headers.get("Location")
            if answer.status in REDIRECT_STATUSES and location:
                self.stats.add(redirects=1)
                chain.append(self._next_hop(url, chain, resolve(current, location)))
                continue
            if answer.skipped is not None:
                self.stats.add(skipped=1)
                raise SkippedError(answer.skipped, kind="content_type", url=url)
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
            robots=robots_directives(answer.headers.get("X-Robots-Tag"), self.robots.agent),
            agent=self.robots.agent,
        )

    def _exchange_with_retries(
        self, url: str, headers: dict[str, str], *, any_type: bool = False
    ) -> _Answer:
        host = host_of(url)
        attempt = 0
        while True:
            answer = self._exchange(url, headers, any_type=any_type)
            if answer.status not in RETRY_STATUSES or attempt >= self.max_retries:
                return answer
            retry_after = parse_retry_after(answer.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.max_retry_after:
                # "Come back tomorrow": asking again within the run would only hammer it.
                self._set_trouble(
                    host, "deferred",
                    reasons.reason("host_deferred", host=host, seconds=round(retry_after),
                           cap=round(self.max_retry_after)),
                )  # fmt: skip
                return answer
            self._check_host(url, url)  # given up meanwhile (other threads' failures)
            wait = retry_wait(
                attempt,
                retry_after=retry_after,
                base=self.backoff_base,
                cap=self.max_retry_after,
                jitter=self._jitter(),
            )
            # Pausing the host (not just sleeping here) keeps the other threads away too.
            self.pacer.pause(host, wait)
            self.stats.add(retries=1)
            attempt += 1

    def _exchange(self, url: str, headers: dict[str, str], *, any_type: bool = False) -> _Answer:
        host = host_of(url)
        with self.pacer.slot(host):
            self._check_host(url, url)  # waited for the slot while the host was given up
            self.stats.add(requests=1)
            started = self._clock()
            try:
                pools = self._pools.for_url(url, self._proxies(url))
                response = pools.urlopen(
                    "GET", url, headers=headers, timeout=self._timeout, redirect=False,
                    retries=False, preload_content=False, decode_content=False,
                )  # fmt: skip
                try:
                    body, skipped = self._read_body(url, response, started, any_type)
                finally:
                    _release(response)
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                # The body is read from urllib3 directly (read1), so its errors come raw.
                self._record_health(host, failed=True)
                if is_timeout(exc):
                    self.stats.add(timeouts=1)
                    raise TransientFetchError(
                        f"timed out after {self.timeout}s", url=url,
                        code=reasons.reason("fetch_timeout", seconds=self.timeout),
                    ) from exc  # fmt: skip
                raise TransientFetchError(
                    f"{type(exc).__name__}: {exc}", url=url, code=network_reason(exc)
                ) from exc
            except TransientFetchError:
                self._record_health(host, failed=True)
                raise
        status = response.status
        self._record_health(host, failed=status >= 500 or status == 429)
        self.stats.add_status(status)
        self.stats.add(bytes=len(body))
        return _Answer(status, response.headers, body, skipped)

    def _proxies(self, url: str) -> dict[str, str]:
        return _environment_proxies(robots_url(url).removesuffix("/robots.txt"))

    def _read_body(
        self, url: str, response: urllib3.BaseHTTPResponse, started: float, any_type: bool
    ) -> tuple[bytes, str | None]:
        """(body, None) of a 2xx (capped), a little of anything else so the connection is
        reused; (b"", reason) for a 2xx that is not a document (unread beyond its start)."""
        if not 200 <= response.status < 300:
            # Small error and redirect bodies are drained to keep the connection alive;
            # large ones are dropped with the connection.
            response.read(_CHUNK, decode_content=True)
            return b"", None
        content_type, _ = media_type(response.headers.get("Content-Type"))
        if not any_type and content_type not in DOCUMENT_TYPES | VAGUE_TYPES:
            return b"", f"not a document type: {content_type}"  # decided from the header alone
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            self.stats.add(blocked=1)
            raise BlockedError(
                f"body of {declared} bytes exceeds the cap of {self.max_bytes}", url=url
            )
        chunks: list[bytes] = []
        size = 0
        # The read timeout is per packet; a page trickling in forever hits this deadline.
        # read1 returns whatever one read from the socket gave, so the check runs after
        # every packet whether the body has a Content-Length, is chunked or neither.
        deadline = started + 3 * self.timeout
        raw = response
        while True:
            chunk = raw.read1(_CHUNK, decode_content=True)
            if not chunk:
                break
            if not chunks and not any_type:
                first = chunk
                while len(first) < _SNIFF and self._clock() <= deadline:
                    more = raw.read1(_SNIFF - len(first), decode_content=True)
                    if not more:
                        break
                    first += more
                chunk = first
                reason = sniff(content_type, first)
                if reason is not None:
                    return b"", reason
            size += len(chunk)
            if size > self.max_bytes:
                self.stats.add(blocked=1)
                raise BlockedError(f"body exceeds the cap of {self.max_bytes} bytes", url=url)
            if self._clock() > deadline:
                raise TransientFetchError(f"body still arriving after {3 * self.timeout}s", url=url)
            chunks.append(chunk)
        return b"".join(chunks), None
