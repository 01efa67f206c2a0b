"""Events of datasets and data units, staged on the outbox in the caller's transaction.

``copepod.projects.dataset.created | attached | detached`` (``DatasetEvent``) and
``copepod.projects.data_unit.created | deleted`` (``DataUnitEvent``, one per batch)."""

from __future__ import annotations

from collections.abc import Sequence

from copepod.v1 import events_pb2
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import EventBus
from services.projects.datasets_store import Dataset

DATASET_CREATED = "copepod.projects.dataset.created"
DATASET_ATTACHED = "copepod.projects.dataset.attached"
DATASET_DETACHED = "copepod.projects.dataset.detached"
UNITS_CREATED = "copepod.projects.data_unit.created"
UNITS_DELETED = "copepod.projects.data_unit.deleted"


class DatasetEvents:
    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    def dataset(self, session: AsyncSession, subject: str, *, dataset: Dataset, actor_id: int | None,
                project_id: int = 0, project_hash: str = "") -> None:
        self._bus.emit(session, subject, events_pb2.DatasetEvent(
            dataset_hash=dataset.dataset_hash, title=dataset.title, project_id=project_id,
            project_hash=project_hash, actor_user_id=actor_id or 0))

    def units(self, session: AsyncSession, subject: str, *, dataset: Dataset, data_hashes: Sequence[str],
              project_ids: Sequence[int], actor_id: int | None, job_id: int = 0) -> None:
        if not data_hashes:
            return
        self._bus.emit(session, subject, events_pb2.DataUnitEvent(
            dataset_hash=dataset.dataset_hash, data_hashes=list(data_hashes), project_ids=list(project_ids),
            actor_user_id=actor_id or 0, job_id=job_id))
