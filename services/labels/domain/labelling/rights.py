"""Who may do what with label rows: members of the project read (a visible project's strangers do
not: labels are the team's); annotators, reviewers and managers edit; viewers only read.
Application administrators and services may do everything."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import PermissionDenied
from services.core.project_access import ProjectStanding
from services.core.roles import ProjectRole

EDITORS = frozenset({ProjectRole.ADMIN, ProjectRole.ANNOTATOR, ProjectRole.REVIEWER,
                     ProjectRole.ANNOTATOR_REVIEWER, ProjectRole.TEAM_MANAGER})


async def member_standing(*, deps, caller: Principal, project_id: int) -> ProjectStanding:
    """The caller's standing on the project (NotFound for an unknown project); PermissionDenied
    unless they are one of its members."""
    standing = await deps.projects.check(project_id=project_id)
    if caller.is_admin or caller.service or standing.role is not None or standing.right:
        return standing
    raise PermissionDenied("Only the project's members see its labels.")


def require_edit(*, caller: Principal, standing: ProjectStanding) -> None:
    if caller.is_admin or standing.role in EDITORS:
        return
    raise PermissionDenied("Only the project's annotators, reviewers and managers edit its labels.")
