"""Tokens and identities shared by every process.

* Session tokens are JWTs (HS256, ``COPEPOD_SECRET_KEY``) carrying the user id and an expiry.
* API keys (``cpk_<key id>.<secret>``) are opaque; only the users service can check them.
* Service tokens are JWTs with a ``svc`` claim, used for calls between services and for the
  gateway's anonymous callers.

Every process verifies a token's signature itself; whether the account is still active (and an
admin) is asked of the users service and cached for ``COPEPOD_AUTH_CACHE_SECONDS``.
"""

from __future__ import annotations

import contextvars
import time
import uuid
from dataclasses import dataclass
from typing import Awaitable, Callable

import jwt

from services.core.errors import NotAuthenticated, PermissionDenied, Unauthenticated

API_KEY_PREFIX = "cpk_"
ALGORITHM = "HS256"
SERVICE_TOKEN_TTL = 3600


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. ``user_id`` is None for anonymous callers and bare service calls."""

    user_id: int | None = None
    is_admin: bool = False
    email: str = ""
    name: str = ""
    service: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def require_user(self) -> int:
        if self.user_id is None:
            raise NotAuthenticated()
        return self.user_id

    def require_admin(self) -> None:
        self.require_user()
        if not self.is_admin:
            raise PermissionDenied()

    def require_service(self, *names: str) -> None:
        if self.service is None or (names and self.service not in names):
            raise PermissionDenied()


ANONYMOUS = Principal()

current_principal: contextvars.ContextVar[Principal] = contextvars.ContextVar(
    "copepod_principal", default=ANONYMOUS
)
current_token: contextvars.ContextVar[str | None] = contextvars.ContextVar("copepod_token", default=None)


def principal() -> Principal:
    return current_principal.get()


class TokenCodec:
    """Mints and checks signed tokens with one secret."""

    def __init__(self, secret: str, session_ttl: int) -> None:
        self._secret = secret
        self._ttl = session_ttl

    def mint_session(self, user_id: int, *, ttl: int | None = None) -> str:
        now = int(time.time())
        claims = {"sub": str(user_id), "iat": now, "exp": now + (ttl if ttl is not None else self._ttl),
                  "jti": uuid.uuid4().hex, "typ": "session"}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def mint_service(self, service: str, *, ttl: int = SERVICE_TOKEN_TTL) -> str:
        now = int(time.time())
        claims = {"svc": service, "iat": now, "exp": now + ttl, "typ": "service"}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def decode(self, token: str) -> dict:
        """Signature and expiry check; raises Unauthenticated."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=[ALGORITHM], options={"require": ["exp", "typ"]})
        except jwt.PyJWTError as exc:
            raise Unauthenticated() from exc
        if claims.get("typ") == "session":
            try:
                int(claims["sub"])
            except (KeyError, ValueError) as exc:
                raise Unauthenticated() from exc
        elif claims.get("typ") != "service" or not claims.get("svc"):
            raise Unauthenticated()
        return claims


def bearer_from_metadata(metadata) -> str | None:
    for key, value in metadata or ():
        if key == "authorization":
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
            return None
    return None


Resolver = Callable[[str, dict | None], Awaitable[Principal]]


class Authenticator:
    """Turns a raw token into a Principal: local signature check, then the account lookup
    (``resolve``), cached briefly per token."""

    def __init__(self, codec: TokenCodec, resolve: Resolver, *, cache_seconds: float, max_entries: int = 50_000):
        self.codec = codec
        self._resolve = resolve
        self._ttl = cache_seconds
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._max = max_entries

    async def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise NotAuthenticated()
        now = time.monotonic()
        hit = self._cache.get(token)
        if hit is not None and hit[0] > now:
            return hit[1]
        if token.startswith(API_KEY_PREFIX):
            claims = None
        else:
            claims = self.codec.decode(token)
            if claims["typ"] == "service":
                return Principal(service=claims["svc"])
        found = await self._resolve(token, claims)
        if self._ttl > 0:
            if len(self._cache) >= self._max:
                self._cache.clear()
            until = now + self._ttl
            if claims is not None:  # never trust a cached identity past the token's expiry
                until = min(until, now + claims["exp"] - time.time())
            self._cache[token] = (until, found)
        return found

    def forget(self) -> None:
        self._cache.clear()
