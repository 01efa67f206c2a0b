"""What the ontology operations need from outside the domain: the database, the event outbox,
and the projects service (for rights on a project). Tests may pass fakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.db import SessionFactory
from services.ontology.store import Ontology


class ProjectAccessPort(Protocol):
    async def check(self, *, project_id: int, manage: bool) -> None:
        """Raise NotFound or PermissionDenied unless the current caller may read (or manage) the project."""


class OntologyEventsPort(Protocol):
    def created(self, session: AsyncSession, *, ontology: Ontology, actor_id: int) -> None: ...

    def updated(self, session: AsyncSession, *, ontology: Ontology, actor_id: int,
                changed_feature_hashes: Sequence[str]) -> None: ...

    def deleted(self, session: AsyncSession, *, ontology: Ontology, actor_id: int) -> None: ...

    def attached(self, session: AsyncSession, *, ontology: Ontology, project_id: int, actor_id: int) -> None: ...


@dataclass(frozen=True)
class Deps:
    db: SessionFactory
    events: OntologyEventsPort
    projects: ProjectAccessPort
