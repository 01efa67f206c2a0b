"""Events of the users service (subjects and payload builders) and the events it consumes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from copepod.v1 import events_pb2
from services.core.bus import Event, Subscription
from services.core.tombstones import PROJECT_DELETED

if TYPE_CHECKING:
    from services.core.host import ServiceContext
    from services.users.store import ApiKey, Group, User

USER_CREATED = "copepod.users.user.created"
USER_UPDATED = "copepod.users.user.updated"
USER_DEACTIVATED = "copepod.users.user.deactivated"
USER_ACTIVATED = "copepod.users.user.activated"
MEMBERSHIP_CHANGED = "copepod.users.membership.changed"
GROUP_CREATED = "copepod.users.group.created"
GROUP_UPDATED = "copepod.users.group.updated"
API_KEY_CREATED = "copepod.users.api_key.created"
API_KEY_REVOKED = "copepod.users.api_key.revoked"


def user_event(user: "User", *, actor_id: int | None, changed: Iterable[str] = ()) -> events_pb2.UserEvent:
    return events_pb2.UserEvent(user_id=user.id, email=user.email, name=user.name, active=user.active,
                                is_admin=user.is_admin, actor_user_id=actor_id or 0, changed_fields=sorted(changed))


def membership_event(*, project_id: int, user_ids: Iterable[int], actor_id: int | None,
                     reason: str) -> events_pb2.MembershipEvent:
    return events_pb2.MembershipEvent(project_id=project_id, user_ids=sorted(set(user_ids)),
                                      actor_user_id=actor_id or 0, reason=reason)


def group_event(group: "Group", *, member_ids: Iterable[int], actor_id: int | None) -> events_pb2.GroupEvent:
    return events_pb2.GroupEvent(group_hash=group.group_hash, name=group.name, description=group.description,
                                 member_ids=sorted(set(member_ids)), actor_user_id=actor_id or 0)


def api_key_event(key: "ApiKey") -> events_pb2.ApiKeyEvent:
    return events_pb2.ApiKeyEvent(key_id=key.key_id, user_id=key.user_id, name=key.name)


def project_deleted_subscription(ctx: "ServiceContext") -> Subscription:
    """A deleted project takes its memberships and group links with it (not when only its
    objects were erased)."""
    from services.users.domain import memberships

    async def on_project_deleted(session, event: Event, msg: events_pb2.ProjectEvent) -> None:
        if not msg.only_objects:
            await memberships.forget_project(session, ctx.bus, project_id=msg.project_id)

    return Subscription(subject=PROJECT_DELETED, name="project-deleted", message=events_pb2.ProjectEvent,
                        handler=on_project_deleted)
