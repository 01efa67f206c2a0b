"""initial: event bus tables and projects

Revision ID: projects_0001
Revises:
"""

import sqlalchemy as sa

from services.core.bus import create_bus_tables

revision = "projects_0001"
down_revision = None
branch_labels = None
depends_on = None

PROJECT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _text(name: str, default: str = "") -> sa.Column:
    return sa.Column(name, sa.Text, nullable=False, server_default=default)


def upgrade() -> None:
    from alembic import op

    create_bus_tables(op)
    op.create_table(
        "project",
        sa.Column("projid", PROJECT_ID, primary_key=True, autoincrement=True),
        sa.Column("project_hash", sa.String(36), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        _text("description"),
        sa.Column("visible", sa.Boolean, nullable=False),
        sa.Column("license", sa.String(32), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("instrument", sa.String(255), nullable=False),
        sa.Column("instrument_url", sa.String(255), nullable=False),
        _text("comments"),
        _text("classifsettings"),
        _text("classiffieldlist"),
        _text("popoverfieldlist"),
        _text("rf_models_used"),
        sa.Column("cnn_network_id", sa.String(255), nullable=False),
        _text("init_classif_list", "[]"),
        _text("bodc_variables", "{}"),
        _text("obj_free_cols", "{}"),
        _text("sample_free_cols", "{}"),
        _text("acquisition_free_cols", "{}"),
        _text("process_free_cols", "{}"),
        sa.Column("objcount", sa.Float, nullable=False),
        sa.Column("pctvalidated", sa.Float, nullable=False),
        sa.Column("pctclassified", sa.Float, nullable=False),
        sa.Column("ontology_hash", sa.String(36), nullable=True),
        sa.Column("creator_id", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_edited_at", sa.DateTime, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_project_project_hash", "project", ["project_hash"], unique=True)
    op.create_index("ix_project_title", "project", ["title"])
    op.create_index("ix_project_visible", "project", ["visible"])
    op.create_index("ix_project_instrument", "project", ["instrument"])
    op.create_index("ix_project_created_at", "project", ["created_at"])


def downgrade() -> None:
    from alembic import op

    op.drop_table("project")
    op.drop_table("processed_event")
    op.drop_table("outbox_event")
