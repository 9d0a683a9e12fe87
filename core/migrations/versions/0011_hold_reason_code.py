"""Held deletions keep their reason as a code the admin pages translate (issue #13).

``deletion_holds.reason_code`` holds ``{"code": "sudden_drop", "due": ..., "live": ...,
"limit": ...}`` (core.reasons) beside the English ``reason`` text. Existing rows keep
only their text, which /beheer shows as it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deletion_holds", sa.Column("reason_code", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("deletion_holds") as batch:
        batch.drop_column("reason_code")
