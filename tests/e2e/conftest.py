"""Fixtures for end-to-end tests; the platform itself is the session-wide ``stack`` fixture."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.helpers import Account, new_account
from tests.support.stack import Stack


@pytest.fixture
def admin(stack: Stack) -> httpx.Client:
    with stack.client(stack.admin_token) as http:
        yield http


@pytest.fixture
def owner(stack: Stack) -> Account:
    """A fresh ordinary account, the one that creates the test's projects."""
    return new_account(stack, "owner")


@pytest.fixture
def owner_http(stack: Stack, owner: Account) -> httpx.Client:
    with stack.client(owner.token) as http:
        yield http
