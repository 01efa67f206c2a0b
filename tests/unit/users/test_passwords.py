"""Password hashing."""

import pytest
from argon2 import PasswordHasher, Type

from services.users.domain import passwords


PRODUCTION_HASHER = passwords._hasher


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """The rules, not Argon2's cost, are under test here."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_production_parameters_are_argon2id_defaults():
    hasher = PRODUCTION_HASHER
    assert (hasher.type, hasher.time_cost, hasher.memory_cost) == (Type.ID, 3, 65536)


def test_a_hash_verifies_its_password_only():
    hashed = passwords.hash_password("correct horse")
    assert "correct horse" not in hashed and hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "correct horse")
    assert not passwords.verify_password(hashed, "Correct horse")


def test_the_same_password_hashes_differently_each_time():
    assert passwords.hash_password("same-password") != passwords.hash_password("same-password")


def test_a_damaged_hash_verifies_nothing_and_needs_rehashing():
    assert not passwords.verify_password("not-a-hash", "anything")
    assert passwords.needs_rehash("not-a-hash")
    assert not passwords.needs_rehash(passwords.hash_password("fresh-password"))


async def test_unknown_accounts_are_checked_against_a_decoy():
    assert not await passwords.verify_password_async(None, "whatever")
    assert await passwords.verify_password_async(await passwords.hash_password_async("pw-123456"), "pw-123456")
