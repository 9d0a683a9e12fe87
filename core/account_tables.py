"""Tables for sign-in and accountability (on the shared ``core.db.metadata``).

Users and API tokens for the admin pages and automation, server-side sign-in
sessions, failed sign-ins for rate limiting, the audit log of who triggered what,
and the log of staff queries that feeds the "search insight" page.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text

from core.db import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # staff | admin
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Bumped on every password change so that old session cookies stop working.
    Column("session_epoch", Integer, nullable=False, default=1),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    # Only a SHA-256 of the token is kept; the token itself is shown once.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("expires_at", DateTime(timezone=True)),  # None = does not expire
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_sign_in_failures_user_ip", sign_in_failures.c.username, sign_in_failures.c.ip)

# Server-side sign-in sessions: the cookie carries only a random id (kept here as a
# SHA-256), so signing out, "sign out everywhere" and a password change end a session
# in every web process at once, and a replayed cookie is worthless afterwards.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's session id
    Column("user_id", Integer, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("ip", String(64)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),  # admin:<user>, api-token:<name>, cli, ...
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False, default=""),
    Column("detail", JSON),
    Column("ip", String(64)),
)
Index("ix_audit_log_at", audit_log.c.at)

query_log = Table(
    "query_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("q", String(200), nullable=False),  # normalised: trimmed, lower case
    Column("hits", Integer, nullable=False),
    Column("filters", JSON),
)
Index("ix_query_log_at", query_log.c.at)
