"""Accounts and sessions: EcoTaxa 0.0.37's ``/login`` and ``/users…`` (same paths and JSON), plus
Copepod's API keys and groups."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from copepod.v1 import users_pb2
from gateway.deps import CurrentUser, Services, TextOnlyBody
from gateway.schemas import MinUserModel

INT64_MAX = 2**63 - 1
EMAIL_LEN = 255
EMAILS_MAX = 1000

auth_router = APIRouter(tags=["authentification"], dependencies=[TextOnlyBody])
router = APIRouter(dependencies=[TextOnlyBody])
USERS, GROUPS = ["users"], ["groups"]


# --- models ----------------------------------------------------------------------------------
class LoginReq(BaseModel):
    model_config = {"title": "Login request Model"}

    password: str = Field(title="User's password", description="User password.", max_length=1024,
                          examples=["test!"])
    username: str = Field(title="User's email", description="User email used during registration.",
                          max_length=EMAIL_LEN, examples=["ecotaxa.api.user@gmail.com"])


class ProjectSummaryModel(BaseModel):
    projid: int
    title: str


class UserModelWithRights(BaseModel):
    id: int = Field(description="The unique numeric id of this user.", examples=[1])
    email: str = Field(description="User's email address, as text, used during registration.", max_length=EMAIL_LEN)
    password: str | None = Field(None, title="User's password'",
                                 description="Password, only sent by clients; never returned.", max_length=1024)
    name: str = Field(description="User's full name, as text.", max_length=255)
    organisation: str | None = Field(None, description="User's organisation name, as text.", max_length=512)
    status: int | None = Field(None, title="Account status",
                               description="Status of the user : 1 for active, 0 for inactive ,2 for pending, "
                                           "-1 for blocked")
    status_date: datetime | None = Field(None, description="Timestamp status modification date")
    status_admin_comment: str | None = Field(None, description="Optional Users admininistrator comment about "
                                                               "the account status.", max_length=1000)
    country: str | None = Field(None, description="The country name, as text.", max_length=100)
    orcid: str | None = Field(None, description="The orcid id https://support.orcid.org.", max_length=50)
    usercreationdate: datetime | None = Field(None, description="The date of creation of the user.")
    usercreationreason: str | None = Field(None, description="Paragraph describing the usage made by the user.",
                                           max_length=1000)
    mail_status: bool | None = Field(None, description="True for verified, False for waiting for verification, "
                                                       "None for no action.")
    mail_status_date: datetime | None = Field(None, description="Timestamp mail status modification date")
    can_do: list[int] = Field(default_factory=list, title="User's permissions",
                              description="List of User's allowed actions : 1 create a project, 2 administrate the "
                                          "app, 3 administrate users, 4 create taxon.", max_length=10)
    last_used_projects: list[ProjectSummaryModel] = Field(default_factory=list,
                                                          description="List of User's last used projects.")


class UserActivateReq(BaseModel):
    token: str | None = Field(None, description="Unused: accounts are activated by administrators.",
                              max_length=1024)
    reason: str | None = Field(None, description="Administrator comment about the status.", max_length=1000)
    password: str | None = Field(None, description="Unused.", max_length=1024)


class ApiKeyReq(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What the key is for.")


class ApiKeyModel(BaseModel):
    key_id: str
    name: str
    created_at: datetime | None
    last_used_at: datetime | None = None
    revoked: bool = False


class NewApiKeyModel(BaseModel):
    key_id: str
    name: str
    created_at: datetime | None
    token: str = Field(description="`cpk_<key_id>.<secret>`, shown this once: send it as `Authorization: Bearer`.")


class GroupReq(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    user_emails: list[Annotated[str, Field(max_length=EMAIL_LEN)]] = Field(default_factory=list, max_length=EMAILS_MAX)


class GroupMembersReq(BaseModel):
    user_emails: list[Annotated[str, Field(max_length=EMAIL_LEN)]] = Field(max_length=EMAILS_MAX)


class GroupModel(BaseModel):
    group_hash: uuid.UUID
    name: str
    description: str
    created_at: datetime | None
    members: list[MinUserModel]


# --- protobuf → JSON -------------------------------------------------------------------------
def _dt(msg, field: str) -> datetime | None:
    if not msg.HasField(field):
        return None
    return getattr(msg, field).ToDatetime(tzinfo=timezone.utc).replace(tzinfo=None)


def _min_user(u) -> MinUserModel:
    return MinUserModel(id=u.id, email=u.email, name=u.name)


def _user_with_rights(u: users_pb2.User) -> UserModelWithRights:
    return UserModelWithRights(
        id=u.id, email=u.email, name=u.name, organisation=u.organisation, status=u.status,
        status_date=_dt(u, "status_date"), status_admin_comment=u.status_admin_comment, country=u.country,
        orcid=u.orcid, usercreationdate=_dt(u, "usercreationdate"), usercreationreason=u.usercreationreason,
        can_do=list(u.can_do), last_used_projects=[],
    )


def _api_key(k: users_pb2.ApiKey) -> ApiKeyModel:
    return ApiKeyModel(key_id=k.key_id, name=k.name, created_at=_dt(k, "created_at"),
                       last_used_at=_dt(k, "last_used_at"), revoked=k.revoked)


def _group(g: users_pb2.Group) -> GroupModel:
    return GroupModel(group_hash=uuid.UUID(g.group_hash), name=g.name, description=g.description,
                      created_at=_dt(g, "created_at"), members=[_min_user(m) for m in g.members])


# EcoTaxa's UserModelWithRights fields an update may carry, as the users service names them.
_UPDATABLE = ("email", "name", "organisation", "country", "orcid", "usercreationreason", "status",
              "status_admin_comment")
_ACTIVATE = {"1": True, "active": True, "0": False, "inactive": False, "-1": False, "blocked": False}

UserId = Annotated[int, Path(description="Internal, the unique numeric id of this user.", ge=1, le=INT64_MAX)]


# --- sessions --------------------------------------------------------------------------------
@auth_router.post("/login", operation_id="login", response_model=str, summary="Login",
                  description="**Login barrier,**\n\nIf successful, the login will returns a **JWT** which will have "
                              "to be used\nin bearer authentication scheme for subsequent calls. Repeated failures "
                              "for one account or from one address are answered 429 for a while.")
async def login(body: LoginReq, request: Request, svc: Services) -> str:
    rsp = await svc.users.Login(users_pb2.LoginRequest(
        username=body.username, password=body.password,
        client_address=request.client.host if request.client else "unknown",
    ))
    return rsp.token


# --- EcoTaxa /users (fixed paths first: /users/{user_id} would shadow them) -----------------
@router.get("/users/me", tags=USERS, operation_id="show_current_user", response_model=UserModelWithRights,
            response_model_exclude={"password"}, summary="Show Current User",
            description="Returns **currently authenticated user's** (i.e. you) information, permissions and last "
                        "used projects.")
async def show_current_user(caller: CurrentUser, svc: Services) -> UserModelWithRights:
    rsp = await svc.users.GetUser(users_pb2.GetUserRequest(user_id=0), metadata=caller.metadata)
    return _user_with_rights(rsp.user)


@router.get("/users/search", tags=USERS, operation_id="search_user", response_model=list[MinUserModel],
            summary="Search User",
            description="**Search users using various criteria**, search is case-insensitive and might contain % "
                        "chars.")
async def search_user(caller: CurrentUser, svc: Services,
                      by_name: Annotated[str | None, Query(description="Search by name, use % for searching with "
                                                                       "'any char'.", max_length=255)] = None):
    rsp = await svc.users.SearchUsers(users_pb2.SearchUsersRequest(by_name=by_name or ""), metadata=caller.metadata)
    return [_min_user(u) for u in rsp.users]


@router.post("/users/create", tags=USERS, operation_id="create_user", summary="Create User",
             description="**Create a new user**, return **NULL upon success.**\n\n🔒 For application "
                         "administrators only; the password is in the body.")
async def create_user(body: UserModelWithRights, caller: CurrentUser, svc: Services,
                      no_bot: Annotated[list[str] | None, Query(description="Unused.", max_length=4)] = None,
                      token: Annotated[str | None, Query(description="Unused.", max_length=1024)] = None) -> None:
    req = users_pb2.CreateUserRequest(
        email=body.email, password=body.password or "", name=body.name, organisation=body.organisation or "",
        country=body.country or "", orcid=body.orcid or "", usercreationreason=body.usercreationreason or "",
        is_admin=2 in body.can_do,
    )
    if body.status is not None:
        req.status = body.status
    await svc.users.CreateUser(req, metadata=caller.metadata)


@router.post("/users/activate/{user_id}/{status}", tags=USERS, operation_id="activate_user", summary="Activate User",
             description="Activate (`1`, `active`) or deactivate (`0`, `inactive`, `-1`, `blocked`) a user, return "
                         "**NULL upon success.**\n\n🔒 For application administrators only; `reason` becomes the "
                         "status comment.")
async def activate_user(user_id: UserId, status: Annotated[str, Path(max_length=16)], caller: CurrentUser,
                        svc: Services, body: Annotated[UserActivateReq | None, Body()] = None) -> None:
    active = _ACTIVATE.get(status.strip().lower())
    if active is None:
        raise HTTPException(422, f"Unknown status {status!r}: use 1 (active) or 0 (inactive).")
    await svc.users.SetUserActive(users_pb2.SetUserActiveRequest(
        user_id=user_id, active=active, reason=(body.reason if body else None) or ""), metadata=caller.metadata)


@router.get("/users", tags=USERS, operation_id="get_users", response_model=list[UserModelWithRights],
            response_model_exclude={"__all__": {"password"}}, summary="Get Users",
            description="Returns the list of **all users** with their full information, or just some of them if "
                        "their ids\nare provided.\n\n🔒 *For admins only.*")
async def get_users(caller: CurrentUser, svc: Services,
                    ids: Annotated[str, Query(description="String containing the list of one or more id separated "
                                                          "by non-num char.", max_length=20_000)] = "",
                    summary: Annotated[bool | None, Query(description="Accepted for compatibility.")] = None):
    wanted = [int(x) for x in re.findall(r"\d+", ids) if int(x) <= INT64_MAX]
    rsp = await svc.users.ListUsers(users_pb2.ListUsersRequest(ids=wanted), metadata=caller.metadata)
    return [_user_with_rights(u) for u in rsp.users]


# --- Copepod: API keys -----------------------------------------------------------------------
@router.post("/users/me/api_keys", operation_id="create_api_key", tags=USERS, response_model=NewApiKeyModel,
             summary="Create an API key (Copepod). The token is shown once; only its hash is kept.")
async def create_api_key(body: ApiKeyReq, caller: CurrentUser, svc: Services) -> NewApiKeyModel:
    rsp = await svc.users.CreateApiKey(users_pb2.CreateApiKeyRequest(name=body.name), metadata=caller.metadata)
    return NewApiKeyModel(key_id=rsp.key.key_id, name=rsp.key.name, created_at=_dt(rsp.key, "created_at"),
                          token=rsp.token)


@router.get("/users/me/api_keys", operation_id="list_api_keys", tags=USERS, response_model=list[ApiKeyModel],
            summary="List your API keys (Copepod), revoked ones included; secrets are never shown again.")
async def list_api_keys(caller: CurrentUser, svc: Services) -> list[ApiKeyModel]:
    rsp = await svc.users.ListApiKeys(users_pb2.ListApiKeysRequest(), metadata=caller.metadata)
    return [_api_key(k) for k in rsp.keys]


@router.delete("/users/me/api_keys/{key_id}", operation_id="revoke_api_key", tags=USERS,
               summary="Revoke one of your API keys (Copepod).")
async def revoke_api_key(key_id: Annotated[str, Path(max_length=32)], caller: CurrentUser, svc: Services) -> None:
    await svc.users.RevokeApiKey(users_pb2.RevokeApiKeyRequest(key_id=key_id), metadata=caller.metadata)


# --- EcoTaxa /users/{user_id} ----------------------------------------------------------------
@router.get("/users/{user_id}", tags=USERS, operation_id="get_user", response_model=MinUserModel, summary="Get User",
            description="Returns **information about the user** corresponding to the given id.")
async def get_user(user_id: UserId, caller: CurrentUser, svc: Services) -> MinUserModel:
    rsp = await svc.users.GetUser(users_pb2.GetUserRequest(user_id=user_id), metadata=caller.metadata)
    return _min_user(rsp.user)


@router.put("/users/{user_id}", tags=USERS, operation_id="update_user", summary="Update User",
            description="**Update the user**, return **NULL upon success.**\n\n🔒 Depending on logged user, "
                        "different authorizations apply:\n- An administrator can change any field.\n- A user can "
                        "update own password, name, organisation, country and orcid.\n- An ordinary user cannot "
                        "update anything for another user.")
async def update_user(user_id: UserId, body: UserModelWithRights, caller: CurrentUser, svc: Services) -> None:
    sent = body.model_fields_set
    present = [f for f in _UPDATABLE if f in sent and getattr(body, f) is not None]
    user = users_pb2.User(
        email=body.email, name=body.name, organisation=body.organisation or "", country=body.country or "",
        orcid=body.orcid or "", usercreationreason=body.usercreationreason or "",
        status_admin_comment=body.status_admin_comment or "", is_admin=2 in body.can_do,
    )
    if body.status is not None:
        user.status = body.status
    if "can_do" in sent:
        present.append("is_admin")
    req = users_pb2.UpdateUserRequest(user_id=user_id, user=user, present_fields=present)
    if body.password:
        req.password = body.password
    await svc.users.UpdateUser(req, metadata=caller.metadata)


# --- Copepod: groups -------------------------------------------------------------------------
@router.post("/groups", operation_id="create_group", response_model=GroupModel, tags=GROUPS,
             summary="Create a group of users (Copepod); you own it.")
async def create_group(body: GroupReq, caller: CurrentUser, svc: Services) -> GroupModel:
    rsp = await svc.users.CreateGroup(users_pb2.CreateGroupRequest(
        name=body.name, description=body.description, user_emails=body.user_emails), metadata=caller.metadata)
    return _group(rsp.group)


@router.get("/groups", operation_id="list_groups", response_model=list[GroupModel], tags=GROUPS,
            summary="List the groups you own or belong to (Copepod); administrators see all.")
async def list_groups(caller: CurrentUser, svc: Services) -> list[GroupModel]:
    rsp = await svc.users.ListGroups(users_pb2.ListGroupsRequest(), metadata=caller.metadata)
    return [_group(g) for g in rsp.groups]


@router.post("/groups/{group_hash}/members", operation_id="add_group_members", response_model=GroupModel, tags=GROUPS,
             summary="Add users to a group (Copepod): its owner or an administrator.")
async def add_group_members(group_hash: uuid.UUID, body: GroupMembersReq, caller: CurrentUser,
                            svc: Services) -> GroupModel:
    rsp = await svc.users.AddGroupMembers(users_pb2.AddGroupMembersRequest(
        group_hash=str(group_hash), user_emails=body.user_emails), metadata=caller.metadata)
    return _group(rsp.group)


@router.delete("/groups/{group_hash}/members", operation_id="remove_group_members", response_model=GroupModel,
               tags=GROUPS,
               summary="Remove users from a group (Copepod): its owner or an administrator. The e-mails come in "
                       "the body or as repeated `user_emails` query parameters.")
async def remove_group_members(
    group_hash: uuid.UUID, caller: CurrentUser, svc: Services,
    user_emails: Annotated[list[Annotated[str, Field(max_length=EMAIL_LEN)]] | None,
                           Query(max_length=EMAILS_MAX)] = None,
    body: Annotated[GroupMembersReq | None, Body()] = None,
) -> GroupModel:
    emails = [*(user_emails or []), *(body.user_emails if body else [])]
    rsp = await svc.users.RemoveGroupMembers(users_pb2.RemoveGroupMembersRequest(
        group_hash=str(group_hash), user_emails=emails), metadata=caller.metadata)
    return _group(rsp.group)
