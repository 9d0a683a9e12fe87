"""Deletions held for an admin: a run that would remove too large a share of a source.

Part of the state database. The crawl run (crawler.deletion) never deletes more than
``DeletionPolicy.max_drop_ratio`` of a source's live documents at once: it records
the would-be deletions here instead (one pending hold per source; a newer run's hold
replaces an older pending one). An admin confirms or rejects the hold in /beheer:

* confirm: every listed document still live, still of that source and not seen alive
  since the hold was made is deleted (through the store, so the outbox hears of it);
* reject: the listed documents' gone/missing counters are reset — the evidence is
  thrown away and they stay live.

The reason is stored twice: English text (``reason``, what the CLI and older rows show)
and a code with parameters (``reason_code``, core.reasons) that /beheer renders in the
reader's language. Rows from before revision 0011 have no code and show their text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from core.crawl_tables import deletion_holds
from core.db import documents, reading, writing
from core.reasons import Reason, as_reason, describe
from core.store import DocumentStore


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class HeldItem:
    id: str
    url: str
    why: str  # "gone" (404/410 confirmed) | "missing" (absent from healthy runs)


@dataclass(frozen=True, kw_only=True)
class DeletionHold:
    id: int
    source: str
    run_id: int | None
    created_at: datetime
    status: str
    reason: str
    reason_code: Reason | None
    live: int
    items: tuple[HeldItem, ...]
    decided_at: datetime | None
    decided_by: str | None


class DeletionHolds:
    """Rows of ``deletion_holds``."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def hold(
        self,
        source: str,
        items: list[HeldItem],
        *,
        reason: Reason | str,
        live: int,
        run_id: int | None,
    ) -> DeletionHold:
        code = as_reason(reason)
        now = self.clock()
        with writing(self.engine) as conn:
            conn.execute(
                update(deletion_holds)
                .where(deletion_holds.c.source == source, deletion_holds.c.status == "pending")
                .values(status="replaced", decided_at=now)
            )
            result = conn.execute(
                insert(deletion_holds).values(
                    source=source, run_id=run_id, created_at=now, status="pending",
                    reason=describe(code), reason_code=code, live=live,
                    items=[{"id": i.id, "url": i.url, "why": i.why} for i in items],
                )
            )  # fmt: skip
            key = result.inserted_primary_key
            assert key is not None
        found = self.get(int(key[0]))
        assert found is not None
        return found

    def get(self, hold_id: int) -> DeletionHold | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(deletion_holds).where(deletion_holds.c.id == hold_id)).first()
        return _hold(row._mapping) if row else None

    def pending(self, source: str | None = None) -> list[DeletionHold]:
        query = select(deletion_holds).where(deletion_holds.c.status == "pending")
        if source:
            query = query.where(deletion_holds.c.source == source)
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(deletion_holds.c.id)).all()
        return [_hold(r._mapping) for r in rows]

    def confirm(self, hold_id: int, store: DocumentStore, *, by: str) -> list[str]:
        """Delete what the hold lists (if still pending); the ids actually deleted."""
        hold = self._decide(hold_id, "confirmed", by)
        if hold is None:
            return []
        deleted = []
        for item in hold.items:
            stored = store.get(item.id)
            if stored is None or stored.deleted or stored.document.source != hold.source:
                continue
            if stored.last_seen > hold.created_at:
                continue  # seen alive after the hold was made: not ours to delete any more
            if store.delete(item.id):
                deleted.append(item.id)
        return deleted

    def reject(self, hold_id: int, *, by: str) -> int:
        """Keep every listed document and forget the evidence against it."""
        hold = self._decide(hold_id, "rejected", by)
        if hold is None:
            return 0
        ids = [item.id for item in hold.items]
        with writing(self.engine) as conn:
            for start in range(0, len(ids), 500):
                conn.execute(
                    update(documents)
                    .where(documents.c.id.in_(ids[start : start + 500]))
                    .values(gone_count=0, missing_runs=0)
                )
        return len(ids)

    def _decide(self, hold_id: int, status: str, by: str) -> DeletionHold | None:
        with writing(self.engine) as conn:
            changed = conn.execute(
                update(deletion_holds)
                .where(deletion_holds.c.id == hold_id, deletion_holds.c.status == "pending")
                .values(status=status, decided_at=self.clock(), decided_by=by[:128])
            ).rowcount
        return self.get(hold_id) if changed else None


def _hold(m: Any) -> DeletionHold:
    return DeletionHold(
        id=int(m["id"]),
        source=m["source"],
        run_id=m["run_id"],
        created_at=m["created_at"],
        status=m["status"],
        reason=m["reason"],
        reason_code=m["reason_code"],
        live=int(m["live"]),
        items=tuple(HeldItem(id=i["id"], url=i["url"], why=i["why"]) for i in m["items"]),
        decided_at=m["decided_at"],
        decided_by=m["decided_by"],
    )
