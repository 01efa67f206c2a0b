"""gRPC servicer of the labels service. Its RPCs arrive with the labels domain."""

from copepod.v1 import labels_pb2_grpc


class LabelsServicer(labels_pb2_grpc.LabelsServiceServicer):
    def __init__(self, ctx) -> None:
        self.ctx = ctx
