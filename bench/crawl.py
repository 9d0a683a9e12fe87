"""Crawl benchmark: our crawler against Scrapy on a generated eKIC site, plus recrawls.

Not a test. ``.venv/bin/python -m bench.crawl [--pages 5000] [--concurrency 4]`` serves a
generated eKIC site (no politeness delay) on 127.0.0.1, then measures in one run:

1. our full crawl (thread pool for fetching, process pool for extraction, SQLite store);
2. Scrapy crawling the same site with the same extraction and concurrency (subprocess);
3. an unchanged recrawl (wall time and request count as fractions of the full crawl);
4. a recrawl after 10% of the pages were edited.

Writes bench/results/crawl.json and prints the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from core.db import make_engine
from core.settings import REPO_ROOT
from core.sources import SourceProfile, load_profiles
from core.store import DocumentStore
from crawler.report import CrawlReport
from crawler.run import crawl_source, make_fetcher
from demo import RunningSite, build_ekic, serve

UA = "KennisbrugBench/0.1 (+mailto:beheer@kennisbrug.example)"
RESULTS = REPO_ROOT / "bench" / "results" / "crawl.json"


def _ours(
    profile: SourceProfile, store: DocumentStore, processes: int
) -> tuple[CrawlReport, float]:
    started = time.perf_counter()
    with make_fetcher(profile, UA) as fetcher:
        report = crawl_source(profile, store=store, fetcher=fetcher, processes=processes)
    return report, time.perf_counter() - started


def _scrapy(base_url: str, concurrency: int, tmp: Path) -> dict[str, Any]:
    out = tmp / "scrapy.json"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "crawl_scrapy.py"), base_url, str(concurrency), str(out)],
        check=True, env=env, cwd=REPO_ROOT,
    )  # fmt: skip
    return dict(json.loads(out.read_text(encoding="utf-8")))


def _fetched(report: CrawlReport) -> int:
    return report.requested - report.failed


def run(pages: int, concurrency: int, processes: int) -> dict[str, Any]:
    site = build_ekic(pages=pages, crawl_delay=None)
    with serve(site, politeness=False) as running, tempfile.TemporaryDirectory() as tmp:
        profile = load_profiles(
            REPO_ROOT / "config" / "sources.toml",
            base_urls={"ekic": running.base_url},
            politeness={"ekic": {"delay": 0.0, "concurrency": concurrency}},
        )["ekic"]
        store = DocumentStore(make_engine(f"sqlite:///{tmp}/bench.db"))
        full, full_s = _ours(profile, store, processes)
        full_requests = len(running.requests)
        print(f"ours: {_fetched(full)} pages in {full_s:.1f}s", flush=True)
        scrapy = _scrapy(running.base_url, concurrency, Path(tmp))
        print(f"scrapy: {scrapy['pages']} pages in {scrapy['seconds']:.1f}s", flush=True)
        same, same_s, same_requests = _recrawl(profile, store, processes, running)
        # Without the sitemap there are no lastmod hints: every known page is asked
        # again with If-None-Match / If-Modified-Since and answers 304.
        blind = dataclasses.replace(profile, sitemaps=())
        cond, cond_s, cond_requests = _recrawl(blind, store, processes, running)
        print(f"conditional recrawl: {cond.not_modified} x 304 in {cond_s:.1f}s", flush=True)
        _edit_tenth(running)
        tenth, tenth_s, _ = _recrawl(profile, store, processes, running)
    ours_rate = _fetched(full) / full_s
    scrapy_rate = scrapy["pages"] / scrapy["seconds"]
    return {
        "pages": _fetched(full),
        "site_entries": pages,
        "concurrency": concurrency,
        "processes": processes,
        "ours_seconds": round(full_s, 2),
        "ours_pages_per_s": round(ours_rate, 1),
        "scrapy_pages": scrapy["pages"],
        "scrapy_seconds": round(scrapy["seconds"], 2),
        "scrapy_pages_per_s": round(scrapy_rate, 1),
        "ratio_vs_scrapy": round(ours_rate / scrapy_rate, 3),
        "recrawl_unchanged_ratio": round(same_s / full_s, 4),
        "recrawl_unchanged_requests_ratio": round(same_requests / full_requests, 4),
        "recrawl_unchanged_written": same.written,
        "recrawl_conditional_ratio": round(cond_s / full_s, 4),
        "recrawl_conditional_requests_ratio": round(cond_requests / full_requests, 4),
        "recrawl_conditional_written": cond.written,
        "recrawl_10pct_ratio": round(tenth_s / full_s, 4),
        "recrawl_10pct_changed": tenth.changed,
    }


def _recrawl(
    profile: SourceProfile, store: DocumentStore, processes: int, running: RunningSite
) -> tuple[CrawlReport, float, int]:
    before = len(running.requests)
    report, seconds = _ours(profile, store, processes)
    return report, seconds, len(running.requests) - before


def _edit_tenth(running: RunningSite) -> None:
    paths = running.site.page_urls()
    for path in paths[::10]:
        running.site.edit_page(path, f"Bijgewerkte tekst voor {path}.\n\nMet een tweede alinea.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    figures = run(args.pages, args.concurrency, args.processes)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
