"""Initial schema: content releases, kiosk state, raw energy readings.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_release",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("release_number", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "kiosk_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "energy_reading",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("power_w", sa.Float(), nullable=False),
        sa.Column("energy_total_wh", sa.Float(), nullable=True),
        sa.Column("energy_today_wh", sa.Float(), nullable=True),
    )
    op.create_index("ix_energy_reading_read_at", "energy_reading", ["read_at"])


def downgrade() -> None:
    op.drop_index("ix_energy_reading_read_at", "energy_reading")
    op.drop_table("energy_reading")
    op.drop_table("kiosk_state")
    op.drop_table("content_release")
