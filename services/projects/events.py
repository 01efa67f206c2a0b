"""Events the projects service publishes (through the outbox, in the caller's transaction).

``copepod.projects.project.created | updated | deleted``, body ``events_pb2.ProjectEvent``."""

from __future__ import annotations

from typing import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from copepod.v1 import events_pb2
from services.core import tombstones
from services.core.bus import EventBus
from services.projects.project_cache import ProjectCache
from services.projects.store import Project

PROJECT_CREATED = "copepod.projects.project.created"
PROJECT_UPDATED = "copepod.projects.project.updated"
PROJECT_DELETED = tombstones.PROJECT_DELETED


def project_event(project: Project, *, actor_id: int | None, only_objects: bool = False,
                  changed_fields: Sequence[str] = ()) -> events_pb2.ProjectEvent:
    return events_pb2.ProjectEvent(project_id=project.projid, project_hash=project.project_hash, title=project.title,
                                   actor_user_id=actor_id or 0, only_objects=only_objects,
                                   changed_fields=list(changed_fields))


class ProjectEvents:
    """Stages project events on the bus's outbox. Every write of a project row passes here, so
    this is also where the row cache learns that a project changed."""

    def __init__(self, bus: EventBus, cache: ProjectCache | None = None) -> None:
        self._bus = bus
        self._cache = cache

    def _emit(self, session: AsyncSession, subject: str, message: events_pb2.ProjectEvent) -> None:
        self._bus.emit(session, subject, message)
        if self._cache is not None:
            self._cache.forget_on_commit(session, message.project_id)

    def created(self, session: AsyncSession, *, project: Project, actor_id: int | None) -> None:
        self._emit(session, PROJECT_CREATED, project_event(project, actor_id=actor_id))

    def updated(self, session: AsyncSession, *, project: Project, actor_id: int | None,
                changed_fields: Sequence[str]) -> None:
        self._emit(session, PROJECT_UPDATED, project_event(project, actor_id=actor_id, changed_fields=changed_fields))

    def deleted(self, session: AsyncSession, *, project: Project, actor_id: int | None, only_objects: bool) -> None:
        self._emit(session, PROJECT_DELETED, project_event(project, actor_id=actor_id, only_objects=only_objects))
