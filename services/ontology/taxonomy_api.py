"""gRPC servicer of the taxonomy tree: translates protobuf to domain calls, nothing else."""

from __future__ import annotations

from copepod.v1 import taxonomy_pb2, taxonomy_pb2_grpc, users_pb2
from services.core.auth import principal
from services.core.errors import InvalidArgument, NotFound, PermissionDenied
from services.core.roles import MANAGE, allows
from services.ontology.domain.taxonomy.catalogue import Taxonomy
from services.ontology.domain.taxonomy.index import DEFAULT_RESULTS, MAX_RESULTS, TaxonIndex
from services.ontology.domain.taxonomy.model import TaxonNode

MAX_IDS = 1_000_000


def taxon_message(index: TaxonIndex, node: TaxonNode) -> taxonomy_pb2.Taxon:
    lineage = index.lineage(node.id)
    return taxonomy_pb2.Taxon(
        id=node.id, parent_id=node.parent_id, name=node.name, rank=node.rank, type=node.type,
        display_name=node.display_name, aphia_id=node.aphia_id, status=node.status, rename_to=node.rename_to,
        nbrobj=node.nbrobj, nbrobjcum=node.nbrobjcum, lineage=[n.name for n in lineage],
        id_lineage=[n.id for n in lineage], children=index.children(node.id))


def _known(index: TaxonIndex, taxon_id: int) -> TaxonNode:
    node = index.nodes.get(taxon_id)
    if node is None:
        raise NotFound()
    return node


def _bounded(values, what: str):
    if len(values) > MAX_IDS:
        raise InvalidArgument(f"{what}: at most {MAX_IDS} per call")
    return values


class TaxonomyServicer(taxonomy_pb2_grpc.TaxonomyServiceServicer):
    def __init__(self, ctx, taxonomy: Taxonomy) -> None:
        self.ctx = ctx
        self.taxonomy = taxonomy

    async def GetRoots(self, request, context):
        index = await self.taxonomy.ready()
        return taxonomy_pb2.GetRootsResponse(taxa=[taxon_message(index, n) for n in index.roots()])

    async def GetTaxon(self, request, context):
        index = await self.taxonomy.ready()
        return taxonomy_pb2.GetTaxonResponse(taxon=taxon_message(index, _known(index, request.taxon_id)))

    async def SearchTaxa(self, request, context):
        index = await self.taxonomy.ready()
        if request.nb_results < 0 or request.nb_results > MAX_RESULTS:
            raise InvalidArgument(f"nb_results: between 1 and {MAX_RESULTS}")
        hits = index.search(query=request.query, limit=request.nb_results or DEFAULT_RESULTS)
        return taxonomy_pb2.SearchTaxaResponse(
            hits=[taxonomy_pb2.SearchHit(id=h.id, text=h.text, rename_to=h.rename_to) for h in hits])

    async def QueryTaxa(self, request, context):
        index = await self.taxonomy.ready()
        ids = _bounded(request.ids, "ids")
        return taxonomy_pb2.QueryTaxaResponse(
            taxa=[taxon_message(index, index.nodes[i]) for i in dict.fromkeys(ids) if i in index.nodes])

    async def CreateTaxon(self, request, context):
        caller = principal()
        user_id = caller.require_user()
        if not caller.is_admin and not await self._manages_a_project(user_id):
            raise PermissionDenied()
        node = await self.taxonomy.create(
            actor_id=user_id, name=request.name, parent_id=request.parent_id, rank=request.rank,
            type=request.type or "P", aphia_id=request.aphia_id if request.HasField("aphia_id") else None)
        return taxonomy_pb2.CreateTaxonResponse(taxon=taxon_message(self.taxonomy.index, node))

    async def _manages_a_project(self, user_id: int) -> bool:
        rsp = await self.ctx.clients.users.ListUserProjects(
            users_pb2.ListUserProjectsRequest(user_id=user_id), metadata=self.ctx.clients.service_metadata(),
            timeout=10)
        return any(allows(p.role, MANAGE) for p in rsp.projects)

    async def ResolveNames(self, request, context):
        index = await self.taxonomy.ready()
        names = _bounded(request.names, "names")
        return taxonomy_pb2.ResolveNamesResponse(ids=[index.resolve(n) for n in names])

    async def ResolveIds(self, request, context):
        index = await self.taxonomy.ready()
        ids = _bounded(request.ids, "ids")
        return taxonomy_pb2.ResolveIdsResponse(exists=[i in index.nodes for i in ids])

    async def GetDescendants(self, request, context):
        index = await self.taxonomy.ready()
        _known(index, request.taxon_id)
        return taxonomy_pb2.GetDescendantsResponse(ids=index.descendants(request.taxon_id))

    async def GetLineage(self, request, context):
        index = await self.taxonomy.ready()
        _known(index, request.taxon_id)
        lineage = index.lineage(request.taxon_id)
        return taxonomy_pb2.GetLineageResponse(ids=[n.id for n in lineage], names=[n.name for n in lineage])
