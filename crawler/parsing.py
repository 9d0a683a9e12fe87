"""Where extraction runs: in the calling thread, or in a pool of worker processes.

Part of the crawl run. Parsing HTML with Beautiful Soup is the CPU cost of a crawl;
threads share one core under the GIL, so large crawls hand pages to processes (the
profile is sent once per process, each page as bytes). Small crawls stay in-process:
starting processes costs more than it saves.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any

from core.sources import SourceProfile
from crawler.extract import Page, PageResult, extract_page

_PROFILE: SourceProfile | None = None


def _init(profile: SourceProfile) -> None:
    global _PROFILE
    _PROFILE = profile


def _extract_in_worker(page: Page, parent: str | None, as_document: bool) -> PageResult:
    assert _PROFILE is not None, "worker process started without a profile"
    return extract_page(page, _PROFILE, parent=parent, as_document=as_document)


class Parser:
    """``parse(page, ...)`` -> PageResult; blocking, safe to call from many threads."""

    def __init__(self, profile: SourceProfile, *, processes: int = 0) -> None:
        self.profile = profile
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        if processes > 0:
            self._pool = ProcessPoolExecutor(
                max_workers=processes, initializer=_init, initargs=(profile,)
            )

    def parse(self, page: Page, *, parent: str | None, as_document: bool) -> PageResult:
        if self._pool is None:
            return extract_page(page, self.profile, parent=parent, as_document=as_document)
        return self._pool.submit(_extract_in_worker, page, parent, as_document).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
