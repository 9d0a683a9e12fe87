"""The client side of bench/crawl.py, one measurement per process (so CPU is the client's own).

``python -m bench.crawl_child ours BASE_URL STORE PROCESSES SITEMAP OUT.json`` runs one
``crawl_source`` of the shipped eKIC profile against ``BASE_URL`` into the SQLite file
``STORE`` (``SITEMAP`` 0 drops the sitemap, so every known page is a conditional GET);
``python -m bench.crawl_child floor BASE_URL STORE OUT.json`` is the floor for that
conditional recrawl: a bare ``requests`` loop sending each stored document's
validators once, sequentially, on one keep-alive session. ``floor_urllib3`` is the same
loop on urllib3 directly (the transport the crawler's page requests use), reported
beside the goal's floor for information.

Both write {"seconds", "cpu_seconds", ...}: wall time and CPU time (user + system of
this process and of the worker processes it waited for) around the work only, not
the imports.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import requests
import urllib3

from core.db import make_engine
from core.settings import REPO_ROOT
from core.sources import load_profiles
from core.store import DocumentStore, StoredDocument
from crawler.run import crawl_source, make_fetcher

UA = "KennisbrugBench/0.1 (+mailto:beheer@kennisbrug.example)"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def ours(base_url: str, store_path: str, processes: int, sitemap: bool) -> dict[str, Any]:
    profile = load_profiles(
        REPO_ROOT / "config" / "sources.toml",
        base_urls={"ekic": base_url},
        politeness={"ekic": {"delay": 0.0, "concurrency": 4}},
    )["ekic"]
    if not sitemap:
        profile = dataclasses.replace(profile, sitemaps=())
    store = DocumentStore(make_engine(f"sqlite:///{store_path}"))
    cpu, started = _cpu(), time.perf_counter()
    with make_fetcher(profile, UA) as fetcher:
        report = crawl_source(profile, store=store, fetcher=fetcher, processes=processes)
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pages": report.requested - report.failed - report.not_modified,
        "requested": report.requested,
        "not_modified": report.not_modified,
        "written": report.written,
        "changed": report.changed,
        "failed": report.failed,
    }


def _validators(stored: StoredDocument) -> dict[str, str]:
    headers = {"User-Agent": UA}
    if stored.etag:
        headers["If-None-Match"] = stored.etag
    if stored.last_modified:
        headers["If-Modified-Since"] = stored.last_modified
    return headers


def floor(base_url: str, store_path: str, transport: str = "requests") -> dict[str, Any]:
    store = DocumentStore(make_engine(f"sqlite:///{store_path}"))
    known = [s for s in store.by_source("ekic").values() if not s.deleted]
    session, pool = requests.Session(), urllib3.PoolManager()
    not_modified = 0
    cpu, started = _cpu(), time.perf_counter()
    for stored in known:
        if transport == "requests":
            response = session.get(stored.url, headers=_validators(stored), timeout=20)
            not_modified += response.status_code == 304
        else:
            answer = pool.request("GET", stored.url, headers=_validators(stored), timeout=20)
            not_modified += answer.status == 304
    seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    session.close()
    pool.clear()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "requests": len(known),
        "not_modified": not_modified,
    }


def main() -> None:
    mode, base_url, store_path = sys.argv[1:4]
    if mode == "ours":
        figures = ours(base_url, store_path, int(sys.argv[4]), sys.argv[5] == "1")
    elif mode == "floor":
        figures = floor(base_url, store_path)
    elif mode == "floor_urllib3":
        figures = floor(base_url, store_path, "urllib3")
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    Path(sys.argv[-1]).write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
