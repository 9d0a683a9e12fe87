"""Misbehaving sites: each fault is reported with its URL and reason, none stops the crawl."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.sources import SourceProfile
from demo import RunningSite, build_ekic, serve
from demo.ekic import EkicSite
from tests.integration.crawlkit import crawl, profile_for, store_at

ARTICLE = "/artikel.php?id=12"


@pytest.fixture
def ekic() -> Iterator[RunningSite]:
    with serve(build_ekic(crawl_delay=None), politeness=False) as running:
        yield running


def _with_start(profile: SourceProfile, *paths: str, include: str = "") -> SourceProfile:
    scope = profile.scope
    if include:
        scope = replace(scope, include=(*scope.include, re.compile(include)), exclude=())
    return replace(profile, start_urls=(*profile.start_urls, *paths), scope=scope)


def _reasons(report: object) -> dict[str, tuple[int | None, str]]:
    return {f.url.split("/", 3)[-1]: (f.status, f.reason) for f in report.failures}  # type: ignore[attr-defined]


def test_every_fault_is_reported_and_the_crawl_goes_on(ekic: RunningSite, tmp_path: Path) -> None:
    faults = ekic.faults
    faults.malformed.add(ARTICLE)
    faults.oversized.add("/artikel.php?id=13")
    faults.slow.add("/artikel.php?id=14")
    faults.slow_seconds = 3.0
    faults.throttle["/artikel.php?id=15"] = 99  # more 429s than the retries allow
    faults.retry_after = 1
    faults.server_error.add("/artikel.php?id=16")
    profile = _with_start(
        profile_for(ekic, "ekic", timeout=1.0, max_bytes=1_000_000),
        "/redirect-loop/a", "/beheer/", include=r"^/(redirect-loop/|beheer)",
    )  # fmt: skip
    store = store_at(tmp_path / "kb.db")
    report = crawl(profile, store, max_retries=1)
    reasons = _reasons(report)
    assert "malformed" in reasons[ARTICLE.lstrip("/")][1]
    assert "exceeds the cap" in reasons["artikel.php?id=13"][1]
    assert (
        "timed out" in reasons["artikel.php?id=14"][1]
        or "still arriving" in reasons["artikel.php?id=14"][1]
    )
    assert reasons["artikel.php?id=15"][0] == 429
    assert reasons["artikel.php?id=16"][0] == 500
    assert "redirect loop" in reasons["redirect-loop/a"][1]
    # a robots.txt block is our rule, not a site error: listed apart, not failed
    assert "beheer/" not in reasons
    assert report.skipped == {"robots": 1}
    assert [s.url.split("/", 3)[-1] for s in report.skips] == ["beheer/"]
    assert "robots.txt" in report.skips[0].reason
    # everything else was still crawled and stored
    assert isinstance(ekic.site, EkicSite)
    expected = len(ekic.site.page_urls()) + len(ekic.site.attachment_urls()) - 5
    assert store.count_live("ekic") == expected
    assert report.failed == 6


def test_429_with_retry_after_is_waited_out(ekic: RunningSite, tmp_path: Path) -> None:
    ekic.faults.throttle[ARTICLE] = 1
    ekic.faults.retry_after = 1
    report = crawl(profile_for(ekic, "ekic"), store_at(tmp_path / "kb.db"))
    assert report.failed == 0 and report.fetch_stats["retries"] >= 1
    statuses = [r.status for r in ekic.requests_for(ARTICLE)]
    assert statuses[:2] == [429, 200]
    first, second = ekic.requests_for(ARTICLE)[:2]
    assert second.time - first.time >= 0.9  # Retry-After: 1 was honoured


def test_crawl_delay_from_robots_is_obeyed(tmp_path: Path) -> None:
    with serve(build_ekic(crawl_delay=0.3), politeness=True) as running:
        profile = profile_for(running, "ekic", delay=0.0, concurrency=2)
        profile = replace(profile, scope=replace(profile.scope, max_pages=8))
        crawl(profile, store_at(tmp_path / "kb.db"))
        times = [r.time for r in running.requests if r.path != "/robots.txt"]
    assert len(times) >= 5
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.3 * 0.9


def test_empty_extraction_keeps_the_previous_version(ekic: RunningSite, tmp_path: Path) -> None:
    profile = profile_for(ekic, "ekic")
    store = store_at(tmp_path / "kb.db")
    crawl(profile, store)
    broken = replace(profile, fields=replace(profile.fields, body=("div.bestaat-niet",)))
    report = crawl(broken, store, full=True)
    assert report.changed == 0
    assert any("previous version kept" in w for w in report.profile_warnings)
