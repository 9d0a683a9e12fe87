"""Shared helpers for the crawl integration tests: profiles pointed at served demo sites."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.db import make_engine
from core.settings import REPO_ROOT
from core.sources import SourceProfile, load_profiles
from core.store import DocumentStore
from crawler.report import CrawlReport
from crawler.run import crawl_source, make_fetcher
from demo import RunningSite

SOURCES = REPO_ROOT / "config" / "sources.toml"
UA = "KennisbrugBot/0.1 (+mailto:test@kennisbrug.example)"
FAST = {"delay": 0.0, "timeout": 5.0}


def profile_for(running: RunningSite, name: str, **politeness: Any) -> SourceProfile:
    profiles = load_profiles(
        SOURCES, base_urls={name: running.base_url}, politeness={name: {**FAST, **politeness}}
    )
    return profiles[name]


def store_at(path: Path) -> DocumentStore:
    return DocumentStore(make_engine(f"sqlite:///{path}"))


def crawl(
    profile: SourceProfile, store: DocumentStore, *, full: bool = False, **fetch: Any
) -> CrawlReport:
    fetch.setdefault("max_retry_after", 2.0)
    with make_fetcher(profile, UA, **fetch) as fetcher:
        return crawl_source(profile, store=store, fetcher=fetcher, full=full)


def sources_file_for(tmp: Path, base_urls: dict[str, str], delay: float) -> Path:
    """A copy of config/sources.toml with test base URLs and delays (for the CLI)."""
    text = SOURCES.read_text(encoding="utf-8")
    for default, url in (("http://127.0.0.1:8101", base_urls.get("ekic")),
                         ("http://127.0.0.1:8102", base_urls.get("bnbibliotheek"))):  # fmt: skip
        if url:
            text = text.replace(f'base_url = "{default}"', f'base_url = "{url}"')
    text = re.sub(r"(?m)^delay = [0-9.]+$", f"delay = {delay}", text)
    path = tmp / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path
