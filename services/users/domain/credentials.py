"""Logging in and turning a token back into a Principal: session JWTs and API keys."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import TYPE_CHECKING

from services.core.auth import API_KEY_PREFIX, Principal
from services.core.bus import utcnow
from services.core.errors import PermissionDenied, TooManyRequests, Unauthenticated
from services.users import store
from services.users.domain import passwords
from services.users.domain.rate_limit import LoginLimiter
from services.users.domain.validation import EMAIL_MAX, PASSWORD_MAX, normalise_email
from services.users.store import User

if TYPE_CHECKING:
    from services.core.host import ServiceContext

# last_used_at of an API key is written at most this often, so scripts hammering the API do not
# turn every call into a write.
KEY_USE_RESOLUTION = timedelta(seconds=60)


def principal_of(user: User) -> Principal:
    return Principal(user_id=user.id, is_admin=user.is_admin, email=user.email, name=user.name)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_api_key(token: str) -> tuple[str, str] | None:
    """``cpk_<key id>.<secret>`` → (key id, secret); None when the token has another shape."""
    if not token.startswith(API_KEY_PREFIX):
        return None
    key_id, dot, secret = token[len(API_KEY_PREFIX):].partition(".")
    if not dot or not key_id or not secret or len(key_id) > 32 or len(secret) > 256:
        return None
    return key_id, secret


async def login(ctx: "ServiceContext", *, accounts: LoginLimiter, addresses: LoginLimiter, username: str,
                password: str, client: str) -> str:
    """A session token for valid credentials of an active account. Wrong credentials and inactive
    accounts get the same refusal; repeated failures per account or per client address are
    throttled."""
    email = normalise_email(username)[:EMAIL_MAX]
    account_key, client_key = f"account:{email}", f"client:{client}"
    if accounts.blocked(account_key) or addresses.blocked(client_key):
        raise TooManyRequests()
    async with ctx.db.session() as s:
        user = await store.user_by_email(s, email=email)
    ok = await passwords.verify_password_async(user.password_hash if user else None, password[:PASSWORD_MAX])
    if not ok or not user.active:
        accounts.record_failure(account_key)
        addresses.record_failure(client_key)
        raise PermissionDenied()
    accounts.reset(account_key)
    if passwords.needs_rehash(user.password_hash):
        new_hash = await passwords.hash_password_async(password)
        async with ctx.db.transaction() as s:
            fresh = await store.user_by_id(s, user_id=user.id)
            if fresh is not None and fresh.password_hash == user.password_hash:
                fresh.password_hash = new_hash
                s.add(fresh)
    return ctx.codec.mint_session(user.id)


async def resolve_token(ctx: "ServiceContext", *, token: str, claims: dict | None) -> Principal:
    """The account behind a verified session token (``claims``) or an API key. Unknown accounts
    and bad keys are Unauthenticated; inactive accounts PermissionDenied."""
    if claims is None:
        user = await _api_key_owner(ctx, token)
    else:
        async with ctx.db.session() as s:
            user = await store.user_by_id(s, user_id=int(claims["sub"]))
    if user is None:
        raise Unauthenticated()
    if not user.active:
        raise PermissionDenied()
    return principal_of(user)


async def _api_key_owner(ctx: "ServiceContext", token: str) -> User | None:
    parts = split_api_key(token)
    if parts is None:
        return None
    key_id, secret = parts
    async with ctx.db.session() as s:
        key = await store.api_key(s, key_id=key_id)
        if key is None or key.revoked_at is not None or not hmac.compare_digest(key.secret_hash, secret_digest(secret)):
            return None
        user = await store.user_by_id(s, user_id=key.user_id)
    now = utcnow()
    if key.last_used_at is None or key.last_used_at < now - KEY_USE_RESOLUTION:
        async with ctx.db.transaction() as s:
            await store.touch_api_key(s, key_id=key_id, now=now, older_than=now - KEY_USE_RESOLUTION)
    return user
