"""The projects service's membership cache: served from memory, emptied by events and by its own
writes, never older than its time to live."""

from __future__ import annotations

from services.core.roles import ProjectRole
from services.projects.membership_cache import CachedMemberships
from tests.unit.projects.fakes import FakeMemberships


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _setup(ttl: float = 10.0):
    fake = FakeMemberships()
    for uid in (1, 2, 3):
        fake.add_user(uid)
    fake.grant(10, 1, ProjectRole.ADMIN)
    fake.grant(10, 2, ProjectRole.VIEWER)
    clock = Clock()
    return fake, CachedMemberships(fake, ttl_seconds=ttl, clock=clock), clock


def _gets(fake: FakeMemberships) -> int:
    return sum(1 for name, _ in fake.calls if name == "get")


async def test_repeated_reads_are_served_from_memory():
    fake, cache, _ = _setup()
    for _ in range(3):
        got = await cache.get(project_ids=[10], user_id=2)
        assert got[10].user_role == ProjectRole.VIEWER
        assert [m.user_id for m in got[10].members] == [1, 2]
    assert _gets(fake) == 1
    # Another caller's role is asked once, then kept too.
    assert (await cache.get(project_ids=[10], user_id=3))[10].user_role is None
    assert (await cache.get(project_ids=[10], user_id=3))[10].user_role is None
    assert _gets(fake) == 2


async def test_a_membership_event_empties_the_project():
    fake, cache, _ = _setup()
    await cache.get(project_ids=[10], user_id=3)
    fake.grant(10, 3, ProjectRole.ANNOTATOR)
    cache.forget_project(10)
    assert (await cache.get(project_ids=[10], user_id=3))[10].user_role == ProjectRole.ANNOTATOR


async def test_own_rewrites_are_read_back_at_once():
    fake, cache, _ = _setup()
    await cache.get(project_ids=[10], user_id=1)
    await cache.rewrite(project_id=10, rights=[(1, "Manage"), (3, "View")], contact_id=1, dry_run=False)
    got = await cache.get(project_ids=[10], user_id=3)
    assert got[10].user_role == ProjectRole.VIEWER
    assert [m.user_id for m in got[10].members] == [1, 3]


async def test_entries_expire():
    fake, cache, clock = _setup(ttl=5)
    await cache.get(project_ids=[10], user_id=2)
    fake.grant(10, 2, ProjectRole.ADMIN)
    clock.now += 4
    assert (await cache.get(project_ids=[10], user_id=2))[10].user_role == ProjectRole.VIEWER
    clock.now += 2
    assert (await cache.get(project_ids=[10], user_id=2))[10].user_role == ProjectRole.ADMIN


async def test_an_answer_fetched_across_an_invalidation_is_not_kept():
    fake, cache, _ = _setup()
    original_get = fake.get

    async def get_then_change(**kwargs):
        result = await original_get(**kwargs)
        cache.forget_project(10)  # an event arrives while the call is in flight
        return result

    fake.get = get_then_change
    await cache.get(project_ids=[10], user_id=2)
    fake.get = original_get
    await cache.get(project_ids=[10], user_id=2)
    assert _gets(fake) == 1 + 1  # the first answer was not kept


async def test_user_project_lists_are_cached_and_emptied():
    fake, cache, _ = _setup()
    assert await cache.roles_of_user(user_id=2) == {10: ProjectRole.VIEWER}
    fake.grant(11, 2, ProjectRole.ANNOTATOR)
    assert await cache.roles_of_user(user_id=2) == {10: ProjectRole.VIEWER}
    cache.forget_project(11)
    assert await cache.roles_of_user(user_id=2) == {10: ProjectRole.VIEWER, 11: ProjectRole.ANNOTATOR}


async def test_project_rows_are_forgotten_when_their_write_commits(tmp_path):
    from services.core.db import Database, SessionFactory
    from services.projects.project_cache import ProjectCache
    from services.projects.store import Project

    database = Database(url=f"sqlite:///{tmp_path / 'p.db'}", schema="projects")
    eng = database.sync_engine()
    Project.metadata.create_all(eng, tables=[Project.__table__])
    eng.dispose()
    db = SessionFactory(database.async_engine())
    cache = ProjectCache(ttl_seconds=60)
    loads = []

    async def load():
        loads.append(1)
        async with db.session() as s:
            return await s.get(Project, 1)

    async with db.transaction() as s:
        s.add(Project(projid=1, project_hash="h1", title="before", creator_id=1))
    assert (await cache.get(1, load)).title == "before"
    assert (await cache.get(1, load)).title == "before"
    assert len(loads) == 1
    async with db.transaction() as s:
        row = await s.get(Project, 1)
        row.title = "after"
        s.add(row)
        cache.forget_on_commit(s, 1)
        # A reader in the middle of the write still sees the committed row, and it is not kept.
        assert (await cache.get(1, load)).title == "before"
    assert (await cache.get(1, load)).title == "after"
    await db.dispose()
