"""EcoTaxa's update_project: validated fields, then the members rewrite.

Everything is validated first (fields here, members by a dry run in the users service); then
the project fields are written with their event; then the members are rewritten. If that last
step fails, the fields are put back (see docs/sagas.md)."""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any, Collection, Mapping

from services.core.auth import Principal
from services.core.bus import utcnow
from services.core.errors import NotFound
from services.projects import store
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import require_manage
from services.projects.domain.rules import plan_update

log = logging.getLogger(__name__)


async def update_project(*, deps: Deps, caller: Principal, project_id: int, values: Mapping[str, Any],
                         present: Collection[str]) -> list[str]:
    """Returns the names of the project fields that changed."""
    actor_id = caller.require_user()
    await load_project(deps=deps, project_id=project_id)
    require_manage(caller=caller, role=await role_of(deps=deps, project_id=project_id, caller=caller))
    plan = plan_update(values=values, present=present)
    members = plan.members
    if members is not None:
        await deps.memberships.rewrite(project_id=project_id, rights=members.rights, contact_id=members.contact_id,
                                       dry_run=True)
    previous = await write_fields(deps=deps, project_id=project_id, fields=plan.fields, actor_id=actor_id)
    if members is not None:
        try:
            await deps.memberships.rewrite(project_id=project_id, rights=members.rights,
                                           contact_id=members.contact_id, dry_run=False)
        except BaseException:
            if previous:
                await asyncio.shield(_restore(deps=deps, project_id=project_id, previous=previous, actor_id=actor_id))
            raise
    return sorted(previous)


async def write_fields(*, deps: Deps, project_id: int, fields: Mapping[str, Any], actor_id: int) -> dict[str, Any]:
    """Write the fields that differ, with one updated event; returns their previous values."""
    if not fields:
        return {}
    async with deps.db.transaction() as s:
        project = await store.get_project(s, project_id=project_id)
        if project is None:
            raise NotFound()
        previous = {name: copy.deepcopy(getattr(project, name)) for name, value in fields.items()
                    if getattr(project, name) != value}
        if previous:
            for name in previous:
                setattr(project, name, copy.deepcopy(fields[name]))
            project.last_edited_at = utcnow()
            s.add(project)
            deps.events.updated(s, project=project, actor_id=actor_id, changed_fields=sorted(previous))
    return previous


async def _restore(*, deps: Deps, project_id: int, previous: Mapping[str, Any], actor_id: int) -> None:
    try:
        await write_fields(deps=deps, project_id=project_id, fields=previous, actor_id=actor_id)
    except Exception:  # noqa: BLE001 - the members failure is what the caller must see
        log.exception("could not restore the fields of project %s", project_id)
