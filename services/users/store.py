"""Tables of the users service and the queries on them. Queries take the session first and
everything else by keyword."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.core.bus import utcnow

# SQLite accepts far more bound parameters, PostgreSQL 65535; chunks keep IN lists modest.
IN_CHUNK = 500

ACTIVE, INACTIVE = 1, 0


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=255, unique=True)  # lower-case
    name: str = Field(max_length=255)
    password_hash: str = Field(max_length=255)
    organisation: str = Field(default="", max_length=512)
    country: str = Field(default="", max_length=100)
    orcid: str = Field(default="", max_length=50)
    usercreationreason: str = Field(default="", max_length=1000)
    usercreationdate: datetime = Field(default_factory=utcnow)
    status: int = ACTIVE
    status_date: datetime | None = None
    status_admin_comment: str = Field(default="", max_length=1000)
    is_admin: bool = False

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    key_id: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=100)
    secret_hash: str = Field(max_length=64)  # SHA-256 of the secret, hex
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ProjectMember(SQLModel, table=True):
    __tablename__ = "project_member"

    project_id: int = Field(primary_key=True, sa_type=sa.BigInteger)
    user_id: int = Field(primary_key=True, foreign_key="user_account.id", index=True)
    role: int  # services.core.roles.ProjectRole
    contact: bool = False


class Group(SQLModel, table=True):
    __tablename__ = "user_group"

    group_hash: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    owner_id: int = Field(foreign_key="user_account.id", index=True)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"

    group_hash: str = Field(primary_key=True, max_length=36, foreign_key="user_group.group_hash")
    user_id: int = Field(primary_key=True, foreign_key="user_account.id", index=True)


class ProjectGroup(SQLModel, table=True):
    __tablename__ = "project_group"

    project_id: int = Field(primary_key=True, sa_type=sa.BigInteger)
    group_hash: str = Field(primary_key=True, max_length=36, foreign_key="user_group.group_hash", index=True)
    role: int


def _chunks(values: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


# --- users -----------------------------------------------------------------------------------
async def user_by_id(s: AsyncSession, *, user_id: int) -> User | None:
    return await s.get(User, user_id)


async def user_by_email(s: AsyncSession, *, email: str) -> User | None:
    return (await s.exec(select(User).where(User.email == email))).first()


async def users_by_ids(s: AsyncSession, *, ids: Iterable[int]) -> list[User]:
    ids = sorted(set(ids))
    found: list[User] = []
    for chunk in _chunks(ids):
        found.extend((await s.exec(select(User).where(User.id.in_(chunk)))).all())
    return sorted(found, key=lambda u: u.id)


async def users_by_emails(s: AsyncSession, *, emails: Iterable[str]) -> dict[str, User]:
    emails = sorted(set(emails))
    found: dict[str, User] = {}
    for chunk in _chunks(emails):
        for user in (await s.exec(select(User).where(User.email.in_(chunk)))).all():
            found[user.email] = user
    return found


async def user_ids_by_names(s: AsyncSession, *, names: Iterable[str]) -> dict[str, list[int]]:
    """Lower-cased name -> ids of the users with that name (case-insensitive)."""
    names = sorted({n.lower() for n in names})
    found: dict[str, list[int]] = {}
    for chunk in _chunks(names):
        rows = await s.exec(select(User.id, sa.func.lower(User.name)).where(sa.func.lower(User.name).in_(chunk)))
        for user_id, name in rows.all():
            found.setdefault(name, []).append(user_id)
    return found


async def all_users(s: AsyncSession) -> list[User]:
    return list((await s.exec(select(User).order_by(User.id))).all())


async def users_named_like(s: AsyncSession, *, pattern: str, limit: int) -> list[User]:
    query = select(User).where(User.name.ilike(pattern, escape="\\")).order_by(User.name, User.id).limit(limit)
    return list((await s.exec(query)).all())


# --- API keys --------------------------------------------------------------------------------
async def api_key(s: AsyncSession, *, key_id: str) -> ApiKey | None:
    return await s.get(ApiKey, key_id)


async def api_keys_of(s: AsyncSession, *, user_id: int) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.created_at, ApiKey.key_id)
    return list((await s.exec(query)).all())


async def count_active_api_keys(s: AsyncSession, *, user_id: int) -> int:
    query = select(sa.func.count()).select_from(ApiKey).where(ApiKey.user_id == user_id,
                                                              ApiKey.revoked_at.is_(None))
    return (await s.exec(query)).one()


async def touch_api_key(s: AsyncSession, *, key_id: str, now: datetime, older_than: datetime) -> None:
    """Record a use, writing at most once per period per key."""
    await s.exec(sa.update(ApiKey)
                 .where(ApiKey.key_id == key_id,
                        sa.or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < older_than))
                 .values(last_used_at=now))


# --- memberships -----------------------------------------------------------------------------
async def members_of_projects(s: AsyncSession, *, project_ids: Sequence[int]) -> list[tuple[ProjectMember, User]]:
    """Direct members of every given project, with their accounts: one query per chunk."""
    rows: list[tuple[ProjectMember, User]] = []
    for chunk in _chunks(sorted(set(project_ids))):
        query = (select(ProjectMember, User).join(User, User.id == ProjectMember.user_id)
                 .where(ProjectMember.project_id.in_(chunk))
                 .order_by(ProjectMember.project_id, User.email))
        rows.extend((await s.exec(query)).all())
    return rows


async def direct_seats(s: AsyncSession, *, project_id: int) -> dict[int, ProjectMember]:
    query = select(ProjectMember).where(ProjectMember.project_id == project_id)
    return {m.user_id: m for m in (await s.exec(query)).all()}


async def direct_roles_of_user(s: AsyncSession, *, user_id: int,
                               project_ids: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """(project id, role) of the user's own memberships; every project when ``project_ids`` is None."""
    base = select(ProjectMember.project_id, ProjectMember.role).where(ProjectMember.user_id == user_id)
    if project_ids is None:
        return list((await s.exec(base)).all())
    rows: list[tuple[int, int]] = []
    for chunk in _chunks(sorted(set(project_ids))):
        rows.extend((await s.exec(base.where(ProjectMember.project_id.in_(chunk)))).all())
    return rows


async def group_roles_of_user(s: AsyncSession, *, user_id: int,
                              project_ids: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """(project id, role) the user holds through their groups."""
    base = (select(ProjectGroup.project_id, ProjectGroup.role)
            .join(GroupMember, GroupMember.group_hash == ProjectGroup.group_hash)
            .where(GroupMember.user_id == user_id))
    if project_ids is None:
        return list((await s.exec(base)).all())
    rows: list[tuple[int, int]] = []
    for chunk in _chunks(sorted(set(project_ids))):
        rows.extend((await s.exec(base.where(ProjectGroup.project_id.in_(chunk)))).all())
    return rows


async def replace_seats(s: AsyncSession, *, project_id: int, seats: dict) -> None:
    """Make the direct members of ``project_id`` exactly ``seats`` (user id → grants.Seat)."""
    await s.exec(sa.delete(ProjectMember).where(ProjectMember.project_id == project_id))
    await s.flush()
    for user_id, seat in seats.items():
        s.add(ProjectMember(project_id=project_id, user_id=user_id, role=int(seat.role), contact=seat.contact))


async def delete_project_links(s: AsyncSession, *, project_id: int) -> list[int]:
    """Remove every membership and group link of a project; returns the users who lost a seat."""
    user_ids = list((await s.exec(select(ProjectMember.user_id)
                                  .where(ProjectMember.project_id == project_id))).all())
    await s.exec(sa.delete(ProjectMember).where(ProjectMember.project_id == project_id))
    await s.exec(sa.delete(ProjectGroup).where(ProjectGroup.project_id == project_id))
    return user_ids


# --- groups ----------------------------------------------------------------------------------
async def group(s: AsyncSession, *, group_hash: str) -> Group | None:
    return await s.get(Group, group_hash)


async def groups_by_hashes(s: AsyncSession, *, group_hashes: Iterable[str]) -> dict[str, Group]:
    hashes = sorted(set(group_hashes))
    found: dict[str, Group] = {}
    for chunk in _chunks(hashes):
        for g in (await s.exec(select(Group).where(Group.group_hash.in_(chunk)))).all():
            found[g.group_hash] = g
    return found


async def all_groups(s: AsyncSession) -> list[Group]:
    return list((await s.exec(select(Group).order_by(Group.created_at, Group.group_hash))).all())


async def groups_of_user(s: AsyncSession, *, user_id: int) -> list[Group]:
    """Groups the user owns or belongs to."""
    member_of = select(GroupMember.group_hash).where(GroupMember.user_id == user_id)
    query = (select(Group).where(sa.or_(Group.owner_id == user_id, Group.group_hash.in_(member_of)))
             .order_by(Group.created_at, Group.group_hash))
    return list((await s.exec(query)).all())


async def is_group_member(s: AsyncSession, *, group_hash: str, user_id: int) -> bool:
    return await s.get(GroupMember, (group_hash, user_id)) is not None


async def group_members(s: AsyncSession, *, group_hashes: Sequence[str]) -> dict[str, list[User]]:
    found: dict[str, list[User]] = {h: [] for h in group_hashes}
    for chunk in _chunks(sorted(set(group_hashes))):
        query = (select(GroupMember.group_hash, User).join(User, User.id == GroupMember.user_id)
                 .where(GroupMember.group_hash.in_(chunk)).order_by(User.email))
        for group_hash, user in (await s.exec(query)).all():
            found[group_hash].append(user)
    return found


async def groups_of_project(s: AsyncSession, *, project_id: int) -> list[tuple[ProjectGroup, Group]]:
    query = (select(ProjectGroup, Group).join(Group, Group.group_hash == ProjectGroup.group_hash)
             .where(ProjectGroup.project_id == project_id).order_by(Group.name, Group.group_hash))
    return list((await s.exec(query)).all())


async def project_group_links(s: AsyncSession, *, project_id: int) -> dict[str, ProjectGroup]:
    query = select(ProjectGroup).where(ProjectGroup.project_id == project_id)
    return {link.group_hash: link for link in (await s.exec(query)).all()}


async def projects_of_group(s: AsyncSession, *, group_hash: str) -> list[int]:
    query = (select(ProjectGroup.project_id).where(ProjectGroup.group_hash == group_hash)
             .order_by(ProjectGroup.project_id))
    return list((await s.exec(query)).all())
