"""Who may do what on a project (EcoTaxa's rights: Manage ⊃ Annotate ⊃ View; application
administrators bypass every check)."""

from __future__ import annotations

from services.core.auth import Principal
from services.core.errors import PermissionDenied
from services.core.roles import MANAGE, ProjectRole, allows, right_of


def highest_right(*, caller: Principal, role: ProjectRole | None) -> str:
    """The caller's right on a project, "" when they hold none."""
    if caller.is_admin and caller.user_id is not None:
        return MANAGE
    return right_of(role)


def can_read(*, caller: Principal, role: ProjectRole | None, visible: bool) -> bool:
    """Anonymous callers read visible projects; a logged user also reads every project they hold a role on."""
    if caller.user_id is None:
        return visible
    return caller.is_admin or visible or role is not None


def can_manage(*, caller: Principal, role: ProjectRole | None) -> bool:
    if caller.user_id is None:
        return False
    return caller.is_admin or allows(role, MANAGE)


def require_read(*, caller: Principal, role: ProjectRole | None, visible: bool, for_managing: bool = False) -> None:
    allowed = can_manage(caller=caller, role=role) if for_managing else can_read(caller=caller, role=role,
                                                                              visible=visible)
    if not allowed:
        raise PermissionDenied()


def require_manage(*, caller: Principal, role: ProjectRole | None) -> None:
    if not can_manage(caller=caller, role=role):
        raise PermissionDenied()
