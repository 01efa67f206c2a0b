"""EcoTaxa's object-set routes (0.0.37): ``POST /object_set/{project_id}/query``, ``POST
/object_set/{project_id}/summary`` and ``GET /project_set/column_stats``, answered by the projects
service's ObjectSetsService (docs/object-sets.md). The JSON shapes are EcoTaxa's ProjectFilters,
ObjectSetQueryRsp, ObjectSetSummaryRsp and ProjectSetColumnStatsModel."""

from __future__ import annotations

import re
from typing import Annotated, Any

import orjson
from copepod.v1 import classification_pb2, object_sets_pb2, taxonomy_pb2
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from gateway.deps import CurrentUser, OptionalUser, Services, TextOnlyBody
from gateway.routers.objects import _invalid, parse_project_ids, when_json
from gateway.schemas import INT64_MAX, INT64_MIN

# A query without a window may answer every object of a large project.
RPC_TIMEOUT = 300
MAX_CATEGORIES = 100_000

router = APIRouter()

ProjectId = Annotated[int, Path(description="Internal, numeric id of the project.", examples=[1], ge=0,
                                le=INT64_MAX)]
WindowInt = Annotated[int | None, Query(ge=INT64_MIN, le=INT64_MAX)]


def _schema_without(*keys: str):
    """Leave keys out of a model's JSON schema and of its properties' (EcoTaxa's schemas declare no
    defaults or required lists where these models need them)."""
    def fix(schema: dict[str, Any]) -> None:
        for key in keys:
            schema.pop(key, None)
            for prop in schema.get("properties", {}).values():
                prop.pop(key, None)
    return fix


FilterText = Annotated[str | None, WithJsonSchema({"type": "string"})]
StatusText = Annotated[str | None, WithJsonSchema({"type": "string", "maxLength": 3})]


def _filter(title: str, description: str, example: Any, *, alias: str | None = None) -> Any:
    return Field(None, alias=alias, title=title, description=description, json_schema_extra={"example": example})


_MAP = "If all 4 are set (MapN, MapW, MapE, MapS), include objects inside the defined bounding rectangle."
_DEPTH = ("Positive values. If both are set (depthmin, depthmax), include objects for which both depths (min and "
          "max) are inside the range.")


class ProjectFilters(BaseModel):
    """How to reduce project data."""

    model_config = ConfigDict(title="Project filters Model", coerce_numbers_to_str=True,
                              json_schema_extra=_schema_without("default"))

    taxo: FilterText = _filter("Taxo", "Coma-separated list of numeric taxonomy/category ids. Only include objects "
                                       "classified with one of them.", "12,7654,5409")
    taxochild: FilterText = _filter("Taxo child", "If 'Y' and taxo is set, also include children of each member of "
                                                  "'taxo' list in taxonomy tree.", "Y")
    statusfilter: StatusText = Field(
        None, max_length=3, title="Statusfilter", json_schema_extra={"example": "NV"},
        description="Include objects with given status:\n            'NV': Not validated \n            'PV': "
                    "Predicted or Validated \n            'PVD': Predicted or Validated or Dubious\n            "
                    "'NVM': Validated, but not by me \n            'VM': Validated by me \n            'U': Not "
                    "classified\n            other: direct equality comparison with DB value \n        ")
    map_n: FilterText = _filter("Map North", _MAP, 44.34, alias="MapN")
    map_w: FilterText = _filter("Map West", _MAP, 3.88, alias="MapW")
    map_e: FilterText = _filter("Map East", _MAP, 7.94, alias="MapE")
    map_s: FilterText = _filter("Map South", _MAP, 42.42, alias="MapS")
    depthmin: FilterText = _filter("Depthmin", _DEPTH, "10")
    depthmax: FilterText = _filter("Depthmax", _DEPTH, "110")
    samples: FilterText = _filter("Samples", "Coma-separated list of sample IDs, include only objects for these "
                                             "samples.", "10987,3456,987,38")
    instrum: FilterText = _filter("Instrument", "Instrument name, include objects for which sampling was done using "
                                                "this instrument.", "uvp5")
    daytime: FilterText = _filter("Day time", "Coma-separated list of sun position values: D for Day, U for Dusk, N "
                                              "for Night, A for Dawn (Aube in French).", "N,A")
    month: FilterText = _filter("Month", "Coma-separated list of month numbers, 1=Jan and so on.", "11,12")
    fromdate: FilterText = _filter("From date", "Format is 'YYYY-MM-DD', include objects collected after this date.",
                                   "2020-10-09")
    todate: FilterText = _filter("To date", "Format is 'YYYY-MM-DD', include objects collected before this date.",
                                 "2021-10-09")
    fromtime: FilterText = _filter("From time", "Format is 'HH24:MM:SS', include objects collected after this time "
                                                "of day.", "1:17:00")
    totime: FilterText = _filter("To time", "Format is 'HH24:MM:SS', include objects collected before this time of "
                                            "day.", "23:32:00")
    inverttime: FilterText = _filter("Invert time", "If '1', include objects outside fromtime and totime range.", "0")
    validfromdate: FilterText = _filter("Valid from date", "Format is 'YYYY-MM-DD HH24:MI', include objects "
                                        "validated/set to dubious after this date+time.", "2020-10-09 10:00:00")
    validtodate: FilterText = _filter("Valid to date", "Format is 'YYYY-MM-DD HH24:MI', include objects "
                                      "validated/set to dubious before this date+time.", "2021-10-09 10:00:00")
    freenum: FilterText = _filter("Free num", "Numerical DB column number in Object as basis for the 2 following "
                                              "criteria (freenumst, freenumend).", "n01")
    freenumst: FilterText = _filter("Freenum start", "Start of included range for the column defined by freenum, "
                                                     "in which objects are included.", "0")
    freenumend: FilterText = _filter("Free num end", "End of included range for the column defined by freenum, in "
                                                     "which objects are included.", "999999")
    freetxt: FilterText = _filter(
        "Free text", " Textual DB column number as basis for following criteria (freetxtval)\n            If starts "
                     "with 's' then it's a text column in Sample\n            If starts with 'a' then it's a text "
                     "column in Acquisition \n            If starts with 'p' then it's a text column in Process \n   "
                     "         If starts with 'o' then it's a text column in Object .\n        ", "p01")
    freetxtval: FilterText = _filter("Free text val", "Text to match in the column defined by freetxt, for an object "
                                                      "to be include.", "zooprocess")
    filt_annot: FilterText = _filter("Filter annotator", "Coma-separated list of annotators, i.e. persons who "
                                     "validated the classification at any point in time.", "34,67,67")
    filt_last_annot: FilterText = _filter("Filter last annotator", "Coma-separated list of annotators, i.e. persons "
                                          "who validated the classification in last.", "34,67")

    def as_map(self) -> dict[str, str]:
        """The filters set, by their JSON names."""
        return {k: v for k, v in self.model_dump(by_alias=True).items() if v is not None}


IntList = Annotated[list[int], WithJsonSchema({"type": "array", "items": {"type": "integer"}})]


class ObjectSetQueryRsp(BaseModel):
    model_config = ConfigDict(title="ObjectSetQueryRsp")

    object_ids: IntList = Field(default_factory=list, title="Object Ids", description="Matching object IDs.",
                                json_schema_extra={"default": [], "example": [634509, 6234516, 976544]})
    acquisition_ids: IntList = Field(default_factory=list, title="Acquisition Ids",
                                     description="Parent (acquisition) IDs.",
                                     json_schema_extra={"default": [], "example": [23, 987, 89]})
    sample_ids: IntList = Field(default_factory=list, title="Sample Ids", description="Parent (sample) IDs.",
                                json_schema_extra={"default": [], "example": [234, 194, 12]})
    project_ids: IntList = Field(default_factory=list, title="Project Ids", description="Project Ids.",
                                 json_schema_extra={"default": [], "example": [22, 43]})
    details: Annotated[list[list[Any]], WithJsonSchema({"type": "array", "items": {"type": "array", "items": {}}})] = \
        Field(default_factory=list, title="Details", description="Requested fields, in request order.",
              json_schema_extra={"default": [], "example": [[7.315666666666667, 43.685]] * 3})
    total_ids: Annotated[int, WithJsonSchema({"type": "integer"})] = Field(
        0, title="Total Ids", description="Total rows returned by the query, even if it was window-ed.",
        json_schema_extra={"example": 1000})


OptionalCount = Annotated[int | None, WithJsonSchema({"type": "integer"})]


class ObjectSetSummaryRsp(BaseModel):
    """Classification summary from object set."""

    model_config = ConfigDict(title="ObjectSetSummaryRsp", json_schema_extra=_schema_without("default"))

    total_objects: OptionalCount = Field(None, title="Total objects", description="Total number of objects in the "
                                         "set.", json_schema_extra={"example": 300})
    validated_objects: OptionalCount = Field(None, title="Validated objects", description="Number of validated "
                                             "objects in the set.", json_schema_extra={"example": 100})
    dubious_objects: OptionalCount = Field(None, title="Dubious objects", description="Number of dubious objects "
                                           "in the set.", json_schema_extra={"example": 100})
    predicted_objects: OptionalCount = Field(None, title="Predicted objects", description="Number of predicted "
                                             "objects in the set.", json_schema_extra={"example": 100})


class ProjectSetColumnStatsModel(BaseModel):
    model_config = ConfigDict(title="ProjectSetColumnStatsModel", json_schema_extra=_schema_without("required"))

    proj_ids: IntList = Field(title="Projects IDs", description="Projects IDs from the call.")
    total: Annotated[int, WithJsonSchema({"type": "integer"})] = Field(title="Total of rows",
                                                                       description="All rows regardless of emptiness.")
    columns: Annotated[list[str], WithJsonSchema({"type": "array", "items": {"type": "string"}})] = Field(
        title="Columns", description="Column names from the call.")
    counts: IntList = Field(title="Counts", description="Counts of non-empty values, one per column.")
    variances: Annotated[list[float | None], WithJsonSchema({"type": "array", "items": {"type": "number"}})] = Field(
        title="Variances", description="Variances of values, one per column.")


FIELDS_HELP = """

Specify the needed object (and ancillary entities) fields.

It follows the naming convention 'prefix.field' : Prefix is either 'obj' for main object, 'fre' for free fields, \
'img' for the visible image.

The column obj.imgcount contains the total count of images for the object.

Use a comma to separate fields.

💡 More help :

You can get the field labels by parsing the classiffieldlist returned by a call to \
https://ecotaxa.obs-vlfr.fr/api/docs#/projects/project_query_projects__project_id__get.

**Note that the following fields must be prefixed with the header "obj."** (for example → obj.orig_id):

acquisid classif_auto_id, classif_auto_score, classif_auto_when, classif_crossvalidation_id,
classif_id, classif_qual, classif_who, classif_when, complement_info, depth_max, depth_min,
latitude, longitude, objdate, object_link, objid, objtime, orig_id, random_value, similarity, sunpos.

**Note that the following fields must be prefixed with the header "img."** (for example → img.file_name):

file_name, height, imgid, imgrank, file_name, orig, objid, file_name thumb_file_name, thumb_height, thumb_width, width.

**Note that the following fields must be prefixed with the header "txo."** (for example → txo.display_name):

creation_datetime, creator_email, display_name, id, id_instance, id_source, lastupdate_datetime,
name, nbrobj, nbrobjcum, parent_id, rename_to source_desc, source_url, taxostatus, taxotype.

**All other fields must be prefixed by the header "fre."** (for example → fre.circ.).
                   """
WINDOW_START_HELP = """
Allows to return only a slice of the result, by skipping window_start objects before returning data.
If no **unique order** is specified, the result can vary for same call and conditions."""
WINDOW_SIZE_HELP = """
Allows to return only a slice of the result, by returning a _maximum_ of window_size lines.
If no **unique order** is specified, the result can vary for same call and conditions."""


def _ids_json(values) -> bytes:
    return orjson.dumps(list(values))


@router.post("/object_set/{project_id}/query", tags=["objects"], operation_id="get_object_set",
             summary="Get Object Set", response_model=ObjectSetQueryRsp, dependencies=[TextOnlyBody])
async def get_object_set(
    project_id: ProjectId,
    filters: ProjectFilters,
    caller: OptionalUser,
    svc: Services,
    fields: Annotated[str | None, Query(title="Fields", description=FIELDS_HELP,
                                        examples=["obj.longitude,fre.feret"])] = None,
    order_field: Annotated[str | None, Query(title="Order field", description='Order the result using given field. '
                                             'If prefixed with "-" then it will be reversed.',
                                             examples=["obj.longitude"])] = None,
    window_start: Annotated[WindowInt, Query(title="Window start", description=WINDOW_START_HELP,
                                             examples=[10])] = None,
    window_size: Annotated[WindowInt, Query(title="Window size", description=WINDOW_SIZE_HELP,
                                            examples=[100])] = None,
) -> Response:
    """Returns **filtered object Ids** for the given project."""
    request = object_sets_pb2.QueryObjectsRequest(
        project_id=project_id, filters=filters.as_map(), fields=(fields or "").split(","),
        order_field=order_field or "", window_start=window_start or 0)
    if window_size is not None:
        request.window_size = window_size
    rsp = await svc.object_sets.QueryObjects(request, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    # The details are spliced as the service wrote them (one page may hold many rows).
    body = (b'{"object_ids":' + _ids_json(rsp.object_ids) + b',"acquisition_ids":' + _ids_json(rsp.acquisition_ids)
            + b',"sample_ids":' + _ids_json(rsp.sample_ids) + b',"project_ids":' + _ids_json(rsp.project_ids)
            + b',"details":' + (rsp.details_json or "[]").encode() + b',"total_ids":' + b"%d" % rsp.total_ids + b"}")
    return Response(body, media_type="application/json")


@router.post("/object_set/{project_id}/summary", tags=["objects"], operation_id="get_object_set_summary",
             summary="Get Object Set Summary", response_model=ObjectSetSummaryRsp, dependencies=[TextOnlyBody])
async def get_object_set_summary(
    project_id: ProjectId,
    only_total: Annotated[bool, Query(title="Only total", description="If True, returns only the **Total number of "
                                      "objects**. Else returns also the **Number of validated ones**, the **number "
                                      "of Dubious ones** and the number of **predicted ones**.")],
    filters: ProjectFilters,
    caller: OptionalUser,
    svc: Services,
) -> dict:
    """For the given project, with given filters, **return the classification summary**.

    i.e.:

    - Total number of objects

    And optionally

    - Number of Validated ones
    - Number of Dubious ones
    - Number of Predicted ones"""
    rsp = await svc.object_sets.SummarizeObjects(object_sets_pb2.SummarizeObjectsRequest(
        project_id=project_id, filters=filters.as_map(), only_total=only_total), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)

    def count(name: str) -> int | None:
        return getattr(rsp, name) if rsp.HasField(name) else None

    return {"total_objects": rsp.total, "validated_objects": count("validated"), "dubious_objects": count("dubious"),
            "predicted_objects": count("predicted")}


def _categories(text: str | None) -> list[int]:
    """Taxon ids separated by any non-digit characters."""
    ids = [int(n) for n in re.findall(r"\d+", text or "") if len(n) <= 19 and int(n) <= INT64_MAX]
    if len(ids) != len(re.findall(r"\d+", text or "")):
        raise _invalid("categories", "a taxon id is too large")
    if len(ids) > MAX_CATEGORIES:
        raise _invalid("categories", f"at most {MAX_CATEGORIES} categories")
    return ids


@router.get("/project_set/column_stats", tags=["projects"], operation_id="project_set_get_column_stats",
            summary="Project Set Get Column Stats", response_model=ProjectSetColumnStatsModel,
            responses={200: {"content": {"application/json": {"example": {
                "proj_ids": [1040, 4702], "total": 54169, "columns": ["fre.area", "obj.depth_min"],
                "counts": [54169, 54169], "variances": [1895031198.64, 0.000258]}}}}})
async def project_set_get_column_stats(
    caller: CurrentUser,
    svc: Services,
    ids: Annotated[str, Query(title="Project ids", max_length=20_000, examples=["1400+1453"],
                              description="String containing the list of one or more id separated by non-num "
                                          "char.")],
    names: Annotated[str, Query(title="Column names", max_length=100_000, examples=["fre.area,obj.depth_min,fre.nb2"],
                                description="Coma-separated prefixed columns, on which stats are needed.")],
    limit: Annotated[int | None, Query(title="Stats limit", ge=INT64_MIN, le=INT64_MAX, examples=[5000],
                                       description="Only compute stats on this number of objects per category.")]
    = None,
    categories: Annotated[str | None, Query(title="Categories for limit", max_length=2_000_000, examples=["493,567"],
                                            description="String containing the Categories, one or more id "
                                                        "separated by non-num char.")] = None,
) -> dict:
    """**Returns projects validated data statistics**, for all named columns, in all given projects.

    The free columns here are named by the alias e.g. 'area', not technical name e.g. 'n43'.

    This allows getting stats on projects with different mappings, but common names."""
    request = object_sets_pb2.ColumnStatsRequest(project_ids=parse_project_ids(ids, "ids"), names=names.split(","),
                                                 categories=_categories(categories))
    if limit is not None:
        request.limit = limit
    rsp = await svc.object_sets.ColumnStats(request, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return {"proj_ids": list(rsp.proj_ids), "total": rsp.total, "columns": list(rsp.columns),
            "counts": list(rsp.counts),
            "variances": [v.value if v.HasField("value") else None for v in rsp.variances]}


# ---------------------------------------------------------------- classification of a selection
# The projects service selects the objects (its filters), the labels service changes them.

MAX_SELECTED = 100_000


async def _selected(svc, caller, project_id: int, filters: ProjectFilters) -> list[int]:
    rsp = await svc.object_sets.QueryObjects(object_sets_pb2.QueryObjectsRequest(
        project_id=project_id, filters=filters.as_map(), window_size=MAX_SELECTED + 1), metadata=caller.metadata,
        timeout=RPC_TIMEOUT)
    if rsp.total_ids > MAX_SELECTED:
        raise _invalid("filters", f"the filters select {rsp.total_ids} objects, at most {MAX_SELECTED} are changed "
                                  f"at once")
    return list(rsp.object_ids)


@router.post("/object_set/{project_id}/reset_to_predicted", tags=["objects"],
             operation_id="reset_object_set_to_predicted", summary="Reset Object Set To Predicted",
             dependencies=[TextOnlyBody], responses={200: {"content": {"application/json": {"example": {}}}}})
async def reset_object_set_to_predicted(project_id: ProjectId, filters: ProjectFilters, caller: CurrentUser,
                                        svc: Services) -> None:
    """**Reset to Predicted** all objects for the given project with the filters. Return **NULL upon success.**"""
    ids = await _selected(svc, caller, project_id, filters)
    await svc.classification.ResetToPredicted(classification_pb2.ObjectSetRequest(project_id=project_id, objids=ids),
                                              metadata=caller.metadata, timeout=RPC_TIMEOUT)
    return None


class HistoricalLastClassif(BaseModel):
    objid: int = Field(description="The object Id.")
    classif_id: int | None = Field(None, description="The classification Id.")
    histo_classif_date: str | None = Field(None, description="The classification date.")
    histo_classif_type: str | None = Field(None, description="The type of classification. Could be **A** for "
                                           "Automatic or **M** for Manual.")
    histo_classif_id: int | None = Field(None, description="The classification Id.")
    histo_classif_qual: str | None = Field(None, description="The classification qualification.")
    histo_classif_who: int | None = Field(None, description="The user who manualy classify this object.")


class ObjectSetRevertToHistoryRsp(BaseModel):
    last_entries: list[HistoricalLastClassif] = Field(default_factory=list, description="Object + last "
                                                      "classification")
    classif_info: dict[str, list[str | None]] = Field(default_factory=dict, description="Classification names "
                                                      "(self+parent) for involved IDs.")


async def _names(svc, caller, ids: set[int]) -> dict[str, list[str | None]]:
    """Taxon id -> [name, parent's name]."""
    if not ids:
        return {}
    found = await svc.taxonomy.QueryTaxa(taxonomy_pb2.QueryTaxaRequest(ids=sorted(ids)), metadata=caller.metadata,
                                         timeout=RPC_TIMEOUT)
    taxa = {t.id: t for t in found.taxa}
    parents = sorted({t.parent_id for t in taxa.values() if t.HasField("parent_id")} - set(taxa))
    if parents:
        more = await svc.taxonomy.QueryTaxa(taxonomy_pb2.QueryTaxaRequest(ids=parents), metadata=caller.metadata,
                                            timeout=RPC_TIMEOUT)
        names = {t.id: t.name for t in more.taxa} | {t.id: t.name for t in taxa.values()}
    else:
        names = {t.id: t.name for t in taxa.values()}
    return {str(i): [t.name, names.get(t.parent_id) if t.HasField("parent_id") else None] for i, t in taxa.items()}


@router.post("/object_set/{project_id}/revert_to_history", tags=["objects"],
             operation_id="revert_object_set_to_history", summary="Revert Object Set To History",
             response_model=ObjectSetRevertToHistoryRsp, response_model_exclude_none=True,
             dependencies=[TextOnlyBody])
async def revert_object_set_to_history(
    project_id: ProjectId,
    filters: ProjectFilters,
    caller: CurrentUser,
    svc: Services,
    dry_run: Annotated[bool, Query(title="Dry run", description="If set, then no real write but consequences of "
                                   "the revert will be replied.")],
    target: Annotated[int | None, Query(title="Target", description="Use null/None for reverting using the last "
                                        "annotation from anyone, or a user id for the last annotation from this "
                                        "user.", ge=0, le=INT64_MAX)] = None,
) -> dict:
    """**Revert all objects for the given project**, with the filters, to the target."""
    ids = await _selected(svc, caller, project_id, filters)
    request = classification_pb2.RevertToHistoryRequest(project_id=project_id, objids=ids, dry_run=dry_run)
    if target is not None:
        request.target = target
    rsp = await svc.classification.RevertToHistory(request, metadata=caller.metadata, timeout=RPC_TIMEOUT)
    entries = [{"objid": e.objid, "classif_id": e.classif_id or None,
                "histo_classif_date": when_json(e.history.classif_when_us),
                "histo_classif_type": "A" if e.history.classif_qual == "P" else "M",
                "histo_classif_id": e.history.classif_id or None, "histo_classif_qual": e.history.classif_qual or None,
                "histo_classif_who": e.history.classif_who or None} for e in rsp.last_entries]
    involved = {e["classif_id"] for e in entries} | {e["histo_classif_id"] for e in entries}
    return {"last_entries": entries, "classif_info": await _names(svc, caller, involved - {None})}
