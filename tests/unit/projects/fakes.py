"""In-memory stand-ins for the users service's memberships, for domain tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from services.core.errors import InvalidArgument, Unavailable
from services.core.roles import ROLE_FOR_RIGHT, ProjectRole
from services.projects.domain.types import Member, Memberships


@dataclass
class FakeMemberships:
    users: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (email, name)
    roles: dict[int, dict[int, ProjectRole]] = field(default_factory=dict)  # project -> user -> role
    contacts: dict[int, int] = field(default_factory=dict)  # project -> user
    failing: set[str] = field(default_factory=set)
    calls: list[tuple[str, dict]] = field(default_factory=list)

    def add_user(self, user_id: int, name: str | None = None) -> int:
        name = name or f"user{user_id}"
        self.users[user_id] = (f"{name}@example.org", name)
        return user_id

    def grant(self, project_id: int, user_id: int, role: ProjectRole) -> None:
        self.roles.setdefault(project_id, {})[user_id] = role

    def _enter(self, name: str, **kwargs) -> None:
        self.calls.append((name, kwargs))
        if name in self.failing:
            raise Unavailable("The users service is unavailable.")

    async def get(self, *, project_ids: Sequence[int], user_id: int | None) -> dict[int, Memberships]:
        self._enter("get", project_ids=list(project_ids), user_id=user_id)
        out = {}
        for pid in project_ids:
            members = self.roles.get(pid, {})
            out[pid] = Memberships(
                project_id=pid,
                members=tuple(Member(user_id=u, email=self.users[u][0], name=self.users[u][1], role=r,
                                     contact=self.contacts.get(pid) == u) for u, r in sorted(members.items())),
                user_role=members.get(user_id) if user_id else None,
            )
        return out

    async def roles_of_user(self, *, user_id: int) -> dict[int, ProjectRole]:
        self._enter("roles_of_user", user_id=user_id)
        return {pid: members[user_id] for pid, members in self.roles.items() if user_id in members}

    async def init(self, *, project_id: int, creator_id: int, clone_of_id: int | None) -> None:
        self._enter("init", project_id=project_id, creator_id=creator_id, clone_of_id=clone_of_id)
        members = dict(self.roles.get(clone_of_id, {})) if clone_of_id else {}
        members[creator_id] = ProjectRole.ADMIN
        self.roles[project_id] = members
        self.contacts[project_id] = creator_id

    async def rewrite(self, *, project_id: int, rights: Sequence[tuple[int, str]], contact_id: int,
                      dry_run: bool) -> None:
        self._enter("rewrite", project_id=project_id, rights=list(rights), contact_id=contact_id, dry_run=dry_run)
        for user_id, _right in rights:
            if user_id not in self.users:
                raise InvalidArgument(f"Unknown user: {user_id}")
        if not dry_run:
            self.roles[project_id] = {u: ROLE_FOR_RIGHT[r] for u, r in rights}
            self.contacts[project_id] = contact_id
