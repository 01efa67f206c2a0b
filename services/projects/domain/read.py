"""Reading projects: one by id (or hash), or a search."""

from __future__ import annotations

from services.core.auth import Principal
from services.projects import store
from services.projects.domain.lookup import load_project, memberships_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import highest_right, require_read
from services.projects.domain.search import check_window, parse_order_field, plan_search
from services.projects.domain.types import ProjectView, SearchRequest


async def get_project(*, deps: Deps, caller: Principal, project_id: int | None = None,
                      project_hash: str | None = None, for_managing: bool = False) -> ProjectView:
    project = await load_project(deps=deps, project_id=project_id, project_hash=project_hash)
    memberships = await memberships_of(deps=deps, project_id=project.projid, caller=caller)
    require_read(caller=caller, role=memberships.user_role, visible=project.visible, for_managing=for_managing)
    return ProjectView.of(project, memberships, highest_right=highest_right(caller=caller, role=memberships.user_role),
                          caller_role=memberships.user_role)


async def search_projects(*, deps: Deps, caller: Principal, request: SearchRequest) -> list[ProjectView]:
    # Refuse bad input before asking anything of the users service.
    parse_order_field(request.order_field)
    check_window(window_start=request.window_start, window_size=request.window_size)
    roles = None
    if caller.user_id is not None and not caller.is_admin:
        roles = await deps.memberships.roles_of_user(user_id=caller.user_id)
    where = plan_search(caller=caller, request=request, user_roles=roles)
    if where is None:
        return []
    async with deps.db.session() as s:
        projects = await store.search_projects(s, where=where)
    if not projects:
        return []
    # One call for the whole page; highest_right is not filled in search results.
    memberships = await deps.memberships.get(project_ids=[p.projid for p in projects], user_id=None)
    return [ProjectView.of(p, memberships.get(p.projid), summary=request.summary) for p in projects]
