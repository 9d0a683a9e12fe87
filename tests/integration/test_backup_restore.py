"""The runbook's PostgreSQL backup, for real: ``pg_dump -Fc`` of a database the app
filled, ``pg_restore`` into an empty database, and the app working on the restored copy
with every row there (docs/deployment.md, "Backups and restore")."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import func, select

from core import schema
from core.accounts import Accounts
from core.db import make_engine
from core.jobs import JobQueue, JobState, WorkerIdentity
from core.models import Document
from core.store import DocumentStore
from tests.pgserver import PostgresServer


def test_a_pg_dump_restores_into_an_empty_database_with_every_row(
    pg_server: PostgresServer, pg_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(pg_database_url)
    store = DocumentStore(engine)
    for n in range(20):
        store.save(Document(url=f"http://ekic.test/artikel.php?id={n}", source="ekic",
                            provincie=("Limburg",), type="artikel", title=f"T{n}", body="Voorlezen"))  # fmt: skip
    store.delete(store.outbox_pending()[0].doc_id)
    fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    Accounts(engine, hasher=fast).add_user("anne", "geheim-genoeg", "admin")
    queue = JobQueue(engine)
    queue.enqueue("sync", enqueued_by="cli")
    dump = tmp_path / "kennisbrug.dump"
    source_db = pg_database_url.rsplit("/", 1)[1]
    done = pg_server.client_tool("pg_dump", "-Fc", "-f", str(dump), source_db)
    assert done.returncode == 0, done.stderr
    tables = sorted(schema.all_metadata().tables)
    with engine.connect() as conn:
        before = {t: conn.execute(select(func.count()).select_from(schema.all_metadata().tables[t])).scalar_one() for t in tables}  # fmt: skip

    target = pg_server.fresh_database()
    try:
        done = pg_server.client_tool("pg_restore", "--no-owner", "-d", target, str(dump))
        assert done.returncode == 0, done.stderr
        restored = make_engine(pg_server.url(target))
        assert schema.current_revision(restored) == schema.head_revision()
        with restored.connect() as conn:
            after = {t: conn.execute(select(func.count()).select_from(schema.all_metadata().tables[t])).scalar_one() for t in tables}  # fmt: skip
        assert after == before and after["documents"] == 20
        copy = DocumentStore(restored)
        assert copy.count_live("ekic") == 19
        assert Accounts(restored, hasher=fast).authenticate("anne", "geheim-genoeg", ip="x")
        claimed = JobQueue(restored).claim_next(WorkerIdentity(id="w", host="h", pid=1))
        assert claimed is not None and claimed.kind == "sync" and claimed.state == JobState.RUNNING
        restored.dispose()
    finally:
        pg_server.drop_database(target)
