"""The ontology service: Encord ontologies (``OntologyService``) and the EcoTaxa taxonomy tree
(``TaxonomyService``), two gRPC services in one process sharing one database."""

from pathlib import Path

from copepod.v1 import ontology_pb2, ontology_pb2_grpc, taxonomy_pb2, taxonomy_pb2_grpc
from services.core.plugins import ServicePlugin
from services.core.tombstones import project_deleted_subscription
from services.ontology.grpc_api import OntologyServicer
from services.ontology.taxonomy_api import TaxonomyServicer


def register(server, ctx) -> list[str]:
    ontology_pb2_grpc.add_OntologyServiceServicer_to_server(OntologyServicer(ctx), server)
    taxonomy_pb2_grpc.add_TaxonomyServiceServicer_to_server(TaxonomyServicer(ctx), server)
    return [ontology_pb2.DESCRIPTOR.services_by_name["OntologyService"].full_name,
            taxonomy_pb2.DESCRIPTOR.services_by_name["TaxonomyService"].full_name]


plugin = ServicePlugin(
    name="ontology",
    number=3,
    register=register,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda ctx: [project_deleted_subscription()],
)
