"""The labels service's view of its peers: unit descriptions and dataset pages from the projects
service (as this service), and the project's ontology from the ontology service (as the caller),
kept ready for validation per ontology version."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import grpc

from copepod.v1 import datasets_pb2, ontology_pb2
from services.core.clients import ServiceClients
from services.core.errors import Unavailable
from services.labels.domain.labelling.ports import UnitDescription
from services.labels.domain.rows.validation import OntologyIndex, index_ontology

RPC_TIMEOUT = 10
PAGE = 1000


def _opt(msg, name):
    return getattr(msg, name) if msg.HasField(name) else None


def describe_units(d: datasets_pb2.UnitDescription) -> UnitDescription:
    u = d.unit
    if u.data_type == "video":
        units = [{"hash": u.data_hash, "title": u.title, "mime": u.media_type, "sequence": 0,
                  "width": _opt(u, "width"), "height": _opt(u, "height"), "frames": _opt(u, "frames"),
                  "fps": _opt(u, "fps"), "duration": _opt(u, "duration"), "link": d.file_link or None}]
    else:
        single = u.data_type != "img_group"
        units = [{"hash": u.data_hash if single else i.image_hash, "title": u.title if single else i.title,
                  "mime": i.media_type, "sequence": i.rank, "width": i.width, "height": i.height, "frames": 1,
                  "fps": None, "duration": None, "link": i.file_link or None} for i in d.images]
    return UnitDescription(data_hash=u.data_hash, dataset_hash=u.dataset_hash, dataset_title=d.dataset_title,
                           title=u.title, data_type=u.data_type,
                           client_metadata=json.loads(u.client_metadata_json or "{}"), units=units)


class ProjectUnits:
    def __init__(self, clients: ServiceClients) -> None:
        self._clients = clients

    async def describe(self, *, data_hashes: Sequence[str], signed: bool = False) -> list[UnitDescription]:
        out: list[UnitDescription] = []
        for start in range(0, len(data_hashes), PAGE):
            request = datasets_pb2.DescribeUnitsRequest(data_hashes=list(data_hashes[start:start + PAGE]),
                                                        get_signed_url=signed)
            rsp = await self._call(self._clients.datasets.DescribeUnits, request)
            out.extend(describe_units(d) for d in rsp.units)
        if not signed:  # links are never kept
            for d in out:
                for unit in d.units:
                    unit.pop("link", None)
        return out

    async def dataset_units(self, *, dataset_hash: str, page_token: str) -> tuple[list[str], str]:
        rsp = await self._call(self._clients.datasets.ListData, datasets_pb2.ListDataRequest(
            dataset_hash=dataset_hash, page_size=PAGE, page_token=page_token))
        return [u.data_hash for u in rsp.units], rsp.next_page_token

    async def _call(self, rpc, request):
        try:
            return await rpc(request, metadata=self._clients.service_metadata(), timeout=RPC_TIMEOUT)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise
            raise Unavailable("The projects service is unavailable.") from exc


class ProjectOntologies:
    """The project's ontology as an index, asked of the ontology service at most every
    ``ttl`` seconds per project; an index is built once per (ontology, version)."""

    def __init__(self, clients: ServiceClients, ttl: float = 2.0) -> None:
        self._clients = clients
        self._ttl = ttl
        self._projects: dict[int, tuple[float, tuple[str, int] | None]] = {}
        self._indexes: dict[tuple[str, int], OntologyIndex] = {}

    def forget(self, *, project_id: int | None = None) -> None:
        if project_id is None:
            self._projects.clear()
        else:
            self._projects.pop(project_id, None)

    async def index_of(self, *, project_id: int) -> OntologyIndex | None:
        cached = self._projects.get(project_id)
        if cached is not None and cached[0] > time.monotonic():
            return self._indexes.get(cached[1]) if cached[1] else None
        try:
            rsp = await self._clients.ontology.GetProjectOntology(
                ontology_pb2.GetProjectOntologyRequest(project_id=project_id),
                metadata=self._clients.caller_metadata(), timeout=RPC_TIMEOUT)
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise Unavailable("The ontology service is unavailable.") from exc
            self._projects[project_id] = (time.monotonic() + self._ttl, None)
            return None
        key = (rsp.ontology.ontology_hash, rsp.ontology.version)
        if key not in self._indexes:
            self._indexes[key] = index_ontology(json.loads(rsp.ontology.structure))
        self._projects[project_id] = (time.monotonic() + self._ttl, key)
        return self._indexes[key]


class Taxa:
    """The taxonomy of the ontology service, as this service."""

    def __init__(self, clients: ServiceClients) -> None:
        self._clients = clients

    async def exist(self, ids: Sequence[int]) -> list[bool]:
        from copepod.v1 import taxonomy_pb2

        try:
            rsp = await self._clients.taxonomy.ResolveIds(taxonomy_pb2.ResolveIdsRequest(ids=list(ids)),
                                                          metadata=self._clients.service_metadata(),
                                                          timeout=RPC_TIMEOUT)
        except grpc.aio.AioRpcError:
            raise Unavailable("The taxonomy is unavailable.") from None
        return list(rsp.exists)
