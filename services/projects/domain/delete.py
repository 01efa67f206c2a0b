"""EcoTaxa's erase_project: the whole project, or only its objects."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.bus import utcnow
from services.core.errors import NotFound
from services.projects import datasets_store, hierarchy_store, store
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import require_manage


async def delete_project(*, deps: Deps, caller: Principal, project_id: int, only_objects: bool = False) -> list[int]:
    """Returns EcoTaxa's counts: [deleted objects, 0, deleted image rows, deleted image files]."""
    actor_id = caller.require_user()
    await load_project(deps=deps, project_id=project_id)
    require_manage(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller))
    async with deps.db.transaction() as s:
        project = await store.get_project(s, project_id=project_id)
        if project is None:
            raise NotFound()
        deps.events.deleted(s, project=project, actor_id=actor_id, only_objects=only_objects)
        counts = await hierarchy_store.erase_project_hierarchy(s, project_id=project_id, only_objects=only_objects)
        if only_objects:
            project.objcount = project.pctvalidated = project.pctclassified = 0.0
            project.last_edited_at = utcnow()
            s.add(project)
        else:
            # Detach its datasets and drop its own dataset with the project, in one transaction.
            await datasets_store.forget_project(s, project_id=project_id)
            await store.delete_project(s, project=project)
    return counts
