"""The state schema as it stood before migrations: store, outbox, runs, jobs, accounts.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

A database made by the releases before Alembic (``metadata.create_all``, no
``alembic_version``) already holds some or all of these tables, with data: only the
missing ones are created, so upgrading such a database keeps every row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _tables() -> list[tuple[str, list[sa.Column[object]], list[tuple[str, list[str], bool]]]]:
    """(table, columns, [(index, columns, unique)]) — frozen here, whatever the models say later."""
    return [
        (
            "documents",
            [
                sa.Column("id", sa.String(64), primary_key=True),
                sa.Column("source", sa.String(64), nullable=False),
                sa.Column("url", sa.Text, nullable=False),
                sa.Column("provincie", sa.String(32), nullable=False),
                sa.Column("doc", sa.JSON, nullable=False),
                sa.Column("content_hash", sa.String(64), nullable=False),
                sa.Column("etag", sa.Text),
                sa.Column("last_modified", sa.Text),
                sa.Column("lastmod_hint", sa.Text),
                sa.Column("first_seen", TZ, nullable=False),
                sa.Column("last_seen", TZ, nullable=False),
                sa.Column("last_changed", TZ, nullable=False),
                sa.Column("deleted_at", TZ),
                sa.Column("gone_count", sa.Integer, nullable=False),
                sa.Column("missing_runs", sa.Integer, nullable=False),
                sa.Column("version", sa.Integer, nullable=False),
            ],
            [("ix_documents_source", ["source"], False)],
        ),
        (
            "outbox",
            [
                sa.Column("doc_id", sa.String(64), primary_key=True),
                sa.Column("source", sa.String(64), nullable=False),
                sa.Column("op", sa.String(8), nullable=False),
                sa.Column("version", sa.Integer, nullable=False),
                sa.Column("queued_at", TZ, nullable=False),
                sa.Column("attempts", sa.Integer, nullable=False),
                sa.Column("last_error", sa.Text),
            ],
            [],
        ),
        (
            "crawl_runs",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("source", sa.String(64), nullable=False),
                sa.Column("started_at", TZ, nullable=False),
                sa.Column("finished_at", TZ),
                sa.Column("status", sa.String(16), nullable=False),
                sa.Column("full", sa.Integer, nullable=False),
                sa.Column("report", sa.JSON),
                sa.Column("job_id", sa.Integer),
            ],
            [("ix_crawl_runs_source_started", ["source", "started_at"], False)],
        ),
        (
            "hub_pages",
            [
                sa.Column("source", sa.String(64), primary_key=True),
                sa.Column("url", sa.Text, primary_key=True),
                sa.Column("fetch_url", sa.Text),
                sa.Column("etag", sa.Text),
                sa.Column("last_modified", sa.Text),
                sa.Column("links", sa.JSON, nullable=False),
                sa.Column("seen_at", TZ, nullable=False),
            ],
            [],
        ),
        (
            "jobs",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("kind", sa.String(16), nullable=False),
                sa.Column("source", sa.String(64)),
                sa.Column("params", sa.JSON, nullable=False),
                sa.Column("coalesce_key", sa.String(600), nullable=False),
                sa.Column("state", sa.String(16), nullable=False),
                sa.Column("enqueued_by", sa.String(128), nullable=False),
                sa.Column("enqueued_at", TZ, nullable=False),
                sa.Column("started_at", TZ),
                sa.Column("finished_at", TZ),
                sa.Column("heartbeat_at", TZ),
                sa.Column("worker_id", sa.String(200)),
                sa.Column("worker_host", sa.String(200)),
                sa.Column("worker_pid", sa.Integer),
                sa.Column("progress_done", sa.Integer, nullable=False),
                sa.Column("progress_total", sa.Integer),
                sa.Column("progress_message", sa.Text),
                sa.Column("report", sa.JSON),
                sa.Column("error", sa.Text),
                sa.Column("cancel_requested", sa.Integer, nullable=False),
                sa.Column("attempt", sa.Integer, nullable=False),
                sa.Column("retry_of", sa.Integer),
            ],
            [
                ("ix_jobs_state_id", ["state", "id"], False),
                ("ix_jobs_kind_source", ["kind", "source", "id"], False),
            ],
        ),
        (
            "job_lock",
            [
                sa.Column("name", sa.String(32), primary_key=True),
                sa.Column("generation", sa.Integer, nullable=False),
            ],
            [],
        ),
        (
            "users",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("username", sa.String(64), nullable=False, unique=True),
                sa.Column("password_hash", sa.Text, nullable=False),
                sa.Column("role", sa.String(16), nullable=False),
                sa.Column("created_at", TZ, nullable=False),
                sa.Column("session_epoch", sa.Integer, nullable=False),
            ],
            [],
        ),
        (
            "api_tokens",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("name", sa.String(64), nullable=False, unique=True),
                sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
                sa.Column("role", sa.String(16), nullable=False),
                sa.Column("created_by", sa.String(128), nullable=False),
                sa.Column("created_at", TZ, nullable=False),
                sa.Column("last_used_at", TZ),
            ],
            [],
        ),
        (
            "sign_in_failures",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("username", sa.String(64), nullable=False),
                sa.Column("ip", sa.String(64), nullable=False),
                sa.Column("at", TZ, nullable=False),
            ],
            [("ix_sign_in_failures_user_ip", ["username", "ip"], False)],
        ),
        (
            "audit_log",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("at", TZ, nullable=False),
                sa.Column("actor", sa.String(128), nullable=False),
                sa.Column("action", sa.String(64), nullable=False),
                sa.Column("target", sa.Text, nullable=False),
                sa.Column("detail", sa.JSON),
                sa.Column("ip", sa.String(64)),
            ],
            [("ix_audit_log_at", ["at"], False)],
        ),
        (
            "query_log",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("at", TZ, nullable=False),
                sa.Column("q", sa.String(200), nullable=False),
                sa.Column("hits", sa.Integer, nullable=False),
                sa.Column("filters", sa.JSON),
            ],
            [("ix_query_log_at", ["at"], False)],
        ),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for name, columns, indexes in _tables():
        if name in existing:
            continue  # made by create_all before migrations: keep it and its rows
        op.create_table(name, *columns)
        for index, on, unique in indexes:
            op.create_index(index, name, on, unique=unique)
    job_lock = sa.table("job_lock", sa.column("name", sa.String), sa.column("generation"))
    # The one row every rule-keeping transaction of the job queue updates first.
    if bind.execute(sa.select(job_lock.c.name).where(job_lock.c.name == "queue")).first() is None:
        op.bulk_insert(job_lock, [{"name": "queue", "generation": 0}])


def downgrade() -> None:
    for name, _columns, _indexes in reversed(_tables()):
        op.drop_table(name)
