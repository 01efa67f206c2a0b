"""The projects service: projects (EcoTaxa ProjectsApi and Encord project fields)."""

from pathlib import Path

from copepod.v1 import events_pb2, objects_pb2, objects_pb2_grpc, projects_pb2, projects_pb2_grpc
from copepod.v1 import user_files_pb2, user_files_pb2_grpc
from copepod.v1 import datasets_pb2, datasets_pb2_grpc
from services.core.bus import Listener, Subscription
from services.core.timestamps import from_micros
from services.core.config import SERVICE_NUMBERS
from services.core.plugins import ServicePlugin
from services.projects.domain.hierarchy.events import HierarchyEvents
from services.projects.domain.ontology import record_ontology
from services.projects.domain.ports import Deps
from services.projects.domain.ecotaxa.file_import import FILE_IMPORT
from services.projects.domain.ecotaxa.import_job import file_import_job
from services.projects.domain.ecotaxa.simple_import import SIMPLE_IMPORT, simple_import_job
from services.projects.domain.ecotaxa.ports import ImportDeps
from services.projects.events import ProjectEvents
from services.projects.import_peers import ImportPeers
from services.projects.hierarchy_store import copy_classifications
from services.projects.store import apply_counters
from services.projects.grpc_api import ProjectsServicer
from services.projects.datasets_api import DatasetsServicer, dataset_deps
from services.projects.domain.datasets.upload import UPLOAD_JOB
from services.projects.domain.datasets.upload_job import upload_job
from services.projects.hierarchy_api import ObjectsServicer
from services.projects.domain.user_files import UserFiles
from services.projects.user_files_api import UserFilesServicer
from services.projects.membership_cache import CachedMemberships
from services.projects.project_cache import ProjectCache
from services.projects.memberships import UsersMemberships


def _naive_utc(when):
    """The classification copy keeps naive UTC times."""
    return when.replace(tzinfo=None) if when else None


def _deps(ctx) -> Deps:
    """Built once per service context, shared by the servicer and the listeners."""
    if "deps" not in ctx.state:
        memberships = CachedMemberships(UsersMemberships(ctx.clients),
                                        ttl_seconds=ctx.settings.read_cache_seconds)
        rows = ProjectCache(ttl_seconds=ctx.settings.read_cache_seconds)
        ctx.bus.on_reconnect.extend([memberships.forget_all, rows.forget_all])
        ctx.state["deps"] = Deps(db=ctx.db, events=ProjectEvents(ctx.bus, rows), memberships=memberships, rows=rows)
    return ctx.state["deps"]


def _import_deps(ctx) -> ImportDeps:
    if "import_deps" not in ctx.state:
        ctx.state["import_deps"] = ImportDeps(data=dataset_deps(ctx, _deps(ctx)), hierarchy_events=HierarchyEvents(ctx.bus),
                                              peers=ImportPeers(ctx.clients), settings=ctx.settings)
    return ctx.state["import_deps"]


def register(server, ctx) -> list[str]:
    projects_pb2_grpc.add_ProjectsServiceServicer_to_server(
        ProjectsServicer(_deps(ctx), imports=lambda: _import_deps(ctx)), server)
    objects_pb2_grpc.add_ObjectsServiceServicer_to_server(
        ObjectsServicer(_deps(ctx), HierarchyEvents(ctx.bus), imports=lambda: _import_deps(ctx)), server)
    user_files_pb2_grpc.add_UserFilesServiceServicer_to_server(UserFilesServicer(UserFiles(ctx.settings)), server)
    datasets_pb2_grpc.add_DatasetsServiceServicer_to_server(DatasetsServicer(dataset_deps(ctx, _deps(ctx))), server)
    from copepod.v1 import object_sets_pb2, object_sets_pb2_grpc
    from services.projects.object_sets_api import ObjectSetsServicer
    object_sets_pb2_grpc.add_ObjectSetsServiceServicer_to_server(
        ObjectSetsServicer(_deps(ctx), ImportPeers(ctx.clients)), server)
    return [datasets_pb2.DESCRIPTOR.services_by_name["DatasetsService"].full_name,
            object_sets_pb2.DESCRIPTOR.services_by_name["ObjectSetsService"].full_name,
            projects_pb2.DESCRIPTOR.services_by_name["ProjectsService"].full_name,
            objects_pb2.DESCRIPTOR.services_by_name["ObjectsService"].full_name,
            user_files_pb2.DESCRIPTOR.services_by_name["UserFilesService"].full_name]


def listeners(ctx) -> list[Listener]:
    deps = _deps(ctx)
    cache: CachedMemberships = deps.memberships
    return [
        # Writes made by another replica of this service.
        Listener(subject="copepod.projects.project.*", message=events_pb2.ProjectEvent,
                 handler=lambda event, msg: deps.rows.forget(msg.project_id)),
        Listener(subject="copepod.users.membership.changed", message=events_pb2.MembershipEvent,
                 handler=lambda event, msg: cache.forget_project(msg.project_id)),
        Listener(subject="copepod.users.user.*", message=events_pb2.UserEvent,
                 handler=lambda event, msg: cache.forget_all()),
    ]


def subscriptions(ctx) -> list[Subscription]:
    deps = _deps(ctx)

    async def on_attached(session, event, msg: events_pb2.OntologyEvent) -> None:
        await record_ontology(session=session, events=deps.events, project_id=msg.project_id,
                              ontology_hash=msg.ontology_hash, actor_id=msg.actor_user_id or None)

    async def on_counters(session, event, msg: events_pb2.ProjectStatsEvent) -> None:
        if await apply_counters(session, project_id=msg.project_id, version=msg.version, objcount=msg.objcount,
                                nb_validated=msg.nb_validated, nb_classified=msg.nb_classified):
            deps.rows.forget_on_commit(session, msg.project_id)

    async def on_classifications(session, event, msg: events_pb2.ClassificationEvent) -> None:
        await copy_classifications(session, project_id=msg.project_id, rows=[{
            "objid": r.objid, "classif_id": r.classif_id or None, "classif_qual": r.classif_qual or None,
            "classif_who": r.classif_who or None,
            "classif_date": _naive_utc(from_micros(r.classif_when_us)),
            "classif_score": r.classif_score if r.HasField("classif_score") else None} for r in msg.rows])

    return [Subscription(subject="copepod.ontology.ontology.attached", name="ontology-attached",
                         message=events_pb2.OntologyEvent, handler=on_attached),
            # The object counters of ProjectModel, kept by the labels service (docs/classification.md).
            Subscription(subject="copepod.labels.project_stats.changed", name="project-counters",
                         message=events_pb2.ProjectStatsEvent, handler=on_counters),
            # The objects' classifications, for object-set queries (docs/classification.md).
            Subscription(subject="copepod.labels.classification.changed", name="classification-copy",
                         message=events_pb2.ClassificationEvent, handler=on_classifications)]


plugin = ServicePlugin(
    name="projects",
    number=SERVICE_NUMBERS["projects"],
    register=register,
    migrations=Path(__file__).parent / "migrations",
    listeners=listeners,
    subscriptions=subscriptions,
    job_kinds=lambda ctx: {UPLOAD_JOB: upload_job(dataset_deps(ctx, _deps(ctx))),
                           FILE_IMPORT: file_import_job(_import_deps(ctx)),
                           SIMPLE_IMPORT: simple_import_job(_import_deps(ctx))},
)
