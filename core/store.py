"""The document store and its outbox: the source of truth for what was harvested.

The crawler writes here (latest version of every document, HTTP validators,
first/last seen, deletion state); every change also queues the document in the
outbox in the *same* transaction. The indexer reads the outbox and acknowledges
rows only after Elasticsearch accepted them, so nothing is lost when either side
dies halfway. A full reindex reads the live documents from here, never the sites.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)

from core.db import documents, outbox, reading, writing
from core.models import Document

# The statements of the per-page write path (``save``), built once: constructing and
# coercing a statement per call cost more CPU than running it on SQLite, and it runs
# in the crawl's one writing thread, which bounds the pooled crawl's throughput.
_ROW = select(documents).where(documents.c.id == bindparam("doc_id"))
# A stored document as read for a crawl: the JSON comes back as its text and is decoded
# only when ``StoredDocument.document`` is used (a 304 recrawl needs URL, validators and
# hash of every document, the body of none).
_STORED = select(
    *(c for c in documents.c if c.name != "doc"), cast(documents.c.doc, Text).label("doc")
)
_INSERT_DOC = insert(documents)
_SEEN = ("etag", "last_modified", "lastmod_hint", "last_seen", "gone_count", "missing_runs")
_WRITTEN = ("doc", "content_hash", "url", "provincie", "deleted_at", "last_changed", "version")
_TOUCH = (
    update(documents)
    .where(documents.c.id == bindparam("doc_id"))
    .values({name: bindparam(name) for name in _SEEN})
)
_REWRITE = (
    update(documents)
    .where(documents.c.id == bindparam("doc_id"))
    .values({name: bindparam(name) for name in (*_SEEN, *_WRITTEN)})
)
_UNQUEUE = delete(outbox).where(outbox.c.doc_id == bindparam("doc_id"))
_QUEUE = insert(outbox)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FOREIGN = "foreign"  # the id belongs to another source: nothing written


@dataclass(frozen=True, kw_only=True)
class StoredDocument:
    id: str
    url: str  # the URL that answered last time (``document.url``)
    content_hash: str
    doc_json: str  # the document as stored; ``document`` decodes it on first use
    etag: str | None
    last_modified: str | None
    lastmod_hint: str | None
    first_seen: datetime
    last_seen: datetime
    deleted_at: datetime | None
    gone_count: int
    missing_runs: int
    version: int

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @cached_property
    def document(self) -> Document:
        return Document.from_json(orjson.loads(self.doc_json))


@dataclass(frozen=True, kw_only=True)
class OutboxItem:
    doc_id: str
    source: str
    op: str  # "index" | "delete"
    version: int
    attempts: int
    last_error: str | None
    document: Document | None  # None for deletes


#: How the ``provincie`` column holds several labels (for grouping; the JSON has a list).
PROVINCIE_SEPARATOR = "|"


def join_provincies(labels: tuple[str, ...]) -> str:
    return PROVINCIE_SEPARATOR.join(labels)


def split_provincies(joined: str) -> list[str]:
    return [p for p in joined.split(PROVINCIE_SEPARATOR) if p]


@dataclass(frozen=True, kw_only=True)
class SourceCounts:
    source: str
    provincie: str
    live: int
    deleted: int


class DocumentStore:
    """Typed access to the documents and outbox tables."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    # -- reads -----------------------------------------------------------------
    def get(self, doc_id: str) -> StoredDocument | None:
        with reading(self.engine) as conn:
            row = conn.execute(_STORED.where(documents.c.id == doc_id)).first()
        return _stored(row._mapping) if row else None

    def by_source(self, source: str) -> dict[str, StoredDocument]:
        """Every document of ``source`` (deleted ones too), keyed by id."""
        with reading(self.engine) as conn:
            rows = conn.execute(_STORED.where(documents.c.source == source)).all()
        return {r.id: _stored(r._mapping) for r in rows}

    def iter_live(self, source: str | None = None, *, batch: int = 500) -> Iterator[Document]:
        """Live documents in id order, read in batches so memory stays flat."""
        last = ""
        while True:
            query = select(documents.c.id, documents.c.doc).where(
                documents.c.deleted_at.is_(None), documents.c.id > last
            )
            if source:
                query = query.where(documents.c.source == source)
            with reading(self.engine) as conn:
                rows = conn.execute(query.order_by(documents.c.id).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield Document.from_json(row.doc)
            last = rows[-1].id

    def count_live(self, source: str | None = None) -> int:
        query = select(func.count()).select_from(documents).where(documents.c.deleted_at.is_(None))
        if source:
            query = query.where(documents.c.source == source)
        with reading(self.engine) as conn:
            return int(conn.execute(query).scalar_one())

    def counts(self) -> list[SourceCounts]:
        live = func.sum(documents.c.deleted_at.is_(None).cast(_int_type()))
        query = (
            select(documents.c.source, documents.c.provincie, live, func.count())
            .group_by(documents.c.source, documents.c.provincie)
            .order_by(documents.c.source)
        )
        with reading(self.engine) as conn:
            rows: list[Any] = list(conn.execute(query).all())
        # A joint document counts once under each of its provinces.
        totals: dict[tuple[str, str], list[int]] = {}
        for source, joined, n, t in rows:
            for provincie in split_provincies(joined):
                entry = totals.setdefault((source, provincie), [0, 0])
                entry[0] += int(n or 0)
                entry[1] += int(t) - int(n or 0)
        return [
            SourceCounts(source=s, provincie=p, live=live, deleted=deleted)
            for (s, p), (live, deleted) in sorted(totals.items())
        ]

    # -- writes from the crawler ------------------------------------------------
    def save(
        self,
        doc: Document,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        lastmod_hint: str | None = None,
    ) -> Change:
        """Store the latest version of ``doc``; queue it for the index when it changed."""
        now = self.clock()
        with writing(self.engine) as conn:
            row = conn.execute(_ROW, {"doc_id": doc.id}).first()
            seen = {
                "etag": etag,
                "last_modified": last_modified,
                "lastmod_hint": lastmod_hint,
                "last_seen": now,
                "gone_count": 0,
                "missing_runs": 0,
            }
            if row is None:
                conn.execute(
                    _INSERT_DOC,
                    {
                        "id": doc.id,
                        "source": doc.source,
                        "url": doc.url,
                        "provincie": join_provincies(doc.provincie),
                        "doc": doc.to_json(),
                        "content_hash": doc.content_hash,
                        "first_seen": now,
                        "last_changed": now,
                        "version": 1,
                        **seen,
                    },
                )
                _queue(conn, doc.id, doc.source, "index", 1, now)
                return Change.NEW
            if row.source != doc.source:
                return Change.FOREIGN  # one owner per document: never moved silently
            same = row.content_hash == doc.content_hash and row.url == doc.url
            if same and row.deleted_at is None:
                conn.execute(_TOUCH, {"doc_id": doc.id, **seen})
                return Change.UNCHANGED
            version = int(row.version) + 1
            changed = {
                "doc": doc.to_json(),
                "content_hash": doc.content_hash,
                "url": doc.url,
                "provincie": join_provincies(doc.provincie),
                "deleted_at": None,
                "last_changed": now,
                "version": version,
                **seen,
            }
            conn.execute(_REWRITE, {"doc_id": doc.id, **changed})
            _queue(conn, doc.id, doc.source, "index", version, now)
            return Change.NEW if row.deleted_at is not None else Change.CHANGED

    def mark_seen(
        self,
        doc_id: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        lastmod_hint: str | None = None,
    ) -> None:
        """A 304 or a skipped-by-lastmod page: seen and unchanged, never 'gone'."""
        values: dict[str, Any] = {"last_seen": self.clock(), "gone_count": 0, "missing_runs": 0}
        for key, value in (
            ("etag", etag),
            ("last_modified", last_modified),
            ("lastmod_hint", lastmod_hint),
        ):
            if value is not None:
                values[key] = value
        with writing(self.engine) as conn:
            conn.execute(update(documents).where(documents.c.id == doc_id).values(**values))

    def touch_many(self, doc_ids: Iterable[str], *, chunk: int = 500) -> None:
        """Bump ``last_seen`` for documents confirmed unchanged, in a few statements."""
        ids = list(doc_ids)
        now = self.clock()
        with writing(self.engine) as conn:
            for start in range(0, len(ids), chunk):
                conn.execute(
                    update(documents)
                    .where(documents.c.id.in_(ids[start : start + chunk]))
                    .values(last_seen=now)
                )

    def record_gone(self, doc_id: str, *, confirmations: int = 2) -> bool:
        """Count a 404/410; delete once it was seen ``confirmations`` times. True if deleted."""
        with writing(self.engine) as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
            if row is None or row.deleted_at is not None:
                return False
            count = int(row.gone_count) + 1
            conn.execute(update(documents).where(documents.c.id == doc_id).values(gone_count=count))
            if count >= confirmations:
                self._delete_in(conn, row.id, row.source, int(row.version))
                return True
            return False

    def record_missing(self, source: str, seen_ids: set[str], *, confirmations: int) -> list[str]:
        """After a healthy run: count runs a live document was absent; delete at the limit."""
        deleted: list[str] = []
        with writing(self.engine) as conn:
            rows = conn.execute(
                select(documents.c.id, documents.c.missing_runs, documents.c.version).where(
                    documents.c.source == source, documents.c.deleted_at.is_(None)
                )
            ).all()
            for row in rows:
                if row.id in seen_ids:
                    continue
                missing = int(row.missing_runs) + 1
                conn.execute(
                    update(documents).where(documents.c.id == row.id).values(missing_runs=missing)
                )
                if missing >= confirmations:
                    self._delete_in(conn, row.id, source, int(row.version))
                    deleted.append(row.id)
        return deleted

    def record_evidence(
        self,
        source: str,
        *,
        gone: set[str],
        present: set[str],
        gone_confirmations: int,
        missing_runs: int,
    ) -> list[tuple[str, str, str]]:
        """After a healthy, complete run: count each live document of ``source`` that
        answered 404/410 (``gone``) or was not accounted for (not in ``present``).
        Deletes nothing; returns ``(id, url, why)`` of those that reached their limit
        (why: "gone" or "missing") for the caller to delete or hold."""
        due: list[tuple[str, str, str]] = []
        with writing(self.engine) as conn:
            rows = conn.execute(
                select(
                    documents.c.id, documents.c.url, documents.c.gone_count,
                    documents.c.missing_runs,
                ).where(documents.c.source == source, documents.c.deleted_at.is_(None))
            ).all()  # fmt: skip
            for row in rows:
                if row.id in present and row.id not in gone:
                    continue
                values = {"missing_runs": int(row.missing_runs) + 1}
                if row.id in gone:
                    values["gone_count"] = int(row.gone_count) + 1
                conn.execute(update(documents).where(documents.c.id == row.id).values(**values))
                if values.get("gone_count", 0) >= gone_confirmations:
                    due.append((row.id, row.url, "gone"))
                elif values["missing_runs"] >= missing_runs and row.id not in gone:
                    due.append((row.id, row.url, "missing"))
        return due

    def delete_many(self, doc_ids: Iterable[str]) -> list[str]:
        """Delete each still-live id (one transaction each); the ids actually deleted."""
        return [doc_id for doc_id in doc_ids if self.delete(doc_id)]

    def delete(self, doc_id: str) -> bool:
        with writing(self.engine) as conn:
            row = conn.execute(select(documents).where(documents.c.id == doc_id)).first()
            if row is None or row.deleted_at is not None:
                return False
            self._delete_in(conn, row.id, row.source, int(row.version))
            return True

    def _delete_in(self, conn: Connection, doc_id: str, source: str, version: int) -> None:
        now = self.clock()
        conn.execute(
            update(documents)
            .where(documents.c.id == doc_id)
            .values(deleted_at=now, version=version + 1, last_changed=now)
        )
        _queue(conn, doc_id, source, "delete", version + 1, now)

    # -- the outbox, drained by the indexer --------------------------------------
    def outbox_pending(self, *, limit: int = 1000, after: str = "") -> list[OutboxItem]:
        """Pending rows in doc-id order after ``after`` (for paging through a big outbox)."""
        query = (
            select(outbox, documents.c.doc)
            .join(documents, documents.c.id == outbox.c.doc_id, isouter=True)
            .where(outbox.c.doc_id > after)
            .order_by(outbox.c.doc_id)
            .limit(limit)
        )
        with reading(self.engine) as conn:
            rows: list[Any] = list(conn.execute(query).all())
        return [
            OutboxItem(
                doc_id=r.doc_id,
                source=r.source,
                op=r.op,
                version=int(r.version),
                attempts=int(r.attempts),
                last_error=r.last_error,
                document=Document.from_json(r.doc) if r.op == "index" and r.doc else None,
            )
            for r in rows
        ]

    def outbox_ack(self, acked: Iterable[tuple[str, int]]) -> int:
        """Remove rows Elasticsearch accepted, only if no newer version was queued since."""
        params = [{"d": doc_id, "v": version} for doc_id, version in acked]
        if not params:
            return 0
        # One executemany instead of a DELETE per row: the ack is on the sync's hot path.
        stmt = delete(outbox).where(
            and_(outbox.c.doc_id == bindparam("d"), outbox.c.version == bindparam("v"))
        )
        with writing(self.engine) as conn:
            return int(conn.execute(stmt, params).rowcount or 0)

    def outbox_fail(self, failures: Iterable[tuple[str, int, str]]) -> None:
        """Keep the rows, with their reason; they are retried by the next sync."""
        params = [{"d": d, "v": v, "reason": reason[:2000]} for d, v, reason in failures]
        if not params:
            return
        stmt = (
            update(outbox)
            .where(and_(outbox.c.doc_id == bindparam("d"), outbox.c.version == bindparam("v")))
            .values(attempts=outbox.c.attempts + 1, last_error=bindparam("reason"))
        )
        with writing(self.engine) as conn:
            conn.execute(stmt, params)

    def outbox_counts(self) -> dict[str, tuple[int, int]]:
        """Per source: (pending rows, rows that failed at least once)."""
        failed = func.sum((outbox.c.last_error.is_not(None)).cast(_int_type()))
        query = select(outbox.c.source, func.count(), failed).group_by(outbox.c.source)
        with reading(self.engine) as conn:
            rows: list[Any] = list(conn.execute(query).all())
        return {s: (int(n), int(f or 0)) for s, n, f in rows}


def _queue(
    conn: Connection, doc_id: str, source: str, op: str, version: int, now: datetime
) -> None:
    conn.execute(_UNQUEUE, {"doc_id": doc_id})
    conn.execute(
        _QUEUE,
        {"doc_id": doc_id, "source": source, "op": op, "version": version, "queued_at": now,
         "attempts": 0},
    )  # fmt: skip


def _int_type() -> Integer:
    return Integer()


def _stored(m: Any) -> StoredDocument:
    return StoredDocument(
        id=m["id"],
        url=m["url"],
        content_hash=m["content_hash"],
        doc_json=m["doc"],
        etag=m["etag"],
        last_modified=m["last_modified"],
        lastmod_hint=m["lastmod_hint"],
        first_seen=m["first_seen"],
        last_seen=m["last_seen"],
        deleted_at=m["deleted_at"],
        gone_count=int(m["gone_count"]),
        missing_runs=int(m["missing_runs"]),
        version=int(m["version"]),
    )
