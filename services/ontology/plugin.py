"""The ontology service: Encord ontologies (``OntologyService``) and the EcoTaxa taxonomy tree
(``TaxonomyService``), two gRPC services in one process sharing one database."""

from pathlib import Path

from copepod.v1 import ontology_pb2, ontology_pb2_grpc, taxonomy_pb2, taxonomy_pb2_grpc

from services.core.config import SERVICE_NUMBERS
from services.core.plugins import ServicePlugin
from services.core.project_access import ProjectAccess
from services.core.tombstones import project_deleted_subscription
from services.ontology.domain.ontologies.ports import Deps as OntologyDeps
from services.ontology.domain.taxonomy.catalogue import Taxonomy
from services.ontology.domain.taxonomy.starter import starter_taxa
from services.ontology.events import (
    OntologyEvents,
    project_deleted_attachments_subscription,
)
from services.ontology.grpc_api import OntologyServicer
from services.ontology.taxonomy_api import TaxonomyServicer
from services.ontology.taxonomy_events import index_refresh_listeners


def taxonomy_of(ctx) -> Taxonomy:
    if "taxonomy" not in ctx.state:
        ctx.state["taxonomy"] = Taxonomy(sessions=ctx.db, bus=ctx.bus)
    return ctx.state["taxonomy"]


async def on_start(ctx) -> None:
    taxonomy = taxonomy_of(ctx)
    await taxonomy.load_starter_if_empty(nodes=starter_taxa())
    await taxonomy.ready()


def ontology_deps(ctx) -> OntologyDeps:
    if "ontology_deps" not in ctx.state:
        ctx.state["ontology_deps"] = OntologyDeps(db=ctx.db, events=OntologyEvents(ctx.bus),
                                                  projects=ProjectAccess(ctx.clients))
    return ctx.state["ontology_deps"]


def register(server, ctx) -> list[str]:
    ontology_pb2_grpc.add_OntologyServiceServicer_to_server(OntologyServicer(ontology_deps(ctx)), server)
    taxonomy_pb2_grpc.add_TaxonomyServiceServicer_to_server(TaxonomyServicer(ctx, taxonomy_of(ctx)), server)
    return [ontology_pb2.DESCRIPTOR.services_by_name["OntologyService"].full_name,
            taxonomy_pb2.DESCRIPTOR.services_by_name["TaxonomyService"].full_name]


plugin = ServicePlugin(
    name="ontology",
    number=SERVICE_NUMBERS["ontology"],
    register=register,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda ctx: [project_deleted_subscription(), project_deleted_attachments_subscription()],
    listeners=lambda ctx: index_refresh_listeners(taxonomy_of(ctx)),
    on_start=on_start,
)
