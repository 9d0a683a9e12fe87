"""Discovery: which URLs a sitemap or a feed points to (pure functions over bytes).

Between fetching and the crawl frontier: the crawl run fetches a sitemap or an
Atom/RSS feed, and these functions list the URLs (with the dates a
sitemap or feed gives, so unchanged pages need not be requested at all). Nothing here
does I/O. Results are absolute but not canonical: the run canonicalises with the
profile's drop list (crawler.urls) and applies its scope.

Sitemaps are parsed with lxml, without network access or entity expansion; feeds with
feedparser (given bytes, it fetches nothing). Dates without
a time zone are taken as UTC; unreadable dates become None rather than an error. Links
in HTML pages are found by ``crawler.extract``.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
import lxml.etree as etree

from crawler.urls import is_web_url, resolve

_MAX_UNZIPPED = 50 * 1024 * 1024  # the sitemap protocol's own limit


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None = None


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: page URLs, and child sitemaps when it is a sitemap index."""

    urls: list[SitemapEntry] = field(default_factory=list)
    sitemaps: list[SitemapEntry] = field(default_factory=list)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    updated: datetime | None = None
    title: str = ""


@dataclass(frozen=True)
class Feed:
    """A parsed Atom or RSS feed; ``next_url`` is its rel="next" page (paged feeds)."""

    entries: list[FeedEntry] = field(default_factory=list)
    next_url: str | None = None
    title: str = ""


def parse_date(text: str | None) -> datetime | None:
    """W3C datetime (sitemaps, Atom) or RFC 822 (RSS) to an aware datetime; None if unreadable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _gunzip(content: bytes) -> bytes:
    if content[:2] != b"\x1f\x8b":
        return content
    try:
        reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return reader.decompress(content, _MAX_UNZIPPED)
    except (zlib.error, gzip.BadGzipFile):
        return b""


def _xml_root(content: bytes) -> Any:
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        return etree.fromstring(_gunzip(content).strip() or b"<empty/>", parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: Any, *names: str) -> str | None:
    """Text of the first child named ``names[0]``, else ``names[1]`` ... (preference order)."""
    found = {}
    for child in element:
        name = _local(child.tag)
        if name in names and name not in found and child.text and child.text.strip():
            found[name] = str(child.text).strip()
    return next((found[n] for n in names if n in found), None)


def parse_sitemap(content: bytes, base_url: str) -> Sitemap:
    """URLs (with lastmod) of a sitemap or sitemap index; gzip and plain-text sitemaps too."""
    root = _xml_root(content)
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        return _text_sitemap(content, base_url)
    urls: list[SitemapEntry] = []
    children: list[SitemapEntry] = []
    for element in root:
        kind = _local(element.tag)
        loc = _child_text(element, "loc")
        if kind not in ("url", "sitemap") or not loc:
            continue
        entry = SitemapEntry(resolve(base_url, loc), parse_date(_child_text(element, "lastmod")))
        if is_web_url(entry.url):
            (urls if kind == "url" else children).append(entry)
    return Sitemap(urls=urls, sitemaps=children)


def _text_sitemap(content: bytes, base_url: str) -> Sitemap:
    lines = _gunzip(content).decode("utf-8", errors="replace").splitlines()
    urls = [SitemapEntry(resolve(base_url, line)) for line in lines if is_web_url(line.strip())]
    return Sitemap(urls=urls)


def parse_feed(content: bytes, base_url: str) -> Feed:
    """Entries of an Atom or RSS feed (feedparser), with the dates the feed gives.

    The entry URL is the Atom ``alternate`` link (HTML preferred) or the RSS ``link``,
    else a permalink ``guid``; the date is Atom ``updated`` (else ``published``) or
    RSS ``pubDate`` (else ``dc:date``), read by ``parse_date`` as sitemap dates are.
    """
    if not content.strip():
        return Feed()
    parsed = feedparser.parse(
        content, response_headers={"content-location": base_url}, sanitize_html=False
    )
    atom = str(parsed.get("version", "")).startswith("atom")
    order = ("updated", "published") if atom else ("published", "updated")
    entries = []
    for entry in parsed.entries:
        # dict.get: the raw keys, without feedparser's fallbacks between date keys.
        link = dict.get(entry, "link")
        url = resolve(base_url, link) if link else None
        when = next((dict.get(entry, k) for k in order if dict.get(entry, k)), None)
        if url and is_web_url(url):
            entries.append(FeedEntry(url, parse_date(when), str(entry.get("title") or "")))
    links = parsed.feed.get("links") or []
    next_href = next((link.get("href") for link in links if link.get("rel") == "next"), None)
    return Feed(
        entries=entries,
        next_url=resolve(base_url, next_href) if next_href else None,
        title=str(parsed.feed.get("title") or ""),
    )
