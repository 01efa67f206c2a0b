"""gRPC servicer of the models service. Its RPCs arrive with the models domain."""

from copepod.v1 import models_pb2_grpc


class ModelsServicer(models_pb2_grpc.ModelsServiceServicer):
    def __init__(self, ctx) -> None:
        self.ctx = ctx
