"""Events of the taxonomy tree (through the outbox, in the writer's transaction).

``copepod.ontology.taxon.created | renamed``, body ``events_pb2.TaxonEvent``."""

from __future__ import annotations

from typing import Iterable

from sqlmodel.ext.asyncio.session import AsyncSession

from copepod.v1 import events_pb2
from services.core.bus import EventBus, Listener

TAXON_CREATED = "copepod.ontology.taxon.created"
TAXON_RENAMED = "copepod.ontology.taxon.renamed"


def taxon_event(*, taxon_ids: Iterable[int], actor_id: int | None) -> events_pb2.TaxonEvent:
    return events_pb2.TaxonEvent(taxon_ids=sorted(taxon_ids), actor_user_id=actor_id or 0)


def emit_created(*, bus: EventBus, session: AsyncSession, taxon_ids: Iterable[int], actor_id: int | None) -> None:
    ids = list(taxon_ids)
    if ids:
        bus.emit(session, TAXON_CREATED, taxon_event(taxon_ids=ids, actor_id=actor_id))


def emit_renamed(*, bus: EventBus, session: AsyncSession, taxon_ids: Iterable[int], actor_id: int | None) -> None:
    ids = list(taxon_ids)
    if ids:
        bus.emit(session, TAXON_RENAMED, taxon_event(taxon_ids=ids, actor_id=actor_id))


def index_refresh_listeners(taxonomy) -> list[Listener]:
    """Live listeners that reload the in-memory index when another writer changed the tree."""

    async def refresh(_event, _message) -> None:
        await taxonomy.refresh_if_changed()

    return [Listener(subject=subject, message=events_pb2.TaxonEvent, handler=refresh)
            for subject in (TAXON_CREATED, TAXON_RENAMED)]
