"""The labels service: label rows, classifications, workflow, reviews, logs, timers, stats."""

from pathlib import Path

from copepod.v1 import classification_pb2, classification_pb2_grpc, labels_pb2, labels_pb2_grpc
from services.core.bus import Listener
from services.core.config import SERVICE_NUMBERS
from services.core.plugins import ServicePlugin
from services.core.project_access import ProjectAccess
from services.labels.classification_api import ClassificationServicer
from services.labels.domain.labelling.coco_ops import COCO_IMPORT, coco_import_job
from services.labels.domain.labelling.ports import Deps
from services.labels.domain.labelling.sync_job import sync_dataset_job
from services.labels.events import SYNC_DATASET, LabelEvents, subscriptions
from services.labels.grpc_api import LabelsServicer
from services.labels.peers import ProjectOntologies, ProjectUnits, Taxa

ONTOLOGY_EVENTS = ("copepod.ontology.ontology.updated", "copepod.ontology.ontology.attached")


def deps_of(ctx) -> Deps:
    if "deps" not in ctx.state:
        ctx.state["deps"] = Deps(db=ctx.db, events=LabelEvents(ctx.bus), projects=ProjectAccess(ctx.clients),
                                 units=ProjectUnits(ctx.clients), ontology=ProjectOntologies(ctx.clients), taxa=Taxa(ctx.clients),
                                 jobs=ctx.jobs, spool_dir=(ctx.settings.data_dir / "spool").resolve())
    return ctx.state["deps"]


def register(server, ctx) -> list[str]:
    labels_pb2_grpc.add_LabelsServiceServicer_to_server(LabelsServicer(deps_of(ctx)), server)
    classification_pb2_grpc.add_ClassificationServiceServicer_to_server(ClassificationServicer(deps_of(ctx)), server)
    return [labels_pb2.DESCRIPTOR.services_by_name["LabelsService"].full_name,
            classification_pb2.DESCRIPTOR.services_by_name["ClassificationService"].full_name]


def listeners(ctx) -> list[Listener]:
    """An ontology edited or attached anywhere: validate the next saves against it at once."""
    from copepod.v1 import events_pb2

    ontologies = deps_of(ctx).ontology

    def forget(_event, _msg) -> None:
        ontologies.forget()

    return [Listener(subject=s, message=events_pb2.OntologyEvent, handler=forget) for s in ONTOLOGY_EVENTS]


plugin = ServicePlugin(
    name="labels",
    number=SERVICE_NUMBERS["labels"],
    register=register,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda ctx: subscriptions(deps_of(ctx), ctx.jobs),
    listeners=listeners,
    job_kinds=lambda ctx: {SYNC_DATASET: sync_dataset_job(deps_of(ctx)), COCO_IMPORT: coco_import_job(deps_of(ctx))},
)
