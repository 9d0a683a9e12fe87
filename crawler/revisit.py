"""The revisit schedule: every document is re-verified at least every ``max_revisit``.

Nutch-like adaptive fetch intervals, used by the crawl run (crawler.run) around the
sitemap ``lastmod`` skip. A sitemap or feed date equal to the stored one still saves
the request — but only while the page is not *due*:

* a new document starts with an interval of half ``max_revisit`` (spread by ±25 %,
  from a hash of its URL, so a site crawled in one night does not fall due in one);
* each verification (a 200 or a 304) sets the next due time: the interval halves when
  the page changed and grows by half when it did not, within [min_revisit, max_revisit];
* per run at most ``budget`` due pages are verified despite an unchanged date (the most
  overdue first); a page not verified for ``max_revisit`` or longer is always verified.

Pages without a sitemap/feed date are requested (conditionally) every run anyway; the
schedule then only records how they behave.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from core.sources import RevisitPolicy
from core.url_state import UrlState

DAY = 86_400


def _spread(url: str) -> float:
    """A stable number in [0.75, 1.25) from the URL."""
    return 0.75 + int(hashlib.sha1(url.encode()).hexdigest()[:8], 16) / 2**32 / 2


def _naive(moment: datetime) -> datetime:
    """UTC without tzinfo (SQLite gives naive UTC datetimes back, PostgreSQL aware ones)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def next_interval(previous: int | None, verdict: str, url: str, policy: RevisitPolicy) -> int:
    """Seconds until the next verification after a ``verdict`` of new/changed/unchanged."""
    low, high = policy.min_days * DAY, policy.max_days * DAY
    if previous is None or verdict == "new":
        interval = high / 2 * _spread(url)
    elif verdict == "changed":
        interval = previous * 0.5
    else:
        interval = previous * 1.5
    return int(min(high, max(low, interval)))


def verified(
    state: UrlState | None, url: str, depth: int, verdict: str, now: datetime, policy: RevisitPolicy
) -> UrlState:
    """The state after a verification this run."""
    interval = next_interval(state.interval_s if state else None, verdict, url, policy)
    depth = min(depth, state.depth) if state else depth
    return UrlState(
        url=url, depth=depth, interval_s=interval, verified_at=now,
        due_at=now + timedelta(seconds=interval),
    )  # fmt: skip


def must_verify(
    states: Mapping[str, UrlState], known: set[str], now: datetime, policy: RevisitPolicy
) -> set[str]:
    """Canonical URLs of known documents to verify this run even if their date is unchanged."""
    limit = timedelta(days=policy.max_days)
    overdue, due = set(), []
    clock = _naive(now)
    for url in known:
        state = states.get(url)
        if state is None or state.verified_at is None or state.due_at is None:
            due.append((datetime.min, url))  # never verified under the schedule: first
            continue
        if clock - _naive(state.verified_at) >= limit:
            overdue.add(url)
        elif _naive(state.due_at) <= clock:
            due.append((_naive(state.due_at), url))
    due.sort()
    return overdue | {url for _, url in due[: policy.budget]}
