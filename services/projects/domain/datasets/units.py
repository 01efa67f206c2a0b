"""Reading and deleting data units, and Encord's get_data with signed media links."""

from __future__ import annotations

from dataclasses import dataclass

from services.core import paging
from services.core.auth import Principal
from services.core.errors import InvalidArgument, NotFound
from services.projects import datasets_store as ds
from services.projects.datasets_events import UNITS_DELETED
from services.projects.datasets_store import DATA_TYPES, DataImage, Dataset, DataUnit
from services.projects.domain.datasets.access import load_dataset
from services.projects.domain.datasets.ingest import discard_blobs
from services.projects.domain.datasets.ports import DatasetDeps
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.rights import require_read

MAX_LINK_SECONDS = 86_400
MAX_TITLE_FILTER = 1024


async def list_units(*, deps: DatasetDeps, caller: Principal, dataset_hash: str, page_size: int, page_token: str,
                     title_prefix: str = "", title_contains: str = "", data_type: str = ""
                     ) -> tuple[list, str]:
    if caller.service is None:  # other services (the labels service's sync) read any dataset
        caller.require_user()
    limit, after = paging.page_size(page_size), paging.decode(page_token)
    if data_type and data_type not in DATA_TYPES:
        raise InvalidArgument(f"data_type: one of {', '.join(DATA_TYPES)}")
    if len(title_prefix) > MAX_TITLE_FILTER or len(title_contains) > MAX_TITLE_FILTER:
        raise InvalidArgument(f"title filters: at most {MAX_TITLE_FILTER} characters")
    if caller.service is None:
        dataset = await load_dataset(deps=deps, caller=caller, dataset_hash=dataset_hash)
    else:
        async with deps.db.session() as s:
            dataset = await ds.get_dataset(s, dataset_hash=dataset_hash)
        if dataset is None:
            raise NotFound()
    async with deps.db.session() as s:
        rows = await ds.list_units(s, dataset_id=dataset.id, after_id=after, limit=limit, title_prefix=title_prefix,
                                   title_contains=title_contains, data_type=data_type)
    return rows, paging.next_token(rows, limit)


async def delete_unit(*, deps: DatasetDeps, caller: Principal, dataset_hash: str, data_hash: str) -> None:
    actor_id = caller.require_user()
    dataset = await load_dataset(deps=deps, caller=caller, dataset_hash=dataset_hash, for_managing=True)
    if dataset.own_project_id is not None:
        raise InvalidArgument("dataset_hash: a project's objects are deleted through the project")
    async with deps.db.transaction() as s:
        unit = await ds.get_unit(s, data_hash=data_hash)
        if unit is None or unit.dataset_id != dataset.id:
            raise NotFound()
        keys = await ds.delete_unit(s, unit_id=unit.id)
        await ds.add_unit_count(s, dataset_id=dataset.id, delta=-1)
        projects = await ds.attached_project_ids(s, dataset_id=dataset.id)
        deps.events.units(s, UNITS_DELETED, dataset=dataset, data_hashes=[unit.data_hash], project_ids=projects,
                          actor_id=actor_id)
    await discard_blobs(deps=deps, keys=keys)


@dataclass(frozen=True)
class DataView:
    unit: DataUnit
    images: list[DataImage]
    links: dict[str, str]  # blob key -> signed link (empty when not asked)


def _link_seconds(deps: DatasetDeps, expires_in: int) -> int:
    if expires_in == 0:
        return deps.limits.media_link_seconds
    if not 1 <= expires_in <= MAX_LINK_SECONDS:
        raise InvalidArgument(f"expires_in: between 1 and {MAX_LINK_SECONDS} seconds")
    return expires_in


def _sign(deps: DatasetDeps, unit: DataUnit, images: list[DataImage], seconds: int) -> dict[str, str]:
    """Signed links of a unit's media (the video, or each image and its thumbnail), by blob key."""
    links: dict[str, str] = {}
    if unit.blob_key:
        links[unit.blob_key] = deps.signer.link(unit.blob_key, media_type=unit.media_type, expires_in=seconds)
    for image in images:
        links[image.blob_key] = deps.signer.link(image.blob_key, media_type=image.media_type, expires_in=seconds)
        if image.thumb_key:
            links[image.thumb_key] = deps.signer.link(image.thumb_key, media_type="image/jpeg", expires_in=seconds)
    return links


MAX_DESCRIBED = 1000


async def describe_units(*, deps: DatasetDeps, caller: Principal, data_hashes: list[str], get_signed_url: bool,
                         expires_in: int = 0) -> list[tuple[DataView, Dataset]]:
    """Visible units by hash with their images and datasets, for other services (three queries
    whatever the count); unknown hashes are left out."""
    caller.require_service()
    if len(data_hashes) > MAX_DESCRIBED:
        raise InvalidArgument(f"data_hashes: at most {MAX_DESCRIBED}")
    seconds = _link_seconds(deps, expires_in)
    async with deps.db.session() as s:
        found = await ds.units_by_hashes(s, data_hashes=data_hashes)
        images = await ds.images_of_units(s, unit_ids=[u.id for u in found])
        datasets = await ds.datasets_by_ids(s, dataset_ids={u.dataset_id for u in found})
    out = []
    for unit in found:
        unit_images = images.get(unit.id, [])
        links = _sign(deps, unit, unit_images, seconds) if get_signed_url else {}
        out.append((DataView(unit=unit, images=unit_images, links=links), datasets[unit.dataset_id]))
    return out


async def get_data(*, deps: DatasetDeps, caller: Principal, project_id: int, data_hash: str,
                   get_signed_url: bool, expires_in: int = 0) -> DataView:
    """A unit of a dataset attached to (or owned by) the project, readable by the project's readers."""
    seconds = _link_seconds(deps, expires_in)
    project = await load_project(deps=deps.project, project_id=project_id)
    require_read(caller=caller, role=await role_of(deps=deps.project, project_id=project_id, caller=caller),
                 visible=project.visible)
    async with deps.db.session() as s:
        unit = await ds.get_unit(s, data_hash=data_hash)
        dataset = None if unit is None else await ds.get_dataset_by_id(s, dataset_id=unit.dataset_id)
        if dataset is None:
            raise NotFound()
        if dataset.own_project_id != project_id and \
                await ds.get_attachment(s, project_id=project_id, dataset_id=dataset.id) is None:
            raise NotFound()
        images = await ds.images_of(s, unit_id=unit.id) if unit.data_type != "video" else []
    links = _sign(deps, unit, images, seconds) if get_signed_url else {}
    return DataView(unit=unit, images=images, links=links)
