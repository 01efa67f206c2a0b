"""Administration without a running service: ``copepod users create`` writes the account (and
its event, in the outbox, for the service to publish once it runs) straight into the users
database."""

from __future__ import annotations

from pathlib import Path

from services.core.errors import DomainError
from services.core.offline import offline_service
from services.users.domain.accounts import add_user, new_user
from services.users.store import User

SERVICE = "users"
MIGRATIONS = Path(__file__).parent / "migrations"


async def create_user_offline(*, email: str, password: str, name: str, is_admin: bool) -> User:
    async with offline_service(SERVICE, MIGRATIONS) as (sessions, bus):
        try:
            user = await new_user(email=email, password=password, name=name, is_admin=is_admin)
            async with sessions.transaction() as s:
                return await add_user(s, bus, user=user, actor_id=None)
        except DomainError as exc:
            raise SystemExit(f"error: {exc.message}") from None
