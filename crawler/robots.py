"""robots.txt: may we fetch this URL, and how slowly? (RFC 9309, parsed by Protego)

Consulted by crawler.fetch before every request, including each redirect hop. The
file is fetched once per origin (scheme, host, port) and cached; the download itself
is injected by the fetcher, so it goes through the same session, User-Agent and host
pacing as every other request.

What an answer means, following RFC 9309 and what large crawlers do:

* 2xx: the rules apply (and the Crawl-delay, and the Sitemap lines);
* 4xx (404, 410, 401, 403 ...): there are no rules, everything is allowed;
* 429, 5xx, timeout or connection error: the site is *unreachable* and we assume
  everything is disallowed for now. The fetcher reports that as a transient failure
  (not a robots block) and asks again after ``unreachable_ttl`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from protego import Protego

from core.reasons import Reason
from crawler.network import network_reason

#: RFC 9309 asks crawlers to parse at least 500 KiB; more than that is not a robots file.
ROBOTS_MAX_BYTES = 512 * 1024

#: Downloads ``url`` and returns (status, body); raises OSError-like errors on failure.
RobotsDownload = Callable[[str], tuple[int, bytes]]


class RobotsState(Enum):
    PARSED = "parsed"
    ALLOW_ALL = "allow_all"
    UNREACHABLE = "unreachable"


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups match on: "KennisbrugBot/0.1 (+...)" -> "KennisbrugBot"."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}/robots.txt"


@dataclass(frozen=True)
class RobotsRules:
    """The robots.txt verdict for one origin."""

    state: RobotsState
    parser: Protego | None = None
    fetched_at: float = 0.0
    status: int | None = None
    reason: str = ""
    #: Why an unreachable robots.txt could not be read, as a code (crawler.network).
    failure: Reason | None = None

    def allows(self, url: str, agent: str) -> bool:
        if self.state is RobotsState.UNREACHABLE:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


def rules_from_response(status: int, body: bytes, *, now: float) -> RobotsRules:
    """Turn a robots.txt answer into rules (see the module docstring for the status policy)."""
    if 200 <= status < 300:
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(RobotsState.PARSED, Protego.parse(text), fetched_at=now, status=status)
    if 400 <= status < 500 and status != 429:
        return RobotsRules(RobotsState.ALLOW_ALL, fetched_at=now, status=status)
    return RobotsRules(
        RobotsState.UNREACHABLE, fetched_at=now, status=status, reason=f"HTTP {status}"
    )


@dataclass
class RobotsCache:
    """robots.txt rules per origin, fetched on first use; thread-safe."""

    user_agent: str
    download: RobotsDownload
    clock: Callable[[], float] = time.monotonic
    ttl: float = 24 * 3600.0
    unreachable_ttl: float = 300.0
    _rules: dict[str, RobotsRules] = field(default_factory=dict, init=False, repr=False)
    _locks: dict[str, threading.Lock] = field(default_factory=dict, init=False, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def agent(self) -> str:
        return agent_token(self.user_agent)

    def _fresh(self, rules: RobotsRules | None) -> bool:
        if rules is None:
            return False
        ttl = self.unreachable_ttl if rules.state is RobotsState.UNREACHABLE else self.ttl
        return self.clock() - rules.fetched_at < ttl

    def rules_for(self, url: str) -> RobotsRules:
        """The rules of ``url``'s origin, downloading robots.txt when not cached (or stale)."""
        origin = robots_url(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        # One download per origin: the other threads wait for it instead of asking too.
        with lock:
            rules = self._rules.get(origin)
            if not self._fresh(rules):
                rules = self._load(origin)
                self._rules[origin] = rules
            assert rules is not None
            return rules

    def _load(self, origin: str) -> RobotsRules:
        try:
            status, body = self.download(origin)
        except OSError as exc:
            return RobotsRules(
                RobotsState.UNREACHABLE,
                fetched_at=self.clock(),
                reason=f"{type(exc).__name__}: {exc}",
                failure=network_reason(exc),
            )
        return rules_from_response(status, body, now=self.clock())

    def allowed(self, url: str) -> bool:
        return self.rules_for(url).allows(url, self.agent)
