"""The gateway's users, groups and memberships routes against fake gRPC stubs: EcoTaxa's paths
and JSON shapes, what each route sends to the services, and 4xx for bad input."""

from __future__ import annotations

from types import SimpleNamespace

import grpc
import httpx
import pytest
from fastapi import FastAPI
from google.protobuf.timestamp_pb2 import Timestamp

from copepod.v1 import common_pb2, projects_pb2, users_pb2
from gateway import deps
from gateway.errors import rpc_error_handler
from gateway.routers import memberships, users
from services.core.auth import Principal
from services.core.errors import Unauthenticated

GROUP = "9f1c2b7e-1d2a-4c3b-8e4f-5a6b7c8d9e0f"


def rpc_error(code: grpc.StatusCode, details: str = "") -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details)


class FakeStub:
    """Records every call; answers with ``replies[method]`` (a message, or an error to raise)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, object]] = []
        self.replies: dict[str, object] = {}

    def __getattr__(self, method: str):
        async def call(request, metadata=None, **_):
            self.calls.append((method, request, metadata))
            reply = self.replies.get(method)
            if isinstance(reply, Exception):
                raise reply
            return reply

        return call

    def last(self, method: str):
        return [request for name, request, _ in self.calls if name == method][-1]


class FakeAuthenticator:
    async def authenticate(self, token: str) -> Principal:
        if token == "user-token":
            return Principal(user_id=2, email="me@example.org")
        raise Unauthenticated()


@pytest.fixture
def fake():
    stubs = SimpleNamespace(users=FakeStub(), projects=FakeStub(), service_metadata=lambda: ())
    app = FastAPI()
    app.state.authenticator = FakeAuthenticator()
    app.add_exception_handler(grpc.aio.AioRpcError, rpc_error_handler)
    for router in (users.auth_router, users.router, memberships.router):
        app.include_router(router)
    app.dependency_overrides[deps.clients] = lambda: stubs
    stubs.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test",
                                     headers={"Authorization": "Bearer user-token"})
    return stubs


def ts(text: str) -> Timestamp:
    out = Timestamp()
    out.FromJsonString(text)
    return out


# --- login -----------------------------------------------------------------------------------
async def test_login_answers_the_token_as_a_json_string(fake):
    fake.users.replies["Login"] = users_pb2.LoginResponse(token="tok")
    rsp = await fake.client.post("/login", json={"username": "Me@Example.org", "password": "pw"})
    assert (rsp.status_code, rsp.json()) == (200, "tok")
    sent = fake.users.last("Login")
    assert (sent.username, sent.password, sent.client_address) == ("Me@Example.org", "pw", "127.0.0.1")


@pytest.mark.parametrize("code, status, detail", [
    (grpc.StatusCode.PERMISSION_DENIED, 403, "You can't do this."),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, 429, "Too many attempts, try again later."),
])
async def test_login_refusals(fake, code, status, detail):
    fake.users.replies["Login"] = rpc_error(code, detail)
    rsp = await fake.client.post("/login", json={"username": "a@b.org", "password": "pw"})
    assert (rsp.status_code, rsp.json()) == (status, {"detail": detail})


@pytest.mark.parametrize("body", [{"username": "a@b.org"}, {"password": "x"}, {"username": "a" * 300, "password": "x"},
                                  ["a", "b"], None])
async def test_malformed_logins_are_422(fake, body):
    rsp = await fake.client.post("/login", json=body)
    assert rsp.status_code == 422
    assert fake.users.calls == []


# --- /users ----------------------------------------------------------------------------------
async def test_me_is_user_model_with_rights_without_password(fake):
    fake.users.replies["GetUser"] = users_pb2.GetUserResponse(user=users_pb2.User(
        id=2, email="me@example.org", name="Me", organisation="LOV", status=1, country="France",
        usercreationdate=ts("2024-01-02T03:04:05Z"), can_do=[1, 4]))
    rsp = await fake.client.get("/users/me")
    body = rsp.json()
    assert rsp.status_code == 200
    assert "password" not in body
    assert (body["id"], body["email"], body["can_do"], body["last_used_projects"]) == (2, "me@example.org", [1, 4], [])
    assert body["usercreationdate"] == "2024-01-02T03:04:05"
    assert body["status_date"] is None and body["mail_status"] is None
    assert fake.users.last("GetUser").user_id == 0


async def test_no_token_is_403_and_a_bad_one_401(fake):
    rsp = await fake.client.get("/users/me", headers={"Authorization": ""})
    assert (rsp.status_code, rsp.json()) == (403, {"detail": "Not authenticated"})
    rsp = await fake.client.get("/users/me", headers={"Authorization": "Bearer nope"})
    assert (rsp.status_code, rsp.json()) == (401, {"detail": "Could not validate credentials"})


async def test_search_and_get_answer_min_user_models(fake):
    fake.users.replies["SearchUsers"] = users_pb2.SearchUsersResponse(users=[
        common_pb2.MinUser(id=3, email="ada@example.org", name="Ada", organisation="X")])
    rsp = await fake.client.get("/users/search", params={"by_name": "%ad%"})
    assert rsp.json() == [{"id": 3, "email": "ada@example.org", "name": "Ada"}]
    assert fake.users.last("SearchUsers").by_name == "%ad%"
    fake.users.replies["GetUser"] = users_pb2.GetUserResponse(user=users_pb2.User(id=3, email="a@x.org", name="A"))
    assert (await fake.client.get("/users/3")).json() == {"id": 3, "email": "a@x.org", "name": "A"}


@pytest.mark.parametrize("path", ["/users/abc", "/users/0", "/users/99999999999999999999"])
async def test_bad_user_ids_are_422(fake, path):
    assert (await fake.client.get(path)).status_code == 422


async def test_users_by_ids_parses_any_separator_and_never_shows_passwords(fake):
    fake.users.replies["ListUsers"] = users_pb2.ListUsersResponse(
        users=[users_pb2.User(id=1, email="a@x.org", name="A")])
    rsp = await fake.client.get("/users", params={"ids": "1,2;3 x4"})
    assert list(fake.users.last("ListUsers").ids) == [1, 2, 3, 4]
    assert [u["id"] for u in rsp.json()] == [1] and "password" not in rsp.json()[0]


async def test_create_user_sends_the_password_and_answers_null(fake):
    fake.users.replies["CreateUser"] = users_pb2.CreateUserResponse()
    rsp = await fake.client.post("/users/create", json={"id": -1, "email": "n@x.org", "name": "N",
                                                        "password": "long-enough", "can_do": [1, 2]})
    assert (rsp.status_code, rsp.json()) == (200, None)
    sent = fake.users.last("CreateUser")
    assert (sent.email, sent.password, sent.is_admin) == ("n@x.org", "long-enough", True)
    assert not sent.HasField("status")


async def test_update_names_only_the_fields_sent(fake):
    fake.users.replies["UpdateUser"] = users_pb2.UpdateUserResponse()
    rsp = await fake.client.put("/users/2", json={"id": 2, "email": "me@example.org", "name": "New", "country": "Peru",
                                                  "organisation": None, "password": "new-password"})
    assert (rsp.status_code, rsp.json()) == (200, None)
    sent = fake.users.last("UpdateUser")
    assert (sent.user_id, sorted(sent.present_fields), sent.password) == (2, ["country", "email", "name"],
                                                                          "new-password")
    await fake.client.put("/users/2", json={"id": 2, "email": "me@example.org", "name": "New", "can_do": [1, 4]})
    sent = fake.users.last("UpdateUser")
    assert "is_admin" in sent.present_fields and not sent.user.is_admin and not sent.HasField("password")


async def test_update_refusals_are_mapped(fake):
    fake.users.replies["UpdateUser"] = rpc_error(grpc.StatusCode.PERMISSION_DENIED)
    rsp = await fake.client.put("/users/5", json={"id": 5, "email": "x@y.org", "name": "X"})
    assert (rsp.status_code, rsp.json()) == (403, {"detail": "You can't do this."})
    rsp = await fake.client.put("/users/5", json={"id": 5, "name": "X"})
    assert rsp.status_code == 422


@pytest.mark.parametrize("status, active", [("1", True), ("active", True), ("0", False), ("inactive", False),
                                            ("-1", False)])
async def test_activate(fake, status, active):
    fake.users.replies["SetUserActive"] = users_pb2.SetUserActiveResponse()
    rsp = await fake.client.post(f"/users/activate/5/{status}", json={"reason": "checked"})
    assert (rsp.status_code, rsp.json()) == (200, None)
    sent = fake.users.last("SetUserActive")
    assert (sent.user_id, sent.active, sent.reason) == (5, active, "checked")


async def test_activate_with_an_unknown_status_is_422(fake):
    rsp = await fake.client.post("/users/activate/5/maybe")
    assert rsp.status_code == 422
    assert fake.users.calls == []


# --- API keys and groups ---------------------------------------------------------------------
async def test_api_key_token_is_shown_at_creation(fake):
    fake.users.replies["CreateApiKey"] = users_pb2.CreateApiKeyResponse(
        key=users_pb2.ApiKey(key_id="k1", name="ci", created_at=ts("2024-05-06T07:08:09Z")), token="cpk_k1.s")
    rsp = await fake.client.post("/users/me/api_keys", json={"name": "ci"})
    assert rsp.json() == {"key_id": "k1", "name": "ci", "created_at": "2024-05-06T07:08:09", "token": "cpk_k1.s"}
    assert (await fake.client.post("/users/me/api_keys", json={"name": ""})).status_code == 422


async def test_group_routes(fake):
    group = users_pb2.Group(group_hash=GROUP, name="G", description="d",
                            members=[common_pb2.MinUser(id=3, email="a@x.org", name="A")])
    fake.users.replies["CreateGroup"] = users_pb2.CreateGroupResponse(group=group)
    rsp = await fake.client.post("/groups", json={"name": "G", "description": "d", "user_emails": ["a@x.org"]})
    assert rsp.json()["members"] == [{"id": 3, "email": "a@x.org", "name": "A"}]
    assert (await fake.client.post("/groups", json={"name": "G", "user_emails": "a@x.org"})).status_code == 422

    fake.users.replies["RemoveGroupMembers"] = users_pb2.RemoveGroupMembersResponse(group=group)
    rsp = await fake.client.request("DELETE", f"/groups/{GROUP}/members", params={"user_emails": ["q@x.org"]},
                                    json={"user_emails": ["b@x.org"]})
    assert rsp.status_code == 200
    assert list(fake.users.last("RemoveGroupMembers").user_emails) == ["q@x.org", "b@x.org"]
    assert (await fake.client.post("/groups/not-a-uuid/members", json={"user_emails": []})).status_code == 422


# --- memberships -----------------------------------------------------------------------------
async def test_add_project_users_reads_the_project_first(fake):
    fake.projects.replies["GetProject"] = projects_pb2.GetProjectResponse(
        project=projects_pb2.Project(projid=3, project_hash="ph-3"))
    fake.users.replies["AddProjectUsers"] = users_pb2.AddProjectUsersResponse(users=[
        users_pb2.ProjectUser(user_email="a@x.org", user_role=1, project_hash="ph-3")])
    rsp = await fake.client.post("/projects/3/users", json={"user_emails": ["a@x.org"], "user_role": 1})
    assert rsp.json() == [{"user_email": "a@x.org", "user_role": 1, "project_hash": "ph-3"}]
    sent = fake.users.last("AddProjectUsers")
    assert (sent.project_id, sent.project_hash, sent.user_role) == (3, "ph-3", 1)
    assert fake.projects.last("GetProject").project_id == 3


async def test_an_unknown_project_is_404_and_nothing_changes(fake):
    fake.projects.replies["GetProject"] = rpc_error(grpc.StatusCode.NOT_FOUND)
    rsp = await fake.client.post("/projects/3/users", json={"user_emails": ["a@x.org"], "user_role": 1})
    assert (rsp.status_code, rsp.json()) == (404, {"detail": "Not found."})
    assert fake.users.calls == []


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/projects/3/users", {"user_emails": ["a@x.org"], "user_role": 6}),
    ("POST", "/projects/3/users", {"user_emails": ["a@x.org"]}),
    ("POST", "/projects/3/users", {"user_emails": ["a@x.org"] * 1001, "user_role": 1}),
    ("POST", "/projects/x/users", {"user_emails": [], "user_role": 1}),
    ("POST", "/projects/3/groups", {"group_hash_list": ["nope"], "user_role": 1}),
    ("DELETE", "/projects/3/groups?group_hash_list=nope", None),
    ("DELETE", "/projects/3/groups", None),
])
async def test_bad_membership_requests_are_422(fake, method, path, body):
    rsp = await fake.client.request(method, path, json=body)
    assert rsp.status_code == 422
    assert fake.users.calls == [] and fake.projects.calls == []


async def test_project_group_routes(fake):
    fake.projects.replies["GetProject"] = projects_pb2.GetProjectResponse(project=projects_pb2.Project(projid=3))
    fake.users.replies["ListProjectGroups"] = users_pb2.ListProjectGroupsResponse(groups=[
        users_pb2.ProjectGroup(group_hash=GROUP, name="G", description="", user_role=2)])
    rsp = await fake.client.get("/projects/3/groups")
    assert rsp.json() == [{"group_hash": GROUP, "name": "G", "description": "", "created_at": None, "user_role": 2}]
    fake.users.replies["RemoveProjectGroups"] = users_pb2.RemoveProjectGroupsResponse()
    rsp = await fake.client.delete(f"/projects/3/groups?group_hash_list={GROUP}&group_hash_list={GROUP.upper()}")
    assert (rsp.status_code, rsp.json()) == (200, None)
    assert list(fake.users.last("RemoveProjectGroups").group_hashes) == [GROUP, GROUP]


# --- text that is not Unicode ----------------------------------------------------------------
@pytest.mark.parametrize("content", [
    b'{"username": "\\udcff", "password": "x"}',          # escaped lone surrogate
    b'{"username": "\xed\xb3\xbf", "password": "x"}',      # the same as raw bytes
    b'{"username": "a@b.org", "\\udcff": "x", "password": "x"}',
    b'{"username": "a@b.org", "password": ["\\ud800"]}',
])
async def test_lone_surrogates_are_422_without_echo(fake, content):
    rsp = await fake.client.post("/login", content=content, headers={"Content-Type": "application/json"})
    assert rsp.status_code == 422
    assert rsp.json()["detail"][0]["input"] is None
    assert fake.users.calls == []


@pytest.mark.parametrize("depth", [900, 5000])
async def test_deeply_nested_bodies_are_4xx(fake, depth):
    content = b'{"user_emails": ' + b"[" * depth + b"]" * depth + b', "user_role": 1}'
    rsp = await fake.client.post("/projects/3/users", content=content, headers={"Content-Type": "application/json"})
    assert 400 <= rsp.status_code < 500
    assert fake.users.calls == [] and fake.projects.calls == []
