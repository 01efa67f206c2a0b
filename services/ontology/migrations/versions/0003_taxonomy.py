"""taxonomy

Revision ID: ontology_0003
Revises: ontology_0002
"""

revision = "ontology_0003"
down_revision = "ontology_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        "taxon",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("parent_id", sa.BigInteger, nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("search_key", sa.String(200), nullable=False),
        sa.Column("rank", sa.String(64), nullable=False),
        sa.Column("type", sa.String(1), nullable=False),
        sa.Column("display_name", sa.String(1000), nullable=False),
        sa.Column("aphia_id", sa.BigInteger, nullable=True),
        sa.Column("status", sa.String(1), nullable=False),
        sa.Column("rename_to", sa.BigInteger, nullable=True),
        sa.Column("nbrobj", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("nbrobjcum", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_taxon_parent_id", "taxon", ["parent_id"])
    op.create_index("ix_taxon_search_key", "taxon", ["search_key"])
    op.create_index("ix_taxon_display_name", "taxon", ["display_name"], unique=True)


def downgrade() -> None:
    from alembic import op

    op.drop_index("ix_taxon_display_name", table_name="taxon")
    op.drop_index("ix_taxon_search_key", table_name="taxon")
    op.drop_index("ix_taxon_parent_id", table_name="taxon")
    op.drop_table("taxon")
