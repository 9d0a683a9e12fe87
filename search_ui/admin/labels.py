"""Dutch words for job kinds, states and source health, as the admin pages show them."""

from __future__ import annotations

from typing import Final

from core.jobs import Job

STATES: Final = {
    "queued": "in wachtrij",
    "running": "bezig",
    "done": "klaar",
    "failed": "mislukt",
    "interrupted": "onderbroken",
    "cancelled": "geannuleerd",
}

HEALTH: Final = {
    "gezond": "gezond",
    "waarschuwing": "waarschuwing",
    "mislukt": "mislukt",
    "onbekend": "nog niet gecrawld",
}


def job_title(job: Job) -> str:
    """``Volledige crawl eKIC``, ``URL opnieuw ophalen``, ``Synchroniseren`` ..."""
    source = f" {job.source}" if job.source else ""
    if job.kind == "crawl":
        return ("Volledige crawl" if job.params.get("full") else "Crawl") + source
    if job.kind == "crawl_url":
        return f"URL opnieuw ophalen{source}"
    if job.kind == "sync":
        return "Synchroniseren met de index"
    if job.kind == "reindex":
        return "Volledig herindexeren"
    return job.kind


def who(enqueued_by: str) -> str:
    if enqueued_by == "scheduler":
        return "planning"
    if enqueued_by.startswith("job:"):
        return f"na taak #{enqueued_by[4:]}"
    return enqueued_by
