"""recent items: the checklist items an examiner last tagged from the keyboard (keys 1-9), kept across reloads

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 19:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recent_items", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("recent_items")
