"""The projects service: projects (EcoTaxa ProjectsApi and Encord project fields)."""

from pathlib import Path

from copepod.v1 import projects_pb2, projects_pb2_grpc
from services.core.plugins import ServicePlugin
from services.projects.domain.ports import Deps
from services.projects.events import ProjectEvents
from services.projects.grpc_api import ProjectsServicer
from services.projects.memberships import UsersMemberships


def register(server, ctx) -> list[str]:
    deps = Deps(db=ctx.db, events=ProjectEvents(ctx.bus), memberships=UsersMemberships(ctx.clients))
    projects_pb2_grpc.add_ProjectsServiceServicer_to_server(ProjectsServicer(deps), server)
    return [projects_pb2.DESCRIPTOR.services_by_name["ProjectsService"].full_name]


plugin = ServicePlugin(
    name="projects",
    number=2,
    register=register,
    migrations=Path(__file__).parent / "migrations",
)
