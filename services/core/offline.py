"""A service's database opened by an administration command while the service may be down:
migrated first, with the event bus's outbox, so events written here are published by the
service once it runs."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from services.core.bus import EventBus
from services.core.config import get_settings
from services.core.db import Database, SessionFactory, run_migrations


@asynccontextmanager
async def offline_service(name: str, migrations: Path) -> AsyncIterator[tuple[SessionFactory, EventBus]]:
    settings = get_settings()
    database = Database(url=settings.service_database_url(name), schema=name)
    run_migrations(database, migrations)
    sessions = SessionFactory(database.async_engine())
    try:
        yield sessions, EventBus(service=name, nats_url=settings.nats_url, sessions=sessions)
    finally:
        await sessions.dispose()
