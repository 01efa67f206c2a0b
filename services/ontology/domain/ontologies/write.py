"""Creating, editing (a new version each time), sharing and deleting ontologies."""

from __future__ import annotations

import uuid
from typing import Callable, TypeVar

from services.core.auth import Principal
from services.core.bus import utcnow
from services.core.errors import FailedPrecondition, InvalidArgument, NotFound
from services.ontology import store
from services.ontology.domain.ontologies.features import changed_features, known_hashes
from services.ontology.domain.ontologies.ports import Deps
from services.ontology.domain.ontologies.rights import effective_role, require_edit
from services.ontology.domain.ontologies.rules import (
    OntologyRole,
    clean_description,
    clean_role,
    clean_title,
    parse_structure_text,
)
from services.ontology.domain.ontologies.structure import normalise_structure
from services.ontology.domain.ontologies.types import OntologyView
from services.ontology.store import Ontology

T = TypeVar("T")


def _checked(problems: list[dict], check: Callable[[], T]) -> T | None:
    """Run one check; keep its problems with the others', so all are answered at once."""
    try:
        return check()
    except InvalidArgument as exc:
        problems.extend(exc.detail or [{"loc": [], "msg": exc.message, "type": "invalid"}])
        return None


async def create_ontology(*, deps: Deps, caller: Principal, title: str, description: str = "",
                          structure_text: str = "") -> OntologyView:
    owner_id = caller.require_user()
    problems: list[dict] = []
    clean_name = _checked(problems, lambda: clean_title(title))
    clean_text = _checked(problems, lambda: clean_description(description))
    structure = _checked(problems, lambda: normalise_structure(parse_structure_text(structure_text)))
    if problems:
        raise InvalidArgument("Invalid ontology.", detail=problems)
    now = utcnow()
    ontology = Ontology(ontology_hash=str(uuid.uuid4()), title=clean_name, description=clean_text,
                        structure=structure, version=1, owner_id=owner_id, created_at=now, last_edited_at=now)
    async with deps.db.transaction() as s:
        await store.add_ontology(s, ontology=ontology, actor_id=owner_id)
        deps.events.created(s, ontology=ontology, actor_id=owner_id)
    return OntologyView(ontology, OntologyRole.ADMIN)


async def save_version(*, deps: Deps, caller: Principal, ontology_hash: str, structure: object,
                       title: str | None = None, description: str | None = None) -> tuple[OntologyView, list[str]]:
    """Validate ``structure`` against the current version and store it as the next one.
    Answers the new version and the hashes of the features added or changed."""
    actor_id = caller.require_user()
    async with deps.db.transaction() as s:
        ontology = await store.get_ontology(s, ontology_hash=ontology_hash, for_update=True)
        if ontology is None:
            raise NotFound()
        role = await store.role_of(s, ontology_hash=ontology_hash, user_id=actor_id)
        require_edit(caller=caller, role=role)
        problems: list[dict] = []
        new_title = ontology.title if title is None else _checked(problems, lambda: clean_title(title))
        new_description = (ontology.description if description is None
                           else _checked(problems, lambda: clean_description(description)))
        new_structure = _checked(problems, lambda: normalise_structure(structure,
                                                                       known=known_hashes(ontology.structure)))
        changed = [] if new_structure is None else _checked(
            problems, lambda: changed_features(previous=ontology.structure, current=new_structure))
        if problems:
            raise InvalidArgument("Invalid ontology.", detail=problems)
        ontology.title, ontology.description, ontology.structure = new_title, new_description, new_structure
        ontology.version += 1
        ontology.last_edited_at = utcnow()
        s.add(ontology)
        await store.add_version(s, ontology=ontology, actor_id=actor_id)
        deps.events.updated(s, ontology=ontology, actor_id=actor_id, changed_feature_hashes=changed)
    return OntologyView(ontology, effective_role(caller=caller, role=role)), changed


async def update_ontology(*, deps: Deps, caller: Principal, ontology_hash: str, structure_text: str,
                          title: str | None = None, description: str | None = None) -> tuple[OntologyView, list[str]]:
    return await save_version(deps=deps, caller=caller, ontology_hash=ontology_hash,
                              structure=parse_structure_text(structure_text), title=title, description=description)


async def delete_ontology(*, deps: Deps, caller: Principal, ontology_hash: str) -> None:
    actor_id = caller.require_user()
    async with deps.db.transaction() as s:
        ontology = await store.get_ontology(s, ontology_hash=ontology_hash, for_update=True)
        if ontology is None:
            raise NotFound()
        require_edit(caller=caller, role=await store.role_of(s, ontology_hash=ontology_hash, user_id=actor_id))
        using = await store.projects_using(s, ontology_hash=ontology_hash, limit=10)
        if using:
            raise FailedPrecondition("The ontology is used by project(s) " + ", ".join(map(str, using))
                                     + "; it cannot be deleted.")
        deps.events.deleted(s, ontology=ontology, actor_id=actor_id)
        await store.delete_ontology(s, ontology=ontology)


async def set_ontology_user(*, deps: Deps, caller: Principal, ontology_hash: str, user_id: int, role: int,
                            remove: bool = False) -> None:
    """Give a user a role on the ontology, or take it away. The owner keeps ADMIN."""
    actor_id = caller.require_user()
    new_role = None if remove else clean_role(role)
    async with deps.db.transaction() as s:
        ontology = await store.get_ontology(s, ontology_hash=ontology_hash, for_update=True)
        if ontology is None:
            raise NotFound()
        require_edit(caller=caller, role=await store.role_of(s, ontology_hash=ontology_hash, user_id=actor_id))
        if user_id == ontology.owner_id:
            raise FailedPrecondition("The owner of an ontology keeps the ADMIN role.")
        await store.set_role(s, ontology_hash=ontology_hash, user_id=user_id,
                             role=None if new_role is None else int(new_role))
