"""Creating a project, maybe as a shallow copy of another one's settings.

Two services are written: the project here, then its first members in the users service. The
second step failing undoes the first (see docs/sagas.md)."""

from __future__ import annotations

import asyncio
import copy
import logging

from services.core.auth import Principal
from services.core.errors import Unavailable
from services.projects import store
from services.projects.domain.lookup import load_project, role_of
from services.projects.domain.ports import Deps
from services.projects.domain.rights import require_manage
from services.projects.domain.rules import UNKNOWN_INSTRUMENT, clean_instrument, clean_text, clean_title
from services.projects.store import Project

log = logging.getLogger(__name__)

# Settings a clone takes from its source. Objects, counters and members are not settings.
CLONED_FIELDS = (
    "instrument_url", "status", "license", "comments", "classifsettings", "classiffieldlist", "popoverfieldlist",
    "rf_models_used", "cnn_network_id", "init_classif_list", "bodc_variables", "obj_free_cols", "sample_free_cols",
    "acquisition_free_cols", "process_free_cols", "ontology_hash",
)


def new_project(*, title: str, instrument: str, visible: bool, description: str, creator_id: int,
                source: Project | None = None) -> Project:
    project = Project(title=title, instrument=instrument, visible=visible, description=description,
                      creator_id=creator_id)
    if source is not None:
        for name in CLONED_FIELDS:
            setattr(project, name, copy.deepcopy(getattr(source, name)))
        if instrument == UNKNOWN_INSTRUMENT:
            project.instrument = source.instrument
        if not description:
            project.description = source.description
    return project


async def create_project(*, deps: Deps, caller: Principal, title: str, instrument: str = "",
                         visible: bool = True, description: str = "", clone_of_id: int | None = None) -> Project:
    creator_id = caller.require_user()
    title = clean_title(title)
    instrument = clean_instrument(instrument, default=UNKNOWN_INSTRUMENT)
    description = clean_text("description", description)
    source = None
    if clone_of_id:
        source = await load_project(deps=deps, project_id=clone_of_id)
        require_manage(caller=caller, role=await role_of(deps=deps, project_id=clone_of_id, caller=caller))
    project = new_project(title=title, instrument=instrument, visible=visible, description=description,
                          creator_id=creator_id, source=source)
    async with deps.db.transaction() as s:
        await store.add_project(s, project=project)
        deps.events.created(s, project=project, actor_id=creator_id)
    try:
        await deps.memberships.init(project_id=project.projid, creator_id=creator_id, clone_of_id=clone_of_id)
    except BaseException as exc:
        # Also on cancellation: a project nobody is a member of must not stay behind.
        await asyncio.shield(_undo_create(deps=deps, project=project, actor_id=creator_id))
        if isinstance(exc, Exception):
            raise Unavailable("The project could not be created: its members could not be recorded.") from exc
        raise
    return project


async def _undo_create(*, deps: Deps, project: Project, actor_id: int) -> None:
    """Compensation: delete the new project; its deleted event lets every service (the users
    service included) drop what it may already hold for it."""
    try:
        async with deps.db.transaction() as s:
            row = await store.get_project(s, project_id=project.projid)
            if row is not None:
                deps.events.deleted(s, project=row, actor_id=actor_id, only_objects=False)
                await store.delete_project(s, project=row)
    except Exception:  # noqa: BLE001 - the original failure is what the caller must see
        log.exception("could not undo the creation of project %s", project.projid)
