"""The result of fetching one URL, and the fetcher's running counters.

Produced by crawler.fetch, consumed by extraction and the crawl report. Plain values,
so extraction can be tested on saved pages without any HTTP (``crawler.fetch``
re-exports both names).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class FetchedPage:
    """One successful answer: a 200 with its body, or a 304 (``content == b""``)."""

    url: str  # final URL after redirects
    requested_url: str
    status: int
    content: bytes
    content_type: str  # media type without parameters, lower case; "" if the server sent none
    charset: str | None  # from the Content-Type header only; the extractor sniffs the rest
    etag: str | None
    last_modified: str | None
    redirects: tuple[str, ...] = ()  # every hop after requested_url, ending with url
    elapsed: float = 0.0
    robots: frozenset[str] = frozenset()  # X-Robots-Tag directives for us ("noindex" ...)
    agent: str = ""  # our robots token, for <meta name="kennisbrugbot"> beside "robots"

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchStats:
    """Counters over the fetcher's life; thread-safe. ``snapshot()`` for reports."""

    requests: int = 0
    robots_requests: int = 0
    bytes: int = 0
    retries: int = 0
    not_modified: int = 0
    redirects: int = 0
    timeouts: int = 0
    blocked: int = 0
    skipped: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def add_status(self, status: int) -> None:
        with self._lock:
            self.by_status[status] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "requests": self.requests,
                "robots_requests": self.robots_requests,
                "bytes": self.bytes,
                "retries": self.retries,
                "not_modified": self.not_modified,
                "redirects": self.redirects,
                "timeouts": self.timeouts,
                "blocked": self.blocked,
                "skipped": self.skipped,
                "by_status": dict(self.by_status),
            }


def media_type(header: str | None) -> tuple[str, str | None]:
    """("text/html", "windows-1252") from a Content-Type header; ("", None) when absent."""
    if not header:
        return "", None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def robots_directives(header: str | None, agent: str) -> frozenset[str]:
    """The X-Robots-Tag directives that apply to ``agent``: unprefixed ones and those
    prefixed with its token ("kennisbrugbot: noindex"), lower case. Several headers
    arrive joined by commas."""
    if not header:
        return frozenset()
    found: set[str] = set()
    target: str | None = None  # the agent the directives that follow are meant for
    for part in header.split(","):
        item = part.strip().lower()
        name, sep, rest = item.partition(":")
        if sep and " " not in name.strip() and name.strip() not in _DIRECTIVES_WITH_VALUE:
            target, item = name.strip(), rest.strip()
        if (target is None or target == agent.lower()) and item:
            found.add(item.split(":", 1)[0].strip())
    return frozenset(found)


# Directives written "name: value" (not an agent prefix).
_DIRECTIVES_WITH_VALUE = frozenset(
    {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}
)
