"""Reading samples, acquisitions, processes and objects."""

from __future__ import annotations

from collections.abc import Sequence

from services.core.auth import Principal
from services.core.errors import InvalidArgument, NotFound
from services.projects import hierarchy_store as hs
from services.projects.domain.hierarchy import views
from services.projects.domain.hierarchy.access import (
    readable_project,
    readable_projects,
)
from services.projects.domain.ports import Deps

PATTERN_MAX = 255
# A search answers at most this many rows (EcoTaxa's routes have no paging; projects hold far fewer
# samples or acquisitions than this).
MAX_ROWS = 100_000


async def _one(deps: Deps, reader, **key):
    async with deps.db.session() as s:
        row = await reader(s, **key)
    if row is None:
        raise NotFound()
    return row


async def get_sample(*, deps: Deps, caller: Principal, sample_id: int) -> dict:
    row = await _one(deps, hs.get_sample, sample_id=sample_id)
    project = await readable_project(deps=deps, caller=caller, project_id=row["projid"])
    return views.sample_view(row, project)


async def _paged(reader, deps: Deps, key: str, **kwargs) -> list:
    rows, after = [], 0
    async with deps.db.session() as s:
        while len(rows) < MAX_ROWS:
            page = await reader(s, after_id=after, limit=min(10_000, MAX_ROWS - len(rows)), **kwargs)
            rows.extend(page)
            if len(page) < 10_000:
                break
            after = page[-1][key]
    return rows


async def search_samples(*, deps: Deps, caller: Principal, project_ids: Sequence[int], id_pattern: str) -> list[dict]:
    if len(id_pattern) > PATTERN_MAX:
        raise InvalidArgument(f"id_pattern is too long (max {PATTERN_MAX} characters).")
    projects = {p.projid: p for p in await readable_projects(deps=deps, caller=caller, project_ids=project_ids)}
    rows = await _paged(hs.search_samples, deps, "sampleid", project_ids=list(projects), id_pattern=id_pattern)
    return [views.sample_view(r, projects[r["projid"]]) for r in rows]


async def get_acquisition(*, deps: Deps, caller: Principal, acquisition_id: int) -> dict:
    row = await _one(deps, hs.get_acquisition, acquisition_id=acquisition_id)
    project = await readable_project(deps=deps, caller=caller, project_id=row["projid"])
    return views.acquisition_view(row, project)


async def search_acquisitions(*, deps: Deps, caller: Principal, project_id: int) -> list[dict]:
    project = await readable_project(deps=deps, caller=caller, project_id=project_id)
    rows = await _paged(hs.search_acquisitions, deps, "acquisid", project_id=project_id)
    return [views.acquisition_view(r, project) for r in rows]


async def get_process(*, deps: Deps, caller: Principal, process_id: int) -> dict:
    row = await _one(deps, hs.get_process, process_id=process_id)
    project = await readable_project(deps=deps, caller=caller, project_id=row["projid"])
    return views.process_view(row, project)


async def get_object(*, deps: Deps, caller: Principal, object_id: int) -> dict:
    found = await _one(deps, hs.get_object, object_id=object_id)
    project = await readable_project(deps=deps, caller=caller, project_id=found.head["projid"])
    return views.object_view(found, project)
