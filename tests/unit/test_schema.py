"""Schema migrations (Alembic) on SQLite and PostgreSQL: they build exactly the declared
tables, walk down and up again, adopt a database made before migrations without losing
a row, and several processes starting at once migrate it once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from argon2 import PasswordHasher
from sqlalchemy import Engine, MetaData, Table, inspect, select

from core import schema
from core.accounts import Accounts
from core.db import documents, make_engine, outbox
from core.jobs import JobQueue, JobState, WorkerIdentity
from core.query_log import top_queries
from core.runs import CrawlRuns, HubPages
from core.store import DocumentStore
from tests.pgserver import PostgresServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, schema.all_metadata()))


def test_the_migrations_have_one_head_and_build_exactly_the_declared_tables(db_url: str) -> None:
    # A table or column added to the models without a revision fails here.
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    assert len(scripts.get_heads()) == 1
    engine = make_engine(db_url)
    assert schema.current_revision(engine) == schema.head_revision()
    assert _differences(engine) == []


def test_every_revision_goes_down_and_up_again(db_url: str) -> None:
    engine = make_engine(db_url, migrate=False)
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    revisions = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    for revision in revisions:
        schema.upgrade(engine, revision)
        assert schema.current_revision(engine) == revision
    schema.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(engine)
    assert _differences(engine) == []
    # The job queue's lock row is there again, so claiming works.
    queue = JobQueue(engine)
    job = queue.enqueue("sync", enqueued_by="cli")
    assert queue.claim_next(WorkerIdentity(id="w", host="h", pid=1)) == queue.get(job.id)


@pytest.fixture(params=["sqlite", "postgresql"])
def pre_alembic_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    """A database exactly as the release before migrations left it, holding data.

    The dumps in tests/fixtures were made by that release's code (``create_all``, a
    crawl of three pages with one deleted, a user, an audit entry, a finished and a
    queued job, a crawl run, a hub page and a logged query).
    """
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'old.db'}"
        conn = sqlite3.connect(tmp_path / "old.db")
        conn.executescript((FIXTURES / "pre_alembic_sqlite.sql").read_text())
        conn.close()
    else:
        # A whole database: the dump, as pg_dump writes it, fills the public schema.
        db_url = request.getfixturevalue("pg_database_url")
        server: PostgresServer = request.getfixturevalue("pg_server")
        database = db_url.rsplit("/", 1)[1]
        # As the test's own user (client_tool), not the server's: the server's user may
        # not be able to read a clone in a private (mode 700) folder.
        loaded = server.client_tool(
            "psql", "-d", database, "-q", "-v", "ON_ERROR_STOP=1",
            "-f", str(FIXTURES / "pre_alembic_postgresql.sql"),
        )  # fmt: skip
        assert loaded.returncode == 0, loaded.stderr
    engine = make_engine(db_url, migrate=False)
    assert schema.current_revision(engine) is None
    assert "documents" in inspect(engine).get_table_names()
    return engine


def test_a_database_from_before_migrations_is_upgraded_with_all_its_data(
    pre_alembic_engine: Engine,
) -> None:
    engine = pre_alembic_engine
    # The columns the old release had (later revisions may add more).
    old = MetaData()
    names = ("documents", "outbox", "jobs", "users", "crawl_runs", "audit_log")
    old_tables = [Table(t, old, autoload_with=engine) for t in names]
    with engine.connect() as conn:
        before = {t.name: conn.execute(select(t)).all() for t in old_tables}
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    assert _differences(engine) == []
    with engine.connect() as conn:
        for table in old_tables:
            now = schema.all_metadata().tables[table.name]
            kept = select(*(now.c[c.name] for c in table.columns))
            assert conn.execute(kept).all() == before[table.name]
        assert len(conn.execute(select(documents)).all()) == 3
        assert len(conn.execute(select(outbox)).all()) == 3
    # The current code works on the adopted data.
    store = DocumentStore(engine)
    assert store.count_live("ekic") == 2
    assert {p.op for p in store.outbox_pending()} == {"index", "delete"}
    fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    anne = Accounts(engine, hasher=fast).authenticate("anne", "geheim-genoeg", ip="127.0.0.1")
    assert anne is not None and anne.is_admin
    queue = JobQueue(engine)
    assert [j.kind for j in queue.find(states=[JobState.DONE])] == ["crawl"]
    claimed = queue.claim_next(WorkerIdentity(id="w-new", host="h", pid=2))
    assert claimed is not None and claimed.kind == "sync"
    assert CrawlRuns(engine).baseline("ekic") is not None
    assert list(HubPages(engine).load("ekic")) == ["http://ekic.test/categorie/1"]
    assert [q.q for q in top_queries(engine, days=100000)] == ["voorlezen"]


def test_processes_starting_together_migrate_the_database_once(db_url: str) -> None:
    """Two web processes and a worker starting at once: every start succeeds, one migrates."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        try:
            barrier.wait()
            make_engine(db_url)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = make_engine(db_url, migrate=False)
    assert schema.current_revision(engine) == schema.head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from job_lock").scalar_one() == 1
