"""Revocation: an admin token or a kiosk's token can be revoked (kept, with the time, for the record)

Revision ID: 0003_revocation
Revises: 0002_typed_drafts
Create Date: 2026-11-27 15:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_revocation"
down_revision = "0002_typed_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("admin_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_revoked", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosks", schema=None) as batch_op:
        batch_op.drop_column("token_revoked")
    with op.batch_alter_table("admin_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked")
