"""Energy history: 5-minute average power (400 days) and daily energy (forever).

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "energy_bucket",
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("start_ts", sa.Integer(), nullable=False),
        sa.Column("power_sum_w", sa.Float(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "start_ts"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "energy_day",
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("energy_wh", sa.Float(), nullable=False),
        sa.Column("peak_w", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("source", "day"),
    )


def downgrade() -> None:
    op.drop_table("energy_day")
    op.drop_table("energy_bucket")
