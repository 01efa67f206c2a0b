"""Project counters' version and the TSV files a project imported

Revision ID: projects_0005
Revises: projects_0004
"""

import sqlalchemy as sa

revision = "projects_0005"
down_revision = "projects_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("stats_version", sa.BigInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("fileloaded", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    from alembic import op

    with op.batch_alter_table("project") as batch:
        batch.drop_column("fileloaded")
        batch.drop_column("stats_version")
