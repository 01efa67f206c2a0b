"""initial: event bus tables and the deleted-project record

Revision ID: ontology_0001
Revises:
"""

from services.core.bus import create_bus_tables
from services.core.tombstones import create_deleted_project_table

revision = "ontology_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_bus_tables(op)
    create_deleted_project_table(op)


def downgrade() -> None:
    from alembic import op

    op.drop_table("deleted_project")
    op.drop_table("processed_event")
    op.drop_table("outbox_event")
