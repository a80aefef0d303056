"""job step: the step a running transcription is in (a mono call's speaker step), for its progress bar

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 22:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transcription_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transcription_jobs", schema=None) as batch_op:
        batch_op.drop_column("step")
