"""EcoTaxa classifications, their history and kept statistics

Revision ID: labels_0005
Revises: labels_0004
"""

import sqlalchemy as sa

revision = "labels_0005"
down_revision = "labels_0004"
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    from alembic import op

    op.create_table(
        "object_classif",
        sa.Column("objid", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("project_id", sa.BigInteger, nullable=False),
        sa.Column("classif_id", sa.BigInteger, nullable=True),
        sa.Column("classif_qual", sa.String(1), nullable=True),
        sa.Column("classif_who", sa.BigInteger, nullable=True),
        sa.Column("classif_date", sa.DateTime, nullable=True),
        sa.Column("classif_score", sa.Float, nullable=True),
        sa.Column("staging_job_id", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_object_classif_project", "object_classif", ["project_id", "objid"])
    op.create_index("ix_object_classif_taxon", "object_classif", ["project_id", "classif_id"])
    op.create_index("ix_object_classif_staging", "object_classif", ["staging_job_id"])
    op.create_table(
        "classif_history",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column("objid", sa.BigInteger, nullable=False),
        sa.Column("project_id", sa.BigInteger, nullable=False),
        sa.Column("classif_id", sa.BigInteger, nullable=True),
        sa.Column("classif_qual", sa.String(1), nullable=True),
        sa.Column("classif_who", sa.BigInteger, nullable=True),
        sa.Column("classif_date", sa.DateTime, nullable=True),
        sa.Column("classif_score", sa.Float, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_classif_history_object", "classif_history", ["objid", "id"])
    op.create_index("ix_classif_history_user", "classif_history", ["project_id", "classif_who"])
    op.create_table(
        "taxo_stat",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("classif_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("nbr", sa.Integer, nullable=False),
        sa.Column("nbr_v", sa.Integer, nullable=False),
        sa.Column("nbr_d", sa.Integer, nullable=False),
        sa.Column("nbr_p", sa.Integer, nullable=False),
    )
    op.create_table(
        "annotator_stat",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("nb_actions", sa.Integer, nullable=False),
        sa.Column("last_annot", sa.DateTime, nullable=True),
    )
    op.create_table(
        "project_counter",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    from alembic import op

    for table in ("project_counter", "annotator_stat", "taxo_stat", "classif_history", "object_classif"):
        op.drop_table(table)
