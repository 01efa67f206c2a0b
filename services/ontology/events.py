"""Events of the ontology service.

Published (through the outbox, in the caller's transaction):
``copepod.ontology.ontology.created | updated | deleted | attached``, body ``events_pb2.OntologyEvent``.

Consumed: ``copepod.projects.project.deleted``: the deletion is recorded (services.core.tombstones)
and, separately, the project's attachment is dropped."""

from __future__ import annotations

from typing import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from copepod.v1 import events_pb2
from services.core.bus import Event, EventBus, Subscription
from services.core.tombstones import PROJECT_DELETED
from services.ontology import store
from services.ontology.store import Ontology

ONTOLOGY_CREATED = "copepod.ontology.ontology.created"
ONTOLOGY_UPDATED = "copepod.ontology.ontology.updated"
ONTOLOGY_DELETED = "copepod.ontology.ontology.deleted"
ONTOLOGY_ATTACHED = "copepod.ontology.ontology.attached"


def ontology_event(ontology: Ontology, *, actor_id: int, project_id: int = 0,
                   changed_feature_hashes: Sequence[str] = ()) -> events_pb2.OntologyEvent:
    return events_pb2.OntologyEvent(ontology_hash=ontology.ontology_hash, title=ontology.title,
                                    version=ontology.version, project_id=project_id,
                                    changed_feature_hashes=list(changed_feature_hashes), actor_user_id=actor_id)


class OntologyEvents:
    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    def created(self, session: AsyncSession, *, ontology: Ontology, actor_id: int) -> None:
        self._bus.emit(session, ONTOLOGY_CREATED, ontology_event(ontology, actor_id=actor_id))

    def updated(self, session: AsyncSession, *, ontology: Ontology, actor_id: int,
                changed_feature_hashes: Sequence[str]) -> None:
        self._bus.emit(session, ONTOLOGY_UPDATED, ontology_event(ontology, actor_id=actor_id,
                                                                 changed_feature_hashes=changed_feature_hashes))

    def deleted(self, session: AsyncSession, *, ontology: Ontology, actor_id: int) -> None:
        self._bus.emit(session, ONTOLOGY_DELETED, ontology_event(ontology, actor_id=actor_id))

    def attached(self, session: AsyncSession, *, ontology: Ontology, project_id: int, actor_id: int) -> None:
        self._bus.emit(session, ONTOLOGY_ATTACHED, ontology_event(ontology, actor_id=actor_id, project_id=project_id))


async def drop_deleted_project_attachment(session: AsyncSession, event: Event,
                                          msg: events_pb2.ProjectEvent) -> None:
    if not msg.only_objects:
        await store.detach_project(session, project_id=msg.project_id)


def project_deleted_attachments_subscription() -> Subscription:
    return Subscription(subject=PROJECT_DELETED, name="project-deleted-attachments",
                        message=events_pb2.ProjectEvent, handler=drop_deleted_project_attachment)
