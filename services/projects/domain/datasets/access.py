"""Who may see and change a dataset: its owner and administrators manage it; anyone who can
read a project it is attached to reads it. Strangers get "Not found." so they learn nothing."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import NotFound, PermissionDenied
from services.projects import datasets_store as ds
from services.projects.datasets_store import Dataset
from services.projects.domain.datasets.ports import DatasetDeps
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import can_read


def manages(*, caller: Principal, dataset: Dataset) -> bool:
    return caller.user_id is not None and (caller.is_admin or dataset.owner_id == caller.user_id)


async def can_read_project(*, deps: Deps, caller: Principal, project_id: int) -> bool:
    try:
        project = await load_project(deps=deps, project_id=project_id)
    except NotFound:
        return False
    return can_read(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller),
                    visible=project.visible)


async def load_dataset(*, deps: DatasetDeps, caller: Principal, dataset_hash: str,
                       for_managing: bool = False) -> Dataset:
    async with deps.db.session() as s:
        dataset = await ds.get_dataset(s, dataset_hash=dataset_hash)
        if dataset is None:
            raise NotFound()
        if manages(caller=caller, dataset=dataset):
            return dataset
        projects = await ds.attached_project_ids(s, dataset_id=dataset.id)
    if dataset.own_project_id is not None:
        projects = [dataset.own_project_id, *projects]
    for project_id in projects:
        if await can_read_project(deps=deps.project, caller=caller, project_id=project_id):
            if for_managing:
                raise PermissionDenied()
            return dataset
    raise NotFound()
