"""background jobs

Revision ID: ontology_0004
Revises: ontology_0003
"""

from services.core.jobs.store import create_job_tables

revision = "ontology_0004"
down_revision = "ontology_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_job_tables(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("job")
