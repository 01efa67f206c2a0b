"""Who may read or change a project's hierarchy: View to read (anonymous callers read visible
projects), Manage to change, as for the project itself."""

from __future__ import annotations

from collections.abc import Sequence

from services.core.auth import Principal
from services.core.errors import InvalidArgument
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import require_manage, require_read
from services.projects.store import Project

MAX_PROJECTS = 1_000


async def readable_project(*, deps: Deps, caller: Principal, project_id: int) -> Project:
    project = await load_project(deps=deps, project_id=project_id)
    require_read(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller),
                 visible=project.visible)
    return project


async def readable_projects(*, deps: Deps, caller: Principal, project_ids: Sequence[int]) -> list[Project]:
    """Every listed project, each readable by the caller (404 for an unknown one, 403 for one
    they may not read, as EcoTaxa checks each)."""
    if len(project_ids) > MAX_PROJECTS:
        raise InvalidArgument(f"At most {MAX_PROJECTS} projects per search.")
    return [await readable_project(deps=deps, caller=caller, project_id=p) for p in dict.fromkeys(project_ids)]


async def managed_projects(*, deps: Deps, caller: Principal, project_ids: Sequence[int]) -> dict[int, Project]:
    caller.require_user()
    out = {}
    for project_id in sorted(set(project_ids)):
        project = await load_project(deps=deps, project_id=project_id)
        require_manage(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller))
        out[project_id] = project
    return out
