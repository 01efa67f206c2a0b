"""Finding a project and the caller's role on it."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import NotFound
from services.core.roles import ProjectRole
from services.projects import store
from services.projects.domain.ports import Deps
from services.projects.domain.types import Memberships
from services.projects.store import Project


async def _read(*, deps: Deps, project_id: int | None, project_hash: str | None) -> Project | None:
    async with deps.db.session() as s:
        if project_id:
            return await store.get_project(s, project_id=project_id)
        if project_hash:
            return await store.get_project_by_hash(s, project_hash=project_hash)
    return None


async def load_project(*, deps: Deps, project_id: int | None = None, project_hash: str | None = None) -> Project:
    """The project's row, for reading only (it may be shared with other readers)."""
    if project_id and deps.rows is not None:
        project = await deps.rows.get(project_id, lambda: _read(deps=deps, project_id=project_id, project_hash=None))
    else:
        project = await _read(deps=deps, project_id=project_id, project_hash=project_hash)
    if project is None:
        raise NotFound()
    return project


async def memberships_of(*, deps: Deps, project_id: int, caller: Principal) -> Memberships:
    found = await deps.memberships.get(project_ids=[project_id], user_id=caller.user_id)
    return found.get(project_id) or Memberships(project_id=project_id)


async def role_of(*, deps: Deps, project_id: int, caller: Principal) -> ProjectRole | None:
    if caller.user_id is None:
        return None
    return (await memberships_of(deps=deps, project_id=project_id, caller=caller)).user_role
