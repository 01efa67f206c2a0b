"""Tokens and the identity cache."""

from __future__ import annotations

import time

import jwt
import pytest

from services.core.auth import Authenticator, Principal, TokenCodec, bearer_from_metadata
from services.core.errors import NotAuthenticated, Unauthenticated

SECRET = "unit-secret-0123456789-0123456789-abcdef"


def test_session_token_round_trip():
    codec = TokenCodec(SECRET, 60)
    claims = codec.decode(codec.mint_session(42))
    assert claims["sub"] == "42" and claims["typ"] == "session"


@pytest.mark.parametrize("token", [
    "garbage",
    TokenCodec("another-secret-0123456789-0123456789", 60).mint_session(1),
    TokenCodec(SECRET, 60).mint_session(1, ttl=-5),
    jwt.encode({"sub": "x", "exp": int(time.time()) + 60, "typ": "session"}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "1", "exp": int(time.time()) + 60, "typ": "other"}, SECRET, algorithm="HS256"),
    jwt.encode({"sub": "1", "typ": "session"}, SECRET, algorithm="HS256"),
])
def test_bad_tokens_are_refused(token):
    with pytest.raises(Unauthenticated):
        TokenCodec(SECRET, 60).decode(token)


def test_bearer_from_metadata():
    assert bearer_from_metadata((("x", "y"), ("authorization", "Bearer abc"))) == "abc"
    assert bearer_from_metadata((("authorization", "Basic abc"),)) is None
    assert bearer_from_metadata(()) is None


async def test_authenticator_caches_lookups_and_reads_service_tokens():
    codec = TokenCodec(SECRET, 60)
    calls = []

    async def resolve(token, claims):
        calls.append(token)
        return Principal(user_id=int(claims["sub"]))

    auth = Authenticator(codec, resolve, cache_seconds=30)
    token = codec.mint_session(7)
    assert (await auth.authenticate(token)).user_id == 7
    assert (await auth.authenticate(token)).user_id == 7
    assert len(calls) == 1
    svc = await auth.authenticate(codec.mint_service("projects"))
    assert svc.service == "projects" and svc.user_id is None
    with pytest.raises(NotAuthenticated):
        await auth.authenticate(None)
    with pytest.raises(Unauthenticated):
        await auth.authenticate("not-a-token")


async def test_cached_identity_never_outlives_its_token():
    codec = TokenCodec(SECRET, 60)
    calls = []

    async def resolve(token, claims):
        calls.append(token)
        return Principal(user_id=1)

    auth = Authenticator(codec, resolve, cache_seconds=300)
    token = codec.mint_session(1, ttl=1)
    await auth.authenticate(token)
    time.sleep(1.2)
    with pytest.raises(Unauthenticated):
        await auth.authenticate(token)
