"""The job tables in the state database (on the shared ``core.db.metadata``).

``jobs`` holds one row per requested run with its progress and report;
``job_lock`` holds a single row that every rule-keeping transaction in
``core.jobs`` updates first, which serialises claimers on SQLite and PostgreSQL;
``schedule_next_runs`` is the worker scheduler's next firing per source.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from core.db import metadata

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # crawl | crawl_url | sync | reindex
    Column("source", String(64)),
    Column("params", JSON, nullable=False),
    # Identical requests share a key; a queued job with the same key absorbs new ones.
    Column("coalesce_key", String(600), nullable=False),
    Column("state", String(16), nullable=False),
    Column("enqueued_by", String(128), nullable=False),
    Column("enqueued_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("heartbeat_at", DateTime(timezone=True)),
    Column("worker_id", String(200)),
    Column("worker_host", String(200)),
    Column("worker_pid", Integer),
    Column("progress_done", Integer, nullable=False, default=0),
    Column("progress_total", Integer),
    Column("progress_message", Text),
    Column("report", JSON),
    Column("error", Text),
    # The tail of the traceback of an unexpected failure (see JobQueue.finish).
    Column("error_traceback", Text),
    Column("cancel_requested", Integer, nullable=False, default=0),
    Column("attempt", Integer, nullable=False, default=1),
    Column("retry_of", Integer),
)
Index("ix_jobs_state_id", jobs.c.state, jobs.c.id)
Index("ix_jobs_kind_source", jobs.c.kind, jobs.c.source, jobs.c.id)

job_lock = Table(
    "job_lock",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("generation", Integer, nullable=False, default=0),
)
# Its one row ("queue") is inserted by the migration that creates the table (0001).

# When the worker's scheduler will next enqueue each source's crawl, written by the
# worker itself (kennisbrug/scheduling.py) on start and after every firing, so the
# dashboard shows the worker's own plan rather than a second guess at it.
schedule_next_runs = Table(
    "schedule_next_runs",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("next_run_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
