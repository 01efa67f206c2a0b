"""Groups of users, and their roles on projects (Encord's project groups)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.auth import Principal
from services.core.errors import Conflict, InvalidArgument, NotFound, PermissionDenied
from services.core.roles import ProjectRole
from services.users import events, store
from services.users.domain import grants
from services.users.domain.accounts import privileged, resolve_emails
from services.users.domain.memberships import require_member_manager
from services.users.domain.validation import check_batch, check_group_hash, clean_text, unique
from services.users.store import Group, GroupMember, ProjectGroup, User

if TYPE_CHECKING:
    from services.core.bus import EventBus
    from services.core.host import ServiceContext


@dataclass(frozen=True, slots=True)
class GroupView:
    group: Group
    members: list[User]


@dataclass(frozen=True, slots=True)
class ProjectGroupView:
    group: Group
    role: ProjectRole


def _hashes(values: Iterable[str]) -> list[str]:
    return unique(check_group_hash(v) for v in check_batch(values, what="groups"))


async def _view(s: AsyncSession, group: Group) -> GroupView:
    members = await store.group_members(s, group_hashes=[group.group_hash])
    return GroupView(group=group, members=members[group.group_hash])


def _emit_group(s: AsyncSession, bus: "EventBus", subject: str, view: GroupView, actor: Principal) -> None:
    member_ids = [u.id for u in view.members]
    bus.emit(s, subject, events.group_event(view.group, member_ids=member_ids, actor_id=actor.user_id))


async def _emit_projects_of(s: AsyncSession, bus: "EventBus", *, group_hash: str, user_ids: Sequence[int],
                            actor: Principal) -> None:
    """Members joining or leaving a group change their roles on every project the group is on."""
    for project_id in await store.projects_of_group(s, group_hash=group_hash):
        bus.emit(s, events.MEMBERSHIP_CHANGED,
                 events.membership_event(project_id=project_id, user_ids=user_ids, actor_id=actor.user_id,
                                         reason="group_updated"))


# --- groups ----------------------------------------------------------------------------------
async def create_group(ctx: "ServiceContext", *, actor: Principal, name: str, description: str,
                       emails: Sequence[str]) -> GroupView:
    owner = actor.require_user()
    name = clean_text(name, field="group name", max_length=200, required=True)
    description = clean_text(description, field="group description", max_length=2000)
    async with ctx.db.transaction() as s:
        users = await resolve_emails(s, emails=emails)
        group = Group(group_hash=str(uuid.uuid4()), name=name, description=description, owner_id=owner)
        s.add(group)
        await s.flush()
        for user in users:
            s.add(GroupMember(group_hash=group.group_hash, user_id=user.id))
        view = GroupView(group=group, members=sorted(users, key=lambda u: u.email))
        _emit_group(s, ctx.bus, events.GROUP_CREATED, view, actor)
    return view


async def list_groups(ctx: "ServiceContext", *, actor: Principal) -> list[GroupView]:
    """Groups the caller owns or belongs to; every group for administrators."""
    if actor.service is None:
        actor.require_user()
    async with ctx.db.session() as s:
        found = await store.all_groups(s) if privileged(actor) else await store.groups_of_user(s, user_id=actor.user_id)
        members = await store.group_members(s, group_hashes=[g.group_hash for g in found])
    return [GroupView(group=g, members=members[g.group_hash]) for g in found]


async def _owned_group(s: AsyncSession, *, actor: Principal, group_hash: str) -> Group:
    caller = actor.require_user()
    found = await store.group(s, group_hash=check_group_hash(group_hash))
    if found is None:
        raise NotFound()
    if not (actor.is_admin or found.owner_id == caller):
        raise PermissionDenied()
    return found


async def add_group_members(ctx: "ServiceContext", *, actor: Principal, group_hash: str,
                            emails: Sequence[str]) -> GroupView:
    try:
        async with ctx.db.transaction() as s:
            group = await _owned_group(s, actor=actor, group_hash=group_hash)
            users = await resolve_emails(s, emails=emails)
            current = {u.id for u in (await _view(s, group)).members}
            joining = [u.id for u in users if u.id not in current]
            for user_id in joining:
                s.add(GroupMember(group_hash=group.group_hash, user_id=user_id))
            await s.flush()
            view = await _view(s, group)
            if joining:
                _emit_group(s, ctx.bus, events.GROUP_UPDATED, view, actor)
                await _emit_projects_of(s, ctx.bus, group_hash=group.group_hash, user_ids=joining, actor=actor)
    except IntegrityError:
        raise Conflict("The group changed meanwhile; try again.") from None
    return view


async def remove_group_members(ctx: "ServiceContext", *, actor: Principal, group_hash: str,
                               emails: Sequence[str]) -> GroupView:
    async with ctx.db.transaction() as s:
        group = await _owned_group(s, actor=actor, group_hash=group_hash)
        users = await resolve_emails(s, emails=emails)
        current = {u.id for u in (await _view(s, group)).members}
        leaving = [u.id for u in users if u.id in current]
        if leaving:
            await s.exec(sa.delete(GroupMember).where(GroupMember.group_hash == group.group_hash,
                                                      GroupMember.user_id.in_(leaving)))
        view = await _view(s, group)
        if leaving:
            _emit_group(s, ctx.bus, events.GROUP_UPDATED, view, actor)
            await _emit_projects_of(s, ctx.bus, group_hash=group.group_hash, user_ids=leaving, actor=actor)
    return view


# --- groups on projects ----------------------------------------------------------------------
async def project_groups(ctx: "ServiceContext", *, actor: Principal, project_id: int) -> list[ProjectGroupView]:
    async with ctx.db.session() as s:
        await require_member_manager(s, actor=actor, project_id=project_id)
        rows = await store.groups_of_project(s, project_id=project_id)
    return [ProjectGroupView(group=g, role=ProjectRole(link.role)) for link, g in rows]


async def _visible_groups(s: AsyncSession, *, actor: Principal, hashes: list[str]) -> dict[str, Group]:
    """The groups among ``hashes`` the caller may hand roles to (owned or joined; any for
    administrators); InvalidArgument naming the others."""
    found = await store.groups_by_hashes(s, group_hashes=hashes)
    if not privileged(actor):
        found = {h: g for h, g in found.items()
                 if g.owner_id == actor.user_id or await store.is_group_member(s, group_hash=h, user_id=actor.user_id)}
    missing = [h for h in hashes if h not in found]
    if missing:
        raise InvalidArgument("Unknown group(s): " + ", ".join(missing) + ".")
    return found


async def add_project_groups(ctx: "ServiceContext", *, actor: Principal, project_id: int,
                             group_hashes: Sequence[str], role: int) -> None:
    """Groups already on the project keep their role, as users do in add_users."""
    role = grants.check_role(role)
    hashes = _hashes(group_hashes)
    try:
        async with ctx.db.transaction() as s:
            mine = await require_member_manager(s, actor=actor, project_id=project_id)
            grants.require_grant(is_admin=privileged(actor), caller_role=mine, role=role)
            await _visible_groups(s, actor=actor, hashes=hashes)
            links = await store.project_group_links(s, project_id=project_id)
            joining = [h for h in hashes if h not in links]
            for group_hash in joining:
                s.add(ProjectGroup(project_id=project_id, group_hash=group_hash, role=int(role)))
            if joining:
                members = await store.group_members(s, group_hashes=joining)
                user_ids = {u.id for users in members.values() for u in users}
                ctx.bus.emit(s, events.MEMBERSHIP_CHANGED,
                             events.membership_event(project_id=project_id, user_ids=user_ids,
                                                     actor_id=actor.user_id, reason="group_added"))
    except IntegrityError:
        raise Conflict("The project's groups changed meanwhile; try again.") from None


async def remove_project_groups(ctx: "ServiceContext", *, actor: Principal, project_id: int,
                                group_hashes: Sequence[str]) -> None:
    """Groups not on the project are ignored; a team manager cannot remove a group holding ADMIN
    or TEAM_MANAGER."""
    hashes = _hashes(group_hashes)
    async with ctx.db.transaction() as s:
        mine = await require_member_manager(s, actor=actor, project_id=project_id)
        links = await store.project_group_links(s, project_id=project_id)
        leaving = [h for h in hashes if h in links]
        for group_hash in leaving:
            grants.require_grant(is_admin=privileged(actor), caller_role=mine, role=ProjectRole(links[group_hash].role))
        if not leaving:
            return
        await s.exec(sa.delete(ProjectGroup).where(ProjectGroup.project_id == project_id,
                                                   ProjectGroup.group_hash.in_(leaving)))
        members = await store.group_members(s, group_hashes=leaving)
        user_ids = {u.id for users in members.values() for u in users}
        ctx.bus.emit(s, events.MEMBERSHIP_CHANGED,
                     events.membership_event(project_id=project_id, user_ids=user_ids, actor_id=actor.user_id,
                                             reason="group_removed"))
