"""Pure rules on project roles (the role model itself is services.core.roles): effective roles,
who may grant what, EcoTaxa's privilege rewrite and merge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from services.core import roles
from services.core.errors import InvalidArgument, PermissionDenied
from services.core.roles import ProjectRole

NO_CONTACT = "A valid Contact is needed."
CONTACT_NOT_MANAGER = "Could not set Contact, the designated user is not in Managers list."


@dataclass(frozen=True, slots=True)
class Seat:
    """A direct membership: the role and whether the member is the project's contact."""

    role: ProjectRole
    contact: bool = False


def effective_role(direct: ProjectRole | int | None,
                   via_groups: Iterable[ProjectRole | int] = ()) -> ProjectRole | None:
    """The role a user holds on a project: the highest of their own and their groups' roles."""
    held = [*via_groups] + ([direct] if direct is not None else [])
    return roles.highest(held)


def check_role(value: int) -> ProjectRole:
    try:
        return ProjectRole(value)
    except ValueError:
        raise InvalidArgument(f"Unknown project role {value}.") from None


def can_manage_members(*, is_admin: bool, caller_role: ProjectRole | None) -> bool:
    return is_admin or caller_role in (ProjectRole.ADMIN, ProjectRole.TEAM_MANAGER)


def require_grant(*, is_admin: bool, caller_role: ProjectRole | None, role: ProjectRole) -> None:
    """May the caller hand out (or take back) ``role`` on the project? Administrators of the
    application and of the project may; a team manager may, except ADMIN and TEAM_MANAGER."""
    if is_admin or caller_role == ProjectRole.ADMIN:
        return
    if caller_role == ProjectRole.TEAM_MANAGER and role not in (ProjectRole.ADMIN, ProjectRole.TEAM_MANAGER):
        return
    raise PermissionDenied()


def rewrite(*, current: Mapping[int, Seat], wanted: Iterable[tuple[int, str]], contact_id: int) -> dict[int, Seat]:
    """EcoTaxa's update of a project's privileges: the direct members become exactly ``wanted``
    (user id, right). A user named with several rights gets the highest; a member keeps a current
    role that already carries the right (an Encord REVIEWER re-sent as an annotator stays one);
    the contact is mandatory and must be a manager."""
    rights: dict[int, str] = {}
    for user_id, right in wanted:
        if right not in roles.ECOTAXA_RIGHTS:
            raise InvalidArgument(f"Unknown right {right!r} for user {user_id}: use Manage, Annotate or View.")
        previous = rights.get(user_id)
        if previous is None or roles.RIGHT_LEVEL[right] > roles.RIGHT_LEVEL[previous]:
            rights[user_id] = right
    if not contact_id:
        raise InvalidArgument(NO_CONTACT)
    if rights.get(contact_id) != roles.MANAGE:
        raise InvalidArgument(CONTACT_NOT_MANAGER)
    result = {}
    for user_id, right in rights.items():
        seat = current.get(user_id)
        role = roles.role_for_right(right, seat.role if seat else None)
        result[user_id] = Seat(role=role, contact=user_id == contact_id)
    return result


def merge(*, target: Mapping[int, Seat], source: Mapping[int, Seat]) -> dict[int, Seat]:
    """EcoTaxa's generous merge: users on both projects keep the higher role, the source's other
    members join; the target's contact stays the contact."""
    result = dict(target)
    for user_id, seat in source.items():
        mine = result.get(user_id)
        if mine is None:
            result[user_id] = Seat(role=seat.role, contact=False)
        elif roles.RANK[seat.role] > roles.RANK[mine.role]:
            result[user_id] = Seat(role=seat.role, contact=mine.contact)
    return result


def merge_group_roles(*, target: Mapping[str, ProjectRole],
                      source: Mapping[str, ProjectRole]) -> dict[str, ProjectRole]:
    result = dict(target)
    for group_hash, role in source.items():
        mine = result.get(group_hash)
        if mine is None or roles.RANK[role] > roles.RANK[mine]:
            result[group_hash] = role
    return result
