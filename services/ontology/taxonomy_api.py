"""gRPC servicer of the taxonomy tree. Its RPCs arrive with the taxonomy domain."""

from copepod.v1 import taxonomy_pb2_grpc


class TaxonomyServicer(taxonomy_pb2_grpc.TaxonomyServiceServicer):
    def __init__(self, ctx) -> None:
        self.ctx = ctx
