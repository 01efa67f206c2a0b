"""EcoTaxa's import, classification and statistics routes (0.0.37): ``POST /file_import/{project_id}``
and ``POST /simple_import/{project_id}`` (``FileImport`` and ``SimpleImport`` jobs of the projects
service, docs/ecotaxa-import.md), ``GET /projects/{project_id}/stats`` (docs/objects.md),
``POST /object_set/classify``, ``GET /object/{object_id}/history`` and ``GET /project_set/taxo_stats``
(the labels service, docs/classification.md)."""

from __future__ import annotations

from typing import Annotated

from copepod.v1 import classification_pb2, objects_pb2, taxonomy_pb2, users_pb2
from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from gateway.deps import CurrentUser, OptionalUser, Services, TextOnlyBody
from gateway.responses import JSONResponse
from gateway.routers.objects import _invalid, parse_project_ids, when_json
from gateway.schemas import INT64_MAX, Int64

RPC_TIMEOUT = 60

router = APIRouter()

ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", examples=[1], ge=0,
                                le=INT64_MAX)]


class ImportReq(BaseModel):
    source_path: str = Field(title="Source path", max_length=4096, examples=["/my_files/import/archive.zip"],
                             description="Source path on server, to zip or plain directory: a path returned by a "
                                         "file upload (/my_files/...), otherwise relative to the server's import "
                                         "root.")
    taxo_mappings: dict[str, str] = Field(default_factory=dict, title="Taxo mappings",
                                          description="Optional taxonomy mapping: category text (or id) found in "
                                                      "the file -> the text (or id) to write.")
    skip_loaded_files: bool = Field(False, title="Skip loaded files",
                                    description="If true skip loaded files, else don't.")
    skip_existing_objects: bool = Field(False, title="Skip existing objects",
                                        description="If true skip existing objects, else don't.")
    update_mode: str = Field("", title="Update mode", max_length=10,
                             description="Update data ('Yes'), including classification ('Cla').")


class ImportRsp(BaseModel):
    job_id: Int64 = Field(description="The job which was created for the run.", examples=[1])
    errors: list[str] = Field(default_factory=list, description="Errors from analysis.")


class ProjectTaxoStatsModel(BaseModel):
    projid: Int64 = Field(description="The project id.", examples=[1])
    used_taxa: list[Int64] = Field(default_factory=list, description="The taxa/category ids used inside the "
                                   "project. -1 stands for not classified.")
    nb_unclassified: int = Field(description="The number of unclassified objects inside the project.")
    nb_validated: int = Field(description="The number of validated objects inside the project.")
    nb_dubious: int = Field(description="The number of dubious objects inside the project.")
    nb_predicted: int = Field(description="The number of predicted objects inside the project.")


@router.post("/file_import/{project_id}", tags=["projects"], operation_id="import_file", summary="Import File",
             response_model=ImportRsp, dependencies=[TextOnlyBody])
async def import_file(project_id: ProjectId, body: ImportReq, caller: CurrentUser, svc: Services) -> dict:
    """**Validate or do a real import** of an EcoTaxa archive or directory, as a background job."""
    req = objects_pb2.ImportFileRequest(
        project_id=project_id, source_path=body.source_path, taxo_mappings=body.taxo_mappings,
        skip_loaded_files=body.skip_loaded_files, skip_existing_objects=body.skip_existing_objects,
        update_mode=body.update_mode)
    rsp = await svc.objects.ImportFile(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return {"job_id": rsp.job_id, "errors": []}


SIMPLE_IMPORT_FIELDS = ("imgdate", "imgtime", "latitude", "longitude", "depthmin", "depthmax", "taxolb", "userlb",
                        "status")


def _number_as_text(value):
    """EcoTaxa's model turns numbers into text (its own example sends ``43.69``)."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


SimpleImportValue = Annotated[str, BeforeValidator(_number_as_text), Field(max_length=1000)]


class SimpleImportReq(BaseModel):
    """Simple Import request."""

    model_config = ConfigDict(title="Simple import request Model")

    source_path: str = Field(title="Source path", max_length=4096, examples=["/my_files/import/images.zip"],
                             description="Source path on server, to zip or plain directory: a path returned by a "
                                         "file upload (/my_files/...), otherwise relative to the server's import "
                                         "root.")
    values: dict[str, SimpleImportValue] = Field(
        title="Constant values, per field, to write for all images. If a field has no value don't include it.",
        description=":" + ", ".join(SIMPLE_IMPORT_FIELDS), examples=[{"latitude": "43.69", "longitude": "7.30"}])
    possible_values: list[str] = Field(default=list(SIMPLE_IMPORT_FIELDS), title="Possible Values", max_length=100)

    @field_validator("values")
    @classmethod
    def _known_fields(cls, values: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in values if k not in SIMPLE_IMPORT_FIELDS]
        if unknown:
            raise ValueError(f"unknown field '{unknown[0][:50]}': one of {', '.join(SIMPLE_IMPORT_FIELDS)}")
        return values


class SimpleImportRsp(BaseModel):
    """Simple Import, response."""

    job_id: Int64 = Field(description="The job which was created for the run. 0 if called with dry_run option.",
                          examples=[1])
    errors: list[str] = Field(description="Validation errors, dry_run or not.", examples=[[
        "'abcde' is not a valid value for SimpleImportFields.latitude",
        "'456.5' is not a valid value for SimpleImportFields.longitude",
        "'very very low' is not a valid value for SimpleImportFields.depthmin"]])


@router.post("/simple_import/{project_id}", tags=["projects"], operation_id="simple_import", summary="Simple Import",
             response_model=SimpleImportRsp, dependencies=[TextOnlyBody])
async def simple_import(
    project_id: ProjectId,
    body: SimpleImportReq,
    caller: CurrentUser,
    svc: Services,
    dry_run: Annotated[bool, Query(title="Dry run", examples=[True], description="If set, then only a diagnostic "
                                   "of doability will be done. In this case, plain value check. If no dry_run, this "
                                   "call will create a background job.")],
) -> dict:
    """**Import images only**, with same metadata for all."""
    req = objects_pb2.SimpleImportRequest(project_id=project_id, source_path=body.source_path, values=body.values,
                                          dry_run=dry_run)
    rsp = await svc.objects.SimpleImport(req, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return {"job_id": rsp.job_id, "errors": list(rsp.errors)}


# A project's stats aggregate all its objects: as long a wait as project maintenance.
STATS_TIMEOUT = 600


@router.get("/projects/{project_id}/stats", tags=["projects"], operation_id="project_stats", summary="Project Stats",
            response_model=list[str],
            responses={200: {"content": {"application/json": {"example": [
                "Project name", "OrderedDict([('area', 'n01'), ('esd', 'n02'), ('comment', 't01')])", " (0): ",
                "Total: 0 values, dup 0 values", "st01_net1 (3): [516,1401,#3,u1],[25.6,42.2,#2,u2]",
                "Total: 6 values, dup 3 values"]}}}})
async def project_stats(project_id: ProjectId, caller: CurrentUser, svc: Services) -> list[str]:
    """**Returns stats** for a project: its **title**, its object **free columns and the column each one
    is stored in**, then **two strings per acquisition** (EcoTaxa opens with an empty one, `" (0): "` and
    `"Total: 0 values, dup 0 values"`). The first is the acquisition's **orig_id (number of objects):**
    followed by one `[min,max,#distinct values,u<frequency of the most frequent value>]` per numeric free
    column; the second is `"Total: <objects × columns> values, dup <sum of those frequencies> values"`."""
    rsp = await svc.objects.ProjectStats(objects_pb2.ProjectStatsRequest(project_id=project_id),
                                         metadata=caller.metadata, timeout=STATS_TIMEOUT)
    return list(rsp.lines)


def _taxa_ids(text: str) -> tuple[bool, list[int]]:
    """("", per project) / ("all", every taxon) / a list of taxon ids."""
    text = text.strip()
    if text == "":
        return False, []
    if text.lower() == "all":
        return True, []
    ids = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        try:
            ids.append(int(part))
        except ValueError:
            raise _invalid("taxa_ids", f"'{part[:25]}' is not a taxon id") from None
    return True, ids


@router.get("/project_set/taxo_stats", tags=["projects"], operation_id="project_set_get_stats",
            summary="Project Set Get Stats", response_model=list[ProjectTaxoStatsModel])
async def project_set_get_stats(
    caller: OptionalUser,
    svc: Services,
    ids: Annotated[str, Query(max_length=20_000, examples=["1"], description="String containing the list of one "
                              "or more project id separated by non-num char.")],
    taxa_ids: Annotated[str, Query(max_length=100_000, examples=["all"], description="**If several taxa_ids are "
                                   "provided**, one stat record will be returned per requested taxa, if populated. "
                                   "**If taxa_ids is all**, all valued taxa in the project(s) are returned.")] = "",
) -> JSONResponse:
    """**Returns projects statistics**, i.e. used taxa and classification states."""
    per_taxon, wanted = _taxa_ids(taxa_ids)
    rsp = await svc.classification.GetTaxoStats(
        classification_pb2.GetTaxoStatsRequest(project_ids=parse_project_ids(ids, "ids"), per_taxon=per_taxon,
                                               taxa_ids=wanted), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    # Built here in the model's shape and sent as is: a project's hundreds of taxa need no validation.
    return JSONResponse([{"projid": x.project_id, "used_taxa": list(x.used_taxa), "nb_unclassified": x.nb_unclassified,
                          "nb_validated": x.nb_validated, "nb_dubious": x.nb_dubious, "nb_predicted": x.nb_predicted}
                         for x in rsp.stats])


async def _user_names(svc, ids: set[int]) -> dict[int, str]:
    """Annotators' names, part of EcoTaxa's answers: looked up as the gateway, whoever reads."""
    ids = sorted(i for i in ids if i)
    if not ids:
        return {}
    found = await svc.users.ListUsers(users_pb2.ListUsersRequest(ids=ids), metadata=svc.service_metadata(),
                                      timeout=RPC_TIMEOUT)
    return {u.id: u.name for u in found.users}


class ClassifyReq(BaseModel):
    target_ids: list[Int64] = Field(max_length=100_000, description="The IDs of the target objects.",
                                    examples=[[634509, 6234516, 976544]])
    classifications: list[Int64] = Field(max_length=100_000, description="The wanted new classifications, i.e. "
                                         "taxon ID, one for each object. Use -1 to keep present one.",
                                         examples=[[7546, 3421, 788]])
    wanted_qualification: str = Field(max_length=1, description="The wanted qualifications for all objects. 'V' "
                                      "or 'P'.", examples=["V"])


class HistoricalClassification(BaseModel):
    objid: Int64 = Field(description="The object Id.")
    classif_id: Int64 = Field(description="The classification Id.")
    classif_date: str | None = Field(None, description="The classification date.")
    classif_who: Int64 | None = Field(None, description="The user who manualy classify this object.")
    classif_type: str = Field(description="The type of classification. Could be **A** for Automatic or **M** for "
                                          "Manual.")
    classif_qual: str = Field(description="The classification qualification. Could be **P** for predicted, **V** "
                                          "for validated or **D** for Dubious.")
    classif_score: float | None = Field(None, description="The classification score.")
    user_name: str | None = Field(None, description="The name of the user who classified this object.")
    taxon_name: str | None = Field(None, description="The taxon name of the object.")


@router.post("/object_set/classify", tags=["objects"], operation_id="classify_object_set",
             summary="Classify Object Set", response_model=int, dependencies=[TextOnlyBody],
             responses={200: {"content": {"application/json": {"example": 3}}}})
async def classify_object_set(body: ClassifyReq, caller: CurrentUser, svc: Services) -> int:
    """**Change classification and/or qualification for a set of objects.** **Returns the number of updated
    entities.** Current user needs at *least Annotate* right on all projects of specified objects."""
    rsp = await svc.classification.Classify(classification_pb2.ClassifyRequest(
        target_ids=body.target_ids, classifications=body.classifications,
        wanted_qualification=body.wanted_qualification), metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return rsp.updated


@router.get("/object/{object_id}/history", tags=["object"], operation_id="object_query_history",
            summary="Object Query History", response_model=list[HistoricalClassification],
            response_model_exclude_none=True)
async def object_query_history(
    object_id: Annotated[int, Path(description="Internal, the unique numeric id of this object.", examples=[1],
                                   ge=0, le=INT64_MAX)],
    caller: OptionalUser, svc: Services,
) -> list[dict]:
    """Returns **information about the object's history** corresponding to the given id."""
    rsp = await svc.classification.GetHistory(classification_pb2.GetHistoryRequest(objid=object_id),
                                              metadata=caller.metadata, timeout=RPC_TIMEOUT)
    users = await _user_names(svc, {r.classif_who for r in rsp.rows})
    taxa = {}
    ids = sorted({r.classif_id for r in rsp.rows if r.classif_id})
    if ids:
        found = await svc.taxonomy.QueryTaxa(taxonomy_pb2.QueryTaxaRequest(ids=ids), metadata=caller.metadata,
                                             timeout=RPC_TIMEOUT)
        taxa = {t.id: t.name for t in found.taxa}
    return [{"objid": r.objid, "classif_id": r.classif_id, "classif_date": when_json(r.classif_when_us),
             "classif_who": r.classif_who or None, "classif_type": "A" if r.classif_qual == "P" else "M",
             "classif_qual": r.classif_qual, "classif_score": r.classif_score if r.HasField("classif_score") else None,
             "user_name": users.get(r.classif_who), "taxon_name": taxa.get(r.classif_id)} for r in rsp.rows]


class MinimalUserBO(BaseModel):
    id: Int64
    name: str


class UserActivity(BaseModel):
    id: Int64
    nb_actions: int
    last_annot: str | None = None


class ProjectUserStatsModel(BaseModel):
    projid: Int64 = Field(description="The project id.")
    annotators: list[MinimalUserBO] = Field(default_factory=list, description="The users who ever decided on "
                                            "classification or state of objects.")
    activities: list[UserActivity] = Field(default_factory=list, description="More details on annotators' "
                                           "activities.")


@router.get("/project_set/user_stats", tags=["projects"], operation_id="project_set_get_user_stats",
            summary="Project Set Get User Stats", response_model=list[ProjectUserStatsModel],
            response_model_exclude_none=True)
async def project_set_get_user_stats(
    caller: CurrentUser,
    svc: Services,
    ids: Annotated[str, Query(max_length=20_000, examples=["1"], description="String containing the list of one "
                              "or more id separated by non-num char.")],
) -> list[dict]:
    """**Returns projects user statistics**, i.e. a summary of the work done by users in the required projects.
    The returned values are a detail per project, so size of input list equals size of output list."""
    rsp = await svc.classification.GetUserStats(
        classification_pb2.GetUserStatsRequest(project_ids=parse_project_ids(ids, "ids")), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    names = await _user_names(svc, {a.user_id for p in rsp.stats for a in p.activities})
    out = []
    for p in rsp.stats:
        people = sorted(p.activities, key=lambda a: (names.get(a.user_id, ""), a.user_id))
        out.append({"projid": p.project_id,
                    "annotators": [{"id": a.user_id, "name": names.get(a.user_id, "")} for a in people],
                    "activities": [{"id": a.user_id, "nb_actions": a.nb_actions,
                                    "last_annot": (when_json(a.last_annot_us) or "")[:19] or None} for a in people]})
    return out
