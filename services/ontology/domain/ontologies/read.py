"""Reading ontologies: one by hash, a page of them, or the one a project uses."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import NotFound, PermissionDenied
from services.ontology import store
from services.ontology.domain.ontologies.ports import Deps
from services.ontology.domain.ontologies.rights import effective_role, readable_through_project
from services.ontology.domain.ontologies.rules import clean_page_size, page_token, parse_page_token
from services.ontology.domain.ontologies.types import OntologyPage, OntologyView
from services.ontology.store import Ontology


async def load_ontology(*, deps: Deps, ontology_hash: str, caller: Principal) -> tuple[Ontology, int | None]:
    """The row and the caller's own role on it (None: no role)."""
    async with deps.db.session() as s:
        ontology = await store.get_ontology(s, ontology_hash=ontology_hash)
        if ontology is None:
            raise NotFound()
        role = None
        if caller.user_id is not None:
            role = await store.role_of(s, ontology_hash=ontology_hash, user_id=caller.user_id)
    return ontology, role


async def get_ontology(*, deps: Deps, caller: Principal, ontology_hash: str) -> OntologyView:
    caller.require_user()
    ontology, role = await load_ontology(deps=deps, ontology_hash=ontology_hash, caller=caller)
    user_role = effective_role(caller=caller, role=role)
    if user_role is None and not await readable_through_project(deps=deps, ontology_hash=ontology_hash):
        raise PermissionDenied()
    return OntologyView(ontology, user_role)


async def list_ontologies(*, deps: Deps, caller: Principal, title: str = "", page_size: int = 0,
                          page_token_in: str = "") -> OntologyPage:
    """The ontologies the caller holds a role on (every one for an administrator), oldest first."""
    user_id = caller.require_user()
    size = clean_page_size(page_size)
    after = parse_page_token(page_token_in)
    async with deps.db.session() as s:
        rows = await store.list_ontologies(s, user_id=None if caller.is_admin else user_id, title=title.strip(),
                                           after=after, limit=size + 1)
        views = []
        for row in rows[:size]:
            role = await store.role_of(s, ontology_hash=row.ontology_hash, user_id=user_id)
            views.append(OntologyView(row, effective_role(caller=caller, role=role)))
    more = len(rows) > size
    last = rows[size - 1] if more else None
    return OntologyPage(views, page_token(last.created_at, last.ontology_hash) if last else "")


async def project_ontology_hash(*, deps: Deps, project_id: int) -> str:
    async with deps.db.session() as s:
        found = await store.attached_ontology(s, project_id=project_id)
    if found is None:
        raise NotFound("This project has no ontology.")
    return found


async def get_project_ontology(*, deps: Deps, caller: Principal, project_id: int) -> OntologyView:
    """Any reader of the project reads its ontology."""
    caller.require_user()
    await deps.projects.check(project_id=project_id, manage=False)
    ontology_hash = await project_ontology_hash(deps=deps, project_id=project_id)
    ontology, role = await load_ontology(deps=deps, ontology_hash=ontology_hash, caller=caller)
    return OntologyView(ontology, effective_role(caller=caller, role=role))
