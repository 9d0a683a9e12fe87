"""Per-URL crawl memory (issue #9): discovery depth and the revisit schedule.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "url_state",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("interval_s", sa.Integer),
        sa.Column("verified_at", TZ),
        sa.Column("due_at", TZ),
    )


def downgrade() -> None:
    op.drop_table("url_state")
