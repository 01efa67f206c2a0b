"""The caller's rights on a project, asked of the projects service as the caller."""

from __future__ import annotations

import grpc

from copepod.v1 import projects_pb2
from services.core.clients import ServiceClients
from services.core.errors import NotFound, PermissionDenied, Unavailable

RPC_TIMEOUT = 5


class ProjectAccess:
    def __init__(self, clients: ServiceClients) -> None:
        self._clients = clients

    async def check(self, *, project_id: int, manage: bool) -> None:
        request = projects_pb2.GetProjectRequest(project_id=project_id, for_managing=manage)
        try:
            await self._clients.projects.GetProject(request, metadata=self._clients.caller_metadata(),
                                                    timeout=RPC_TIMEOUT)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound() from exc
            if exc.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED):
                raise PermissionDenied() from exc
            raise Unavailable("The projects service is unavailable.") from exc
