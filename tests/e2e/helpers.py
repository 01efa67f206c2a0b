"""Small helpers for end-to-end tests: accounts, projects, polling with a deadline."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Callable, TypeVar

import httpx

from tests.support.stack import USER_PASSWORD, Stack

T = TypeVar("T")

NOT_AUTHENTICATED = {"detail": "Not authenticated"}
BAD_CREDENTIALS = {"detail": "Could not validate credentials"}
FORBIDDEN = {"detail": "You can't do this."}
NOT_FOUND = {"detail": "Not found."}


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    token: str

    @property
    def min_user(self) -> dict:
        """EcoTaxa's MinUserModel, as update_project expects it."""
        return {"id": self.id, "email": self.email, "name": self.name}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_account(stack: Stack, prefix: str = "user") -> Account:
    name = unique(prefix)
    email = f"{name}@example.org"
    user_id = stack.make_user(stack.admin_token, email, name=name)
    return Account(id=user_id, email=email, name=name, token=stack.login(email, USER_PASSWORD))


def create_project(http: httpx.Client, title: str, **fields) -> int:
    rsp = http.post("/projects/create", json={"title": title, **fields})
    assert rsp.status_code == 200, rsp.text
    project_id = rsp.json()
    assert isinstance(project_id, int) and project_id > 0, rsp.text
    return project_id


def poll(probe: Callable[[], T], until: Callable[[T], bool], *, timeout: float, interval: float = 0.1) -> T:
    """Call ``probe`` until ``until(result)`` holds or ``timeout`` passes; return the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if until(result) or time.monotonic() > deadline:
            return result
        time.sleep(interval)
