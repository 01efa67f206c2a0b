"""datasets, data units and their images

Revision ID: projects_0003
Revises: projects_0002
"""

import sqlalchemy as sa

revision = "projects_0003"
down_revision = "projects_0002"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _now() -> sa.Column:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    from alembic import op

    op.create_table(
        "dataset",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("dataset_hash", sa.String(36), nullable=False, unique=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("owner_id", sa.BigInteger, nullable=False),
        sa.Column("own_project_id", ROW_ID, nullable=True, unique=True),
        sa.Column("unit_count", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", _now(), nullable=False),
        sa.Column("last_edited_at", _now(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_dataset_owner_id", "dataset", ["owner_id"])
    op.create_table(
        "project_dataset",
        sa.Column("project_id", ROW_ID, primary_key=True),
        sa.Column("dataset_id", ROW_ID, sa.ForeignKey("dataset.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("attached_at", _now(), nullable=False),
    )
    op.create_index("ix_project_dataset_dataset_id", "project_dataset", ["dataset_id"])
    op.create_table(
        "data_unit",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("data_hash", sa.String(36), nullable=False, unique=True),
        sa.Column("dataset_id", ROW_ID, sa.ForeignKey("dataset.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(1024), nullable=False),
        sa.Column("data_type", sa.String(16), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("blob_key", sa.String(64), nullable=True),
        sa.Column("size_bytes", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("width", sa.Integer, nullable=True),
        sa.Column("height", sa.Integer, nullable=True),
        sa.Column("frames", sa.Integer, nullable=True),
        sa.Column("fps", sa.Float, nullable=True),
        sa.Column("duration", sa.Float, nullable=True),
        sa.Column("client_metadata", sa.Text, nullable=False, server_default="{}"),
        sa.Column("creator_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", _now(), nullable=False),
        sa.Column("staging_job_id", sa.BigInteger, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_data_unit_dataset_id_id", "data_unit", ["dataset_id", "id"])
    op.create_index("ix_data_unit_dataset_type_id", "data_unit", ["dataset_id", "data_type", "id"])
    op.create_index("ix_data_unit_dataset_title", "data_unit", ["dataset_id", "title"])
    op.create_index("ix_data_unit_staging_job_id", "data_unit", ["staging_job_id"])
    op.create_table(
        "data_image",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("data_unit_id", ROW_ID, sa.ForeignKey("data_unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("blob_key", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("orig_file_name", sa.String(1024), nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("thumb_key", sa.String(64), nullable=True),
        sa.Column("thumb_width", sa.Integer, nullable=True),
        sa.Column("thumb_height", sa.Integer, nullable=True),
        sa.UniqueConstraint("data_unit_id", "rank", name="uq_data_image_unit_rank"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_data_image_blob_key", "data_image", ["blob_key"])


def downgrade() -> None:
    from alembic import op

    for table in ("data_image", "data_unit", "project_dataset", "dataset"):
        op.drop_table(table)
