"""workflow tasks, label logs, time entries

Revision ID: labels_0004
Revises: labels_0003
"""

import sqlalchemy as sa

revision = "labels_0004"
down_revision = "labels_0003"
branch_labels = None
depends_on = None

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    from alembic import op

    with op.batch_alter_table("label_row") as batch:
        batch.add_column(sa.Column("task_uuid", sa.String(36), nullable=True))
        batch.add_column(sa.Column("task_status", sa.String(16), nullable=True))
        batch.add_column(sa.Column("assignee_id", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("task", sa.Text, nullable=True))
        batch.create_unique_constraint("uq_label_row_task_uuid", ["task_uuid"])
    op.create_index("ix_label_row_stage", "label_row", ["project_id", "workflow_stage_uuid", "id"])
    op.create_table(
        "project_workflow",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("workflow", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "label_log",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.Column("user_email", sa.String(320), nullable=False),
        sa.Column("data_hash", sa.String(36), nullable=False),
        sa.Column("label_hash", sa.String(36), nullable=True),
        sa.Column("action", sa.Integer, nullable=False),
        sa.Column("identifier", sa.String(64), nullable=True),
        sa.Column("feature_hash", sa.String(64), nullable=True),
        sa.Column("label_name", sa.String(255), nullable=True),
        sa.Column("frame", sa.Integer, nullable=True),
        sa.Column("time_taken", sa.Integer, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_label_log_page", "label_log", ["project_id", "id"])
    op.create_index("ix_label_log_data", "label_log", ["project_id", "data_hash", "id"])
    op.create_index("ix_label_log_user", "label_log", ["project_id", "user_email", "id"])
    op.create_table(
        "time_entry",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column("project_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("user_email", sa.String(320), nullable=False),
        sa.Column("user_role", sa.Integer, nullable=True),
        sa.Column("data_hash", sa.String(36), nullable=False),
        sa.Column("data_title", sa.String(1024), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_time_entry_project_time", "time_entry", ["project_id", "recorded_at"])


def downgrade() -> None:
    from alembic import op

    op.drop_table("time_entry")
    op.drop_table("label_log")
    op.drop_table("project_workflow")
    op.drop_index("ix_label_row_stage", "label_row")
    with op.batch_alter_table("label_row") as batch:
        batch.drop_constraint("uq_label_row_task_uuid")
        for column in ("task", "assignee_id", "task_status", "task_uuid"):
            batch.drop_column(column)
