"""The crawl frontier: which canonical URLs are still to visit in this run, each once.

Owned by one crawl run (crawler.run), used from its main thread only. URLs arrive
canonical from sitemaps, feeds, the store (known documents) and links; each is
queued once with its link depth and its sitemap/feed date ("hint"). Attachments wait
in a second queue until no page is left or in flight, so that the page that links to a
PDF is read first and the PDF can name its parent.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from core.reasons import Reason
from crawler.traps import Quotas


@dataclass(frozen=True)
class Visit:
    url: str
    depth: int
    hint: str | None = None  # the sitemap lastmod / feed updated date, ISO text
    attachment: bool = False
    fetch_url: str = ""  # the URL as found; canonical forms may not be fetchable ("/2011/")

    @property
    def target(self) -> str:
        return self.fetch_url or self.url


class Frontier:
    def __init__(self, *, max_pages: int, quotas: Quotas | None = None) -> None:
        self.max_pages = max_pages
        self.quotas = quotas
        self.refused: list[tuple[str, Reason]] = []  # (URL, reason code) refused as traps
        self._pages: deque[Visit] = deque()
        self._attachments: deque[Visit] = deque()
        self._known: dict[str, Visit] = {}
        self.dropped = 0  # URLs refused because max_pages was reached

    def __contains__(self, url: str) -> bool:
        return url in self._known

    def __len__(self) -> int:
        return len(self._pages) + len(self._attachments)

    @property
    def total(self) -> int:
        return len(self._known)

    def add(
        self,
        url: str,
        depth: int,
        hint: str | None = None,
        *,
        attachment: bool = False,
        fetch_url: str = "",
    ) -> bool:
        """Queue ``url`` unless already known this run; True if it was new."""
        if url in self._known:
            return False
        if len(self._known) >= self.max_pages:
            self.dropped += 1
            return False
        visit = Visit(url, depth, hint, attachment, fetch_url if fetch_url != url else "")
        self._known[url] = visit
        (self._attachments if attachment else self._pages).append(visit)
        return True

    def refuse(self, url: str, reason: Reason) -> None:
        if len(self.refused) < 10_000:
            self.refused.append((url, reason))

    def claim(self, url: str) -> bool:
        """Mark ``url`` as handled without queueing it (a redirect target); False if known."""
        if url in self._known:
            return False
        self._known[url] = Visit(url, 0)
        return True

    def hint(self, url: str) -> str | None:
        visit = self._known.get(url)
        return visit.hint if visit else None

    def pop(self, *, pages_in_flight: int) -> Visit | None:
        """Next visit: pages first; attachments only once no page is pending or in flight."""
        if self._pages:
            return self._pages.popleft()
        if self._attachments and pages_in_flight == 0:
            return self._attachments.popleft()
        return None
