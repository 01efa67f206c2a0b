"""Projects and their ontology: attaching one, and Encord's legacy helpers that add a feature
to the ontology a project uses (the ontology is shared: every project using it sees it)."""

from __future__ import annotations

from typing import Sequence

from services.core.auth import Principal
from services.core.errors import NotFound
from services.ontology import store
from services.ontology.domain.ontologies.legacy import with_classification, with_object
from services.ontology.domain.ontologies.ports import Deps
from services.ontology.domain.ontologies.read import get_ontology, load_ontology, project_ontology_hash
from services.ontology.domain.ontologies.rights import require_edit
from services.ontology.domain.ontologies.types import AddedFeature
from services.ontology.domain.ontologies.write import save_version


async def attach_ontology(*, deps: Deps, caller: Principal, project_id: int, ontology_hash: str) -> None:
    """The project's managers attach an ontology they can read."""
    actor_id = caller.require_user()
    await deps.projects.check(project_id=project_id, manage=True)
    await get_ontology(deps=deps, caller=caller, ontology_hash=ontology_hash)
    async with deps.db.transaction() as s:
        ontology = await store.get_ontology(s, ontology_hash=ontology_hash)
        if ontology is None:
            raise NotFound()
        await store.attach(s, project_id=project_id, ontology_hash=ontology_hash)
        deps.events.attached(s, ontology=ontology, project_id=project_id, actor_id=actor_id)


async def _editable_project_ontology(*, deps: Deps, caller: Principal, project_id: int):
    caller.require_user()
    await deps.projects.check(project_id=project_id, manage=True)
    ontology_hash = await project_ontology_hash(deps=deps, project_id=project_id)
    ontology, role = await load_ontology(deps=deps, ontology_hash=ontology_hash, caller=caller)
    require_edit(caller=caller, role=role)
    return ontology


async def add_project_object(*, deps: Deps, caller: Principal, project_id: int, name: str,
                             shape: str) -> AddedFeature:
    ontology = await _editable_project_ontology(deps=deps, caller=caller, project_id=project_id)
    view, _ = await save_version(deps=deps, caller=caller, ontology_hash=ontology.ontology_hash,
                                 structure=with_object(ontology.structure, name=name, shape=shape))
    return AddedFeature(view.ontology.structure["objects"][-1], view)


async def add_project_classification(*, deps: Deps, caller: Principal, project_id: int, name: str,
                                     classification_type: str, required: bool,
                                     options: Sequence[str]) -> AddedFeature:
    ontology = await _editable_project_ontology(deps=deps, caller=caller, project_id=project_id)
    changed = with_classification(ontology.structure, name=name, classification_type=classification_type,
                                  required=required, options=list(options))
    view, _ = await save_version(deps=deps, caller=caller, ontology_hash=ontology.ontology_hash, structure=changed)
    return AddedFeature(view.ontology.structure["classifications"][-1], view)
