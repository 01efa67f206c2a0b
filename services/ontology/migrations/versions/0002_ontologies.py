"""ontologies

Revision ID: ontology_0002
Revises: ontology_0001
"""

revision = "ontology_0002"
down_revision = "ontology_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
