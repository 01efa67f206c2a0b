"""The job table, kept by every service in its own database, and its queries."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from services.core.bus import utcnow
from services.core.db import JsonText

RowId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

PENDING, RUNNING, ASKING, ERROR, FINISHED = "P", "R", "A", "E", "F"
STATES = (PENDING, RUNNING, ASKING, ERROR, FINISHED)
# How many messages of a run are kept (EcoTaxa keeps 1,000).
MAX_ERRORS = 1000


def _json(default: str) -> sa.Column:
    return sa.Column(JsonText(), nullable=False, server_default=default)


class JobRow(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (
        sa.Index("ix_job_state_id", "state", "id"),
        sa.Index("ix_job_owner_id", "owner_id", "id"),
        {"sqlite_autoincrement": True},
    )

    # Local id; the public id is ``id × 8 + service number``.
    id: int | None = Field(default=None, sa_column=sa.Column(RowId, primary_key=True, autoincrement=True))
    type: str = Field(max_length=80)
    owner_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    project_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    state: str = Field(default=PENDING, max_length=1)
    step: int = 0
    progress_pct: int = 0
    progress_msg: str = Field(default="", max_length=1024)
    params: dict = Field(default_factory=dict, sa_column=_json("{}"))
    result: dict = Field(default_factory=dict, sa_column=_json("{}"))
    errors: list = Field(default_factory=list, sa_column=_json("[]"))
    question: dict = Field(default_factory=dict, sa_column=_json("{}"))
    reply: dict = Field(default_factory=dict, sa_column=_json("{}"))
    inside: dict = Field(default_factory=dict, sa_column=_json("{}"))
    # Which runner holds a running job, and when it last said it was alive.
    runner: str | None = Field(default=None, max_length=64)
    heartbeat_at: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True),
                                                                            nullable=True))
    creation_date: datetime = Field(default_factory=utcnow)
    updated_on: datetime = Field(default_factory=utcnow)


def create_job_tables(op) -> None:
    """For a service's Alembic revision that adds background jobs."""
    op.create_table(
        "job",
        sa.Column("id", RowId, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(80), nullable=False),
        sa.Column("owner_id", sa.BigInteger, nullable=False),
        sa.Column("project_id", sa.BigInteger, nullable=True),
        sa.Column("state", sa.String(1), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("progress_pct", sa.Integer, nullable=False),
        sa.Column("progress_msg", sa.String(1024), nullable=False),
        sa.Column("params", sa.Text, nullable=False, server_default="{}"),
        sa.Column("result", sa.Text, nullable=False, server_default="{}"),
        sa.Column("errors", sa.Text, nullable=False, server_default="[]"),
        sa.Column("question", sa.Text, nullable=False, server_default="{}"),
        sa.Column("reply", sa.Text, nullable=False, server_default="{}"),
        sa.Column("inside", sa.Text, nullable=False, server_default="{}"),
        sa.Column("runner", sa.String(64), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("creation_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_on", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_job_state_id", "job", ["state", "id"])
    op.create_index("ix_job_owner_id", "job", ["owner_id", "id"])
