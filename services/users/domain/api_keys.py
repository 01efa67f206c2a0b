"""API keys for scripts: ``cpk_<key id>.<secret>``. The secret is shown once, at creation; only
its SHA-256 is kept (a random 256-bit secret needs no slow hash)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from services.core.auth import API_KEY_PREFIX, Principal
from services.core.bus import utcnow
from services.core.errors import FailedPrecondition, NotFound
from services.users import events, store
from services.users.domain.accounts import forget_identities
from services.users.domain.credentials import secret_digest
from services.users.domain.validation import clean_text
from services.users.store import ApiKey

if TYPE_CHECKING:
    from services.core.host import ServiceContext

MAX_ACTIVE_KEYS = 50


async def create_api_key(ctx: "ServiceContext", *, actor: Principal, name: str) -> tuple[ApiKey, str]:
    """The new key and its token (the only time the secret is available)."""
    user_id = actor.require_user()
    name = clean_text(name, field="key name", max_length=100, required=True)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(key_id=secrets.token_hex(8), user_id=user_id, name=name, secret_hash=secret_digest(secret))
    async with ctx.db.transaction() as s:
        if await store.count_active_api_keys(s, user_id=user_id) >= MAX_ACTIVE_KEYS:
            raise FailedPrecondition(f"At most {MAX_ACTIVE_KEYS} active API keys per user: revoke one first.")
        s.add(key)
        ctx.bus.emit(s, events.API_KEY_CREATED, events.api_key_event(key))
    return key, f"{API_KEY_PREFIX}{key.key_id}.{secret}"


async def list_api_keys(ctx: "ServiceContext", *, actor: Principal) -> list[ApiKey]:
    user_id = actor.require_user()
    async with ctx.db.session() as s:
        return await store.api_keys_of(s, user_id=user_id)


async def revoke_api_key(ctx: "ServiceContext", *, actor: Principal, key_id: str) -> None:
    user_id = actor.require_user()
    async with ctx.db.transaction() as s:
        key = await store.api_key(s, key_id=key_id[:32])
        if key is None or key.user_id != user_id:
            raise NotFound()
        if key.revoked_at is not None:
            return
        key.revoked_at = utcnow()
        s.add(key)
        ctx.bus.emit(s, events.API_KEY_REVOKED, events.api_key_event(key))
    forget_identities(ctx)
