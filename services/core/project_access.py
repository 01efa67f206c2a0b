"""The caller's standing on a project, asked of the projects service as the caller: for services
that keep per-project data (ontology attachments, label rows) and must apply the project's rights."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from copepod.v1 import projects_pb2
from services.core.clients import ServiceClients
from services.core.errors import NotFound, PermissionDenied, Unavailable
from services.core.roles import ProjectRole

RPC_TIMEOUT = 5


@dataclass(frozen=True, slots=True)
class ProjectStanding:
    role: ProjectRole | None   # the caller's Encord role; None: no membership (administrators, services)
    right: str                 # EcoTaxa's highest right: "Manage", "Annotate", "View" or ""


class ProjectAccess:
    def __init__(self, clients: ServiceClients) -> None:
        self._clients = clients

    async def check(self, *, project_id: int, manage: bool = False) -> ProjectStanding:
        """The caller may read (or manage) the project; NotFound/PermissionDenied otherwise."""
        request = projects_pb2.GetProjectRequest(project_id=project_id, for_managing=manage)
        try:
            rsp = await self._clients.projects.GetProject(request, metadata=self._clients.caller_metadata(),
                                                          timeout=RPC_TIMEOUT)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound() from exc
            if exc.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED):
                raise PermissionDenied() from exc
            raise Unavailable("The projects service is unavailable.") from exc
        project = rsp.project
        role = ProjectRole(project.caller_role) if project.HasField("caller_role") else None
        return ProjectStanding(role=role, right=project.highest_right)
