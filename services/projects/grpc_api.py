"""gRPC servicer of the projects service: protobuf <-> domain calls, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from google.protobuf.timestamp_pb2 import Timestamp

from copepod.v1 import common_pb2, projects_pb2, projects_pb2_grpc
from services.core.auth import principal
from services.projects.domain.create import create_project
from services.projects.domain.delete import delete_project
from services.projects.domain.ecotaxa import maintenance
from services.projects.domain.ecotaxa.ports import ImportDeps
from services.projects.domain.ports import Deps
from services.projects.domain.read import get_project, search_projects
from services.projects.domain.rules import MEMBER_FIELDS, WRITABLE_FIELDS
from services.projects.domain.types import Member, ProjectView, SearchRequest
from services.projects.domain.update import update_project

SCALAR_FIELDS = ("title", "description", "visible", "license", "status", "instrument", "instrument_url",
                 "objcount", "pctvalidated", "pctclassified", "comments", "rf_models_used", "cnn_network_id")
SUMMARY_SKIPPED_TEXT = ("classifsettings", "classiffieldlist", "popoverfieldlist")
MAP_FIELDS = ("obj_free_cols", "sample_free_cols", "acquisition_free_cols", "process_free_cols", "bodc_variables")


def _timestamp(value: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value.replace(tzinfo=timezone.utc))
    return ts


def _min_user(member: Member) -> common_pb2.MinUser:
    return common_pb2.MinUser(id=member.user_id, email=member.email, name=member.name)


def project_to_pb(view: ProjectView) -> projects_pb2.Project:
    p = view.project
    msg = projects_pb2.Project(
        projid=p.projid, project_hash=p.project_hash, ontology_hash=p.ontology_hash or "",
        init_classif_list=p.init_classif_list, highest_right=view.highest_right,
        managers=[_min_user(m) for m in view.managers], annotators=[_min_user(m) for m in view.annotators],
        viewers=[_min_user(m) for m in view.viewers],
        created_at=_timestamp(p.created_at), last_edited_at=_timestamp(p.last_edited_at),
        **{name: getattr(p, name) for name in SCALAR_FIELDS},
    )
    if view.caller_role is not None:
        msg.caller_role = int(view.caller_role)
    if not view.summary:
        for name in SUMMARY_SKIPPED_TEXT:
            setattr(msg, name, getattr(p, name))
        for name in MAP_FIELDS:
            getattr(msg, name).update({k: str(v) for k, v in getattr(p, name).items()})
    if view.contact is not None:
        msg.contact.CopyFrom(_min_user(view.contact))
    return msg


def update_values(project: projects_pb2.Project) -> dict:
    """The request's writable fields as plain values (members by id, the contact's id or None)."""
    values = {name: getattr(project, name) for name in WRITABLE_FIELDS}
    values["init_classif_list"] = list(project.init_classif_list)
    values["bodc_variables"] = dict(project.bodc_variables)
    for name in MEMBER_FIELDS[:3]:
        values[name] = [u.id for u in getattr(project, name)]
    values["contact"] = project.contact.id if project.HasField("contact") and project.contact.id else None
    return values


class ProjectsServicer(projects_pb2_grpc.ProjectsServiceServicer):
    def __init__(self, deps: Deps, imports: Callable[[], ImportDeps]) -> None:
        self.deps = deps
        self.imports = imports  # hierarchy events and the blob store, for maintenance

    def _ecotaxa(self) -> ImportDeps:
        return self.imports()

    async def CreateProject(self, request, context):
        project = await create_project(
            deps=self.deps, caller=principal(), title=request.title, instrument=request.instrument,
            visible=request.visible if request.HasField("visible") else True, description=request.description,
            clone_of_id=request.clone_of_id or None,
        )
        return projects_pb2.CreateProjectResponse(projid=project.projid, project_hash=project.project_hash)

    async def GetProject(self, request, context):
        view = await get_project(deps=self.deps, caller=principal(), project_id=request.project_id or None,
                                 project_hash=request.project_hash or None, for_managing=request.for_managing)
        return projects_pb2.GetProjectResponse(project=project_to_pb(view))

    async def UpdateProject(self, request, context):
        await update_project(deps=self.deps, caller=principal(), project_id=request.project_id,
                             values=update_values(request.project), present=list(request.present_fields))
        return projects_pb2.UpdateProjectResponse()

    async def SearchProjects(self, request, context):
        search = SearchRequest(
            not_granted=request.not_granted or request.also_others, for_managing=request.for_managing,
            title_filter=request.title_filter, instrument_filter=request.instrument_filter,
            filter_subset=request.filter_subset, order_field=request.order_field, summary=request.summary,
            window_start=request.window_start if request.HasField("window_start") else None,
            window_size=request.window_size if request.HasField("window_size") else None,
        )
        views = await search_projects(deps=self.deps, caller=principal(), request=search)
        return projects_pb2.SearchProjectsResponse(projects=[project_to_pb(v) for v in views])

    async def DeleteProject(self, request, context):
        counts = await delete_project(deps=self.deps, caller=principal(), project_id=request.project_id,
                                      only_objects=request.only_objects)
        return projects_pb2.DeleteProjectResponse(counts=counts)

    async def RecomputeGeo(self, request, context):
        updated = await maintenance.recompute_geo(deps=self.deps, events=self._ecotaxa().hierarchy_events,
                                                  caller=principal(), project_id=request.project_id)
        return projects_pb2.RecomputeGeoResponse(updated=updated)

    async def RecomputeSunpos(self, request, context):
        changed = await maintenance.recompute_sunpos(deps=self.deps, events=self._ecotaxa().hierarchy_events,
                                                     caller=principal(), project_id=request.project_id)
        return projects_pb2.RecomputeSunposResponse(changed=changed)

    async def CheckProject(self, request, context):
        problems = await maintenance.check_project(deps=self.deps, blobs=self._ecotaxa().data.blobs,
                                                   caller=principal(), project_id=request.project_id)
        return projects_pb2.CheckProjectResponse(problems=problems)

    async def SetPredictionSettings(self, request, context):
        await maintenance.set_prediction_settings(deps=self.deps, caller=principal(), project_id=request.project_id,
                                                  settings=request.settings)
        return projects_pb2.SetPredictionSettingsResponse()
