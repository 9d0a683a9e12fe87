"""The synonym list a search uses right now: the newest saved list, cached per process.

Sits between the state database (``core.synonym_store``) and the query builder:
``SynonymSource.current()`` is called once per search and reads the database at
most every ``TTL_SECONDS`` (a save in this process takes effect at once; other
processes, such as a second web worker, follow within the TTL). An unreadable
database keeps the last good list: a search never fails for its synonyms.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.errors import StoreError
from core.synonym_store import latest_list, save_list
from search_ui.synonyms import STARTER_LIST, SynonymSet

log = logging.getLogger(__name__)
TTL_SECONDS: Final = 10.0


class SynonymSource:
    def __init__(self, engine: Engine | None, *, ttl: float = TTL_SECONDS) -> None:
        self.engine = engine
        self.ttl = ttl
        self._lock = threading.Lock()
        self._set = SynonymSet.parse(STARTER_LIST)
        self._text = STARTER_LIST
        self._loaded_at = float("-inf") if engine is not None else float("inf")

    def current(self) -> SynonymSet:
        if time.monotonic() - self._loaded_at >= self.ttl:
            self._reload()
        return self._set

    def text(self) -> str:
        """The list as admins edit it (one group per line)."""
        self.current()
        return self._text

    def save(self, text: str, *, saved_by: str) -> SynonymSet:
        parsed = SynonymSet.parse(text)
        if self.engine is not None:
            save_list(self.engine, text, saved_by=saved_by)
        with self._lock:
            self._set, self._text, self._loaded_at = parsed, text, time.monotonic()
        return parsed

    def _reload(self) -> None:
        with self._lock:
            if self.engine is None or time.monotonic() - self._loaded_at < self.ttl:
                return
            try:
                saved = latest_list(self.engine)
            except (SQLAlchemyError, StoreError) as exc:
                log.warning("synonyms: keeping the last list, the database failed: %s", exc)
                self._loaded_at = time.monotonic()
                return
            if saved is not None and saved.text != self._text:
                self._set, self._text = SynonymSet.parse(saved.text), saved.text
            self._loaded_at = time.monotonic()
