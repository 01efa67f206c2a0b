"""gRPC servicer of the users service: protobuf in, domain call, protobuf out."""

from __future__ import annotations

from datetime import datetime, timezone

from google.protobuf.timestamp_pb2 import Timestamp

from copepod.v1 import common_pb2, users_pb2, users_pb2_grpc
from services.core.auth import principal
from services.core.errors import NotAuthenticated, Unauthenticated
from services.users.domain import accounts, api_keys, credentials, groups, memberships
from services.users.domain.rate_limit import LoginLimiter
from services.users.store import ApiKey, User


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value.replace(tzinfo=timezone.utc))
    return ts


def min_user_pb(user: User) -> common_pb2.MinUser:
    return common_pb2.MinUser(id=user.id, email=user.email, name=user.name, organisation=user.organisation)


def user_pb(user: User, *, full: bool = True) -> users_pb2.User:
    if not full:
        return users_pb2.User(id=user.id, email=user.email, name=user.name, organisation=user.organisation)
    return users_pb2.User(
        id=user.id, email=user.email, name=user.name, organisation=user.organisation, status=user.status,
        country=user.country, orcid=user.orcid, usercreationreason=user.usercreationreason,
        usercreationdate=_ts(user.usercreationdate), status_date=_ts(user.status_date),
        status_admin_comment=user.status_admin_comment, is_admin=user.is_admin, can_do=accounts.can_do(user),
    )


def api_key_pb(key: ApiKey) -> users_pb2.ApiKey:
    return users_pb2.ApiKey(key_id=key.key_id, name=key.name, created_at=_ts(key.created_at),
                            last_used_at=_ts(key.last_used_at), revoked=key.revoked_at is not None)


def group_pb(view: groups.GroupView) -> users_pb2.Group:
    g = view.group
    return users_pb2.Group(group_hash=g.group_hash, name=g.name, description=g.description,
                           created_at=_ts(g.created_at), members=[min_user_pb(u) for u in view.members])


def _peer_address(context) -> str:
    """``ipv4:1.2.3.4:5678`` → ``1.2.3.4``."""
    peer = context.peer() or ""
    kind, _, rest = peer.partition(":")
    return rest.rsplit(":", 1)[0] if kind in ("ipv4", "ipv6") else peer


class UsersServicer(users_pb2_grpc.UsersServiceServicer):
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        window = ctx.settings.login_window_seconds
        self.accounts = LoginLimiter(max_failures=ctx.settings.login_max_attempts, window_seconds=window)
        self.addresses = LoginLimiter(max_failures=ctx.settings.login_max_attempts_per_address,
                                      window_seconds=window)

    # --- sessions and identity ---------------------------------------------------------------
    async def Login(self, request, context):
        token = await credentials.login(self.ctx, accounts=self.accounts, addresses=self.addresses, username=request.username,
                                        password=request.password,
                                        client=request.client_address or _peer_address(context))
        return users_pb2.LoginResponse(token=token)

    async def Authenticate(self, request, context):
        caller = principal()
        if caller.is_anonymous:
            raise NotAuthenticated() if caller.service is None else Unauthenticated()
        return users_pb2.AuthenticateResponse(user_id=caller.user_id, email=caller.email, name=caller.name,
                                              is_admin=caller.is_admin, active=True)

    # --- accounts ----------------------------------------------------------------------------
    async def CreateUser(self, request, context):
        user = await accounts.create_user(
            self.ctx, actor=principal(), email=request.email, password=request.password, name=request.name,
            organisation=request.organisation, country=request.country, orcid=request.orcid,
            usercreationreason=request.usercreationreason, is_admin=request.is_admin,
            status=request.status if request.HasField("status") else 1,
        )
        return users_pb2.CreateUserResponse(user=user_pb(user))

    async def GetUser(self, request, context):
        user, full = await accounts.get_user(self.ctx, actor=principal(), user_id=request.user_id)
        return users_pb2.GetUserResponse(user=user_pb(user, full=full))

    async def ListUsers(self, request, context):
        found = await accounts.list_users(self.ctx, actor=principal(), ids=request.ids, emails=request.emails)
        return users_pb2.ListUsersResponse(users=[user_pb(u) for u in found])

    async def SearchUsers(self, request, context):
        found = await accounts.search_users(self.ctx, actor=principal(), by_name=request.by_name)
        return users_pb2.SearchUsersResponse(users=[min_user_pb(u) for u in found])

    async def ResolveUsers(self, request, context):
        ids = await accounts.resolve_user_refs(self.ctx, actor=principal(),
                                               refs=[(r.name, r.email) for r in request.refs])
        return users_pb2.ResolveUsersResponse(ids=ids)

    async def UpdateUser(self, request, context):
        # Unknown field names go through too, for the domain to refuse by name.
        changes = {field: getattr(request.user, field) if field in accounts.UPDATABLE else None
                   for field in request.present_fields}
        await accounts.update_user(self.ctx, actor=principal(), user_id=request.user_id, changes=changes,
                                   password=request.password if request.HasField("password") else None)
        return users_pb2.UpdateUserResponse()

    async def SetUserActive(self, request, context):
        await accounts.set_active(self.ctx, actor=principal(), user_id=request.user_id, active=request.active,
                                  reason=request.reason)
        return users_pb2.SetUserActiveResponse()

    # --- API keys ----------------------------------------------------------------------------
    async def CreateApiKey(self, request, context):
        key, token = await api_keys.create_api_key(self.ctx, actor=principal(), name=request.name)
        return users_pb2.CreateApiKeyResponse(key=api_key_pb(key), token=token)

    async def ListApiKeys(self, request, context):
        keys = await api_keys.list_api_keys(self.ctx, actor=principal())
        return users_pb2.ListApiKeysResponse(keys=[api_key_pb(k) for k in keys])

    async def RevokeApiKey(self, request, context):
        await api_keys.revoke_api_key(self.ctx, actor=principal(), key_id=request.key_id)
        return users_pb2.RevokeApiKeyResponse()

    # --- memberships -------------------------------------------------------------------------
    async def GetProjectMemberships(self, request, context):
        found = await memberships.get_memberships(self.ctx, actor=principal(), project_ids=request.project_ids,
                                                  user_id=request.user_id)
        return users_pb2.GetProjectMembershipsResponse(projects=[
            users_pb2.ProjectMemberships(
                project_id=p.project_id,
                members=[users_pb2.ProjectMember(user=min_user_pb(m.user), role=int(m.role), contact=m.contact)
                         for m in p.members],
                has_user_role=p.user_role is not None,
                user_role=int(p.user_role or 0),
            )
            for p in found
        ])

    async def ListUserProjects(self, request, context):
        found = await memberships.user_projects(self.ctx, actor=principal(), user_id=request.user_id)
        return users_pb2.ListUserProjectsResponse(projects=[
            users_pb2.UserProjectRole(project_id=pid, role=int(role)) for pid, role in sorted(found.items())
        ])

    async def InitProjectMembers(self, request, context):
        await memberships.init_members(self.ctx, actor=principal(), project_id=request.project_id,
                                       creator_id=request.creator_id, clone_of_id=request.clone_of_id)
        return users_pb2.InitProjectMembersResponse()

    async def SetProjectMembers(self, request, context):
        await memberships.set_members(self.ctx, actor=principal(), project_id=request.project_id,
                                      rights=[(m.user_id, m.right) for m in request.members],
                                      contact_id=request.contact_id, dry_run=request.dry_run)
        return users_pb2.SetProjectMembersResponse()

    async def MergeProjectMembers(self, request, context):
        await memberships.merge_members(self.ctx, actor=principal(), source_id=request.source_project_id,
                                        target_id=request.target_project_id)
        return users_pb2.MergeProjectMembersResponse()

    async def AddProjectUsers(self, request, context):
        added = await memberships.add_users(self.ctx, actor=principal(), project_id=request.project_id,
                                            emails=request.user_emails, role=request.user_role)
        return users_pb2.AddProjectUsersResponse(users=[
            users_pb2.ProjectUser(user_email=email, user_role=int(role), project_hash=request.project_hash)
            for email, role in added
        ])

    async def ListProjectUsers(self, request, context):
        found = await memberships.project_users(self.ctx, actor=principal(), project_id=request.project_id)
        return users_pb2.ListProjectUsersResponse(users=[
            users_pb2.ProjectUser(user_email=m.user.email, user_role=int(m.role), project_hash=request.project_hash)
            for m in found
        ])

    # --- groups ------------------------------------------------------------------------------
    async def CreateGroup(self, request, context):
        view = await groups.create_group(self.ctx, actor=principal(), name=request.name,
                                         description=request.description, emails=request.user_emails)
        return users_pb2.CreateGroupResponse(group=group_pb(view))

    async def ListGroups(self, request, context):
        views = await groups.list_groups(self.ctx, actor=principal())
        return users_pb2.ListGroupsResponse(groups=[group_pb(v) for v in views])

    async def AddGroupMembers(self, request, context):
        view = await groups.add_group_members(self.ctx, actor=principal(), group_hash=request.group_hash,
                                              emails=request.user_emails)
        return users_pb2.AddGroupMembersResponse(group=group_pb(view))

    async def RemoveGroupMembers(self, request, context):
        view = await groups.remove_group_members(self.ctx, actor=principal(), group_hash=request.group_hash,
                                                 emails=request.user_emails)
        return users_pb2.RemoveGroupMembersResponse(group=group_pb(view))

    async def ListProjectGroups(self, request, context):
        views = await groups.project_groups(self.ctx, actor=principal(), project_id=request.project_id)
        return users_pb2.ListProjectGroupsResponse(groups=[
            users_pb2.ProjectGroup(group_hash=v.group.group_hash, name=v.group.name, description=v.group.description,
                                   created_at=_ts(v.group.created_at), user_role=int(v.role))
            for v in views
        ])

    async def AddProjectGroups(self, request, context):
        await groups.add_project_groups(self.ctx, actor=principal(), project_id=request.project_id,
                                        group_hashes=request.group_hashes, role=request.user_role)
        return users_pb2.AddProjectGroupsResponse()

    async def RemoveProjectGroups(self, request, context):
        await groups.remove_project_groups(self.ctx, actor=principal(), project_id=request.project_id,
                                           group_hashes=request.group_hashes)
        return users_pb2.RemoveProjectGroupsResponse()
