"""Domain tests run against a real projects database (SQLite, and PostgreSQL when one is
reachable), migrated as in production, with the users service replaced by an in-memory fake.
Events land in the outbox table, where tests read them."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from services.core.auth import Principal
from services.core.bus import EventBus, OutboxEvent
from services.core.db import Database, SessionFactory, run_migrations
from services.projects.domain.ports import Deps
from services.projects.events import ProjectEvents
from services.projects.plugin import plugin
from tests.support.databases import TempPostgres, postgres_admin_url
from tests.unit.projects.fakes import FakeMemberships

ADMIN = Principal(user_id=1, is_admin=True, email="admin@example.org", name="admin")
ANONYMOUS = Principal()


def user(user_id: int) -> Principal:
    return Principal(user_id=user_id, email=f"user{user_id}@example.org", name=f"user{user_id}")


class World:
    def __init__(self, deps: Deps, memberships: FakeMemberships) -> None:
        self.deps = deps
        self.memberships = memberships

    async def events(self) -> list[OutboxEvent]:
        async with self.deps.db.session() as s:
            return list((await s.exec(select(OutboxEvent).order_by(OutboxEvent.seq))).all())

    async def subjects(self) -> list[str]:
        return [e.subject for e in await self.events()]


@pytest.fixture(scope="session")
def postgres_url():
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL reachable")
    with TempPostgres(admin_url) as db:
        yield db.url


@pytest.fixture(params=["sqlite", "postgres"])
async def world(request, tmp_path) -> World:
    if request.param == "postgres":
        # One database for the run, a fresh schema per test.
        url = request.getfixturevalue("postgres_url")
        database = Database(url=url, schema=f"projects_{uuid.uuid4().hex[:12]}")
    else:
        database = Database(url=f"sqlite:///{tmp_path / 'projects.db'}", schema="projects")
    run_migrations(database, plugin.migrations)
    sessions = SessionFactory(database.async_engine())
    bus = EventBus(service="projects", nats_url="nats://127.0.0.1:1", sessions=sessions)  # never started
    memberships = FakeMemberships()
    for uid in (1, 2, 3, 4, 5):
        memberships.add_user(uid)
    yield World(Deps(db=sessions, events=ProjectEvents(bus), memberships=memberships), memberships)
    await sessions.dispose()
