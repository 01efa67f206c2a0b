"""Hierarchy events (body ``HierarchyEvent``), staged on the outbox in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from copepod.v1 import events_pb2
from sqlmodel.ext.asyncio.session import AsyncSession

SAMPLE_UPDATED = "copepod.projects.sample.updated"
ACQUISITION_UPDATED = "copepod.projects.acquisition.updated"
PROCESS_UPDATED = "copepod.projects.process.updated"
OBJECT_CREATED = "copepod.projects.object.created"
OBJECT_UPDATED = "copepod.projects.object.updated"
OBJECT_DELETED = "copepod.projects.object.deleted"
UPDATED = {"sample": SAMPLE_UPDATED, "acquisition": ACQUISITION_UPDATED, "process": PROCESS_UPDATED}
# A big write is announced in several events, each with at most this many ids.
IDS_PER_EVENT = 10_000


class Emitter(Protocol):
    def emit(self, session: AsyncSession, subject: str, message) -> str: ...


class HierarchyEvents:
    def __init__(self, bus: Emitter) -> None:
        self._bus = bus

    def emit(self, session: AsyncSession, *, subject: str, project_id: int, ids: Sequence[int],
             columns: Sequence[str] = (), actor_id: int | None = None, job_id: int | None = None) -> None:
        ids = list(ids)
        for start in range(0, max(len(ids), 1), IDS_PER_EVENT):
            self._bus.emit(session, subject, events_pb2.HierarchyEvent(
                project_id=project_id, ids=ids[start:start + IDS_PER_EVENT], columns=list(columns),
                actor_user_id=actor_id or 0, job_id=job_id or 0))
