"""Provinces are data (issue #10): a document may belong to several provinces.

The store keeps the labels joined by "|" in ``documents.provincie`` for its per-source ×
provincie counts, so the column grows from String(32) to Text.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.alter_column(
            "provincie", existing_type=sa.String(32), type_=sa.Text, existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.alter_column(
            "provincie", existing_type=sa.Text, type_=sa.String(32), existing_nullable=False
        )
