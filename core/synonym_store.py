"""The synonym list admins edit in /beheer: saved versions of one text, newest wins.

The search UI expands queries with the newest saved list (``search_ui.synonyms``
parses it; ``search_ui.synonym_source`` caches it per process). Every save is a
new row, so the history stays and nothing is overwritten; who saved it is kept
here and in the audit log. No row yet means "use the starter list". The table is
made by migration 0004 (``core.schema.upgrade``, run by ``core.db.make_engine``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Text, insert, select

from core.db import metadata, reading, writing
from core.store import utcnow

#: A list longer than this is refused (it is typed in a form; the query builder
#: bounds expansion anyway).
MAX_LIST_CHARS: Final = 100_000

synonym_lists = Table(
    "synonym_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("saved_by", String(200), nullable=False),
)


@dataclass(frozen=True, kw_only=True)
class SavedList:
    id: int
    text: str
    saved_at: datetime
    saved_by: str


def latest_list(engine: Engine) -> SavedList | None:
    """The newest saved list, or None when nobody saved one yet."""
    with reading(engine) as conn:
        row = conn.execute(
            select(synonym_lists).order_by(synonym_lists.c.id.desc()).limit(1)
        ).first()
    if row is None:
        return None
    return SavedList(id=row.id, text=row.text, saved_at=row.saved_at, saved_by=row.saved_by)


def save_list(
    engine: Engine, text: str, *, saved_by: str, clock: Callable[[], datetime] = utcnow
) -> SavedList:
    """Store ``text`` as the new list (the caller validates and audits)."""
    now = clock()
    with writing(engine) as conn:
        result = conn.execute(
            insert(synonym_lists).values(text=text, saved_at=now, saved_by=saved_by)
        )
        new_id = int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0
    return SavedList(id=new_id, text=text, saved_at=now, saved_by=saved_by)
