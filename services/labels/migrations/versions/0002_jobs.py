"""background jobs

Revision ID: labels_0002
Revises: labels_0001
"""

from services.core.jobs.store import create_job_tables

revision = "labels_0002"
down_revision = "labels_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_job_tables(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("job")
