"""EcoTaxa's set updates (sample_set, acquisition_set, process_set): the same column values on
every target. All or nothing: an unknown target (404), a project the caller does not manage
(403), an unknown column or a bad value (422) or a clash of orig_ids (409) changes nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy.exc

from services.core.auth import Principal
from services.core.errors import Conflict, InvalidArgument, NotFound
from services.projects import hierarchy_store as hs
from services.projects.domain.hierarchy.access import managed_projects
from services.projects.domain.hierarchy.columns import KINDS, update_values
from services.projects.domain.hierarchy.events import UPDATED, HierarchyEvents
from services.projects.domain.hierarchy.mappings import MAPPING_FIELD
from services.projects.domain.ports import Deps

MAX_TARGETS = 100_000
MAX_UPDATES = 200


async def update_set(*, deps: Deps, events: HierarchyEvents, caller: Principal, kind: str,
                     target_ids: Sequence[int], updates: Sequence[tuple[str, str]]) -> int:
    """Returns the number of rows updated."""
    if kind not in KINDS:
        raise ValueError(kind)
    actor_id = caller.require_user()
    if len(target_ids) > MAX_TARGETS:
        raise InvalidArgument(f"At most {MAX_TARGETS} target ids per update.")
    if len(updates) > MAX_UPDATES:
        raise InvalidArgument(f"At most {MAX_UPDATES} column updates per request.")
    ids = sorted(set(target_ids))
    async with deps.db.session() as s:
        project_of = await hs.projects_of(s, kind=kind, ids=ids)
    if len(project_of) != len(ids):
        raise NotFound()
    by_project: dict[int, list[int]] = defaultdict(list)
    for target, project_id in project_of.items():
        by_project[project_id].append(target)
    projects = await managed_projects(deps=deps, caller=caller, project_ids=list(by_project))
    values = {pid: update_values(kind=kind, updates=list(updates), mapping=getattr(p, MAPPING_FIELD[kind]))
              for pid, p in projects.items()}
    if not ids or not updates:
        return 0
    columns = [name for name, _ in updates]
    updated = 0
    try:
        async with deps.db.transaction() as s:
            for project_id, targets in by_project.items():
                updated += await hs.update_rows(s, kind=kind, ids=targets, values=values[project_id])
                events.emit(s, subject=UPDATED[kind], project_id=project_id, ids=targets, columns=columns,
                            actor_id=actor_id)
    except sqlalchemy.exc.IntegrityError:
        raise Conflict(f"This update would give two {kind}s the same orig_id.") from None
    return updated
