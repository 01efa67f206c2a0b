"""The rows learnt from the projects service: every unit of a project gets its main-branch row
(label_hash null) when it appears — created in an attached dataset, or its dataset attached —
and loses all its rows when it, its dataset's attachment or its project goes away."""

from __future__ import annotations

from collections.abc import Sequence

from services.labels import store
from services.labels.domain.labelling.ports import Deps, UnitDescription
from services.labels.domain.labelling.workflow_ops import slot_task, workflow_of

DESCRIBE_BATCH = 1000


def slot_rows(*, project_id: int, units: Sequence[UnitDescription]) -> list[dict]:
    return [{"project_id": project_id, "data_hash": u.data_hash, "branch_name": store.MAIN,
             "dataset_hash": u.dataset_hash, "dataset_title": u.dataset_title[:255], "data_title": u.title[:1024],
             "data_type": u.data_type, "units": u.units, "client_metadata": u.client_metadata,
             "label_status": "NOT_LABELLED", "annotation_task_status": "QUEUED", "version": 0}
            for u in units]


async def add_units(s, *, deps: Deps, project_ids: Sequence[int], data_hashes: Sequence[str]) -> int:
    """Rows for units new to these projects (described by the projects service); existing rows stay."""
    if not project_ids or not data_hashes:
        return 0
    added = 0
    for start in range(0, len(data_hashes), DESCRIBE_BATCH):
        described = await deps.units.describe(data_hashes=data_hashes[start:start + DESCRIBE_BATCH])
        for project_id in project_ids:
            if await _project_deleted(s, project_id):
                continue
            wf = await workflow_of(s, project_id=project_id)
            rows = [{**row, **slot_task(wf)} for row in slot_rows(project_id=project_id, units=described)]
            added += await store.add_slots(s, slots=rows)
    return added


async def _project_deleted(s, project_id: int) -> bool:
    return await s.get(store.DeletedProject, project_id) is not None


async def remove(s, *, deps: Deps, project_id: int | None = None, dataset_hash: str | None = None,
                 data_hashes: Sequence[str] | None = None, actor_id: int | None = None) -> int:
    """Delete the matching rows (every branch) and announce it, one event per project."""
    gone = await store.delete_rows(s, project_id=project_id, dataset_hash=dataset_hash, data_hashes=data_hashes)
    by_project: dict[int, list[str]] = {}
    for pid, data_hash in gone:
        by_project.setdefault(pid, []).append(data_hash)
    for pid, hashes in by_project.items():
        deps.events.deleted(s, project_id=pid, data_hashes=hashes, actor_id=actor_id)
    return len(gone)
