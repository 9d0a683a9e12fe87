"""The crawl report: what one run of one source did, counted and explained.

Filled by crawler.run while it works, saved as JSON with the run (core.runs) and
printed by the CLI. Every failure keeps its URL, HTTP status and reason, so an admin
can see what failed and why; profile warnings point at selectors that stopped working.
Reasons the admin pages explain (health, partial runs, deletions, robots.txt) are kept
twice: as English text for the CLI and as a code with parameters (core.reasons) that
/beheer renders in the reader's language.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from core.reasons import Reason, describe

MAX_LISTED = 500  # a broken site must not turn one report row into megabytes


@dataclass(frozen=True)
class Failure:
    url: str
    status: int | None
    reason: str
    code: Reason | None = None  # the reason as a code, when it has one (core.reasons)


@dataclass
class CrawlReport:
    source: str
    full: bool = False
    seen: int = 0  # URLs of the source accounted for in this run (all outcomes below)
    requested: int = 0  # page requests (sitemaps, feeds and robots.txt not included)
    not_modified: int = 0
    skipped_by_lastmod: int = 0
    revisited: int = 0  # unchanged sitemap date, but due under the revisit schedule
    pruned_listings: int = 0  # listing pages that answered 404/410: no longer seeded
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    aliases: int = 0  # duplicates folded into their rel=canonical page
    followed_only: int = 0  # listing pages read for links, not stored
    gone: int = 0  # 404/410 answers (deleted after the configured confirmations)
    deleted: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    # Not fetched by our own rule (robots, off_scope, content_type, host_deferred,
    # host_given_up): listed, but not site errors, so they never make a run unhealthy.
    skipped: dict[str, int] = field(default_factory=dict)
    skips: list[Failure] = field(default_factory=list)
    noindex: int = 0  # pages that ask not to be indexed (meta robots / X-Robots-Tag)
    empty_extractions: int = 0  # pages whose main text came back empty
    # Hosts deferred (Retry-After beyond the cap) or given up (failures in a row) for
    # this run: {host: {"state": ..., "reason": ...}}. Any of them makes the run partial.
    # The "detail" of each is its reason as a code (core.reasons).
    hosts: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile_warnings: list[str] = field(default_factory=list)  # English, as the CLI prints
    profile_warning_codes: list[Reason] = field(default_factory=list)  # the same, as codes
    healthy: bool = True
    health_reason: str = ""
    health_code: Reason | None = None
    # A partial run did not reach every page it should have (max_pages, cancelled or
    # killed, a host given up or deferred): it is never evidence for a deletion and
    # never a health baseline. Set it with ``mark_partial``.
    followed: bool = False  # links were followed in this run (discovery, not just revisits)
    partial: bool = False
    partial_reasons: list[str] = field(default_factory=list)
    partial_codes: list[Reason] = field(default_factory=list)  # the same, as codes
    held: int = 0  # deletions held for an admin's confirmation (a sudden drop)
    deletion_note: str = ""
    deletion_code: Reason | None = None
    # A one-URL recrawl (crawler.single) that got 404/410 or noindex: {"status", "noindex",
    # "kept"}; never evidence for a deletion, so the admin page says what happens next.
    one_url: dict[str, Any] = field(default_factory=dict)
    cancelled: bool = False
    durations: dict[str, float] = field(default_factory=dict)
    fetch_stats: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, name: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + n)

    def fail(self, url: str, status: int | None, reason: str, code: Reason | None = None) -> None:
        with self._lock:
            self.failed += 1
            if len(self.failures) < MAX_LISTED:
                self.failures.append(Failure(url, status, reason, code))

    def skip(
        self, url: str, kind: str, reason: str, status: int | None = None,
        code: Reason | None = None,
    ) -> None:  # fmt: skip
        with self._lock:
            self.skipped[kind] = self.skipped.get(kind, 0) + 1
            if len(self.skips) < MAX_LISTED:
                self.skips.append(Failure(url, status, f"{kind}: {reason}", code))

    def mark_partial(self, reason: Reason) -> None:
        """This run did not cover the whole source: delete nothing on its evidence."""
        text = describe(reason)
        with self._lock:
            self.partial = True
            if text not in self.partial_reasons and len(self.partial_reasons) < MAX_LISTED:
                self.partial_reasons.append(text)
                self.partial_codes.append(reason)

    def warn(self, reason: Reason) -> None:
        """A profile problem: English for the CLI, the code for /beheer's language."""
        message = describe(reason)
        with self._lock:
            if message not in self.profile_warnings and len(self.profile_warnings) < MAX_LISTED:
                self.profile_warnings.append(message)
                self.profile_warning_codes.append(reason)

    @property
    def written(self) -> int:
        return self.new + self.changed + self.deleted

    @property
    def error_ratio(self) -> float:
        return self.failed / max(1, self.requested)

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FIELDS}
        data["failures"] = [asdict(f) for f in self.failures]
        data["skips"] = [asdict(f) for f in self.skips]
        data["durations"] = dict(self.durations)
        data["partial_reasons"] = list(self.partial_reasons)
        data["partial_codes"] = list(self.partial_codes)
        data["profile_warnings"] = list(self.profile_warnings)
        data["profile_warning_codes"] = list(self.profile_warning_codes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CrawlReport:
        values = {k: v for k, v in data.items() if k in _FIELDS}
        values["failures"] = [Failure(**f) for f in values.get("failures", [])]
        values["partial_reasons"] = list(values.get("partial_reasons", []))
        values["partial_codes"] = list(values.get("partial_codes", []))
        values["profile_warnings"] = list(values.get("profile_warnings", []))
        values["profile_warning_codes"] = list(values.get("profile_warning_codes", []))
        values["skips"] = [Failure(**f) for f in values.get("skips", [])]
        return cls(**values)


_FIELDS = tuple(name for name in CrawlReport.__dataclass_fields__ if not name.startswith("_"))
