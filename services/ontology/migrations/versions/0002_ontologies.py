"""ontologies

Revision ID: ontology_0002
Revises: ontology_0001
"""

import sqlalchemy as sa

revision = "ontology_0002"
down_revision = "ontology_0001"
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    from alembic import op

    op.create_table(
        "ontology",
        sa.Column("ontology_hash", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("structure", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("owner_id", sa.BigInteger, nullable=False),
        _when("created_at"),
        _when("last_edited_at"),
    )
    op.create_index("ix_ontology_created_at_hash", "ontology", ["created_at", "ontology_hash"])
    op.create_table(
        "ontology_version",
        sa.Column("ontology_hash", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("structure", sa.Text, nullable=False),
        sa.Column("actor_id", sa.BigInteger, nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "ontology_user",
        sa.Column("ontology_hash", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("role", sa.Integer, nullable=False),
    )
    op.create_index("ix_ontology_user_user_id", "ontology_user", ["user_id"])
    op.create_table(
        "project_ontology",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("ontology_hash", sa.String(36), nullable=False),
        _when("attached_at"),
    )
    op.create_index("ix_project_ontology_ontology_hash", "project_ontology", ["ontology_hash"])


def downgrade() -> None:
    from alembic import op

    op.drop_table("project_ontology")
    op.drop_table("ontology_user")
    op.drop_table("ontology_version")
    op.drop_table("ontology")
