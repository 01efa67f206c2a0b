"""gRPC servicer of the ontology service. Its RPCs arrive with the ontology domain."""

from copepod.v1 import ontology_pb2_grpc


class OntologyServicer(ontology_pb2_grpc.OntologyServiceServicer):
    def __init__(self, ctx) -> None:
        self.ctx = ctx
