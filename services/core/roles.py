"""One role model for project memberships, serving both references.

Encord's ProjectUserRole wire values (ADMIN=0, ANNOTATOR=1, REVIEWER=2, ANNOTATOR_REVIEWER=3,
TEAM_MANAGER=4) plus VIEWER=5 for EcoTaxa's read-only right. EcoTaxa's rights are derived:
Manage ⊃ Annotate ⊃ View. When a user holds several roles on a project (directly and through
groups) the highest rank wins. See docs/roles.md.
"""

from __future__ import annotations

from enum import IntEnum


class ProjectRole(IntEnum):
    ADMIN = 0
    ANNOTATOR = 1
    REVIEWER = 2
    ANNOTATOR_REVIEWER = 3
    TEAM_MANAGER = 4
    VIEWER = 5


MANAGE, ANNOTATE, VIEW = "Manage", "Annotate", "View"
ECOTAXA_RIGHTS = (MANAGE, ANNOTATE, VIEW)

# Higher is stronger.
RANK = {
    ProjectRole.VIEWER: 0,
    ProjectRole.ANNOTATOR: 1,
    ProjectRole.REVIEWER: 2,
    ProjectRole.ANNOTATOR_REVIEWER: 3,
    ProjectRole.TEAM_MANAGER: 4,
    ProjectRole.ADMIN: 5,
}

ECOTAXA_RIGHT = {
    ProjectRole.ADMIN: MANAGE,
    ProjectRole.TEAM_MANAGER: ANNOTATE,
    ProjectRole.ANNOTATOR_REVIEWER: ANNOTATE,
    ProjectRole.REVIEWER: ANNOTATE,
    ProjectRole.ANNOTATOR: ANNOTATE,
    ProjectRole.VIEWER: VIEW,
}

# The role given to a user when an EcoTaxa client grants a right.
ROLE_FOR_RIGHT = {MANAGE: ProjectRole.ADMIN, ANNOTATE: ProjectRole.ANNOTATOR_REVIEWER, VIEW: ProjectRole.VIEWER}

RIGHT_LEVEL = {VIEW: 1, ANNOTATE: 2, MANAGE: 3}


def highest(roles) -> ProjectRole | None:
    roles = [ProjectRole(r) for r in roles]
    return max(roles, key=RANK.__getitem__) if roles else None


def right_of(role: ProjectRole | int | None) -> str:
    """EcoTaxa's right for a role; "" for no role."""
    return "" if role is None else ECOTAXA_RIGHT[ProjectRole(role)]


def role_for_right(right: str, current: ProjectRole | None = None) -> ProjectRole:
    """Keep a current role that already carries ``right`` (an Encord REVIEWER stays a REVIEWER
    when an EcoTaxa client re-sends them as an annotator); otherwise the canonical role."""
    if right not in ROLE_FOR_RIGHT:
        raise ValueError(f"unknown right {right!r}")
    if current is not None and ECOTAXA_RIGHT[current] == right:
        return current
    return ROLE_FOR_RIGHT[right]


def allows(role: ProjectRole | int | None, right: str) -> bool:
    """Does ``role`` carry at least EcoTaxa ``right``?"""
    return role is not None and RIGHT_LEVEL[right_of(role)] >= RIGHT_LEVEL[right]
