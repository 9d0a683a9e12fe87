"""Per-URL crawl memory of a source: discovery depth and revisit schedule (``url_state``).

Written once at the end of each crawl run (crawler.run), read at its start: the
seeds put known pages back at the depth they were first reached at (trap control),
and crawler.revisit decides from ``verified_at``/``due_at`` which pages must be
verified this run even though their sitemap date did not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, bindparam, delete, insert, select, update

from core.crawl_tables import url_state
from core.db import reading, writing


@dataclass(frozen=True, kw_only=True)
class UrlState:
    url: str  # canonical
    depth: int
    interval_s: int | None = None
    verified_at: datetime | None = None
    due_at: datetime | None = None


class UrlStates:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load(self, source: str) -> dict[str, UrlState]:
        query = select(url_state).where(url_state.c.source == source)
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return {
            r.url: UrlState(url=r.url, depth=int(r.depth), interval_s=r.interval_s,
                            verified_at=r.verified_at, due_at=r.due_at)
            for r in rows
        }  # fmt: skip

    def save(self, source: str, states: Iterable[UrlState], *, existing: set[str]) -> None:
        """Insert or update ``states`` in one transaction (``existing``: URLs with a row)."""
        rows = [
            {"s": source, "u": st.url, "depth": st.depth, "interval_s": st.interval_s,
             "verified_at": st.verified_at, "due_at": st.due_at}
            for st in states
        ]  # fmt: skip
        if not rows:
            return
        old = [r for r in rows if r["u"] in existing]
        new = [r for r in rows if r["u"] not in existing]
        with writing(self.engine) as conn:
            if old:
                conn.execute(
                    update(url_state)
                    .where(url_state.c.source == bindparam("s"), url_state.c.url == bindparam("u"))
                    .values(
                        depth=bindparam("depth"), interval_s=bindparam("interval_s"),
                        verified_at=bindparam("verified_at"), due_at=bindparam("due_at"),
                    ),
                    old,
                )  # fmt: skip
            if new:
                conn.execute(
                    insert(url_state),
                    [{"source": r["s"], "url": r["u"], "depth": r["depth"],
                      "interval_s": r["interval_s"], "verified_at": r["verified_at"],
                      "due_at": r["due_at"]} for r in new],
                )  # fmt: skip

    def forget(self, source: str, urls: Iterable[str]) -> None:
        gone = list(urls)
        with writing(self.engine) as conn:
            for start in range(0, len(gone), 500):
                conn.execute(
                    delete(url_state).where(
                        url_state.c.source == source, url_state.c.url.in_(gone[start : start + 500])
                    )
                )
