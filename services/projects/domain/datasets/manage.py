"""Creating, listing and attaching datasets."""

from __future__ import annotations

from services.core import paging
from services.core.auth import Principal
from services.core.bus import utcnow
from services.core.errors import Conflict, InvalidArgument, NotFound
from services.projects import datasets_store as ds
from services.projects.datasets_events import (
    DATASET_ATTACHED,
    DATASET_CREATED,
    DATASET_DETACHED,
)
from services.projects.datasets_store import Dataset
from services.projects.domain.datasets.access import load_dataset, manages
from services.projects.domain.datasets.ports import DatasetDeps
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.rights import require_manage, require_read

MAX_TITLE = 255
MAX_DESCRIPTION = 10_000


async def create_dataset(*, deps: DatasetDeps, caller: Principal, title: str, description: str = "") -> Dataset:
    owner_id = caller.require_user()
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidArgument(f"title: 1 to {MAX_TITLE} characters")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidArgument(f"description: at most {MAX_DESCRIPTION} characters")
    dataset = Dataset(title=title, description=description, owner_id=owner_id)
    async with deps.db.transaction() as s:
        s.add(dataset)
        await s.flush()
        deps.events.dataset(s, DATASET_CREATED, dataset=dataset, actor_id=owner_id)
    return dataset


async def list_datasets(*, deps: DatasetDeps, caller: Principal, page_size: int,
                        page_token: str) -> tuple[list[Dataset], str]:
    """The caller's datasets (every dataset for an administrator)."""
    user_id = caller.require_user()
    limit, after = paging.page_size(page_size), paging.decode(page_token)
    async with deps.db.session() as s:
        rows = await ds.list_datasets(s, owner_id=None if caller.is_admin else user_id, after_id=after, limit=limit)
    return rows, paging.next_token(rows, limit)


async def get_dataset(*, deps: DatasetDeps, caller: Principal, dataset_hash: str) -> Dataset:
    caller.require_user()
    return await load_dataset(deps=deps, caller=caller, dataset_hash=dataset_hash)


async def _manage_project(*, deps: DatasetDeps, caller: Principal, project_id: int):
    project = await load_project(deps=deps.project, project_id=project_id)
    role = await role_of(deps=deps.project, project_id=project_id, caller=caller)
    require_read(caller=caller, role=role, visible=project.visible)
    require_manage(caller=caller, role=role)
    return project


async def attach_dataset(*, deps: DatasetDeps, caller: Principal, project_id: int, dataset_hash: str) -> Dataset:
    """Needs Manage on the project and ownership of the dataset (or administrator)."""
    actor_id = caller.require_user()
    project = await _manage_project(deps=deps, caller=caller, project_id=project_id)
    dataset = await load_dataset(deps=deps, caller=caller, dataset_hash=dataset_hash, for_managing=True)
    if dataset.own_project_id is not None:
        raise InvalidArgument("dataset_hash: a project's own dataset cannot be attached elsewhere")
    async with deps.db.transaction() as s:
        if await ds.get_attachment(s, project_id=project_id, dataset_id=dataset.id) is not None:
            raise Conflict("Dataset already attached to this project.")
        s.add(ds.ProjectDataset(project_id=project_id, dataset_id=dataset.id, attached_at=utcnow()))
        deps.events.dataset(s, DATASET_ATTACHED, dataset=dataset, actor_id=actor_id, project_id=project_id,
                            project_hash=project.project_hash)
    return dataset


async def detach_dataset(*, deps: DatasetDeps, caller: Principal, project_id: int, dataset_hash: str) -> None:
    """Manage on the project is enough: a project manager may drop what they no longer want."""
    actor_id = caller.require_user()
    project = await _manage_project(deps=deps, caller=caller, project_id=project_id)
    async with deps.db.transaction() as s:
        dataset = await ds.get_dataset(s, dataset_hash=dataset_hash)
        link = None if dataset is None else await ds.get_attachment(s, project_id=project_id, dataset_id=dataset.id)
        if link is None:
            raise NotFound()
        await s.delete(link)
        deps.events.dataset(s, DATASET_DETACHED, dataset=dataset, actor_id=actor_id, project_id=project_id,
                            project_hash=project.project_hash)


async def project_datasets(*, deps: DatasetDeps, caller: Principal, project_id: int) -> list[Dataset]:
    project = await load_project(deps=deps.project, project_id=project_id)
    require_read(caller=caller, role=await role_of(deps=deps.project, project_id=project_id, caller=caller),
                 visible=project.visible)
    async with deps.db.session() as s:
        return await ds.project_datasets(s, project_id=project_id)


__all__ = ["attach_dataset", "create_dataset", "detach_dataset", "get_dataset", "list_datasets", "manages",
           "project_datasets"]
