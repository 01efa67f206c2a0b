"""Administration without a running service: ``copepod users create`` writes the account (and
its event, in the outbox, for the service to publish once it runs) straight into the users
database."""

from __future__ import annotations

from pathlib import Path

from services.core.bus import EventBus
from services.core.config import get_settings
from services.core.db import Database, SessionFactory, run_migrations
from services.core.errors import DomainError
from services.users.domain.accounts import add_user, new_user
from services.users.store import User

SERVICE = "users"
MIGRATIONS = Path(__file__).parent / "migrations"


async def create_user_offline(*, email: str, password: str, name: str, is_admin: bool) -> User:
    settings = get_settings()
    database = Database(url=settings.service_database_url(SERVICE), schema=SERVICE)
    run_migrations(database, MIGRATIONS)
    sessions = SessionFactory(database.async_engine())
    bus = EventBus(service=SERVICE, nats_url=settings.nats_url, sessions=sessions)
    try:
        user = await new_user(email=email, password=password, name=name, is_admin=is_admin)
        async with sessions.transaction() as s:
            return await add_user(s, bus, user=user, actor_id=None)
    except DomainError as exc:
        raise SystemExit(f"error: {exc.message}") from None
    finally:
        await sessions.dispose()
