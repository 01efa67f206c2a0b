"""What the operations need from outside the domain: memberships (the users service), the
event outbox and the database. The service wires real adapters; tests may pass fakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.db import SessionFactory
from services.core.roles import ProjectRole
from services.projects.domain.types import Memberships
from services.projects.store import Project


class MembershipsPort(Protocol):
    async def get(self, *, project_ids: Sequence[int], user_id: int | None) -> dict[int, Memberships]: ...

    async def roles_of_user(self, *, user_id: int) -> dict[int, ProjectRole]: ...

    async def init(self, *, project_id: int, creator_id: int, clone_of_id: int | None) -> None: ...

    async def rewrite(self, *, project_id: int, rights: Sequence[tuple[int, str]], contact_id: int,
                      dry_run: bool) -> None: ...


class EventsPort(Protocol):
    def created(self, session: AsyncSession, *, project: Project, actor_id: int | None) -> None: ...

    def updated(self, session: AsyncSession, *, project: Project, actor_id: int | None,
                changed_fields: Sequence[str]) -> None: ...

    def deleted(self, session: AsyncSession, *, project: Project, actor_id: int | None, only_objects: bool) -> None: ...


class ProjectRowsPort(Protocol):
    async def get(self, project_id: int, load) -> Project | None: ...


@dataclass(frozen=True)
class Deps:
    db: SessionFactory
    events: EventsPort
    memberships: MembershipsPort
    # Reads of one project by id go through it when set (an in-memory cache).
    rows: ProjectRowsPort | None = None
