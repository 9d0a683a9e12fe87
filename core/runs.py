"""Crawl-run records and the link memory of pages that are not documents.

Part of the state database, written by the crawl run (crawler.run), read by the CLI,
the admin pages and the next run. ``CrawlRuns`` keeps one row per run in
``crawl_runs`` (running -> done / failed / interrupted, with the report as JSON); a
row still 'running' when a new run of that source starts belonged to a killed
process and is marked interrupted. ``HubPages`` remembers the validators and links
of listing pages (categories, archives), so an unchanged listing answers 304 and its
links are still known without downloading it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from core.db import crawl_runs, metadata, reading, writing

hub_pages = Table(
    "hub_pages",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("url", Text, primary_key=True),  # canonical
    Column("fetch_url", Text),  # as linked, when its canonical form is not fetchable
    Column("etag", Text),
    Column("last_modified", Text),
    Column("links", JSON, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class CrawlRun:
    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    full: bool
    report: dict[str, Any] | None


class CrawlRuns:
    """Rows of ``crawl_runs``: one per crawl of one source."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def start(self, source: str, *, full: bool, job_id: int | None = None) -> int:
        """Open a run; earlier runs of ``source`` left 'running' become 'interrupted'."""
        now = self.clock()
        with writing(self.engine) as conn:
            conn.execute(
                update(crawl_runs)
                .where(crawl_runs.c.source == source, crawl_runs.c.status == "running")
                .values(status="interrupted", finished_at=now)
            )
            result = conn.execute(
                insert(crawl_runs).values(
                    source=source, started_at=now, status="running", full=int(full), job_id=job_id
                )
            )
            key = result.inserted_primary_key
            assert key is not None  # an INSERT always reports its new primary key
            return int(key[0])

    def finish(self, run_id: int, *, status: str, report: dict[str, Any]) -> None:
        with writing(self.engine) as conn:
            conn.execute(
                update(crawl_runs)
                .where(crawl_runs.c.id == run_id)
                .values(status=status, report=report, finished_at=self.clock())
            )

    def recent(self, source: str | None = None, *, limit: int = 20) -> list[CrawlRun]:
        query = select(crawl_runs).order_by(crawl_runs.c.id.desc()).limit(limit)
        if source:
            query = query.where(crawl_runs.c.source == source)
        with reading(self.engine) as conn:
            return [_run(r._mapping) for r in conn.execute(query).all()]

    def discovery_done(self, source: str) -> bool:
        """Has a run of ``source`` followed links and finished complete? (Reports from
        before the ``followed`` flag count when they finished complete.)"""
        query = select(crawl_runs.c.report).where(
            crawl_runs.c.source == source, crawl_runs.c.status == "done"
        )
        with reading(self.engine) as conn:
            newest = query.order_by(crawl_runs.c.id.desc()).limit(200)
            reports: list[Any] = list(conn.execute(newest).scalars())
        return any(r and r.get("followed", True) and not r.get("partial", False) for r in reports)

    def baseline(self, source: str, *, scan: int = 50) -> CrawlRun | None:
        """The health baseline: the latest finished run of ``source`` that was itself
        healthy and complete (not partial); older reports without the flags count as
        complete. Looks at the last ``scan`` finished runs."""
        query = (
            select(crawl_runs)
            .where(crawl_runs.c.source == source, crawl_runs.c.status == "done")
            .order_by(crawl_runs.c.id.desc())
            .limit(scan)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        for row in rows:
            report = row.report or {}
            if report.get("healthy", True) and not report.get("partial", False):
                return _run(row._mapping)
        return None


@dataclass(frozen=True, kw_only=True)
class HubPage:
    url: str
    etag: str | None
    last_modified: str | None
    links: tuple[str, ...]
    fetch_url: str | None = None


class HubPages:
    """Validators and outgoing links of a source's listing pages."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def load(self, source: str) -> dict[str, HubPage]:
        query = select(hub_pages).where(hub_pages.c.source == source)
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return {
            r.url: HubPage(
                url=r.url,
                etag=r.etag,
                last_modified=r.last_modified,
                links=tuple(r.links),
                fetch_url=r.fetch_url,
            )
            for r in rows
        }

    def forget(self, source: str, urls: set[str]) -> None:
        """Dead listing pages (404/410 in a healthy, complete run): no longer seeded."""
        if not urls:
            return
        with writing(self.engine) as conn:
            conn.execute(
                delete(hub_pages).where(hub_pages.c.source == source, hub_pages.c.url.in_(urls))
            )

    def save(self, source: str, page: HubPage) -> None:
        values = {
            "etag": page.etag,
            "last_modified": page.last_modified,
            "links": list(page.links),
            "fetch_url": page.fetch_url,
            "seen_at": self.clock(),
        }
        key = (hub_pages.c.source == source, hub_pages.c.url == page.url)
        with writing(self.engine) as conn:
            if conn.execute(select(hub_pages.c.url).where(*key)).first():
                conn.execute(update(hub_pages).where(*key).values(**values))
            else:
                conn.execute(insert(hub_pages).values(source=source, url=page.url, **values))


def _run(m: Any) -> CrawlRun:
    return CrawlRun(
        id=int(m["id"]),
        source=m["source"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        status=m["status"],
        full=bool(m["full"]),
        report=m["report"],
    )
