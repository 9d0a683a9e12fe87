"""Crawl a source N times against fault sites and collect what happened (see tests.faultsite)."""

from __future__ import annotations

import copy
import threading
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.db import make_engine
from core.models import Document
from core.settings import REPO_ROOT
from core.sources import SourceProfile, parse_profiles
from core.store import DocumentStore
from crawler.report import CrawlReport
from crawler.run import crawl_source, make_fetcher
from crawler.single import recrawl_url
from tests.faultsite.server import FaultSite, Hit, Scenario

UA = "KennisbrugBot/0.1 (+mailto:test@kennisbrug.example)"
#: Fetcher overrides that keep a fault run short: one retry, short waits.
FAST_FETCH: dict[str, Any] = {"max_retries": 1, "max_retry_after": 1.0, "backoff_base": 0.05}


class FakeClock:
    """A settable UTC clock for the store and the run (revisit intervals, run times)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self.now += delta


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def profile_table(site: FaultSite, **overrides: Any) -> dict[str, Any]:
    """The TOML table (as a dict) of a small source on ``site``; nested keys merge."""
    table: dict[str, Any] = {
        "label": "Foutensite",
        "provincie": "Limburg",
        "base_url": site.base_url,
        "start_urls": ["/"],
        "exclude": ["nav"],
        "fields": {"title": ["h1", "title"], "body": ["main p"]},
        "scope": {"max_depth": 10, "max_pages": 1000},
        "politeness": {"delay": 0.0, "concurrency": 2, "timeout": 2.0},
    }
    return _merge(table, overrides)


def fault_profiles(tables: Mapping[str, Mapping[str, Any]]) -> dict[str, SourceProfile]:
    """Several profiles loaded together (as from one sources.toml: load-time checks apply)."""
    sources = {k: dict(v) for k, v in tables.items()}
    return parse_profiles(
        {"provinces": shipped_provinces(), "sources": sources}, origin="faultsite"
    )


def shipped_provinces() -> dict[str, Any]:
    """The [provinces] tables of config/sources.toml (profiles name their province there)."""
    shipped = tomllib.loads((REPO_ROOT / "config" / "sources.toml").read_text(encoding="utf-8"))
    provinces: dict[str, Any] = shipped["provinces"]
    return provinces


def fault_profile(site: FaultSite, name: str = "fout", **overrides: Any) -> SourceProfile:
    """One profile for ``site``; ``overrides`` are TOML keys (``scope={"max_pages": 5}``)."""
    return fault_profiles({name: profile_table(site, **overrides)})[name]


def fault_store(path: Path, clock: Callable[[], datetime] | None = None) -> DocumentStore:
    engine = make_engine(f"sqlite:///{path}")
    return DocumentStore(engine, clock=clock) if clock else DocumentStore(engine)


@dataclass(frozen=True, kw_only=True)
class RunSpec:
    """One run: the scenario to serve (None: keep the current one), and how to crawl."""

    scenario: Scenario | None = None
    full: bool = False
    profile: SourceProfile | None = None  # another profile for this run (None: the default)
    server_down: bool = False  # the site's listener is closed during this run
    cancel_after: int | None = None  # cancel once this many requests reached the site
    advance: timedelta | None = None  # move the fake clock before this run
    # Not a crawl: the admin's one-URL recrawl (crawler.single) of this path (+query).
    recrawl: str | None = None


@dataclass(frozen=True, kw_only=True)
class RunResult:
    index: int
    report: CrawlReport
    hits: list[Hit]  # requests the site got in this run
    off_scope_hits: list[Hit]  # requests any off-scope site got in this run
    live_before: dict[str, Document]  # live documents by id before the run
    live_after: dict[str, Document]
    error: BaseException | None = None  # what crawl_source raised, if anything

    @property
    def deleted(self) -> set[str]:
        """Paths (path+query) of documents live before this run and not after it."""
        return {_rel(d.url) for k, d in self.live_before.items() if k not in self.live_after}

    @property
    def added(self) -> set[str]:
        return {_rel(d.url) for k, d in self.live_after.items() if k not in self.live_before}


def _rel(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(kw_only=True)
class Matrix:
    site: FaultSite
    off_scope: Sequence[FaultSite]
    store: DocumentStore
    source: str
    runs: list[RunResult] = field(default_factory=list)

    @property
    def reports(self) -> list[CrawlReport]:
        return [r.report for r in self.runs]

    @property
    def deleted(self) -> set[str]:
        return set().union(*(r.deleted for r in self.runs)) if self.runs else set()

    @property
    def hits(self) -> list[Hit]:
        return [h for r in self.runs for h in r.hits]

    @property
    def off_scope_hits(self) -> list[Hit]:
        return [h for r in self.runs for h in r.off_scope_hits]

    def live(self) -> dict[str, Document]:
        """The source's live documents now, keyed by path+query of their URL."""
        return {_rel(d.url): d for d in self.store.iter_live(self.source)}

    def assert_safe(self, *, max_requests: int, gone: Iterable[str] = ()) -> None:
        """The four invariants of every scenario:

        * no live document was deleted: every deleted path is in ``gone``;
        * every stored document in ``gone`` (410/404 twice in healthy runs) was deleted;
        * the off-scope servers were never asked anything;
        * the site got at most ``max_requests`` requests over all runs.
        """
        gone = set(gone)
        deleted = self.deleted
        assert deleted <= gone, f"live documents deleted: {sorted(deleted - gone)}"
        stored_ever = {_rel(d.url) for r in self.runs for d in r.live_before.values()}
        stored_ever |= {_rel(d.url) for r in self.runs for d in r.live_after.values()}
        expected = gone & stored_ever
        assert expected <= deleted, f"gone documents still live: {sorted(expected - deleted)}"
        assert not self.off_scope_hits, f"requests left the scope: {self.off_scope_hits}"
        assert len(self.hits) <= max_requests, (
            f"{len(self.hits)} requests > bound {max_requests}: "
            f"{[h.target for h in self.hits][:40]}"
        )
        assert not self.site.errors, f"scenario routes raised: {self.site.errors}"


def _canceller(site: FaultSite, limit: int | None) -> Callable[[], bool] | None:
    """Cancel once the site got ``limit`` more requests (the "killed run" of a scenario)."""
    if limit is None:
        return None
    start = len(site.hits)
    return lambda: len(site.hits) - start >= limit


def crawl_runs(
    profile: SourceProfile,
    store: DocumentStore,
    site: FaultSite,
    runs: Sequence[RunSpec | Scenario] | int = 3,
    *,
    off_scope: Sequence[FaultSite] = (),
    clock: FakeClock | None = None,
    fetch: Mapping[str, Any] | None = None,
    matrix: Matrix | None = None,
) -> Matrix:
    """Crawl ``profile`` once per entry of ``runs`` (an int: that many runs of the current
    scenario) and return the Matrix (pass ``matrix`` to append more runs to an earlier one).
    A run that raises is recorded (``RunResult.error``), not re-raised."""
    specs = [RunSpec()] * runs if isinstance(runs, int) else list(runs)
    result = matrix or Matrix(site=site, off_scope=off_scope, store=store, source=profile.name)
    overrides = {**FAST_FETCH, **(fetch or {})}
    for spec in specs:
        if isinstance(spec, Scenario):
            spec = RunSpec(scenario=spec)
        index = len(result.runs)
        for server in (site, *off_scope):
            server.run = index
        if spec.scenario is not None:
            site.scenario = spec.scenario
        if clock is not None and spec.advance is not None:
            clock.advance(spec.advance)
        run_profile = spec.profile or profile
        before = {d.id: d for d in store.iter_live(run_profile.name)}
        if spec.server_down:
            site.stop()
        cancel = _canceller(site, spec.cancel_after)

        error: BaseException | None = None
        report = CrawlReport(source=run_profile.name)
        try:
            with make_fetcher(run_profile, UA, **overrides) as fetcher:
                kwargs: dict[str, Any] = {} if clock is None else {"clock": clock}
                if spec.recrawl is not None:
                    report = recrawl_url(
                        site.url(spec.recrawl), run_profile, store=store, fetcher=fetcher,
                        **kwargs,
                    )  # fmt: skip
                else:
                    report = crawl_source(
                        run_profile, store=store, fetcher=fetcher, full=spec.full,
                        cancel=cancel, **kwargs,
                    )  # fmt: skip
        except Exception as exc:  # recorded; the scenario decides whether that is right
            error = exc
        finally:
            if spec.server_down:
                site.start()
        result.runs.append(
            RunResult(
                index=index,
                report=report,
                hits=site.hits_in(index),
                off_scope_hits=[h for s in off_scope for h in s.hits_in(index)],
                live_before=before,
                live_after={d.id: d for d in store.iter_live(run_profile.name)},
                error=error,
            )
        )
    return result
