"""The one exception hierarchy of Kennisbrug (leaf module, imports nothing of ours).

Every layer raises from this tree so that the CLI, the worker and the web app can
turn any failure into a clear message without knowing where it came from::

    KennisbrugError
    ├── ConfigError            bad setting or source profile (names the key)
    ├── FetchError             one URL could not be fetched
    │   ├── TransientFetchError    timeouts, 429, 5xx: worth a retry later
    │   ├── GoneError              404 / 410: candidate for deletion
    │   └── BlockedError           robots.txt, scope, size cap, redirect loop
    │       └── SkippedError           our rule, not the site's fault (robots, scope, type)
    ├── ExtractError           a page was fetched but could not be read
    ├── StoreError             the state database refused a write
    ├── IndexingError          Elasticsearch refused or could not be reached
    │   └── SearchUnavailableError  search backend down (web answers 503)
    ├── JobError               a job could not be queued, run or cancelled
    ├── NodeError              the local Elasticsearch node could not be managed
    └── AccessError            a web request may not do this (answered, never a 500)
        ├── SignInRequiredError    not signed in (redirect to sign-in, or 401)
        └── ForbiddenError         signed in, but not allowed (403)
"""

from __future__ import annotations

from typing import Any


class KennisbrugError(Exception):
    """Base of every error Kennisbrug raises on purpose."""


class ConfigError(KennisbrugError):
    """A setting or a source profile is invalid."""


class FetchError(KennisbrugError):
    """A URL could not be fetched."""

    def __init__(
        self, message: str, *, url: str = "", status: int | None = None,
        code: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.url = url
        self.status = status
        self.code = code  # the reason as a code the admin pages translate (core.reasons)


class TransientFetchError(FetchError):
    """A fetch failed for a reason that may go away (timeout, 429, 5xx)."""


class GoneError(FetchError):
    """The server says the page does not exist (404 / 410)."""


class BlockedError(FetchError):
    """We chose not to fetch: robots.txt, out of scope, too large, redirect loop."""


class SkippedError(BlockedError):
    """Not fetched by a rule of ours that says nothing bad about the site: robots.txt
    disallows it, a redirect leaves the source's scope, the Content-Type is not a
    document, or its host is deferred / given up for this run. ``kind`` names the rule;
    crawl reports list these apart from failures, and they never make a run unhealthy."""

    def __init__(
        self, message: str, *, kind: str, url: str = "", status: int | None = None,
        code: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message, url=url, status=status, code=code)
        self.kind = kind


class ExtractError(KennisbrugError):
    """A fetched page could not be turned into a document."""


class StoreError(KennisbrugError):
    """The document store or job table could not be read or written."""


class IndexingError(KennisbrugError):
    """Elasticsearch refused a request or could not be reached."""


class SearchUnavailableError(IndexingError):
    """The search backend is down or too slow; the web app answers 503."""


class JobError(KennisbrugError):
    """A job could not be queued, run or cancelled."""


class NodeError(KennisbrugError):
    """The local Elasticsearch node could not be obtained, started or stopped."""


class AccessError(KennisbrugError):
    """A web request may not do what it asks; the app answers it, never a 500."""


class SignInRequiredError(AccessError):
    """A visitor who is not signed in asked for a page that needs it (redirect or 401)."""


class ForbiddenError(AccessError):
    """Signed in, but not allowed here (staff on /beheer, or a missing CSRF token); 403."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
