"""Centre power: each centre's rated power, known to the server, bounds what its kiosks may report

Revision ID: 0004_centre_power
Revises: 0003_revocation
Create Date: 2026-11-27 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_centre_power"
down_revision = "0003_revocation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centres",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("rated_power_kw", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("centres")
