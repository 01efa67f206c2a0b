"""Memberships kept in memory by the projects service, so a project read does not cost a call
to the users service.

The users service owns memberships; this is a cache of its answers, filled on demand and
emptied by the events that change what it holds:

* ``copepod.users.membership.changed`` drops that project's entry (group changes are announced
  per linked project by the users service) and every user's project list;
* ``copepod.users.user.*`` (names, e-mails, activation) drops everything;
* the projects service's own rewrites drop the project at once, so its callers read their writes;
* a reconnection to NATS drops everything (events may have been missed while away);
* ``COPEPOD_READ_CACHE_SECONDS`` bounds the age of any entry, whatever happens to events.

Every replica listens live (``services.core.bus.Listener``), so each one empties its own cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from services.core.roles import ProjectRole
from services.projects.domain.ports import MembershipsPort
from services.projects.domain.types import Member, Memberships

MAX_ENTRIES = 100_000


@dataclass
class _ProjectEntry:
    expires: float
    members: tuple[Member, ...]
    # Effective roles of the users asked about so far (None: no role).
    roles: dict[int, ProjectRole | None] = field(default_factory=dict)


class CachedMemberships:
    """A MembershipsPort in front of another one (the users service)."""

    def __init__(self, inner: MembershipsPort, *, ttl_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._inner = inner
        self._ttl = ttl_seconds
        self._clock = clock
        self._projects: dict[int, _ProjectEntry] = {}
        self._user_projects: dict[int, tuple[float, dict[int, ProjectRole]]] = {}
        # Bumped by every invalidation: an answer fetched across one is used but not kept.
        self._generation = 0

    # --- reads -------------------------------------------------------------------------------
    async def get(self, *, project_ids: Sequence[int], user_id: int | None) -> dict[int, Memberships]:
        now = self._clock()
        found: dict[int, Memberships] = {}
        missing: list[int] = []
        for pid in project_ids:
            entry = self._projects.get(pid)
            if entry is None or entry.expires <= now or (user_id is not None and user_id not in entry.roles):
                missing.append(pid)
            else:
                found[pid] = Memberships(project_id=pid, members=entry.members,
                                         user_role=entry.roles.get(user_id) if user_id is not None else None)
        if not missing or self._ttl <= 0:
            if missing:
                found.update(await self._inner.get(project_ids=missing, user_id=user_id))
            return found
        generation = self._generation
        fetched = await self._inner.get(project_ids=missing, user_id=user_id)
        keep = generation == self._generation
        for pid in missing:
            value = fetched.get(pid) or Memberships(project_id=pid)
            found[pid] = value
            if keep:
                self._remember(pid, value, user_id, now)
        return found

    def _remember(self, pid: int, value: Memberships, user_id: int | None, now: float) -> None:
        entry = self._projects.get(pid)
        if entry is None or entry.expires <= now:
            if len(self._projects) >= MAX_ENTRIES:
                self._projects.clear()
            entry = self._projects[pid] = _ProjectEntry(expires=now + self._ttl, members=value.members)
        if user_id is not None:
            entry.roles[user_id] = value.user_role

    async def roles_of_user(self, *, user_id: int) -> dict[int, ProjectRole]:
        now = self._clock()
        hit = self._user_projects.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        generation = self._generation
        roles = await self._inner.roles_of_user(user_id=user_id)
        if self._ttl > 0 and generation == self._generation:
            if len(self._user_projects) >= MAX_ENTRIES:
                self._user_projects.clear()
            self._user_projects[user_id] = (now + self._ttl, roles)
        return roles

    # --- writes go through, then forget ------------------------------------------------------
    async def init(self, *, project_id: int, creator_id: int, clone_of_id: int | None) -> None:
        try:
            await self._inner.init(project_id=project_id, creator_id=creator_id, clone_of_id=clone_of_id)
        finally:
            self.forget_project(project_id)

    async def rewrite(self, *, project_id: int, rights: Sequence[tuple[int, str]], contact_id: int,
                      dry_run: bool) -> None:
        try:
            await self._inner.rewrite(project_id=project_id, rights=rights, contact_id=contact_id, dry_run=dry_run)
        finally:
            if not dry_run:
                self.forget_project(project_id)

    # --- invalidation ------------------------------------------------------------------------
    def forget_project(self, project_id: int) -> None:
        self._generation += 1
        self._projects.pop(project_id, None)
        self._user_projects.clear()

    def forget_all(self) -> None:
        self._generation += 1
        self._projects.clear()
        self._user_projects.clear()
