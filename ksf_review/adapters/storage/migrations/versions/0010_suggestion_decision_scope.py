"""suggestion decision scope: a decision made in a blind calibration assessment stays there

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 22:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestion_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assessment_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestion_decisions", schema=None) as batch_op:
        batch_op.drop_column("assessment_id")
