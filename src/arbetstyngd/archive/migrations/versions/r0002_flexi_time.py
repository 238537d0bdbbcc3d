"""Flexi-time balances beside the self-ratings (hours, + is time owed to the worker).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rating") as batch:
        batch.add_column(sa.Column("flexi_hours", sa.Float(precision=53), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rating") as batch:
        batch.drop_column("flexi_hours")
