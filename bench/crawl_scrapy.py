"""The Scrapy side of bench/crawl.py: the same site, the same extraction, the same concurrency.

Run as a subprocess by bench/crawl.py (Twisted's reactor wants its own process):
``python -m bench.crawl_scrapy BASE_URL CONCURRENCY OUT.json``. The spider starts
from the sitemap and the home page, follows in-scope links like our profile does and
extracts every page with the very same ``crawler.extract.extract_page`` (Beautiful Soup
on lxml), in Scrapy's single process. It writes {"pages": n, "seconds": s, "cpu_seconds": c} (CPU: user + system of
this process around the crawl).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from core.settings import REPO_ROOT
from core.sources import load_profiles
from crawler.discover import parse_sitemap
from crawler.extract import canonical_url, extract_page


@dataclass(frozen=True)
class _Page:
    url: str
    content: bytes
    content_type: str
    charset: str | None


class SiteSpider(scrapy.Spider):
    name = "kennisbrug-bench"

    def __init__(self, base_url: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.profile = load_profiles(
            REPO_ROOT / "config" / "sources.toml", base_urls={"ekic": base_url}
        )["ekic"]
        self.pages = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.profile.absolute("/sitemap.xml"), callback=self.parse_sitemap)
        yield scrapy.Request(self.profile.absolute("/"), callback=self.parse)

    def parse_sitemap(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        for entry in parse_sitemap(response.body, response.url).urls:
            yield from self._follow(entry.url)

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        self.pages += 1
        url = canonical_url(response.url, self.profile)
        page = _Page(
            response.url,
            response.body,
            (response.headers.get("Content-Type") or b"").decode(),
            None,
        )
        try:
            result = extract_page(page, self.profile, as_document=self.profile.is_document(url))
        except Exception:
            return
        if result.document is not None:
            yield {"id": result.document.id, "title": result.document.title}
        for link in (*result.links, *result.attachments):
            yield from self._follow(link)

    def _follow(self, link: str) -> Iterator[scrapy.Request]:
        url = canonical_url(link, self.profile)
        if self.profile.in_scope(url):
            yield scrapy.Request(url, callback=self.parse)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    base_url, concurrency, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": os.environ.get("BENCH_SCRAPY_LOG", "ERROR"),
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "USER_AGENT": "KennisbrugBench/0.1 (+mailto:beheer@kennisbrug.example)",
            "ITEM_PIPELINES": {},
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    crawler = process.create_crawler(SiteSpider)
    cpu, started = _cpu(), time.perf_counter()
    process.crawl(crawler, base_url=base_url)
    process.start()
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    pages = getattr(crawler.spider, "pages", 0)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"pages": pages, "seconds": seconds, "cpu_seconds": cpu}, fh)


if __name__ == "__main__":
    main()
