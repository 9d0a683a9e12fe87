"""The crawler's own memory in the state database (on the shared ``core.db.metadata``).

``deletion_holds``: deletions a crawl run held for an admin (core.deletion_holds).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text

from core.db import metadata

deletion_holds = Table(
    "deletion_holds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("run_id", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # pending | confirmed | rejected | replaced
    Column("reason", Text, nullable=False),
    Column("live", Integer, nullable=False),  # live documents of the source when held
    Column("items", JSON, nullable=False),  # [{"id", "url", "why"}]
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(128)),
)
Index("ix_deletion_holds_source_status", deletion_holds.c.source, deletion_holds.c.status)
