"""A job's staged hierarchy rows: made visible together, with their object.created events, or
removed (compensation). Both run in the caller's transaction, so the job's own state changes with them."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from services.projects import hierarchy_store as hs
from services.projects.domain.hierarchy.events import (
    IDS_PER_EVENT,
    OBJECT_CREATED,
    HierarchyEvents,
)


async def publish_staged(session: AsyncSession, *, events: HierarchyEvents, job_id: int, project_id: int,
                         actor_id: int | None) -> dict[str, int]:
    """Publish the job's rows and announce its objects (``copepod.projects.object.created``, with
    ``job_id``, at most 10,000 ids per event). Returns the rows made visible per table."""
    after = 0
    while True:
        ids = await hs.staged_object_ids(session, job_id=job_id, after=after, limit=IDS_PER_EVENT)
        if not ids:
            break
        events.emit(session, subject=OBJECT_CREATED, project_id=project_id, ids=ids, actor_id=actor_id,
                    job_id=job_id)
        after = ids[-1]
    return await hs.publish_job(session, job_id=job_id)


async def discard_staged(session: AsyncSession, *, job_id: int) -> dict[str, int]:
    """Remove the job's rows; idempotent. Nothing was announced for them, so nothing is emitted."""
    return await hs.discard_job(session, job_id=job_id)
