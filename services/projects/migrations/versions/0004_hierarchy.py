"""EcoTaxa hierarchy: samples, acquisitions, processes, objects and their free fields

Revision ID: projects_0004
Revises: projects_0003
"""

import sqlalchemy as sa

revision = "projects_0004"
down_revision = "projects_0003"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:02d}" if i < 100 else f"{prefix}{i}" for i in range(1, count + 1)]


def _texts(prefix_count: int) -> list[sa.Column]:
    return [sa.Column(n, sa.Text, nullable=True) for n in _names("t", prefix_count)]


def upgrade() -> None:
    from alembic import op

    op.create_table(
        "sample",
        sa.Column("sampleid", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("projid", ROW_ID, nullable=False),
        sa.Column("orig_id", sa.String(255), nullable=False),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("dataportal_descriptor", sa.Text, nullable=False, server_default=""),
        *_texts(60),
        sa.Column("staging_job_id", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("projid", "orig_id", name="uq_sample_projid_orig_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_sample_staging_job_id", "sample", ["staging_job_id"])
    op.create_table(
        "acquisition",
        sa.Column("acquisid", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("acq_sample_id", ROW_ID, sa.ForeignKey("sample.sampleid", ondelete="CASCADE"), nullable=False),
        sa.Column("orig_id", sa.String(255), nullable=False),
        sa.Column("instrument", sa.String(255), nullable=False, server_default=""),
        *_texts(30),
        sa.Column("staging_job_id", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("acq_sample_id", "orig_id", name="uq_acquisition_sample_orig_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_acquisition_staging_job_id", "acquisition", ["staging_job_id"])
    op.create_table(
        "process",
        sa.Column("processid", ROW_ID, sa.ForeignKey("acquisition.acquisid", ondelete="CASCADE"),
                  primary_key=True, autoincrement=False),
        sa.Column("orig_id", sa.String(255), nullable=False),
        *_texts(30),
        sa.Column("staging_job_id", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_process_staging_job_id", "process", ["staging_job_id"])
    op.create_table(
        "obj_head",
        sa.Column("objid", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("projid", ROW_ID, nullable=False),
        sa.Column("acquisid", ROW_ID, sa.ForeignKey("acquisition.acquisid", ondelete="CASCADE"), nullable=False),
        sa.Column("sampleid", ROW_ID, nullable=False),
        sa.Column("data_unit_id", ROW_ID, sa.ForeignKey("data_unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("orig_id", sa.String(255), nullable=False),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("objdate", sa.Date, nullable=True),
        sa.Column("objtime", sa.Time, nullable=True),
        sa.Column("depth_min", sa.Float, nullable=True),
        sa.Column("depth_max", sa.Float, nullable=True),
        sa.Column("sunpos", sa.String(1), nullable=False, server_default="?"),
        sa.Column("object_link", sa.String(255), nullable=True),
        sa.Column("complement_info", sa.Text, nullable=True),
        sa.Column("random_value", sa.Integer, nullable=False),
        sa.Column("staging_job_id", sa.BigInteger, nullable=True),
        sa.UniqueConstraint("data_unit_id", name="uq_obj_head_data_unit_id"),
        sa.UniqueConstraint("projid", "orig_id", name="uq_obj_head_projid_orig_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_obj_head_projid_objid", "obj_head", ["projid", "objid"])
    op.create_index("ix_obj_head_acquisid_objid", "obj_head", ["acquisid", "objid"])
    op.create_index("ix_obj_head_sampleid_objid", "obj_head", ["sampleid", "objid"])
    op.create_index("ix_obj_head_projid_random", "obj_head", ["projid", "random_value"])
    op.create_index("ix_obj_head_staging_job_id", "obj_head", ["staging_job_id"])
    op.create_table(
        "obj_field",
        sa.Column("objid", ROW_ID, sa.ForeignKey("obj_head.objid", ondelete="CASCADE"), primary_key=True,
                  autoincrement=False),
        *[sa.Column(n, sa.Float, nullable=True) for n in _names("n", 500)],
        *_texts(20),
    )


def downgrade() -> None:
    from alembic import op

    for table in ("obj_field", "obj_head", "process", "acquisition", "sample"):
        op.drop_table(table)
