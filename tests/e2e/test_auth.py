"""Authentication and rights through the gateway, with EcoTaxa's exact codes and bodies."""

from __future__ import annotations

import httpx
import pytest

from services.core.auth import TokenCodec
from tests.e2e.helpers import (
    BAD_CREDENTIALS,
    FORBIDDEN,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    create_project,
    new_account,
    poll,
    unique,
)
from tests.support.stack import SECRET_KEY, USER_PASSWORD

pytestmark = pytest.mark.e2e

UNKNOWN_PROJECT = 987_654_321


def _assert_bad_credentials(rsp: httpx.Response) -> None:
    assert rsp.status_code == 401, rsp.text
    assert rsp.json() == BAD_CREDENTIALS
    assert rsp.headers.get("www-authenticate") == "Bearer"


def test_login_returns_a_token_string(stack, owner):
    with stack.client(owner.token) as http:
        me = http.get("/users/me")
    assert me.status_code == 200, me.text
    assert me.json()["id"] == owner.id
    assert me.json()["email"] == owner.email


@pytest.mark.parametrize("method, path", [("GET", "/users/me"), ("POST", "/projects/create")])
def test_no_token_on_a_required_route(stack, method, path):
    with stack.client() as http:
        rsp = http.request(method, path, json={"title": "never created"} if method == "POST" else None)
    assert rsp.status_code == 403, rsp.text
    assert rsp.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "Bearer", "x" * 2000])
def test_garbage_token(stack, token):
    with stack.client(token) as http:
        _assert_bad_credentials(http.get("/users/me"))


def test_expired_token(stack, owner):
    expired = TokenCodec(SECRET_KEY, 3600).mint_session(owner.id, ttl=-10)
    with stack.client(expired) as http:
        _assert_bad_credentials(http.get("/users/me"))


def test_token_signed_with_another_key(stack, owner):
    forged = TokenCodec("not-the-platform-key-0123456789-abcdefgh", 3600).mint_session(owner.id)
    with stack.client(forged) as http:
        _assert_bad_credentials(http.get("/users/me"))


def test_token_of_an_unknown_user(stack):
    ghost = TokenCodec(SECRET_KEY, 3600).mint_session(UNKNOWN_PROJECT)
    with stack.client(ghost) as http:
        rsp = http.get("/users/me")
    assert rsp.status_code in (401, 403), rsp.text


def test_deactivated_user_is_refused_within_seconds(stack, admin):
    victim = new_account(stack, "deactivated")
    with stack.client(victim.token) as http:
        assert http.get("/users/me").status_code == 200
        rsp = admin.post(f"/users/activate/{victim.id}/0", json={"reason": "end-to-end test"})
        assert rsp.status_code == 200, rsp.text
        # Services cache identities for COPEPOD_AUTH_CACHE_SECONDS (0.5 s here).
        refused = poll(lambda: http.get("/users/me"), lambda r: r.status_code != 200, timeout=5)
    assert refused.status_code == 403, refused.text
    assert refused.json() == FORBIDDEN
    login = httpx.post(f"{stack.gateway_url}/login", json={"username": victim.email, "password": USER_PASSWORD})
    assert login.status_code == 403, login.text


def test_rights_on_a_project(stack, owner_http):
    project_id = create_project(owner_http, unique("private"), visible=False)
    outsider = new_account(stack, "outsider")
    with stack.client(outsider.token) as http:
        for rsp in (http.get(f"/projects/{project_id}"),
                    http.put(f"/projects/{project_id}", json={"projid": project_id, "title": "taken over"}),
                    http.delete(f"/projects/{project_id}")):
            assert rsp.status_code == 403, rsp.text
            assert rsp.json() == FORBIDDEN
        unknown = http.get(f"/projects/{UNKNOWN_PROJECT}")
    assert unknown.status_code == 404, unknown.text
    assert unknown.json() == NOT_FOUND
    still = owner_http.get(f"/projects/{project_id}")
    assert still.status_code == 200 and not still.json()["title"].startswith("taken over")


def test_session_cookie_works_like_bearer(stack, owner):
    with httpx.Client(base_url=stack.gateway_url, cookies={"session": owner.token}) as http:
        me = http.get("/users/me")
        created = http.post("/projects/create", json={"title": unique("cookie")})
    assert me.status_code == 200, me.text
    assert me.json()["id"] == owner.id
    assert created.status_code == 200 and isinstance(created.json(), int), created.text


def test_garbage_cookie(stack):
    with httpx.Client(base_url=stack.gateway_url, cookies={"session": "garbage"}) as http:
        _assert_bad_credentials(http.get("/users/me"))


def test_wrong_password_at_login(stack, owner):
    wrong = httpx.post(f"{stack.gateway_url}/login", json={"username": owner.email, "password": "not-it"})
    assert wrong.status_code == 403, wrong.text
    assert wrong.json() == FORBIDDEN
    unknown = httpx.post(f"{stack.gateway_url}/login",
                         json={"username": f"{unique('nobody')}@example.org", "password": "whatever"})
    assert unknown.status_code == 403, unknown.text
    assert unknown.json() == FORBIDDEN


@pytest.mark.parametrize("body", [{}, {"username": "a@example.org"}, {"password": "x"},
                                  {"username": 5, "password": []}])
def test_malformed_login_body(stack, body):
    rsp = httpx.post(f"{stack.gateway_url}/login", json=body)
    assert rsp.status_code == 422, rsp.text
    assert isinstance(rsp.json()["detail"], list)


def test_login_email_is_case_insensitive(stack, owner):
    token = stack.login(owner.email.upper(), USER_PASSWORD)
    with stack.client(token) as http:
        assert http.get("/users/me").json()["id"] == owner.id
