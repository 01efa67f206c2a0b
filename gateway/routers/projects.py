"""EcoTaxa's ProjectsApi (0.0.37): create, search, query, update and erase projects, and their
maintenance (recompute geography and sun positions, check, prediction settings).

JSON shapes follow EcoTaxa's ProjectModel, plus Copepod's Encord-facing extras (project_hash,
created_at, last_edited_at, ontology_hash), which EcoTaxa clients ignore."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Annotated, Any

from copepod.v1 import common_pb2, projects_pb2
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from gateway.deps import CurrentUser, OptionalUser, Services, TextOnlyBody
from gateway.responses import JSONResponse
from gateway.schemas import INT64_MAX, INT64_MIN, Int64, MinUserModel

router = APIRouter(tags=["projects"])

RPC_TIMEOUT = 30
# Ids travel as protobuf int64: larger numbers are refused as invalid input, not overflowed.
ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", examples=[1],
                                ge=INT64_MIN, le=INT64_MAX)]
WindowInt = Annotated[int | None, Query(ge=INT64_MIN, le=INT64_MAX)]


class LicenseEnum(str, Enum):
    CC0 = "CC0 1.0"
    CC_BY = "CC BY 4.0"
    CC_BY_NC = "CC BY-NC 4.0"
    COPYRIGHT = "Copyright"
    NONE = ""


class CreateProjectReq(BaseModel):
    model_config = {"title": "Create project request Model"}

    clone_of_id: Int64 | None = Field(None, description="Internal, numeric id of a project to clone as a new one. "
                                                      "By default it does not clone anything.")
    title: str = Field(description="The project title, as text.", examples=["My new project title"])
    instrument: str = Field("?", description="The project instrument.", examples=["UVP5"])
    visible: bool = Field(True, description="When TRUE, the project is created visible by all users.")
    description: str = Field("", description="The project description (Copepod).")


class ProjectModel(BaseModel):
    """Basic and computed information about the Project."""

    obj_free_cols: dict[str, str] = Field(default_factory=dict, description="Object free columns.")
    sample_free_cols: dict[str, str] = Field(default_factory=dict, description="Sample free columns.")
    acquisition_free_cols: dict[str, str] = Field(default_factory=dict, description="Acquisition free columns.")
    process_free_cols: dict[str, str] = Field(default_factory=dict, description="Process free columns.")
    bodc_variables: dict[str, str | None] = Field(
        default_factory=dict, description="BODC quantities from columns. Only 'subsample_coef', "
                                          "'total_water_volume' and 'individual_volume' are valid keys.")
    init_classif_list: list[Int64] = Field(default_factory=list, description="Favorite taxa used in classification.")
    managers: list[MinUserModel] = Field(default_factory=list, description="Managers of this project.")
    annotators: list[MinUserModel] = Field(default_factory=list,
                                           description="Annotators of this project, if not manager.")
    viewers: list[MinUserModel] = Field(default_factory=list,
                                        description="Viewers of this project, if not manager nor annotator.")
    instrument: str | None = Field(None, description="This project's instrument code.", examples=["Zooscan"])
    instrument_url: str | None = Field(None, description="This project's instrument BODC definition.")
    contact: MinUserModel | None = Field(None, description="The contact person is a manager who serves as the "
                                                           "contact person for other users and managers.")
    highest_right: str = Field("", description="The highest right for requester on this project. One of "
                                               "'Manage', 'Annotate', 'View'.")
    license: LicenseEnum = Field(LicenseEnum.COPYRIGHT, description="Data licence.")
    projid: Int64 = Field(description="The project Id.", examples=[4824])
    title: str = Field(description="The project title.", examples=["MyProject"])
    visible: bool | None = Field(None, description="The project visibility.")
    status: str | None = Field(None, description="The project status.", examples=["Annotate"])
    objcount: float | None = Field(None, description="The number of objects.")
    pctvalidated: float | None = Field(None, description="Percentage of validated images.")
    pctclassified: float | None = Field(None, description="Percentage of classified images.")
    classifsettings: str | None = None
    classiffieldlist: str | None = None
    popoverfieldlist: str | None = None
    comments: str | None = Field(None, description="The project comments.")
    description: str | None = Field(None, description="The project description, i.e. main traits.")
    rf_models_used: str | None = None
    cnn_network_id: str | None = None
    project_hash: str | None = Field(None, description="The project's UUID (Encord-style key).")
    created_at: datetime | None = Field(None, description="When the project was created.")
    last_edited_at: datetime | None = Field(None, description="When the project's settings last changed.")
    ontology_hash: str | None = Field(None, description="The ontology the project uses, if any.")


# In an update, JSON null on a text field means empty text (so a null instrument is refused as
# EcoTaxa refuses it) and a null contact means no contact; on any other field it means not given.
NULL_MEANS_EMPTY = frozenset({"instrument", "instrument_url", "status", "classifsettings", "classiffieldlist",
                              "popoverfieldlist", "comments", "description", "rf_models_used", "cnn_network_id",
                              "contact"})


def _iso(ts) -> str:
    return ts.ToDatetime(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


def _user_json(user: common_pb2.MinUser) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name}


def project_json(p: projects_pb2.Project) -> dict[str, Any]:
    return {
        "obj_free_cols": dict(p.obj_free_cols),
        "sample_free_cols": dict(p.sample_free_cols),
        "acquisition_free_cols": dict(p.acquisition_free_cols),
        "process_free_cols": dict(p.process_free_cols),
        "bodc_variables": dict(p.bodc_variables),
        "init_classif_list": list(p.init_classif_list),
        "managers": [_user_json(u) for u in p.managers],
        "annotators": [_user_json(u) for u in p.annotators],
        "viewers": [_user_json(u) for u in p.viewers],
        "instrument": p.instrument,
        "instrument_url": p.instrument_url,
        "contact": _user_json(p.contact) if p.HasField("contact") else None,
        "highest_right": p.highest_right,
        "license": p.license,
        "projid": p.projid,
        "title": p.title,
        "visible": p.visible,
        "status": p.status,
        "objcount": p.objcount,
        "pctvalidated": p.pctvalidated,
        "pctclassified": p.pctclassified,
        "classifsettings": p.classifsettings,
        "classiffieldlist": p.classiffieldlist,
        "popoverfieldlist": p.popoverfieldlist,
        "comments": p.comments,
        "description": p.description,
        "rf_models_used": p.rf_models_used,
        "cnn_network_id": p.cnn_network_id,
        "project_hash": p.project_hash,
        "created_at": _iso(p.created_at) if p.HasField("created_at") else None,
        "last_edited_at": _iso(p.last_edited_at) if p.HasField("last_edited_at") else None,
        "ontology_hash": p.ontology_hash or None,
    }


def _min_user_pb(user: MinUserModel) -> common_pb2.MinUser:
    return common_pb2.MinUser(id=user.id, email=user.email, name=user.name)


def update_request(project_id: int, body: ProjectModel) -> projects_pb2.UpdateProjectRequest:
    present = sorted(name for name in body.model_fields_set
                     if getattr(body, name) is not None or name in NULL_MEANS_EMPTY)
    msg = projects_pb2.Project(
        projid=project_id, title=body.title, instrument=body.instrument or "", status=body.status or "",
        visible=bool(body.visible), license=body.license.value, description=body.description or "",
        comments=body.comments or "", classiffieldlist=body.classiffieldlist or "",
        popoverfieldlist=body.popoverfieldlist or "", cnn_network_id=body.cnn_network_id or "",
        init_classif_list=body.init_classif_list,
        bodc_variables={k: v or "" for k, v in body.bodc_variables.items()},
        managers=[_min_user_pb(u) for u in body.managers], annotators=[_min_user_pb(u) for u in body.annotators],
        viewers=[_min_user_pb(u) for u in body.viewers],
    )
    if body.contact is not None:
        msg.contact.CopyFrom(_min_user_pb(body.contact))
    return projects_pb2.UpdateProjectRequest(project_id=project_id, project=msg, present_fields=present)


@router.post("/projects/create", operation_id="create_project", summary="Create Project", response_model=int,
             responses={200: {"content": {"application/json": {"example": 44}}}},
             dependencies=[TextOnlyBody])
async def create_project(body: CreateProjectReq, caller: CurrentUser, svc: Services) -> int:
    """**Create an empty project with only a title,** and **return the numeric id of this newly created
    project**. The project will be managed by the current user; any active user may create one.
    With `clone_of_id`, the settings (not the objects) of a project the user manages are copied."""
    req = projects_pb2.CreateProjectRequest(title=body.title, instrument=body.instrument, visible=body.visible,
                                            clone_of_id=body.clone_of_id or 0, description=body.description)
    rsp = await svc.projects.CreateProject(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return rsp.projid


@router.get("/projects/search", operation_id="search_projects", summary="Search Projects",
            response_model=list[ProjectModel])
async def search_projects(
    caller: OptionalUser,
    svc: Services,
    also_others: Annotated[bool, Query(deprecated=True)] = False,
    not_granted: Annotated[bool, Query(description="Return projects on which the current user has _no "
                                                   "permission_, but visible to him/her.")] = False,
    for_managing: Annotated[bool, Query(description="Return projects that can be written to (including "
                                                    "erased) by the current user.")] = False,
    title_filter: Annotated[str, Query(description="Use this pattern for matching returned projects names.")] = "",
    instrument_filter: Annotated[str, Query(description="Only return projects where this instrument was "
                                                        "used.")] = "",
    filter_subset: Annotated[bool, Query(description="Exclude projects having 'subset' in their names.")] = False,
    order_field: Annotated[str | None, Query(description="A ProjectModel field name; prefix with '-' for "
                                                         "descending order.")] = None,
    summary: Annotated[bool | None, Query(description="Leave out the long fields (bodc_variables, free "
                                                      "columns, classification settings).")] = None,
    window_start: Annotated[WindowInt, Query(description="Skip `window_start` before returning data.")] = None,
    window_size: Annotated[WindowInt, Query(description="Return only `window_size` lines.")] = None,
) -> JSONResponse:
    """Returns **projects which the current user has explicit permission to access, with search options.**
    `highest_right` is not valued in the results; the members lists carry that information."""
    req = projects_pb2.SearchProjectsRequest(
        also_others=also_others, not_granted=not_granted, for_managing=for_managing, title_filter=title_filter,
        instrument_filter=instrument_filter, filter_subset=filter_subset, order_field=order_field or "",
        summary=bool(summary), window_start=window_start, window_size=window_size,
    )
    rsp = await svc.projects.SearchProjects(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return JSONResponse([project_json(p) for p in rsp.projects])


@router.get("/projects/{project_id}", operation_id="project_query", summary="Project Query",
            response_model=ProjectModel)
async def project_query(
    project_id: ProjectId,
    caller: OptionalUser,
    svc: Services,
    for_managing: Annotated[bool, Query(description="For managing this project.")] = False,
) -> JSONResponse:
    """**Returns project** if it exists for current user, eventually for managing it."""
    rsp = await svc.projects.GetProject(projects_pb2.GetProjectRequest(project_id=project_id,
                                                                       for_managing=for_managing),
                                        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    # Already in ProjectModel's shape: answered as is (the model documents it).
    return JSONResponse(project_json(rsp.project))


@router.put("/projects/{project_id}", operation_id="update_project", summary="Update Project",
            responses={200: {"content": {"application/json": {"example": None}}}},
            dependencies=[TextOnlyBody])
async def update_project(project_id: ProjectId, body: ProjectModel, caller: CurrentUser, svc: Services) -> None:
    """**Update the project**, return **NULL upon success.** Some fields are **not** updated and simply
    ignored, e.g. *free_cols*, counters, *highest_right*. Privileges are rewritten from *managers*,
    *annotators* and *viewers* (users by id); *contact* must be one of the managers."""
    await svc.projects.UpdateProject(update_request(project_id, body), metadata=caller.metadata,
                                     timeout=RPC_TIMEOUT)
    return None


@router.delete("/projects/{project_id}", operation_id="erase_project", summary="Erase Project",
               responses={200: {"content": {"application/json": {"example": [100, 0, 10, 10]}}}})
async def erase_project(
    project_id: ProjectId,
    caller: CurrentUser,
    svc: Services,
    only_objects: Annotated[bool, Query(description="If set, the project structure is kept, but emptied from "
                                                    "any object, sample, acquisition and process.")] = False,
) -> list[int]:
    """**Delete the project.** Optionally, if `only_objects` is set, the project structure is kept, but
    emptied. **Returns** the number of: **deleted objects**, 0, **deleted image rows** and **deleted
    image files**."""
    rsp = await svc.projects.DeleteProject(projects_pb2.DeleteProjectRequest(project_id=project_id,
                                                                             only_objects=only_objects),
                                           metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return list(rsp.counts)


# Maintenance walks a whole project: minutes for millions of objects, not seconds.
MAINTENANCE_TIMEOUT = 600


@router.post("/projects/{project_id}/recompute_geo", operation_id="project_recompute_geography",
             summary="Project Recompute Geography",
             responses={200: {"content": {"application/json": {"example": None}}}})
async def project_recompute_geography(project_id: ProjectId, caller: CurrentUser, svc: Services) -> None:
    """**Recompute the position of every sample** of the project: the smallest latitude and longitude
    of its objects having both. **Returns NULL upon success.** The user has to be *project manager*."""
    await svc.projects.RecomputeGeo(projects_pb2.RecomputeGeoRequest(project_id=project_id),
                                    metadata=caller.metadata, timeout=MAINTENANCE_TIMEOUT)
    return None


@router.post("/projects/{project_id}/recompute_sunpos", operation_id="project_recompute_sunpos",
             summary="Project Recompute Sunpos", response_model=int,
             responses={200: {"content": {"application/json": {"example": 12}}}})
async def project_recompute_sunpos(project_id: ProjectId, caller: CurrentUser, svc: Services) -> int:
    """**Recompute the sun position** (`sunpos`) of every object of the project from its date, time
    and position. **Returns the number of objects whose value changed.** The user has to be
    *project manager*."""
    rsp = await svc.projects.RecomputeSunpos(projects_pb2.RecomputeSunposRequest(project_id=project_id),
                                             metadata=caller.metadata, timeout=MAINTENANCE_TIMEOUT)
    return rsp.changed


@router.get("/projects/{project_id}/check", operation_id="project_check", summary="Project Check",
            response_model=list[str],
            responses={200: {"content": {"application/json": {"example": [
                "Acquisition '766' has no associated Process ",
                "Sample 'st01' position differs from its objects' (recompute_geo fixes it)"]}}}})
async def project_check(project_id: ProjectId, caller: CurrentUser, svc: Services) -> list[str]:
    """**Check the consistency of a project**: one line per problem found, an empty list when there
    is none. At most 10,000 images are looked for in the blob store per call."""
    rsp = await svc.projects.CheckProject(projects_pb2.CheckProjectRequest(project_id=project_id),
                                          metadata=caller.metadata, timeout=MAINTENANCE_TIMEOUT)
    return list(rsp.problems)


@router.put("/projects/{project_id}/prediction_settings", operation_id="set_project_predict_settings",
            summary="Set Project Predict Settings",
            responses={200: {"content": {"application/json": {"example": None}}}})
async def set_project_predict_settings(
    project_id: Annotated[int, Path(description="Internal, numeric id of the project.", examples=[4223],
                                    ge=INT64_MIN, le=INT64_MAX)],
    settings: Annotated[str, Query(description="The new prediction settings.",
                                   examples=["seltaxo=84963,59996,56545 baseproject=2562,2571"])],
    caller: CurrentUser,
    svc: Services,
) -> None:
    """**Update the project's prediction settings**, return **NULL upon success.** Unlike the full
    project update, which needs the Manage right, *project annotators* may do it, as they may
    predict."""
    await svc.projects.SetPredictionSettings(
        projects_pb2.SetPredictionSettingsRequest(project_id=project_id, settings=settings),
        metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None
