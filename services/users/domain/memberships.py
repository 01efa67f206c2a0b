"""Project memberships: direct seats and roles through groups, read in bulk for the projects
service, written by EcoTaxa's rewrite, Encord's add_users, creation and merge."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.auth import Principal
from services.core.errors import Conflict, InvalidArgument, PermissionDenied
from services.core.roles import ProjectRole
from services.users import events, store
from services.users.domain import grants
from services.users.domain.accounts import privileged, resolve_emails
from services.users.domain.grants import Seat
from services.users.domain.validation import check_batch
from services.users.store import ProjectMember, User

if TYPE_CHECKING:
    from services.core.bus import EventBus
    from services.core.host import ServiceContext

PROJECT_BATCH_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Member:
    user: User
    role: ProjectRole
    contact: bool


@dataclass(frozen=True, slots=True)
class ProjectMembers:
    project_id: int
    members: list[Member]
    user_role: ProjectRole | None  # effective role of the user asked about


# --- reading ---------------------------------------------------------------------------------
async def effective_roles(s: AsyncSession, *, user_id: int,
                          project_ids: Sequence[int] | None = None) -> dict[int, ProjectRole]:
    """Project id → the user's effective role (direct or through groups, highest wins)."""
    held: dict[int, list[int]] = defaultdict(list)
    for project_id, role in await store.direct_roles_of_user(s, user_id=user_id, project_ids=project_ids):
        held[project_id].append(role)
    for project_id, role in await store.group_roles_of_user(s, user_id=user_id, project_ids=project_ids):
        held[project_id].append(role)
    return {pid: grants.effective_role(None, rs) for pid, rs in held.items()}


async def caller_role(s: AsyncSession, *, actor: Principal, project_id: int) -> ProjectRole | None:
    if actor.user_id is None:
        return None
    return (await effective_roles(s, user_id=actor.user_id, project_ids=[project_id])).get(project_id)


async def require_member_manager(s: AsyncSession, *, actor: Principal, project_id: int) -> ProjectRole | None:
    """The caller's role, when they may manage the project's members (application administrator,
    project ADMIN or TEAM_MANAGER); PermissionDenied otherwise."""
    if actor.service is None:
        actor.require_user()
    role = await caller_role(s, actor=actor, project_id=project_id)
    if not grants.can_manage_members(is_admin=privileged(actor), caller_role=role):
        raise PermissionDenied()
    return role


async def get_memberships(ctx: "ServiceContext", *, actor: Principal, project_ids: Iterable[int],
                          user_id: int) -> list[ProjectMembers]:
    """Direct members of each project and the effective role of ``user_id`` on it, in two indexed
    queries (plus one for the group roles) whatever the number of projects."""
    project_ids = check_batch(dict.fromkeys(project_ids), what="projects", limit=PROJECT_BATCH_MAX)
    unrestricted = privileged(actor)
    if not unrestricted:
        caller = actor.require_user()
        if user_id not in (0, caller):
            raise PermissionDenied()
        user_id = caller
    async with ctx.db.session() as s:
        rows = await store.members_of_projects(s, project_ids=project_ids)
        roles = await effective_roles(s, user_id=user_id, project_ids=project_ids) if user_id else {}
    members: dict[int, list[Member]] = defaultdict(list)
    for seat, user in rows:
        members[seat.project_id].append(Member(user=user, role=ProjectRole(seat.role), contact=seat.contact))
    return [ProjectMembers(project_id=pid,
                           members=members.get(pid, []) if unrestricted or pid in roles else [],
                           user_role=roles.get(pid))
            for pid in project_ids]


async def user_projects(ctx: "ServiceContext", *, actor: Principal, user_id: int) -> dict[int, ProjectRole]:
    if actor.service is None:
        caller = actor.require_user()
        user_id = user_id or caller
        if user_id != caller and not actor.is_admin:
            raise PermissionDenied()
    elif not user_id:
        raise InvalidArgument("A user id is needed.")
    async with ctx.db.session() as s:
        return await effective_roles(s, user_id=user_id)


async def project_users(ctx: "ServiceContext", *, actor: Principal, project_id: int) -> list[Member]:
    """Direct members; the caller must hold a role on the project or be an administrator."""
    async with ctx.db.session() as s:
        if not privileged(actor):
            actor.require_user()
            if await caller_role(s, actor=actor, project_id=project_id) is None:
                raise PermissionDenied()
        rows = await store.members_of_projects(s, project_ids=[project_id])
    return [Member(user=u, role=ProjectRole(m.role), contact=m.contact) for m, u in rows]


# --- writing ---------------------------------------------------------------------------------
def _seats(rows: dict[int, ProjectMember]) -> dict[int, Seat]:
    return {uid: Seat(role=ProjectRole(m.role), contact=m.contact) for uid, m in rows.items()}


def _emit(s: AsyncSession, bus: "EventBus", *, project_id: int, user_ids: Iterable[int], actor: Principal,
          reason: str) -> None:
    bus.emit(s, events.MEMBERSHIP_CHANGED,
             events.membership_event(project_id=project_id, user_ids=user_ids, actor_id=actor.user_id, reason=reason))


def _changed(before: dict[int, Seat], after: dict[int, Seat]) -> set[int]:
    return {uid for uid in before.keys() | after.keys() if before.get(uid) != after.get(uid)}


async def init_members(ctx: "ServiceContext", *, actor: Principal, project_id: int, creator_id: int,
                       clone_of_id: int = 0) -> None:
    actor.require_service("projects")
    try:
        async with ctx.db.transaction() as s:
            if await store.user_by_id(s, user_id=creator_id) is None:
                raise InvalidArgument(f"Unknown user id(s): {creator_id}.")
            before = _seats(await store.direct_seats(s, project_id=project_id))
            after = dict(before)
            if clone_of_id:
                after = grants.merge(target=after, source=_seats(await store.direct_seats(s, project_id=clone_of_id)))
                links = {h: ProjectRole(link.role) for h, link in
                         (await store.project_group_links(s, project_id=project_id)).items()}
                source_links = {h: ProjectRole(link.role) for h, link in
                                (await store.project_group_links(s, project_id=clone_of_id)).items()}
                await _write_group_links(s, project_id=project_id,
                                         links=grants.merge_group_roles(target=links, source=source_links))
            after = {uid: Seat(role=seat.role, contact=False) for uid, seat in after.items()}
            after[creator_id] = Seat(role=ProjectRole.ADMIN, contact=True)
            changed = _changed(before, after)
            if changed:
                await store.replace_seats(s, project_id=project_id, seats=after)
                _emit(s, ctx.bus, project_id=project_id, user_ids=changed, actor=actor, reason="initialised")
    except IntegrityError:
        raise Conflict("The project's members changed meanwhile; try again.") from None


async def set_members(ctx: "ServiceContext", *, actor: Principal, project_id: int,
                      rights: Sequence[tuple[int, str]], contact_id: int, dry_run: bool = False) -> None:
    """EcoTaxa's rewrite of every direct membership (see grants.rewrite); ``dry_run`` checks only."""
    actor.require_service("projects")
    rights = check_batch(rights, what="members", limit=PROJECT_BATCH_MAX)
    try:
        async with ctx.db.transaction() as s:
            known = {u.id for u in await store.users_by_ids(s, ids=[uid for uid, _ in rights])}
            unknown = sorted({uid for uid, _ in rights} - known)
            if unknown:
                raise InvalidArgument("Unknown user id(s): " + ", ".join(map(str, unknown)) + ".")
            before = _seats(await store.direct_seats(s, project_id=project_id))
            after = grants.rewrite(current=before, wanted=rights, contact_id=contact_id)
            changed = _changed(before, after)
            if dry_run or not changed:
                return
            await store.replace_seats(s, project_id=project_id, seats=after)
            _emit(s, ctx.bus, project_id=project_id, user_ids=changed, actor=actor, reason="rewritten")
    except IntegrityError:
        raise Conflict("The project's members changed meanwhile; try again.") from None


async def merge_members(ctx: "ServiceContext", *, actor: Principal, source_id: int, target_id: int) -> None:
    actor.require_service("projects")
    if source_id == target_id:
        raise InvalidArgument("A project cannot be merged into itself.")
    async with ctx.db.transaction() as s:
        before = _seats(await store.direct_seats(s, project_id=target_id))
        after = grants.merge(target=before, source=_seats(await store.direct_seats(s, project_id=source_id)))
        links = {h: ProjectRole(link.role)
                 for h, link in (await store.project_group_links(s, project_id=target_id)).items()}
        source_links = {h: ProjectRole(link.role)
                        for h, link in (await store.project_group_links(s, project_id=source_id)).items()}
        merged_links = grants.merge_group_roles(target=links, source=source_links)
        changed = _changed(before, after)
        if changed:
            await store.replace_seats(s, project_id=target_id, seats=after)
        if merged_links != links:
            await _write_group_links(s, project_id=target_id, links=merged_links)
        if changed or merged_links != links:
            _emit(s, ctx.bus, project_id=target_id, user_ids=changed, actor=actor, reason="merged")


async def _write_group_links(s: AsyncSession, *, project_id: int, links: dict[str, ProjectRole]) -> None:
    existing = await store.project_group_links(s, project_id=project_id)
    for group_hash, role in links.items():
        link = existing.get(group_hash)
        if link is None:
            s.add(store.ProjectGroup(project_id=project_id, group_hash=group_hash, role=int(role)))
        elif link.role != int(role):
            link.role = int(role)
            s.add(link)


async def add_users(ctx: "ServiceContext", *, actor: Principal, project_id: int, emails: Sequence[str],
                    role: int) -> list[tuple[str, ProjectRole]]:
    """Encord's add_users: every e-mail must have an account; existing members keep their role.
    Returns (e-mail, role held) for every e-mail."""
    role = grants.check_role(role)
    try:
        async with ctx.db.transaction() as s:
            mine = await require_member_manager(s, actor=actor, project_id=project_id)
            grants.require_grant(is_admin=privileged(actor), caller_role=mine, role=role)
            users = await resolve_emails(s, emails=emails)
            seats = await store.direct_seats(s, project_id=project_id)
            answer, added = [], []
            for user in users:
                seat = seats.get(user.id)
                if seat is None:
                    seat = ProjectMember(project_id=project_id, user_id=user.id, role=int(role), contact=False)
                    s.add(seat)
                    seats[user.id] = seat
                    added.append(user.id)
                answer.append((user.email, ProjectRole(seat.role)))
            if added:
                _emit(s, ctx.bus, project_id=project_id, user_ids=added, actor=actor, reason="added")
    except IntegrityError:
        raise Conflict("The project's members changed meanwhile; try again.") from None
    return answer


async def forget_project(s: AsyncSession, bus: "EventBus", *, project_id: int) -> None:
    """A deleted project's memberships and group links go, in the caller's transaction."""
    removed = await store.delete_project_links(s, project_id=project_id)
    if removed:
        bus.emit(s, events.MEMBERSHIP_CHANGED,
                 events.membership_event(project_id=project_id, user_ids=removed, actor_id=None,
                                         reason="project_deleted"))
