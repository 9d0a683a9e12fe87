"""Anonymous searches per address and 10-second window, shared by every web process
(issue #11 item 5): ``core.search_rate``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_rate_counts",
        sa.Column("address", sa.String(64), primary_key=True),
        sa.Column("window_start", sa.Integer, primary_key=True),
        sa.Column("searches", sa.Integer, nullable=False),
    )
    op.create_index("ix_search_rate_counts_window", "search_rate_counts", ["window_start"])


def downgrade() -> None:
    op.drop_index("ix_search_rate_counts_window", table_name="search_rate_counts")
    op.drop_table("search_rate_counts")
