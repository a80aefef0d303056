"""job queue: procrastinate's tables on PostgreSQL (SQLite keeps the in-process worker)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 13:45:00

The schema is the one of the pinned procrastinate version (requirements.txt). A later
procrastinate upgrade that changes it ships SQL migrations (procrastinate/sql/migrations):
apply them in a new Alembic revision, see docs/deployment.md.
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # the DBAPI connection of this migration's transaction: several statements, no parameters
    bind.connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.connection.driver_connection.execute(
        "DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, "
        "procrastinate_workers CASCADE"
    )
