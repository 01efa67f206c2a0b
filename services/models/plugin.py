"""The models service: model rows, training, inference, prediction."""

from pathlib import Path

from copepod.v1 import models_pb2, models_pb2_grpc
from services.core.config import SERVICE_NUMBERS
from services.core.plugins import ServicePlugin
from services.core.tombstones import project_deleted_subscription
from services.models.grpc_api import ModelsServicer


def register(server, ctx) -> list[str]:
    models_pb2_grpc.add_ModelsServiceServicer_to_server(ModelsServicer(ctx), server)
    return [models_pb2.DESCRIPTOR.services_by_name["ModelsService"].full_name]


plugin = ServicePlugin(
    name="models",
    number=SERVICE_NUMBERS["models"],
    register=register,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda ctx: [project_deleted_subscription()],
)
