"""Events of the labels service.

Published (through the outbox, in the caller's transaction): ``copepod.labels.label_row.created |
saved | status_changed | deleted`` (``LabelRowEvent``; deleted: one event per project listing every
unit whose rows went), ``copepod.labels.task.moved`` (``TaskEvent``),
``copepod.labels.project_stats.changed`` (``ProjectStatsEvent``) and
``copepod.labels.classification.changed`` (``ClassificationEvent``), docs/classification.md.

Consumed (durable): ``copepod.projects.data_unit.created`` (rows for the units, in every project
their dataset is attached to), ``copepod.projects.data_unit.deleted``,
``copepod.projects.dataset.attached`` (a ``SyncDataset`` job adds the dataset's units),
``copepod.projects.dataset.detached`` and ``copepod.projects.project.deleted`` (rows removed; the
deletion is also recorded, services.core.tombstones), ``copepod.projects.object.created``
(classification rows of the objects: an import's staged rows published, others unclassified)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from copepod.v1 import events_pb2
from services.core.bus import Event, EventBus, Subscription
from services.core.tombstones import PROJECT_DELETED, project_deleted_subscription
from services.labels.classification_api import state_pb
from services.labels.domain.classification import staging as classification_staging
from services.labels.domain.labelling import slots
from services.labels.domain.labelling.ports import Deps
from services.labels.store import LabelRow

ROW_CREATED = "copepod.labels.label_row.created"
ROW_SAVED = "copepod.labels.label_row.saved"
ROW_DELETED = "copepod.labels.label_row.deleted"
ROW_STATUS_CHANGED = "copepod.labels.label_row.status_changed"
TASK_MOVED = "copepod.labels.task.moved"
PROJECT_STATS_CHANGED = "copepod.labels.project_stats.changed"
CLASSIFICATION_CHANGED = "copepod.labels.classification.changed"
ROWS_PER_EVENT = 10_000
_SUBJECTS = {"created": ROW_CREATED, "saved": ROW_SAVED, "status_changed": ROW_STATUS_CHANGED}

UNITS_CREATED = "copepod.projects.data_unit.created"
UNITS_DELETED = "copepod.projects.data_unit.deleted"
DATASET_ATTACHED = "copepod.projects.dataset.attached"
DATASET_DETACHED = "copepod.projects.dataset.detached"
OBJECTS_CREATED = "copepod.projects.object.created"
SYNC_DATASET = "SyncDataset"


class LabelEvents:
    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    def row(self, session: AsyncSession, verb: str, *, row: LabelRow, actor_id: int | None) -> None:
        self._bus.emit(session, _SUBJECTS[verb], _row_event(row, actor_id))

    async def rows(self, session: AsyncSession, verb: str, *, rows: Sequence[LabelRow], actor_id: int | None) -> None:
        """One event per row, written in bulk (bundles and imports of thousands of rows)."""
        await self._bus.emit_many(session, _SUBJECTS[verb], [_row_event(r, actor_id) for r in rows])

    def task_moved(self, session: AsyncSession, *, row: LabelRow, from_stage: str, action: str,
                   actor_id: int | None) -> None:
        self._bus.emit(session, TASK_MOVED, events_pb2.TaskEvent(
            project_id=row.project_id, task_uuid=row.task_uuid or "", data_hash=row.data_hash,
            label_hash=row.label_hash or "", from_stage=from_stage or "", to_stage=row.workflow_stage_uuid or "",
            action=action, status=row.task_status or "", actor_user_id=actor_id or 0))

    def project_stats(self, session: AsyncSession, *, project_id: int, version: int, objcount: int,
                      nb_validated: int, nb_classified: int) -> None:
        self._bus.emit(session, PROJECT_STATS_CHANGED, events_pb2.ProjectStatsEvent(
            project_id=project_id, version=version, objcount=objcount, nb_validated=nb_validated,
            nb_classified=nb_classified))

    def classifications(self, session: AsyncSession, *, project_id: int, states: Sequence, actor_id: int | None) -> None:
        """New classification states of a project's objects, 10,000 per event."""
        for start in range(0, len(states), ROWS_PER_EVENT):
            self._bus.emit(session, CLASSIFICATION_CHANGED, events_pb2.ClassificationEvent(
                project_id=project_id, rows=[state_pb(st) for st in states[start:start + ROWS_PER_EVENT]],
                actor_user_id=actor_id or 0))

    def deleted(self, session: AsyncSession, *, project_id: int, data_hashes: Sequence[str],
                actor_id: int | None) -> None:
        self._bus.emit(session, ROW_DELETED, events_pb2.LabelRowEvent(
            project_id=project_id, data_hashes=list(data_hashes), actor_user_id=actor_id or 0))


def _row_event(row: LabelRow, actor_id: int | None) -> events_pb2.LabelRowEvent:
    return events_pb2.LabelRowEvent(
        project_id=row.project_id, label_hash=row.label_hash or "", data_hash=row.data_hash,
        branch_name=row.branch_name, version=row.version, label_status=row.label_status,
        annotation_task_status=row.annotation_task_status, actor_user_id=actor_id or 0)


def subscriptions(deps: Deps, jobs) -> list[Subscription]:
    async def units_created(s: AsyncSession, event: Event, msg: events_pb2.DataUnitEvent) -> None:
        await slots.add_units(s, deps=deps, project_ids=list(msg.project_ids), data_hashes=list(msg.data_hashes))

    async def units_deleted(s: AsyncSession, event: Event, msg: events_pb2.DataUnitEvent) -> None:
        await slots.remove(s, deps=deps, data_hashes=list(msg.data_hashes), actor_id=msg.actor_user_id)

    async def dataset_attached(s: AsyncSession, event: Event, msg: events_pb2.DatasetEvent) -> None:
        await jobs.submit(s, type=SYNC_DATASET, owner_id=msg.actor_user_id, project_id=msg.project_id,
                          params={"project_id": msg.project_id, "dataset_hash": msg.dataset_hash})

    async def dataset_detached(s: AsyncSession, event: Event, msg: events_pb2.DatasetEvent) -> None:
        await slots.remove(s, deps=deps, project_id=msg.project_id, dataset_hash=msg.dataset_hash,
                           actor_id=msg.actor_user_id)

    async def project_deleted(s: AsyncSession, event: Event, msg: events_pb2.ProjectEvent) -> None:
        if not msg.only_objects:
            await slots.remove(s, deps=deps, project_id=msg.project_id)
        await classification_staging.project_emptied(s, deps=deps, project_id=msg.project_id)

    async def objects_created(s: AsyncSession, event: Event, msg: events_pb2.HierarchyEvent) -> None:
        await classification_staging.objects_created(s, deps=deps, project_id=msg.project_id, objids=list(msg.ids),
                                                     job_id=msg.job_id)

    return [
        project_deleted_subscription(),
        Subscription(subject=PROJECT_DELETED, name="project-deleted-rows", message=events_pb2.ProjectEvent,
                     handler=project_deleted),
        Subscription(subject=OBJECTS_CREATED, name="objects-created", message=events_pb2.HierarchyEvent,
                     handler=objects_created),
        Subscription(subject=UNITS_CREATED, name="units-created", message=events_pb2.DataUnitEvent,
                     handler=units_created),
        Subscription(subject=UNITS_DELETED, name="units-deleted", message=events_pb2.DataUnitEvent,
                     handler=units_deleted),
        Subscription(subject=DATASET_ATTACHED, name="dataset-attached", message=events_pb2.DatasetEvent,
                     handler=dataset_attached),
        Subscription(subject=DATASET_DETACHED, name="dataset-detached", message=events_pb2.DatasetEvent,
                     handler=dataset_detached),
    ]
