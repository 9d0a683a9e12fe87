"""The state database: one SQLAlchemy engine and the shared table metadata.

SQLite (WAL) by default, PostgreSQL by URL. The document store, the outbox, crawl
runs and the job queue all live here, so a crawl, its outbox rows and its job
progress commit together and survive a killed process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.exc import InterfaceError, OperationalError

from core import schema
from core.errors import ConfigError, StoreError

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source", String(64), nullable=False, index=True),
    Column("url", Text, nullable=False),
    # Province labels joined with "|" (core.store.join_provincies): a joint page has several.
    Column("provincie", Text, nullable=False),
    Column("doc", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("lastmod_hint", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("last_changed", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True)),
    Column("gone_count", Integer, nullable=False, default=0),
    Column("missing_runs", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=1),
)

# One pending row per document (latest wins). A row is removed only when the
# indexer acknowledges exactly that version, so a change during a sync is kept.
outbox = Table(
    "outbox",
    metadata,
    Column("doc_id", String(64), primary_key=True),
    Column("source", String(64), nullable=False),
    Column("op", String(8), nullable=False),  # "index" | "delete"
    Column("version", Integer, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
)

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # running | done | failed | interrupted
    Column("full", Integer, nullable=False, default=0),
    Column("report", JSON),
    Column("job_id", Integer),
)
Index("ix_crawl_runs_source_started", crawl_runs.c.source, crawl_runs.c.started_at)


def make_engine(url: str, *, migrate: bool = True, **kwargs: Any) -> Engine:
    """The engine for ``url``, its schema migrated to the newest revision (``core.schema``).

    SQLite gets WAL and a busy timeout. ``migrate=False`` leaves the schema as it is
    (``kennisbrug db current`` and the migration tests).
    """
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    try:
        engine = create_engine(url, future=True, **kwargs)
    except Exception as exc:  # SQLAlchemy raises several types for a bad URL
        raise ConfigError(f"KENNISBRUG_DB_URL={url!r} is not a usable database URL: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if not migrate:
        return engine
    try:
        schema.upgrade(engine)
    except (OperationalError, InterfaceError) as exc:
        raise StoreError(f"state database {url!r} cannot be opened: {exc.orig or exc}") from exc
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the web app read while the worker writes; NORMAL sync is durable
    # across process crashes (only an OS crash can lose the last commit).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads; an unreachable or locked database becomes a StoreError."""
    try:
        with engine.connect() as conn:
            yield conn
    except (OperationalError, InterfaceError) as exc:
        raise StoreError(f"state database unavailable: {exc.orig or exc}") from exc


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction (committed on success, rolled back on error), errors as in ``reading``."""
    try:
        with engine.begin() as conn:
            yield conn
    except (OperationalError, InterfaceError) as exc:
        raise StoreError(f"state database unavailable: {exc.orig or exc}") from exc
