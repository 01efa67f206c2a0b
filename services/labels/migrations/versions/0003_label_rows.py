"""label rows

Revision ID: labels_0003
Revises: labels_0002
"""

import sqlalchemy as sa

revision = "labels_0003"
down_revision = "labels_0002"
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    from alembic import op

    op.create_table(
        "label_row",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.BigInteger, nullable=False),
        sa.Column("data_hash", sa.String(36), nullable=False),
        sa.Column("branch_name", sa.String(255), nullable=False),
        sa.Column("label_hash", sa.String(36), nullable=True, unique=True),
        sa.Column("dataset_hash", sa.String(36), nullable=False),
        sa.Column("dataset_title", sa.String(255), nullable=False),
        sa.Column("data_title", sa.String(1024), nullable=False),
        sa.Column("data_type", sa.String(16), nullable=False),
        sa.Column("units", sa.Text, nullable=False),
        sa.Column("client_metadata", sa.Text, nullable=False, server_default="{}"),
        sa.Column("label_status", sa.String(24), nullable=False),
        sa.Column("annotation_task_status", sa.String(16), nullable=False),
        sa.Column("workflow_stage_uuid", sa.String(36), nullable=True),
        sa.Column("workflow_stage_title", sa.String(255), nullable=True),
        sa.Column("is_shadow_data", sa.Boolean, nullable=False),
        sa.Column("content", sa.Text, nullable=True),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(320), nullable=True),
        sa.Column("last_edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_edited_by", sa.String(320), nullable=True),
        sa.UniqueConstraint("project_id", "data_hash", "branch_name", name="uq_label_row_unit_branch"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_label_row_page", "label_row", ["project_id", "branch_name", "id"])
    op.create_index("ix_label_row_label_status", "label_row", ["project_id", "branch_name", "label_status", "id"])
    op.create_index("ix_label_row_task_status", "label_row",
                    ["project_id", "branch_name", "annotation_task_status", "id"])
    op.create_index("ix_label_row_title", "label_row", ["project_id", "data_title"])
    op.create_index("ix_label_row_data_hash", "label_row", ["data_hash"])


def downgrade() -> None:
    from alembic import op

    op.drop_table("label_row")
