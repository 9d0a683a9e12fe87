"""Crawl safety (issue #9): deletions held for an admin.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "deletion_holds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("live", sa.Integer, nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("decided_at", TZ),
        sa.Column("decided_by", sa.String(128)),
    )
    op.create_index(
        "ix_deletion_holds_source_status", "deletion_holds", ["source", "status"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_deletion_holds_source_status", table_name="deletion_holds")
    op.drop_table("deletion_holds")
