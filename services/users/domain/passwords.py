"""Password hashing with Argon2id. Hashing is slow on purpose, so the async helpers run it in a
worker thread and the event loop keeps serving other calls meanwhile."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher.hash("copepod-decoy-password")


async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """With no hash (unknown account) a decoy is verified, so the answer takes as long either way
    and response times do not tell which e-mails have accounts."""
    if password_hash is None:
        await asyncio.to_thread(verify_password, _decoy_hash(), password)
        return False
    return await asyncio.to_thread(verify_password, password_hash, password)
