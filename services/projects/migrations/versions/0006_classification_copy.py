"""A copy of the labels service's classification of each object, and who annotated it

Revision ID: projects_0006
Revises: projects_0005
"""

import sqlalchemy as sa

revision = "projects_0006"
down_revision = "projects_0005"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    from alembic import op

    op.create_table(
        "obj_classif",
        sa.Column("objid", ROW_ID, primary_key=True, autoincrement=False),
        sa.Column("projid", ROW_ID, nullable=False),
        sa.Column("classif_id", sa.BigInteger, nullable=True),
        sa.Column("classif_qual", sa.String(1), nullable=True),
        sa.Column("classif_who", sa.BigInteger, nullable=True),
        sa.Column("classif_date", sa.DateTime, nullable=True),
        sa.Column("classif_score", sa.Float, nullable=True),
    )
    op.create_index("ix_obj_classif_taxon", "obj_classif", ["projid", "classif_id"])
    op.create_index("ix_obj_classif_state", "obj_classif", ["projid", "classif_qual"])
    op.create_table(
        "obj_annotator",
        sa.Column("objid", ROW_ID, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("projid", ROW_ID, nullable=False),
    )
    op.create_index("ix_obj_annotator_user", "obj_annotator", ["projid", "user_id"])


def downgrade() -> None:
    from alembic import op

    op.drop_table("obj_annotator")
    op.drop_table("obj_classif")
