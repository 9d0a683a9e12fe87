"""The admin source card's health line for runs the crawler could not finish (issue #9)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.job_model import Job, JobState
from search_ui.admin.dashboard import health_of


def _done(report: dict[str, Any]) -> Job:
    return Job(
        id=1, kind="crawl", source="ekic", params={}, state=JobState.DONE,
        enqueued_by="test", enqueued_at=datetime(2026, 1, 5, tzinfo=UTC), report=report,
    )  # fmt: skip


def test_a_deferred_or_given_up_host_shows_on_the_card() -> None:
    report = {
        "healthy": False,
        "partial": True,
        "health_reason": "partial run: ...",
        "hosts": {
            "kennis.example": {"state": "deferred", "reason": "Retry-After 86400s"},
            "cdn.example": {"state": "given_up", "reason": "10 failed requests in a row"},
        },
    }
    health, reason = health_of(_done(report))
    assert health == "waarschuwing"
    assert "gedeeltelijke run" in reason and "niets verwijderd" in reason
    assert "kennis.example uitgesteld" in reason and "cdn.example opgegeven" in reason


def test_skips_alone_keep_a_source_healthy() -> None:
    report = {"healthy": True, "failed": 0, "skipped": {"robots": 3, "content_type": 2}}
    assert health_of(_done(report)) == ("gezond", "")
