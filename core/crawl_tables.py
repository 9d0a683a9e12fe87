"""The crawler's own memory in the state database (on the shared ``core.db.metadata``).

``deletion_holds``: deletions a crawl run held for an admin (core.deletion_holds).
``url_state``: per canonical URL of a source's documents and listing pages, what the
next runs need (core.url_state): the link depth it was reached at, so a trap cannot
restart at depth 0 every run, and its revisit schedule (crawler.revisit).
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
    Column("reason", Text, nullable=False),  # English text (older rows: the only reason)
    Column("reason_code", JSON),  # the reason as a code (core.reasons), rendered per language
    Column("live", Integer, nullable=False),  # live documents of the source when held
    Column("items", JSON, nullable=False),  # [{"id", "url", "why"}]
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", String(128)),
)
Index("ix_deletion_holds_source_status", deletion_holds.c.source, deletion_holds.c.status)

url_state = Table(
    "url_state",
    metadata,
    Column("source", String(64), primary_key=True),
    Column("url", Text, primary_key=True),  # canonical
    Column("depth", Integer, nullable=False),  # smallest link depth it was reached at
    Column("interval_s", Integer),  # current revisit interval (seconds)
    Column("verified_at", DateTime(timezone=True)),  # last 200/304 from the site
    Column("due_at", DateTime(timezone=True)),  # next verification due
)
