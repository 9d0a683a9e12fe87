"""The synonym list a search uses right now: the newest saved list, held in memory.

Sits between the state database (``core.synonym_store``) and the query builder:
``SynonymSource.current()`` is called once per search and only reads memory. The
list is read from the database when the source is made (the app's build, not a
request) and then by a background thread every ``REFRESH_SECONDS`` (``start`` /
``stop``, from the app's lifespan), so other processes' saves, such as a second
web worker's, arrive within that time. A save in this process takes effect at
once. An unreadable database keeps the last good list: a search never fails, or
waits, for its synonyms.
"""

from __future__ import annotations

import logging
import threading
from typing import Final

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.errors import StoreError
from core.synonym_store import latest_list, save_list
from search_ui.synonyms import STARTER_LIST, SynonymSet

log = logging.getLogger(__name__)
REFRESH_SECONDS: Final = 30.0


class SynonymSource:
    def __init__(self, engine: Engine | None, *, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.engine = engine
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._set = SynonymSet.parse(STARTER_LIST)
        self._text = STARTER_LIST
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.refresh()

    def current(self) -> SynonymSet:
        """The list in use (memory only: no database work on the search path)."""
        return self._set

    def text(self) -> str:
        """The list as admins edit it (one group per line)."""
        return self._text

    def save(self, text: str, *, saved_by: str) -> SynonymSet:
        parsed = SynonymSet.parse(text)
        with self._lock:  # a refresh reading the list before this save cannot undo it
            if self.engine is not None:
                save_list(self.engine, text, saved_by=saved_by)
            self._set, self._text = parsed, text
        return parsed

    def refresh(self) -> None:
        """Read the newest saved list (the build and the background thread call this)."""
        if self.engine is None:
            return
        with self._lock:
            try:
                saved = latest_list(self.engine)
            except (SQLAlchemyError, StoreError) as exc:
                log.warning("synonyms: keeping the last list, the database failed: %s", exc)
                return
            if saved is not None and saved.text != self._text:
                self._set, self._text = SynonymSet.parse(saved.text), saved.text

    def start(self) -> None:
        """Refresh in a background thread until ``stop`` (no-op without a database)."""
        if self.engine is None or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="synonym-refresh", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            self.refresh()
