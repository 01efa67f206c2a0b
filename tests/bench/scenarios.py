"""What the benchmark measures, each through the gateway (REST) and directly over gRPC to the
projects service with the same token, so the gateway's own cost shows as the difference."""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass

import grpc
import httpx

from copepod.v1 import ontology_pb2, ontology_pb2_grpc, projects_pb2, projects_pb2_grpc
from tests.bench.load import Call


@dataclass
class Target:
    """Clients bound to one running platform, acting as one user."""

    http: httpx.AsyncClient
    projects: projects_pb2_grpc.ProjectsServiceStub
    metadata: tuple[tuple[str, str], ...]
    project_ids: list[int]
    search_window: int | None  # None: the full list
    ontology: ontology_pb2_grpc.OntologyServiceStub | None = None
    ontology_hash: str = ""


def _pick(ids: list[int]):
    rng = random.Random(1)
    return lambda: rng.choice(ids)


def get_project(target: Target) -> dict[str, Call]:
    pick = _pick(target.project_ids)

    async def rest(_worker: int) -> bool:
        return (await target.http.get(f"/projects/{pick()}")).status_code == 200

    async def direct(_worker: int) -> bool:
        rsp = await target.projects.GetProject(projects_pb2.GetProjectRequest(project_id=pick()),
                                               metadata=target.metadata, timeout=10)
        return rsp.project.projid > 0

    return {"gateway": rest, "grpc": direct}


def search_projects(target: Target) -> dict[str, Call]:
    params = {} if target.search_window is None else {"window_size": target.search_window}
    request = projects_pb2.SearchProjectsRequest(**params)
    expected = min(len(target.project_ids), target.search_window or len(target.project_ids))

    async def rest(_worker: int) -> bool:
        rsp = await target.http.get("/projects/search", params=params)
        return rsp.status_code == 200 and len(rsp.json()) >= expected

    async def direct(_worker: int) -> bool:
        rsp = await target.projects.SearchProjects(request, metadata=target.metadata, timeout=10)
        return len(rsp.projects) >= expected

    return {"gateway": rest, "grpc": direct}


def create_project(target: Target) -> dict[str, Call]:
    run = uuid.uuid4().hex[:8]
    numbers = itertools.count()

    async def rest(_worker: int) -> bool:
        rsp = await target.http.post("/projects/create", json={"title": f"bench {run} rest {next(numbers)}"})
        return rsp.status_code == 200

    async def direct(_worker: int) -> bool:
        rsp = await target.projects.CreateProject(
            projects_pb2.CreateProjectRequest(title=f"bench {run} grpc {next(numbers)}"),
            metadata=target.metadata, timeout=10)
        return rsp.projid > 0

    return {"gateway": rest, "grpc": direct}


def get_ontology(target: Target) -> dict[str, Call]:
    async def rest(_worker: int) -> bool:
        return (await target.http.get(f"/ontologies/{target.ontology_hash}")).status_code == 200

    async def direct(_worker: int) -> bool:
        rsp = await target.ontology.GetOntology(ontology_pb2.GetOntologyRequest(ontology_hash=target.ontology_hash),
                                                metadata=target.metadata, timeout=10)
        return rsp.ontology.ontology_hash == target.ontology_hash

    return {"gateway": rest, "grpc": direct}


# An ontology of the size annotation projects use: a dozen objects and classifications.
BENCH_ONTOLOGY = {
    "objects": [{"name": f"object {n}", "shape": shape, "attributes": [
        {"name": "occluded", "type": "checklist", "options": [{"label": "yes"}, {"label": "partly"}]}]}
        for n, shape in enumerate(["bounding_box", "polygon", "point", "polyline", "bitmask",
                                   "rotatable_bounding_box"] * 2)],
    "classifications": [{"attributes": [{"name": f"question {n}", "type": "radio", "required": True,
                                         "options": [{"label": f"answer {k}"} for k in range(5)]}]}
                        for n in range(6)],
}


SCENARIOS = {
    "get_project": ("GET /projects/{id}", get_project),
    "search_projects": ("GET /projects/search", search_projects),
    "create_project": ("POST /projects/create", create_project),
    "get_ontology": ("GET /ontologies/{hash}", get_ontology),
}


def grpc_channel(addr: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(addr)
