"""Trap control: URL spaces that grow without end (calendars, "/more/more/...", facets).

Used by the seeds (crawler.seeds.add_link) for every *newly found* URL; pages already
stored are re-verified whatever these rules say (they are judged by scope and the
deletion rules instead). Four rules, all from the source's ``[scope]``:

* ``max_url_length`` characters of the canonical URL;
* ``max_query_params`` query parameters;
* ``max_segment_repeats``: one path segment at most this often ("/a/more/more/more");
* ``quotas``: at most N pages per run whose path+query matches a pattern (a calendar).

Depth is the fifth rule and lives in the frontier: known pages come back at the depth
they were first reached at (core.url_state), so "next month" links cannot restart the
count at 0 every run. Refusals are listed in the report as skips of kind "trap".
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from core.reasons import Reason, reason
from core.sources import SourceProfile


def trap_reason(canonical: str, profile: SourceProfile) -> Reason | None:
    """Why a newly found URL is refused as a trap (None: it may be queued)."""
    scope = profile.scope
    if len(canonical) > scope.max_url_length:
        return reason("trap_url_length", max_length=scope.max_url_length)
    parts = urlsplit(canonical)
    if parts.query and parts.query.count("&") + 1 > scope.max_query_params:
        return reason("trap_query_params", max_params=scope.max_query_params)
    segments = [s for s in parts.path.split("/") if s]
    if segments:
        segment, times = Counter(segments).most_common(1)[0]
        if times > scope.max_segment_repeats:
            return reason("trap_segment_repeats", segment=repr(segment), times=times)
    return None


class Quotas:
    """Pages per run per quota pattern; one instance per run."""

    def __init__(self, profile: SourceProfile) -> None:
        self.profile = profile
        self.used: Counter[int] = Counter()

    def take(self, canonical: str, *, force: bool = False) -> Reason | None:
        """Count ``canonical`` against its quotas; the refusal reason when one is full
        (``force``: count it anyway — a stored page — and never refuse)."""
        rel = self.profile.relative(canonical)
        hits = [i for i, (p, _) in enumerate(self.profile.scope.quotas) if p.search(rel)]
        for i in hits:
            pattern, limit = self.profile.scope.quotas[i]
            if not force and self.used[i] >= limit:
                return reason("trap_quota", pages=limit, pattern=repr(pattern.pattern))
        for i in hits:
            self.used[i] += 1
        return None
