"""Deleted projects as seen by services that keep per-project data: each records the deletion
(``copepod.projects.project.deleted``) so its own clean-up can run from the record."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from copepod.v1 import events_pb2
from services.core.bus import Event, Subscription, utcnow

PROJECT_DELETED = "copepod.projects.project.deleted"


class DeletedProject(SQLModel, table=True):
    __tablename__ = "deleted_project"

    project_id: int = Field(primary_key=True)
    project_hash: str = Field(default="", max_length=36)
    only_objects: bool = False
    event_id: str = Field(max_length=36)
    deleted_at: datetime = Field(default_factory=utcnow)


def create_deleted_project_table(op) -> None:
    op.create_table(
        "deleted_project",
        sa.Column("project_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("project_hash", sa.String(36), nullable=False),
        sa.Column("only_objects", sa.Boolean, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
    )


async def record_deleted_project(session: AsyncSession, event: Event, msg: events_pb2.ProjectEvent) -> None:
    row = await session.get(DeletedProject, msg.project_id)
    if row is None:
        session.add(DeletedProject(project_id=msg.project_id, project_hash=msg.project_hash,
                                   only_objects=msg.only_objects, event_id=event.id))
    else:
        row.only_objects, row.event_id, row.deleted_at = msg.only_objects, event.id, utcnow()
        session.add(row)


def project_deleted_subscription() -> Subscription:
    return Subscription(subject=PROJECT_DELETED, name="project-deleted", message=events_pb2.ProjectEvent,
                        handler=record_deleted_project)
