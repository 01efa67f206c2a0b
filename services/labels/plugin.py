"""The labels service: label rows, classifications, workflow, reviews, logs, timers, stats."""

from pathlib import Path

from copepod.v1 import labels_pb2, labels_pb2_grpc
from services.core.plugins import ServicePlugin
from services.core.tombstones import project_deleted_subscription
from services.labels.grpc_api import LabelsServicer


def register(server, ctx) -> list[str]:
    labels_pb2_grpc.add_LabelsServiceServicer_to_server(LabelsServicer(ctx), server)
    return [labels_pb2.DESCRIPTOR.services_by_name["LabelsService"].full_name]


plugin = ServicePlugin(
    name="labels",
    number=4,
    register=register,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda ctx: [project_deleted_subscription()],
)
