"""The caller's standing on a project, asked of the projects service as the caller: for services
that keep per-project data (ontology attachments, label rows) and must apply the project's rights.

A standing granted is remembered for ``ttl`` seconds (1 by default) per caller token, project and
kind of access, so an editor saving every few hundred milliseconds or a script walking pages asks
once a second, not on every call; a right taken away therefore lasts at most that long. Refusals
are never remembered."""

from __future__ import annotations

import time
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
    MAX_REMEMBERED = 10_000

    def __init__(self, clients: ServiceClients, ttl: float = 1.0) -> None:
        self._clients = clients
        self._ttl = ttl
        self._granted: dict[tuple, tuple[float, ProjectStanding]] = {}

    async def check(self, *, project_id: int, manage: bool = False) -> ProjectStanding:
        """The caller may read (or manage) the project; NotFound/PermissionDenied otherwise."""
        metadata = self._clients.caller_metadata()
        key = (metadata, project_id, manage)
        now = time.monotonic()
        remembered = self._granted.get(key)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        standing = await self._ask(project_id=project_id, manage=manage, metadata=metadata)
        if len(self._granted) >= self.MAX_REMEMBERED:
            self._granted = {k: v for k, v in self._granted.items() if v[0] > now}
            if len(self._granted) >= self.MAX_REMEMBERED:
                self._granted.clear()
        self._granted[key] = (now + self._ttl, standing)
        return standing

    async def _ask(self, *, project_id: int, manage: bool, metadata) -> ProjectStanding:
        request = projects_pb2.GetProjectRequest(project_id=project_id, for_managing=manage)
        try:
            rsp = await self._clients.projects.GetProject(request, metadata=metadata, timeout=RPC_TIMEOUT)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound() from exc
            if exc.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED):
                raise PermissionDenied() from exc
            raise Unavailable("The projects service is unavailable.") from exc
        project = rsp.project
        role = ProjectRole(project.caller_role) if project.HasField("caller_role") else None
        return ProjectStanding(role=role, right=project.highest_right)
