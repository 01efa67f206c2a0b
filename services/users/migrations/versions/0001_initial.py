"""initial: event bus tables, accounts, API keys, project memberships, groups

Revision ID: users_0001
Revises:
"""

import sqlalchemy as sa

from services.core.bus import create_bus_tables

revision = "users_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    from alembic import op

    create_bus_tables(op)
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("organisation", sa.String(512), nullable=False, server_default=""),
        sa.Column("country", sa.String(100), nullable=False, server_default=""),
        sa.Column("orcid", sa.String(50), nullable=False, server_default=""),
        sa.Column("usercreationreason", sa.String(1000), nullable=False, server_default=""),
        sa.Column("usercreationdate", sa.DateTime, nullable=False),
        sa.Column("status", sa.SmallInteger, nullable=False, server_default="1"),
        sa.Column("status_date", sa.DateTime, nullable=True),
        sa.Column("status_admin_comment", sa.String(1000), nullable=False, server_default=""),
        sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ux_user_account_email", "user_account", ["email"], unique=True)
    op.create_index("ix_user_account_name", "user_account", ["name"])

    op.create_table(
        "api_key",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_used_at", sa.DateTime, nullable=True),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_api_key_user_id", "api_key", ["user_id"])

    # The primary key (project_id, user_id) serves per-project reads; the user_id index serves
    # "every project of this user".
    op.create_table(
        "project_member",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", sa.SmallInteger, nullable=False),
        sa.Column("contact", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_project_member_user_id", "project_member", ["user_id"])

    op.create_table(
        "user_group",
        sa.Column("group_hash", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(2000), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_user_group_owner_id", "user_group", ["owner_id"])

    op.create_table(
        "group_member",
        sa.Column("group_hash", sa.String(36), sa.ForeignKey("user_group.group_hash", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_group_member_user_id", "group_member", ["user_id"])

    op.create_table(
        "project_group",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("group_hash", sa.String(36), sa.ForeignKey("user_group.group_hash", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("role", sa.SmallInteger, nullable=False),
    )
    op.create_index("ix_project_group_group_hash", "project_group", ["group_hash"])


def downgrade() -> None:
    from alembic import op

    for table in ("project_group", "group_member", "user_group", "project_member", "api_key", "user_account",
                  "processed_event", "outbox_event"):
        op.drop_table(table)
