"""The mutable page model behind both demo sites.

Sits between the content modules (plain Dutch text as data) and the HTTP server:
an ``Entry`` is one article or post as its editor wrote it, a ``Resource`` is the
exact bytes (plus validators) that the server sends for one URL, and ``DemoSite``
turns entries into resources on demand and caches them, so that a benchmark
crawling thousands of pages measures the crawler rather than the renderer.
Editing or deleting an entry drops the cache, because listings, the sitemap and
the feed all change with it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

#: Both organisations publish in Dutch local time; HTTP headers are in GMT.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True, kw_only=True)
class Comment:
    author: str
    text: str
    posted: datetime


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A PDF that belongs to an article; its text is what a crawler should extract."""

    filename: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(kw_only=True)
class Entry:
    """One article, news item, dossier or blog post, in site-neutral form.

    ``published`` and ``modified`` are naive local (Europe/Amsterdam) times, as a
    2010 CMS would store them.
    """

    key: str  # eKIC: the numeric id as text; bnbibliotheek: the slug
    kind: str  # "artikel" | "nieuws" | "dossier" (eKIC); "post" (bnbibliotheek)
    title: str
    theme: str
    tags: tuple[str, ...]
    published: datetime
    paragraphs: list[str]
    author: str = ""
    summary: str = ""
    comments: tuple[Comment, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    related: tuple[str, ...] = ()  # keys of other entries (dossiers list their articles)
    raw_html: str = ""  # markup inserted unescaped after the paragraphs (badly escaped CMS)
    modified: datetime | None = None
    deleted_status: int | None = None

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published


@dataclass(kw_only=True)
class Resource:
    """The bytes and headers served for one URL. ``etag`` is a strong content hash."""

    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    last_modified: datetime | None = None  # naive local time
    headers: dict[str, str] = field(default_factory=dict)
    cacheable: bool = True  # validators (ETag/Last-Modified) only on real content
    gzipped: bytes | None = field(default=None, repr=False)  # filled lazily by the server

    @cached_property  # computed once per cached resource, after its body is final
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'

    def last_modified_utc(self) -> datetime | None:
        if self.last_modified is None:
            return None
        return self.last_modified.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def split_target(target: str) -> tuple[str, dict[str, str]]:
    """Split a request target into its path and (last-wins) query parameters."""
    parts = urlsplit(target)
    return parts.path or "/", dict(parse_qsl(parts.query, keep_blank_values=True))


class DemoSite:
    """A mutable model of one site; subclasses know its URL scheme and markup."""

    name: str = ""
    encoding: str = "utf-8"

    def __init__(self, entries: list[Entry], *, crawl_delay: float | None = 1.0) -> None:
        self.entries: dict[str, Entry] = {e.key: e for e in entries}
        self.crawl_delay = crawl_delay
        self._cache: dict[str, Resource | None] = {}
        # Derived values shared by many pages (newest-first order, sidebars);
        # dropped together with the page cache whenever an entry changes.
        self.memo: dict[str, Any] = {}
        self._lock = threading.RLock()
        self.base_url = ""  # set by the server: sitemaps, feeds and canonicals are absolute

    def set_base_url(self, base_url: str) -> None:
        with self._lock:
            self.base_url = base_url.rstrip("/")
            self._cache.clear()
            self.memo.clear()

    # -- what the server calls -------------------------------------------------
    def lookup(self, target: str) -> Resource | None:
        """The resource for a request target (path plus query), or None for 404."""
        with self._lock:
            if target not in self._cache:
                self._cache[target] = self.render(target)
            return self._cache[target]

    def render(self, target: str) -> Resource | None:
        raise NotImplementedError

    def entry_for_path(self, path: str) -> Entry | None:
        """The entry a public URL (article, post, attachment) shows, if any."""
        raise NotImplementedError

    def url_for(self, entry: Entry) -> str:
        raise NotImplementedError

    def robots_txt(self, *, politeness: bool = True) -> str:
        raise NotImplementedError

    # -- what tests and the demo call -------------------------------------------
    def live_entries(self) -> list[Entry]:
        """Entries not deleted, newest first (the order of every listing)."""
        with self._lock:
            if "live" not in self.memo:
                live = [e for e in self.entries.values() if e.deleted_status is None]
                self.memo["live"] = sorted(live, key=lambda e: (e.published, e.key), reverse=True)
            return list(self.memo["live"])

    def page_urls(self) -> list[str]:
        """The canonical URL path of every live entry (tests compare crawls with it)."""
        return [self.url_for(e) for e in self.live_entries()]

    def edit_page(self, path: str, new_body_text: str) -> None:
        """Replace the text of one page; its validators, listings and feed change."""
        with self._lock:
            entry = self._require(path)
            entry.paragraphs = [p.strip() for p in new_body_text.split("\n\n") if p.strip()]
            entry.summary = ""
            entry.modified = self._next_modified(entry)
            self._cache.clear()
            self.memo.clear()

    def delete_page(self, path: str, status: int = 404) -> None:
        """Make a page answer 404 or 410 and drop it from listings, sitemap and feed."""
        if status not in (404, 410):
            raise ValueError(f"delete_page status must be 404 or 410, not {status}")
        with self._lock:
            self._require(path).deleted_status = status
            self._cache.clear()
            self.memo.clear()

    def _require(self, path: str) -> Entry:
        entry = self.entry_for_path(path)
        if entry is None:
            raise KeyError(f"{self.name}: no page at {path!r}")
        return entry

    def _next_modified(self, entry: Entry) -> datetime:
        # HTTP dates have one-second resolution: an edit must move Last-Modified
        # strictly forward, even when two edits land within the same second.
        now = datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)
        newest = max((e.last_modified for e in self.entries.values()), default=now)
        return max(now, newest + timedelta(seconds=1), entry.last_modified + timedelta(seconds=1))
