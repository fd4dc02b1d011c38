"""Drafts keep their typed parameters; a kiosk's clock error and doubted readings are kept

Revision ID: 0002_typed_drafts
Revises: 0001
Create Date: 2026-11-27 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_typed_drafts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("params", sa.Text(), nullable=False, server_default="{}"))
    with op.batch_alter_table("kiosks") as batch:
        batch.add_column(sa.Column("clock_skew_s", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("doubt", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as batch:
        batch.drop_column("doubt")
        batch.drop_column("clock_skew_s")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("params")
