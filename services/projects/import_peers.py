"""The peers the EcoTaxa operations need (imports, object sets), as the projects service calls them:
taxa from the ontology service, annotators from the users service, and classifications staged
in the labels service. gRPC failures become domain errors here."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import grpc

from copepod.v1 import classification_pb2, taxonomy_pb2, users_pb2
from services.core.timestamps import to_micros
from services.core.clients import ServiceClients
from services.core.errors import InvalidArgument, NotFound, Unavailable

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60


class ImportPeers:
    def __init__(self, clients: ServiceClients) -> None:
        self._clients = clients

    async def _call(self, service: str, rpc: str, request):
        method = getattr(self._clients.stub(service), rpc)
        try:
            return await method(request, metadata=self._clients.service_metadata(), timeout=TIMEOUT_SECONDS)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument(exc.details()) from None
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound(exc.details()) from None
            log.warning("%s.%s failed: %s %s", service, rpc, exc.code().name, exc.details())
            raise Unavailable(f"The {service} service is unavailable.") from None

    async def taxa_by_name(self, names: Sequence[str]) -> list[int]:
        """Ids position by position: 0 unknown, -1 ambiguous."""
        rsp = await self._call("taxonomy", "ResolveNames", taxonomy_pb2.ResolveNamesRequest(names=list(names)))
        return list(rsp.ids)

    async def taxa_exist(self, ids: Sequence[int]) -> list[bool]:
        rsp = await self._call("taxonomy", "ResolveIds", taxonomy_pb2.ResolveIdsRequest(ids=list(ids)))
        return list(rsp.exists)

    async def users_by_ref(self, refs: Sequence[tuple[str, str]]) -> list[int]:
        """Ids position by position: 0 unknown, -1 a name several users share."""
        rsp = await self._call("users", "ResolveUsers", users_pb2.ResolveUsersRequest(
            refs=[users_pb2.UserRef(name=n, email=e) for n, e in refs]))
        return list(rsp.ids)

    async def user_exists(self, user_id: int) -> bool:
        try:
            await self._call("users", "GetUser", users_pb2.GetUserRequest(user_id=user_id))
        except NotFound:
            return False
        return True

    async def stage_classifications(self, *, job_id: int, project_id: int, rows: Sequence[dict]) -> None:
        """Rows: objid, classif_id, classif_qual, classif_who, classif_date (UTC), classif_score."""
        await self._call("classification", "StageClassifications", classification_pb2.StageClassificationsRequest(
            job_id=job_id, project_id=project_id, rows=_classifications(rows)))

    async def apply_classifications(self, *, project_id: int, rows: Sequence[dict], actor_id: int) -> int:
        """Update-mode imports: objects take these states (rows as for ``stage_classifications``)."""
        rsp = await self._call("classification", "ApplyClassifications", classification_pb2.ApplyClassificationsRequest(
            project_id=project_id, rows=_classifications(rows), actor_user_id=actor_id))
        return rsp.changed

    async def publish_classifications(self, *, job_id: int) -> int:
        rsp = await self._call("classification", "PublishClassifications",
                               classification_pb2.ClassificationJobRequest(job_id=job_id))
        return rsp.published

    async def discard_classifications(self, *, job_id: int) -> int:
        rsp = await self._call("classification", "DiscardClassifications",
                               classification_pb2.ClassificationJobRequest(job_id=job_id))
        return rsp.discarded

    async def descendants(self, ids: Sequence[int]) -> list[int]:
        """The taxa and all their descendants; an unknown id stands for itself."""
        found: set[int] = set()
        for taxon_id in dict.fromkeys(ids):
            if taxon_id in found:
                continue
            try:
                rsp = await self._call("taxonomy", "GetDescendants", taxonomy_pb2.GetDescendantsRequest(
                    taxon_id=taxon_id))
            except NotFound:
                found.add(taxon_id)
                continue
            found.update(rsp.ids)
            found.add(taxon_id)
        return sorted(found)

    async def taxa_by_id(self, ids: Sequence[int]) -> dict[int, dict]:
        """Known taxa by id, as EcoTaxa's taxonomy columns (name, display_name, parent_id...)."""
        if not ids:
            return {}
        rsp = await self._call("taxonomy", "QueryTaxa", taxonomy_pb2.QueryTaxaRequest(ids=sorted(set(ids))))
        return {t.id: {"id": t.id, "parent_id": t.parent_id if t.HasField("parent_id") else None, "name": t.name,
                       "display_name": t.display_name, "taxotype": t.type, "taxostatus": t.status,
                       "rename_to": t.rename_to if t.HasField("rename_to") else None,
                       "aphia_id": t.aphia_id if t.HasField("aphia_id") else None, "nbrobj": t.nbrobj,
                       "nbrobjcum": t.nbrobjcum} for t in rsp.taxa}



def _classifications(rows: Sequence[dict]) -> list[classification_pb2.Classification]:
    out = []
    for r in rows:
        row = classification_pb2.Classification(
            objid=r["objid"], classif_id=r.get("classif_id") or 0, classif_qual=r.get("classif_qual") or "",
            classif_who=r.get("classif_who") or 0, classif_when_us=to_micros(r.get("classif_date")))
        if r.get("classif_score") is not None:
            row.classif_score = r["classif_score"]
        out.append(row)
    return out
