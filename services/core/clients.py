"""gRPC channels to the other services, with the caller's token or this process's service
token in the metadata, and trace context added by the OpenTelemetry client interceptors."""

from __future__ import annotations

import time

import grpc

from copepod.v1 import (
    classification_pb2_grpc,
    datasets_pb2_grpc,
    jobs_pb2_grpc,
    labels_pb2_grpc,
    models_pb2_grpc,
    object_sets_pb2_grpc,
    objects_pb2_grpc,
    ontology_pb2_grpc,
    projects_pb2_grpc,
    taxonomy_pb2_grpc,
    user_files_pb2_grpc,
    users_pb2_grpc,
)
from services.core import telemetry
from services.core.auth import SERVICE_TOKEN_TTL, TokenCodec, current_token
from services.core.config import Settings

STUBS = {
    "users": users_pb2_grpc.UsersServiceStub,
    "projects": projects_pb2_grpc.ProjectsServiceStub,
    "ontology": ontology_pb2_grpc.OntologyServiceStub,
    # A second gRPC service of the ontology process, on the same channel.
    "taxonomy": taxonomy_pb2_grpc.TaxonomyServiceStub,
    # A second gRPC service of the projects process: EcoTaxa's samples, acquisitions, objects.
    "objects": objects_pb2_grpc.ObjectsServiceStub,
    # EcoTaxa's object-set queries, also served by the projects process.
    "object_sets": object_sets_pb2_grpc.ObjectSetsServiceStub,
    # Datasets and data units, also served by the projects process.
    "datasets": datasets_pb2_grpc.DatasetsServiceStub,
    "labels": labels_pb2_grpc.LabelsServiceStub,
    # A second gRPC service of the labels process: EcoTaxa classifications and their statistics.
    "classification": classification_pb2_grpc.ClassificationServiceStub,
    "models": models_pb2_grpc.ModelsServiceStub,
    # A third gRPC service of the projects process: each user's upload area.
    "user_files": user_files_pb2_grpc.UserFilesServiceStub,
}

# gRPC services served by another service's process.
CHANNEL_OF = {"taxonomy": "ontology", "objects": "projects", "datasets": "projects", "user_files": "projects",
              "classification": "labels", "object_sets": "projects"}

CHANNEL_OPTIONS = [
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
    ("grpc.max_send_message_length", 64 * 1024 * 1024),
]


class ServiceClients:
    """One channel per peer service, opened on first use."""

    def __init__(self, settings: Settings, codec: TokenCodec, *, me: str) -> None:
        self._settings = settings
        self._codec = codec
        self._me = me
        self._channels: dict[str, grpc.aio.Channel] = {}
        self._stubs: dict[str, object] = {}
        self._service_token: tuple[float, str] | None = None

    def channel(self, name: str) -> grpc.aio.Channel:
        ch = self._channels.get(name)
        if ch is None:
            ch = grpc.aio.insecure_channel(
                self._settings.service_addr(name),
                options=CHANNEL_OPTIONS,
                interceptors=telemetry.grpc_client_interceptors(),
            )
            self._channels[name] = ch
        return ch

    def stub(self, name: str):
        stub = self._stubs.get(name)
        if stub is None:
            stub = STUBS[name](self.channel(CHANNEL_OF.get(name, name)))
            self._stubs[name] = stub
        return stub

    def jobs(self, service: str) -> jobs_pb2_grpc.JobsServiceStub:
        """The jobs of one service (every service serves JobsService)."""
        key = f"jobs:{service}"
        stub = self._stubs.get(key)
        if stub is None:
            stub = jobs_pb2_grpc.JobsServiceStub(self.channel(service))
            self._stubs[key] = stub
        return stub

    @property
    def users(self) -> users_pb2_grpc.UsersServiceStub:
        return self.stub("users")

    @property
    def projects(self) -> projects_pb2_grpc.ProjectsServiceStub:
        return self.stub("projects")

    @property
    def ontology(self) -> ontology_pb2_grpc.OntologyServiceStub:
        return self.stub("ontology")

    @property
    def taxonomy(self) -> taxonomy_pb2_grpc.TaxonomyServiceStub:
        return self.stub("taxonomy")

    @property
    def objects(self) -> objects_pb2_grpc.ObjectsServiceStub:
        return self.stub("objects")

    @property
    def object_sets(self) -> object_sets_pb2_grpc.ObjectSetsServiceStub:
        return self.stub("object_sets")

    @property
    def datasets(self) -> datasets_pb2_grpc.DatasetsServiceStub:
        return self.stub("datasets")

    @property
    def labels(self) -> labels_pb2_grpc.LabelsServiceStub:
        return self.stub("labels")

    @property
    def classification(self) -> classification_pb2_grpc.ClassificationServiceStub:
        return self.stub("classification")

    def service_metadata(self) -> tuple[tuple[str, str], ...]:
        """Act as this service (internal calls)."""
        now = time.monotonic()
        if self._service_token is None or self._service_token[0] < now:
            token = self._codec.mint_service(self._me)
            self._service_token = (now + SERVICE_TOKEN_TTL / 2, token)
        return (("authorization", f"Bearer {self._service_token[1]}"),)

    def caller_metadata(self) -> tuple[tuple[str, str], ...]:
        """Act as the current caller (their token, as received)."""
        token = current_token.get()
        if not token:
            return self.service_metadata()
        return (("authorization", f"Bearer {token}"),)

    async def close(self) -> None:
        for ch in self._channels.values():
            await ch.close()
        self._channels.clear()
        self._stubs.clear()
