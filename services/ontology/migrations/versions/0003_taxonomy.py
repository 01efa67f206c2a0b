"""taxonomy

Revision ID: ontology_0003
Revises: ontology_0002
"""

revision = "ontology_0003"
down_revision = "ontology_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
