"""Who may do what on an ontology. Its owner and ADMIN users edit, delete and share it; USER
users read it; application administrators do anything; members of a project it is attached to
read it through the project."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import NotFound, PermissionDenied
from services.ontology import store
from services.ontology.domain.ontologies.ports import Deps
from services.ontology.domain.ontologies.rules import OntologyRole

# A reader without a role of their own is looked for among the first projects using it.
PROJECTS_CHECKED = 20


def effective_role(*, caller: Principal, role: int | None) -> OntologyRole | None:
    if caller.is_admin and caller.user_id is not None:
        return OntologyRole.ADMIN
    return None if role is None else OntologyRole(role)


def require_edit(*, caller: Principal, role: int | None) -> None:
    if effective_role(caller=caller, role=role) != OntologyRole.ADMIN:
        raise PermissionDenied()


async def readable_through_project(*, deps: Deps, ontology_hash: str) -> bool:
    async with deps.db.session() as s:
        project_ids = await store.projects_using(s, ontology_hash=ontology_hash, limit=PROJECTS_CHECKED)
    for project_id in project_ids:
        try:
            await deps.projects.check(project_id=project_id, manage=False)
        except (NotFound, PermissionDenied):
            continue
        return True
    return False
