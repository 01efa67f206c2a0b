"""Contract of the users service over gRPC, on a real server with a real NATS: sessions and their
refusals, throttling, API keys, account rules, memberships, groups, and the events it publishes
and consumes."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass

import grpc
import nats
import pytest
from argon2 import PasswordHasher
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import NotFoundError

from copepod.v1 import events_pb2, users_pb2, users_pb2_grpc
from services.core.auth import TokenCodec
from services.core.roles import ProjectRole
from services.users.domain import passwords
from tests.contract.conftest import channel_to
from tests.support.inprocess import ADMIN_EMAIL, ADMIN_PASSWORD, SECRET

PASSWORD = "a-long-password-1"
_serial = itertools.count(1)
_project_ids = itertools.count(1000)


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


@dataclass
class Account:
    id: int
    email: str
    token: str

    @property
    def md(self):
        return bearer(self.token)


@dataclass
class Users:
    stub: users_pb2_grpc.UsersServiceStub
    nats_url: str
    admin: Account
    projects: tuple  # metadata of the projects service

    async def login(self, email: str, password: str = PASSWORD, client: str = "") -> str:
        rsp = await self.stub.Login(users_pb2.LoginRequest(username=email, password=password, client_address=client))
        return rsp.token

    async def account(self, label: str = "user", **fields) -> Account:
        email = f"{label}-{next(_serial)}-{uuid.uuid4().hex[:6]}@example.org"
        rsp = await self.stub.CreateUser(users_pb2.CreateUserRequest(
            email=email, password=PASSWORD, name=fields.pop("name", f"{label.title()} Person"), **fields),
            metadata=self.admin.md)
        return Account(rsp.user.id, email, await self.login(email))

    async def project(self, creator: Account) -> int:
        project_id = next(_project_ids)
        await self.stub.InitProjectMembers(users_pb2.InitProjectMembersRequest(
            project_id=project_id, creator_id=creator.id), metadata=self.projects)
        return project_id

    async def memberships(self, project_id: int, user_id: int = 0) -> users_pb2.ProjectMemberships:
        rsp = await self.stub.GetProjectMemberships(users_pb2.GetProjectMembershipsRequest(
            project_ids=[project_id], user_id=user_id), metadata=self.projects)
        return rsp.projects[0]


@pytest.fixture(scope="module")
async def users(start_services, nats_server):
    # Argon2's production cost is ~0.15 s per hash; these tests hash dozens of passwords.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        async with start_services("users") as settings:
            async with channel_to(settings.service_addr("users")) as channel:
                yield await _connect(channel, nats_server.url)


async def _connect(channel, nats_url: str) -> Users:
    stub = users_pb2_grpc.UsersServiceStub(channel)
    token = (await stub.Login(users_pb2.LoginRequest(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))).token
    me = await stub.GetUser(users_pb2.GetUserRequest(), metadata=bearer(token))
    projects = bearer(TokenCodec(SECRET, 3600).mint_service("projects"))
    return Users(stub, nats_url, Account(me.user.id, ADMIN_EMAIL, token), projects)


async def rpc_error(awaitable) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await awaitable
    return err.value


# --- sessions --------------------------------------------------------------------------------
async def test_bootstrap_admin_logs_in_and_authenticates(users):
    rsp = await users.stub.Authenticate(users_pb2.AuthenticateRequest(), metadata=users.admin.md)
    assert (rsp.user_id, rsp.email, rsp.is_admin, rsp.active) == (users.admin.id, ADMIN_EMAIL, True, True)
    me = await users.stub.GetUser(users_pb2.GetUserRequest(), metadata=users.admin.md)
    assert list(me.user.can_do) == [1, 2, 3, 4]


async def test_login_ignores_the_case_of_the_email(users):
    someone = await users.account()
    token = await users.login(someone.email.upper())
    rsp = await users.stub.Authenticate(users_pb2.AuthenticateRequest(), metadata=bearer(token))
    assert rsp.user_id == someone.id and not rsp.is_admin


async def test_wrong_password_and_unknown_account_are_refused_alike(users):
    someone = await users.account()
    for email, password in ((someone.email, "wrong-password"), ("nobody@example.org", PASSWORD)):
        err = await rpc_error(users.login(email, password, client=f"203.0.113.{next(_serial) % 250}"))
        assert (err.code(), err.details()) == (grpc.StatusCode.PERMISSION_DENIED, "You can't do this.")


async def test_failed_logins_are_throttled_per_account(users):
    someone = await users.account()
    for attempt in range(5):  # COPEPOD_LOGIN_MAX_ATTEMPTS defaults to 5
        err = await rpc_error(users.login(someone.email, "wrong-password", client=f"198.51.100.{attempt}"))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(users.login(someone.email, PASSWORD, client="198.51.100.99"))
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_failed_logins_are_throttled_per_client_address(users):
    for attempt in range(50):  # COPEPOD_LOGIN_MAX_ATTEMPTS_PER_ADDRESS defaults to 50
        err = await rpc_error(users.login(f"ghost-{attempt}@example.org", "wrong-password", client="192.0.2.7"))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    someone = await users.account()
    err = await rpc_error(users.login(someone.email, PASSWORD, client="192.0.2.7"))
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert await users.login(someone.email, PASSWORD, client="192.0.2.8")


async def test_a_call_without_token_is_unauthenticated(users):
    err = await rpc_error(users.stub.GetUser(users_pb2.GetUserRequest()))
    assert (err.code(), err.details()) == (grpc.StatusCode.UNAUTHENTICATED, "Not authenticated")
    err = await rpc_error(users.stub.Authenticate(users_pb2.AuthenticateRequest()))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_bad_and_expired_tokens_are_unauthenticated(users):
    expired = TokenCodec(SECRET, 3600).mint_session(users.admin.id, ttl=-10)
    forged = TokenCodec("another-secret-0123456789-abcdefghijklmnop", 3600).mint_session(users.admin.id)
    unknown_user = TokenCodec(SECRET, 3600).mint_session(999_999)
    for token in (expired, forged, unknown_user, "garbage", "cpk_nope.nope"):
        err = await rpc_error(users.stub.GetUser(users_pb2.GetUserRequest(), metadata=bearer(token)))
        assert (err.code(), err.details()) == (grpc.StatusCode.UNAUTHENTICATED, "Could not validate credentials")


async def test_a_deactivated_user_is_refused_until_reactivated(users):
    someone = await users.account()
    await users.stub.SetUserActive(users_pb2.SetUserActiveRequest(user_id=someone.id, active=False, reason="left"),
                                   metadata=users.admin.md)
    for call in (users.stub.GetUser(users_pb2.GetUserRequest(), metadata=someone.md),
                 users.stub.Authenticate(users_pb2.AuthenticateRequest(), metadata=someone.md),
                 users.login(someone.email, client="192.0.2.50")):
        err = await rpc_error(call)
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = await users.stub.ListUsers(users_pb2.ListUsersRequest(ids=[someone.id]), metadata=users.admin.md)
    assert (listed.users[0].status, listed.users[0].status_admin_comment) == (0, "left")
    await users.stub.SetUserActive(users_pb2.SetUserActiveRequest(user_id=someone.id, active=True),
                                   metadata=users.admin.md)
    assert (await users.stub.GetUser(users_pb2.GetUserRequest(), metadata=someone.md)).user.id == someone.id


async def test_only_administrators_change_account_status(users):
    someone = await users.account()
    err = await rpc_error(users.stub.SetUserActive(
        users_pb2.SetUserActiveRequest(user_id=users.admin.id, active=False), metadata=someone.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(users.stub.SetUserActive(
        users_pb2.SetUserActiveRequest(user_id=users.admin.id, active=False), metadata=users.admin.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT


# --- API keys --------------------------------------------------------------------------------
async def test_api_key_authenticates_until_revoked(users):
    someone = await users.account()
    created = await users.stub.CreateApiKey(users_pb2.CreateApiKeyRequest(name="nightly script"), metadata=someone.md)
    assert created.token.startswith(f"cpk_{created.key.key_id}.")
    rsp = await users.stub.Authenticate(users_pb2.AuthenticateRequest(), metadata=bearer(created.token))
    assert rsp.user_id == someone.id
    keys = (await users.stub.ListApiKeys(users_pb2.ListApiKeysRequest(), metadata=someone.md)).keys
    assert [(k.key_id, k.name, k.revoked) for k in keys] == [(created.key.key_id, "nightly script", False)]
    assert keys[0].HasField("last_used_at")

    other = await users.account()
    err = await rpc_error(users.stub.RevokeApiKey(users_pb2.RevokeApiKeyRequest(key_id=created.key.key_id),
                                                  metadata=other.md))
    assert err.code() == grpc.StatusCode.NOT_FOUND
    await users.stub.RevokeApiKey(users_pb2.RevokeApiKeyRequest(key_id=created.key.key_id), metadata=someone.md)
    err = await rpc_error(users.stub.Authenticate(users_pb2.AuthenticateRequest(), metadata=bearer(created.token)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED
    wrong_secret = created.token[:-4] + "AAAA"
    err = await rpc_error(users.stub.GetUser(users_pb2.GetUserRequest(), metadata=bearer(wrong_secret)))
    assert err.code() == grpc.StatusCode.UNAUTHENTICATED


# --- accounts --------------------------------------------------------------------------------
async def test_create_user_rules(users):
    someone = await users.account()
    err = await rpc_error(users.stub.CreateUser(users_pb2.CreateUserRequest(
        email="x@example.org", password=PASSWORD, name="X"), metadata=someone.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(users.stub.CreateUser(users_pb2.CreateUserRequest(
        email=someone.email.upper(), password=PASSWORD, name="Twin"), metadata=users.admin.md))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS
    for email, password, name in (("not-an-email", PASSWORD, "N"), ("ok@example.org", "short", "N"),
                                  ("ok@example.org", PASSWORD, "  ")):
        err = await rpc_error(users.stub.CreateUser(users_pb2.CreateUserRequest(
            email=email, password=password, name=name), metadata=users.admin.md))
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, (email, password, name)


async def test_others_see_only_the_public_part_of_an_account(users):
    someone = await users.account(organisation="LOV", country="France")
    seen = (await users.stub.GetUser(users_pb2.GetUserRequest(user_id=someone.id), metadata=users.admin.md)).user
    assert (seen.country, seen.status, list(seen.can_do)) == ("France", 1, [1, 4])
    other = await users.account()
    seen = (await users.stub.GetUser(users_pb2.GetUserRequest(user_id=someone.id), metadata=other.md)).user
    assert (seen.email, seen.organisation, seen.country, seen.status) == (someone.email, "LOV", "", 0)
    err = await rpc_error(users.stub.ListUsers(users_pb2.ListUsersRequest(), metadata=other.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_update_rules(users):
    someone, other = await users.account(), await users.account()

    def update(user_id, present, password=None, **fields):
        req = users_pb2.UpdateUserRequest(user_id=user_id, user=users_pb2.User(**fields), present_fields=present)
        if password is not None:
            req.password = password
        return req

    await users.stub.UpdateUser(update(someone.id, ["name", "country", "email"], name="New Name", country="Peru",
                                       email=someone.email), metadata=someone.md)
    me = (await users.stub.GetUser(users_pb2.GetUserRequest(), metadata=someone.md)).user
    assert (me.name, me.country) == ("New Name", "Peru")
    for req in (update(someone.id, ["email"], email="changed@example.org"),
                update(someone.id, ["status"], status=0),
                update(someone.id, ["is_admin"], is_admin=True),
                update(other.id, ["name"], name="Hijack")):
        err = await rpc_error(users.stub.UpdateUser(req, metadata=someone.md))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(users.stub.UpdateUser(update(someone.id, ["name"], name=""), metadata=someone.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = await rpc_error(users.stub.UpdateUser(update(someone.id, ["email"], email=other.email),
                                                metadata=users.admin.md))
    assert err.code() == grpc.StatusCode.ALREADY_EXISTS

    await users.stub.UpdateUser(update(someone.id, [], password="brand-new-password"), metadata=someone.md)
    err = await rpc_error(users.login(someone.email, PASSWORD, client="192.0.2.60"))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await users.login(someone.email, "brand-new-password")

    new_email = f"renamed-{uuid.uuid4().hex[:6]}@example.org"
    await users.stub.UpdateUser(update(someone.id, ["email"], email=new_email.upper()), metadata=users.admin.md)
    assert await users.login(new_email, "brand-new-password")


async def test_search_by_name(users):
    tag = uuid.uuid4().hex[:8]
    ada = await users.account(name=f"Ada {tag} Lovelace")
    await users.account(name=f"Alan {tag} Turing")
    found = await users.stub.SearchUsers(users_pb2.SearchUsersRequest(by_name=f"{tag.upper()} love"),
                                         metadata=ada.md)
    assert [u.id for u in found.users] == [ada.id]
    found = await users.stub.SearchUsers(users_pb2.SearchUsersRequest(by_name=f"a%{tag}%"), metadata=ada.md)
    assert len(found.users) == 2
    found = await users.stub.SearchUsers(users_pb2.SearchUsersRequest(by_name=f"{tag}%"), metadata=ada.md)
    assert list(found.users) == []


# --- memberships -----------------------------------------------------------------------------
async def test_only_the_projects_service_initialises_and_rewrites_members(users):
    someone = await users.account()
    err = await rpc_error(users.stub.InitProjectMembers(users_pb2.InitProjectMembersRequest(
        project_id=1, creator_id=someone.id), metadata=users.admin.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = await rpc_error(users.stub.SetProjectMembers(users_pb2.SetProjectMembersRequest(
        project_id=1, members=[users_pb2.MemberRight(user_id=someone.id, right="Manage")], contact_id=someone.id),
        metadata=someone.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_creator_becomes_admin_and_contact(users):
    creator = await users.account()
    project_id = await users.project(creator)
    got = await users.memberships(project_id, creator.id)
    assert [(m.user.id, m.role, m.contact) for m in got.members] == [(creator.id, ProjectRole.ADMIN, True)]
    assert got.has_user_role and got.user_role == ProjectRole.ADMIN
    stranger = await users.account()
    assert not (await users.memberships(project_id, stranger.id)).has_user_role


async def test_memberships_of_many_projects_in_one_call(users):
    a, b = await users.account(), await users.account()
    p1, p2, p3 = await users.project(a), await users.project(b), next(_project_ids)
    rsp = await users.stub.GetProjectMemberships(users_pb2.GetProjectMembershipsRequest(
        project_ids=[p1, p2, p3], user_id=a.id), metadata=users.projects)
    assert [(p.project_id, [m.user.id for m in p.members], p.has_user_role) for p in rsp.projects] == [
        (p1, [a.id], True), (p2, [b.id], False), (p3, [], False)]
    # A user asking directly sees only the projects they are on, and only their own role.
    rsp = await users.stub.GetProjectMemberships(users_pb2.GetProjectMembershipsRequest(
        project_ids=[p1, p2]), metadata=a.md)
    assert [(len(p.members), p.has_user_role) for p in rsp.projects] == [(1, True), (0, False)]
    err = await rpc_error(users.stub.GetProjectMemberships(users_pb2.GetProjectMembershipsRequest(
        project_ids=[p1], user_id=b.id), metadata=a.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_ecotaxa_rewrite_of_members(users):
    creator, reviewer, viewer = await users.account(), await users.account(), await users.account()
    project_id = await users.project(creator)
    await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=project_id, user_emails=[reviewer.email], user_role=ProjectRole.REVIEWER), metadata=creator.md)

    def rewrite(members, contact_id, dry_run=False):
        return users.stub.SetProjectMembers(users_pb2.SetProjectMembersRequest(
            project_id=project_id, members=[users_pb2.MemberRight(user_id=u, right=r) for u, r in members],
            contact_id=contact_id, dry_run=dry_run), metadata=users.projects)

    err = await rpc_error(rewrite([(creator.id, "Manage"), (987_654, "View")], creator.id))
    assert (err.code(), err.details()) == (grpc.StatusCode.INVALID_ARGUMENT, "Unknown user id(s): 987654.")
    err = await rpc_error(rewrite([(creator.id, "Manage"), (viewer.id, "View")], viewer.id))
    assert err.details() == "Could not set Contact, the designated user is not in Managers list."
    err = await rpc_error(rewrite([(creator.id, "Manage")], 0))
    assert err.details() == "A valid Contact is needed."

    await rewrite([(viewer.id, "Manage")], viewer.id, dry_run=True)
    assert {m.user.id for m in (await users.memberships(project_id)).members} == {creator.id, reviewer.id}

    await rewrite([(creator.id, "Annotate"), (reviewer.id, "Annotate"), (viewer.id, "View"), (viewer.id, "Manage")],
                  viewer.id)
    got = {m.user.id: (m.role, m.contact) for m in (await users.memberships(project_id)).members}
    assert got == {creator.id: (ProjectRole.ANNOTATOR_REVIEWER, False), reviewer.id: (ProjectRole.REVIEWER, False),
                   viewer.id: (ProjectRole.ADMIN, True)}


async def test_add_project_users_keeps_existing_roles(users):
    creator, member, newcomer = await users.account(), await users.account(), await users.account()
    project_id = await users.project(creator)

    def add(who, emails, role):
        return users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
            project_id=project_id, user_emails=emails, user_role=role, project_hash="h-1"), metadata=who.md)

    await add(creator, [member.email], ProjectRole.ANNOTATOR)
    rsp = await add(creator, [member.email.upper(), newcomer.email, creator.email], ProjectRole.VIEWER)
    assert [(u.user_email, u.user_role, u.project_hash) for u in rsp.users] == [
        (member.email, ProjectRole.ANNOTATOR, "h-1"), (newcomer.email, ProjectRole.VIEWER, "h-1"),
        (creator.email, ProjectRole.ADMIN, "h-1")]

    err = await rpc_error(add(creator, ["ghost@example.org", member.email, "ghost2@example.org"], ProjectRole.VIEWER))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "ghost@example.org" in err.details() and "ghost2@example.org" in err.details()
    err = await rpc_error(add(member, [newcomer.email], ProjectRole.VIEWER))  # an annotator manages nobody
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED

    listed = await users.stub.ListProjectUsers(users_pb2.ListProjectUsersRequest(
        project_id=project_id, project_hash="h-1"), metadata=newcomer.md)
    assert {(u.user_email, u.user_role) for u in listed.users} == {
        (creator.email, ProjectRole.ADMIN), (member.email, ProjectRole.ANNOTATOR), (newcomer.email, ProjectRole.VIEWER)}
    outsider = await users.account()
    err = await rpc_error(users.stub.ListProjectUsers(users_pb2.ListProjectUsersRequest(project_id=project_id),
                                                      metadata=outsider.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_team_manager_cannot_grant_admin_or_team_manager(users):
    creator, manager, someone = await users.account(), await users.account(), await users.account()
    project_id = await users.project(creator)
    await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=project_id, user_emails=[manager.email], user_role=ProjectRole.TEAM_MANAGER), metadata=creator.md)
    for role in (ProjectRole.ADMIN, ProjectRole.TEAM_MANAGER):
        err = await rpc_error(users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
            project_id=project_id, user_emails=[someone.email], user_role=role), metadata=manager.md))
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    rsp = await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=project_id, user_emails=[someone.email], user_role=ProjectRole.ANNOTATOR), metadata=manager.md)
    assert rsp.users[0].user_role == ProjectRole.ANNOTATOR
    # The application administrator needs no seat on the project.
    rsp = await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=project_id, user_emails=[users.admin.email], user_role=ProjectRole.VIEWER), metadata=users.admin.md)
    assert rsp.users[0].user_role == ProjectRole.VIEWER


async def test_clone_copies_members_and_merge_is_generous(users):
    owner, annotator, cloner = await users.account(), await users.account(), await users.account()
    source = await users.project(owner)
    await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=source, user_emails=[annotator.email], user_role=ProjectRole.ANNOTATOR), metadata=owner.md)
    group = (await users.stub.CreateGroup(users_pb2.CreateGroupRequest(name="Clone me"), metadata=owner.md)).group
    await users.stub.AddProjectGroups(users_pb2.AddProjectGroupsRequest(
        project_id=source, group_hashes=[group.group_hash], user_role=ProjectRole.VIEWER), metadata=owner.md)

    clone = next(_project_ids)
    await users.stub.InitProjectMembers(users_pb2.InitProjectMembersRequest(
        project_id=clone, creator_id=cloner.id, clone_of_id=source), metadata=users.projects)
    got = {m.user.id: (m.role, m.contact) for m in (await users.memberships(clone)).members}
    assert got == {owner.id: (ProjectRole.ADMIN, False), annotator.id: (ProjectRole.ANNOTATOR, False),
                   cloner.id: (ProjectRole.ADMIN, True)}
    groups = await users.stub.ListProjectGroups(users_pb2.ListProjectGroupsRequest(project_id=clone),
                                                metadata=cloner.md)
    assert [(g.group_hash, g.user_role) for g in groups.groups] == [(group.group_hash, ProjectRole.VIEWER)]

    target = await users.project(cloner)
    await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=target, user_emails=[annotator.email], user_role=ProjectRole.VIEWER), metadata=cloner.md)
    await users.stub.MergeProjectMembers(users_pb2.MergeProjectMembersRequest(
        source_project_id=source, target_project_id=target), metadata=users.projects)
    got = {m.user.id: (m.role, m.contact) for m in (await users.memberships(target)).members}
    assert got == {cloner.id: (ProjectRole.ADMIN, True), owner.id: (ProjectRole.ADMIN, False),
                   annotator.id: (ProjectRole.ANNOTATOR, False)}
    err = await rpc_error(users.stub.MergeProjectMembers(users_pb2.MergeProjectMembersRequest(
        source_project_id=source, target_project_id=target), metadata=owner.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


# --- groups ----------------------------------------------------------------------------------
async def test_groups_give_roles_and_the_highest_role_wins(users):
    owner, member, outsider = await users.account(), await users.account(), await users.account()
    project_id = await users.project(owner)
    group = (await users.stub.CreateGroup(users_pb2.CreateGroupRequest(
        name="Taxonomists", description="experts", user_emails=[member.email]), metadata=owner.md)).group
    assert [m.id for m in group.members] == [member.id]

    err = await rpc_error(users.stub.AddGroupMembers(users_pb2.AddGroupMembersRequest(
        group_hash=group.group_hash, user_emails=[outsider.email]), metadata=member.md))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    seen_by = {who.id: [g.group_hash for g in (await users.stub.ListGroups(users_pb2.ListGroupsRequest(),
                                                                           metadata=who.md)).groups]
               for who in (owner, member, outsider)}
    assert seen_by == {owner.id: [group.group_hash], member.id: [group.group_hash], outsider.id: []}

    await users.stub.AddProjectGroups(users_pb2.AddProjectGroupsRequest(
        project_id=project_id, group_hashes=[group.group_hash], user_role=ProjectRole.REVIEWER), metadata=owner.md)
    got = await users.memberships(project_id, member.id)
    assert (got.has_user_role, got.user_role) == (True, ProjectRole.REVIEWER)
    assert member.id not in {m.user.id for m in got.members}  # a group role is not a direct seat

    await users.stub.AddProjectUsers(users_pb2.AddProjectUsersRequest(
        project_id=project_id, user_emails=[member.email], user_role=ProjectRole.VIEWER), metadata=owner.md)
    assert (await users.memberships(project_id, member.id)).user_role == ProjectRole.REVIEWER
    mine = await users.stub.ListUserProjects(users_pb2.ListUserProjectsRequest(), metadata=member.md)
    assert [(p.project_id, p.role) for p in mine.projects] == [(project_id, ProjectRole.REVIEWER)]

    listed = await users.stub.ListProjectGroups(users_pb2.ListProjectGroupsRequest(project_id=project_id),
                                                metadata=owner.md)
    assert [(g.group_hash, g.name, g.user_role) for g in listed.groups] == [
        (group.group_hash, "Taxonomists", ProjectRole.REVIEWER)]
    err = await rpc_error(users.stub.AddProjectGroups(users_pb2.AddProjectGroupsRequest(
        project_id=project_id, group_hashes=["not-a-uuid"], user_role=ProjectRole.VIEWER), metadata=owner.md))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT

    await users.stub.RemoveGroupMembers(users_pb2.RemoveGroupMembersRequest(
        group_hash=group.group_hash, user_emails=[member.email]), metadata=owner.md)
    assert (await users.memberships(project_id, member.id)).user_role == ProjectRole.VIEWER
    await users.stub.AddGroupMembers(users_pb2.AddGroupMembersRequest(
        group_hash=group.group_hash, user_emails=[member.email]), metadata=owner.md)
    await users.stub.RemoveProjectGroups(users_pb2.RemoveProjectGroupsRequest(
        project_id=project_id, group_hashes=[group.group_hash]), metadata=owner.md)
    assert (await users.memberships(project_id, member.id)).user_role == ProjectRole.VIEWER


# --- events ----------------------------------------------------------------------------------
async def _jetstream(nats_url: str, stream: str):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        try:
            await js.stream_info(stream)
            return nc, js
        except NotFoundError:
            assert asyncio.get_running_loop().time() < deadline, f"stream {stream} never appeared"
            await asyncio.sleep(0.1)


async def test_user_created_is_published_with_cloudevents_headers(users):
    someone = await users.account("evented")
    nc, js = await _jetstream(users.nats_url, "COPEPOD_USERS")
    try:
        sub = await js.subscribe("copepod.users.user.created", stream="COPEPOD_USERS", ordered_consumer=True)
        deadline = asyncio.get_running_loop().time() + 10
        found = None
        while found is None and asyncio.get_running_loop().time() < deadline:
            try:
                msg = await sub.next_msg(timeout=0.5)
            except NatsTimeout:
                continue
            body = events_pb2.UserEvent.FromString(msg.data)
            if body.user_id == someone.id and body.email == someone.email:
                found = msg, body
    finally:
        await nc.close()
    assert found is not None, "no copepod.users.user.created event for the new user"
    msg, body = found
    headers = msg.headers
    assert headers["ce-type"] == "copepod.users.user.created"
    assert headers["ce-source"] == "/copepod/users"
    assert headers["ce-specversion"] == "1.0"
    assert headers["content-type"] == "application/protobuf"
    assert headers["ce-time"].endswith("Z")
    assert headers["Nats-Msg-Id"] == headers["ce-id"]
    assert (body.active, body.is_admin, body.actor_user_id) == (True, False, users.admin.id)


async def test_a_deleted_project_loses_its_members_and_groups(users):
    owner, member = await users.account(), await users.account()
    kept, deleted = await users.project(owner), await users.project(owner)
    group = (await users.stub.CreateGroup(users_pb2.CreateGroupRequest(name="G", user_emails=[member.email]),
                                          metadata=owner.md)).group
    for project_id in (kept, deleted):
        await users.stub.AddProjectGroups(users_pb2.AddProjectGroupsRequest(
            project_id=project_id, group_hashes=[group.group_hash], user_role=ProjectRole.ANNOTATOR), metadata=owner.md)

    nc, js = await _jetstream(users.nats_url, "COPEPOD_PROJECTS")
    try:
        for project_id, only_objects in ((kept, True), (deleted, False)):
            event_id = str(uuid.uuid4())
            await js.publish("copepod.projects.project.deleted",
                             events_pb2.ProjectEvent(project_id=project_id,
                                                     only_objects=only_objects).SerializeToString(),
                             headers={"ce-id": event_id, "ce-type": "copepod.projects.project.deleted",
                                      "ce-source": "/copepod/projects", "ce-specversion": "1.0",
                                      "content-type": "application/protobuf", "Nats-Msg-Id": event_id})
    finally:
        await nc.close()

    deadline = asyncio.get_running_loop().time() + 10
    while (await users.memberships(deleted, member.id)).has_user_role:
        assert asyncio.get_running_loop().time() < deadline, "memberships of the deleted project remain"
        await asyncio.sleep(0.1)
    assert (await users.memberships(deleted, owner.id)).members == []
    assert (await users.memberships(kept, member.id)).user_role == ProjectRole.ANNOTATOR
    assert len((await users.memberships(kept)).members) == 1
