"""The event bus against a real NATS server: outbox catch-up, rollback, idempotent consumers."""

from __future__ import annotations

import asyncio

import nats
import pytest
import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from copepod.v1 import events_pb2
from services.core.bus import EventBus, OutboxEvent, ProcessedEvent, Subscription
from services.core.db import SessionFactory
from tests.support.databases import table_sessions
from tests.support.nats import NatsServer

SUBJECT = "copepod.projects.project.updated"


class Effect(SQLModel, table=True):
    __tablename__ = "test_effect"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int


TABLES = [OutboxEvent.__table__, ProcessedEvent.__table__, Effect.__table__]


@pytest.fixture
async def sessions(tmp_path, database_leg):
    """The bus's tables on SQLite, then on PostgreSQL (a fresh schema per test)."""
    factory = table_sessions(tmp_path=tmp_path, database_leg=database_leg, tables=TABLES, prefix="bus")
    yield factory
    await factory.dispose()


async def _collect(url: str, count: int, timeout: float = 15.0) -> list:
    nc = await nats.connect(url)
    js = nc.jetstream()
    sub = await js.subscribe("copepod.projects.>", ordered_consumer=True)
    got = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(got) < count and asyncio.get_running_loop().time() < deadline:
            try:
                got.append(await sub.next_msg(timeout=0.5))
            except nats.errors.TimeoutError:
                pass
        # Anything beyond `count` would be a duplicate.
        try:
            got.append(await sub.next_msg(timeout=0.5))
        except nats.errors.TimeoutError:
            pass
    finally:
        await nc.close()
    return got


async def _wait_sent(sessions: SessionFactory, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with sessions.session() as s:
            pending = (await s.exec(sa.select(sa.func.count()).select_from(OutboxEvent)
                                    .where(OutboxEvent.sent_at.is_(None)))).one()[0]
        if pending == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("outbox not drained")


async def test_events_made_while_nats_is_down_are_published_once_it_is_back(tmp_path, sessions):
    server = NatsServer(tmp_path / "nats")  # not started yet: NATS is down
    bus = EventBus(service="projects", nats_url=server.url, sessions=sessions, poll_seconds=0.05)
    await bus.start()
    try:
        for pid in range(1, 6):
            async with sessions.transaction() as s:
                bus.emit(s, SUBJECT, events_pb2.ProjectEvent(project_id=pid))
        await asyncio.sleep(0.5)
        async with sessions.session() as s:
            pending = (await s.exec(sa.select(sa.func.count()).select_from(OutboxEvent))).one()[0]
        assert pending == 5
        server.start()
        await _wait_sent(sessions)
        msgs = await _collect(server.url, 5)
        ids = [events_pb2.ProjectEvent.FromString(m.data).project_id for m in msgs]
        assert ids == [1, 2, 3, 4, 5]  # in order, none lost, none duplicated
        for m in msgs:
            assert m.headers["ce-type"] == SUBJECT
            assert m.headers["Nats-Msg-Id"] == m.headers["ce-id"]
            assert m.headers["content-type"] == "application/protobuf"
            assert m.headers["ce-specversion"] == "1.0"
            assert m.headers["ce-source"] == "/copepod/projects"
    finally:
        await bus.stop()
        server.stop()


async def test_no_event_for_a_rolled_back_change(tmp_path, sessions, nats_server):
    bus = EventBus(service="projects", nats_url=nats_server.url, sessions=sessions, poll_seconds=0.05)
    with pytest.raises(RuntimeError):
        async with sessions.transaction() as s:
            bus.emit(s, SUBJECT, events_pb2.ProjectEvent(project_id=99))
            raise RuntimeError("refused")
    async with sessions.session() as s:
        assert (await s.exec(sa.select(sa.func.count()).select_from(OutboxEvent))).one()[0] == 0


async def test_consumer_applies_a_redelivered_event_once(tmp_path, sessions):
    server = NatsServer(tmp_path / "nats").start()
    seen: list[int] = []

    async def handler(session, event, msg):
        seen.append(msg.project_id)
        session.add(Effect(project_id=msg.project_id))

    sub = Subscription(subject=SUBJECT, name="effects", message=events_pb2.ProjectEvent, handler=handler)
    bus = EventBus(service="labels", nats_url=server.url, sessions=sessions, poll_seconds=0.05,
                   subscriptions=[sub])
    producer = EventBus(service="projects", nats_url=server.url, sessions=sessions, poll_seconds=0.05)
    await producer.start()
    await bus.start()
    try:
        async with sessions.transaction() as s:
            event_id = producer.emit(s, SUBJECT, events_pb2.ProjectEvent(project_id=7))
        await _wait_sent(sessions)
        # The same event published again (as after a relay crash between publish and mark-sent,
        # past the de-duplication window): the consumer must not apply it twice.
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        async with sessions.session() as s:
            row = (await s.exec(sa.select(OutboxEvent).where(OutboxEvent.event_id == event_id))).scalar_one()
        import json
        headers = json.loads(row.headers)
        headers["Nats-Msg-Id"] = event_id + "-again"
        await js.publish(SUBJECT, row.payload, headers=headers)
        await nc.close()
        deadline = asyncio.get_running_loop().time() + 10
        while asyncio.get_running_loop().time() < deadline:
            async with sessions.session() as s:
                done = (await s.exec(sa.select(sa.func.count()).select_from(ProcessedEvent))).one()[0]
            if done >= 1 and len(seen) >= 1:
                await asyncio.sleep(0.5)  # let the duplicate arrive
                break
            await asyncio.sleep(0.05)
        async with sessions.session() as s:
            effects = (await s.exec(sa.select(sa.func.count()).select_from(Effect))).one()[0]
        assert effects == 1
        assert seen == [7]
    finally:
        await bus.stop()
        await producer.stop()
        server.stop()
