"""Project rows kept in memory for reads (GET by id is the hottest call of the API).

Every write of a project row stages an event (``services.projects.events``); the same adapter
tells this cache to forget the project at once and again when the transaction commits, so a
writer reads its own write and a concurrent reader cannot put the old row back. Other replicas
forget on the ``copepod.projects.project.*`` events they hear live; ``COPEPOD_READ_CACHE_SECONDS``
bounds the age of any entry. Cached rows are shared: readers must not change them (writes load
their own row inside their transaction).
"""

from __future__ import annotations

import time
from typing import Awaitable, Callable

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.projects.store import Project

MAX_ENTRIES = 100_000


class ProjectCache:
    def __init__(self, *, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._rows: dict[int, tuple[float, Project]] = {}
        self._generation = 0

    async def get(self, project_id: int, load: Callable[[], Awaitable[Project | None]]) -> Project | None:
        now = self._clock()
        hit = self._rows.get(project_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        generation = self._generation
        project = await load()
        if project is not None and self._ttl > 0 and generation == self._generation:
            if len(self._rows) >= MAX_ENTRIES:
                self._rows.clear()
            self._rows[project_id] = (now + self._ttl, project)
        return project

    def forget(self, project_id: int) -> None:
        self._generation += 1
        self._rows.pop(project_id, None)

    def forget_all(self) -> None:
        self._generation += 1
        self._rows.clear()

    def forget_on_commit(self, session: AsyncSession, project_id: int) -> None:
        """Forget now, and once more when ``session`` commits."""
        self.forget(project_id)
        sa.event.listen(session.sync_session, "after_commit", lambda _s: self.forget(project_id), once=True)
