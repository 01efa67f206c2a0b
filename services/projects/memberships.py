"""The users service as the projects domain sees it: memberships in, rewrites out. gRPC
failures become domain errors here."""

from __future__ import annotations

import logging
from typing import Sequence

import grpc

from copepod.v1 import users_pb2
from services.core.clients import ServiceClients
from services.core.errors import InvalidArgument, NotFound, Unavailable
from services.core.roles import ProjectRole
from services.projects.domain.types import Member, Memberships

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5


def _translate(exc: grpc.aio.AioRpcError) -> Exception:
    code, details = exc.code(), exc.details() or None
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument(details)
    if code == grpc.StatusCode.NOT_FOUND:
        # A user named in a members list who does not exist is bad input, not a missing project.
        return InvalidArgument(details or NotFound.default_message)
    # Anything else (unreachable, timed out, this service's token refused) is the dependency's fault.
    log.warning("users service call failed: %s %s", code.name, details)
    return Unavailable("The users service is unavailable.")


def _member(pb: users_pb2.ProjectMember) -> Member:
    return Member(user_id=pb.user.id, email=pb.user.email, name=pb.user.name, role=ProjectRole(pb.role),
                  contact=pb.contact)


class UsersMemberships:
    """Calls the users service as the projects service (service token)."""

    def __init__(self, clients: ServiceClients) -> None:
        self._clients = clients

    async def _call(self, rpc: str, request):
        method = getattr(self._clients.users, rpc)
        try:
            return await method(request, metadata=self._clients.service_metadata(), timeout=TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as exc:
            raise _translate(exc) from exc

    async def get(self, *, project_ids: Sequence[int], user_id: int | None) -> dict[int, Memberships]:
        if not project_ids:
            return {}
        rsp = await self._call("GetProjectMemberships", users_pb2.GetProjectMembershipsRequest(
            project_ids=list(project_ids), user_id=user_id or 0))
        return {
            p.project_id: Memberships(
                project_id=p.project_id,
                members=tuple(_member(m) for m in p.members),
                user_role=ProjectRole(p.user_role) if p.has_user_role else None,
            )
            for p in rsp.projects
        }

    async def roles_of_user(self, *, user_id: int) -> dict[int, ProjectRole]:
        rsp = await self._call("ListUserProjects", users_pb2.ListUserProjectsRequest(user_id=user_id))
        return {p.project_id: ProjectRole(p.role) for p in rsp.projects}

    async def init(self, *, project_id: int, creator_id: int, clone_of_id: int | None) -> None:
        await self._call("InitProjectMembers", users_pb2.InitProjectMembersRequest(
            project_id=project_id, creator_id=creator_id, clone_of_id=clone_of_id or 0))

    async def rewrite(self, *, project_id: int, rights: Sequence[tuple[int, str]], contact_id: int,
                      dry_run: bool) -> None:
        await self._call("SetProjectMembers", users_pb2.SetProjectMembersRequest(
            project_id=project_id, members=[users_pb2.MemberRight(user_id=u, right=r) for u, r in rights],
            contact_id=contact_id, dry_run=dry_run))
