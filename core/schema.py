"""Schema migrations of the state database (Alembic), on SQLite and PostgreSQL alike.

The tables are declared with SQLAlchemy in ``core.db``, ``core.account_tables``,
``core.job_tables`` and ``core.runs``; every change to them is an Alembic revision
in ``core/migrations/versions`` (see docs/decisions.md, "Issue #11", for how to add
one). ``upgrade`` brings a database to the newest revision; ``core.db.make_engine``
calls it at start-up and ``kennisbrug db upgrade`` on demand. Several processes may
start at once (two web processes and a worker on one PostgreSQL), so the upgrade runs
under a lock: a transaction-level advisory lock on PostgreSQL, a file lock next to a
SQLite file. A database made before migrations existed (``create_all``, no
``alembic_version`` table) is adopted by the first revision, which creates only the
tables that are missing and keeps the data in the others.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Key of the PostgreSQL advisory lock held while migrating (any constant bigint).
_PG_LOCK_KEY = 0x6B620001


def all_metadata() -> MetaData:
    """The shared metadata with every table module imported (for autogenerate and tests)."""
    from core import (  # noqa: F401  (tables)
        account_tables,
        crawl_tables,
        job_tables,
        runs,
        search_rate,
        synonym_store,
    )
    from core.db import metadata

    return metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision; more than one head is a mistake in the migrations."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads {heads}; merge them")
    return str(heads[0])


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: empty or made before migrations)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision`` (default: the newest); a no-op when already there."""
    # On SQLite the check runs under the file lock too: a process that connects while
    # another one migrates a new file could otherwise get "database is locked" (seen
    # with four processes starting at once).
    with _migration_lock(engine):
        if revision == "head" and current_revision(engine) == head_revision():
            return
        _upgrade(engine, revision)


def _upgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Held until this transaction commits: a second process waits here, then
            # finds the schema at head and does nothing.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate back to ``revision`` ("base" = empty); for tests and emergencies."""
    with _migration_lock(engine), engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """On a SQLite file, an exclusive file lock beside it; elsewhere nothing (see above)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
