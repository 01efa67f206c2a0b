"""Which ontology a project uses. The ontology service owns attachments and announces them
(``copepod.ontology.ontology.attached``); the project row keeps a copy for its readers."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow
from services.projects import store
from services.projects.domain.ports import EventsPort


async def record_ontology(*, session: AsyncSession, events: EventsPort, project_id: int, ontology_hash: str,
                          actor_id: int | None) -> None:
    """Runs in the event's transaction; a deleted project or an unchanged hash is left alone."""
    project = await store.get_project(session, project_id=project_id)
    if project is None or project.ontology_hash == ontology_hash:
        return
    project.ontology_hash = ontology_hash
    project.last_edited_at = utcnow()
    session.add(project)
    events.updated(session, project=project, actor_id=actor_id, changed_fields=["ontology_hash"])
