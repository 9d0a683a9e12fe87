"""Crawl-run records and hub-page memory, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import make_engine
from core.runs import CrawlRuns, HubPage, HubPages


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def test_a_run_left_running_by_a_killed_process_becomes_interrupted(db_url: str) -> None:
    runs = CrawlRuns(make_engine(db_url), clock=Clock())
    first = runs.start("ekic", full=True, job_id=7)
    runs.finish(first, status="done", report={"pages": 3})
    killed = runs.start("ekic", full=False)  # its process dies: never finished
    other = runs.start("bnbibliotheek", full=False)
    again = runs.start("ekic", full=False)
    by_id = {r.id: r for r in runs.recent()}
    assert by_id[killed].status == "interrupted" and by_id[killed].finished_at is not None
    assert by_id[other].status == "running"  # another source is left alone
    assert by_id[again].status == "running"
    done = runs.baseline("ekic")
    assert done is not None and done.id == first and done.full and done.report == {"pages": 3}
    assert [r.id for r in runs.recent("ekic")] == [again, killed, first]
    assert runs.baseline("bnbibliotheek") is None


def test_hub_pages_are_saved_updated_and_loaded_per_source(db_url: str) -> None:
    hubs = HubPages(make_engine(db_url), clock=Clock())
    page = HubPage(url="http://ekic.test/c/1", etag='"a"', last_modified=None, links=("u1",))
    hubs.save("ekic", page)
    hubs.save("ekic", HubPage(url=page.url, etag='"b"', last_modified="x", links=("u1", "u2")))
    hubs.save("bnbibliotheek", page)
    loaded = hubs.load("ekic")
    assert list(loaded) == [page.url]
    assert loaded[page.url].etag == '"b"' and loaded[page.url].links == ("u1", "u2")
    assert hubs.load("bnbibliotheek")[page.url].links == ("u1",)
